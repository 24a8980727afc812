/* document.c: see document.h. */
#include <string.h>

#include "base/clock.h"
#include "store/audit.h"
#include "store/document.h"

#define COLS "id, owner_user_id, created_by_user_id, vehicle_id, entry_id, " \
	"filename, content_type, size_bytes, checksum_sha256, storage_key, " \
	"approval_status, scan_status, pii_status, scanned_at, " \
	"approved_by_user_id, approved_at, rejected_by_user_id, rejected_at, " \
	"reject_reason, pii_marked_by_user_id, pii_marked_at, pii_note, " \
	"pii_confirmed_at, created_at, deleted_at, deleted_by_user_id, " \
	"delete_reason"

static char *
col(struct ctx *cx, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);

	return s != NULL ? arena_strdup(&cx->arena, s) : NULL;
}

/* One row of COLS, in their order. */
static void
row(struct ctx *cx, struct db_stmt *st, struct document *d)
{
	int i = 0;

	memset(d, 0, sizeof(*d));
	d->id = col(cx, st, i++);
	d->owner_user_id = col(cx, st, i++);
	d->created_by_user_id = col(cx, st, i++);
	d->vehicle_id = col(cx, st, i++);
	d->entry_id = col(cx, st, i++);
	d->filename = col(cx, st, i++);
	d->content_type = col(cx, st, i++);
	d->size_bytes = db_int(st, i++);
	d->checksum_sha256 = col(cx, st, i++);
	d->storage_key = col(cx, st, i++);
	d->approval_status = col(cx, st, i++);
	d->scan_status = col(cx, st, i++);
	d->pii_status = col(cx, st, i++);
	d->scanned_at = col(cx, st, i++);
	d->approved_by_user_id = col(cx, st, i++);
	d->approved_at = col(cx, st, i++);
	d->rejected_by_user_id = col(cx, st, i++);
	d->rejected_at = col(cx, st, i++);
	d->reject_reason = col(cx, st, i++);
	d->pii_marked_by_user_id = col(cx, st, i++);
	d->pii_marked_at = col(cx, st, i++);
	d->pii_note = col(cx, st, i++);
	d->pii_confirmed_at = col(cx, st, i++);
	d->created_at = col(cx, st, i++);
	d->deleted_at = col(cx, st, i++);
	d->deleted_by_user_id = col(cx, st, i++);
	d->delete_reason = col(cx, st, i++);
}

/* Steps st to the end into an arena array. */
static enum doc_status
rows(struct ctx *cx, struct db_stmt *st, struct document **out, size_t *n)
{
	struct document *v = NULL, *nv;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return DOC_DB_ERROR;
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(&cx->arena, cap * sizeof(*nv));
			if (*n > 0)
				memcpy(nv, v, *n * sizeof(*nv));
			v = nv;
		}
		row(cx, st, &v[(*n)++]);
	}
	db_finalize(st);
	*out = v;
	return rc < 0 ? DOC_DB_ERROR : DOC_OK;
}

static char *
now_ts(struct ctx *cx)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(cx->now, ts);
	return arena_strdup(&cx->arena, ts);
}

bool
document_is_evidence(const struct document *d)
{
	return d->deleted_at == NULL && str_eq(d->approval_status, "APPROVED") &&
	    str_eq(d->scan_status, "CLEAN") && str_eq(d->pii_status, "OK");
}

const char *
document_scope(const struct ctx *cx, const struct document *d)
{
	return cx->actor.kind != AUTH_NONE &&
	    str_eq(cx->actor.user_id, d->owner_user_id) ? "own" : "global";
}

/* One DOCUMENT row for d; meta is stolen. */
static bool
doc_audit(struct ctx *cx, const struct document *d, const char *action,
    const char *result, bool system, json_t *meta)
{
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "DOCUMENT", .target_id = d->id, .result = result,
	    .scope = system ? NULL : document_scope(cx, d),
	    .actor_type = system ? "system" : NULL, .meta = meta });
}

static json_t *
meta_bool(const char *key, bool v)
{
	json_t *m = json_object();

	json_object_set_new(m, key, json_boolean(v));
	return m;
}

enum doc_status
document_get(struct ctx *cx, const char *id, struct document *d)
{
	struct db_stmt *st;
	int rc;

	st = db_prep(cx->db, "SELECT " COLS " FROM documents WHERE id = ?",
	    "s", id);
	if (st == NULL)
		return DOC_DB_ERROR;
	rc = db_step(st);
	if (rc == 1)
		row(cx, st, d);
	db_finalize(st);
	return rc < 0 ? DOC_DB_ERROR : rc == 0 ? DOC_NOT_FOUND : DOC_OK;
}

