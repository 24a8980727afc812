/* addon.c: see addon.h. */
#include <stdlib.h>
#include <string.h>

#include "store/addon.h"
#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"
#include "http/response.h"
#include "http/valid.h"

bool
addon_key_valid(const char *s)
{
	size_t n, i;

	if (s == NULL || (n = strlen(s)) < 1 || n > ADDON_KEY_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool
addon_key_check(struct req *r, const char *key, const char *loc,
    const char *name, bool reserved_ok)
{
	if (!addon_key_valid(key)) {
		v_add(r, "string_pattern_mismatch", loc, name,
		    "String should match pattern '^[a-z0-9_-]{1,64}$'");
		return false;
	}
	if (!reserved_ok && strcmp(key, ADDON_RESERVED_KEY) == 0) {
		v_add(r, "value_error", loc, name,
		    "Value error, vehicle_slots is reserved for the paywall");
		return false;
	}
	return true;
}

const char *
addon_key_member(struct req *r, json_t *obj, const char *loc,
    const char *name, const char *dflt, bool reserved_ok)
{
	json_t *v;
	const char *key;

	if (obj == NULL)
		return NULL;
	v = json_object_get(obj, name);
	if (v == NULL && dflt == NULL) {
		v_add(r, "missing", loc, name, "Field required");
		return NULL;
	}
	if (v == NULL || (json_is_null(v) && dflt != NULL))
		return dflt;
	if (!json_is_string(v)) {
		v_add(r, "string_type", loc, name, "Input should be a valid string");
		return NULL;
	}
	key = json_string_value(v);
	/* An embedded NUL would hide behind the C string: not a key. */
	if (strlen(key) != json_string_length(v))
		key = "";
	if (!addon_key_check(r, key, loc, name, reserved_ok))
		return NULL;
	return key;
}

json_t *
addon_config_list(struct db *db)
{
	struct db_stmt *st;
	json_t *a, *o;
	int rc;

	st = db_prep(db, "SELECT addon_key, allow_new, requires_payment, "
	    "admin_only, updated_at FROM addon_configs ORDER BY addon_key", NULL);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		o = json_object();
		json_object_set_new(o, "addon_key", json_string(db_text(st, 0)));
		json_object_set_new(o, "allow_new", json_boolean(db_int(st, 1)));
		json_object_set_new(o, "requires_payment",
		    json_boolean(db_int(st, 2)));
		json_object_set_new(o, "admin_only", json_boolean(db_int(st, 3)));
		json_object_set_new(o, "updated_at", ts_json(db_text(st, 4)));
		json_array_append_new(a, o);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int
addon_config_get(struct db *db, const char *key, struct addon_config *c)
{
	struct db_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	st = db_prep(db, "SELECT allow_new, requires_payment, admin_only "
	    "FROM addon_configs WHERE addon_key = ?", "s", key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		c->allow_new = db_int(st, 0) != 0;
		c->requires_payment = db_int(st, 1) != 0;
		c->admin_only = db_int(st, 2) != 0;
	}
	db_finalize(st);
	return rc;
}

bool
addon_config_set(struct db *db, const char *key, const struct addon_config *c,
    int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "INSERT INTO addon_configs (addon_key, allow_new, "
	    "requires_payment, admin_only, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (addon_key) DO UPDATE SET "
	    "allow_new = excluded.allow_new, "
	    "requires_payment = excluded.requires_payment, "
	    "admin_only = excluded.admin_only, updated_at = excluded.updated_at",
	    "sdddss", key, (int)c->allow_new, (int)c->requires_payment,
	    (int)c->admin_only, ts, ts) == DB_OK;
}

bool
addon_entitlement_set(struct db *db, const char *user_id, const char *key,
    bool enabled, int64_t quantity, int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	return db_exec(db, "INSERT INTO account_entitlements (user_id, "
	    "addon_key, enabled, quantity, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, addon_key) "
	    "DO UPDATE SET enabled = excluded.enabled, "
	    "quantity = excluded.quantity, updated_at = excluded.updated_at",
	    "ssdiss", user_id, key, (int)enabled, quantity, ts, ts) == DB_OK;
}

int
addon_entitled(struct db *db, const char *user_id, const char *key)
{
	struct db_stmt *st;
	int rc;

	st = db_prep(db, "SELECT 1 FROM account_entitlements WHERE "
	    "user_id = ? AND addon_key = ? AND enabled = 1", "ss", user_id, key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_finalize(st);
	return rc;
}

int
addon_state_get(struct db *db, const char *vehicle_id, const char *key,
    struct addon_state *s)
{
	struct db_stmt *st;
	int rc;

	memset(s, 0, sizeof(*s));
	st = db_prep(db, "SELECT active, addon_first_enabled_at FROM "
	    "vehicle_addon_states WHERE vehicle_id = ? AND addon_key = ?", "ss",
	    vehicle_id, key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		s->active = db_int(st, 0) != 0;
		s->first_enabled_at = db_dup(st, 1);
	}
	db_finalize(st);
	return rc;
}

void
addon_state_free(struct addon_state *s)
{
	free(s->first_enabled_at);
	memset(s, 0, sizeof(*s));
}

bool
addon_state_activate(struct db *db, const char *vehicle_id, const char *key,
    int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	/* The first stamp is never moved: that is the grandfathering. */
	return db_exec(db, "INSERT INTO vehicle_addon_states (vehicle_id, "
	    "addon_key, active, addon_first_enabled_at, created_at, updated_at) "
	    "VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (vehicle_id, addon_key) "
	    "DO UPDATE SET active = 1, addon_first_enabled_at = "
	    "coalesce(addon_first_enabled_at, excluded.addon_first_enabled_at), "
	    "updated_at = excluded.updated_at", "sssss", vehicle_id, key, ts, ts,
	    ts) == DB_OK;
}

int
addon_state_deactivate(struct db *db, const char *vehicle_id, const char *key,
    int64_t now)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(now, ts);
	if (db_exec(db, "UPDATE vehicle_addon_states SET active = 0, "
	    "updated_at = ? WHERE vehicle_id = ? AND addon_key = ?", "sss", ts,
	    vehicle_id, key) != DB_OK)
		return -1;
	return db_changes(db) > 0 ? 1 : 0;
}

json_t *
addon_out(const char *vehicle_id, const char *key, const struct addon_state *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "vehicle_id", json_string(vehicle_id));
	json_object_set_new(o, "addon_key", json_string(key));
	json_object_set_new(o, "active", json_boolean(s->active));
	json_object_set_new(o, "addon_first_enabled_at",
	    ts_json(s->first_enabled_at));
	return o;
}

const char *
addon_scope(const struct req *r, const char *owner_user_id)
{
	if (ctx_is_admin(&r->cx) && !str_eq(owner_user_id, r->cx.actor.user_id))
		return "global";
	return "own";
}

static json_t *
key_meta(const char *key)
{
	json_t *m = json_object();

	json_object_set_new(m, "addon_key", json_string(key));
	return m;
}

/* Audits the denial, commits it, answers the 403. Returns 0 or -1. */
static int
gate_refuse(struct req *r, const struct addon_target *t, const char *code,
    enum addon_style style)
{
	if (!audit(&r->cx, &(struct audit_ev){ .action = "ADDON_GATE_DENIED",
	    .target_type = "VEHICLE", .target_id = t->vehicle_id,
	    .result = "denied", .reason = code,
	    .scope = addon_scope(r, t->owner_user_id),
	    .meta = key_meta(t->addon_key) }) || db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return -1;
	}
	if (strcmp(code, "admin_only") == 0 && style == ADDON_STYLE_ENABLE)
		resp_detail(r, 403, "forbidden");
	else
		resp_detail_code(r, 403, code);
	return 0;
}

int
addon_gate(struct req *r, const struct addon_target *t, enum addon_style style,
    bool *grandfathered)
{
	struct addon_state s;
	struct addon_config c;
	bool admin = ctx_is_admin(&r->cx);
	int rc;

	*grandfathered = false;
	rc = addon_state_get(r->cx.db, t->vehicle_id, t->addon_key, &s);
	if (rc < 0)
		goto dberr;
	if (rc == 1 && s.first_enabled_at != NULL) {
		addon_state_free(&s);
		*grandfathered = true;
		return 1;
	}
	addon_state_free(&s);
	rc = addon_config_get(r->cx.db, t->addon_key, &c);
	if (rc < 0)
		goto dberr;
	if (rc == 0)
		return gate_refuse(r, t, "addon_not_available", style);
	if (c.admin_only && !admin)
		return gate_refuse(r, t, "admin_only", style);
	/* allow_new binds admins too (domain.md 8 step 4). */
	if (!c.allow_new)
		return gate_refuse(r, t, "addon_not_available", style);
	if (c.requires_payment && !admin) {
		rc = addon_entitled(r->cx.db, r->cx.actor.user_id, t->addon_key);
		if (rc < 0)
			goto dberr;
		if (rc == 0)
			return gate_refuse(r, t, "paywall_required", style);
	}
	return 1;
dberr:
	resp_db_error(r);
	return -1;
}

bool
addon_backfill(struct req *r, const struct addon_target *t)
{
	struct addon_state s;
	int rc;

	rc = addon_state_get(r->cx.db, t->vehicle_id, t->addon_key, &s);
	if (rc < 0)
		return false;
	if (rc == 1 && s.first_enabled_at != NULL) {
		addon_state_free(&s);
		return true;
	}
	addon_state_free(&s);
	if (!addon_state_activate(r->cx.db, t->vehicle_id, t->addon_key, r->cx.now))
		return false;
	/* A rule of the system, not a choice of the caller. */
	return audit(&r->cx, &(struct audit_ev){ .action = "ADDON_GRANDFATHERED",
	    .target_type = "VEHICLE", .target_id = t->vehicle_id,
	    .actor_type = "system", .meta = key_meta(t->addon_key) });
}
