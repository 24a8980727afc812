/*
 * ltcctl export-decrypt [FILE]: opens a full export offline (ops.md 7,
 * domain.md 10.4). Reads a bare Fernet token or the JSON answer of a full
 * export from FILE or stdin, decrypts it with SHA-256 of the configured
 * secret (after a rotation also of secret_key_previous) and prints the
 * plaintext JSON. No TTL applies; the plaintext is never logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/config.h"
#include "base/crypto.h"
#include "base/util.h"
#include "domain/fernet.h"
#include "ltcctl.h"

static bool
read_all(FILE *f, struct buf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	return !ferror(f);
}

static enum fernet_status
open_with(const unsigned char *secret, size_t n, const char *token,
    unsigned char **out, size_t *outlen)
{
	unsigned char key[FERNET_KEY_LEN];
	enum fernet_status st;

	fernet_key(secret, n, key);
	st = fernet_decrypt(key, token, out, outlen, NULL);
	explicit_bzero(key, sizeof(key));
	return st;
}

int
cmd_export_decrypt(int argc, char **argv)
{
	static const char *const why[] = {
		[FERNET_BAD_BASE64] = "not base64",
		[FERNET_BAD_VERSION] = "not a Fernet token (version byte)",
		[FERNET_BAD_LENGTH] = "token too short or truncated",
		[FERNET_BAD_MAC] = "wrong secret or altered token",
		[FERNET_BAD_PADDING] = "bad padding",
	};
	struct buf in = { 0 };
	const unsigned char *secret;
	unsigned char *plain = NULL;
	enum fernet_status st;
	const char *token;
	json_t *j = NULL;
	size_t slen, n = 0;
	char *text;
	FILE *f = stdin;
	int rc = EX_FAIL;

	if (argc > 2) {
		fprintf(stderr, "usage: ltcctl export-decrypt [FILE]\n");
		return EX_USAGE;
	}
	if (argc == 2 && strcmp(argv[1], "-") != 0 &&
	    (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "ltcctl: cannot read the input file\n");
		return EX_FAIL;
	}
	if (!read_all(f, &in) || in.data == NULL) {
		fprintf(stderr, "ltcctl: no input\n");
		goto out;
	}
	text = str_trim(in.data);
	token = text;
	if (*text == '{') {
		j = json_loads(text, 0, NULL);
		token = json_string_value(json_object_get(j, "ciphertext"));
		if (token == NULL) {
			fprintf(stderr, "ltcctl: JSON without a ciphertext "
			    "member\n");
			goto out;
		}
	}
	secret = crypto_secret(&slen);
	st = open_with(secret, slen, token, &plain, &n);
	if (st == FERNET_BAD_MAC && cfg.secret_key_previous != NULL &&
	    *cfg.secret_key_previous != '\0')
		st = open_with((const unsigned char *)cfg.secret_key_previous,
		    strlen(cfg.secret_key_previous), token, &plain, &n);
	if (st != FERNET_OK) {
		fprintf(stderr, "ltcctl: cannot decrypt: %s\n", why[st]);
		goto out;
	}
	fwrite(plain, 1, n, stdout);
	putchar('\n');
	rc = fflush(stdout) == 0 ? EX_OK : EX_FAIL;
	explicit_bzero(plain, n);
out:
	free(plain);
	json_decref(j);
	buf_free(&in);
	if (f != stdin)
		fclose(f);
	return rc;
}
