/*
 * trust: /api/trust/folders* (api.md 8, domain.md 9). Every operation runs
 * the folder gate of lib/folder.c after its object checks, inside one
 * BEGIN IMMEDIATE transaction, because reads may write the legacy
 * backfill or a first activation.
 */
#include <stdint.h>
#include <string.h>

#include "store/addon.h"
#include "http/app.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/folder.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/vehicle.h"

/* Commits, or answers the database error; true when committed. */
static bool
commit(struct req *r)
{
	if (db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return false;
	}
	return true;
}

static bool
begin(struct req *r)
{
	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return false;
	}
	return true;
}

static bool
folder_audit(struct req *r, const char *action, const struct folder *f)
{
	json_t *m = json_object();

	/* Never the title: it is free text (domain.md 14.3). */
	json_object_set_new(m, "addon_key", json_string(f->addon_key));
	if (!audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "TRUST_FOLDER",
	    .target_id = arena_printf(&r->cx.arena, "%lld", (long long)f->id),
	    .scope = addon_scope(r, f->owner_user_id), .meta = m })) {
		resp_db_error(r);
		return false;
	}
	return true;
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
	if (v_done(r))
		return;
	if (!begin(r))
		return;
	if (!vehicle_access(r, vid, VA_READ, &v))
		return;
	if (!folder_gate(r, &(struct addon_target){ v.public_id,
	    v.owner_user_id, key }))
		goto out;
	/* Non-admins see only their own folders; admins see all. */
	a = folder_list(r->cx.db, v.public_id, key,
	    ctx_is_admin(&r->cx) ? NULL : r->cx.actor.user_id);
	if (a == NULL) {
		resp_db_error(r);
		goto out;
	}
	resp_json(r, 200, a);
	commit(r);
out:
	vehicle_free(&v);
}

