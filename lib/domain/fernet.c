/* fernet.c: see fernet.h. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/crypto.h"
#include "base/util.h"
#include "domain/fernet.h"

#define HDR_LEN	(1 + 8 + FERNET_IV_LEN)
#define MAC_LEN	32

void
fernet_key(const unsigned char *secret, size_t n,
    unsigned char key[FERNET_KEY_LEN])
{
	sha256(secret, n, key);
}

char *
fernet_encrypt_iv(const unsigned char key[FERNET_KEY_LEN], uint64_t ts,
    const unsigned char iv[FERNET_IV_LEN], const void *msg, size_t n)
{
	EVP_CIPHER_CTX *c;
	unsigned char *tok;
	char *out = NULL;
	size_t cap, len;
	int l1 = 0, l2 = 0, i;

	if (n > (size_t)INT32_MAX - 64)
		return NULL;
	cap = HDR_LEN + n + 16 + MAC_LEN;
	tok = xmalloc(cap);
	tok[0] = 0x80;
	for (i = 0; i < 8; i++)
		tok[1 + i] = (unsigned char)(ts >> (56 - 8 * i));
	memcpy(tok + 9, iv, FERNET_IV_LEN);
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		goto out;
	if (EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), NULL, key + 16, iv) != 1 ||
	    EVP_EncryptUpdate(c, tok + HDR_LEN, &l1, msg, (int)n) != 1 ||
	    EVP_EncryptFinal_ex(c, tok + HDR_LEN + l1, &l2) != 1) {
		EVP_CIPHER_CTX_free(c);
		goto out;
	}
	EVP_CIPHER_CTX_free(c);
	len = HDR_LEN + (size_t)l1 + (size_t)l2;
	hmac_sha256(key, 16, tok, len, tok + len);
	len += MAC_LEN;
	out = xmalloc(4 * ((len + 2) / 3) + 1);
	b64url_encode(tok, len, out, true);
out:
	explicit_bzero(tok, cap);
	free(tok);
	return out;
}

char *
fernet_encrypt(const unsigned char key[FERNET_KEY_LEN], uint64_t ts,
    const void *msg, size_t n)
{
	unsigned char iv[FERNET_IV_LEN];

	if (!random_bytes(iv, sizeof(iv)))
		return NULL;
	return fernet_encrypt_iv(key, ts, iv, msg, n);
}

enum fernet_status
fernet_decrypt(const unsigned char key[FERNET_KEY_LEN], const char *token,
    unsigned char **out, size_t *outlen, uint64_t *ts)
{
	unsigned char *raw = NULL, *plain = NULL, mac[MAC_LEN];
	enum fernet_status res;
	EVP_CIPHER_CTX *c;
	size_t n, clen;
	int l1 = 0, l2 = 0, i;

	*out = NULL;
	*outlen = 0;
	if (!b64_decode(token, &raw, &n))
		return FERNET_BAD_BASE64;
	if (n < 1 || raw[0] != 0x80) {
		res = FERNET_BAD_VERSION;
		goto out;
	}
	if (n < FERNET_MIN_LEN || (n - HDR_LEN - MAC_LEN) % 16 != 0 ||
	    n - HDR_LEN - MAC_LEN > (size_t)INT32_MAX) {
		res = FERNET_BAD_LENGTH;
		goto out;
	}
	clen = n - HDR_LEN - MAC_LEN;
	hmac_sha256(key, 16, raw, n - MAC_LEN, mac);
	if (!ct_equal(mac, raw + n - MAC_LEN, MAC_LEN)) {
		res = FERNET_BAD_MAC;
		goto out;
	}
	plain = xmalloc(clen + 16 + 1);
	res = FERNET_BAD_PADDING;
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		goto out;
	if (EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), NULL, key + 16,
	    raw + 9) != 1 ||
	    EVP_DecryptUpdate(c, plain, &l1, raw + HDR_LEN, (int)clen) != 1 ||
	    EVP_DecryptFinal_ex(c, plain + l1, &l2) != 1) {
		EVP_CIPHER_CTX_free(c);
		goto out;
	}
	EVP_CIPHER_CTX_free(c);
	if (ts != NULL)
		for (*ts = 0, i = 0; i < 8; i++)
			*ts = *ts << 8 | raw[1 + i];
	*outlen = (size_t)l1 + (size_t)l2;
	plain[*outlen] = '\0';
	*out = plain;
	plain = NULL;
	res = FERNET_OK;
out:
	if (plain != NULL) {
		explicit_bzero(plain, clen + 17);
		free(plain);
	}
	free(raw);
	return res;
}
