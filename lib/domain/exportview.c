/*
 * exportview.c: see exportview.h. The views read the vehicle's tables
 * through their stores where a store has the read, and directly for
 * the export-only selections (no table is written here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/exportview.h"
#include "domain/trustsummary.h"
#include "domain/vin.h"
#include "store/entry.h"
#include "store/rowjson.h"
#include "store/sbentries.h"

/* ---- helpers ------------------------------------------------------------ */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
exported_at(struct ctx *cx)
{
	char api[TS_API_LEN];

	ts_api(cx->now, api);
	return json_string(api);
}

/* Keeps only the listed keys of every object of a (new) array. */
static json_t *
pick(const json_t *list, const char *const *keys)
{
	json_t *out = json_array(), *e;
	size_t i, k;

	json_array_foreach(list, i, e) {
		json_t *o = json_object();

		for (k = 0; keys[k] != NULL; k++) {
			json_t *v = json_object_get(e, keys[k]);

			json_object_set(o, keys[k], v != NULL ? v :
			    json_null());
		}
		json_array_append_new(out, o);
	}
	return out;
}

/*
 * The members of an array naming valid evidence: strings of prefix and a
 * document id ("" for plain ids, "doc:" for evidence_refs).
 */
static json_t *
valid_docs(struct ctx *cx, const json_t *list, const char *prefix,
    bool *err)
{
	size_t i, n = strlen(prefix);
	json_t *out = json_array(), *e;
	int rc;

	json_array_foreach(list, i, e) {
		const char *s = json_string_value(e);

		if (s == NULL || strncmp(s, prefix, n) != 0 ||
		    (n > 0 && s[n] == '\0'))
			continue;
		if ((rc = export_doc_valid(cx, s + n)) < 0) {
			*err = true;
			break;
		}
		if (rc == 1)
			json_array_append(out, e);
	}
	return out;
}

