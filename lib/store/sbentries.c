/* sbentries.c: see sbentries.h. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/util.h"
#include "store/audit.h"
#include "store/rowjson.h"
#include "store/sbentries.h"

#define SB_COLS "id, servicebook_id, owner_id, actor_role, entry_type, " \
	"source, result_status, title, summary, details, occurred_at, km, " \
	"document_ids_json, related_entry_id, related_case_id, created_at, " \
	"updated_at"

bool
servicebook_id_valid(const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) < 1 || n > SB_ID_MAX)
		return false;
	return id_charset_ok(s);
}

int64_t
servicebook_count(struct ctx *cx, const char *sid)
{
	return db_scalar(cx->db, "SELECT count(*) FROM servicebook_entries "
	    "WHERE servicebook_id = ?", "s", sid);
}

enum sb_access
servicebook_access(struct ctx *cx, const char *sid, enum sb_mode mode,
    const char **scope)
{
	bool admin = ctx_is_admin(cx);
	struct db_stmt *st;
	char *owner = NULL;
	bool deleted = false;
	int64_t n;
	int rc;

	*scope = admin ? "global" : "own";
	if (!servicebook_id_valid(sid))
		return SB_NOT_FOUND;
	st = db_prep(cx->db, "SELECT owner_user_id, deleted_at IS NOT NULL "
	    "FROM vehicles WHERE public_id = ?", "s", sid);
	if (st == NULL)
		return SB_ERROR;
	if ((rc = db_step(st)) == 1) {
		owner = arena_strdup(&cx->arena, db_text(st, 0));
		deleted = db_int(st, 1) != 0;
	}
	db_finalize(st);
	if (rc < 0)
		return SB_ERROR;
	if (owner != NULL) {
		/* Vehicle-bound: the current owner and admins. */
		if (str_eq(owner, cx->actor.user_id)) {
			*scope = "own";
			return deleted && !admin ? SB_NOT_FOUND : SB_OK;
		}
		if (admin)
			return SB_OK;
		return deleted ? SB_NOT_FOUND : SB_FORBIDDEN;
	}
	if ((n = servicebook_count(cx, sid)) < 0)
		return SB_ERROR;
	if (n == 0)
		return admin && mode == SB_CREATE ? SB_OK : SB_NOT_FOUND;
	if (admin)
		return SB_OK;
	n = db_scalar(cx->db, "SELECT count(*) FROM servicebook_entries WHERE "
	    "servicebook_id = ? AND owner_id = ?", "ss", sid,
	    cx->actor.user_id);
	if (n < 0)
		return SB_ERROR;
	return n > 0 ? SB_OK : SB_FORBIDDEN;
}

int
servicebook_doc_usable(struct ctx *cx, const char *doc_id)
{
	int64_t n;

	if (ctx_is_admin(cx))
		n = db_scalar(cx->db, "SELECT count(*) FROM documents WHERE "
		    "id = ? AND deleted_at IS NULL", "s", doc_id);
	else
		n = db_scalar(cx->db, "SELECT count(*) FROM documents WHERE "
		    "id = ? AND deleted_at IS NULL AND owner_user_id = ?", "ss",
		    doc_id, cx->actor.user_id);
	return n < 0 ? -1 : n > 0;
}

/* ---- reading ----------------------------------------------------------- */

/* ServicebookEntry of api.md 11 from a row of SB_COLS, keys in order. */
static const struct col_json sb_cols[] = {
	{ "id", col_text },
	{ "servicebook_id", col_text },
	{ "owner_id", col_text },
	{ "actor_role", col_text },
	{ "entry_type", col_text },
	{ "source", col_text },
	{ "result_status", col_text },
	{ "title", col_text },
	{ "summary", col_text },
	{ "details", col_text },
	{ "occurred_at", col_ts },
	{ "km", col_int_null },
	{ "document_ids", col_array },
	{ "related_entry_id", col_text },
	{ "related_case_id", col_text },
	{ "created_at", col_ts },
	{ "updated_at", col_ts },
	{ NULL },
};

json_t *
servicebook_entries(struct ctx *cx, const char *sid)
{
	return rows_json(cx->db, sb_cols, false, "SELECT " SB_COLS " FROM "
	    "servicebook_entries WHERE servicebook_id = ? ORDER BY created_at, "
	    "seq", "s", sid);
}

static json_t *
entry_get(struct ctx *cx, const char *id)
{
	json_t *a = rows_json(cx->db, sb_cols, false, "SELECT " SB_COLS
	    " FROM servicebook_entries WHERE id = ?", "s", id);
	json_t *o = json_incref(json_array_get(a, 0));

	json_decref(a);
	return o;
}

int
servicebook_case_exists(struct ctx *cx, const char *sid, const char *case_id)
{
	int64_t n = db_scalar(cx->db, "SELECT count(*) FROM "
	    "servicebook_entries WHERE id = ? AND servicebook_id = ? AND "
	    "entry_type = 'CASE'", "ss", case_id, sid);

	return n < 0 ? -1 : n > 0;
}

/* ---- writing ----------------------------------------------------------- */

#define SB_INSERT "INSERT INTO servicebook_entries (id, servicebook_id, " \
	"owner_id, actor_role, entry_type, source, result_status, title, " \
	"summary, details, occurred_at, km, document_ids_json, " \
	"related_entry_id, related_case_id, created_at, updated_at) " \
	"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

