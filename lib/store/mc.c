/* mc.c: see mc.h. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "store/audit.h"
#include "store/mc.h"
#include "store/rowjson.h"

const char *
mc_org_of(const struct ctx *cx)
{
	return cx->actor.user_id;
}

bool
mc_same_org(const struct ctx *cx, const struct mc_session *s)
{
	return str_eq(s->org_id, mc_org_of(cx));
}

static const char *
dup(struct ctx *cx, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);

	return s != NULL ? arena_strdup(&cx->arena, s) : NULL;
}

int
mc_session_find(struct ctx *cx, const char *id, struct mc_session *s)
{
	struct db_stmt *st;
	int rc;

	memset(s, 0, sizeof(*s));
	st = db_prep(cx->db, "SELECT id, org_id, created_by_user_id, "
	    "vehicle_public_id, is_closed, created_at, closed_at FROM "
	    "mc_sessions WHERE id = ?", "s", id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		s->id = dup(cx, st, 0);
		s->org_id = dup(cx, st, 1);
		s->created_by_user_id = dup(cx, st, 2);
		s->vehicle_public_id = dup(cx, st, 3);
		s->is_closed = db_int(st, 4) != 0;
		s->created_at = dup(cx, st, 5);
		s->closed_at = dup(cx, st, 6);
	}
	db_finalize(st);
	return rc;
}

int
mc_item_exists(struct ctx *cx, const char *session_id, const char *item_id)
{
	int64_t n = db_scalar(cx->db, "SELECT count(*) FROM mc_triage_items "
	    "WHERE id = ? AND session_id = ?", "ss", item_id, session_id);

	return n < 0 ? -1 : n > 0;
}

/* The MC_* row of domain.md 11: org scope, correlation = the session. */
static bool
mc_audit(struct ctx *cx, const char *action, const char *session_id,
    const char *idem_key, json_t *meta)
{
	cx->correlation_id = arena_strdup(&cx->arena, session_id);
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "MASTERCLIPBOARD", .target_id = session_id,
	    .scope = "org", .idempotency_key = idem_key, .meta = meta });
}

static bool
new_id(struct ctx *cx, char id[UUID_LEN])
{
	if (uuid4(id))
		return true;
	db_fail(cx->db, DB_ERROR);
	return false;
}

bool
mc_session_create(struct ctx *cx, const char *vehicle_public_id,
    const char *idem_key, char id[UUID_LEN])
{
	if (!new_id(cx, id))
		return false;
	if (db_exec(cx->db, "INSERT INTO mc_sessions (id, org_id, "
	    "created_by_user_id, vehicle_public_id, is_closed, created_at) "
	    "VALUES (?,?,?,?,0,?)", "sssst", id, mc_org_of(cx),
	    cx->actor.user_id, vehicle_public_id, cx->now) != DB_OK)
		return false;
	return mc_audit(cx, "MC_SESSION_STARTED", id, idem_key, NULL);
}

bool
mc_speech_add(struct ctx *cx, const struct mc_session *s, const char *source,
    const char *content, const char *idem_key, char id[UUID_LEN])
{
	json_t *meta;

	if (!new_id(cx, id))
		return false;
	if (db_exec(cx->db, "INSERT INTO mc_speech_chunks (id, session_id, "
	    "source, content_redacted, created_at) VALUES (?,?,?,?,?)",
	    "sssst", id, s->id, source, content, cx->now) != DB_OK)
		return false;
	meta = json_pack("{s:s}", "source", source);
	return mc_audit(cx, "MC_SPEECH_CHUNK_ADDED", s->id, idem_key, meta);
}

