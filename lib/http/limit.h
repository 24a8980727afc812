/*
 * limit.h: rate limits as the http layer answers them (domain.md 16,
 * README check order 7). A route may declare one rule in its policy;
 * the dispatcher applies it right after the gate, before 413 and the
 * query checks.
 */
#ifndef LTC_LIMIT_H
#define LTC_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

/* One counter per client IP (key = prefix + ip_hmac) or per user. */
struct rate_rule {
	const char	*prefix;	/* "rl:qr:ip:" */
	bool		 per_user;	/* key = prefix + the actor's user id */
	const int64_t	*limit;		/* &cfg.<key>: read per request */
	const int64_t	*window_s;
	const char	*detail;	/* of the 429 answer */
	/*
	 * A second key checked only when this one passed, and only for an
	 * authenticated actor (rl:support:*, domain.md 16); a refusal by it
	 * still counts against the first.
	 */
	const struct rate_rule *then_user;
};

/* rl:qr:ip:<ip_hmac>, shared by the public QR answer and the QR page. */
extern const struct rate_rule rate_qr;
/* rl:support:ip then rl:support:user, the contact form and API. */
extern const struct rate_rule rate_support;
/* rl:upload:user:<user_id>, document uploads. */
extern const struct rate_rule rate_upload;

/*
 * Counts the request under the rule in a transaction of its own and
 * answers a refusal: 429 with Retry-After (through the app's error pages
 * where it has them), or the database error. true: the request goes on.
 */
bool	 limit_pass(struct req *, const struct rate_rule *);

#endif
