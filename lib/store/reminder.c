/* reminder.c: see reminder.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/reminder.h"

#define REMINDER_COLS "r.id, r.vehicle_id, r.owner_user_id, r.title, " \
	"r.note, r.due_date, r.due_km, r.recur_months, r.recur_km, " \
	"r.status, r.done_entry_id, r.created_at, r.updated_at, " \
	"r.closed_at, r.seq, (SELECT max(e.km) FROM vehicle_entries e " \
	"WHERE e.vehicle_id = r.vehicle_id AND e.is_latest = 1), " \
	"v.meta_json, v.vin_prefix3, v.vin_last4 FROM reminders r " \
	"JOIN vehicles v ON v.public_id = r.vehicle_id"

#define REMINDER_ID_MAX	128

static const char *
col(struct ctx *cx, struct db_stmt *st, int i)
{
	return arena_strdup(&cx->arena, db_text(st, i));
}

static struct opt_int
col_int(struct db_stmt *st, int i)
{
	struct opt_int o = { !db_isnull(st, i), 0 };

	if (o.set)
		o.v = db_int(st, i);
	return o;
}

static void
reminder_row(struct ctx *cx, struct db_stmt *st, struct reminder *rm)
{
	memset(rm, 0, sizeof(*rm));
	rm->id = col(cx, st, 0);
	rm->vehicle_id = col(cx, st, 1);
	rm->owner_user_id = col(cx, st, 2);
	rm->title = col(cx, st, 3);
	rm->note = col(cx, st, 4);
	rm->due_date = col(cx, st, 5);
	rm->due_km = col_int(st, 6);
	rm->recur_months = col_int(st, 7);
	rm->recur_km = col_int(st, 8);
	rm->status = col(cx, st, 9);
	rm->done_entry_id = col(cx, st, 10);
	rm->created_at = col(cx, st, 11);
	rm->updated_at = col(cx, st, 12);
	rm->closed_at = col(cx, st, 13);
	rm->seq = db_int(st, 14);
	rm->current_km = col_int(st, 15);
	rm->vehicle_meta_json = col(cx, st, 16);
	rm->vehicle_vin3 = col(cx, st, 17);
	rm->vehicle_vin4 = col(cx, st, 18);
}

int64_t
reminder_list(struct ctx *cx, const struct reminder_query *q,
    struct reminder **out)
{
	struct reminder *v = NULL;
	struct db_stmt *st;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	if (q->vehicle_id != NULL)
		st = db_prep(cx->db, "SELECT " REMINDER_COLS " WHERE "
		    "r.vehicle_id = ? AND (? = 0 OR r.status = 'open') "
		    "ORDER BY r.seq", "sd", q->vehicle_id, (int)q->open_only);
	else
		st = db_prep(cx->db, "SELECT " REMINDER_COLS " WHERE "
		    "v.owner_user_id = ? AND v.deleted_at IS NULL AND "
		    "(? = 0 OR r.status = 'open') ORDER BY r.seq", "sd",
		    q->owner_user_id, (int)q->open_only);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == 1) {
		if (n == cap) {
			struct reminder *nv;

			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(&cx->arena, cap * sizeof(*nv));
			if (n > 0)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		reminder_row(cx, st, &v[n++]);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	*out = v;
	return (int64_t)n;
}

int
reminder_find(struct ctx *cx, const char *vehicle_id, const char *id,
    struct reminder *rm)
{
	struct db_stmt *st;
	int rc;

	memset(rm, 0, sizeof(*rm));
	if (id == NULL || strlen(id) > REMINDER_ID_MAX)
		return 0;
	st = db_prep(cx->db, "SELECT " REMINDER_COLS " WHERE r.id = ? AND "
	    "r.vehicle_id = ?", "ss", id, vehicle_id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1)
		reminder_row(cx, st, rm);
	db_finalize(st);
	return rc;
}

static bool
reminder_audit(struct ctx *cx, const struct reminder *rm, const char *action,
    const char *scope, json_t *meta)
{
	if (meta == NULL)
		meta = json_object();
	json_object_set_new(meta, "vehicle_id", json_string(rm->vehicle_id));
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "REMINDER", .target_id = rm->id, .scope = scope,
	    .meta = meta });
}

/* 'i' bindings of an optional column: the value, or 0 with set = 0. */
#define OPT(o)	(int)(o).set, (o).v

