/*
 * document.h: the document store (domain.md 0.3, 6). Every write to the
 * documents table goes through here, each with its audit row (domain.md
 * 14) in the caller's transaction: the route's (PF_WRITE) or, for the
 * upload whose body and scanner must not hold the write lock, the one
 * document_insert_atomic() and document_scan_atomic() open themselves.
 *
 * Rows live in the context's arena: nothing here needs freeing.
 * Files are not this module's business (domain/docfile.h).
 */
#ifndef LTC_DOCUMENT_H
#define LTC_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"
#include "store/db.h"

struct document {
	char	*id;			/* 32 lowercase hex */
	char	*owner_user_id;
	char	*created_by_user_id;
	char	*vehicle_id;		/* NULL: not linked */
	char	*entry_id;
	char	*filename;		/* sanitised; CONFIDENTIAL */
	char	*content_type;
	int64_t	 size_bytes;
	char	*checksum_sha256;
	char	*storage_key;		/* "documents/<xx>/<id>" */
	char	*approval_status;	/* QUARANTINED, APPROVED, REJECTED */
	char	*scan_status;		/* PENDING, CLEAN, INFECTED, ERROR */
	char	*pii_status;		/* OK, SUSPECTED, CONFIRMED */
	char	*scanned_at;		/* storage format, like every time */
	char	*approved_by_user_id;
	char	*approved_at;
	char	*rejected_by_user_id;
	char	*rejected_at;
	char	*reject_reason;
	char	*pii_marked_by_user_id;
	char	*pii_marked_at;
	char	*pii_note;
	char	*pii_confirmed_at;
	char	*created_at;
	char	*deleted_at;
	char	*deleted_by_user_id;
	char	*delete_reason;
};

enum doc_status {
	DOC_OK,
	DOC_NOT_FOUND,
	DOC_DELETED,		/* 409 document_deleted */
	DOC_REJECTED,		/* approve: 409 document_rejected */
	DOC_NOT_CLEAN,		/* approve: 409 not_scanned_clean */
	DOC_PII_OPEN,		/* approve: 409 pii_not_cleared */
	DOC_UNCHANGED,		/* already in the asked state: 200, no audit */
	DOC_DB_ERROR,		/* db_status() tells which */
};

/* APPROVED, CLEAN, PII OK and not deleted (domain.md 5.2). */
bool	 document_is_evidence(const struct document *);
/* Audit scope of an action on d: "own" for its owner, else "global". */
const char *document_scope(const struct ctx *, const struct document *);

/* Reads one row, deleted ones included. DOC_OK, DOC_NOT_FOUND, DOC_DB_ERROR. */
enum doc_status document_get(struct ctx *, const char *id, struct document *);

/*
 * Inserts d (every field set by the caller; QUARANTINED, PENDING, OK)
 * with its UPLOAD_RECEIVED row, in a transaction of its own (the upload
 * route holds none). DOC_OK or DOC_DB_ERROR.
 */
enum doc_status document_insert_atomic(struct ctx *, const struct document *);

/*
 * The scanner's verdict on d (domain.md 6.2): clean or infected (the
 * latter rejects with reason infected_auto_reject unless d is already
 * REJECTED), or failed: nothing changes but UPLOAD_SCAN_FAILED. On
 * upload the rejection is by "system"; a rescan's by the acting admin.
 * Atomic on its own, like the insert. d is updated in place.
 */
enum scan_verdict { VERDICT_CLEAN, VERDICT_INFECTED, VERDICT_FAILED };
enum doc_status document_scan_atomic(struct ctx *, struct document *,
	    enum scan_verdict, bool on_upload);

/*
 * Manual scan result of an admin (api.md 9.6): any of the four statuses,
 * INFECTED rejecting as above. DOC_DELETED for a deleted document.
 */
enum doc_status document_set_scan(struct ctx *, struct document *,
	    const char *scan_status);

/* api.md 9.8, in its order: DELETED, REJECTED, NOT_CLEAN, PII_OPEN, UNCHANGED. */
enum doc_status document_approve(struct ctx *, struct document *);
/* api.md 9.9: DELETED, UNCHANGED (already REJECTED: first reason kept). */
enum doc_status document_reject(struct ctx *, struct document *,
	    const char *reason);
/*
 * api.md 9.10: sets the PII status, marker, time and note (NULL = none);
 * who may set what is the caller's check. DOC_DELETED.
 */
enum doc_status document_set_pii(struct ctx *, struct document *,
	    const char *pii_status, const char *note);
/*
 * Soft delete by owner or admin (delete_reason "owner"/"admin"): the
 * deletion fields and DOCUMENT_DELETED. DOC_NOT_FOUND when it is already
 * deleted. The caller removes the file and writes the tombstone.
 */
enum doc_status document_soft_delete(struct ctx *, struct document *,
	    const char *reason);

/* At least one of owner_user_id and vehicle_id, or quarantine alone. */
struct doc_query {
	const char	*owner_user_id;	/* NULL: any owner */
	const char	*vehicle_id;	/* NULL: any (or none) */
	bool		 quarantine;	/* every QUARANTINED one */
};

/* Non-deleted documents matching q, newest first (later insert first on ties). */
enum doc_status document_list(struct ctx *, const struct doc_query *,
	    struct document **out, size_t *n);

/*
 * Is entry_id a revision (any version) of an entry of vehicle_id? The
 * upload's link check (api.md 9.1 step 9). 1, 0, or -1 on error.
 */
int	 document_entry_linkable(struct db *, const char *vehicle_id,
	    const char *entry_id);

/* ---- ltcctl ------------------------------------------------------------ */

/*
 * Documents due for the retention purge (domain.md 19) at now: PII
 * CONFIRMED since before pii_before, or REJECTED since before
 * rejected_before (storage-format times), reason set accordingly
 * ("pii_auto_delete" / "rejected_retention"). Arena rows in *out.
 */
enum doc_status document_purge_due(struct ctx *, const char *pii_before,
	    const char *rejected_before, struct document **out, size_t *n);
/*
 * Marks d deleted by the purge (deleted_by "system", its delete_reason as
 * set by document_purge_due) at cx->now with DOCUMENT_PURGED (audited as
 * ltcctl does: actor system, request_id "cli"). DOC_NOT_FOUND when it was
 * deleted meanwhile.
 */
enum doc_status document_purge_mark(struct ctx *, struct document *);
/*
 * Re-applies a tombstone line (ops.md 6.3 step 5): marks id deleted at ts
 * with reason unless it already is. storage_key gets the file to remove
 * (arena). DOC_OK, DOC_UNCHANGED (unknown or already deleted), DOC_DB_ERROR.
 */
enum doc_status document_tombstone_apply(struct ctx *, const char *id,
	    const char *ts, const char *reason, char **storage_key);
/* Storage keys of deleted rows (files a crash may have left behind). */
enum doc_status document_deleted_keys(struct ctx *, char ***keys, size_t *n);

/*
 * The documents' part of a redeem (domain.md 12.3 step 3), in the
 * caller's transaction: PII-free live documents of the vehicle pass to
 * the owner to (*moved counts them); every other live one is unlinked
 * from the vehicle and its entry and stays with its owner (*unlinked).
 * False on db error.
 */
bool	 document_hand_over(struct ctx *, const char *vehicle_id,
	    const char *to, int64_t *moved, int64_t *unlinked);

#endif
