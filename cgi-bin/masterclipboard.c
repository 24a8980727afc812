/*
 * masterclipboard: /api/masterclipboard/sessions* (api.md 13, routes
 * 76-82), the dealer workshop intake: sessions, speech chunks, triage
 * items, board snapshots, close. The store is lib/store/mc.c; this file
 * runs the order of api.md 13 for every route:
 *
 *   gate (401, CSRF, 403, consent) -> 429 per IP -> 413 -> 422
 *   -> Idempotency-Key (400) -> replay or 409 -> session (404/403)
 *   -> item (404) -> 409 session_closed -> action
 *
 * Handler errors use {"error": ...}; 413, 422 and 429 the standard
 * shapes. The rate limit counts the request inside the route's
 * transaction, so every refusal after it keeps that write; only 2xx
 * answers are recorded for replay, byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/crypto.h"
#include "http/app.h"
#include "http/limit.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/idempotency.h"
#include "store/mc.h"
#include "store/ratelimit.h"

/* Each route counts its own per-IP key (domain.md 16) before 413. */
#define MC_RULE(n, key)	static const struct rate_rule rate_mc_##n = { \
	"rl:mc:" key ":ip:", false, &cfg.rl_mc_##n, &cfg.rl_mc_window_seconds, \
	"rate_limited", NULL }
MC_RULE(sessions_create, "sessions.create");
MC_RULE(session_get, "session.get");
MC_RULE(speech_add, "speech.add");
MC_RULE(triage_create, "triage.create");
MC_RULE(triage_patch, "triage.patch");
MC_RULE(board_snapshot, "board.snapshot");
MC_RULE(close, "close");

#define POLICY_MC_W(rule) { R_MC, "role_not_allowed", \
			  PF_CONSENT | PF_WRITE, &rate_mc_##rule }

#define CONTENT_MAX	20000
#define TITLE_MAX	160
#define ITEMS_MAX	200
#define REFS_MAX	50
#define REF_MAX		200
#define SNAPSHOT_MAX	500

static const char *const sources[] = { "mic", "text", NULL };
static const char *const kinds[] = { "defect", "task", "recommendation",
    NULL };
static const char *const severities[] = { "low", "medium", "high", NULL };
static const char *const statuses[] = { "open", "in_progress", "done",
    "blocked", NULL };

/* ---- refusals after the counted rate limit ----------------------------- */

static void
mc_error(struct req *r, int status, const char *code)
{
	req_keep_writes(r);
	resp_error_code(r, status, code);
}

/* resp_found() with the masterclipboard's {"error": code} refusal. */
static bool
mc_found(struct req *r, int rc, int status, const char *code)
{
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		mc_error(r, status, code);
	return rc > 0;
}

static bool
mc_invalid(struct req *r)
{
	if (!v_failed(r))
		return false;
	req_keep_writes(r);
	v_done(r);
	return true;
}

/* ---- idempotency (steps 4 and 5) ---------------------------------------- */

struct idem {
	const char	*route_key;
	const char	*key;
	char		 hash[HEX_HMAC_LEN];	/* hex SHA-256 of the body */
};

static bool
key_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/*
 * Reads Idempotency-Key and answers a replay or a reuse itself. True when
 * the request is new and the action should run.
 */
static bool
mc_idempotency(struct req *r, const char *route_key, struct idem *id)
{
	const char *h = req_header("HTTP_IDEMPOTENCY_KEY");
	unsigned char md[32];
	struct idem_record rec;
	char *key;
	int rc;

	key = h != NULL ? str_trim(arena_strdup(&r->cx.arena, h)) : NULL;
	if (key == NULL || *key == '\0') {
		mc_error(r, 400, "missing_idempotency_key");
		return false;
	}
	if (strlen(key) > IDEM_KEY_MAX || !key_printable(key)) {
		mc_error(r, 400, "invalid_idempotency_key");
		return false;
	}
	if (!req_read_body(r, (size_t)cfg.json_max_bytes)) {
		resp_internal(r, "internal");
		return false;
	}
	sha256(r->body, r->body_len, md);
	hex_encode(md, sizeof(md), id->hash);
	id->route_key = route_key;
	id->key = key;
	rc = idem_find(&r->cx, route_key, key, &rec);
	if (rc < 0) {
		resp_db_error(r);
		return false;
	}
	if (rc == 0)
		return true;
	if (!str_eq(rec.request_hash, id->hash)) {
		mc_error(r, 409, "idempotency_key_reused");
		return false;
	}
	resp_json_text(r, rec.status, rec.response_json,
	    strlen(rec.response_json));
	resp_header(r, "Idempotent-Replayed", "true");
	return false;
}

