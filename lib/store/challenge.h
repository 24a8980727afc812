/*
 * challenge.h: one-time login codes (domain.md 0.1, 1.2). The OTP is
 * stored only as otp_hash = base64url(HMAC(secret, otp || challenge_id)).
 * Every writer runs in the caller's transaction.
 */
#ifndef LTC_CHALLENGE_H
#define LTC_CHALLENGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/crypto.h"
#include "store/db.h"

#define OTP_LEN			7	/* 6 digits + NUL */
#define CHALLENGE_HASH_LEN	128	/* a pending MCF hash + NUL */

/* A row, or one prepared in memory; wipe it once used (pending_hash). */
struct challenge {
	char	 id[UUID_LEN];
	char	 email_hmac[B64URL_HMAC_LEN];
	char	 purpose[16];		/* "login" or "register" */
	char	 otp_hash[B64URL_HMAC_LEN];
	char	 pending_hash[CHALLENGE_HASH_LEN];	/* "" unless register */
	int64_t	 created;
	int64_t	 expires;
	bool	 used;
	int64_t	 attempts;
};

/*
 * A new challenge in memory, expiring otp_ttl_seconds after now: id, the
 * plain otp (for the mail only) and its hash. Nothing is stored; false
 * when the CSPRNG fails. pending_hash may be NULL.
 */
bool	 challenge_prepare(struct challenge *, int64_t now,
	    const char *email_hmac, const char *purpose,
	    const char *pending_hash, char otp[OTP_LEN]);
bool	 challenge_insert(struct db *, const struct challenge *);
bool	 challenge_delete(struct db *, const char *id);
/* 1 found, 0 not found, -1 db error. */
int	 challenge_find(struct db *, const char *id, struct challenge *);
/* Constant-time comparison of otp against the stored hash. */
bool	 challenge_otp_ok(const struct challenge *, const char *otp);
/* Counts one wrong code (attempts + 1, last_attempt_at). */
bool	 challenge_fail(struct db *, int64_t now, const char *id);
/* Marks it used; false if it already was (or on error). */
bool	 challenge_use(struct db *, int64_t now, const char *id);

#endif
