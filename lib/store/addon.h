/*
 * addon.h: the add-on store and gate (domain.md 0.4, 8). All SQL on
 * addon_configs, account_entitlements and vehicle_addon_states lives here.
 *
 * The gate is one function for both callers: the enable route answers
 * admin_only as a plain "forbidden", the folder gate as {"code":"admin_only"}.
 * Grandfathering (addon_first_enabled_at set) beats every config flag.
 */
#ifndef LTC_ADDON_H
#define LTC_ADDON_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/request.h"

#define ADDON_KEY_MAX		64
#define ADDON_RESERVED_KEY	"vehicle_slots"	/* the paywall entitlement */
#define ADDON_DEFAULT_KEY	"restauration"

struct addon_config {
	bool	 allow_new;
	bool	 requires_payment;
	bool	 admin_only;
};

struct addon_state {
	bool	 active;
	char	*first_enabled_at;	/* storage format or NULL */
};

/* Which refusal shapes the gate answers (api.md 7.4 vs. 8). */
enum addon_style {
	ADDON_STYLE_ENABLE,	/* admin_only -> {"detail":"forbidden"} */
	ADDON_STYLE_FOLDER,	/* admin_only -> {"detail":{"code":"admin_only"}} */
};

/* The (vehicle, add-on) an operation is about. */
struct addon_target {
	const char	*vehicle_id;	/* public id */
	const char	*owner_user_id;	/* vehicle owner, for the audit scope */
	const char	*addon_key;
};

/* ^[a-z0-9_-]{1,64}$ */
bool	 addon_key_valid(const char *);
/*
 * Checks a key for the 422 list: string_pattern_mismatch at loc/name when
 * it fails the pattern, and value_error when reserved is false and the key
 * is vehicle_slots. True when the key may be used.
 */
bool	 addon_key_check(struct req *, const char *key, const char *loc,
	    const char *name, bool reserved_ok);

/*
 * Reads an add-on key member of a JSON body: absent or null gives dflt;
 * with dflt NULL the field is required (missing / string_type). A
 * non-string is string_type; then addon_key_check. NULL when it failed.
 */
const char *addon_key_member(struct req *, json_t *obj, const char *loc,
	    const char *name, const char *dflt, bool reserved_ok);

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

/* 1 found (s filled; free with addon_state_free), 0 none, -1 db error. */
int	 addon_state_get(struct db *, const char *vehicle_id, const char *key,
	    struct addon_state *);
void	 addon_state_free(struct addon_state *);
/* active = 1; addon_first_enabled_at = now unless already set. */
bool	 addon_state_activate(struct db *, const char *vehicle_id,
	    const char *key, int64_t now);
/* active = 0 (first_enabled_at kept); 1 done, 0 no row, -1 error. */
int	 addon_state_deactivate(struct db *, const char *vehicle_id,
	    const char *key, int64_t now);
/* AddonOut of api.md 1.2; new reference. */
json_t	*addon_out(const char *vehicle_id, const char *key,
	    const struct addon_state *);

/* Audit scope of an action on the target: own, or global for an admin. */
const char *addon_scope(const struct req *, const char *owner_user_id);

/*
 * The gate of domain.md 8 (and steps 2-6 of 9), evaluated for the actor
 * inside the caller's open transaction. Returns:
 *   1  allowed; *grandfathered tells whether addon_first_enabled_at was
 *      already set (else the caller's action is a new activation);
 *   0  refused: ADDON_GATE_DENIED is written and committed, the 403 is
 *      answered in the style's shape;
 *  -1  database error, answered.
 */
int	 addon_gate(struct req *, const struct addon_target *,
	    enum addon_style, bool *grandfathered);

/*
 * Legacy backfill of domain.md 9 step 1, for a caller that found folders
 * for the target: stamps addon_first_enabled_at = now and active = 1 when
 * the stamp is missing, and audits ADDON_GRANDFATHERED. In the caller's
 * transaction. False on db error (not answered).
 */
bool	 addon_backfill(struct req *, const struct addon_target *);

#endif
