/*
 * addon_answer.h: what the add-on and trust folder routes share in the
 * http layer: the add-on key checks of their 422 lists, and the answer
 * to a gate refusal of domain/addon_gate.h.
 */
#ifndef LTC_ADDON_ANSWER_H
#define LTC_ADDON_ANSWER_H

#include <stdbool.h>

#include <jansson.h>

#include "domain/addon_gate.h"
#include "http/request.h"

/*
 * Checks a key for the 422 list: string_pattern_mismatch at loc/name when
 * it fails the pattern, and value_error when reserved_ok is false and the
 * key is vehicle_slots. True when the key may be used.
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

/* Which refusal shapes a route answers (api.md 7.4 vs. 8). */
enum addon_style {
	ADDON_STYLE_ENABLE,	/* admin_only -> {"detail":"forbidden"} */
	ADDON_STYLE_FOLDER,	/* admin_only -> {"detail":{"code":"admin_only"}} */
};

/*
 * Answers a gate result other than GATE_OK: the 403 in the style's
 * shape, keeping the denial's audit row (and the backfill before it), or
 * the database error.
 */
void	 addon_gate_refusal(struct req *, enum addon_gate, enum addon_style);

#endif