/* The action's answer: recorded under the key, then sent as recorded. */
static void
mc_answer(struct req *r, const struct idem *id, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15));

	json_decref(body);
	if (s == NULL) {
		resp_internal(r, "internal");
		return;
	}
	if (!idem_store(&r->cx, id->route_key, id->key, id->hash, status, s))
		resp_db_error(r);
	else
		resp_json_text(r, status, s, strlen(s));
	free(s);
}

/* ---- session lookup (steps 6 and 7) ------------------------------------- */

/* The path's session, same org; answers 404/403 (and 409) itself. */
static bool
mc_session(struct req *r, struct mc_session *s, bool open)
{
	const char *id = req_param(r, "session_id");
	int rc = 0;

	if (id != NULL && strlen(id) <= PATH_ID_MAX)
		rc = mc_session_find(&r->cx, id, s);
	if (!mc_found(r, rc, 404, "not_found"))
		return false;
	if (!mc_same_org(&r->cx, s)) {
		mc_error(r, 403, "forbidden");
		return false;
	}
	if (open && s->is_closed) {
		mc_error(r, 409, "session_closed");
		return false;
	}
	return true;
}

static const char *
route_key(struct req *r, const char *suffix)
{
	const char *sid = req_param(r, "session_id");

	return arena_printf(&r->cx.arena, "%s.%s", sid != NULL ? sid : "",
	    suffix);
}

/* ---- 13.1 POST /sessions ------------------------------------------------ */

static void
session_create(struct req *r)
{
	const char *vpid;
	struct idem id;
	char sid[UUID_LEN];
	json_t *body;

	body = v_body_object(r);
	vpid = v_str(r, body, "body", "vehicle_public_id", V_REQ, 1, 64);
	if (mc_invalid(r) || !mc_idempotency(r, "sessions.create", &id))
		return;
	if (!mc_session_create(&r->cx, vpid, id.key, sid)) {
		resp_db_error(r);
		return;
	}
	mc_answer(r, &id, 201, json_pack("{s:s}", "session_id", sid));
}

/* ---- 13.2 GET /sessions/{session_id} ------------------------------------ */

static void
session_get(struct req *r)
{
	struct mc_session s;
	json_t *j;

	if (!mc_session(r, &s, false))
		return;
	if ((j = mc_session_json(&r->cx, &s, false)) == NULL) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, j);
}

/* ---- 13.3 POST …/speech ------------------------------------------------- */

static void
speech_add(struct req *r)
{
	const char *source, *content;
	struct mc_session s;
	struct idem id;
	char cid[UUID_LEN];
	json_t *body;

	body = v_body_object(r);
	source = v_enum(r, body, "body", "source", V_REQ, sources);
	content = v_str(r, body, "body", "content_redacted", V_REQ | V_MULTI,
	    1, CONTENT_MAX);
	if (mc_invalid(r) ||
	    !mc_idempotency(r, route_key(r, "speech.add"), &id) ||
	    !mc_session(r, &s, true))
		return;
	if (!mc_speech_add(&r->cx, &s, source, content, id.key, cid)) {
		resp_db_error(r);
		return;
	}
	mc_answer(r, &id, 201, json_pack("{s:s}", "speech_chunk_id", cid));
}

/* ---- 13.4 POST …/triage/items ------------------------------------------- */