static const char *
meta_str(const json_t *meta, const char *key)
{
	json_t *v = meta != NULL ? json_object_get(meta, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- vehicle ------------------------------------------------------------ */

static const char *
vin_masked(struct ctx *cx, const struct vehicle *v)
{
	if (v->vin_prefix3 == NULL || v->vin_last4 == NULL ||
	    *v->vin_prefix3 == '\0' || *v->vin_last4 == '\0')
		return "";
	return arena_printf(&cx->arena, "%s***%s", v->vin_prefix3,
	    v->vin_last4);
}

/* Valid-evidence documents of the vehicle, created_at ascending. */
static const struct col_json doc_redacted_cols[] = {
	{ "id", col_text },
	{ "entry_id", col_text },
	{ "content_type", col_text },
	{ "size_bytes", col_int },
	{ "checksum_sha256", col_text },
	{ "created_at", col_ts },
	{ "approval_status", col_text },
	{ NULL },
};

#define DOCS_REDACTED "SELECT id, entry_id, content_type, size_bytes, " \
	"checksum_sha256, created_at, approval_status FROM documents WHERE " \
	"vehicle_id = ? AND approval_status = 'APPROVED' AND " \
	"scan_status = 'CLEAN' AND pii_status = 'OK' AND deleted_at IS NULL " \
	"ORDER BY created_at, id"

/* DocumentOut (api.md 1.2) plus pii_confirmed_at, non-deleted, by time. */
static const struct col_json doc_full_cols[] = {
	{ "id", col_text },
	{ "filename", col_text },
	{ "content_type", col_text },
	{ "size_bytes", col_int },
	{ "approval_status", col_text },
	{ "status", col_text },
	{ "scan_status", col_text },
	{ "pii_status", col_text },
	{ "checksum_sha256", col_text },
	{ "vehicle_id", col_text },
	{ "entry_id", col_text },
	{ "owner_user_id", col_text },
	{ "created_by_user_id", col_text },
	{ "created_at", col_ts },
	{ "approved_by_user_id", col_text },
	{ "approved_at", col_ts },
	{ "rejected_by_user_id", col_text },
	{ "rejected_at", col_ts },
	{ "reject_reason", col_text },
	{ "pii_marked_by_user_id", col_text },
	{ "pii_marked_at", col_ts },
	{ "pii_note", col_text },
	{ "deleted_at", col_ts },
	{ "pii_confirmed_at", col_ts },
	{ NULL },
};

static const struct col_json folder_cols[] = {
	{ "id", col_int },
	{ "vehicle_id", col_text },
	{ "owner_user_id", col_text },
	{ "addon_key", col_text },
	{ "title", col_text },
	{ "created_at", col_ts },
	{ "updated_at", col_ts },
	{ NULL },
};

static const struct col_json addon_cols[] = {
	{ "vehicle_id", col_text },
	{ "addon_key", col_text },
	{ "active", col_bool },
	{ "addon_first_enabled_at", col_ts },
	{ NULL },
};

/* The full export's lists of a vehicle after its entries. */
static const struct row_list vehicle_lists[] = {
	{ "documents", doc_full_cols, "SELECT id, filename, content_type, "
	    "size_bytes, approval_status, approval_status, scan_status, "
	    "pii_status, checksum_sha256, vehicle_id, entry_id, owner_user_id, "
	    "created_by_user_id, created_at, approved_by_user_id, approved_at, "
	    "rejected_by_user_id, rejected_at, reject_reason, "
	    "pii_marked_by_user_id, pii_marked_at, pii_note, deleted_at, "
	    "pii_confirmed_at FROM documents WHERE vehicle_id = ? AND "
	    "deleted_at IS NULL ORDER BY created_at, id" },
	{ "trust_folders", folder_cols, "SELECT id, vehicle_id, owner_user_id, "
	    "addon_key, title, created_at, updated_at FROM trust_folders "
	    "WHERE vehicle_id = ? ORDER BY id" },
	{ "addon_states", addon_cols, "SELECT vehicle_id, addon_key, active, "
	    "addon_first_enabled_at FROM vehicle_addon_states WHERE "
	    "vehicle_id = ? ORDER BY addon_key" },
	{ NULL },
};

static json_t *
vehicle_full(struct ctx *cx, const struct vehicle *v)
{
	json_t *o = json_object(), *entries, *meta;

	if ((entries = entry_export_rows(cx->db, v->public_id)) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "public_id", json_string(v->public_id));
	json_object_set_new(o, "owner_user_id", str_or_null(v->owner_user_id));
	json_object_set_new(o, "vin_prefix3", str_or_null(v->vin_prefix3));
	json_object_set_new(o, "vin_last4", str_or_null(v->vin_last4));
	json_object_set_new(o, "vin_masked", json_string(vin_masked(cx, v)));
	json_object_set_new(o, "vin_hmac", str_or_null(v->vin_hmac));
	meta = vehicle_meta(v);
	json_object_set_new(o, "meta", meta != NULL ? meta : json_null());
	json_object_set_new(o, "created_at", ts_json(v->created_at));
	json_object_set_new(o, "updated_at", ts_json(v->updated_at));
	json_object_set_new(o, "deleted_at", ts_json(v->deleted_at));
	json_object_set_new(o, "deleted_by_user_id",
	    str_or_null(v->deleted_by_user_id));
	json_object_set_new(o, "delete_reason", str_or_null(v->delete_reason));
	json_object_set_new(o, "delete_comment",
	    str_or_null(v->delete_comment));
	json_object_set_new(o, "entries", entries);
	if (!rows_json_lists(cx->db, o, vehicle_lists, true, v->public_id)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
export_vehicle(struct ctx *cx, const struct vehicle *v, bool full)
{
	static const char *const entry_keys[] = { "id", "entry_group_id",
	    "version", "date", "type", "performed_by", "km", "cost_amount",
	    "trust_level", "created_at", NULL };
	struct trust_result res;
	json_t *d, *veh, *trust, *entries, *docs, *year, *meta;

	if (full)
		return vehicle_full(cx, v);
	if (!trustsummary_evaluate(cx, v, &res))
		return NULL;
	if ((entries = entry_list(cx->db, v->public_id, -1, 0)) == NULL)
		return NULL;
	docs = rows_json(cx->db, doc_redacted_cols, true, DOCS_REDACTED, "s",
	    v->public_id);
	if (docs == NULL) {
		json_decref(entries);
		return NULL;
	}
	meta = vehicle_meta(v);
	veh = json_object();
	json_object_set_new(veh, "public_id", json_string(v->public_id));
	json_object_set_new(veh, "vin_prefix3", str_or_null(v->vin_prefix3));
	json_object_set_new(veh, "vin_last4", str_or_null(v->vin_last4));
	json_object_set_new(veh, "vin_masked", json_string(vin_masked(cx, v)));
	json_object_set_new(veh, "vehicle_class",
	    str_or_null(meta_str(meta, "vehicle_class")));
	json_object_set_new(veh, "make",
	    str_or_null(meta_str(meta, "make")));
	json_object_set_new(veh, "model",
	    str_or_null(meta_str(meta, "model")));
	year = meta != NULL ? json_object_get(meta, "year") : NULL;
	json_object_set_new(veh, "year", json_is_integer(year) ?
	    json_integer(json_integer_value(year)) : json_null());
	json_object_set_new(veh, "drivetrain",
	    str_or_null(meta_str(meta, "drivetrain")));
	json_object_set_new(veh, "accident_status",
	    json_string(res.accident_status));
	json_object_set_new(veh, "created_at", ts_json(v->created_at));
	trust = json_object();
	json_object_set_new(trust, "trust_light", json_string(res.light));
	json_object_set_new(trust, "verification_level",
	    json_string(res.verification_level));
	json_object_set_new(trust, "history_status",
	    json_string(res.history_status));
	json_object_set_new(trust, "evidence_status",
	    json_string(res.evidence_status));
	json_object_set_new(trust, "accident_status",
	    json_string(res.accident_status));
	json_object_set_new(trust, "top_trust_level",
	    str_or_null(res.top_trust_level));

	d = json_object();
	json_object_set_new(d, "target", json_string("vehicle"));
	json_object_set_new(d, "id", json_string(v->public_id));
	json_object_set_new(d, "vehicle_id", json_string(v->public_id));
	json_object_set_new(d, "public_id", json_string(v->public_id));
	json_object_set_new(d, "_redacted", json_true());
	json_object_set_new(d, "exported_at", exported_at(cx));
	json_object_set_new(d, "vehicle", veh);
	json_object_set_new(d, "vin_hmac", str_or_null(v->vin_hmac));
	json_object_set_new(d, "trust", trust);
	json_object_set_new(d, "entries", pick(entries, entry_keys));
	json_object_set_new(d, "documents", docs);
	json_decref(entries);
	json_decref(meta);
	return d;
}

/* ---- user --------------------------------------------------------------- */

static const struct col_json consent_cols[] = {
	{ "doc_type", col_text },
	{ "doc_version", col_text },
	{ "accepted_at", col_ts },
	{ "source", col_text },
	{ "created_at", col_ts },
	{ NULL },
};

/* The public ids of the user's vehicles, oldest first. */
static json_t *
user_vehicles(struct ctx *cx, const char *uid)
{
	static const struct col_json cols[] = { { "id", col_text }, { NULL } };
	json_t *rows = rows_json(cx->db, cols, true, "SELECT public_id FROM "
	    "vehicles WHERE owner_user_id = ? ORDER BY created_at, id", "s",
	    uid);
	json_t *ids, *e;
	size_t i;

	if (rows == NULL)
		return NULL;
	ids = json_array();
	json_array_foreach(rows, i, e)
		json_array_append(ids, json_object_get(e, "id"));
	json_decref(rows);
	return ids;
}

int
export_user(struct ctx *cx, const char *uid, bool full, json_t **out)
{
	static const struct col_json cols[] = {
		{ "user_id", col_text },
		{ "_redacted", col_bool, COL_REDACTED },
		{ "role", col_text },
		{ "status", col_text },
		{ "created_at", col_ts },
		{ "updated_at", col_ts, COL_FULL },
		{ "email_verified_at", col_ts, COL_FULL },
		{ "password_changed_at", col_ts, COL_FULL },
		{ "disabled_at", col_ts, COL_FULL },
		{ "has_password", col_bool, COL_FULL },
		{ "email_hmac", col_text },
		{ NULL },
	};
	char uhmac[HEX_HMAC_LEN];
	struct db_stmt *st;
	json_t *u = NULL, *consents, *vehicles;
	int rc;

	*out = NULL;
	st = db_prep(cx->db, "SELECT user_id, 1, role, status, created_at, "
	    "updated_at, email_verified_at, password_changed_at, disabled_at, "
	    "password_hash IS NOT NULL, email_hmac FROM auth_users WHERE "
	    "user_id = ?", "s", uid);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		hmac_hex(uid, uhmac);
		u = row_json(st, cols, full);
		json_object_set_new(u, "user_id_hmac", json_string(uhmac));
	}
	db_finalize(st);
	if (rc <= 0)
		return rc;
	if (full) {
		consents = rows_json(cx->db, consent_cols, true, "SELECT "
		    "doc_type, doc_version, accepted_at, source, created_at "
		    "FROM consent_acceptances WHERE user_id = ? ORDER BY "
		    "accepted_at, id", "s", uid);
		vehicles = user_vehicles(cx, uid);
		if (consents == NULL || vehicles == NULL) {
			json_decref(consents);
			json_decref(vehicles);
			json_decref(u);
			return -1;
		}
		json_object_set_new(u, "consents", consents);
		json_object_set_new(u, "vehicle_ids", vehicles);
	}
	*out = u;
	return 1;
}

/* ---- servicebook -------------------------------------------------------- */

json_t *
export_servicebook(struct ctx *cx, const char *sid, bool full)
{
	static const char *const keys[] = { "id", "entry_type", "source",
	    "result_status", "occurred_at", "km", "document_ids",
	    "related_entry_id", "related_case_id", "owner_id", "actor_role",
	    "created_at", "updated_at", NULL };
	char h[HEX_HMAC_LEN];
	json_t *entries, *rows, *e, *s;
	bool err = false;
	size_t i;

	if ((entries = servicebook_entries(cx, sid)) == NULL)
		return NULL;
	s = json_object();
	json_object_set_new(s, "id", json_string(sid));
	if (full) {
		json_object_set_new(s, "entries", entries);
		return s;
	}
	hmac_hex(sid, h);
	json_object_set_new(s, "servicebook_id_hmac", json_string(h));
	rows = pick(entries, keys);
	json_array_foreach(rows, i, e)
		if (!err)
			json_object_set_new(e, "document_ids", valid_docs(cx,
			    json_object_get(e, "document_ids"), "", &err));
	json_decref(entries);
	json_object_set_new(s, "entries", rows);
	if (err) {
		json_decref(s);
		return NULL;
	}
	return s;
}

/* ---- masterclipboard ---------------------------------------------------- */

json_t *
export_masterclipboard(struct ctx *cx, const struct mc_session *s, bool full)
{
	static const char *const item_keys[] = { "id", "kind", "title",
	    "severity", "status", "evidence_refs", "created_at", "updated_at",
	    NULL };
	static const char *const snap_keys[] = { "id", "ordered_item_ids",
	    "created_at", NULL };
	char h[HEX_HMAC_LEN];
	json_t *c, *d, *items, *e;
	bool err = false;
	size_t i;

	if ((c = mc_session_json(cx, s, true)) == NULL || full)
		return c;
	hmac_hex(s->vehicle_public_id, h);
	d = json_object();
	json_object_set_new(d, "_redacted", json_true());
	json_object_set_new(d, "id", json_string(s->id));
	json_object_set_new(d, "vehicle_public_id_hmac", json_string(h));
	json_object_set_new(d, "is_closed", json_boolean(s->is_closed));
	json_object_set_new(d, "created_at", ts_json(s->created_at));
	json_object_set_new(d, "closed_at", ts_json(s->closed_at));
	json_object_set_new(d, "speech_chunk_count", json_integer(
	    (json_int_t)json_array_size(json_object_get(c, "speech_chunks"))));
	items = pick(json_object_get(c, "triage_items"), item_keys);
	json_array_foreach(items, i, e)
		if (!err)
			json_object_set_new(e, "evidence_refs",
			    valid_docs(cx, json_object_get(e,
			    "evidence_refs"), "doc:", &err));
	json_object_set_new(d, "triage_items", items);
	json_object_set_new(d, "board_snapshots",
	    pick(json_object_get(c, "board_snapshots"), snap_keys));
	json_decref(c);
	if (err) {
		json_decref(d);
		return NULL;
	}
	return d;
}
