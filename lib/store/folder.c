/* folder.c: see folder.h. */
#include <string.h>

#include "base/clock.h"
#include "store/db.h"
#include "store/folder.h"

#define FOLDER_COLS "id, vehicle_id, owner_user_id, addon_key, title, " \
	"created_at, updated_at"

static void
folder_fill(struct arena *a, struct db_stmt *st, struct folder *f)
{
	f->id = db_int(st, 0);
	f->vehicle_id = arena_strdup(a, db_text(st, 1));
	f->owner_user_id = arena_strdup(a, db_text(st, 2));
	f->addon_key = arena_strdup(a, db_text(st, 3));
	f->title = arena_strdup(a, db_text(st, 4));
	f->created_at = arena_strdup(a, db_text(st, 5));
	f->updated_at = arena_strdup(a, db_text(st, 6));
}

int
folder_get(struct ctx *cx, int64_t id, struct folder *f)
{
	struct db_stmt *st;
	int rc;

	memset(f, 0, sizeof(*f));
	st = db_prep(cx->db, "SELECT " FOLDER_COLS " FROM trust_folders "
	    "WHERE id = ?", "i", id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		folder_fill(&cx->arena, st, f);
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
	struct arena rows = { 0 };
	struct db_stmt *st;
	struct folder f;
	json_t *a;
	int rc;

	/* A NULL owner binds NULL: "? IS NULL" then admits every owner. */
	st = db_prep(db, "SELECT " FOLDER_COLS " FROM trust_folders "
	    "WHERE vehicle_id = ? AND addon_key = ? AND "
	    "(? IS NULL OR owner_user_id = ?) ORDER BY id", "ssss",
	    vehicle_id, key, owner, owner);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		folder_fill(&rows, st, &f);
		json_array_append_new(a, folder_out(&f));
		arena_free(&rows);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int
folder_any(struct db *db, const char *vehicle_id, const char *key)
{
	return (int)db_scalar(db, "SELECT 1 FROM trust_folders WHERE "
	    "vehicle_id = ? AND addon_key = ? LIMIT 1", "ss", vehicle_id, key);
}

int
folder_title_taken(struct db *db, const char *vehicle_id, const char *owner,
    const char *title, int64_t except_id)
{
	return (int)db_scalar(db, "SELECT 1 FROM trust_folders WHERE "
	    "vehicle_id = ? AND owner_user_id = ? AND title = ? AND id <> ?",
	    "sssi", vehicle_id, owner, title, except_id);
}

bool
folder_create(struct ctx *cx, const char *vehicle_id, const char *key,
    const char *title, struct folder *f)
{
	int64_t id;

	memset(f, 0, sizeof(*f));
	id = db_scalar(cx->db, "INSERT INTO trust_folders (vehicle_id, "
	    "owner_user_id, addon_key, title, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?, ?) RETURNING id", "sssstt", vehicle_id,
	    cx->actor.user_id, key, title, cx->now, cx->now);
	if (id <= 0)
		return false;
	return folder_get(cx, id, f) == 1;
}

bool
folder_rename(struct ctx *cx, struct folder *f, const char *title)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(cx->now, ts);
	if (db_exec(cx->db, "UPDATE trust_folders SET title = ?, updated_at = ? "
	    "WHERE id = ?", "ssi", title, ts, f->id) != DB_OK)
		return false;
	f->title = arena_strdup(&cx->arena, title);
	f->updated_at = arena_strdup(&cx->arena, ts);
	return true;
}

bool
folder_delete(struct db *db, int64_t id)
{
	return db_exec(db, "DELETE FROM trust_folders WHERE id = ?", "i",
	    id) == DB_OK;
}

struct moving {
	int64_t		 id;
	const char	*title;
	struct moving	*next;
};

bool
folder_move_owner(struct ctx *cx, const char *vehicle_id, const char *to,
    int64_t *moved)
{
	struct moving *head = NULL, **tail = &head, *m;
	struct db_stmt *st;
	int64_t taken;
	int rc;

	st = db_prep(cx->db, "SELECT id, title FROM trust_folders WHERE "
	    "vehicle_id = ? AND owner_user_id <> ? ORDER BY id", "ss",
	    vehicle_id, to);
	if (st == NULL)
		return false;
	while ((rc = db_step(st)) == 1) {
		m = arena_alloc(&cx->arena, sizeof(*m));
		m->id = db_int(st, 0);
		m->title = arena_strdup(&cx->arena, db_text(st, 1));
		*tail = m;
		tail = &m->next;
	}
	db_finalize(st);
	if (rc < 0)
		return false;

	for (m = head; m != NULL; m = m->next) {
		const char *title = m->title;
		int n = 2;

		while ((taken = folder_title_taken(cx->db, vehicle_id, to, title,
		    0)) == 1)
			title = arena_printf(&cx->arena, "%s (%d)", m->title,
			    n++);
		if (taken < 0)
			return false;
		if (db_exec(cx->db, "UPDATE trust_folders SET "
		    "owner_user_id = ?, title = ?, updated_at = ? WHERE id = ?",
		    "ssti", to, title, cx->now, m->id) != DB_OK)
			return false;
		(*moved)++;
	}
	return true;
}
