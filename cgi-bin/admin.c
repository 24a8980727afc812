/*
 * admin: the /api/admin group (api.md 14). Users and roles, step-up grants,
 * moderator accreditation, VIP businesses.
 *
 * Every route is ADM (moderators get role_not_allowed) without a consent
 * gate; approve and staff are superadmin-only, so an admin is refused by
 * the dispatcher before any step-up check. The writing routes run in the
 * route's transaction (PF_WRITE): the step-up token is consumed inside
 * it, so every later failure (an answer >= 400) rolls back and leaves it
 * unused; only a refused step-up keeps its audit row. Free-text reasons
 * are never stored or audited, only reason_provided.
 */
#include <stdint.h>
#include <string.h>

#include "base/clock.h"
#include "base/role.h"
#include "domain/email.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/audit.h"
#include "store/business.h"
#include "store/stepup.h"
#include "store/user.h"

/*
 * The step-up check of api.md 14 inside the route's transaction. A
 * refusal answers 403 and keeps its ADMIN_STEP_UP_FAILED row although
 * the request fails. true: the token is consumed, go on.
 */
static bool
step_up(struct req *r, const char *scope)
{
	const char *h = req_header("HTTP_X_ADMIN_STEP_UP");
	char *token = NULL;

	if (h != NULL) {
		token = arena_strdup(&r->cx.arena, h);
		str_trim(token);
	}
	switch (stepup_use(&r->cx, scope, token)) {
	case STEPUP_OK:
		return true;
	case STEPUP_MISSING:
		req_keep_writes(r);
		resp_detail(r, 403, "admin_step_up_required");
		return false;
	case STEPUP_INVALID:
		req_keep_writes(r);
		resp_detail(r, 403, "admin_step_up_invalid");
		return false;
	case STEPUP_ERROR:
		break;
	}
	resp_db_error(r);
	return false;
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

/* ---- 14.1 GET /api/admin/users ------------------------------------- */

static void
users_list(struct req *r)
{
	char key[B64URL_HMAC_LEN];
	const char *email, *norm = NULL;
	int64_t limit = 200, offset = 0;
	json_t *list;

	v_query_int(r, "limit", 1, 200, &limit);
	v_query_int(r, "offset", 0, INT64_MAX, &offset);
	if (v_done(r))
		return;
	/* The login rules: trim, ASCII-lowercase, the plausibility check. */
	if ((email = req_query(r, "email")) != NULL &&
	    (norm = email_accept(&r->cx.arena, email)) == NULL) {
		/* Not a plausible address: nothing can match. */
		resp_json(r, 200, json_array());
		return;
	}
	if (norm != NULL)
		email_hmac(norm, key);
	list = user_list(r->cx.db, norm != NULL ? key : NULL, limit, offset);
	resp_json_or_db(r, 200, list);
}

/* ---- 14.2 GET /api/admin/vip-businesses ---------------------------- */

static void
businesses_list(struct req *r)
{
	json_t *list = business_list(r->cx.db);

	resp_json_or_db(r, 200, list);
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
	if (!stepup_grant(r->cx.db, r->cx.actor.user_id, scope, r->cx.now, ttl,
	    token, &expires)) {
		resp_db_error(r);
		return;
	}
	meta = json_object();
	json_object_set_new(meta, "scope", json_string(scope));
	json_object_set_new(meta, "ttl_seconds", json_integer(ttl));
	if (!audit(&r->cx, &(struct audit_ev){ .action = "ADMIN_STEP_UP_GRANTED",
	    .target_type = "USER", .target_id = r->cx.actor.user_id,
	    .meta = meta })) {
		explicit_bzero(token, sizeof(token));
		resp_db_error(r);
		return;
	}
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
 * and its audit row.
 */
static void
role_change(struct req *r, const char *new_role, const char *reason,
    const char *scope, const char *action)
{
	const char *uid = path_id(r, "user_id");
	bool actor_sa = r->cx.actor.role == ROLE_SUPERADMIN;
	char at[TS_API_LEN];
	struct user u;
	json_t *meta, *o;
	int rc;

	if (!step_up(r, scope))
		return;
	rc = uid != NULL ? user_find_by_id(&r->cx, uid, &u) : 0;
	if (!resp_found(r, rc, 404, "user_not_found"))
		return;
	explicit_bzero(u.password_hash, sizeof(u.password_hash));
	if (role_parse(u.role) == ROLE_SUPERADMIN && !actor_sa) {
		resp_detail(r, 403, "superadmin_required");
		return;
	}
	if (role_parse(new_role) != ROLE_SUPERADMIN &&
	    (rc = user_is_last_superadmin(r->cx.db, uid)) != 0) {
		if (rc < 0)
			resp_db_error(r);
		else
			resp_detail(r, 409, "last_superadmin");
		return;
	}
	if (!user_set_role(&r->cx, uid, new_role)) {
		resp_db_error(r);
		return;
	}
	meta = json_object();
	json_object_set_new(meta, "old_role", json_string(u.role));
	json_object_set_new(meta, "new_role", json_string(new_role));
	json_object_set_new(meta, "reason_provided",
	    json_boolean(reason_provided(reason)));
	if (!audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "USER", .target_id = uid, .meta = meta })) {
		resp_db_error(r);
		return;
	}
	ts_api(r->cx.now, at);
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "user_id", json_string(uid));
	json_object_set_new(o, "old_role", json_string(u.role));
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
	if (!role_assignable(role)) {
		resp_detail(r, 400, "invalid_role");
		return;
	}
	if (role_parse(role) == ROLE_SUPERADMIN &&
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
	role_change(r, role_name(ROLE_MODERATOR), reason, "moderator_accredit",
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
	int rc = business_find(&r->cx, id, &b);

	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_internal(r, "internal");
	else
		resp_json(r, 200, business_out(&b));
}

/* Does the account exist? Answers 404 or the db error when not. */
static bool
account_known(struct req *r, const char *user_id)
{
	int rc = user_id != NULL ? user_exists(r->cx.db, user_id) : 0;

	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 404, "user_not_found");
	return rc > 0;
}