struct sb_row {
	const char	*type, *source, *result, *title, *summary, *details;
	int64_t		 occurred_at;
	bool		 has_km;
	int64_t		 km;
	const json_t	*docs;
	const char	*related_entry, *related_case;
};

static bool
insert(struct ctx *cx, const char *sid, const struct sb_row *row,
    char id[UUID_LEN])
{
	char now[TS_STORAGE_LEN], occ[TS_STORAGE_LEN], *docs;
	const char *docs_s;
	enum db_status rc;

	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	ts_storage(cx->now, now);
	ts_storage(row->occurred_at, occ);
	docs = row->docs != NULL ? json_dumps(row->docs, JSON_COMPACT) : NULL;
	docs_s = docs != NULL ? docs : "[]";
	/* km is the nullable integer: 'n' binds NULL and takes no argument. */
	if (row->has_km)
		rc = db_exec(cx->db, SB_INSERT, "sssssssssssisssss", id, sid,
		    cx->actor.user_id, cx->actor.role_name, row->type,
		    row->source, row->result, row->title, row->summary,
		    row->details, occ, row->km, docs_s, row->related_entry,
		    row->related_case, now, now);
	else
		rc = db_exec(cx->db, SB_INSERT, "sssssssssssnsssss", id, sid,
		    cx->actor.user_id, cx->actor.role_name, row->type,
		    row->source, row->result, row->title, row->summary,
		    row->details, occ, docs_s, row->related_entry,
		    row->related_case, now, now);
	free(docs);
	return rc == DB_OK;
}

static bool
sb_audit(struct ctx *cx, const char *action, const char *sid,
    const char *scope, const char *source, const char *result)
{
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "SERVICEBOOK", .target_id = sid, .scope = scope,
	    .meta = json_pack("{s:s,s:s}", "source", source,
	    "result_status", result) });
}

bool
servicebook_inspect(struct ctx *cx, const char *sid,
    const struct sb_entry_in *in, const char *scope, json_t **inspection,
    json_t **casej)
{
	char iid[UUID_LEN], cid[UUID_LEN], now[TS_STORAGE_LEN];
	struct sb_row row = { "INSPECTION_EVENT", in->source,
	    in->result_status, in->title, in->summary, in->details,
	    in->occurred_at, in->has_km, in->km, in->document_ids, NULL, NULL };
	bool not_ok = str_eq(in->result_status, "NOT_OK");

	*inspection = *casej = NULL;
	if (row.title == NULL)
		row.title = str_eq(in->source, "GPS") ? "Prüf-Event (GPS)" :
		    "Prüf-Event (READOUT)";
	if (!insert(cx, sid, &row, iid) ||
	    !sb_audit(cx, "SERVICEBOOK_INSPECTION_CREATED", sid, scope,
	    in->source, in->result_status))
		return false;
	if (not_ok) {
		struct sb_row c = { "CASE", "SYSTEM", "IN_PROGRESS",
		    "Maßnahmenfall",
		    "Nicht OK \xe2\x80\x93 weitere Maßnahmen erforderlich", NULL,
		    in->occurred_at, in->has_km, in->km, NULL, iid, NULL };

		ts_storage(cx->now, now);
		if (!insert(cx, sid, &c, cid) ||
		    db_exec(cx->db, "UPDATE servicebook_entries SET "
		    "related_case_id = ?, updated_at = ? WHERE id = ?", "sss",
		    cid, now, iid) != DB_OK ||
		    !sb_audit(cx, "SERVICEBOOK_CASE_OPENED", sid, scope,
		    "SYSTEM", "IN_PROGRESS"))
			return false;
	}
	*inspection = entry_get(cx, iid);
	*casej = not_ok ? entry_get(cx, cid) : json_null();
	if (*inspection == NULL || *casej == NULL) {
		json_decref(*inspection);
		json_decref(*casej);
		*inspection = *casej = NULL;
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	return true;
}

bool
servicebook_remediate(struct ctx *cx, const char *sid, const char *case_id,
    const struct sb_entry_in *in, const char *scope, json_t **remediation,
    const char **case_status)
{
	char rid[UUID_LEN], now[TS_STORAGE_LEN];
	struct sb_row row = { "REMEDIATION", "OWNER", in->result_status,
	    in->title != NULL ? in->title : "Behebung", in->summary,
	    in->details, in->occurred_at, in->has_km, in->km,
	    in->document_ids, case_id, case_id };

	*remediation = NULL;
	*case_status = str_eq(in->result_status, "OK") ? "DONE" : "IN_PROGRESS";
	ts_storage(cx->now, now);
	if (!insert(cx, sid, &row, rid) ||
	    db_exec(cx->db, "UPDATE servicebook_entries SET result_status = ?, "
	    "related_entry_id = ?, updated_at = ? WHERE id = ? AND "
	    "servicebook_id = ?", "sssss", *case_status, rid, now, case_id,
	    sid) != DB_OK ||
	    !sb_audit(cx, "SERVICEBOOK_REMEDIATION_CREATED", sid, scope,
	    "OWNER", in->result_status))
		return false;
	if ((*remediation = entry_get(cx, rid)) == NULL) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	return true;
}
