/*
 * documents: /api/documents* (api.md 9, routes 40-50). Upload into
 * quarantine with type, size and scanner checks, the admin review, the
 * PII workflow, metadata and evidence downloads, soft delete.
 *
 * The rows are store/document.c's, the bytes domain/docfile.c's, the
 * type rules domain/upload.c's and the scanner domain/docscan.c's; this
 * file reads the input, runs the checks in the order of api.md 9 and
 * maps the statuses to answers.
 *
 * Transactions: the upload and the rescan are not PF_WRITE routes. The
 * one reads a body of up to 10 MiB from the client, both may wait for a
 * scanner for up to scanner_timeout_seconds, and no write lock is held
 * over either; their writes (rate-limit count, refusal audit, the row,
 * the scan result) are each atomic on their own. Every other writing
 * route runs in the request's transaction.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/log.h"
#include "domain/docfile.h"
#include "domain/docscan.h"
#include "domain/upload.h"
#include "http/app.h"
#include "http/multipart.h"
#include "http/limit.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/audit.h"
#include "store/document.h"
#include "store/ratelimit.h"
#include "store/vehicle.h"

#define UPLOAD_OVERHEAD	65536	/* multipart framing allowed over the file */
#define LINK_ID_MAX	128	/* a longer text part names nothing */
#define CSP_DOWNLOAD	"default-src 'none'; sandbox"

static const char *const scan_values[] = { "PENDING", "CLEAN", "INFECTED",
    "ERROR", NULL };
static const char *const pii_values[] = { "OK", "SUSPECTED", "CONFIRMED",
    NULL };

/* ---- DocumentOut ------------------------------------------------------- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
ts_or_null(const char *s)
{
	char api[TS_API_LEN];

	return s != NULL && ts_to_api(s, api) ? json_string(api) : json_null();
}

/* DocumentOut of api.md 1.2, keys in its order. */
static json_t *
doc_out(const struct document *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(d->id));
	json_object_set_new(o, "filename", json_string(d->filename));
	json_object_set_new(o, "content_type", json_string(d->content_type));
	json_object_set_new(o, "size_bytes", json_integer(d->size_bytes));
	json_object_set_new(o, "approval_status",
	    json_string(d->approval_status));
	json_object_set_new(o, "status", json_string(d->approval_status));
	json_object_set_new(o, "scan_status", json_string(d->scan_status));
	json_object_set_new(o, "pii_status", json_string(d->pii_status));
	json_object_set_new(o, "checksum_sha256", str_or_null(d->checksum_sha256));
	json_object_set_new(o, "vehicle_id", str_or_null(d->vehicle_id));
	json_object_set_new(o, "entry_id", str_or_null(d->entry_id));
	json_object_set_new(o, "owner_user_id", json_string(d->owner_user_id));
	json_object_set_new(o, "created_by_user_id",
	    json_string(d->created_by_user_id));
	json_object_set_new(o, "created_at", ts_or_null(d->created_at));
	json_object_set_new(o, "approved_by_user_id",
	    str_or_null(d->approved_by_user_id));
	json_object_set_new(o, "approved_at", ts_or_null(d->approved_at));
	json_object_set_new(o, "rejected_by_user_id",
	    str_or_null(d->rejected_by_user_id));
	json_object_set_new(o, "rejected_at", ts_or_null(d->rejected_at));
	json_object_set_new(o, "reject_reason", str_or_null(d->reject_reason));
	json_object_set_new(o, "pii_marked_by_user_id",
	    str_or_null(d->pii_marked_by_user_id));
	json_object_set_new(o, "pii_marked_at", ts_or_null(d->pii_marked_at));
	json_object_set_new(o, "pii_note", str_or_null(d->pii_note));
	json_object_set_new(o, "deleted_at", ts_or_null(d->deleted_at));
	return o;
}

static json_t *
docs_out(const struct document *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, doc_out(&v[i]));
	return a;
}

static bool
is_owner(const struct req *r, const struct document *d)
{
	return str_eq(r->cx.actor.user_id, d->owner_user_id);
}

