/*
 * stepup.h: admin step-up tokens (domain.md 15, api.md 14).
 *
 * A grant is a one-time token of 32 CSPRNG bytes (base64url), bound to
 * the granting admin and one scope, valid for 60..600 s. Only its
 * base64url HMAC is stored. The token is consumed inside the protected
 * action's transaction, so a rollback (404/400/409 later in the route)
 * leaves it unused.
 */
#ifndef LTC_STEPUP_H
#define LTC_STEPUP_H

#include <stdbool.h>
#include <stdint.h>

#include "store/ctx.h"
#include "store/db.h"

#define STEPUP_HEADER	"X-Admin-Step-Up"
#define STEPUP_TTL_MIN	60
#define STEPUP_TTL_MAX	600

/* The scope list of domain.md 15, NULL-terminated. */
extern const char *const stepup_scopes[];

/* Is s (already trimmed and lowercased) one of the scopes? */
bool	 stepup_scope_known(const char *);

/*
 * Stores a new grant for (actor_id, scope) valid for ttl seconds from
 * now and writes the raw token into token; *expires gets the expiry
 * (microseconds). Runs in the caller's transaction. False on CSPRNG or
 * database failure (db_status() tells which for the latter).
 */
bool	 stepup_grant(struct db *, const char *actor_id, const char *scope,
	    int64_t now, int64_t ttl, char token[TOKEN_LEN], int64_t *expires);

enum stepup_result {
	STEPUP_OK,		/* consumed */
	STEPUP_MISSING,		/* header absent or empty */
	STEPUP_INVALID,		/* unknown, other admin or scope, expired, used */
	STEPUP_ERROR,		/* database error */
};

/*
 * Checks token for (actor_id, scope) at now and, when valid, marks it
 * used. The caller holds the write transaction. *ttl gets the grant's
 * lifetime in seconds on success.
 */
enum stepup_result stepup_consume(struct db *, const char *actor_id,
	    const char *scope, const char *token, int64_t now, int64_t *ttl);

/*
 * The step-up check of api.md 14 for the actor of cx and scope, with the
 * token as sent (NULL when absent; already trimmed): consumes it and
 * audits ADMIN_STEP_UP_CONSUMED, or audits ADMIN_STEP_UP_FAILED
 * (STEP_UP_MISSING / STEP_UP_INVALID), in the caller's transaction.
 * STEPUP_ERROR on a database error. The caller answers a refusal (403)
 * and keeps the failure row although the request fails.
 */
enum stepup_result stepup_use(struct ctx *, const char *scope,
	    const char *token);

#endif
