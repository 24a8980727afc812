/* vehicle.c: see vehicle.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"
#include "http/response.h"
#include "store/vehicle.h"

#define VEHICLE_COLS "id, public_id, owner_user_id, vin_prefix3, vin_last4, " \
	"vin_hmac, meta_json, created_at, updated_at, deleted_at, " \
	"deleted_by_user_id, delete_reason, delete_comment"

void
vehicle_free(struct vehicle *v)
{
	free(v->public_id);
	free(v->owner_user_id);
	free(v->vin_prefix3);
	free(v->vin_last4);
	free(v->vin_hmac);
	json_decref(v->meta);
	free(v->created_at);
	free(v->updated_at);
	free(v->deleted_at);
	free(v->deleted_by_user_id);
	free(v->delete_reason);
	free(v->delete_comment);
	memset(v, 0, sizeof(*v));
}

/* Fills v from the current row of a statement selecting VEHICLE_COLS. */
static void
vehicle_row(struct db_stmt *st, struct vehicle *v)
{
	const char *meta;

	v->id = db_int(st, 0);
	v->public_id = db_dup(st, 1);
	v->owner_user_id = db_dup(st, 2);
	v->vin_prefix3 = db_dup(st, 3);
	v->vin_last4 = db_dup(st, 4);
	v->vin_hmac = db_dup(st, 5);
	meta = db_text(st, 6);
	if (meta != NULL) {
		v->meta = json_loads(meta, 0, NULL);
		if (v->meta != NULL && (!json_is_object(v->meta) ||
		    json_object_size(v->meta) == 0)) {
			json_decref(v->meta);
			v->meta = NULL;
		}
	}
	v->created_at = db_dup(st, 7);
	v->updated_at = db_dup(st, 8);
	v->deleted_at = db_dup(st, 9);
	v->deleted_by_user_id = db_dup(st, 10);
	v->delete_reason = db_dup(st, 11);
	v->delete_comment = db_dup(st, 12);
}

