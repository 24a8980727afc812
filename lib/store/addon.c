/* addon.c: see addon.h. */
#include <string.h>

#include "base/clock.h"
#include "store/addon.h"
#include "store/db.h"
#include "store/rowjson.h"

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

json_t *
addon_config_list(struct db *db)
{
	static const struct col_json cols[] = {
		{ "addon_key", col_text },
		{ "allow_new", col_bool },
		{ "requires_payment", col_bool },
		{ "admin_only", col_bool },
		{ "updated_at", col_ts },
		{ NULL },
	};

	return rows_json(db, cols, false, "SELECT addon_key, allow_new, "
	    "requires_payment, admin_only, updated_at FROM addon_configs "
	    "ORDER BY addon_key", NULL);
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
	return db_exec(db, "INSERT INTO addon_configs (addon_key, allow_new, "
	    "requires_payment, admin_only, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (addon_key) DO UPDATE SET "
	    "allow_new = excluded.allow_new, "
	    "requires_payment = excluded.requires_payment, "
	    "admin_only = excluded.admin_only, updated_at = excluded.updated_at",
	    "sdddtt", key, (int)c->allow_new, (int)c->requires_payment,
	    (int)c->admin_only, now, now) == DB_OK;
}

bool
addon_entitlement_set(struct db *db, const char *user_id, const char *key,
    bool enabled, int64_t quantity, int64_t now)
{
	return db_exec(db, "INSERT INTO account_entitlements (user_id, "
	    "addon_key, enabled, quantity, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, addon_key) "
	    "DO UPDATE SET enabled = excluded.enabled, "
	    "quantity = excluded.quantity, updated_at = excluded.updated_at",
	    "ssditt", user_id, key, (int)enabled, quantity, now, now) == DB_OK;
}

int
addon_entitled(struct db *db, const char *user_id, const char *key)
{
	return (int)db_scalar(db, "SELECT 1 FROM account_entitlements WHERE "
	    "user_id = ? AND addon_key = ? AND enabled = 1", "ss", user_id, key);
}

int
addon_state_get(struct ctx *cx, const char *vehicle_id, const char *key,
    struct addon_state *s)
{
	struct db_stmt *st;
	int rc;

	memset(s, 0, sizeof(*s));
	st = db_prep(cx->db, "SELECT active, addon_first_enabled_at FROM "
	    "vehicle_addon_states WHERE vehicle_id = ? AND addon_key = ?", "ss",
	    vehicle_id, key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		s->active = db_int(st, 0) != 0;
		s->first_enabled_at = arena_strdup(&cx->arena, db_text(st, 1));
	}
	db_finalize(st);
	return rc;
}

bool
addon_state_activate(struct db *db, const char *vehicle_id, const char *key,
    int64_t now)
{
	/* The first stamp is never moved: that is the grandfathering. */
	return db_exec(db, "INSERT INTO vehicle_addon_states (vehicle_id, "
	    "addon_key, active, addon_first_enabled_at, created_at, updated_at) "
	    "VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (vehicle_id, addon_key) "
	    "DO UPDATE SET active = 1, addon_first_enabled_at = "
	    "coalesce(addon_first_enabled_at, excluded.addon_first_enabled_at), "
	    "updated_at = excluded.updated_at", "ssttt", vehicle_id, key, now,
	    now, now) == DB_OK;
}

int
addon_state_deactivate(struct db *db, const char *vehicle_id, const char *key,
    int64_t now)
{
	if (db_exec(db, "UPDATE vehicle_addon_states SET active = 0, "
	    "updated_at = ? WHERE vehicle_id = ? AND addon_key = ?", "tss", now,
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
addon_scope(const struct ctx *cx, const char *owner_user_id)
{
	if (ctx_is_admin(cx) && !str_eq(owner_user_id, cx->actor.user_id))
		return "global";
	return "own";
}