/* evidence_refs: null, or at most 50 strings of 1..200 characters. */
static const json_t *
evidence_refs(struct req *r, json_t *item, const char *loc)
{
	json_t *v = json_object_get(item, "evidence_refs"), *e;
	const char *eloc = arena_printf(&r->cx.arena, "%s.evidence_refs", loc);
	bool good = true;
	size_t i;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		v_add(r, "list_type", loc, "evidence_refs",
		    "Input should be a valid list");
		return NULL;
	}
	if (json_array_size(v) > REFS_MAX) {
		v_add(r, "too_long", loc, "evidence_refs",
		    "List should have at most 50 items after validation");
		return NULL;
	}
	json_array_foreach(v, i, e) {
		const char *iloc = arena_printf(&r->cx.arena, "%s.%zu", eloc,
		    i);

		if (v_check_string(r, e, iloc, NULL, 0, 1, REF_MAX) == NULL)
			good = false;
	}
	return good ? v : NULL;
}

static void
items_create(struct req *r)
{
	struct mc_item_in *in = NULL;
	struct mc_session s;
	struct idem id;
	json_t *body, *items, *it, *ids;
	size_t n = 0, i;

	body = v_body_object(r);
	items = body != NULL ? json_object_get(body, "items") : NULL;
	if (body != NULL && items == NULL)
		v_add(r, "missing", "body", "items", "Field required");
	else if (body != NULL && !json_is_array(items))
		v_add(r, "list_type", "body", "items",
		    "Input should be a valid list");
	else if (body != NULL && json_array_size(items) < 1)
		v_add(r, "too_short", "body", "items",
		    "List should have at least 1 item after validation, not 0");
	else if (body != NULL && json_array_size(items) > ITEMS_MAX)
		v_add(r, "too_long", "body", "items",
		    "List should have at most 200 items after validation");
	else if (body != NULL) {
		n = json_array_size(items);
		in = arena_alloc(&r->cx.arena, n * sizeof(*in));
		json_array_foreach(items, i, it) {
			const char *loc = arena_printf(&r->cx.arena,
			    "body.items.%zu", i);

			memset(&in[i], 0, sizeof(in[i]));
			if (!json_is_object(it)) {
				v_add(r, "dict_type", loc, NULL,
				    "Input should be a valid dictionary");
				continue;
			}
			in[i].kind = v_enum(r, it, loc, "kind", V_REQ, kinds);
			in[i].title = v_str(r, it, loc, "title", V_REQ, 1,
			    TITLE_MAX);
			in[i].details = v_str(r, it, loc, "details_redacted",
			    V_MULTI, 0, CONTENT_MAX);
			in[i].severity = v_enum(r, it, loc, "severity", V_REQ,
			    severities);
			in[i].status = v_enum(r, it, loc, "status", V_REQ,
			    statuses);
			in[i].evidence_refs = evidence_refs(r, it, loc);
		}
	}
	if (mc_invalid(r) ||
	    !mc_idempotency(r, route_key(r, "triage.create"), &id) ||
	    !mc_session(r, &s, true))
		return;
	if (!mc_items_create(&r->cx, &s, in, n, id.key, &ids)) {
		resp_db_error(r);
		return;
	}
	mc_answer(r, &id, 201, json_pack("{s:o}", "created_ids", ids));
}

/* ---- 13.5 PATCH …/triage/items/{item_id} -------------------------------- */

