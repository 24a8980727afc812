/*
 * admin: the /api/admin group (api.md 14). Users and roles, step-up grants,
 * moderator accreditation, VIP businesses.
 *
 * Every route is ADM (moderators get role_not_allowed) without a consent
 * gate; approve and staff are superadmin-only, so an admin is refused by
 * the dispatcher before any step-up check. The step-up token is consumed
 * inside the action's transaction: every later failure rolls back and
 * leaves it unused. Free-text reasons are never stored or audited, only
 * reason_provided.
 */
#include <stdint.h>
#include <string.h>

#include "store/admin_users.h"
#include "http/app.h"
#include "store/audit.h"
#include "store/business.h"
#include "base/clock.h"
#include "store/db.h"
#include "http/response.h"
#include "store/stepup.h"
#include "http/valid.h"

#define MOD_BLOCK	"role_not_allowed"

/* Rolls back whatever the route wrote (and the step-up use) and answers. */
static void
fail(struct req *r, int status, const char *detail)
{
	db_rollback(r->cx.db);
	resp_detail(r, status, detail);
}

static void
fail_db(struct req *r)
{
	db_rollback(r->cx.db);
	resp_db_error(r);
}

static bool
commit(struct req *r)
{
	if (db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return false;
	}
	return true;
}

/* A path id longer than PATH_ID_MAX names nothing (README "ids"). */
static const char *
path_id(struct req *r, const char *name)
{
	const char *id = req_param(r, name);

	return id != NULL && strlen(id) <= PATH_ID_MAX ? id : NULL;
}

/* A reason counts as provided when it has any non-blank character. */
static bool
reason_provided(const char *reason)
{
	const char *s;

	if (reason == NULL)
		return false;
	for (s = reason; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t')
			return true;
	return false;
}

static const char *
trim_lower(struct req *r, const char *s)
{
	char *t = arena_strdup(&r->cx.arena, s);

	str_trim(t);
	str_lower_ascii(t);
	return t;
}

static bool
one_of(const char *s, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- 14.1 GET /api/admin/users ------------------------------------- */

static void
users_list(struct req *r)
{
	char key[B64URL_HMAC_LEN];
	const char *email;
	int64_t limit = 200, offset = 0;
	json_t *list;

	v_query_int(r, "limit", 1, 200, &limit);
	v_query_int(r, "offset", 0, INT64_MAX, &offset);
	if (v_done(r))
		return;
	email = req_query(r, "email");
	if (email != NULL && !admin_email_key(email, key)) {
		/* Not a plausible address: nothing can match. */
		resp_json(r, 200, json_array());
		return;
	}
	list = admin_user_list(r->cx.db, email != NULL ? key : NULL, limit,
	    offset);
	if (list == NULL) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, list);
}

/* ---- 14.2 GET /api/admin/vip-businesses ---------------------------- */

static void
businesses_list(struct req *r)
{
	json_t *list = business_list(r->cx.db);

	if (list == NULL) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, list);
}

/* ---- 14.3 POST /api/admin/step-up/grant ---------------------------- */

static void
stepup_grant_post(struct req *r)
{
	json_t *body, *meta, *o;
	const char *scope;
	char token[TOKEN_LEN], at[TS_API_LEN];
	int64_t ttl = STEPUP_TTL_MAX, expires;

	body = v_body_object(r);
	scope = v_str(r, body, "body", "scope", V_REQ, 1, 64);
	v_int(r, body, "body", "ttl_seconds", 0, STEPUP_TTL_MIN,
	    STEPUP_TTL_MAX, &ttl);
	if (v_done(r))
		return;
	scope = trim_lower(r, scope);
	if (!stepup_scope_known(scope)) {
		resp_detail(r, 400, "invalid_step_up_scope");
		return;
	}
	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	if (!stepup_grant(r->cx.db, r->cx.actor.user_id, scope, r->cx.now, ttl, token,
	    &expires)) {
		fail_db(r);
		return;
	}
	meta = json_object();
	json_object_set_new(meta, "scope", json_string(scope));
	json_object_set_new(meta, "ttl_seconds", json_integer(ttl));
	if (!audit(&r->cx, &(struct audit_ev){ .action = "ADMIN_STEP_UP_GRANTED",
	    .target_type = "USER", .target_id = r->cx.actor.user_id,
	    .meta = meta })) {
		fail_db(r);
		return;
	}
	if (!commit(r))
		return;
	ts_api(expires, at);
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "scope", json_string(scope));
	json_object_set_new(o, "step_up_token", json_string(token));
	json_object_set_new(o, "token", json_string(token));
	json_object_set_new(o, "expires_at", json_string(at));
	json_object_set_new(o, "ttl_seconds", json_integer(ttl));
	json_object_set_new(o, "one_time", json_true());
	json_object_set_new(o, "header", json_string(STEPUP_HEADER));
	explicit_bzero(token, sizeof(token));
	resp_json(r, 200, o);
}

/* ---- 14.4 / 14.5 role changes --------------------------------------- */

/*
 * Steps 4..7 of api.md 14.4 (and the order of 14.5): step-up, target
 * lookup, superadmin protection, last active superadmin; then the change
 * and its audit row in one transaction.
 */