/* The status a failed step leaves, never DB_OK (db_atomic must roll back). */
static enum db_status
failed(struct db *db)
{
	return db_status(db) != DB_OK ? db_status(db) : DB_ERROR;
}

struct insert_arg {
	struct ctx		*cx;
	const struct document	*d;
};

static enum db_status
insert_fn(struct db *db, void *p)
{
	struct insert_arg *a = p;
	const struct document *d = a->d;
	json_t *m;

	if (db_exec(db, "INSERT INTO documents (id, owner_user_id, "
	    "created_by_user_id, vehicle_id, entry_id, filename, content_type, "
	    "size_bytes, checksum_sha256, storage_key, approval_status, "
	    "scan_status, pii_status, created_at) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,'QUARANTINED','PENDING','OK',?)",
	    "sssssssisss", d->id, d->owner_user_id, d->created_by_user_id,
	    d->vehicle_id, d->entry_id, d->filename, d->content_type,
	    d->size_bytes, d->checksum_sha256, d->storage_key,
	    d->created_at) != DB_OK)
		return failed(db);
	m = json_object();
	json_object_set_new(m, "content_type", json_string(d->content_type));
	json_object_set_new(m, "size_bytes", json_integer(d->size_bytes));
	json_object_set_new(m, "vehicle_linked",
	    json_boolean(d->vehicle_id != NULL));
	if (!doc_audit(a->cx, d, "UPLOAD_RECEIVED", NULL, false, m))
		return failed(db);
	return DB_OK;
}

enum doc_status
document_insert_atomic(struct ctx *cx, const struct document *d)
{
	struct insert_arg a = { cx, d };

	return db_atomic(cx->db, insert_fn, &a) == DB_OK ? DOC_OK :
	    DOC_DB_ERROR;
}

/*
 * Stores scan_status on d, rejecting it for INFECTED unless it is
 * REJECTED already (the rejection is final and keeps its fields). by is
 * the rejecting user ("system" on upload). Audit rows: the scan result,
 * and UPLOAD_REJECTED {auto} when a rejection happened.
 */
static bool
apply_scan(struct ctx *cx, struct document *d, const char *scan_status,
    const char *by, bool system, bool manual)
{
	const char *ts = now_ts(cx);
	bool reject = strcmp(scan_status, "INFECTED") == 0 &&
	    !str_eq(d->approval_status, "REJECTED");
	const char *action;

	if (db_exec(cx->db, "UPDATE documents SET scan_status = ?, "
	    "scanned_at = ? WHERE id = ?", "sss", scan_status, ts,
	    d->id) != DB_OK)
		return false;
	d->scan_status = arena_strdup(&cx->arena, scan_status);
	d->scanned_at = (char *)ts;
	action = arena_printf(&cx->arena, "UPLOAD_SCANNED_%s", scan_status);
	if (!doc_audit(cx, d, action, NULL, system,
	    meta_bool("manual", manual)))
		return false;
	if (!reject)
		return true;
	if (db_exec(cx->db, "UPDATE documents SET approval_status = 'REJECTED', "
	    "rejected_by_user_id = ?, rejected_at = ?, reject_reason = "
	    "'infected_auto_reject', approved_by_user_id = NULL, approved_at = "
	    "NULL WHERE id = ?", "sss", by, ts, d->id) != DB_OK)
		return false;
	d->approval_status = arena_strdup(&cx->arena, "REJECTED");
	d->rejected_by_user_id = arena_strdup(&cx->arena, by);
	d->rejected_at = (char *)ts;
	d->reject_reason = arena_strdup(&cx->arena, "infected_auto_reject");
	d->approved_by_user_id = d->approved_at = NULL;
	return doc_audit(cx, d, "UPLOAD_REJECTED", NULL, system,
	    meta_bool("auto", true));
}

struct scan_arg {
	struct ctx		*cx;
	struct document		*d;
	enum scan_verdict	 v;
	bool			 on_upload;
};

