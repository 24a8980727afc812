/* addon_answer.c: see addon_answer.h. */
#include <string.h>

#include "http/addon_answer.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/addon.h"

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

void
addon_gate_refusal(struct req *r, enum addon_gate g, enum addon_style style)
{
	if (g == GATE_OK)
		return;
	if (g == GATE_DB_ERROR) {
		resp_db_error(r);
		return;
	}
	/* domain.md 14.1: the denial is audited although the request fails. */
	req_keep_writes(r);
	if (g == GATE_ADMIN_ONLY && style == ADDON_STYLE_ENABLE)
		resp_detail(r, 403, "forbidden");
	else
		resp_detail_code(r, 403, addon_gate_code(g));
}