static void
doc_error(struct req *r, enum doc_status s)
{
	switch (s) {
	case DOC_NOT_FOUND:
		resp_detail(r, 404, "not_found");
		break;
	case DOC_DELETED:
		resp_detail(r, 409, "document_deleted");
		break;
	case DOC_REJECTED:
		resp_detail(r, 409, "document_rejected");
		break;
	case DOC_NOT_CLEAN:
		resp_detail(r, 409, "not_scanned_clean");
		break;
	case DOC_PII_OPEN:
		resp_detail(r, 409, "pii_not_cleared");
		break;
	default:
		resp_db_error(r);
		break;
	}
}

enum seen_by {
	SEEN_ADMIN,	/* admins read deleted documents; others get 404 */
	SEEN_LIVE,	/* deleted is 404 for everyone (the file is gone) */
};

/*
 * {doc_id} of api.md 9: 404 for an unknown id (or a deleted one, as
 * `seen` says), then 403 forbidden for a non-admin who is not the owner.
 * True with d filled when the caller may go on.
 */
static bool
doc_access(struct req *r, enum seen_by seen, struct document *d)
{
	const char *id = req_param(r, "doc_id");
	enum doc_status s;

	s = strlen(id) > PATH_ID_MAX ? DOC_NOT_FOUND :
	    document_get(&r->cx, id, d);
	if (s == DOC_OK && d->deleted_at != NULL &&
	    (seen == SEEN_LIVE || !ctx_is_admin(&r->cx)))
		s = DOC_NOT_FOUND;
	if (s != DOC_OK) {
		doc_error(r, s);
		return false;
	}
	if (!ctx_is_admin(&r->cx) && !is_owner(r, d)) {
		resp_detail(r, 403, "forbidden");
		return false;
	}
	return true;
}

/* ---- upload (api.md 9.1) ----------------------------------------------- */

/* A text part of the form, as api.md 9.1 reads it. */
struct link_field {
	bool		 given;		/* a non-empty part was sent */
	const char	*value;		/* NULL: names nothing (404 at step 9) */
};

static struct link_field
text_part(struct req *r, const struct mp_result *mp, const char *name)
{
	struct link_field f = { false, NULL };
	size_t i;

	for (i = 0; i < mp->nparts; i++) {
		const struct mp_part *p = &mp->parts[i];

		if (p->filename != NULL || strcmp(p->name, name) != 0)
			continue;
		/* The first one counts, like a repeated query parameter. */
		if (p->size == 0)
			return f;
		f.given = true;
		if (!p->too_long && p->value_len <= LINK_ID_MAX &&
		    strlen(p->value) == p->value_len)
			f.value = arena_strdup(&r->cx.arena, p->value);
		return f;
	}
	return f;
}

/* UPLOAD_REFUSED (api.md 9.1 steps 5-8), then the answer. */
static void
refuse(struct req *r, int status, const char *detail, const char *reason,
    size_t size)
{
	json_t *m = json_object();

	json_object_set_new(m, "size_bytes", json_integer((json_int_t)size));
	if (!audit(&r->cx, &(struct audit_ev){ .action = "UPLOAD_REFUSED",
	    .target_type = "DOCUMENT", .result = "denied", .reason = reason,
	    .scope = "own", .meta = m })) {
		resp_db_error(r);
		return;
	}
	resp_detail(r, status, detail);
}

/*
 * Steps 6-8 for the file part: true when the three signals agree (*t
 * the type), else the refusal was answered. Sniffing needs the bytes, so it
 * comes last.
 */
static bool
type_checks(struct req *r, const struct mp_part *p, const char *name,
    enum upload_type *t)
{
	enum upload_type ext, declared, sniffed;

	ext = upload_type_of_ext(name);
	if (ext == UT_NONE) {
		refuse(r, 415, "ext_not_allowed", "EXT_NOT_ALLOWED", p->size);
		return false;
	}
	declared = upload_type_of_declared(p->content_type);
	if (declared == UT_NONE) {
		refuse(r, 415, "mime_not_allowed", "MIME_NOT_ALLOWED", p->size);
		return false;
	}
	switch (upload_sniff(p->tmp_path, &sniffed)) {
	case SNIFF_ERROR:
		resp_internal(r, "magic");
		return false;
	case SNIFF_EMPTY:
		sniffed = UT_NONE;
		break;
	case SNIFF_OK:
		break;
	}
	if (sniffed == UT_NONE || sniffed != ext || sniffed != declared) {
		refuse(r, 415, "content_type_mismatch", "CONTENT_MISMATCH",
		    p->size);
		return false;
	}
	*t = sniffed;
	return true;
}

