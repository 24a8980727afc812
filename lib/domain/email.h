/*
 * email.h: e-mail addresses as the server handles them (security.md 6):
 * normalised (trim + ASCII-lowercase), checked for plausibility on the
 * routes that start a mail, looked up only by their HMAC pseudonym and
 * stored only encrypted.
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
 * only, no whitespace, exactly one '@' with non-empty parts around it,
 * and none of ( ) , : ; < > [ ] \ " that would make one address a list
 * or a group in a mail header.
 */
bool	 email_plausible(const char *normalised);
/*
 * The normalised address when raw is one a mail may go to (EMAIL_MIN..
 * EMAIL_MAX after trimming, plausible), else NULL. Arena string.
 */
const char *email_accept(struct arena *, const char *raw);
/* email_hmac = base64url(HMAC-SHA256(secret, normalised address)). */
void	 email_hmac(const char *normalised, char out[B64URL_HMAC_LEN]);
/* AAD of the at-rest encryption: "ltc:email:" + user_id; arena string. */
const char *email_aad(struct arena *, const char *user_id);

#endif
