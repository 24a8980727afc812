/* session.c: see session.h. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "store/db.h"
#include "store/session.h"

#define REFRESH_AFTER_US	(60 * US_PER_SEC)

bool
session_resolve(struct ctx *cx, const char *token, enum auth_kind kind)
{
	char hash[B64URL_HMAC_LEN];
	int64_t expires, seen;
	struct db_stmt *st;
	struct actor *a = &cx->actor;
	bool ok = false;
	char sid[UUID_LEN];

	if (token == NULL || *token == '\0' || strlen(token) > 512)
		return false;
	hmac_b64url(token, hash);
	st = db_prep(cx->db,
	    "SELECT s.session_id, s.expires_at, s.last_seen_at, u.user_id, "
	    "u.role, u.status, u.email_hmac, u.email_verified_at IS NOT NULL, "
	    "u.password_hash IS NOT NULL FROM auth_sessions s "
	    "JOIN auth_users u ON u.user_id = s.user_id "
	    "WHERE s.token_hash = ? AND s.revoked_at IS NULL", "s", hash);
	if (st == NULL)
		return false;
	if (db_step(st) != 1)
		goto out;
	if (!ts_parse(db_text(st, 1), &expires) ||
	    !ts_parse(db_text(st, 2), &seen))
		goto out;
	if (cx->now >= expires ||
	    cx->now - seen > cfg.session_idle_seconds * US_PER_SEC)
		goto out;
	if (!str_eq(db_text(st, 5), "active"))
		goto out;
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	snprintf(a->session_id, sizeof(a->session_id), "%s", db_text(st, 0));
	snprintf(a->user_id, sizeof(a->user_id), "%s", db_text(st, 3));
	snprintf(a->role_name, sizeof(a->role_name), "%s", db_text(st, 4));
	a->role = role_parse(a->role_name);
	snprintf(a->status, sizeof(a->status), "%s", db_text(st, 5));
	snprintf(a->email_hmac, sizeof(a->email_hmac), "%s",
	    db_text(st, 6) != NULL ? db_text(st, 6) : "");
	a->email_verified = db_int(st, 7) != 0;
	a->has_password = db_int(st, 8) != 0;
	a->session_expires = expires;
	snprintf(sid, sizeof(sid), "%s", a->session_id);
	ok = true;
	if (cx->now - seen >= REFRESH_AFTER_US) {
		char ts[TS_STORAGE_LEN];

		db_finalize(st);
		st = NULL;
		ts_storage(cx->now, ts);
		/*
		 * Best effort, without waiting: a request never waits for
		 * (or fails on) another writer because of it; a busy database
		 * leaves the refresh to a later request.
		 */
		db_busy_wait(cx->db, 0);
		db_exec(cx->db, "UPDATE auth_sessions SET last_seen_at = ? "
		    "WHERE session_id = ?", "ss", ts, sid);
		db_busy_wait(cx->db, -1);
	}
out:
	db_finalize(st);
	return ok;
}

bool
session_create(struct ctx *cx, const char *user_id, const char *method,
    char token[TOKEN_LEN], char sid[UUID_LEN], int64_t *expires)
{
	char hash[B64URL_HMAC_LEN], now[TS_STORAGE_LEN], exp[TS_STORAGE_LEN];

	if (!random_token(token) || !uuid4(sid))
		return false;
	hmac_b64url(token, hash);
	*expires = cx->now + cfg.session_ttl_seconds * US_PER_SEC;
	ts_storage(cx->now, now);
	ts_storage(*expires, exp);
	return db_exec(cx->db, "INSERT INTO auth_sessions (session_id, user_id, "
	    "token_hash, auth_method, created_at, expires_at, last_seen_at) "
	    "VALUES (?,?,?,?,?,?,?)", "sssssss", sid, user_id, hash, method,
	    now, exp, now) == DB_OK;
}

bool
session_revoke(struct ctx *cx, const char *sid, const char *reason)
{
	return db_exec(cx->db, "UPDATE auth_sessions SET revoked_at = ?, "
	    "revoke_reason = ? WHERE session_id = ? AND revoked_at IS NULL",
	    "tss", cx->now, reason, sid) == DB_OK;
}

bool
session_revoke_user(struct ctx *cx, const char *user_id, const char *reason,
    const char *except_sid)
{
	return db_exec(cx->db, "UPDATE auth_sessions SET revoked_at = ?, "
	    "revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL "
	    "AND session_id IS NOT ?", "tsss", cx->now, reason, user_id,
	    except_sid) == DB_OK;
}

void
csrf_token(const char *sid, char out[B64URL_HMAC_LEN])
{
	char msg[UUID_LEN + 8];

	snprintf(msg, sizeof(msg), "csrf:%s", sid);
	hmac_b64url(msg, out);
}
