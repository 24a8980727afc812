/*
 * trust: /api/trust/folders* (api.md 8, domain.md 9). Every operation runs
 * the folder gate of domain/addon_gate.c after its object checks; every
 * route writes, because reads may write the legacy backfill or a first
 * activation, and those stay even when the answer is a refusal.
 */
#include <stdint.h>
#include <string.h>

#include "domain/addon_gate.h"
#include "http/addon_answer.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "http/vehicle_answer.h"
#include "store/addon.h"
#include "store/audit.h"
#include "store/folder.h"
#include "store/vehicle.h"

static bool
folder_audit(struct req *r, const char *action, const struct folder *f)
{
	json_t *m = json_object();

	/* Never the title: it is free text (domain.md 14.3). */
	json_object_set_new(m, "addon_key", json_string(f->addon_key));
	return audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "TRUST_FOLDER",
	    .target_id = arena_printf(&r->cx.arena, "%lld", (long long)f->id),
	    .scope = addon_scope(&r->cx, f->owner_user_id), .meta = m });
}

/* Runs the folder gate; false when its refusal is answered. */
static bool
gate(struct req *r, const char *vehicle_id, const char *owner_user_id,
    const char *key)
{
	enum addon_gate g = folder_gate(&r->cx, &(struct addon_target){
	    vehicle_id, owner_user_id, key });

	if (g == GATE_OK)
		return true;
	addon_gate_refusal(r, g, ADDON_STYLE_FOLDER);
	return false;
}

/*
 * Is title free for owner on the vehicle (except_id aside)? Else answers
 * 409 title_conflict, keeping the gate's backfill or activation, or the
 * database error.
 */
static bool
title_free(struct req *r, const char *vehicle_id, const char *owner,
    const char *title, int64_t except_id)
{
	int rc = folder_title_taken(r->cx.db, vehicle_id, owner, title,
	    except_id);

	if (rc < 0)
		resp_db_error(r);
	else if (rc == 1) {
		req_keep_writes(r);
		resp_detail(r, 409, "title_conflict");
	}
	return rc == 0;
}

/* GET /folders?vehicle_id=&addon_key= */
static void
folders_list(struct req *r)
{
	const char *vid, *key = ADDON_DEFAULT_KEY, *q;
	struct vehicle v;
	json_t *a;

	vid = v_query_str(r, "vehicle_id", V_REQ, 1, 128);
	if ((q = req_query(r, "addon_key")) != NULL &&
	    addon_key_check(r, q, "query", "addon_key", true))
		key = q;
	if (v_done(r) || !vehicle_require(r, vid, VA_READ, &v) ||
	    !gate(r, v.public_id, v.owner_user_id, key))
		return;
	/* Non-admins see only their own folders; admins see all. */
	a = folder_list(r->cx.db, v.public_id, key,
	    ctx_is_admin(&r->cx) ? NULL : r->cx.actor.user_id);
	resp_json_or_db(r, 200, a);
}

/* POST /folders */
static void
folders_create(struct req *r)
{
	const char *vid, *title, *key;
	struct vehicle v;
	struct folder f;
	json_t *body;

	body = v_body_object(r);
	vid = v_str(r, body, "body", "vehicle_id", V_REQ, 1, 128);
	title = v_str(r, body, "body", "title", V_REQ | V_TRIM, 1,
	    FOLDER_TITLE_MAX);
	key = addon_key_member(r, body, "body", "addon_key", ADDON_DEFAULT_KEY,
	    true);
	/* Admins too: no new folders on a deleted vehicle. */
	if (v_done(r) || !vehicle_require(r, vid, VA_LIVE, &v) ||
	    !gate(r, v.public_id, v.owner_user_id, key) ||
	    !title_free(r, v.public_id, r->cx.actor.user_id, title, 0))
		return;
	if (!folder_create(&r->cx, v.public_id, key, title, &f) ||
	    !folder_audit(r, "TRUST_FOLDER_CREATED", &f)) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 201, folder_out(&f));
}

/*
 * {folder_id}: digits only (else int_type), >= 1 (else greater_than_equal).
 * Returns false when a 422 item was added; *id = 0 when the value is
 * valid but beyond int64 (or 128 characters) and so names no folder.
 */
