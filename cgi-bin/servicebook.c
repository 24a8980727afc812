/*
 * servicebook: /api/servicebook/{servicebook_id}/... (api.md 11, routes
 * 63-65): the inspection log of a servicebook, its inspection events,
 * the cases a NOT_OK result opens and the remediations that close them.
 * The store (lib/store/sbentries.c) decides the vehicle-bound and free
 * scopes; this file validates bodies (422 before the scope, api.md 11.2)
 * and maps results to answers. Both writes run in the route's
 * transaction, so an inspection and its case appear together or not at
 * all.
 */
#include <string.h>

#include "base/clock.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/sbentries.h"

static const char *const inspection_sources[] = { "GPS", "READOUT", NULL };
static const char *const results[] = { "OK", "NOT_OK", NULL };

/* Answers the scope refusal (404 not_found / 403 forbidden). */
static bool
scope_ok(struct req *r, enum sb_access a)
{
	switch (a) {
	case SB_OK:
		return true;
	case SB_NOT_FOUND:
		resp_detail(r, 404, "not_found");
		break;
	case SB_FORBIDDEN:
		resp_detail(r, 403, "forbidden");
		break;
	case SB_ERROR:
		resp_db_error(r);
		break;
	}
	return false;
}

/*
 * document_ids: at most 50 strings, each a document the actor may link.
 * *out gets the array (NULL when absent); false on a database error.
 */
static bool
document_ids(struct req *r, json_t *body, const json_t **out)
{
	json_t *v = body != NULL ? json_object_get(body, "document_ids") : NULL;
	json_t *e;
	size_t i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_array(v)) {
		v_add(r, "list_type", "body", "document_ids",
		    "Input should be a valid list");
		return true;
	}
	if (json_array_size(v) > SB_DOCS_MAX) {
		v_add(r, "too_long", "body", "document_ids",
		    "List should have at most 50 items after validation");
		return true;
	}
	json_array_foreach(v, i, e) {
		const char *loc = arena_printf(&r->cx.arena,
		    "body.document_ids.%zu", i);
		int rc = 0;

		if (!json_is_string(e)) {
			v_add(r, "string_type", loc, NULL,
			    "Input should be a valid string");
			continue;
		}
		if (json_string_length(e) <= PATH_ID_MAX &&
		    strlen(json_string_value(e)) == json_string_length(e))
			rc = servicebook_doc_usable(&r->cx,
			    json_string_value(e));
		if (rc < 0)
			return false;
		if (rc == 0)
			v_add(r, "value_error", loc, NULL, "Value error, "
			    "not a document you may link");
	}
	*out = v;
	return true;
}

/*
 * The shared fields of api.md 11 after the route's own ones. False on a
 * database error (answered); 422 items are left for v_done().
 */
static bool
shared_fields(struct req *r, json_t *body, struct sb_entry_in *in)
{
	const char *occ;

	in->title = v_str(r, body, "body", "title", V_TRIM, 1, 255);
	in->summary = v_str(r, body, "body", "summary", V_MULTI, 0, 2000);
	in->details = v_str(r, body, "body", "details", V_MULTI, 0, 20000);
	in->occurred_at = r->cx.now;
	occ = v_str(r, body, "body", "occurred_at", 0, 0, 64);
	if (occ != NULL && !ts_parse(occ, &in->occurred_at))
		v_add(r, "datetime_format", "body", "occurred_at",
		    "Input should be a valid datetime");
	in->has_km = v_int(r, body, "body", "km", 0, 0, 9999999, &in->km);
	if (!document_ids(r, body, &in->document_ids)) {
		resp_db_error(r);
		return false;
	}
	return true;
}

/* ---- 11.1 GET …/entries ------------------------------------------------- */

static void
entries_list(struct req *r)
{
	const char *sid = req_param(r, "servicebook_id"), *scope;
	json_t *list;

	if (!scope_ok(r, servicebook_access(&r->cx, sid, SB_READ, &scope)))
		return;
	if ((list = servicebook_entries(&r->cx, sid)) == NULL) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, json_pack("{s:s,s:s,s:o}", "target", "servicebook",
	    "id", sid, "entries", list));
}

/* ---- 11.2 POST …/inspection-events ------------------------------------- */

static void
inspection_create(struct req *r)
{
	const char *sid = req_param(r, "servicebook_id"), *scope;
	struct sb_entry_in in;
	json_t *body, *ins, *cas;

	memset(&in, 0, sizeof(in));
	body = v_body_object(r);
	in.source = v_enum(r, body, "body", "source", V_REQ,
	    inspection_sources);
	in.result_status = v_enum(r, body, "body", "result_status", V_REQ,
	    results);
	if (!shared_fields(r, body, &in) || v_done(r))
		return;
	if (!scope_ok(r, servicebook_access(&r->cx, sid, SB_CREATE, &scope)))
		return;
	if (!servicebook_inspect(&r->cx, sid, &in, scope, &ins, &cas)) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, json_pack("{s:s,s:s,s:o,s:o}", "target",
	    "servicebook", "id", sid, "inspection_event", ins, "case", cas));
}

/* ---- 11.3 POST …/cases/{case_entry_id}/remediation --------------------- */

static void
remediation_create(struct req *r)
{
	const char *sid = req_param(r, "servicebook_id"), *scope, *status;
	const char *case_id = req_param(r, "case_entry_id");
	struct sb_entry_in in;
	json_t *body, *rem;
	int rc = 0;

	memset(&in, 0, sizeof(in));
	body = v_body_object(r);
	in.result_status = v_enum(r, body, "body", "result_status", V_REQ,
	    results);
	if (!shared_fields(r, body, &in) || v_done(r))
		return;
	if (!scope_ok(r, servicebook_access(&r->cx, sid, SB_READ, &scope)))
		return;
	if (strlen(case_id) <= PATH_ID_MAX)
		rc = servicebook_case_exists(&r->cx, sid, case_id);
	if (!resp_found(r, rc, 404, "case_not_found"))
		return;
	if (!servicebook_remediate(&r->cx, sid, case_id, &in, scope, &rem,
	    &status)) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, json_pack("{s:s,s:s,s:s,s:o,s:s}", "target",
	    "servicebook", "id", sid, "case_id", case_id, "remediation", rem,
	    "case_status", status));
}

static const struct route routes[] = {
	{ "GET", "/{servicebook_id}/entries", POLICY_OWN_CONSENT,
	  entries_list },
	{ "POST", "/{servicebook_id}/inspection-events", POLICY_OWN_CONSENT_W,
	  inspection_create },
	{ "POST", "/{servicebook_id}/cases/{case_entry_id}/remediation",
	  POLICY_OWN_CONSENT_W, remediation_create },
};

APP_MAIN("servicebook", routes, NULL)
