/*
 * email.h: e-mail addresses as the server handles them (security.md 6):
 * normalised (trim + ASCII-lowercase), checked for plausibility on the
 * routes that start a mail, and looked up only by their HMAC pseudonym.
 */
#ifndef LTC_EMAIL_H
#define LTC_EMAIL_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/crypto.h"

#define EMAIL_MIN	3	/* code points, after trimming */
#define EMAIL_MAX	320

/* Trimmed, ASCII-lowercased copy of s in the arena. */
char	*email_normalise(struct arena *, const char *s);
/*
 * The /auth/request and /auth/register rule (api.md 3): ASCII printable
 * only, no whitespace, exactly one '@' with non-empty parts around it.
 */
bool	 email_plausible(const char *normalised);
/* email_hmac = base64url(HMAC-SHA256(secret, normalised address)). */
void	 email_hmac(const char *normalised, char out[B64URL_HMAC_LEN]);
/* AAD of the at-rest encryption: "ltc:email:" + user_id; arena string. */
const char *email_aad(struct arena *, const char *user_id);

#endif
