/* vehicle.c: see vehicle.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/handover.h"
#include "store/vehicle.h"

#define VEHICLE_COLS "id, public_id, owner_user_id, vin_prefix3, vin_last4, " \
	"vin_hmac, meta_json, created_at, updated_at, deleted_at, " \
	"deleted_by_user_id, delete_reason, delete_comment"

static const char *
col(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_text(st, i));
}

/* Fills v from the current row of a statement selecting VEHICLE_COLS. */
static void
vehicle_row(struct arena *a, struct db_stmt *st, struct vehicle *v)
{
	v->id = db_int(st, 0);
	v->public_id = col(a, st, 1);
	v->owner_user_id = col(a, st, 2);
	v->vin_prefix3 = col(a, st, 3);
	v->vin_last4 = col(a, st, 4);
	v->vin_hmac = col(a, st, 5);
	v->meta_json = col(a, st, 6);
	v->created_at = col(a, st, 7);
	v->updated_at = col(a, st, 8);
	v->deleted_at = col(a, st, 9);
	v->deleted_by_user_id = col(a, st, 10);
	v->delete_reason = col(a, st, 11);
	v->delete_comment = col(a, st, 12);
}

int
vehicle_find(struct ctx *cx, const char *public_id, struct vehicle *v)
{
	struct db_stmt *st;
	int rc;

	memset(v, 0, sizeof(*v));
	if (public_id == NULL || strlen(public_id) > VEHICLE_ID_MAX)
		return 0;
	st = db_prep(cx->db, "SELECT " VEHICLE_COLS " FROM vehicles "
	    "WHERE public_id = ?", "s", public_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		vehicle_row(&cx->arena, st, v);
	db_finalize(st);
	return rc;
}

json_t *
vehicle_meta(const struct vehicle *v)
{
	json_t *m;

	if (v->meta_json == NULL)
		return NULL;
	m = json_loads(v->meta_json, 0, NULL);
	if (m != NULL && (!json_is_object(m) || json_object_size(m) == 0)) {
		json_decref(m);
		m = NULL;
	}
	return m;
}

json_t *
vehicle_out(const struct vehicle *v)
{
	json_t *o = json_object(), *meta = vehicle_meta(v), *nick = NULL;
	char masked[16];

	if (v->vin_prefix3 != NULL && v->vin_last4 != NULL &&
	    strlen(v->vin_prefix3) == 3 && strlen(v->vin_last4) == 4)
		snprintf(masked, sizeof(masked), "%s***%s", v->vin_prefix3,
		    v->vin_last4);
	else
		masked[0] = '\0';
	if (meta != NULL)
		nick = json_object_get(meta, "nickname");
	json_object_set_new(o, "id", json_string(v->public_id));
	json_object_set_new(o, "vin_masked", json_string(masked));
	json_object_set_new(o, "nickname", json_is_string(nick) ?
	    json_incref(nick) : json_null());
	json_object_set_new(o, "meta", meta != NULL ? meta : json_null());
	json_object_set_new(o, "owner_user_id", json_string(v->owner_user_id));
	json_object_set_new(o, "created_at", ts_json(v->created_at));
	json_object_set_new(o, "updated_at", ts_json(v->updated_at));
	json_object_set_new(o, "deleted_at", ts_json(v->deleted_at));
	return o;
}

const char *
vehicle_vin_masked(struct ctx *cx, const struct vehicle *v)
{
	if (v->vin_prefix3 == NULL || v->vin_last4 == NULL ||
	    strlen(v->vin_prefix3) != 3 || strlen(v->vin_last4) != 4)
		return "";
	return arena_printf(&cx->arena, "%s***%s", v->vin_prefix3,
	    v->vin_last4);
}

int64_t
vehicle_count_active(struct db *db, const char *user_id)
{
	return db_scalar(db, "SELECT count(*) FROM vehicles WHERE "
	    "owner_user_id = ? AND deleted_at IS NULL", "s", user_id);
}

int
vehicle_limit_reached(struct db *db, const char *user_id, enum role role)
{
	int64_t slots, owned;

	if (role != ROLE_USER)
		return 0;
	/* quantity >= 1 (schema), so 0 means no entitlement row. */
	slots = db_scalar(db, "SELECT quantity FROM account_entitlements WHERE "
	    "user_id = ? AND addon_key = 'vehicle_slots' AND enabled = 1", "s",
	    user_id);
	if (slots < 0)
		return -1;
	owned = vehicle_count_active(db, user_id);
	if (owned < 0)
		return -1;
	return owned >= 1 + slots ? 1 : 0;
}

const char *
vehicle_scope(const struct ctx *cx, const struct vehicle *v)
{
	return str_eq(v->owner_user_id, cx->actor.user_id) ? "own" : "global";
}

/* meta_json text of a meta object; NULL for none. Caller frees. */
static char *
meta_text(const json_t *meta)
{
	if (meta == NULL || !json_is_object(meta) || json_object_size(meta) == 0)
		return NULL;
	return json_dumps(meta, JSON_COMPACT);
}

/* Names of the keys set in meta, for the audit row; NULL when none. */
static json_t *
meta_keys(const json_t *meta)
{
	const char *k;
	json_t *a, *x;

	if (meta == NULL || json_object_size(meta) == 0)
		return NULL;
	a = json_array();
	json_object_foreach((json_t *)meta, k, x)
		json_array_append_new(a, json_string(k));
	return a;
}

int
vehicle_create(struct ctx *cx, const char *prefix3, const char *last4,
    const char *hmac, const json_t *meta, struct vehicle *out)
{
	char id[UUID_LEN], ts[TS_STORAGE_LEN];
	json_t *am = NULL, *keys;
	enum db_status s;
	char *mt;
	int lim;

	memset(out, 0, sizeof(*out));
	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return -1;
	}
	ts_storage(cx->now, ts);
	lim = vehicle_limit_reached(cx->db, cx->actor.user_id, cx->actor.role);
	if (lim != 0)
		return lim > 0 ? 0 : -1;
	mt = meta_text(meta);
	s = db_exec(cx->db, "INSERT INTO vehicles (public_id, owner_user_id, "
	    "vin_prefix3, vin_last4, vin_hmac, meta_json, created_at, "
	    "updated_at) VALUES (?,?,?,?,?,?,?,?)", "ssssssss", id,
	    cx->actor.user_id, prefix3, last4, hmac, mt, ts, ts);
	free(mt);
	if (s != DB_OK)
		return -1;
	if ((keys = meta_keys(meta)) != NULL) {
		am = json_object();
		json_object_set_new(am, "meta_keys", keys);
	}
	/* audit() takes the metadata whatever it returns. */
	if (!audit(cx, &(struct audit_ev){ .action = "VEHICLE_CREATED",
	    .target_type = "VEHICLE", .target_id = id, .scope = "own",
	    .meta = am }) ||
	    vehicle_find(cx, id, out) != 1)
		return -1;
	return 1;
}

