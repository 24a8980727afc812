/*
 * addon_gate.h: the add-on gate of domain.md 8 and the folder gate of
 * domain.md 9, for the actor, inside the request's write transaction.
 * Grandfathering (addon_first_enabled_at set) beats every config flag.
 *
 * A refusal has already written ADDON_GATE_DENIED (and, for the folder
 * gate, any legacy backfill): the caller answers it and keeps those
 * writes. http/addon_answer.h maps the result to the answer shapes.
 */
#ifndef LTC_ADDON_GATE_H
#define LTC_ADDON_GATE_H

#include <stdbool.h>

#include "store/ctx.h"

/* The (vehicle, add-on) an operation is about. */
struct addon_target {
	const char	*vehicle_id;	/* public id */
	const char	*owner_user_id;	/* vehicle owner, for the audit scope */
	const char	*addon_key;
};

enum addon_gate {
	GATE_OK,
	GATE_NOT_AVAILABLE,	/* no config row, or allow_new off */
	GATE_ADMIN_ONLY,
	GATE_PAYWALL,		/* requires_payment without entitlement */
	GATE_DB_ERROR,
};

/* The reason code of a refusal ("addon_not_available", ...); NULL else. */
const char *addon_gate_code(enum addon_gate);

/*
 * The gate (domain.md 8, steps 2-6 of 9). On GATE_OK *grandfathered
 * tells whether addon_first_enabled_at was already set (else the
 * caller's action is a new activation).
 */
enum addon_gate addon_gate(struct ctx *, const struct addon_target *,
	    bool *grandfathered);

/*
 * The folder gate of domain.md 9: legacy backfill when folders exist
 * (ADDON_GRANDFATHERED), then addon_gate(), then a new activation
 * (ADDON_ENABLED via_folder) when the vehicle was not grandfathered.
 */
enum addon_gate folder_gate(struct ctx *, const struct addon_target *);

#endif