static void
role_change(struct req *r, const char *new_role, const char *reason,
    const char *scope, const char *action)
{
	const char *uid = path_id(r, "user_id");
	char old[33], status[16], at[TS_API_LEN];
	bool actor_sa = r->cx.actor.role == ROLE_SUPERADMIN;
	json_t *meta, *o;
	int rc;

	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	if (!stepup_require(r, scope))
		return;
	rc = uid != NULL ? admin_user_get(r->cx.db, uid, old, status) : 0;
	if (rc < 0) {
		fail_db(r);
		return;
	}
	if (rc == 0) {
		fail(r, 404, "user_not_found");
		return;
	}
	if (strcmp(old, "superadmin") == 0 && !actor_sa) {
		fail(r, 403, "superadmin_required");
		return;
	}
	if (strcmp(old, "superadmin") == 0 && strcmp(status, "active") == 0 &&
	    strcmp(new_role, "superadmin") != 0) {
		int64_t others = admin_superadmins_active(r->cx.db, uid);

		if (others < 0) {
			fail_db(r);
			return;
		}
		if (others == 0) {
			fail(r, 409, "last_superadmin");
			return;
		}
	}
	if (!admin_user_set_role(r->cx.db, uid, new_role, r->cx.now)) {
		fail_db(r);
		return;
	}
	meta = json_object();
	json_object_set_new(meta, "old_role", json_string(old));
	json_object_set_new(meta, "new_role", json_string(new_role));
	json_object_set_new(meta, "reason_provided",
	    json_boolean(reason_provided(reason)));
	if (!audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "USER", .target_id = uid, .meta = meta })) {
		fail_db(r);
		return;
	}
	if (!commit(r))
		return;
	ts_api(r->cx.now, at);
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "user_id", json_string(uid));
	json_object_set_new(o, "old_role", json_string(old));
	json_object_set_new(o, "new_role", json_string(new_role));
	json_object_set_new(o, "at", json_string(at));
	resp_json(r, 200, o);
}

static void
user_role_post(struct req *r)
{
	json_t *body;
	const char *role, *reason;

	body = v_body_object(r);
	role = v_str(r, body, "body", "role", V_REQ, 1, 32);
	reason = v_str(r, body, "body", "reason", 0, 0, 200);
	if (v_done(r))
		return;
	role = trim_lower(r, role);
	if (!one_of(role, admin_roles)) {
		resp_detail(r, 400, "invalid_role");
		return;
	}
	if (strcmp(role, "superadmin") == 0 &&
	    r->cx.actor.role != ROLE_SUPERADMIN) {
		resp_detail(r, 403, "superadmin_required");
		return;
	}
	role_change(r, role, reason, "role_grant", "ADMIN_ROLE_SET");
}

static void
user_moderator_post(struct req *r)
{
	json_t *body;
	const char *reason;

	body = v_body_object(r);
	reason = v_str(r, body, "body", "reason", 0, 0, 200);
	if (v_done(r))
		return;
	role_change(r, "moderator", reason, "moderator_accredit",
	    "ADMIN_MODERATOR_ACCREDIT");
}

/* ---- 14.6 .. 14.8 VIP businesses ------------------------------------ */

static bool
business_id_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == ':' || *s == '-'))
			return false;
	return true;
}

static bool
business_audit(struct req *r, const char *action, const char *id,
    int64_t staff, const char *reason, bool with_reason)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "staff_count", json_integer(staff));
	if (with_reason)
		json_object_set_new(meta, "reason_provided",
		    json_boolean(reason_provided(reason)));
	return audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "ORG", .target_id = id, .meta = meta });
}

/* Answers the 14.6 shape of business id (read inside the transaction). */
static void
business_answer(struct req *r, const char *id)
{
	struct business b;
	int rc = business_find(r->cx.db, id, &b);

	if (rc <= 0) {
		if (rc < 0)
			fail_db(r);
		else {
			db_rollback(r->cx.db);
			resp_internal(r, "internal");
		}
		return;
	}
	if (commit(r))
		resp_json(r, 200, business_out(&b));
	business_free(&b);
}

static void
business_create(struct req *r)
{
	json_t *body;
	const char *owner, *bid, *reason;
	char role[33], status[16], fresh[UUID_LEN];
	struct business b;
	int rc;

	body = v_body_object(r);
	owner = v_str(r, body, "body", "owner_user_id", V_REQ, 8, 64);
	bid = v_str(r, body, "body", "business_id", V_TRIM, 8, 64);
	if (bid != NULL && !business_id_ok(bid))
		v_add(r, "string_pattern_mismatch", "body", "business_id",
		    "String should match pattern '^[A-Za-z0-9._:-]+$'");
	reason = v_str(r, body, "body", "reason", 0, 0, 200);
	if (v_done(r))
		return;
	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	if (bid != NULL) {
		/* An existing id is answered unchanged: no check, no audit. */
		rc = business_find(r->cx.db, bid, &b);
		business_free(&b);
		if (rc < 0) {
			fail_db(r);
			return;
		}
		if (rc == 1) {
			business_answer(r, bid);
			return;
		}
	}
	rc = admin_user_get(r->cx.db, owner, role, status);
	if (rc < 0) {
		fail_db(r);
		return;
	}
	if (rc == 0) {
		fail(r, 404, "user_not_found");
		return;
	}
	if (bid == NULL) {
		if (!uuid4(fresh)) {
			db_rollback(r->cx.db);
			resp_internal(r, "internal");
			return;
		}
		bid = fresh;
	}
	if (!business_insert(r->cx.db, bid, owner, r->cx.now) ||
	    !business_audit(r, "VIP_BUSINESS_CREATED", bid, 0, reason, true)) {
		fail_db(r);
		return;
	}
	business_answer(r, bid);
}

