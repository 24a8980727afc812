/* folder.c: see folder.h. */
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/folder.h"
#include "http/response.h"

#define FOLDER_COLS "id, vehicle_id, owner_user_id, addon_key, title, " \
	"created_at, updated_at"

static void
folder_fill(struct db_stmt *st, struct folder *f)
{
	f->id = db_int(st, 0);
	f->vehicle_id = db_dup(st, 1);
	f->owner_user_id = db_dup(st, 2);
	f->addon_key = db_dup(st, 3);
	f->title = db_dup(st, 4);
	f->created_at = db_dup(st, 5);
	f->updated_at = db_dup(st, 6);
}

void
folder_free(struct folder *f)
{
	free(f->vehicle_id);
	free(f->owner_user_id);
	free(f->addon_key);
	free(f->title);
	free(f->created_at);
	free(f->updated_at);
	memset(f, 0, sizeof(*f));
}

int
folder_get(struct db *db, int64_t id, struct folder *f)
{
	struct db_stmt *st;
	int rc;

	memset(f, 0, sizeof(*f));
	st = db_prep(db, "SELECT " FOLDER_COLS " FROM trust_folders "
	    "WHERE id = ?", "i", id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		folder_fill(st, f);
	db_finalize(st);
	return rc;
}

json_t *
folder_out(const struct folder *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "vehicle_id", json_string(f->vehicle_id));
	json_object_set_new(o, "owner_user_id", json_string(f->owner_user_id));
	json_object_set_new(o, "addon_key", json_string(f->addon_key));
	json_object_set_new(o, "title", json_string(f->title));
	json_object_set_new(o, "created_at", ts_json(f->created_at));
	json_object_set_new(o, "updated_at", ts_json(f->updated_at));
	return o;
}

json_t *
folder_list(struct db *db, const char *vehicle_id, const char *key,
    const char *owner)
{
	struct db_stmt *st;
	struct folder f;
	json_t *a;
	int rc;

	/* A NULL owner binds NULL: "? IS NULL" then admits every owner. */
	st = db_prep(db, "SELECT " FOLDER_COLS " FROM trust_folders "
	    "WHERE vehicle_id = ? AND addon_key = ? AND "
	    "(?3 IS NULL OR owner_user_id = ?3) ORDER BY id", "sss",
	    vehicle_id, key, owner);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		memset(&f, 0, sizeof(f));
		folder_fill(st, &f);
		json_array_append_new(a, folder_out(&f));
		folder_free(&f);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int
folder_title_taken(struct db *db, const char *vehicle_id, const char *owner,
    const char *title, int64_t except_id)
{
	struct db_stmt *st;
	int rc;

	st = db_prep(db, "SELECT 1 FROM trust_folders WHERE vehicle_id = ? "
	    "AND owner_user_id = ? AND title = ? AND id <> ?", "sssi",
	    vehicle_id, owner, title, except_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_finalize(st);
	return rc;
}

bool
folder_create(struct db *db, const char *vehicle_id, const char *owner,
    const char *key, const char *title, int64_t now, struct folder *f)
{
	char ts[TS_STORAGE_LEN];
	int64_t id;

	ts_storage(now, ts);
	id = db_scalar(db, "INSERT INTO trust_folders (vehicle_id, owner_user_id, "
	    "addon_key, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
	    "RETURNING id", "ssssss", vehicle_id, owner, key, title, ts, ts);
	if (id <= 0)
		return false;
	return folder_get(db, id, f) == 1;
}

bool
folder_rename(struct db *db, struct folder *f, const char *title, int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	if (db_exec(db, "UPDATE trust_folders SET title = ?, updated_at = ? "
	    "WHERE id = ?", "ssi", title, ts, f->id) != DB_OK)
		return false;
	free(f->title);
	free(f->updated_at);
	f->title = xstrdup(title);
	f->updated_at = xstrdup(ts);
	return true;
}

bool
folder_delete(struct db *db, int64_t id)
{
	return db_exec(db, "DELETE FROM trust_folders WHERE id = ?", "i",
	    id) == DB_OK;
}

/* 1 when any owner has folders for (vehicle, key), 0 not, -1 db error. */
static int
folders_exist(struct db *db, const char *vehicle_id, const char *key)
{
	struct db_stmt *st;
	int rc;

	st = db_prep(db, "SELECT 1 FROM trust_folders WHERE vehicle_id = ? "
	    "AND addon_key = ? LIMIT 1", "ss", vehicle_id, key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_finalize(st);
	return rc;
}

/* A new activation through a folder route (domain.md 9 step 7). */
static bool
activate(struct req *r, const struct addon_target *t)
{
	json_t *m;

	if (!addon_state_activate(r->cx.db, t->vehicle_id, t->addon_key, r->cx.now))
		return false;
	m = json_object();
	json_object_set_new(m, "addon_key", json_string(t->addon_key));
	json_object_set_new(m, "via_folder", json_true());
	return audit(&r->cx, &(struct audit_ev){ .action = "ADDON_ENABLED",
	    .target_type = "VEHICLE", .target_id = t->vehicle_id,
	    .scope = addon_scope(r, t->owner_user_id), .meta = m });
}

bool
folder_gate(struct req *r, const struct addon_target *t)
{
	bool grandfathered;
	int rc;

	/* Data made before the add-on was gated is never locked away. */
	rc = folders_exist(r->cx.db, t->vehicle_id, t->addon_key);
	if (rc < 0 || (rc == 1 && !addon_backfill(r, t))) {
		resp_db_error(r);
		return false;
	}
	rc = addon_gate(r, t, ADDON_STYLE_FOLDER, &grandfathered);
	if (rc <= 0)
		return false;
	if (!grandfathered && !activate(r, t)) {
		resp_db_error(r);
		return false;
	}
	return true;
}
