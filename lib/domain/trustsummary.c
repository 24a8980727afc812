/* trustsummary.c: see trustsummary.h. */
#include <string.h>

#include "domain/trustsummary.h"
#include "store/trustdata.h"

bool
trustsummary_evaluate(struct ctx *cx, const struct vehicle *v,
    struct trust_result *res)
{
	struct trust_input in = { 0 };
	struct trust_doc *docs = NULL;
	struct trustdata td;
	json_t *meta;
	size_t i;

	if (v == NULL) {
		trust_evaluate(&in, res);
		return true;
	}
	if (!trustdata_load(cx, v->public_id, &td))
		return false;
	if (td.ndocs > 0)
		docs = arena_alloc(&cx->arena, td.ndocs * sizeof(*docs));
	for (i = 0; i < td.ndocs; i++) {
		docs[i].approval_status = td.docs[i].approval_status;
		docs[i].scan_status = td.docs[i].scan_status;
		docs[i].pii_status = td.docs[i].pii_status;
		docs[i].has_checksum = td.docs[i].has_checksum;
		docs[i].deleted = false;	/* the store loads live ones */
	}
	meta = vehicle_meta(v);
	in.levels = td.levels;
	in.nentries = td.nlevels;
	in.meta = meta;
	in.docs = docs;
	in.ndocs = td.ndocs;
	trust_evaluate(&in, res);
	json_decref(meta);
	return true;
}

static json_t *
meta_str(const json_t *meta, const char *key)
{
	json_t *v = meta != NULL ? json_object_get(meta, key) : NULL;

	return json_is_string(v) ? json_string(json_string_value(v)) :
	    json_null();
}

json_t *
trustsummary_public(struct ctx *cx, const char *id)
{
	struct trust_result res;
	struct vehicle v, *vp = NULL;
	json_t *veh = NULL, *meta, *year;
	int rc;

	rc = vehicle_find(cx, id, &v);
	if (rc < 0)
		return NULL;
	if (rc == 1 && v.deleted_at == NULL)
		vp = &v;
	if (!trustsummary_evaluate(cx, vp, &res))
		return NULL;
	if (vp != NULL) {
		meta = vehicle_meta(&v);
		veh = json_object();
		json_object_set_new(veh, "vehicle_class",
		    meta_str(meta, "vehicle_class"));
		json_object_set_new(veh, "make", meta_str(meta, "make"));
		json_object_set_new(veh, "model", meta_str(meta, "model"));
		year = meta != NULL ? json_object_get(meta, "year") : NULL;
		json_object_set_new(veh, "year", json_is_integer(year) ?
		    json_integer(json_integer_value(year)) : json_null());
		json_object_set_new(veh, "drivetrain",
		    meta_str(meta, "drivetrain"));
		json_object_set_new(veh, "vin_masked",
		    json_string(vehicle_vin_masked(cx, &v)));
		json_object_set_new(veh, "accident_badge",
		    json_string(res.accident_status_label));
		json_decref(meta);
	}
	return trust_public_json(&res, veh);
}
