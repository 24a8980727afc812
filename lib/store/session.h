/*
 * session.h: server-side sessions (security.md 2). The client holds a
 * random token; only base64url(HMAC(secret, token)) is stored.
 */
#ifndef LTC_SESSION_H
#define LTC_SESSION_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

/*
 * Looks the token up and, when it authenticates (security.md 2.2), fills
 * r->cx.actor with kind. Refreshes last_seen_at when it is >= 60 s old.
 * Returns false when the token does not authenticate or on db error.
 */
bool	 session_resolve(struct req *, const char *token, enum auth_kind);
/* New session for user_id inside the caller's transaction. */
bool	 session_create(struct req *, const char *user_id, const char *method,
	    char token[TOKEN_LEN], char sid[UUID_LEN], int64_t *expires);
bool	 session_revoke(struct req *, const char *session_id,
	    const char *reason);
/* Revokes every open session of user_id except except_sid (may be NULL). */
bool	 session_revoke_user(struct db *, int64_t now, const char *user_id,
	    const char *reason, const char *except_sid);
/* CSRF token of a session: base64url(HMAC(secret, "csrf:" + sid)). */
void	 csrf_token(const char *session_id, char out[B64URL_HMAC_LEN]);
/* Set-Cookie for ltc_session (token NULL: clearing cookie, Max-Age=0). */
void	 session_cookie(struct req *, const char *token);

#endif
