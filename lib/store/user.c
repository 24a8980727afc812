/* user.c: see user.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "store/db.h"
#include "domain/email.h"
#include "store/user.h"
#include "base/util.h"

#define USER_COLS "user_id, email_hmac, role, status, email_enc, " \
	"email_key_id, password_hash, password_changed_at, " \
	"email_verified_at, created_at, updated_at, disabled_at"

static const char *const roles[] = { "public", "user", "vip", "dealer",
	"moderator", "admin", "superadmin", NULL };

bool
user_role_valid(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && roles[i] != NULL; i++)
		if (strcmp(s, roles[i]) == 0)
			return true;
	return false;
}

static int
find(struct db *db, const char *sql, const char *key, struct user *u)
{
	struct db_stmt *st;
	int rc;

	memset(u, 0, sizeof(*u));
	if ((st = db_prep(db, sql, "s", key)) == NULL)
		return -1;
	if ((rc = db_step(st)) == 1) {
		snprintf(u->user_id, sizeof(u->user_id), "%s", db_text(st, 0));
		snprintf(u->email_hmac, sizeof(u->email_hmac), "%s",
		    db_text(st, 1));
		snprintf(u->role, sizeof(u->role), "%s", db_text(st, 2));
		snprintf(u->status, sizeof(u->status), "%s", db_text(st, 3));
		u->email_enc = db_dup(st, 4);
		u->email_key_id = db_dup(st, 5);
		u->password_hash = db_dup(st, 6);
		u->password_changed_at = db_dup(st, 7);
		u->email_verified_at = db_dup(st, 8);
		u->created_at = db_dup(st, 9);
		u->updated_at = db_dup(st, 10);
		u->disabled_at = db_dup(st, 11);
	}
	db_finalize(st);
	return rc;
}

int
user_find_by_hmac(struct db *db, const char *h, struct user *u)
{
	return find(db, "SELECT " USER_COLS " FROM auth_users "
	    "WHERE email_hmac = ?", h, u);
}

int
user_find_by_id(struct db *db, const char *id, struct user *u)
{
	return find(db, "SELECT " USER_COLS " FROM auth_users "
	    "WHERE user_id = ?", id, u);
}

void
user_free(struct user *u)
{
	if (u->password_hash != NULL)
		explicit_bzero(u->password_hash, strlen(u->password_hash));
	free(u->password_hash);
	free(u->email_enc);
	free(u->email_key_id);
	free(u->password_changed_at);
	free(u->email_verified_at);
	free(u->created_at);
	free(u->updated_at);
	free(u->disabled_at);
	memset(u, 0, sizeof(*u));
}

bool
user_active(const struct user *u)
{
	return strcmp(u->status, "active") == 0;
}

bool
user_create(struct db *db, int64_t now, const char *email, const char *role,
    const char *password_hash, char id[UUID_LEN])
{
	char h[B64URL_HMAC_LEN], ts[TS_STORAGE_LEN], key_id[17];
	char *aad, *enc;
	bool ok;

	if (!uuid4(id))
		return false;
	email_hmac(email, h);
	aad = xasprintf("ltc:email:%s", id);
	enc = email_encrypt(email, aad, key_id);
	free(aad);
	if (enc == NULL)
		return false;
	ts_storage(now, ts);
	ok = db_exec(db, "INSERT INTO auth_users (user_id, email_hmac, "
	    "email_enc, email_key_id, role, status, password_hash, "
	    "password_changed_at, email_verified_at, created_at, updated_at) "
	    "VALUES (?,?,?,?,?,'active',?,?,?,?,?)", "ssssssssss", id, h, enc,
	    key_id, role, password_hash, password_hash != NULL ? ts : NULL,
	    ts, ts, ts) == DB_OK;
	free(enc);
	return ok;
}

bool
user_set_verified(struct db *db, int64_t now, const char *id)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "UPDATE auth_users SET email_verified_at = ?, "
	    "updated_at = ? WHERE user_id = ? AND email_verified_at IS NULL",
	    "sss", ts, ts, id) == DB_OK;
}

bool
user_set_password(struct db *db, int64_t now, const char *id, const char *hash)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "UPDATE auth_users SET password_hash = ?, "
	    "password_changed_at = ?, updated_at = ? WHERE user_id = ?",
	    "ssss", hash, ts, ts, id) == DB_OK;
}

bool
user_rehash_password(struct db *db, int64_t now, const char *id,
    const char *hash)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "UPDATE auth_users SET password_hash = ?, "
	    "updated_at = ? WHERE user_id = ?", "sss", hash, ts, id) == DB_OK;
}

bool
user_set_role(struct db *db, int64_t now, const char *id, const char *role)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "UPDATE auth_users SET role = ?, updated_at = ? "
	    "WHERE user_id = ?", "sss", role, ts, id) == DB_OK;
}

bool
user_set_status(struct db *db, int64_t now, const char *id, const char *status)
{
	char ts[TS_STORAGE_LEN];
	bool off = strcmp(status, "disabled") == 0;

	ts_storage(now, ts);
	return db_exec(db, "UPDATE auth_users SET status = ?, disabled_at = ?, "
	    "updated_at = ? WHERE user_id = ?", "ssss", status,
	    off ? ts : NULL, ts, id) == DB_OK;
}

int64_t
user_count_active_superadmins(struct db *db)
{
	return db_scalar(db, "SELECT count(*) FROM auth_users WHERE "
	    "role = 'superadmin' AND status = 'active'", NULL);
}

int
user_is_last_superadmin(struct db *db, const struct user *u)
{
	int64_t n;

	if (strcmp(u->role, "superadmin") != 0 || !user_active(u))
		return 0;
	if ((n = user_count_active_superadmins(db)) < 0)
		return -1;
	return n <= 1;
}

int
user_bootstrap(struct db *db, int64_t now, const char *id, const char *email)
{
	const char *want = cfg.bootstrap_superadmin_email;
	char *norm;
	int64_t n;
	bool match;

	if (want == NULL || want[0] == '\0' || email == NULL)
		return 0;
	norm = str_trim_dup(want);
	str_lower_ascii(norm);
	match = strcmp(norm, email) == 0;
	free(norm);
	if (!match)
		return 0;
	if ((n = user_count_active_superadmins(db)) < 0)
		return -1;
	if (n > 0)
		return 0;
	return user_set_role(db, now, id, "superadmin") ? 1 : -1;
}

bool
user_counts(struct db *db, int64_t now, const char *id, int64_t *sessions,
    int64_t *vehicles)
{
	char ts[TS_STORAGE_LEN];
	struct db_stmt *st;
	bool ok = false;

	ts_storage(now, ts);
	st = db_prep(db, "SELECT (SELECT count(*) FROM auth_sessions WHERE "
	    "user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2), "
	    "(SELECT count(*) FROM vehicles WHERE owner_user_id = ?1 AND "
	    "deleted_at IS NULL)", "ss", id, ts);
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
