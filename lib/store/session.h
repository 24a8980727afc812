/*
 * session.h: server-side sessions (security.md 2). The client holds a
 * random token; only base64url(HMAC(secret, token)) is stored. The
 * writers run in the caller's transaction; the cookie that carries the
 * token is the http layer's (http/cookie.h).
 */
#ifndef LTC_SESSION_H
#define LTC_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/ctx.h"
#include "store/db.h"

/*
 * Looks the token up and, when it authenticates (security.md 2.2), fills
 * cx->actor with kind. Refreshes last_seen_at when it is >= 60 s old.
 * Returns false when the token does not authenticate or on db error.
 */
bool	 session_resolve(struct ctx *, const char *token, enum auth_kind);
/* New session for user_id from cx->now. */
bool	 session_create(struct ctx *, const char *user_id, const char *method,
	    char token[TOKEN_LEN], char sid[UUID_LEN], int64_t *expires);
/* Revokes one open session; db_changes() tells whether it was open. */
bool	 session_revoke(struct ctx *, const char *session_id,
	    const char *reason);
/* Revokes every open session of user_id except except_sid (may be NULL). */
bool	 session_revoke_user(struct ctx *, const char *user_id,
	    const char *reason, const char *except_sid);
/* CSRF token of a session: base64url(HMAC(secret, "csrf:" + sid)). */
void	 csrf_token(const char *session_id, char out[B64URL_HMAC_LEN]);

#endif
