/*
 * Unit tests of the Fernet implementation (domain.md 10.4) against the
 * generate/verify vector of the Fernet specification, its refusals
 * (altered token, wrong key, version, length) and the canonical JSON of
 * domain.md 10.5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/crypto.h"
#include "domain/canonjson.h"
#include "domain/fernet.h"
#include "tap.h"

/* The spec's vector: "now" 1985-10-26T01:20:00-07:00, IV 0..15. */
static const char VEC_KEY[] = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
static const char VEC_TOKEN[] = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ"
    "_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";
#define VEC_TS	499162800u

static void
vector_key(unsigned char key[FERNET_KEY_LEN])
{
	unsigned char *k = NULL;
	size_t n = 0;

	if (!b64_decode(VEC_KEY, &k, &n) || n != FERNET_KEY_LEN) {
		ok(0, "vector key decodes to 32 bytes");
		exit(1);
	}
	memcpy(key, k, n);
	free(k);
}

static void
test_vector(void)
{
	unsigned char key[FERNET_KEY_LEN], iv[FERNET_IV_LEN], *out = NULL;
	size_t n = 0, i;
	uint64_t ts = 0;
	char *tok, *alt;

	vector_key(key);
	for (i = 0; i < sizeof(iv); i++)
		iv[i] = (unsigned char)i;
	tok = fernet_encrypt_iv(key, VEC_TS, iv, "hello", 5);
	ok(tok != NULL && strcmp(tok, VEC_TOKEN) == 0,
	    "generate: the spec's token byte for byte");
	free(tok);

	ok(fernet_decrypt(key, VEC_TOKEN, &out, &n, &ts) == FERNET_OK &&
	    n == 5 && memcmp(out, "hello", 5) == 0 && ts == VEC_TS,
	    "verify: the spec's token opens to \"hello\" with its timestamp");
	free(out);

	/* Padding is optional on input. */
	alt = strdup(VEC_TOKEN);
	alt[strcspn(alt, "=")] = '\0';
	ok(fernet_decrypt(key, alt, &out, &n, NULL) == FERNET_OK && n == 5,
	    "verify: token without padding");
	free(out);
	free(alt);

	/* One flipped character in the ciphertext: the MAC fails. */
	alt = strdup(VEC_TOKEN);
	alt[40] = alt[40] == 'A' ? 'B' : 'A';
	ok(fernet_decrypt(key, alt, &out, &n, NULL) == FERNET_BAD_MAC &&
	    out == NULL, "altered token: bad MAC");
	free(alt);

	key[0] ^= 1;
	ok(fernet_decrypt(key, VEC_TOKEN, &out, &n, NULL) == FERNET_BAD_MAC,
	    "wrong signing key: bad MAC");
	key[0] ^= 1;

	/* 0x81 as version byte: "gQ..." instead of "gA...". */
	alt = strdup(VEC_TOKEN);
	alt[1] = 'Q';
	ok(fernet_decrypt(key, alt, &out, &n, NULL) == FERNET_BAD_VERSION,
	    "version byte 0x81 refused");
	free(alt);

	ok(fernet_decrypt(key, "gAAAAAAdwJ6w", &out, &n, NULL) ==
	    FERNET_BAD_LENGTH, "short token refused");
	ok(fernet_decrypt(key, "***", &out, &n, NULL) == FERNET_BAD_BASE64,
	    "not base64 refused");
}

static void
test_roundtrip(void)
{
	unsigned char key[FERNET_KEY_LEN], *out = NULL;
	const char *secret = "0123456789abcdef0123456789abcdef-test";
	char msg[100], *a, *b;
	size_t n = 0, len;

	fernet_key((const unsigned char *)secret, strlen(secret), key);
	/* Every padding length: 0..16 bytes past a block boundary. */
	for (len = 0; len <= 33; len++) {
		memset(msg, 'x', len);
		a = fernet_encrypt(key, 1772355600, msg, len);
		if (!ok(a != NULL && fernet_decrypt(key, a, &out, &n, NULL) ==
		    FERNET_OK && n == len && memcmp(out, msg, len) == 0,
		    "round trip"))
			fprintf(stderr, "# length %zu\n", len);
		free(out);
		out = NULL;
		free(a);
	}
	a = fernet_encrypt(key, 1, "same", 4);
	b = fernet_encrypt(key, 1, "same", 4);
	ok(a != NULL && b != NULL && strcmp(a, b) != 0,
	    "fresh IV: two tokens of one plaintext differ");
	ok(a != NULL && strchr(a, '+') == NULL && strchr(a, '/') == NULL,
	    "base64url alphabet");
	free(a);
	free(b);
}

static int
canon_is(const char *json, const char *want)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	struct buf b = { 0 };
	int r;

	if (v == NULL)
		return 0;
	canon_json(&b, v);
	r = b.data != NULL && strcmp(b.data, want) == 0;
	if (!r)
		fprintf(stderr, "# got %s\n", b.data != NULL ? b.data : "");
	buf_free(&b);
	json_decref(v);
	return r;
}

static void
test_canon(void)
{
	json_t *v;
	struct buf b = { 0 };

	ok(canon_is("{\"b\": 1, \"a\": {\"d\": [1, 2], \"c\": null}}",
	    "{\"a\":{\"c\":null,\"d\":[1,2]},\"b\":1}"),
	    "keys sorted at every level, no whitespace");
	ok(canon_is("{\"Z\": 1, \"a\": 2, \"\xc3\xa4\": 3, \"_\": 4}",
	    "{\"Z\":1,\"_\":4,\"a\":2,\"\xc3\xa4\":3}"),
	    "keys sorted by their UTF-8 bytes");
	ok(canon_is("\"a/b \\\"q\\\" \\\\ \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f "
	    "\xc3\x9f\"", "\"a/b \\\"q\\\" \\\\ \\b\\f\\n\\r\\t \\u0001\\u001f "
	    "\x7f \xc3\x9f\""), "string escapes: minimal, lowercase hex");
	ok(canon_is("[true, false, null, -5, 0]", "[true,false,null,-5,0]"),
	    "literals and integers");
	v = json_pack("[f,f,f,f]", 120.5, 0.99, 150.0, 12.3);
	canon_json(&b, v);
	ok(b.data != NULL && strcmp(b.data, "[120.5,0.99,150,12.3]") == 0,
	    "amounts: at most 2 decimals, no trailing zeros");
	buf_free(&b);
	json_decref(v);
}

int
main(void)
{
	test_vector();
	test_roundtrip();
	test_canon();
	return done_testing();
}
