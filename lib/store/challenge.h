/*
 * challenge.h: one-time login codes (domain.md 0.1, 1.2). The OTP is
 * stored only as otp_hash = base64url(HMAC(secret, otp || challenge_id)).
 */
#ifndef LTC_CHALLENGE_H
#define LTC_CHALLENGE_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>


#include "base/crypto.h"

#define OTP_LEN		7	/* 6 digits + NUL */

struct challenge {
	char	 id[UUID_LEN];
	char	 email_hmac[B64URL_HMAC_LEN];
	char	 purpose[16];		/* "login" or "register" */
	char	 otp_hash[B64URL_HMAC_LEN];
	char	*pending_hash;		/* register only; wiped */
	int64_t	 created;
	int64_t	 expires;
	bool	 used;
	int64_t	 attempts;
};

/*
 * New challenge expiring otp_ttl_seconds after now; fills id and the
 * plain otp (for the mail only). pending_hash may be NULL.
 */
bool	 challenge_create(struct db *, int64_t now, const char *email_hmac,
	    const char *purpose, const char *pending_hash, char id[UUID_LEN],
	    char otp[OTP_LEN]);
/* 1 found (free with challenge_free), 0 not found, -1 db error. */
int	 challenge_find(struct db *, const char *id, struct challenge *);
void	 challenge_free(struct challenge *);
/* Constant-time comparison of otp against the stored hash. */
bool	 challenge_otp_ok(const struct challenge *, const char *otp);
/* Counts one wrong code (attempts + 1, last_attempt_at). */
bool	 challenge_fail(struct db *, int64_t now, const char *id);
/* Marks it used; false if it already was (or on error). */
bool	 challenge_use(struct db *, int64_t now, const char *id);

#endif
