/* user.c: see user.h. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "store/db.h"
#include "store/rowjson.h"
#include "store/user.h"

#define USER_COLS "user_id, email_hmac, role, status, email_enc, " \
	"email_key_id, password_hash, password_changed_at, " \
	"email_verified_at, created_at, updated_at, disabled_at"

static int
find(struct ctx *cx, const char *sql, const char *key, struct user *u)
{
	struct arena *a = &cx->arena;
	struct db_stmt *st;
	int rc;

	memset(u, 0, sizeof(*u));
	if ((st = db_prep(cx->db, sql, "s", key)) == NULL)
		return -1;
	if ((rc = db_step(st)) == 1) {
		snprintf(u->user_id, sizeof(u->user_id), "%s", db_text(st, 0));
		snprintf(u->email_hmac, sizeof(u->email_hmac), "%s",
		    db_text(st, 1));
		snprintf(u->role, sizeof(u->role), "%s", db_text(st, 2));
		snprintf(u->status, sizeof(u->status), "%s", db_text(st, 3));
		u->email_enc = arena_strdup(a, db_text(st, 4));
		u->email_key_id = arena_strdup(a, db_text(st, 5));
		if ((u->has_password = !db_isnull(st, 6)))
			snprintf(u->password_hash, sizeof(u->password_hash),
			    "%s", db_text(st, 6));
		u->password_changed_at = arena_strdup(a, db_text(st, 7));
		u->email_verified_at = arena_strdup(a, db_text(st, 8));
		u->created_at = arena_strdup(a, db_text(st, 9));
		u->updated_at = arena_strdup(a, db_text(st, 10));
		u->disabled_at = arena_strdup(a, db_text(st, 11));
	}
	db_finalize(st);
	return rc;
}

int
user_find_by_hmac(struct ctx *cx, const char *h, struct user *u)
{
	return find(cx, "SELECT " USER_COLS " FROM auth_users "
	    "WHERE email_hmac = ?", h, u);
}

int
user_find_by_id(struct ctx *cx, const char *id, struct user *u)
{
	return find(cx, "SELECT " USER_COLS " FROM auth_users "
	    "WHERE user_id = ?", id, u);
}

bool
user_active(const struct user *u)
{
	return strcmp(u->status, "active") == 0;
}

int
user_exists(struct db *db, const char *id)
{
	return (int)db_scalar(db, "SELECT count(*) FROM auth_users WHERE "
	    "user_id = ?", "s", id);
}

bool
user_insert(struct ctx *cx, const struct user_new *n)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(cx->now, ts);
	return db_exec(cx->db, "INSERT INTO auth_users (user_id, email_hmac, "
	    "email_enc, email_key_id, role, status, password_hash, "
	    "password_changed_at, email_verified_at, created_at, updated_at) "
	    "VALUES (?,?,?,?,?,'active',?,?,?,?,?)", "ssssssssss", n->user_id,
	    n->email_hmac, n->email_enc, n->email_key_id, n->role,
	    n->password_hash, n->password_hash != NULL ? ts : NULL, ts, ts,
	    ts) == DB_OK;
}

bool
user_set_verified(struct ctx *cx, const char *id)
{
	return db_exec(cx->db, "UPDATE auth_users SET email_verified_at = ?, "
	    "updated_at = ? WHERE user_id = ? AND email_verified_at IS NULL",
	    "tts", cx->now, cx->now, id) == DB_OK;
}

bool
user_set_password(struct ctx *cx, const char *id, const char *hash)
{
	return db_exec(cx->db, "UPDATE auth_users SET password_hash = ?, "
	    "password_changed_at = ?, updated_at = ? WHERE user_id = ?",
	    "stts", hash, cx->now, cx->now, id) == DB_OK;
}

bool
user_rehash_password(struct ctx *cx, const char *id, const char *hash)
{
	return db_exec(cx->db, "UPDATE auth_users SET password_hash = ?, "
	    "updated_at = ? WHERE user_id = ?", "sts", hash, cx->now,
	    id) == DB_OK;
}

bool
user_set_role(struct ctx *cx, const char *id, const char *role)
{
	return db_exec(cx->db, "UPDATE auth_users SET role = ?, updated_at = ? "
	    "WHERE user_id = ?", "sts", role, cx->now, id) == DB_OK;
}

bool
user_set_status(struct ctx *cx, const char *id, const char *status)
{
	char ts[TS_STORAGE_LEN];
	bool off = strcmp(status, "disabled") == 0;

	ts_storage(cx->now, ts);
	return db_exec(cx->db, "UPDATE auth_users SET status = ?, "
	    "disabled_at = ?, updated_at = ? WHERE user_id = ?", "ssss", status,
	    off ? ts : NULL, ts, id) == DB_OK;
}

int64_t
user_count_active_superadmins(struct db *db)
{
	return db_scalar(db, "SELECT count(*) FROM auth_users WHERE "
	    "role = 'superadmin' AND status = 'active'", NULL);
}

int
user_is_last_superadmin(struct db *db, const char *id)
{
	int64_t n = db_scalar(db, "SELECT count(*) FROM auth_users WHERE "
	    "user_id = ? AND role = 'superadmin' AND status = 'active' AND "
	    "NOT EXISTS (SELECT 1 FROM auth_users WHERE role = 'superadmin' "
	    "AND status = 'active' AND user_id <> ?)", "ss", id, id);

	return n < 0 ? -1 : n > 0;
}

bool
user_counts(struct ctx *cx, const char *id, int64_t *sessions,
    int64_t *vehicles)
{
	struct db_stmt *st;
	bool ok = false;

	st = db_prep(cx->db, "SELECT (SELECT count(*) FROM auth_sessions WHERE "
	    "user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2), "
	    "(SELECT count(*) FROM vehicles WHERE owner_user_id = ?1 AND "
	    "deleted_at IS NULL)", "st", id, cx->now);
	if (st == NULL)
		return false;
	if (db_step(st) == 1) {
		*sessions = db_int(st, 0);
		*vehicles = db_int(st, 1);
		ok = true;
	}
	db_finalize(st);
	return ok;
}

#define LIST_COLS "user_id, role, status, email_verified_at IS NOT NULL, " \
	"created_at"

json_t *
user_list(struct db *db, const char *email_hmac, int64_t limit,
    int64_t offset)
{
	static const struct col_json cols[] = {
		{ "user_id", col_text },
		{ "role", col_text },
		{ "status", col_text },
		{ "email_verified", col_bool },
		{ "created_at", col_ts },
		{ NULL },
	};
	struct db_stmt *st;

	/* Ties on created_at: the later insert comes first (README). */
	if (email_hmac != NULL)
		st = db_prep(db, "SELECT " LIST_COLS " FROM auth_users "
		    "WHERE email_hmac = ? ORDER BY created_at DESC, seq DESC "
		    "LIMIT ? OFFSET ?", "sii", email_hmac, limit, offset);
	else
		st = db_prep(db, "SELECT " LIST_COLS " FROM auth_users "
		    "ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?",
		    "ii", limit, offset);
	return stmt_rows_json(st, cols, false);
}
