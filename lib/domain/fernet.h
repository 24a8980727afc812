/*
 * fernet.h: Fernet tokens (domain.md 10.4), byte-compatible with every
 * Fernet library. Token = 0x80 | timestamp (64-bit big-endian seconds)
 * | IV (16) | AES-128-CBC(PKCS#7) | HMAC-SHA256 over all before it,
 * written as base64url with padding. The 32-byte key is SHA-256 of the
 * server secret: signing key its first half, encryption key the second.
 */
#ifndef LTC_FERNET_H
#define LTC_FERNET_H

#include <stddef.h>
#include <stdint.h>

#define FERNET_KEY_LEN	32
#define FERNET_IV_LEN	16
#define FERNET_MIN_LEN	73	/* version, ts, iv, one block, mac */

/* key = SHA-256(secret). Callers explicit_bzero it when done. */
void	 fernet_key(const unsigned char *secret, size_t n,
	    unsigned char key[FERNET_KEY_LEN]);

/* With a caller-chosen IV (test vectors); malloc'd token, NULL on error. */
char	*fernet_encrypt_iv(const unsigned char key[FERNET_KEY_LEN],
	    uint64_t ts, const unsigned char iv[FERNET_IV_LEN],
	    const void *msg, size_t n);
/* With a CSPRNG IV; NULL when the CSPRNG or the cipher fails. */
char	*fernet_encrypt(const unsigned char key[FERNET_KEY_LEN],
	    uint64_t ts, const void *msg, size_t n);

enum fernet_status {
	FERNET_OK,
	FERNET_BAD_BASE64,
	FERNET_BAD_VERSION,
	FERNET_BAD_LENGTH,
	FERNET_BAD_MAC,		/* wrong key or altered token */
	FERNET_BAD_PADDING,
};

/*
 * Opens a token (base64url or standard alphabet, padding optional; no
 * TTL is enforced). On FERNET_OK *out is a malloc'd plaintext with a NUL
 * after its *outlen bytes and *ts the token's timestamp (ts may be NULL).
 */
enum fernet_status fernet_decrypt(const unsigned char key[FERNET_KEY_LEN],
	    const char *token, unsigned char **out, size_t *outlen,
	    uint64_t *ts);

#endif