int
vehicle_find(struct db *db, const char *public_id, struct vehicle *v)
{
	struct db_stmt *st;
	int rc;

	memset(v, 0, sizeof(*v));
	st = db_prep(db, "SELECT " VEHICLE_COLS " FROM vehicles "
	    "WHERE public_id = ?", "s", public_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		vehicle_row(st, v);
	db_finalize(st);
	return rc;
}

bool
vehicle_access(struct req *r, const char *id, enum vehicle_mode mode,
    struct vehicle *v)
{
	bool admin = ctx_is_admin(&r->cx);
	int rc;

	memset(v, 0, sizeof(*v));
	if (id == NULL || strlen(id) > PATH_ID_MAX) {
		resp_detail(r, 404, "not_found");
		return false;
	}
	rc = vehicle_find(r->cx.db, id, v);
	if (rc < 0) {
		resp_db_error(r);
		return false;
	}
	if (rc == 0 || (v->deleted_at != NULL && (!admin || mode == VA_LIVE))) {
		vehicle_free(v);
		resp_detail(r, 404, "not_found");
		return false;
	}
	if (!admin && !str_eq(v->owner_user_id, r->cx.actor.user_id)) {
		vehicle_free(v);
		resp_detail(r, 403, "forbidden");
		return false;
	}
	if (mode == VA_WRITE && v->deleted_at != NULL) {
		vehicle_free(v);
		resp_detail(r, 409, "vehicle_deleted");
		return false;
	}
	return true;
}

json_t *
vehicle_out(const struct vehicle *v)
{
	json_t *o = json_object(), *nick = NULL;
	char masked[16];

	if (v->vin_prefix3 != NULL && v->vin_last4 != NULL &&
	    strlen(v->vin_prefix3) == 3 && strlen(v->vin_last4) == 4)
		snprintf(masked, sizeof(masked), "%s***%s", v->vin_prefix3,
		    v->vin_last4);
	else
		masked[0] = '\0';
	if (v->meta != NULL)
		nick = json_object_get(v->meta, "nickname");
	json_object_set_new(o, "id", json_string(v->public_id));
	json_object_set_new(o, "vin_masked", json_string(masked));
	json_object_set_new(o, "nickname", json_is_string(nick) ?
	    json_incref(nick) : json_null());
	json_object_set_new(o, "meta", v->meta != NULL ? json_deep_copy(v->meta) :
	    json_null());
	json_object_set_new(o, "owner_user_id", json_string(v->owner_user_id));
	json_object_set_new(o, "created_at", ts_json(v->created_at));
	json_object_set_new(o, "updated_at", ts_json(v->updated_at));
	json_object_set_new(o, "deleted_at", ts_json(v->deleted_at));
	return o;
}

const char *
vehicle_vin_masked(struct req *r, const struct vehicle *v)
{
	if (v->vin_prefix3 == NULL || v->vin_last4 == NULL ||
	    strlen(v->vin_prefix3) != 3 || strlen(v->vin_last4) != 4)
		return "";
	return arena_printf(&r->cx.arena, "%s***%s", v->vin_prefix3, v->vin_last4);
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
	struct db_stmt *st;
	int64_t slots = 0, owned;

	if (role != ROLE_USER)
		return 0;
	st = db_prep(db, "SELECT quantity FROM account_entitlements WHERE "
	    "user_id = ? AND addon_key = 'vehicle_slots' AND enabled = 1", "s",
	    user_id);
	if (st == NULL)
		return -1;
	if (db_step(st) == 1)
		slots = db_int(st, 0);
	db_finalize(st);
	owned = vehicle_count_active(db, user_id);
	if (owned < 0)
		return -1;
	return owned >= 1 + slots ? 1 : 0;
}

const char *
vehicle_scope(const struct req *r, const struct vehicle *v)
{
	return str_eq(v->owner_user_id, r->cx.actor.user_id) ? "own" : "global";
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
vehicle_create(struct req *r, const struct vin_parts *vin,
    const json_t *meta, struct vehicle *out)
{
	char id[UUID_LEN], ts[TS_STORAGE_LEN];
	json_t *am = NULL, *keys;
	char *mt = NULL;
	int lim;

	memset(out, 0, sizeof(*out));
	if (!uuid4(id)) {
		db_fail(r->cx.db, DB_ERROR);
		return -1;
	}
	ts_storage(r->cx.now, ts);
	if (db_begin(r->cx.db) != DB_OK)
		return -1;
	lim = vehicle_limit_reached(r->cx.db, r->cx.actor.user_id, r->cx.actor.role);
	if (lim != 0) {
		db_rollback(r->cx.db);
		return lim > 0 ? 0 : -1;
	}
	mt = meta_text(meta);
	if ((keys = meta_keys(meta)) != NULL) {
		am = json_object();
		json_object_set_new(am, "meta_keys", keys);
	}
	if (db_exec(r->cx.db, "INSERT INTO vehicles (public_id, owner_user_id, "
	    "vin_prefix3, vin_last4, vin_hmac, meta_json, created_at, "
	    "updated_at) VALUES (?,?,?,?,?,?,?,?)", "ssssssss", id,
	    r->cx.actor.user_id, vin->prefix3, vin->last4, vin->hmac, mt, ts,
	    ts) != DB_OK) {
		json_decref(am);
		goto fail;
	}
	/* audit() takes the metadata whatever it returns. */
	if (!audit(&r->cx, &(struct audit_ev){ .action = "VEHICLE_CREATED",
	    .target_type = "VEHICLE", .target_id = id, .scope = "own",
	    .meta = am }) ||
	    vehicle_find(r->cx.db, id, out) != 1 ||
	    db_commit(r->cx.db) != DB_OK)
		goto fail;
	free(mt);
	return 1;
fail:
	free(mt);
	vehicle_free(out);
	db_rollback(r->cx.db);
	return -1;
}

bool
vehicle_set_meta(struct req *r, struct vehicle *v, const json_t *meta,
    json_t *changed)
{
	char ts[TS_STORAGE_LEN];
	json_t *am = json_object();
	char *mt = meta_text(meta);

	ts_storage(r->cx.now, ts);
	json_object_set_new(am, "changed_keys", changed);
	if (db_begin(r->cx.db) != DB_OK) {
		json_decref(am);
		free(mt);
		return false;
	}
	if (db_exec(r->cx.db, "UPDATE vehicles SET meta_json = ?, updated_at = ? "
	    "WHERE id = ?", "ssi", mt, ts, v->id) != DB_OK) {
		json_decref(am);
		free(mt);
		db_rollback(r->cx.db);
		return false;
	}
	if (!audit(&r->cx, &(struct audit_ev){ .action = "VEHICLE_UPDATED",
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = vehicle_scope(r, v), .meta = am }) ||
	    db_commit(r->cx.db) != DB_OK) {
		free(mt);
		db_rollback(r->cx.db);
		return false;
	}
	free(mt);
	json_decref(v->meta);
	v->meta = meta != NULL && json_object_size(meta) > 0 ?
	    json_deep_copy(meta) : NULL;
	free(v->updated_at);
	v->updated_at = xstrdup(ts);
	return true;
}

int64_t
vehicle_cancel_transfers(struct req *r, const struct vehicle *v)
{
	struct db_stmt *st;
	char ts[TS_STORAGE_LEN];
	char **ids = NULL, **kinds = NULL;
	size_t n = 0, cap = 0, i;
	int64_t ret = -1;
	int rc;

	ts_storage(r->cx.now, ts);
	st = db_prep(r->cx.db, "SELECT transfer_id, kind FROM transfers WHERE "
	    "vehicle_id = ? AND status = 'created'", "s", v->public_id);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			ids = xrealloc(ids, cap * sizeof(*ids));
			kinds = xrealloc(kinds, cap * sizeof(*kinds));
		}
		ids[n] = db_dup(st, 0);
		kinds[n++] = db_dup(st, 1);
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	if (db_exec(r->cx.db, "UPDATE transfers SET status = 'cancelled', "
	    "cancelled_at = ? WHERE vehicle_id = ? AND status = 'created'",
	    "ss", ts, v->public_id) != DB_OK)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *meta = json_object();

		json_object_set_new(meta, "kind", json_string(kinds[i]));
		json_object_set_new(meta, "vehicle_id",
		    json_string(v->public_id));
		if (!audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_CANCELLED",
		    .target_type = "HANDOVER", .target_id = ids[i],
		    .scope = vehicle_scope(r, v), .meta = meta }))
			goto out;
	}
	ret = (int64_t)n;