/* POST /folders */
static void
folders_create(struct req *r)
{
	const char *vid, *title, *key;
	struct vehicle v;
	struct folder f = { 0 };
	json_t *body;
	int rc;

	body = v_body_object(r);
	vid = v_str(r, body, "body", "vehicle_id", V_REQ, 1, 128);
	title = v_str(r, body, "body", "title", V_REQ | V_TRIM, 1,
	    FOLDER_TITLE_MAX);
	key = addon_key_member(r, body, "body", "addon_key", ADDON_DEFAULT_KEY,
	    true);
	if (v_done(r))
		return;
	if (!begin(r))
		return;
	/* Admins too: no new folders on a deleted vehicle. */
	if (!vehicle_access(r, vid, VA_LIVE, &v))
		return;
	if (!folder_gate(r, &(struct addon_target){ v.public_id,
	    v.owner_user_id, key }))
		goto out;
	rc = folder_title_taken(r->cx.db, v.public_id, r->cx.actor.user_id, title, 0);
	if (rc < 0) {
		resp_db_error(r);
		goto out;
	}
	if (rc == 1) {
		/* The gate's backfill or activation still stands. */
		if (commit(r))
			resp_detail(r, 409, "title_conflict");
		goto out;
	}
	if (!folder_create(r->cx.db, v.public_id, r->cx.actor.user_id, key, title,
	    r->cx.now, &f)) {
		resp_db_error(r);
		goto out;
	}
	if (folder_audit(r, "TRUST_FOLDER_CREATED", &f) && commit(r))
		resp_json(r, 201, folder_out(&f));
out:
	folder_free(&f);
	vehicle_free(&v);
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
 * The checks of api.md 8.3 in their order, inside an open transaction:
 * folder unknown 404, neither folder owner nor admin 403, vehicle deleted
 * (or gone) for a non-admin 404, then the folder gate. Fills f; false
 * when the refusal is answered (f is then freed).
 */
static bool
folder_load(struct req *r, int64_t id, struct folder *f)
{
	bool admin = ctx_is_admin(&r->cx);
	struct vehicle v;
	int rc, vrc;

	memset(f, 0, sizeof(*f));
	rc = id > 0 ? folder_get(r->cx.db, id, f) : 0;
	if (rc < 0) {
		resp_db_error(r);
		return false;
	}
	if (rc == 0) {
		resp_detail(r, 404, "not_found");
		return false;
	}
	if (!admin && !str_eq(f->owner_user_id, r->cx.actor.user_id)) {
		resp_detail(r, 403, "forbidden");
		goto fail;
	}
	vrc = vehicle_find(r->cx.db, f->vehicle_id, &v);
	if (vrc < 0) {
		resp_db_error(r);
		goto fail;
	}
	if (!admin && (vrc == 0 || v.deleted_at != NULL)) {
		resp_detail(r, 404, "not_found");
		goto vfail;
	}
	/* domain.md 9: non-admins act only on vehicles they own. */
	if (!admin && !str_eq(v.owner_user_id, r->cx.actor.user_id)) {
		resp_detail(r, 403, "forbidden");
		goto vfail;
	}
	if (!folder_gate(r, &(struct addon_target){ f->vehicle_id,
	    vrc == 1 ? v.owner_user_id : NULL, f->addon_key }))
		goto vfail;
	vehicle_free(&v);
	return true;
vfail:
	vehicle_free(&v);
fail:
	folder_free(f);
	return false;
}

/* GET /folders/{folder_id} */
static void
folder_read(struct req *r)
{
	struct folder f;
	int64_t id;

	folder_id_param(r, &id);
	if (v_done(r) || !begin(r) || !folder_load(r, id, &f))
		return;
	if (commit(r))
		resp_json(r, 200, folder_out(&f));
	folder_free(&f);
}

/* PATCH /folders/{folder_id} */
static void
folder_patch(struct req *r)
{
	const char *title;
	struct folder f;
	json_t *body;
	int64_t id;
	int rc;

	folder_id_param(r, &id);
	body = v_body_object(r);
	title = v_str(r, body, "body", "title", V_REQ | V_TRIM, 1,
	    FOLDER_TITLE_MAX);
	if (v_done(r) || !begin(r) || !folder_load(r, id, &f))
		return;
	/* Renaming to the own current title changes nothing. */
	if (strcmp(title, f.title) == 0) {
		if (commit(r))
			resp_json(r, 200, folder_out(&f));
		goto out;
	}
	/* Titles are unique per (vehicle, folder owner), even for admins. */
	rc = folder_title_taken(r->cx.db, f.vehicle_id, f.owner_user_id, title,
	    f.id);
	if (rc < 0) {
		resp_db_error(r);
		goto out;
	}
	if (rc == 1) {
		if (commit(r))
			resp_detail(r, 409, "title_conflict");
		goto out;
	}
	if (!folder_rename(r->cx.db, &f, title, r->cx.now)) {
		resp_db_error(r);
		goto out;
	}
	if (folder_audit(r, "TRUST_FOLDER_RENAMED", &f) && commit(r))
		resp_json(r, 200, folder_out(&f));
out:
	folder_free(&f);
}

/* DELETE /folders/{folder_id} */
static void
folder_del(struct req *r)
{
	struct folder f;
	int64_t id;
	json_t *j;

	folder_id_param(r, &id);
	if (v_done(r) || !begin(r) || !folder_load(r, id, &f))
		return;
	if (!folder_delete(r->cx.db, f.id)) {
		resp_db_error(r);
		goto out;
	}
	if (folder_audit(r, "TRUST_FOLDER_DELETED", &f) && commit(r)) {
		j = json_object();
		json_object_set_new(j, "ok", json_true());
		resp_json(r, 200, j);
	}
out:
	folder_free(&f);
}


static const struct route routes[] = {
	{ "GET", "/folders", POLICY_OWN_CONSENT, folders_list },
	{ "POST", "/folders", POLICY_OWN_CONSENT, folders_create },
	{ "GET", "/folders/{folder_id}", POLICY_OWN_CONSENT, folder_read },
	{ "PATCH", "/folders/{folder_id}", POLICY_OWN_CONSENT, folder_patch },
	{ "DELETE", "/folders/{folder_id}", POLICY_OWN_CONSENT, folder_del },
};

int
main(void)
{
	return app_run(&(struct app){ "trust", routes, NROUTES(routes), NULL });
}