bool
vehicle_set_meta(struct ctx *cx, struct vehicle *v, const json_t *meta,
    json_t *changed)
{
	char ts[TS_STORAGE_LEN];
	json_t *am = json_object();
	char *mt = meta_text(meta);

	ts_storage(cx->now, ts);
	json_object_set_new(am, "changed_keys", changed);
	if (db_exec(cx->db, "UPDATE vehicles SET meta_json = ?, updated_at = ? "
	    "WHERE id = ?", "ssi", mt, ts, v->id) != DB_OK) {
		json_decref(am);
		free(mt);
		return false;
	}
	if (!audit(cx, &(struct audit_ev){ .action = "VEHICLE_UPDATED",
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = vehicle_scope(cx, v), .meta = am })) {
		free(mt);
		return false;
	}
	v->meta_json = arena_strdup(&cx->arena, mt);
	v->updated_at = arena_strdup(&cx->arena, ts);
	free(mt);
	return true;
}

int
vehicle_soft_delete(struct ctx *cx, struct vehicle *v, const char *reason,
    const char *comment)
{
	char ts[TS_STORAGE_LEN];
	json_t *am;

	ts_storage(cx->now, ts);
	if (db_exec(cx->db, "UPDATE vehicles SET deleted_at = ?, "
	    "deleted_by_user_id = ?, delete_reason = ?, delete_comment = ? "
	    "WHERE id = ? AND deleted_at IS NULL", "ssssi", ts,
	    cx->actor.user_id, reason, comment, v->id) != DB_OK)
		return -1;
	if (db_changes(cx->db) == 0)
		return 0;
	if (handover_cancel_vehicle(cx, v->public_id, vehicle_scope(cx, v)) < 0)
		return -1;
	/* The comment is private free text: never audited. */
	am = json_object();
	json_object_set_new(am, "delete_reason", json_string(reason));
	if (!audit(cx, &(struct audit_ev){ .action = "VEHICLE_DELETED",
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = vehicle_scope(cx, v), .meta = am }))
		return -1;
	v->deleted_at = arena_strdup(&cx->arena, ts);
	return 1;
}