/*
 * Step 9: the vehicle (and entry) the upload links to. Sets *owner to
 * the vehicle's owner. False when the refusal was answered.
 */
static bool
link_checks(struct req *r, struct link_field vid, struct link_field eid,
    const char **owner)
{
	struct vehicle v;
	int rc;

	*owner = r->cx.actor.user_id;
	if (!vid.given)
		return true;
	rc = vid.value == NULL ? 0 : vehicle_find(&r->cx, vid.value, &v);
	if (rc < 0) {
		resp_db_error(r);
		return false;
	}
	if (rc == 0 || v.deleted_at != NULL) {
		resp_detail(r, 404, "not_found");
		return false;
	}
	if (!ctx_is_admin(&r->cx) && !str_eq(v.owner_user_id,
	    r->cx.actor.user_id)) {
		resp_detail(r, 403, "forbidden");
		return false;
	}
	*owner = arena_strdup(&r->cx.arena, v.owner_user_id);
	if (!eid.given)
		return true;
	rc = eid.value == NULL ? 0 :
	    document_entry_linkable(r->cx.db, vid.value, eid.value);
	if (!resp_found(r, rc, 404, "entry_not_found"))
		return false;
	return true;
}

/* Success steps 1-5 for a file that passed every check. */
static void
store_upload(struct req *r, struct mp_part *p, const char *name,
    enum upload_type t, struct link_field vid, struct link_field eid,
    const char *owner)
{
	struct ctx *cx = &r->cx;
	char id[HEXID_LEN], sha[65], ts[TS_STORAGE_LEN];
	struct document d;
	enum docscan_result sr;

	if (!hexid(id)) {
		resp_internal(r, "random");
		return;
	}
	if (!docfile_sha256(p->tmp_path, sha)) {
		resp_internal(r, "storage");
		return;
	}
	memset(&d, 0, sizeof(d));
	d.id = arena_strdup(&cx->arena, id);
	d.owner_user_id = (char *)owner;
	d.created_by_user_id = cx->actor.user_id;
	d.vehicle_id = vid.given ? (char *)vid.value : NULL;
	d.entry_id = eid.given ? (char *)eid.value : NULL;
	d.filename = (char *)name;
	d.content_type = (char *)upload_type_mime(t);
	d.size_bytes = (int64_t)p->size;
	d.checksum_sha256 = arena_strdup(&cx->arena, sha);
	d.storage_key = docfile_key(&cx->arena, id);
	d.approval_status = "QUARANTINED";
	d.scan_status = "PENDING";
	d.pii_status = "OK";
	ts_storage(cx->now, ts);
	d.created_at = arena_strdup(&cx->arena, ts);

	if (!docfile_store(&cx->arena, p->tmp_path, d.storage_key)) {
		resp_internal(r, "storage");
		return;
	}
	/* The stored file is the document's now, not the spool's. */
	free(p->tmp_path);
	p->tmp_path = NULL;
	if (document_insert_atomic(cx, &d) != DOC_OK) {
		docfile_remove(&cx->arena, d.storage_key);
		resp_db_error(r);
		return;
	}
	if (docscan_configured()) {
		sr = docscan_run(docfile_path(&cx->arena, d.storage_key));
		/*
		 * The upload itself succeeded: a verdict that cannot be
		 * recorded leaves the document PENDING, as a failed scan does.
		 */
		if (document_scan_atomic(cx, &d, sr == DOCSCAN_CLEAN ?
		    VERDICT_CLEAN : sr == DOCSCAN_INFECTED ? VERDICT_INFECTED :
		    VERDICT_FAILED, true) != DOC_OK)
			log_line("ERROR", "documents", "scan result not recorded");
	}
	resp_json(r, 200, doc_out(&d));
}

