/*
 * ltcctl purge [--dry-run] (ops.md 6.4): the retention table of
 * domain.md 19 in one pass, each category in a transaction of its own.
 *
 * Documents due (PII CONFIRMED or REJECTED for longer than their
 * retention) are marked deleted with DOCUMENT_PURGED and a tombstone
 * line, then their files are removed. The pass also removes what a crash
 * can leave behind: files of rows already deleted, and upload temp files
 * older than TMP_MAX_AGE (no upload takes that long). Idempotent; the
 * counts go to stdout and into PURGE_RUN.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/config.h"
#include "domain/docfile.h"
#include "ltcctl.h"
#include "store/audit.h"
#include "store/ctx.h"
#include "store/document.h"
#include "store/retention.h"

#define DAY_US		(INT64_C(86400) * US_PER_SEC)
#define TMP_MAX_AGE	3600	/* seconds */

static void
report(json_t *counts, const char *name, int64_t n)
{
	json_object_set_new(counts, name, json_integer(n));
	printf("%s %lld\n", name, (long long)n);
}

/* One retention class in its own transaction; -1 on failure. */
static int64_t
purge_rows(struct db *db, const char *name, int64_t now, bool dry)
{
	int64_t n;

	if (dry)
		return retention_apply(db, name, now, true);
	if (db_begin(db) != DB_OK)
		return -1;
	n = retention_apply(db, name, now, false);
	if (n < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == DB_OK ? n : -1;
}

/*
 * The due documents with this delete_reason, in one transaction: rows
 * and tombstones first, files after the commit (a file never goes while
 * its row could still roll back to live). The number, or -1.
 */
static int64_t
purge_docs(struct ctx *cx, struct document *v, size_t n, const char *reason,
    bool dry)
{
	int64_t done = 0;
	enum doc_status s;
	size_t i;

	if (dry) {
		for (i = 0; i < n; i++)
			done += strcmp(v[i].delete_reason, reason) == 0;
		return done;
	}
	if (db_begin(cx->db) != DB_OK)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].delete_reason, reason) != 0)
			continue;
		s = document_purge_mark(cx, &v[i]);
		if (s == DOC_NOT_FOUND) {
			v[i].storage_key = NULL;	/* deleted meanwhile */
			continue;
		}
		if (s != DOC_OK || !docfile_tombstone(&cx->arena,
		    v[i].deleted_at, v[i].id, reason)) {
			db_rollback(cx->db);
			return -1;
		}
		done++;
	}
	if (db_commit(cx->db) != DB_OK)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].delete_reason, reason) == 0 &&
		    v[i].storage_key != NULL)
			docfile_remove(&cx->arena, v[i].storage_key);
	return done;
}

/* Files still present for rows that are deleted; -1 on db error. */
static int64_t
purge_leftovers(struct ctx *cx, bool dry)
{
	char **keys, *path;
	int64_t n = 0;
	size_t nk, i;
	FILE *f;

	if (document_deleted_keys(cx, &keys, &nk) != DOC_OK)
		return -1;
	for (i = 0; i < nk; i++) {
		if ((path = docfile_path(&cx->arena, keys[i])) == NULL ||
		    (f = fopen(path, "r")) == NULL)
			continue;
		fclose(f);
		if (dry || docfile_remove(&cx->arena, keys[i]))
			n++;
	}
	return n;
}

int
cmd_purge(int argc, char **argv)
{
	char pii_before[TS_STORAGE_LEN], rej_before[TS_STORAGE_LEN];
	const char *const *names;
	struct document *due;
	struct ctx cx;
	json_t *counts;
	size_t nn, ndue, i;
	int64_t n;
	bool dry = false;
	int rc = EX_OK;

	if (argc == 2 && strcmp(argv[1], "--dry-run") == 0)
		dry = true;
	else if (argc != 1) {
		fprintf(stderr, "usage: ltcctl purge [--dry-run]\n");
		return EX_USAGE;
	}
	memset(&cx, 0, sizeof(cx));
	if ((cx.db = ctl_db(0)) == NULL)
		return EX_FAIL;
	cx.now = clock_now();
	snprintf(cx.rid, sizeof(cx.rid), "cli");
	counts = json_object();

	names = retention_names(&nn);
	for (i = 0; i < nn; i++) {
		if ((n = purge_rows(cx.db, names[i], cx.now, dry)) < 0) {
			fprintf(stderr, "ltcctl: purge of %s failed\n", names[i]);
			rc = EX_FAIL;
			continue;
		}
		report(counts, names[i], n);
	}

	ts_storage(cx.now - cfg.retention_pii_confirmed_days * DAY_US,
	    pii_before);
	ts_storage(cx.now - cfg.retention_rejected_days * DAY_US, rej_before);
	if (document_purge_due(&cx, pii_before, rej_before, &due, &ndue) !=
	    DOC_OK) {
		fprintf(stderr, "ltcctl: purge of documents failed\n");
		rc = EX_FAIL;
	} else {
		static const char *const reasons[][2] = {
			{ "documents_pii_auto_delete", "pii_auto_delete" },
			{ "documents_rejected_retention", "rejected_retention" },
		};

		for (i = 0; i < 2; i++) {
			n = purge_docs(&cx, due, ndue, reasons[i][1], dry);
			if (n < 0) {
				fprintf(stderr, "ltcctl: purge of %s failed\n",
				    reasons[i][0]);
				rc = EX_FAIL;
				continue;
			}
			report(counts, reasons[i][0], n);
		}
	}
	if ((n = purge_leftovers(&cx, dry)) < 0) {
		fprintf(stderr, "ltcctl: purge of deleted document files failed\n");
		rc = EX_FAIL;
	} else
		report(counts, "document_files_of_deleted", n);
	if ((n = docfile_sweep_tmp(&cx.arena, time(NULL) - TMP_MAX_AGE,
	    dry)) < 0) {
		fprintf(stderr, "ltcctl: purge of upload temp files failed\n");
		rc = EX_FAIL;
	} else
		report(counts, "upload_temp_files", n);

	if (dry) {
		json_decref(counts);
		printf("dry run: nothing changed\n");
	} else if (!audit_cli(cx.db, &(struct audit_ev){ .action = "PURGE_RUN",
	    .target_type = "SYSTEM_CONFIG", .result = rc == EX_OK ? NULL :
	    "error", .meta = counts }))
		rc = EX_FAIL;
	db_close(cx.db);
	arena_free(&cx.arena);
	return rc;
}