bool
reminder_insert(struct ctx *cx, struct reminder *rm, const char *scope)
{
	char id[UUID_LEN], ts[TS_STORAGE_LEN];

	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	ts_storage(cx->now, ts);
	if (db_exec(cx->db, "INSERT INTO reminders (id, vehicle_id, "
	    "owner_user_id, title, note, due_date, due_km, recur_months, "
	    "recur_km, status, created_at, updated_at) VALUES (?,?,?,?,?,?,"
	    "CASE WHEN ? = 1 THEN ? END, CASE WHEN ? = 1 THEN ? END, "
	    "CASE WHEN ? = 1 THEN ? END, 'open', ?, ?)", "ssssssdididiss",
	    id, rm->vehicle_id, rm->owner_user_id, rm->title, rm->note,
	    rm->due_date, OPT(rm->due_km), OPT(rm->recur_months),
	    OPT(rm->recur_km), ts, ts) != DB_OK)
		return false;
	rm->id = arena_strdup(&cx->arena, id);
	rm->status = "open";
	rm->created_at = rm->updated_at = arena_strdup(&cx->arena, ts);
	rm->closed_at = rm->done_entry_id = NULL;
	return reminder_audit(cx, rm, "REMINDER_CREATED", scope, NULL);
}

int
reminder_update(struct ctx *cx, struct reminder *rm, const char *scope,
    json_t *changed)
{
	char ts[TS_STORAGE_LEN];
	json_t *meta;

	ts_storage(cx->now, ts);
	if (db_exec(cx->db, "UPDATE reminders SET title = ?, note = ?, "
	    "due_date = ?, due_km = CASE WHEN ? = 1 THEN ? END, recur_months = "
	    "CASE WHEN ? = 1 THEN ? END, recur_km = CASE WHEN ? = 1 THEN ? END, "
	    "updated_at = ? WHERE id = ? AND status = 'open'", "sssdididiss",
	    rm->title, rm->note, rm->due_date, OPT(rm->due_km),
	    OPT(rm->recur_months), OPT(rm->recur_km), ts, rm->id) != DB_OK) {
		json_decref(changed);
		return -1;
	}
	if (db_changes(cx->db) == 0) {
		json_decref(changed);
		return 0;
	}
	rm->updated_at = arena_strdup(&cx->arena, ts);
	meta = json_object();
	json_object_set_new(meta, "changed", changed);
	return reminder_audit(cx, rm, "REMINDER_UPDATED", scope, meta) ? 1 : -1;
}

int
reminder_close(struct ctx *cx, struct reminder *rm, const char *status,
    const char *done_entry_id, const char *scope)
{
	char ts[TS_STORAGE_LEN];
	bool done = strcmp(status, "done") == 0;

	ts_storage(cx->now, ts);
	if (db_exec(cx->db, "UPDATE reminders SET status = ?, done_entry_id = ?, "
	    "closed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'",
	    "sssss", status, done_entry_id, ts, ts, rm->id) != DB_OK)
		return -1;
	if (db_changes(cx->db) == 0)
		return 0;
	rm->status = done ? "done" : "dismissed";
	rm->done_entry_id = arena_strdup(&cx->arena, done_entry_id);
	rm->closed_at = rm->updated_at = arena_strdup(&cx->arena, ts);
	return reminder_audit(cx, rm, done ? "REMINDER_DONE" :
	    "REMINDER_DISMISSED", scope, NULL) ? 1 : -1;
}

bool
reminder_move_owner(struct ctx *cx, const char *vehicle_id, const char *to,
    int64_t *moved)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(cx->now, ts);
	*moved = 0;
	if (db_exec(cx->db, "UPDATE reminders SET owner_user_id = ?, "
	    "updated_at = ? WHERE vehicle_id = ? AND status = 'open'", "sss",
	    to, ts, vehicle_id) != DB_OK)
		return false;
	*moved = db_changes(cx->db);
	return true;
}

int
reminder_entry_base(struct ctx *cx, const char *vehicle_id,
    const char *entry_id, char date[11], int64_t *km)
{
	struct db_stmt *st;
	const char *d;
	int rc;

	if (entry_id == NULL || strlen(entry_id) > REMINDER_ID_MAX)
		return 0;
	st = db_prep(cx->db, "SELECT entry_date, km FROM vehicle_entries WHERE "
	    "id = ? AND vehicle_id = ? AND is_latest = 1", "ss", entry_id,
	    vehicle_id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1) {
		d = db_text(st, 0);
		snprintf(date, 11, "%s", d != NULL ? d : "");
		*km = db_int(st, 1);
	}
	db_finalize(st);
	return rc;
}