static void
upload(struct req *r)
{
	struct mp_limits lim = { MP_MAX_PARTS, MP_MAX_HEADER_BYTES,
	    MP_MAX_TEXT_BYTES, 0, NULL, 0 };
	char boundary[MP_BOUNDARY_MAX + 1], *raw, *name;
	struct link_field vid, eid;
	struct mp_part *file = NULL;
	struct mp_result mp;
	int64_t clen;
	const char *owner;
	enum upload_type t;
	size_t i, nfiles = 0;

	/* 2. is the route's declared rate limit (rate_upload). */
	/* 3. Before a byte of the body is read. */
	clen = req_content_length();
	if (clen > cfg.upload_max_bytes + UPLOAD_OVERHEAD) {
		resp_detail(r, 413, "too_large");
		return;
	}
	/* 4. */
	if (multipart_boundary(getenv("CONTENT_TYPE"), boundary,
	    sizeof(boundary)) != 0) {
		v_add(r, "value_error", "body", NULL,
		    "Value error, expected a multipart/form-data body");
		v_done(r);
		return;
	}
	lim.max_file_bytes = (size_t)cfg.upload_max_bytes;
	if ((lim.tmp_dir = docfile_tmp_dir(&r->cx.arena)) == NULL) {
		resp_internal(r, "storage");
		return;
	}
	switch (multipart_parse(STDIN_FILENO, (size_t)clen, boundary, &lim,
	    &mp)) {
	case MP_OK:
		break;
	case MP_MALFORMED:
		mp_result_free(&mp, true);
		v_add(r, "value_error", "body", NULL,
		    "Value error, malformed multipart body");
		v_done(r);
		return;
	case MP_IO:
		mp_result_free(&mp, true);
		resp_internal(r, "storage");
		return;
	}
	for (i = 0; i < mp.nparts; i++)
		if (strcmp(mp.parts[i].name, "file") == 0) {
			file = &mp.parts[i];
			nfiles++;
		}
	if (nfiles == 0)
		v_add(r, "missing", "form", "file", "Field required");
	else if (nfiles > 1)
		v_add(r, "value_error", "form", "file",
		    "Value error, exactly one file is allowed");
	else if (file->filename == NULL)
		v_add(r, "value_error", "form", "file",
		    "Value error, expected a file");
	vid = text_part(r, &mp, "vehicle_id");
	eid = text_part(r, &mp, "entry_id");
	if (eid.given && !vid.given)
		v_add(r, "value_error", "form", "entry_id",
		    "Value error, entry_id needs vehicle_id");
	if (v_done(r))
		goto out;
	/* 5. */
	if (file->too_large) {
		refuse(r, 413, "too_large", "TOO_LARGE", file->size);
		goto out;
	}
	/* 6-8, on the sanitised name (security.md 8.3). */
	raw = upload_sanitise_filename(file->filename);
	name = arena_strdup(&r->cx.arena, raw);
	free(raw);
	if (!type_checks(r, file, name, &t) ||
	    !link_checks(r, vid, eid, &owner))	/* 9. */
		goto out;
	store_upload(r, file, name, t, vid, eid, owner);
out:
	/* Refused or not: no spooled byte outlives the request. */
	mp_result_free(&mp, true);
}

/* ---- reads ------------------------------------------------------------- */

static void
list(struct req *r)
{
	struct doc_query q = { .owner_user_id = r->cx.actor.user_id };
	const char *vid = req_query(r, "vehicle_id");
	struct document *v;
	struct vehicle veh;
	enum doc_status s;
	size_t n;
	int rc;

	if (vid != NULL && *vid != '\0') {
		/* The usual vehicle checks: admins see deleted vehicles. */
		rc = strlen(vid) > PATH_ID_MAX ? 0 :
		    vehicle_find(&r->cx, vid, &veh);
		if (rc < 0) {
			resp_db_error(r);
			return;
		}
		if (rc == 1 && veh.deleted_at != NULL &&
		    !ctx_is_admin(&r->cx)) {
			rc = 0;
		}
		if (rc == 0) {
			resp_detail(r, 404, "not_found");
			return;
		}
		rc = ctx_is_admin(&r->cx) ||
		    str_eq(veh.owner_user_id, r->cx.actor.user_id);
		if (!rc) {
			resp_detail(r, 403, "forbidden");
			return;
		}
		q.vehicle_id = vid;
		if (ctx_is_admin(&r->cx))
			q.owner_user_id = NULL;
	}
	if ((s = document_list(&r->cx, &q, &v, &n)) != DOC_OK) {
		doc_error(r, s);
		return;
	}
	resp_json(r, 200, docs_out(v, n));
}

