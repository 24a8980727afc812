/* trustdata.c: see trustdata.h. */
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/trustdata.h"
#include "base/util.h"

bool
trustdata_evaluate(struct db *db, const struct vehicle *v,
    struct trust_result *res)
{
	struct trust_input in = { 0 };
	struct trust_doc *docs = NULL;
	const char **levels = NULL;
	size_t nl = 0, cl = 0, nd = 0, cd = 0, i;
	char **strs = NULL;
	size_t ns = 0, cs = 0;
	struct db_stmt *st;
	bool ok = false;
	int rc;

	if (v == NULL) {
		trust_evaluate(&in, res);
		return true;
	}
	st = db_prep(db, "SELECT trust_level FROM vehicle_entries "
	    "WHERE vehicle_id = ? AND is_latest = 1", "s", v->public_id);
	if (st == NULL)
		return false;
	while ((rc = db_step(st)) == 1) {
		if (nl == cl) {
			cl = cl ? cl * 2 : 16;
			levels = xrealloc(levels, cl * sizeof(*levels));
		}
		/* Only the three known levels matter; others read as none. */
		levels[nl++] = str_eq(db_text(st, 0), "T3") ? "T3" :
		    str_eq(db_text(st, 0), "T2") ? "T2" :
		    str_eq(db_text(st, 0), "T1") ? "T1" : NULL;
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	st = db_prep(db, "SELECT approval_status, scan_status, pii_status, "
	    "checksum_sha256 IS NOT NULL FROM documents WHERE vehicle_id = ? "
	    "AND deleted_at IS NULL", "s", v->public_id);
	if (st == NULL)
		goto out;
	while ((rc = db_step(st)) == 1) {
		if (nd == cd) {
			cd = cd ? cd * 2 : 8;
			docs = xrealloc(docs, cd * sizeof(*docs));
		}
		if (ns + 3 > cs) {
			cs = cs ? cs * 2 : 24;
			strs = xrealloc(strs, cs * sizeof(*strs));
		}
		docs[nd].approval_status = strs[ns++] = db_dup(st, 0);
		docs[nd].scan_status = strs[ns++] = db_dup(st, 1);
		docs[nd].pii_status = strs[ns++] = db_dup(st, 2);
		docs[nd].has_checksum = db_int(st, 3) != 0;
		docs[nd].deleted = false;
		nd++;
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	in.levels = levels;
	in.nentries = nl;
	in.meta = v->meta;
	in.docs = docs;
	in.ndocs = nd;
	trust_evaluate(&in, res);
	ok = true;
out:
	for (i = 0; i < ns; i++)
		free(strs[i]);
	free(strs);
	free(docs);
	free(levels);
	return ok;
}

static json_t *
meta_str(const json_t *meta, const char *key)
{
	json_t *v = meta != NULL ? json_object_get(meta, key) : NULL;

	return json_is_string(v) ? json_string(json_string_value(v)) :
	    json_null();
}

json_t *
trustdata_public(struct req *r, const char *id)
{
	struct trust_result res;
	struct vehicle v, *vp = NULL;
	json_t *veh = NULL, *year;
	int rc = 0;

	memset(&v, 0, sizeof(v));
	if (id != NULL && strlen(id) <= PATH_ID_MAX) {
		rc = vehicle_find(r->cx.db, id, &v);
		if (rc < 0)
			return NULL;
		if (rc == 1 && v.deleted_at == NULL)
			vp = &v;
	}
	if (!trustdata_evaluate(r->cx.db, vp, &res)) {
		vehicle_free(&v);
		return NULL;
	}
	if (vp != NULL) {
		veh = json_object();
		json_object_set_new(veh, "vehicle_class",
		    meta_str(v.meta, "vehicle_class"));
		json_object_set_new(veh, "make", meta_str(v.meta, "make"));
		json_object_set_new(veh, "model", meta_str(v.meta, "model"));
		year = v.meta != NULL ? json_object_get(v.meta, "year") : NULL;
		json_object_set_new(veh, "year", json_is_integer(year) ?
		    json_integer(json_integer_value(year)) : json_null());
		json_object_set_new(veh, "drivetrain",
		    meta_str(v.meta, "drivetrain"));
		json_object_set_new(veh, "vin_masked",
		    json_string(vehicle_vin_masked(r, &v)));
		json_object_set_new(veh, "accident_badge",
		    json_string(res.accident_status_label));
	}
	vehicle_free(&v);
	return trust_public_json(&res, veh);
}