static enum db_status
scan_fn(struct db *db, void *p)
{
	struct scan_arg *a = p;
	struct ctx *cx = a->cx;
	bool ok;

	if (a->v == VERDICT_FAILED)
		ok = doc_audit(cx, a->d, "UPLOAD_SCAN_FAILED", "error",
		    a->on_upload, meta_bool("manual", false));
	else
		ok = apply_scan(cx, a->d, a->v == VERDICT_CLEAN ? "CLEAN" :
		    "INFECTED", a->on_upload ? "system" : cx->actor.user_id,
		    a->on_upload, false);
	return ok ? DB_OK : failed(db);
}

enum doc_status
document_scan_atomic(struct ctx *cx, struct document *d, enum scan_verdict v,
    bool on_upload)
{
	struct scan_arg a = { cx, d, v, on_upload };
	struct document saved = *d;

	if (db_atomic(cx->db, scan_fn, &a) == DB_OK)
		return DOC_OK;
	*d = saved;	/* rolled back: the row is as it was */
	return DOC_DB_ERROR;
}

enum doc_status
document_set_scan(struct ctx *cx, struct document *d, const char *scan_status)
{
	if (d->deleted_at != NULL)
		return DOC_DELETED;
	return apply_scan(cx, d, scan_status, cx->actor.user_id, false, true) ?
	    DOC_OK : DOC_DB_ERROR;
}

enum doc_status
document_approve(struct ctx *cx, struct document *d)
{
	const char *ts;

	if (d->deleted_at != NULL)
		return DOC_DELETED;
	if (str_eq(d->approval_status, "REJECTED"))
		return DOC_REJECTED;
	if (!str_eq(d->scan_status, "CLEAN"))
		return DOC_NOT_CLEAN;
	if (!str_eq(d->pii_status, "OK"))
		return DOC_PII_OPEN;
	if (str_eq(d->approval_status, "APPROVED"))
		return DOC_UNCHANGED;
	ts = now_ts(cx);
	if (db_exec(cx->db, "UPDATE documents SET approval_status = 'APPROVED', "
	    "approved_by_user_id = ?, approved_at = ?, rejected_by_user_id = "
	    "NULL, rejected_at = NULL, reject_reason = NULL WHERE id = ?",
	    "sss", cx->actor.user_id, ts, d->id) != DB_OK)
		return DOC_DB_ERROR;
	d->approval_status = arena_strdup(&cx->arena, "APPROVED");
	d->approved_by_user_id = arena_strdup(&cx->arena, cx->actor.user_id);
	d->approved_at = (char *)ts;
	d->rejected_by_user_id = d->rejected_at = d->reject_reason = NULL;
	return doc_audit(cx, d, "UPLOAD_APPROVED", NULL, false,
	    meta_bool("auto", false)) ? DOC_OK : DOC_DB_ERROR;
}

enum doc_status
document_reject(struct ctx *cx, struct document *d, const char *reason)
{
	const char *ts;

	if (d->deleted_at != NULL)
		return DOC_DELETED;
	if (str_eq(d->approval_status, "REJECTED"))
		return DOC_UNCHANGED;
	ts = now_ts(cx);
	if (db_exec(cx->db, "UPDATE documents SET approval_status = 'REJECTED', "
	    "rejected_by_user_id = ?, rejected_at = ?, reject_reason = ?, "
	    "approved_by_user_id = NULL, approved_at = NULL WHERE id = ?",
	    "ssss", cx->actor.user_id, ts, reason, d->id) != DB_OK)
		return DOC_DB_ERROR;
	d->approval_status = arena_strdup(&cx->arena, "REJECTED");
	d->rejected_by_user_id = arena_strdup(&cx->arena, cx->actor.user_id);
	d->rejected_at = (char *)ts;
	d->reject_reason = reason != NULL ? arena_strdup(&cx->arena, reason) :
	    NULL;
	d->approved_by_user_id = d->approved_at = NULL;
	return doc_audit(cx, d, "UPLOAD_REJECTED", NULL, false,
	    meta_bool("reason_provided", reason != NULL)) ? DOC_OK :
	    DOC_DB_ERROR;
}