static bool
folder_id_param(struct req *r, int64_t *id)
{
	const char *s = req_param(r, "folder_id"), *p;
	uint64_t n = 0;
	bool big = false;

	*id = 0;
	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			break;
	if (p == s || *p != '\0') {
		v_add(r, "int_type", "path", "folder_id",
		    "Input should be a valid integer");
		return false;
	}
	for (p = s; *p != '\0'; p++) {
		if (n > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10) {
			big = true;
			continue;
		}
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (!big && n < 1) {
		v_add(r, "greater_than_equal", "path", "folder_id",
		    "Input should be greater than or equal to 1");
		return false;
	}
	/* Path ids over 128 characters are unknown (README "ids"). */
	*id = big || strlen(s) > PATH_ID_MAX ? 0 : (int64_t)n;
	return true;
}

/*
 * The checks of api.md 8.3 in their order: folder unknown 404, neither
 * folder owner nor admin 403, vehicle deleted (or gone) for a non-admin
 * 404, then the folder gate. Fills f; false when the refusal is answered.
 */
static bool
folder_load(struct req *r, int64_t id, struct folder *f)
{
	bool admin = ctx_is_admin(&r->cx);
	struct vehicle v;
	int rc, vrc;

	memset(f, 0, sizeof(*f));
	rc = id > 0 ? folder_get(&r->cx, id, f) : 0;
	if (!resp_found(r, rc, 404, "not_found"))
		return false;
	if (!admin && !str_eq(f->owner_user_id, r->cx.actor.user_id)) {
		resp_detail(r, 403, "forbidden");
		return false;
	}
	vrc = vehicle_find(&r->cx, f->vehicle_id, &v);
	if (vrc < 0) {
		resp_db_error(r);
		return false;
	}
	if (!admin && (vrc == 0 || v.deleted_at != NULL)) {
		resp_detail(r, 404, "not_found");
		return false;
	}
	/* domain.md 9: non-admins act only on vehicles they own. */
	if (!admin && !str_eq(v.owner_user_id, r->cx.actor.user_id)) {
		resp_detail(r, 403, "forbidden");
		return false;
	}
	return gate(r, f->vehicle_id, vrc == 1 ? v.owner_user_id : NULL,
	    f->addon_key);
}

/* GET /folders/{folder_id} */
static void
folder_read(struct req *r)
{
	struct folder f;
	int64_t id;

	folder_id_param(r, &id);
	if (v_done(r) || !folder_load(r, id, &f))
		return;
	resp_json(r, 200, folder_out(&f));
}

/* PATCH /folders/{folder_id} */
static void
folder_patch(struct req *r)
{
	const char *title;
	struct folder f;
	json_t *body;
	int64_t id;

	folder_id_param(r, &id);
	body = v_body_object(r);
	title = v_str(r, body, "body", "title", V_REQ | V_TRIM, 1,
	    FOLDER_TITLE_MAX);
	if (v_done(r) || !folder_load(r, id, &f))
		return;
	/* Renaming to the own current title changes nothing. */
	if (strcmp(title, f.title) == 0) {
		resp_json(r, 200, folder_out(&f));
		return;
	}
	/* Titles are unique per (vehicle, folder owner), even for admins. */
	if (!title_free(r, f.vehicle_id, f.owner_user_id, title, f.id))
		return;
	if (!folder_rename(&r->cx, &f, title) ||
	    !folder_audit(r, "TRUST_FOLDER_RENAMED", &f)) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, folder_out(&f));
}

/* DELETE /folders/{folder_id} */
static void
folder_del(struct req *r)
{
	struct folder f;
	int64_t id;

	folder_id_param(r, &id);
	if (v_done(r) || !folder_load(r, id, &f))
		return;
	if (!folder_delete(r->cx.db, f.id) ||
	    !folder_audit(r, "TRUST_FOLDER_DELETED", &f)) {
		resp_db_error(r);
		return;
	}
	resp_ok(r);
}

static const struct route routes[] = {
	{ "GET", "/folders", POLICY_OWN_CONSENT_W, folders_list },
	{ "POST", "/folders", POLICY_OWN_CONSENT_W, folders_create },
	{ "GET", "/folders/{folder_id}", POLICY_OWN_CONSENT_W, folder_read },
	{ "PATCH", "/folders/{folder_id}", POLICY_OWN_CONSENT_W, folder_patch },
	{ "DELETE", "/folders/{folder_id}", POLICY_OWN_CONSENT_W, folder_del },
};

APP_MAIN("trust", routes, NULL)