static void
item_patch(struct req *r)
{
	const char *item = req_param(r, "item_id");
	struct mc_item_patch p;
	struct mc_session s;
	struct idem id;
	json_t *body;
	int rc = 0;

	body = v_body_object(r);
	p.title = v_str(r, body, "body", "title", 0, 1, TITLE_MAX);
	p.details = v_str(r, body, "body", "details_redacted", V_MULTI, 0,
	    CONTENT_MAX);
	p.severity = v_enum(r, body, "body", "severity", 0, severities);
	p.status = v_enum(r, body, "body", "status", 0, statuses);
	if (mc_invalid(r) ||
	    !mc_idempotency(r, route_key(r, arena_printf(&r->cx.arena,
	    "triage.patch.%s", item)), &id) ||
	    !mc_session(r, &s, false))
		return;
	if (strlen(item) <= PATH_ID_MAX)
		rc = mc_item_exists(&r->cx, s.id, item);
	if (!mc_found(r, rc, 404, "not_found"))
		return;
	if (s.is_closed) {
		mc_error(r, 409, "session_closed");
		return;
	}
	if (!mc_item_update(&r->cx, &s, item, &p, id.key)) {
		resp_db_error(r);
		return;
	}
	mc_answer(r, &id, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- 13.6 POST …/board/snapshot ----------------------------------------- */

static void
snapshot_add(struct req *r)
{
	const char *notes;
	struct mc_session s;
	struct idem id;
	char snap[UUID_LEN];
	json_t *body, *ids, *e;
	size_t i, j;
	int rc;

	body = v_body_object(r);
	ids = body != NULL ? json_object_get(body, "ordered_item_ids") : NULL;
	if (body != NULL && ids == NULL)
		v_add(r, "missing", "body", "ordered_item_ids",
		    "Field required");
	else if (body != NULL && !json_is_array(ids))
		v_add(r, "list_type", "body", "ordered_item_ids",
		    "Input should be a valid list");
	else if (body != NULL && json_array_size(ids) > SNAPSHOT_MAX)
		v_add(r, "too_long", "body", "ordered_item_ids",
		    "List should have at most 500 items after validation");
	else if (body != NULL)
		json_array_foreach(ids, i, e)
			v_check_string(r, e, arena_printf(&r->cx.arena,
			    "body.ordered_item_ids.%zu", i), NULL, 0, 0,
			    SIZE_MAX);
	notes = v_str(r, body, "body", "notes_redacted", V_MULTI, 0,
	    CONTENT_MAX);
	if (mc_invalid(r) ||
	    !mc_idempotency(r, route_key(r, "board.snapshot"), &id) ||
	    !mc_session(r, &s, true))
		return;
	/* Membership needs the session: after step 7 (api.md 13.6). */
	json_array_foreach(ids, i, e) {
		const char *item = json_string_value(e);
		bool dup = false;

		for (j = 0; j < i && !dup; j++)
			dup = str_eq(item, json_string_value(json_array_get(ids,
			    j)));
		rc = dup ? 0 : mc_item_exists(&r->cx, s.id, item);
		if (rc < 0) {
			resp_db_error(r);
			return;
		}
		if (rc == 0)
			v_add(r, "value_error", arena_printf(&r->cx.arena,
			    "body.ordered_item_ids.%zu", i), NULL, dup ?
			    "Value error, item id listed twice" :
			    "Value error, not a triage item of this session");
	}
	if (mc_invalid(r))
		return;
	if (!mc_snapshot_add(&r->cx, &s, ids, notes, id.key, snap)) {
		resp_db_error(r);
		return;
	}
	mc_answer(r, &id, 201, json_pack("{s:s}", "snapshot_id", snap));
}

/* ---- 13.7 POST …/close -------------------------------------------------- */

static void
session_close(struct req *r)
{
	struct mc_session s;
	struct idem id;

	if (!mc_idempotency(r, route_key(r, "close"), &id) ||
	    !mc_session(r, &s, false))
		return;
	if (!mc_session_close(&r->cx, &s, id.key)) {
		resp_db_error(r);
		return;
	}
	mc_answer(r, &id, 200, json_pack("{s:b}", "ok", 1));
}

static const struct route routes[] = {
	{ "POST", "/sessions", POLICY_MC_W(sessions_create), session_create },
	{ "GET", "/sessions/{session_id}", POLICY_MC_W(session_get),
	  session_get },
	{ "POST", "/sessions/{session_id}/speech", POLICY_MC_W(speech_add),
	  speech_add },
	{ "POST", "/sessions/{session_id}/triage/items",
	  POLICY_MC_W(triage_create), items_create },
	{ "PATCH", "/sessions/{session_id}/triage/items/{item_id}",
	  POLICY_MC_W(triage_patch), item_patch },
	{ "POST", "/sessions/{session_id}/board/snapshot",
	  POLICY_MC_W(board_snapshot), snapshot_add },
	{ "POST", "/sessions/{session_id}/close", POLICY_MC_W(close),
	  session_close },
};

APP_MAIN("masterclipboard", routes, NULL)
