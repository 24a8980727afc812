/* admin_users.c: see admin_users.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/admin_users.h"
#include "base/clock.h"
#include "store/db.h"
#include "domain/email.h"
#include "base/util.h"

#define USER_COLS "user_id, role, status, email_verified_at IS NOT NULL, " \
	"created_at"

const char *const admin_roles[] = {
	"public", "user", "vip", "dealer", "moderator", "admin", "superadmin",
	NULL,
};

bool
admin_email_key(const char *raw, char out[B64URL_HMAC_LEN])
{
	struct arena a = { 0 };
	const char *s;
	size_t n;
	bool ok;

	if (raw == NULL)
		return false;
	/* The login rules: trim, ASCII-lowercase, then the plausibility check. */
	s = email_normalise(&a, raw);
	n = utf8_count(s, strlen(s));
	ok = n >= EMAIL_MIN && n <= EMAIL_MAX && email_plausible(s);
	if (ok)
		email_hmac(s, out);
	arena_free(&a);
	return ok;
}

int
admin_user_get(struct db *db, const char *user_id, char role[33],
    char status[16])
{
	struct db_stmt *st;
	int rc;

	st = db_prep(db, "SELECT role, status FROM auth_users WHERE "
	    "user_id = ?", "s", user_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		snprintf(role, 33, "%s", db_text(st, 0));
		snprintf(status, 16, "%s", db_text(st, 1));
	}
	db_finalize(st);
	return rc;
}

int64_t
admin_superadmins_active(struct db *db, const char *except_id)
{
	return db_scalar(db, "SELECT count(*) FROM auth_users WHERE role = "
	    "'superadmin' AND status = 'active' AND user_id IS NOT ?", "s",
	    except_id);
}

bool
admin_user_set_role(struct db *db, const char *user_id, const char *role,
    int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "UPDATE auth_users SET role = ?, updated_at = ? "
	    "WHERE user_id = ?", "sss", role, ts, user_id) == DB_OK;
}

json_t *
admin_user_list(struct db *db, const char *email_hmac, int64_t limit,
    int64_t offset)
{
	struct db_stmt *st;
	json_t *a;
	char api[TS_API_LEN];
	int rc;

	/* Ties on created_at: the later insert comes first (README). */
	if (email_hmac != NULL)
		st = db_prep(db, "SELECT " USER_COLS " FROM auth_users "
		    "WHERE email_hmac = ? ORDER BY created_at DESC, seq DESC "
		    "LIMIT ? OFFSET ?", "sii", email_hmac, limit, offset);
	else
		st = db_prep(db, "SELECT " USER_COLS " FROM auth_users "
		    "ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?",
		    "ii", limit, offset);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		json_t *o = json_object();

		json_object_set_new(o, "user_id", json_string(db_text(st, 0)));
		json_object_set_new(o, "role", json_string(db_text(st, 1)));
		json_object_set_new(o, "status", json_string(db_text(st, 2)));
		json_object_set_new(o, "email_verified",
		    json_boolean(db_int(st, 3) != 0));
		json_object_set_new(o, "created_at",
		    ts_to_api(db_text(st, 4), api) ? json_string(api) :
		    json_null());
		json_array_append_new(a, o);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}
