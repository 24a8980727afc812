/*
 * addons: /api/addons/... (api.md 7, domain.md 8). Admins configure add-ons
 * and grant entitlements; owners enable and disable add-ons per vehicle
 * through the gate of domain/addon_gate.c.
 */
#include "domain/addon_gate.h"
#include "http/addon_answer.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "http/vehicle_answer.h"
#include "store/addon.h"
#include "store/audit.h"
#include "store/vehicle.h"

/* Audits a system config change (m is stolen) and answers {"ok":true}. */
static void
config_done(struct req *r, const char *action, const char *key, json_t *m)
{
	if (!audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "SYSTEM_CONFIG", .target_id = key,
	    .scope = "global", .meta = m })) {
		resp_db_error(r);
		return;
	}
	resp_ok(r);
}

/* GET /config */
static void
config_list(struct req *r)
{
	json_t *a = addon_config_list(r->cx.db);

	resp_json_or_db(r, 200, a);
}

/* POST /config/{addon_key} */
static void
config_set(struct req *r)
{
	struct addon_config c = { false, true, false };	/* domain.md 8 */
	const char *key = req_param(r, "addon_key");
	json_t *body, *m;

	addon_key_check(r, key, "path", "addon_key", false);
	body = v_body_object(r);
	/* Unsent flags take the defaults; they never keep old values. */
	v_bool(r, body, "body", "allow_new", 0, &c.allow_new);
	v_bool(r, body, "body", "requires_payment", 0, &c.requires_payment);
	v_bool(r, body, "body", "admin_only", 0, &c.admin_only);
	if (v_done(r))
		return;
	if (!addon_config_set(r->cx.db, key, &c, r->cx.now)) {
		resp_db_error(r);
		return;
	}
	m = json_object();
	json_object_set_new(m, "addon_key", json_string(key));
	json_object_set_new(m, "allow_new", json_boolean(c.allow_new));
	json_object_set_new(m, "requires_payment",
	    json_boolean(c.requires_payment));
	json_object_set_new(m, "admin_only", json_boolean(c.admin_only));
	config_done(r, "ADDON_CONFIG_SET", key, m);
}

/* POST /entitlements/{addon_key} */
static void
entitlement_set(struct req *r)
{
	const char *key = req_param(r, "addon_key"), *user_id;
	bool enabled = true;
	int64_t quantity = 1;
	json_t *body, *m;

	/* vehicle_slots is exactly what this route grants (domain.md 7). */
	addon_key_check(r, key, "path", "addon_key", true);
	body = v_body_object(r);
	user_id = v_str(r, body, "body", "user_id", V_REQ, 1, 64);
	v_bool(r, body, "body", "enabled", 0, &enabled);
	v_int(r, body, "body", "quantity", 0, 1, 1000, &quantity);
	if (v_done(r))
		return;
	if (!addon_entitlement_set(r->cx.db, user_id, key, enabled, quantity,
	    r->cx.now)) {
		resp_db_error(r);
		return;
	}
	m = json_object();
	json_object_set_new(m, "addon_key", json_string(key));
	json_object_set_new(m, "enabled", json_boolean(enabled));
	json_object_set_new(m, "quantity", json_integer(quantity));
	/* A technical id is safe to keep in audit metadata. */
	if (id_charset_ok(user_id))
		json_object_set_new(m, "user_id", json_string(user_id));
	config_done(r, "ADDON_ENTITLEMENT_SET", key, m);
}

/* Answers AddonOut of the current state row. */
static void
state_reply(struct req *r, const char *vehicle_id, const char *key)
{
	struct addon_state s;
	int rc;

	rc = addon_state_get(&r->cx, vehicle_id, key, &s);
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 404, "not_found");
	else
		resp_json(r, 200, addon_out(vehicle_id, key, &s));
}

static bool
vehicle_audit(struct req *r, const char *action, const struct vehicle *v,
    const char *key)
{
	json_t *m = json_object();

	json_object_set_new(m, "addon_key", json_string(key));
	return audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "VEHICLE", .target_id = v->public_id,
	    .scope = addon_scope(&r->cx, v->owner_user_id), .meta = m });
}

/* POST /vehicles/{vehicle_id}/enable */
static void
vehicle_enable(struct req *r)
{
	enum addon_gate g;
	struct vehicle v;
	const char *key;
	bool gf;
	json_t *body;

	body = v_body_object(r);
	key = addon_key_member(r, body, "body", "addon_key", NULL, false);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_LIVE, &v))
		return;
	g = addon_gate(&r->cx, &(struct addon_target){ v.public_id,
	    v.owner_user_id, key }, &gf);
	if (g != GATE_OK) {
		addon_gate_refusal(r, g, ADDON_STYLE_ENABLE);
		return;
	}
	if (!addon_state_activate(r->cx.db, v.public_id, key, r->cx.now) ||
	    !vehicle_audit(r, "ADDON_ENABLED", &v, key)) {
		resp_db_error(r);
		return;
	}
	state_reply(r, v.public_id, key);
}

/* POST /vehicles/{vehicle_id}/disable */
static void
vehicle_disable(struct req *r)
{
	struct vehicle v;
	const char *key;
	json_t *body;
	int rc;

	body = v_body_object(r);
	key = addon_key_member(r, body, "body", "addon_key", NULL, true);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_LIVE, &v))
		return;
	/* The first stamp stays: a disabled vehicle is still grandfathered. */
	rc = addon_state_deactivate(r->cx.db, v.public_id, key, r->cx.now);
	if (rc < 0 || (rc == 1 && !vehicle_audit(r, "ADDON_DISABLED", &v, key)))
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 404, "not_found");
	else
		state_reply(r, v.public_id, key);
}

/* GET /vehicles/{vehicle_id}/{addon_key} */
static void
vehicle_state(struct req *r)
{
	const char *key = req_param(r, "addon_key");
	struct vehicle v;

	addon_key_check(r, key, "path", "addon_key", true);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_LIVE, &v))
		return;
	state_reply(r, v.public_id, key);
}

static const struct route routes[] = {
	{ "GET", "/config", POLICY_ADM, config_list },
	{ "POST", "/config/{addon_key}", POLICY_ADM_W, config_set },
	{ "POST", "/entitlements/{addon_key}", POLICY_ADM_W, entitlement_set },
	{ "POST", "/vehicles/{vehicle_id}/enable", POLICY_OWN_CONSENT_W,
	    vehicle_enable },
	{ "POST", "/vehicles/{vehicle_id}/disable", POLICY_OWN_CONSENT_W,
	    vehicle_disable },
	{ "GET", "/vehicles/{vehicle_id}/{addon_key}", POLICY_OWN_CONSENT, vehicle_state },
};

APP_MAIN("addons", routes, NULL)
