/*
 * addon.h: the add-on store (domain.md 0.4, 8). All SQL on addon_configs,
 * account_entitlements and vehicle_addon_states lives here. The gate that
 * decides on these rows is domain/addon_gate.h.
 */
#ifndef LTC_ADDON_H
#define LTC_ADDON_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"

#define ADDON_KEY_MAX		64
#define ADDON_RESERVED_KEY	"vehicle_slots"	/* the paywall entitlement */
#define ADDON_DEFAULT_KEY	"restauration"

struct addon_config {
	bool	 allow_new;
	bool	 requires_payment;
	bool	 admin_only;
};

struct addon_state {
	bool		 active;
	const char	*first_enabled_at;	/* storage format or NULL; arena */
};

/* ^[a-z0-9_-]{1,64}$ */
bool	 addon_key_valid(const char *);

/* Config list of api.md 7.1 ordered by key; new reference, NULL on error. */
json_t	*addon_config_list(struct db *);
/* 1 found (c filled), 0 no row, -1 db error. */
int	 addon_config_get(struct db *, const char *key, struct addon_config *);
/* Upsert writing all three flags; false on db error. */
bool	 addon_config_set(struct db *, const char *key,
	    const struct addon_config *, int64_t now);

/* Upsert per (user, key); false on db error. */
bool	 addon_entitlement_set(struct db *, const char *user_id,
	    const char *key, bool enabled, int64_t quantity, int64_t now);
/* 1 when user_id holds an enabled entitlement for key, 0 not, -1 error. */
int	 addon_entitled(struct db *, const char *user_id, const char *key);

/* 1 found (s filled), 0 none, -1 db error. */
int	 addon_state_get(struct ctx *, const char *vehicle_id, const char *key,
	    struct addon_state *);
/* active = 1; addon_first_enabled_at = now unless already set. */
bool	 addon_state_activate(struct db *, const char *vehicle_id,
	    const char *key, int64_t now);
/* active = 0 (first_enabled_at kept); 1 done, 0 no row, -1 error. */
int	 addon_state_deactivate(struct db *, const char *vehicle_id,
	    const char *key, int64_t now);
/* AddonOut of api.md 1.2; new reference. */
json_t	*addon_out(const char *vehicle_id, const char *key,
	    const struct addon_state *);

/* Audit scope of an action on a vehicle: own, or global for an admin. */
const char *addon_scope(const struct ctx *, const char *owner_user_id);

#endif