static void
business_approve_post(struct req *r)
{
	const char *id = path_id(r, "business_id");
	struct business b;
	int64_t staff;
	int rc;

	/* No body: whatever was sent is ignored. */
	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	if (!stepup_require(r, "vip_business_approve"))
		return;
	rc = id != NULL ? business_find(r->cx.db, id, &b) : 0;
	if (rc < 0) {
		fail_db(r);
		return;
	}
	if (rc == 0) {
		fail(r, 404, "business_not_found");
		return;
	}
	business_free(&b);
	if (!business_approve(r->cx.db, id, r->cx.actor.user_id, r->cx.now) ||
	    (staff = business_staff_count(r->cx.db, id)) < 0 ||
	    !business_audit(r, "VIP_BUSINESS_APPROVED", id, staff, NULL,
	    false)) {
		fail_db(r);
		return;
	}
	business_answer(r, id);
}

static void
business_staff_post(struct req *r)
{
	const char *id = path_id(r, "business_id");
	const char *uid = path_id(r, "user_id");
	const char *reason;
	char role[33], status[16], at[TS_API_LEN];
	struct business b;
	json_t *body, *o;
	int64_t staff;
	bool noop;
	int rc;

	body = v_body_object(r);
	reason = v_str(r, body, "body", "reason", 0, 0, 200);
	if (v_done(r))
		return;
	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	if (!stepup_require(r, "vip_business_staff"))
		return;
	rc = id != NULL ? business_find(r->cx.db, id, &b) : 0;
	if (rc < 0) {
		fail_db(r);
		return;
	}
	if (rc == 0) {
		fail(r, 404, "business_not_found");
		return;
	}
	rc = uid != NULL ? admin_user_get(r->cx.db, uid, role, status) : 0;
	if (rc <= 0) {
		business_free(&b);
		if (rc < 0)
			fail_db(r);
		else
			fail(r, 404, "user_not_found");
		return;
	}
	if (b.approved_at == NULL) {
		business_free(&b);
		fail(r, 400, "business_not_approved");
		return;
	}
	/* The owner and existing staff are a no-op success. */
	noop = strcmp(b.owner_user_id, uid) == 0;
	business_free(&b);
	if (!noop) {
		if ((rc = business_is_staff(r->cx.db, id, uid)) < 0) {
			fail_db(r);
			return;
		}
		noop = rc == 1;
	}
	if ((staff = business_staff_count(r->cx.db, id)) < 0) {
		fail_db(r);
		return;
	}
	if (!noop && staff >= BUSINESS_STAFF_MAX) {
		fail(r, 409, "staff_limit_reached");
		return;
	}
	if (!noop) {
		if (!business_staff_add(r->cx.db, id, uid, r->cx.now)) {
			fail_db(r);
			return;
		}
		staff++;
	}
	if (!business_audit(r, noop ? "VIP_BUSINESS_STAFF_ADD_NOOP" :
	    "VIP_BUSINESS_STAFF_ADDED", id, staff, reason, true)) {
		fail_db(r);
		return;
	}
	if (!commit(r))
		return;
	ts_api(r->cx.now, at);
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "business_id", json_string(id));
	json_object_set_new(o, "user_id", json_string(uid));
	json_object_set_new(o, "at", json_string(at));
	resp_json(r, 200, o);
}

static const struct route routes[] = {
	{ "GET", "/users", { R_ADM, MOD_BLOCK, 0 }, users_list },
	{ "GET", "/vip-businesses", { R_ADM, MOD_BLOCK, 0 }, businesses_list },
	{ "POST", "/step-up/grant", { R_ADM, MOD_BLOCK, 0 },
	    stepup_grant_post },
	{ "POST", "/users/{user_id}/role", { R_ADM, MOD_BLOCK, 0 },
	    user_role_post },
	{ "POST", "/users/{user_id}/moderator", { R_ADM, MOD_BLOCK, 0 },
	    user_moderator_post },
	{ "POST", "/vip-businesses", { R_ADM, MOD_BLOCK, 0 }, business_create },
	{ "POST", "/vip-businesses/{business_id}/approve",
	    { R_SA, MOD_BLOCK, 0 }, business_approve_post },
	{ "POST", "/vip-businesses/{business_id}/staff/{user_id}",
	    { R_SA, MOD_BLOCK, 0 }, business_staff_post },
};

int
main(void)
{
	return app_run(&(struct app){ "admin", routes, NROUTES(routes), NULL });
}