enum doc_status
document_set_pii(struct ctx *cx, struct document *d, const char *pii,
    const char *note)
{
	const char *ts, *confirmed;
	json_t *m;

	if (d->deleted_at != NULL)
		return DOC_DELETED;
	ts = now_ts(cx);
	/* CONFIRMED is stamped once; OK and SUSPECTED clear the stamp. */
	if (strcmp(pii, "CONFIRMED") != 0)
		confirmed = NULL;
	else if (str_eq(d->pii_status, "CONFIRMED") && d->pii_confirmed_at != NULL)
		confirmed = d->pii_confirmed_at;
	else
		confirmed = ts;
	if (db_exec(cx->db, "UPDATE documents SET pii_status = ?, "
	    "pii_marked_by_user_id = ?, pii_marked_at = ?, pii_note = ?, "
	    "pii_confirmed_at = ? WHERE id = ?", "ssssss", pii,
	    cx->actor.user_id, ts, note, confirmed, d->id) != DB_OK)
		return DOC_DB_ERROR;
	d->pii_status = arena_strdup(&cx->arena, pii);
	d->pii_marked_by_user_id = arena_strdup(&cx->arena, cx->actor.user_id);
	d->pii_marked_at = (char *)ts;
	d->pii_note = note != NULL ? arena_strdup(&cx->arena, note) : NULL;
	d->pii_confirmed_at = (char *)confirmed;
	m = json_object();
	json_object_set_new(m, "pii_status", json_string(pii));
	json_object_set_new(m, "admin_override", json_boolean(
	    strcmp(pii, "OK") == 0 && ctx_is_admin(cx)));
	return doc_audit(cx, d, "DOCUMENT_PII_MARKED", NULL, false, m) ?
	    DOC_OK : DOC_DB_ERROR;
}

/* The deletion fields on a live row; DOC_NOT_FOUND if it is deleted. */
static enum doc_status
mark_deleted(struct ctx *cx, struct document *d, const char *ts,
    const char *by, const char *reason)
{
	if (db_exec(cx->db, "UPDATE documents SET deleted_at = ?, "
	    "deleted_by_user_id = ?, delete_reason = ? WHERE id = ? AND "
	    "deleted_at IS NULL", "ssss", ts, by, reason, d->id) != DB_OK)
		return DOC_DB_ERROR;
	if (db_changes(cx->db) == 0)
		return DOC_NOT_FOUND;
	d->deleted_at = arena_strdup(&cx->arena, ts);
	d->deleted_by_user_id = arena_strdup(&cx->arena, by);
	d->delete_reason = arena_strdup(&cx->arena, reason);
	return DOC_OK;
}

static json_t *
meta_reason(const char *reason)
{
	json_t *m = json_object();

	json_object_set_new(m, "delete_reason", json_string(reason));
	return m;
}

enum doc_status
document_soft_delete(struct ctx *cx, struct document *d, const char *reason)
{
	enum doc_status s;

	if (d->deleted_at != NULL)
		return DOC_NOT_FOUND;
	s = mark_deleted(cx, d, now_ts(cx), cx->actor.user_id, reason);
	if (s != DOC_OK)
		return s;
	return doc_audit(cx, d, "DOCUMENT_DELETED", NULL, false,
	    meta_reason(reason)) ? DOC_OK : DOC_DB_ERROR;
}

enum doc_status
document_list(struct ctx *cx, const struct doc_query *q, struct document **out,
    size_t *n)
{
	static const char base[] = "SELECT " COLS " FROM documents WHERE "
	    "deleted_at IS NULL";
	static const char order[] = " ORDER BY created_at DESC, seq DESC";
	const char *sql;

	/* One statement per shape: no "? IS NULL" tricks the backends disagree on. */
	if (q->quarantine)
		sql = arena_printf(&cx->arena, "%s AND approval_status = "
		    "'QUARANTINED'%s", base, order);
	else if (q->vehicle_id != NULL && q->owner_user_id != NULL)
		sql = arena_printf(&cx->arena, "%s AND vehicle_id = ? AND "
		    "owner_user_id = ?%s", base, order);
	else if (q->vehicle_id != NULL)
		sql = arena_printf(&cx->arena, "%s AND vehicle_id = ?%s", base,
		    order);
	else
		sql = arena_printf(&cx->arena, "%s AND owner_user_id = ?%s",
		    base, order);
	if (q->quarantine)
		return rows(cx, db_prep(cx->db, sql, NULL), out, n);
	if (q->vehicle_id != NULL && q->owner_user_id != NULL)
		return rows(cx, db_prep(cx->db, sql, "ss", q->vehicle_id,
		    q->owner_user_id), out, n);
	return rows(cx, db_prep(cx->db, sql, "s", q->vehicle_id != NULL ?
	    q->vehicle_id : q->owner_user_id), out, n);
}