static void
quarantine(struct req *r)
{
	struct doc_query q = { .quarantine = true };
	struct document *v;
	enum doc_status s;
	size_t n;

	if ((s = document_list(&r->cx, &q, &v, &n)) != DOC_OK) {
		doc_error(r, s);
		return;
	}
	resp_json(r, 200, docs_out(v, n));
}

static void
get(struct req *r)
{
	struct document d;

	if (doc_access(r, SEEN_ADMIN, &d))
		resp_json(r, 200, doc_out(&d));
}

static void
download(struct req *r)
{
	struct document d;
	int64_t size = 0;
	const char *cd;
	int fd;

	if (!doc_access(r, SEEN_LIVE, &d))
		return;
	if (!ctx_is_admin(&r->cx) && !document_is_evidence(&d)) {
		resp_detail(r, 403, "forbidden");
		return;
	}
	if ((fd = docfile_open(&r->cx.arena, d.storage_key, &size)) < 0) {
		resp_detail(r, 500, "storage_missing");
		r->resp.err = "storage";
		return;
	}
	/* HEAD sends no bytes, so it is no download. */
	if (!r->head && !audit(&r->cx, &(struct audit_ev){
	    .action = "DOCUMENT_DOWNLOADED", .target_type = "DOCUMENT",
	    .target_id = d.id, .scope = document_scope(&r->cx, &d) })) {
		close(fd);
		resp_db_error(r);
		return;
	}
	/* The sanitised name holds only [A-Za-z0-9._-]: nothing to quote. */
	cd = arena_printf(&r->cx.arena, "attachment; filename=\"%s\"",
	    d.filename);
	resp_file(r, 200, d.content_type, fd, size, CSP_DOWNLOAD);
	resp_header(r, "Content-Disposition", cd);
}

/* ---- admin review ------------------------------------------------------ */

static void
scan(struct req *r)
{
	json_t *body = v_body_object(r);
	const char *status;
	struct document d;
	enum doc_status s;

	status = v_enum(r, body, "body", "scan_status", V_REQ, scan_values);
	if (v_done(r) || !doc_access(r, SEEN_ADMIN, &d))
		return;
	if ((s = document_set_scan(&r->cx, &d, status)) != DOC_OK)
		doc_error(r, s);
	else
		resp_json(r, 200, doc_out(&d));
}

static void
rescan(struct req *r)
{
	enum docscan_result sr;
	struct document d;
	enum doc_status s;

	if (!doc_access(r, SEEN_ADMIN, &d))
		return;
	if (d.deleted_at != NULL) {
		resp_detail(r, 409, "document_deleted");
		return;
	}
	if (!docscan_configured()) {
		resp_detail(r, 409, "scanner_not_configured");
		return;
	}
	sr = docscan_run(docfile_path(&r->cx.arena, d.storage_key));
	s = document_scan_atomic(&r->cx, &d, sr == DOCSCAN_CLEAN ?
	    VERDICT_CLEAN : sr == DOCSCAN_INFECTED ? VERDICT_INFECTED :
	    VERDICT_FAILED, false);
	if (s != DOC_OK)
		doc_error(r, s);
	else if (sr == DOCSCAN_FAILED) {
		resp_detail(r, 503, "scanner_unavailable");
		r->resp.err = "scanner";
	} else
		resp_json(r, 200, doc_out(&d));
}

static void
approve(struct req *r)
{
	struct document d;
	enum doc_status s;

	if (!doc_access(r, SEEN_ADMIN, &d))
		return;
	s = document_approve(&r->cx, &d);
	if (s != DOC_OK && s != DOC_UNCHANGED)
		doc_error(r, s);
	else
		resp_json(r, 200, doc_out(&d));
}