out:
	for (i = 0; i < n; i++) {
		free(ids[i]);
		free(kinds[i]);
	}
	free(ids);
	free(kinds);
	return ret;
}

int
vehicle_soft_delete(struct req *r, struct vehicle *v, const char *reason,
    const char *comment)
{
	char ts[TS_STORAGE_LEN];
	json_t *am;

	ts_storage(r->cx.now, ts);
	if (db_begin(r->cx.db) != DB_OK)
		return -1;
	if (db_exec(r->cx.db, "UPDATE vehicles SET deleted_at = ?, "
	    "deleted_by_user_id = ?, delete_reason = ?, delete_comment = ? "
	    "WHERE id = ? AND deleted_at IS NULL", "ssssi", ts,
	    r->cx.actor.user_id, reason, comment, v->id) != DB_OK)
		goto fail;
	if (db_changes(r->cx.db) == 0) {
		db_rollback(r->cx.db);
		return 0;
	}
	if (vehicle_cancel_transfers(r, v) < 0)
		goto fail;
	/* The comment is private free text: never audited. */
	am = json_object();
	json_object_set_new(am, "delete_reason", json_string(reason));
	if (!audit(&r->cx, &(struct audit_ev){ .action = "VEHICLE_DELETED",
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = vehicle_scope(r, v), .meta = am }) ||
	    db_commit(r->cx.db) != DB_OK)
		goto fail;
	free(v->deleted_at);
	v->deleted_at = xstrdup(ts);
	return 1;
fail:
	db_rollback(r->cx.db);
	return -1;
}

int
vehicle_restore(struct req *r, struct vehicle *v)
{
	if (db_begin(r->cx.db) != DB_OK)
		return -1;
	if (db_exec(r->cx.db, "UPDATE vehicles SET deleted_at = NULL, "
	    "deleted_by_user_id = NULL, delete_reason = NULL, "
	    "delete_comment = NULL WHERE id = ? AND deleted_at IS NOT NULL",
	    "i", v->id) != DB_OK)
		goto fail;
	if (db_changes(r->cx.db) == 0) {
		db_rollback(r->cx.db);
		return 0;
	}
	if (!audit(&r->cx, &(struct audit_ev){ .action = "VEHICLE_RESTORED",
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = vehicle_scope(r, v) }) ||
	    db_commit(r->cx.db) != DB_OK)
		goto fail;
	free(v->deleted_at);
	free(v->deleted_by_user_id);
	free(v->delete_reason);
	free(v->delete_comment);
	v->deleted_at = v->deleted_by_user_id = v->delete_reason =
	    v->delete_comment = NULL;
	return 1;
fail:
	db_rollback(r->cx.db);
	return -1;
}

json_t *
vehicle_list(struct db *db, const struct vehicle_query *q)
{
	struct vehicle v;
	struct db_stmt *st;
	json_t *a;
	int rc;

	/* Two statements, so each can walk its index in created_at order. */
	if (q->owner_user_id != NULL)
		st = db_prep(db, "SELECT " VEHICLE_COLS " FROM vehicles WHERE "
		    "owner_user_id = ? AND (? OR deleted_at IS NULL) ORDER BY "
		    "created_at ASC, id ASC LIMIT ? OFFSET ?", "sdii",
		    q->owner_user_id, (int)q->include_deleted,
		    q->limit < 0 ? INT64_C(-1) : q->limit, q->offset);
	else
		st = db_prep(db, "SELECT " VEHICLE_COLS " FROM vehicles WHERE "
		    "(? OR deleted_at IS NULL) ORDER BY created_at ASC, id ASC "
		    "LIMIT ? OFFSET ?", "dii", (int)q->include_deleted,
		    q->limit < 0 ? INT64_C(-1) : q->limit, q->offset);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		memset(&v, 0, sizeof(v));
		vehicle_row(st, &v);
		json_array_append_new(a, vehicle_out(&v));
		vehicle_free(&v);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}
