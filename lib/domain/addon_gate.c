/* addon_gate.c: see addon_gate.h. */
#include <string.h>

#include "domain/addon_gate.h"
#include "store/addon.h"
#include "store/audit.h"
#include "store/folder.h"

const char *
addon_gate_code(enum addon_gate g)
{
	switch (g) {
	case GATE_NOT_AVAILABLE:
		return "addon_not_available";
	case GATE_ADMIN_ONLY:
		return "admin_only";
	case GATE_PAYWALL:
		return "paywall_required";
	default:
		return NULL;
	}
}

static json_t *
key_meta(const char *key)
{
	json_t *m = json_object();

	json_object_set_new(m, "addon_key", json_string(key));
	return m;
}

/* Audits the denial; the refusal, or GATE_DB_ERROR. */
static enum addon_gate
refuse(struct ctx *cx, const struct addon_target *t, enum addon_gate g)
{
	if (!audit(cx, &(struct audit_ev){ .action = "ADDON_GATE_DENIED",
	    .target_type = "VEHICLE", .target_id = t->vehicle_id,
	    .result = "denied", .reason = addon_gate_code(g),
	    .scope = addon_scope(cx, t->owner_user_id),
	    .meta = key_meta(t->addon_key) }))
		return GATE_DB_ERROR;
	return g;
}

enum addon_gate
addon_gate(struct ctx *cx, const struct addon_target *t, bool *grandfathered)
{
	struct addon_state s;
	struct addon_config c;
	bool admin = ctx_is_admin(cx);
	int rc;

	*grandfathered = false;
	rc = addon_state_get(cx, t->vehicle_id, t->addon_key, &s);
	if (rc < 0)
		return GATE_DB_ERROR;
	if (rc == 1 && s.first_enabled_at != NULL) {
		*grandfathered = true;
		return GATE_OK;
	}
	rc = addon_config_get(cx->db, t->addon_key, &c);
	if (rc < 0)
		return GATE_DB_ERROR;
	if (rc == 0)
		return refuse(cx, t, GATE_NOT_AVAILABLE);
	if (c.admin_only && !admin)
		return refuse(cx, t, GATE_ADMIN_ONLY);
	/* allow_new binds admins too (domain.md 8 step 4). */
	if (!c.allow_new)
		return refuse(cx, t, GATE_NOT_AVAILABLE);
	if (c.requires_payment && !admin) {
		rc = addon_entitled(cx->db, cx->actor.user_id, t->addon_key);
		if (rc < 0)
			return GATE_DB_ERROR;
		if (rc == 0)
			return refuse(cx, t, GATE_PAYWALL);
	}
	return GATE_OK;
}

/*
 * Legacy backfill of domain.md 9 step 1, for a target with folders:
 * stamps addon_first_enabled_at = now and active = 1 when the stamp is
 * missing, and audits ADDON_GRANDFATHERED. False on db error.
 */
static bool
backfill(struct ctx *cx, const struct addon_target *t)
{
	struct addon_state s;
	int rc;

	rc = addon_state_get(cx, t->vehicle_id, t->addon_key, &s);
	if (rc < 0)
		return false;
	if (rc == 1 && s.first_enabled_at != NULL)
		return true;
	if (!addon_state_activate(cx->db, t->vehicle_id, t->addon_key, cx->now))
		return false;
	/* A rule of the system, not a choice of the caller. */
	return audit(cx, &(struct audit_ev){ .action = "ADDON_GRANDFATHERED",
	    .target_type = "VEHICLE", .target_id = t->vehicle_id,
	    .actor_type = "system", .meta = key_meta(t->addon_key) });
}

/* A new activation through a folder route (domain.md 9 step 7). */
static bool
activate(struct ctx *cx, const struct addon_target *t)
{
	json_t *m;

	if (!addon_state_activate(cx->db, t->vehicle_id, t->addon_key, cx->now))
		return false;
	m = key_meta(t->addon_key);
	json_object_set_new(m, "via_folder", json_true());
	return audit(cx, &(struct audit_ev){ .action = "ADDON_ENABLED",
	    .target_type = "VEHICLE", .target_id = t->vehicle_id,
	    .scope = addon_scope(cx, t->owner_user_id), .meta = m });
}

enum addon_gate
folder_gate(struct ctx *cx, const struct addon_target *t)
{
	enum addon_gate g;
	bool grandfathered;
	int rc;

	/* Data made before the add-on was gated is never locked away. */
	rc = folder_any(cx->db, t->vehicle_id, t->addon_key);
	if (rc < 0 || (rc == 1 && !backfill(cx, t)))
		return GATE_DB_ERROR;
	if ((g = addon_gate(cx, t, &grandfathered)) != GATE_OK)
		return g;
	if (!grandfathered && !activate(cx, t))
		return GATE_DB_ERROR;
	return GATE_OK;
}