static void
reject(struct req *r)
{
	json_t *body = v_body_object_opt(r);
	const char *reason;
	struct document d;
	enum doc_status s;

	reason = v_str(r, body, "body", "reason", V_TRIM | V_MULTI |
	    V_EMPTY_NULL, 0, 500);
	if (v_done(r) || !doc_access(r, SEEN_ADMIN, &d))
		return;
	s = document_reject(&r->cx, &d, reason);
	if (s != DOC_OK && s != DOC_UNCHANGED)
		doc_error(r, s);
	else
		resp_json(r, 200, doc_out(&d));
}

/* ---- owner actions ----------------------------------------------------- */

static void
pii(struct req *r)
{
	json_t *body = v_body_object(r);
	const char *status, *note;
	struct document d;
	enum doc_status s;

	status = v_enum(r, body, "body", "pii_status", V_REQ, pii_values);
	note = v_str(r, body, "body", "note", V_TRIM | V_MULTI | V_EMPTY_NULL,
	    0, 500);
	if (v_done(r) || !doc_access(r, SEEN_ADMIN, &d))
		return;
	/* Only an admin clears or lowers a PII flag. */
	if (!ctx_is_admin(&r->cx) && (strcmp(status, "OK") == 0 ||
	    (strcmp(status, "SUSPECTED") == 0 &&
	    str_eq(d.pii_status, "CONFIRMED")))) {
		resp_detail(r, 403, "forbidden");
		return;
	}
	if ((s = document_set_pii(&r->cx, &d, status, note)) != DOC_OK)
		doc_error(r, s);
	else
		resp_json(r, 200, doc_out(&d));
}

static void
delete(struct req *r)
{
	char api[TS_API_LEN];
	struct document d;
	enum doc_status s;
	json_t *o;

	if (!doc_access(r, SEEN_LIVE, &d))
		return;
	s = document_soft_delete(&r->cx, &d, is_owner(r, &d) ? "owner" :
	    "admin");
	if (s != DOC_OK) {
		doc_error(r, s);
		return;
	}
	/*
	 * The tombstone before the file goes: should the commit fail after
	 * it, a restore re-applies a deletion its owner asked for anyway.
	 */
	if (!docfile_tombstone(&r->cx.arena, d.deleted_at, d.id,
	    d.delete_reason) || !docfile_remove(&r->cx.arena, d.storage_key)) {
		resp_internal(r, "storage");
		return;
	}
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "id", json_string(d.id));
	json_object_set_new(o, "deleted_at", ts_to_api(d.deleted_at, api) ?
	    json_string(api) : json_null());
	resp_json(r, 200, o);
}

/*
 * api.md 1 rows 40-50: moderators get "forbidden" here. The upload
 * declares its rate limit, decides its own 413 (the upload bound) and,
 * like the rescan, holds no request transaction (see the top of this
 * file).
 */
#define P_OWN		{ R_OWN, "forbidden", PF_CONSENT }
#define P_OWN_W		{ R_OWN, "forbidden", PF_CONSENT | PF_WRITE }
#define P_UPLOAD	{ R_OWN, "forbidden", PF_CONSENT | PF_UPLOAD, &rate_upload }
#define P_ADM		{ R_ADM, "forbidden", 0 }
#define P_ADM_W		{ R_ADM, "forbidden", PF_WRITE }

static const struct route routes[] = {
	{ "POST", "/upload", P_UPLOAD, upload },
	{ "GET", "/", P_OWN, list },
	{ "GET", "/admin/quarantine", P_ADM, quarantine },
	{ "GET", "/{doc_id}", P_OWN, get },
	{ "GET", "/{doc_id}/download", P_OWN_W, download },
	{ "POST", "/{doc_id}/scan", P_ADM_W, scan },
	{ "POST", "/{doc_id}/rescan", P_ADM, rescan },
	{ "POST", "/{doc_id}/approve", P_ADM_W, approve },
	{ "POST", "/{doc_id}/reject", P_ADM_W, reject },
	{ "POST", "/{doc_id}/pii", P_OWN_W, pii },
	{ "DELETE", "/{doc_id}", P_OWN_W, delete },
};

APP_MAIN("documents", routes, NULL)