int
document_entry_linkable(struct db *db, const char *vehicle_id,
    const char *entry_id)
{
	int64_t n = db_scalar(db, "SELECT count(*) FROM vehicle_entries WHERE "
	    "id = ? AND vehicle_id = ?", "ss", entry_id, vehicle_id);

	return n < 0 ? -1 : n > 0;
}

enum doc_status
document_purge_due(struct ctx *cx, const char *pii_before,
    const char *rejected_before, struct document **out, size_t *n)
{
	enum doc_status s;
	size_t i;

	s = rows(cx, db_prep(cx->db, "SELECT " COLS " FROM documents WHERE "
	    "deleted_at IS NULL AND ((pii_status = 'CONFIRMED' AND "
	    "pii_confirmed_at IS NOT NULL AND pii_confirmed_at <= ?) OR "
	    "(approval_status = 'REJECTED' AND rejected_at IS NOT NULL AND "
	    "rejected_at <= ?)) ORDER BY created_at, seq", "ss", pii_before,
	    rejected_before), out, n);
	if (s != DOC_OK)
		return s;
	/* PII first: a rejected document with confirmed PII is a PII case. */
	for (i = 0; i < *n; i++) {
		struct document *d = &(*out)[i];

		d->delete_reason = arena_strdup(&cx->arena,
		    str_eq(d->pii_status, "CONFIRMED") &&
		    d->pii_confirmed_at != NULL &&
		    strcmp(d->pii_confirmed_at, pii_before) <= 0 ?
		    "pii_auto_delete" : "rejected_retention");
	}
	return DOC_OK;
}

enum doc_status
document_purge_mark(struct ctx *cx, struct document *d)
{
	const char *reason = arena_strdup(&cx->arena, d->delete_reason);
	enum doc_status s;

	d->deleted_at = NULL;
	s = mark_deleted(cx, d, now_ts(cx), "system", reason);
	if (s != DOC_OK)
		return s;
	return doc_audit(cx, d, "DOCUMENT_PURGED", NULL, true,
	    meta_reason(reason)) ? DOC_OK : DOC_DB_ERROR;
}

enum doc_status
document_tombstone_apply(struct ctx *cx, const char *id, const char *ts,
    const char *reason, char **storage_key)
{
	struct document d;
	enum doc_status s;

	*storage_key = NULL;
	s = document_get(cx, id, &d);
	if (s == DOC_NOT_FOUND || (s == DOC_OK && d.deleted_at != NULL))
		return DOC_UNCHANGED;
	if (s != DOC_OK)
		return s;
	if (db_exec(cx->db, "UPDATE documents SET deleted_at = ?, "
	    "delete_reason = ? WHERE id = ? AND deleted_at IS NULL", "sss", ts,
	    reason, id) != DB_OK)
		return DOC_DB_ERROR;
	*storage_key = d.storage_key;
	return DOC_OK;
}

enum doc_status
document_deleted_keys(struct ctx *cx, char ***keys, size_t *n)
{
	struct db_stmt *st;
	char **v = NULL, **nv;
	size_t cap = 0;
	int rc;

	*keys = NULL;
	*n = 0;
	st = db_prep(cx->db, "SELECT storage_key FROM documents WHERE "
	    "deleted_at IS NOT NULL ORDER BY id", NULL);
	if (st == NULL)
		return DOC_DB_ERROR;
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(&cx->arena, cap * sizeof(*nv));
			if (*n > 0)
				memcpy(nv, v, *n * sizeof(*nv));
			v = nv;
		}
		v[(*n)++] = col(cx, st, 0);
	}
	db_finalize(st);
	*keys = v;
	return rc < 0 ? DOC_DB_ERROR : DOC_OK;
}

bool
document_hand_over(struct ctx *cx, const char *vehicle_id, const char *to,
    int64_t *moved, int64_t *unlinked)
{
	/* Only PII-free documents pass to the new owner. */
	if (db_exec(cx->db, "UPDATE documents SET owner_user_id = ? WHERE "
	    "vehicle_id = ? AND deleted_at IS NULL AND pii_status = 'OK' AND "
	    "owner_user_id <> ?", "sss", to, vehicle_id, to) != DB_OK)
		return false;
	*moved = db_changes(cx->db);
	if (db_exec(cx->db, "UPDATE documents SET vehicle_id = NULL, "
	    "entry_id = NULL WHERE vehicle_id = ? AND deleted_at IS NULL AND "
	    "pii_status <> 'OK'", "s", vehicle_id) != DB_OK)
		return false;
	*unlinked = db_changes(cx->db);
	return true;
}
