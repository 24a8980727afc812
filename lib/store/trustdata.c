/* trustdata.c: see trustdata.h. */
#include <string.h>

#include "store/db.h"
#include "store/trustdata.h"

/*
 * Room for one more element of size sz in a (n used, *cap allocated):
 * a itself, or a larger arena copy of it.
 */
static void *
grow(struct arena *ar, void *a, size_t n, size_t *cap, size_t sz)
{
	void *b;

	if (n < *cap)
		return a;
	*cap = *cap ? *cap * 2 : 16;
	b = arena_alloc(ar, *cap * sz);
	if (n > 0)
		memcpy(b, a, n * sz);
	return b;
}

bool
trustdata_load(struct ctx *cx, const char *vehicle_id, struct trustdata *td)
{
	struct arena *ar = &cx->arena;
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	memset(td, 0, sizeof(*td));
	st = db_prep(cx->db, "SELECT trust_level FROM vehicle_entries "
	    "WHERE vehicle_id = ? AND is_latest = 1", "s", vehicle_id);
	if (st == NULL)
		return false;
	while ((rc = db_step(st)) == 1) {
		td->levels = grow(ar, td->levels, td->nlevels, &cap,
		    sizeof(*td->levels));
		td->levels[td->nlevels++] = arena_strdup(ar, db_text(st, 0));
	}
	db_finalize(st);
	if (rc < 0)
		return false;
	st = db_prep(cx->db, "SELECT approval_status, scan_status, pii_status, "
	    "checksum_sha256 IS NOT NULL FROM documents WHERE vehicle_id = ? "
	    "AND deleted_at IS NULL", "s", vehicle_id);
	if (st == NULL)
		return false;
	cap = 0;
	while ((rc = db_step(st)) == 1) {
		struct trustdata_doc *d;

		td->docs = grow(ar, td->docs, td->ndocs, &cap,
		    sizeof(*td->docs));
		d = &td->docs[td->ndocs++];
		d->approval_status = arena_strdup(ar, db_text(st, 0));
		d->scan_status = arena_strdup(ar, db_text(st, 1));
		d->pii_status = arena_strdup(ar, db_text(st, 2));
		d->has_checksum = db_int(st, 3) != 0;
	}
	db_finalize(st);
	return rc >= 0;
}
