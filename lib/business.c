/* business.c: see business.h. */
#include <stdlib.h>
#include <string.h>

#include "business.h"
#include "clock.h"
#include "db.h"
#include "util.h"

#define BUSINESS_COLS "business_id, owner_user_id, created_at, approved_at, " \
	"approved_by_user_id"

static void
fill(sqlite3_stmt *st, struct business *b)
{
	b->business_id = db_dup(st, 0);
	b->owner_user_id = db_dup(st, 1);
	b->created_at = db_dup(st, 2);
	b->approved_at = db_dup(st, 3);
	b->approved_by_user_id = db_dup(st, 4);
}

void
business_free(struct business *b)
{
	free(b->business_id);
	free(b->owner_user_id);
	free(b->created_at);
	free(b->approved_at);
	free(b->approved_by_user_id);
	memset(b, 0, sizeof(*b));
}

int
business_find(sqlite3 *db, const char *id, struct business *b)
{
	sqlite3_stmt *st;
	int rc;

	memset(b, 0, sizeof(*b));
	st = db_prep(db, "SELECT " BUSINESS_COLS " FROM vip_businesses "
	    "WHERE business_id = ?", "s", id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1)
		fill(st, b);
	sqlite3_finalize(st);
	return rc;
}

bool
business_insert(sqlite3 *db, const char *id, const char *owner, int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "INSERT INTO vip_businesses (business_id, "
	    "owner_user_id, created_at) VALUES (?,?,?)", "sss", id, owner,
	    ts) == DB_OK;
}

bool
business_approve(sqlite3 *db, const char *id, const char *approver,
    int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "UPDATE vip_businesses SET approved_at = ?, "
	    "approved_by_user_id = ? WHERE business_id = ? AND "
	    "approved_at IS NULL", "sss", ts, approver, id) == DB_OK;
}

int64_t
business_staff_count(sqlite3 *db, const char *id)
{
	return db_scalar(db, "SELECT count(*) FROM vip_business_staff WHERE "
	    "business_id = ?", "s", id);
}

int
business_is_staff(sqlite3 *db, const char *id, const char *user_id)
{
	return (int)db_scalar(db, "SELECT count(*) FROM vip_business_staff "
	    "WHERE business_id = ? AND user_id = ?", "ss", id, user_id);
}

bool
business_staff_add(sqlite3 *db, const char *id, const char *user_id,
    int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "INSERT INTO vip_business_staff (business_id, "
	    "user_id, created_at) VALUES (?,?,?)", "sss", id, user_id,
	    ts) == DB_OK;
}

static json_t *
ts_json(const char *stored)
{
	char api[TS_API_LEN];

	if (stored == NULL || !ts_to_api(stored, api))
		return json_null();
	return json_string(api);
}

/* The fields shared by api.md 14.2 and 14.6. */
static void
set_fields(json_t *o, const struct business *b)
{
	json_object_set_new(o, "business_id", json_string(b->business_id));
	json_object_set_new(o, "owner_user_id", json_string(b->owner_user_id));
	json_object_set_new(o, "approved", json_boolean(b->approved_at != NULL));
	json_object_set_new(o, "created_at", ts_json(b->created_at));
	json_object_set_new(o, "approved_at", ts_json(b->approved_at));
	json_object_set_new(o, "approved_by_user_id",
	    b->approved_by_user_id != NULL ?
	    json_string(b->approved_by_user_id) : json_null());
}

json_t *
business_out(const struct business *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "ok", json_true());
	set_fields(o, b);
	return o;
}

/* Appends the staff of b (in the order added) to o; false on error. */
static bool
add_staff(sqlite3_stmt *st, json_t *o, const char *id)
{
	json_t *ids = json_array();
	int rc;

	sqlite3_reset(st);
	if (sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		db_set_status(DB_ERROR);
		json_decref(ids);
		return false;
	}
	while ((rc = db_step(st)) == 1)
		json_array_append_new(ids, json_string(db_text(st, 0)));
	if (rc < 0) {
		json_decref(ids);
		return false;
	}
	json_object_set_new(o, "staff_count",
	    json_integer((json_int_t)json_array_size(ids)));
	json_object_set_new(o, "staff_user_ids", ids);
	return true;
}

json_t *
business_list(sqlite3 *db)
{
	sqlite3_stmt *st, *staff;
	json_t *a;
	int rc;

	staff = db_prep(db, "SELECT user_id FROM vip_business_staff WHERE "
	    "business_id = ? ORDER BY created_at, rowid", NULL);
	if (staff == NULL)
		return NULL;
	/* Ties on created_at: the later insert comes first (README). */
	st = db_prep(db, "SELECT " BUSINESS_COLS " FROM vip_businesses "
	    "ORDER BY created_at DESC, rowid DESC", NULL);
	if (st == NULL) {
		sqlite3_finalize(staff);
		return NULL;
	}
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		struct business b = { 0 };
		json_t *o = json_object();

		fill(st, &b);
		set_fields(o, &b);
		json_array_append_new(a, o);
		if (!add_staff(staff, o, b.business_id))
			rc = -1;
		business_free(&b);
		if (rc < 0)
			break;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(staff);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}
