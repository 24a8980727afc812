/*
 * sqlite.c: the SQLite driver of db.h, the one file that speaks sqlite3.
 * Connection settings are those of security.md: WAL-friendly busy
 * timeout, foreign keys, DEFENSIVE, trusted_schema off.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "base/config.h"
#include "store/db.h"

static enum db_status
classify(int rc)
{
	rc &= 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return DB_BUSY;
	if (rc == SQLITE_CANTOPEN || rc == SQLITE_NOTADB || rc == SQLITE_IOERR ||
	    rc == SQLITE_READONLY || rc == SQLITE_CORRUPT || rc == SQLITE_PERM)
		return DB_UNAVAILABLE;
	return DB_ERROR;
}

static enum db_status
lite_open(const char *path, bool create, void **out)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	sqlite3 *db = NULL;

	*out = NULL;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return DB_UNAVAILABLE;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, (int)(cfg.busy_timeout_ms > 0 ?
	    cfg.busy_timeout_ms : 5000));
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return DB_UNAVAILABLE;
	}
	*out = db;
	return DB_OK;
}

static void
lite_close(void *h)
{
	sqlite3_close_v2(h);
}

static enum db_status
lite_prepare(void *h, const char *sql, const struct db_bind *b, size_t n,
    void **out)
{
	sqlite3_stmt *st = NULL;
	enum db_status s;
	size_t i;
	int rc;

	*out = NULL;
	rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		s = classify(rc);
		if (s == DB_ERROR)
			fprintf(stderr, "ltc: ERROR db: prepare failed (%d)\n", rc);
		sqlite3_finalize(st);
		return s;
	}
	for (i = 0; i < n; i++) {
		int k = (int)i + 1;

		if (b[i].type == 's')
			rc = sqlite3_bind_text(st, k, b[i].s, -1, SQLITE_TRANSIENT);
		else if (b[i].type == 'i')
			rc = sqlite3_bind_int64(st, k, b[i].i);
		else
			rc = sqlite3_bind_null(st, k);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(st);
			return DB_ERROR;
		}
	}
	*out = st;
	return DB_OK;
}

static int
lite_step(void *st, enum db_status *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	*err = classify(rc);
	if (*err == DB_ERROR)
		fprintf(stderr, "ltc: ERROR db: step failed (%d)\n", rc);
	return -1;
}

static void
lite_finalize(void *st)
{
	sqlite3_finalize(st);
}

static const char *
lite_text(void *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int64_t
lite_int(void *st, int i)
{
	return sqlite3_column_int64(st, i);
}

static bool
lite_null(void *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

static int64_t
lite_changes(void *h)
{
	return sqlite3_changes(h);
}

static enum db_status
lite_script(void *h, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &err);

	if (rc != SQLITE_OK) {
		fprintf(stderr, "ltc: ERROR db: script failed: %s\n",
		    err != NULL ? err : "?");
		sqlite3_free(err);
		return classify(rc);
	}
	return DB_OK;
}

static enum db_status
simple(void *h, const char *sql)
{
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? DB_OK : classify(rc);
}

static enum db_status
lite_begin(void *h)
{
	return simple(h, "BEGIN IMMEDIATE");
}

static enum db_status
lite_commit(void *h)
{
	return simple(h, "COMMIT");
}

static bool
lite_in_tx(void *h)
{
	return !sqlite3_get_autocommit(h);
}

static void
lite_rollback(void *h)
{
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
}

static int
lite_user_version(void *h)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static enum db_status
lite_set_user_version(void *h, int v)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	return simple(h, sql);
}

static enum db_status
lite_backup(void *h, const char *dest)
{
	sqlite3 *out = NULL;
	sqlite3_backup *bk;
	enum db_status s = DB_OK;

	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sqlite3_close(out);
		return DB_UNAVAILABLE;
	}
	bk = sqlite3_backup_init(out, "main", h, "main");
	if (bk == NULL || sqlite3_backup_step(bk, -1) != SQLITE_DONE)
		s = DB_ERROR;
	sqlite3_backup_finish(bk);
	sqlite3_close(out);
	return s;
}

/* Only the settings ltcctl uses; names are never taken from input. */
static enum db_status
lite_pragma(void *h, const char *name, const char *value, char *out,
    size_t outlen)
{
	static const char *const allowed[] = { "journal_mode",
	    "integrity_check", "foreign_key_check", "wal_checkpoint" };
	sqlite3_stmt *st;
	char sql[128];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(name, allowed[i]) == 0)
			break;
	if (i == sizeof(allowed) / sizeof(allowed[0]))
		return DB_ERROR;
	if (value != NULL)
		snprintf(sql, sizeof(sql), "PRAGMA %s=%s", name, value);
	else
		snprintf(sql, sizeof(sql), "PRAGMA %s", name);
	if ((rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL)) != SQLITE_OK)
		return classify(rc);
	if (out != NULL && outlen > 0)
		out[0] = '\0';
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out != NULL && outlen > 0) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		snprintf(out, outlen, "%s", t != NULL ? t : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : classify(rc);
}

const struct db_driver db_sqlite = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.prepare = lite_prepare,
	.step = lite_step,
	.finalize = lite_finalize,
	.column_text = lite_text,
	.column_int = lite_int,
	.column_null = lite_null,
	.changes = lite_changes,
	.script = lite_script,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.in_tx = lite_in_tx,
	.user_version = lite_user_version,
	.set_user_version = lite_set_user_version,
	.backup = lite_backup,
	.pragma = lite_pragma,
};