static void
business_create(struct req *r)
{
	json_t *body;
	const char *owner, *bid, *reason;
	char fresh[UUID_LEN];
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
	if (bid != NULL) {
		/* An existing id is answered unchanged: no check, no audit. */
		if ((rc = business_exists(r->cx.db, bid)) < 0) {
			resp_db_error(r);
			return;
		}
		if (rc == 1) {
			business_answer(r, bid);
			return;
		}
	}
	if (!account_known(r, owner))
		return;
	if (bid == NULL) {
		if (!uuid4(fresh)) {
			resp_internal(r, "internal");
			return;
		}
		bid = fresh;
	}
	if (!business_insert(r->cx.db, bid, owner, r->cx.now) ||
	    !business_audit(r, "VIP_BUSINESS_CREATED", bid, 0, reason, true)) {
		resp_db_error(r);
		return;
	}
	business_answer(r, bid);
}

static void
business_approve_post(struct req *r)
{
	const char *id = path_id(r, "business_id");
	int64_t staff;
	int rc;

	/* No body: whatever was sent is ignored. */
	if (!step_up(r, "vip_business_approve"))
		return;
	rc = id != NULL ? business_exists(r->cx.db, id) : 0;
	if (!resp_found(r, rc, 404, "business_not_found"))
		return;
	if (!business_approve(r->cx.db, id, r->cx.actor.user_id, r->cx.now) ||
	    (staff = business_staff_count(r->cx.db, id)) < 0 ||
	    !business_audit(r, "VIP_BUSINESS_APPROVED", id, staff, NULL,
	    false)) {
		resp_db_error(r);
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
	char at[TS_API_LEN];
	struct business b;
	json_t *body, *o;
	int64_t staff;
	bool noop;
	int rc;

	body = v_body_object(r);
	reason = v_str(r, body, "body", "reason", 0, 0, 200);
	if (v_done(r))
		return;
	if (!step_up(r, "vip_business_staff"))
		return;
	rc = id != NULL ? business_find(&r->cx, id, &b) : 0;
	if (!resp_found(r, rc, 404, "business_not_found"))
		return;
	if (!account_known(r, uid))
		return;
	if (b.approved_at == NULL) {
		resp_detail(r, 400, "business_not_approved");
		return;
	}
	/* The owner and existing staff are a no-op success. */
	noop = strcmp(b.owner_user_id, uid) == 0;
	if (!noop) {
		if ((rc = business_is_staff(r->cx.db, id, uid)) < 0) {
			resp_db_error(r);
			return;
		}
		noop = rc == 1;
	}
	if ((staff = business_staff_count(r->cx.db, id)) < 0) {
		resp_db_error(r);
		return;
	}
	if (!noop && staff >= BUSINESS_STAFF_MAX) {
		resp_detail(r, 409, "staff_limit_reached");
		return;
	}
	if (!noop) {
		if (!business_staff_add(r->cx.db, id, uid, r->cx.now)) {
			resp_db_error(r);
			return;
		}
		staff++;
	}
	if (!business_audit(r, noop ? "VIP_BUSINESS_STAFF_ADD_NOOP" :
	    "VIP_BUSINESS_STAFF_ADDED", id, staff, reason, true)) {
		resp_db_error(r);
		return;
	}
	ts_api(r->cx.now, at);
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "business_id", json_string(id));
	json_object_set_new(o, "user_id", json_string(uid));
	json_object_set_new(o, "at", json_string(at));
	resp_json(r, 200, o);
}

static const struct route routes[] = {
	{ "GET", "/users", POLICY_ADM, users_list },
	{ "GET", "/vip-businesses", POLICY_ADM, businesses_list },
	{ "POST", "/step-up/grant", POLICY_ADM_W, stepup_grant_post },
	{ "POST", "/users/{user_id}/role", POLICY_ADM_W, user_role_post },
	{ "POST", "/users/{user_id}/moderator", POLICY_ADM_W,
	    user_moderator_post },
	{ "POST", "/vip-businesses", POLICY_ADM_W, business_create },
	{ "POST", "/vip-businesses/{business_id}/approve", POLICY_SA_W,
	    business_approve_post },
	{ "POST", "/vip-businesses/{business_id}/staff/{user_id}", POLICY_SA_W,
	    business_staff_post },
};

APP_MAIN("admin", routes, NULL)