static char *
json_text(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

bool
mc_items_create(struct ctx *cx, const struct mc_session *s,
    const struct mc_item_in *in, size_t n, const char *idem_key, json_t **ids)
{
	char id[UUID_LEN], ts[TS_STORAGE_LEN];
	size_t i;

	*ids = json_array();
	ts_storage(cx->now, ts);
	for (i = 0; i < n; i++) {
		char *refs;
		enum db_status rc;

		if (!new_id(cx, id))
			goto fail;
		refs = in[i].evidence_refs != NULL ?
		    json_text(in[i].evidence_refs) : NULL;
		rc = db_exec(cx->db, "INSERT INTO mc_triage_items (id, "
		    "session_id, kind, title, details_redacted, severity, "
		    "status, evidence_refs_json, created_at, updated_at) "
		    "VALUES (?,?,?,?,?,?,?,?,?,?)", "ssssssssss", id, s->id,
		    in[i].kind, in[i].title, in[i].details, in[i].severity,
		    in[i].status, refs != NULL ? refs : "[]", ts, ts);
		free(refs);
		if (rc != DB_OK)
			goto fail;
		json_array_append_new(*ids, json_string(id));
	}
	if (mc_audit(cx, "MC_TRIAGE_ITEM_CREATED", s->id, idem_key,
	    json_pack("{s:I}", "count", (json_int_t)n)))
		return true;
fail:
	json_decref(*ids);
	*ids = NULL;
	return false;
}

bool
mc_item_update(struct ctx *cx, const struct mc_session *s,
    const char *item_id, const struct mc_item_patch *p, const char *idem_key)
{
	json_t *meta;
	json_int_t fields = 0;

	/* COALESCE keeps what the PATCH leaves out (absent or null). */
	if (db_exec(cx->db, "UPDATE mc_triage_items SET "
	    "title = COALESCE(?, title), "
	    "details_redacted = COALESCE(?, details_redacted), "
	    "severity = COALESCE(?, severity), status = COALESCE(?, status), "
	    "updated_at = ? WHERE id = ? AND session_id = ?", "sssstss",
	    p->title, p->details, p->severity, p->status, cx->now, item_id,
	    s->id) != DB_OK)
		return false;
	fields = (p->title != NULL) + (p->details != NULL) +
	    (p->severity != NULL) + (p->status != NULL);
	meta = json_pack("{s:I}", "fields", fields);
	if (p->severity != NULL)
		json_object_set_new(meta, "severity", json_string(p->severity));
	if (p->status != NULL)
		json_object_set_new(meta, "status", json_string(p->status));
	return mc_audit(cx, "MC_TRIAGE_ITEM_UPDATED", s->id, idem_key, meta);
}

bool
mc_snapshot_add(struct ctx *cx, const struct mc_session *s,
    const json_t *ordered, const char *notes, const char *idem_key,
    char id[UUID_LEN])
{
	char ts[TS_STORAGE_LEN], *ids;
	enum db_status rc;

	if (!new_id(cx, id))
		return false;
	ts_storage(cx->now, ts);
	ids = json_text(ordered);
	rc = db_exec(cx->db, "INSERT INTO mc_board_snapshots (id, session_id, "
	    "ordered_item_ids_json, notes_redacted, created_at) VALUES "
	    "(?,?,?,?,?)", "sssss", id, s->id, ids != NULL ? ids : "[]",
	    notes, ts);
	free(ids);
	if (rc != DB_OK)
		return false;
	return mc_audit(cx, "MC_BOARD_SNAPSHOT", s->id, idem_key,
	    json_pack("{s:I}", "item_count",
	    (json_int_t)json_array_size(ordered)));
}

bool
mc_session_close(struct ctx *cx, struct mc_session *s, const char *idem_key)
{
	char ts[TS_STORAGE_LEN];

	if (s->is_closed)
		return true;
	ts_storage(cx->now, ts);
	if (db_exec(cx->db, "UPDATE mc_sessions SET is_closed = 1, "
	    "closed_at = ? WHERE id = ? AND is_closed = 0", "ss", ts,
	    s->id) != DB_OK)
		return false;
	if (db_changes(cx->db) == 0)
		return true;
	s->is_closed = true;
	s->closed_at = arena_strdup(&cx->arena, ts);
	return mc_audit(cx, "MC_SESSION_CLOSED", s->id, idem_key, NULL);
}

/* ---- reading ----------------------------------------------------------- */

static const struct col_json speech_cols[] = {
	{ "id", col_text },
	{ "session_id", col_text, COL_FULL },
	{ "source", col_text },
	{ "content_redacted", col_text },
	{ "created_at", col_ts },
	{ NULL },
};

static const struct col_json item_cols[] = {
	{ "id", col_text },
	{ "session_id", col_text, COL_FULL },
	{ "kind", col_text },
	{ "title", col_text },
	{ "details_redacted", col_text },
	{ "severity", col_text },
	{ "status", col_text },
	{ "evidence_refs", col_array },
	{ "created_at", col_ts },
	{ "updated_at", col_ts },
	{ NULL },
};

static const struct col_json snapshot_cols[] = {
	{ "id", col_text },
	{ "session_id", col_text, COL_FULL },
	{ "ordered_item_ids", col_array },
	{ "notes_redacted", col_text },
	{ "created_at", col_ts },
	{ NULL },
};

/* A session's lists, oldest first. */
static const struct row_list session_lists[] = {
	{ "speech_chunks", speech_cols, "SELECT id, session_id, source, "
	    "content_redacted, created_at FROM mc_speech_chunks WHERE "
	    "session_id = ? ORDER BY created_at, seq" },
	{ "triage_items", item_cols, "SELECT id, session_id, kind, title, "
	    "details_redacted, severity, status, evidence_refs_json, "
	    "created_at, updated_at FROM mc_triage_items WHERE session_id = ? "
	    "ORDER BY created_at, seq" },
	{ "board_snapshots", snapshot_cols, "SELECT id, session_id, "
	    "ordered_item_ids_json, notes_redacted, created_at FROM "
	    "mc_board_snapshots WHERE session_id = ? ORDER BY created_at, "
	    "seq" },
	{ NULL },
};

json_t *
mc_session_json(struct ctx *cx, const struct mc_session *s, bool full)
{
	json_t *o = json_object();

	if (full) {
		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "org_id", json_string(s->org_id));
		json_object_set_new(o, "created_by_user_id",
		    json_string(s->created_by_user_id));
	} else
		json_object_set_new(o, "session_id", json_string(s->id));
	json_object_set_new(o, "vehicle_public_id",
	    json_string(s->vehicle_public_id));
	json_object_set_new(o, "is_closed", json_boolean(s->is_closed));
	json_object_set_new(o, "created_at", ts_json(s->created_at));
	json_object_set_new(o, "closed_at", ts_json(s->closed_at));
	if (!rows_json_lists(cx->db, o, session_lists, full, s->id)) {
		json_decref(o);
		return NULL;
	}
	return o;
}
