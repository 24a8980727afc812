/* business.c: see business.h. */
#include <string.h>

#include "store/business.h"
#include "base/clock.h"
#include "store/db.h"
#include "base/util.h"

#define BUSINESS_COLS "business_id, owner_user_id, created_at, approved_at, " \
	"approved_by_user_id"

/* The row under the cursor; a NULL arena borrows the column texts. */
static void
fill(struct db_stmt *st, struct arena *a, struct business *b)
{
	const char *c[5];
	int i;

	for (i = 0; i < 5; i++)
		c[i] = a != NULL ? arena_strdup(a, db_text(st, i)) :
		    db_text(st, i);
	b->business_id = c[0];
	b->owner_user_id = c[1];
	b->created_at = c[2];
	b->approved_at = c[3];
	b->approved_by_user_id = c[4];
}

int
business_find(struct ctx *cx, const char *id, struct business *b)
{
	struct db_stmt *st;
	int rc;

	memset(b, 0, sizeof(*b));
	st = db_prep(cx->db, "SELECT " BUSINESS_COLS " FROM vip_businesses "
	    "WHERE business_id = ?", "s", id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1)
		fill(st, &cx->arena, b);
	db_finalize(st);
	return rc;
}

int
business_exists(struct db *db, const char *id)
{
	return (int)db_scalar(db, "SELECT count(*) FROM vip_businesses WHERE "
	    "business_id = ?", "s", id);
}

bool
business_insert(struct db *db, const char *id, const char *owner, int64_t now)
{
	return db_exec(db, "INSERT INTO vip_businesses (business_id, "
	    "owner_user_id, created_at) VALUES (?,?,?)", "sst", id, owner,
	    now) == DB_OK;
}

bool
business_approve(struct db *db, const char *id, const char *approver,
    int64_t now)
{
	return db_exec(db, "UPDATE vip_businesses SET approved_at = ?, "
	    "approved_by_user_id = ? WHERE business_id = ? AND "
	    "approved_at IS NULL", "tss", now, approver, id) == DB_OK;
}

int64_t
business_staff_count(struct db *db, const char *id)
{
	return db_scalar(db, "SELECT count(*) FROM vip_business_staff WHERE "
	    "business_id = ?", "s", id);
}

int
business_is_staff(struct db *db, const char *id, const char *user_id)
{
	return (int)db_scalar(db, "SELECT count(*) FROM vip_business_staff "
	    "WHERE business_id = ? AND user_id = ?", "ss", id, user_id);
}

bool
business_staff_add(struct db *db, const char *id, const char *user_id,
    int64_t now)
{
	return db_exec(db, "INSERT INTO vip_business_staff (business_id, "
	    "user_id, created_at) VALUES (?,?,?)", "sst", id, user_id,
	    now) == DB_OK;
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
add_staff(struct db *db, json_t *o, const char *id)
{
	struct db_stmt *st;
	json_t *ids;
	int rc;

	st = db_prep(db, "SELECT user_id FROM vip_business_staff WHERE "
	    "business_id = ? ORDER BY created_at, seq", "s", id);
	if (st == NULL)
		return false;
	ids = json_array();
	while ((rc = db_step(st)) == 1)
		json_array_append_new(ids, json_string(db_text(st, 0)));
	db_finalize(st);
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
business_list(struct db *db)
{
	struct db_stmt *st;
	json_t *a;
	int rc;

	/* Ties on created_at: the later insert comes first (README). */
	st = db_prep(db, "SELECT " BUSINESS_COLS " FROM vip_businesses "
	    "ORDER BY created_at DESC, seq DESC", NULL);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		struct business b;
		json_t *o = json_object();

		/* Borrowed texts: used before the next step. */
		fill(st, NULL, &b);
		set_fields(o, &b);
		json_array_append_new(a, o);
		if (!add_staff(db, o, b.business_id)) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}
