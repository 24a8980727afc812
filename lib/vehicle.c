/* vehicle.c: see vehicle.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "response.h"
#include "vehicle.h"

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

int
vehicle_find(sqlite3 *db, const char *public_id, struct vehicle *v)
{
	sqlite3_stmt *st;
	const char *meta;
	int rc;

	memset(v, 0, sizeof(*v));
	st = db_prep(db, "SELECT " VEHICLE_COLS " FROM vehicles "
	    "WHERE public_id = ?", "s", public_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		v->rowid = db_int(st, 0);
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
	sqlite3_finalize(st);
	return rc;
}

bool
vehicle_access(struct req *r, const char *id, enum vehicle_mode mode,
    struct vehicle *v)
{
	bool admin = actor_is_admin(r);
	int rc;

	memset(v, 0, sizeof(*v));
	if (id == NULL || strlen(id) > PATH_ID_MAX) {
		resp_detail(r, 404, "not_found");
		return false;
	}
	rc = vehicle_find(r->db, id, v);
	if (rc < 0) {
		resp_db_error(r);
		return false;
	}
	if (rc == 0 || (v->deleted_at != NULL && (!admin || mode == VA_LIVE))) {
		vehicle_free(v);
		resp_detail(r, 404, "not_found");
		return false;
	}
	if (!admin && !str_eq(v->owner_user_id, r->actor.user_id)) {
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

static json_t *
ts_or_null(const char *stored)
{
	char api[TS_API_LEN];

	if (stored == NULL || !ts_to_api(stored, api))
		return json_null();
	return json_string(api);
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
	json_object_set_new(o, "created_at", ts_or_null(v->created_at));
	json_object_set_new(o, "updated_at", ts_or_null(v->updated_at));
	json_object_set_new(o, "deleted_at", ts_or_null(v->deleted_at));
	return o;
}

const char *
vehicle_vin_masked(struct req *r, const struct vehicle *v)
{
	if (v->vin_prefix3 == NULL || v->vin_last4 == NULL ||
	    strlen(v->vin_prefix3) != 3 || strlen(v->vin_last4) != 4)
		return "";
	return arena_printf(&r->arena, "%s***%s", v->vin_prefix3, v->vin_last4);
}

int64_t
vehicle_count_active(sqlite3 *db, const char *user_id)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	st = db_prep(db, "SELECT count(*) FROM vehicles WHERE owner_user_id = ? "
	    "AND deleted_at IS NULL", "s", user_id);
	if (st == NULL)
		return -1;
	if (db_step(st) == 1)
		n = db_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
vehicle_limit_reached(sqlite3 *db, const char *user_id, enum role role)
{
	sqlite3_stmt *st;
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
	sqlite3_finalize(st);
	owned = vehicle_count_active(db, user_id);
	if (owned < 0)
		return -1;
	return owned >= 1 + slots ? 1 : 0;
}
