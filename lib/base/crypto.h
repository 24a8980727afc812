/*
 * crypto.h: CSPRNG, ids, HMAC/SHA-256, encodings, AES-256-GCM for e-mail
 * at rest. Everything keyed uses the server secret from the config.
 */
#ifndef LTC_CRYPTO_H
#define LTC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UUID_LEN	37	/* 36 + NUL */
#define HEXID_LEN	33	/* 32 + NUL: document ids */
#define TOKEN_LEN	44	/* 43 base64url chars of 32 bytes + NUL */
#define B64URL_HMAC_LEN	44	/* base64url of a 32-byte HMAC + NUL */
#define HEX_HMAC_LEN	65

/* All return false if the CSPRNG fails; callers answer 500. */
bool	 random_bytes(void *, size_t);
bool	 uuid4(char out[UUID_LEN]);
bool	 hexid(char out[HEXID_LEN]);
bool	 random_token(char out[TOKEN_LEN]);	/* 32 bytes, base64url */
/* Uniform 6-digit code, zero padded, rejection sampling. */
bool	 random_otp(char out[7]);

void	 hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
	    unsigned char out[32]);
void	 sha256(const void *, size_t, unsigned char out[32]);

/* HMAC-SHA256(secret, msg) in the two encodings the spec uses. */
void	 hmac_b64url(const char *msg, char out[B64URL_HMAC_LEN]);
void	 hmac_hex(const char *msg, char out[HEX_HMAC_LEN]);
/* Same with an explicit key (rekey uses the previous secret). */
void	 hmac_b64url_key(const void *key, size_t klen, const char *msg,
	    char out[B64URL_HMAC_LEN]);

void	 hex_encode(const unsigned char *, size_t, char *out);	/* 2n+1 */
/* base64url without padding; out needs 4*ceil(n/3)+1. */
void	 b64url_encode(const unsigned char *, size_t, char *out, bool pad);
void	 b64_encode(const unsigned char *, size_t, char *out);
/* Standard or url alphabet, padding optional. Caller frees *out. */
bool	 b64_decode(const char *, unsigned char **out, size_t *outlen);

bool	 ct_equal(const void *, const void *, size_t);
bool	 ct_streq(const char *, const char *);

/* Config secret as set by config_load(); NULL if unset. */
void	 crypto_set_secret(const unsigned char *, size_t);
const unsigned char *crypto_secret(size_t *len);

/*
 * E-mail at rest (security.md 6). Encrypt returns base64(nonce|ct|tag),
 * caller frees; key_id gets 16 hex chars. Decrypt tries the current key,
 * then prev (may be NULL) by key id. Caller frees the plaintext.
 */
char	*email_encrypt(const char *plain, const char *aad, char key_id[17]);
char	*email_decrypt(const char *enc, const char *key_id, const char *aad,
	    const unsigned char *prev, size_t prevlen);
void	 key_id_for(const unsigned char *secret, size_t len, char out[17]);

#endif