int
vehicle_restore(struct ctx *cx, struct vehicle *v)
{
	if (db_exec(cx->db, "UPDATE vehicles SET deleted_at = NULL, "
	    "deleted_by_user_id = NULL, delete_reason = NULL, "
	    "delete_comment = NULL WHERE id = ? AND deleted_at IS NOT NULL",
	    "i", v->id) != DB_OK)
		return -1;
	if (db_changes(cx->db) == 0)
		return 0;
	if (!audit(cx, &(struct audit_ev){ .action = "VEHICLE_RESTORED",
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = vehicle_scope(cx, v) }))
		return -1;
	v->deleted_at = v->deleted_by_user_id = v->delete_reason =
	    v->delete_comment = NULL;
	return 1;
}

int
vehicle_move_owner(struct ctx *cx, const char *public_id, const char *from,
    const char *to)
{
	if (db_exec(cx->db, "UPDATE vehicles SET owner_user_id = ?, "
	    "updated_at = ? WHERE public_id = ? AND owner_user_id = ? AND "
	    "deleted_at IS NULL", "stss", to, cx->now, public_id,
	    from) != DB_OK)
		return -1;
	return db_changes(cx->db) == 1 ? 1 : 0;
}

json_t *
vehicle_list(struct db *db, const struct vehicle_query *q)
{
	struct arena rows = { 0 };
	struct vehicle v;
	struct db_stmt *st;
	json_t *a;
	int rc;

	/* Two statements, so each can walk its index in created_at order. */
	if (q->owner_user_id != NULL)
		st = db_prep(db, "SELECT " VEHICLE_COLS " FROM vehicles WHERE "
		    "owner_user_id = ? AND (? = 1 OR deleted_at IS NULL) "
		    "ORDER BY created_at ASC, id ASC LIMIT ? OFFSET ?", "sdii",
		    q->owner_user_id, (int)q->include_deleted,
		    q->limit < 0 ? INT64_C(-1) : q->limit, q->offset);
	else
		st = db_prep(db, "SELECT " VEHICLE_COLS " FROM vehicles WHERE "
		    "(? = 1 OR deleted_at IS NULL) ORDER BY created_at ASC, "
		    "id ASC LIMIT ? OFFSET ?", "dii", (int)q->include_deleted,
		    q->limit < 0 ? INT64_C(-1) : q->limit, q->offset);
	if (st == NULL)
		return NULL;
	a = json_array();
	/* One row at a time: a list of a thousand stays small. */
	while ((rc = db_step(st)) == 1) {
		memset(&v, 0, sizeof(v));
		vehicle_row(&rows, st, &v);
		json_array_append_new(a, vehicle_out(&v));
		arena_free(&rows);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}
