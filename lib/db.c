/* db.c: see db.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "util.h"

static enum db_status last_status = DB_OK;

enum db_status
db_last_status(void)
{
	return last_status;
}

void
db_set_status(enum db_status s)
{
	last_status = s;
}

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

enum db_status
db_open(const char *path, bool create, sqlite3 **out)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	sqlite3 *db = NULL;
	char sql[64];

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
	snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=ON");
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return DB_UNAVAILABLE;
	}
	*out = db;
	return DB_OK;
}

void
db_close(sqlite3 *db)
{
	if (db != NULL)
		sqlite3_close_v2(db);
}

int
db_user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static enum db_status
simple(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	last_status = rc == SQLITE_OK ? DB_OK : classify(rc);
	return last_status;
}

enum db_status
db_begin(sqlite3 *db)
{
	return simple(db, "BEGIN IMMEDIATE");
}

enum db_status
db_commit(sqlite3 *db)
{
	enum db_status s = simple(db, "COMMIT");

	if (s != DB_OK)
		db_rollback(db);
	return s;
}

void
db_rollback(sqlite3 *db)
{
	if (db != NULL && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
vprep(sqlite3 *db, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st = NULL;
	const char *t;
	int rc, i = 1;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		last_status = classify(rc);
		if (last_status == DB_ERROR)
			fprintf(stderr, "ltc: ERROR db: prepare failed (%d)\n", rc);
		sqlite3_finalize(st);
		return NULL;
	}
	for (t = types != NULL ? types : ""; *t != '\0'; t++, i++) {
		switch (*t) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			rc = s == NULL ? sqlite3_bind_null(st, i) :
			    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
			break;
		}
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		default:
			rc = SQLITE_MISUSE;
			break;
		}
		if (rc != SQLITE_OK) {
			last_status = DB_ERROR;
			sqlite3_finalize(st);
			return NULL;
		}
	}
	last_status = DB_OK;
	return st;
}

sqlite3_stmt *
db_prep(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = vprep(db, sql, types, ap);
	va_end(ap);
	return st;
}

int
db_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	last_status = classify(rc);
	if (last_status == DB_ERROR)
		fprintf(stderr, "ltc: ERROR db: step failed (%d)\n", rc);
	return -1;
}

enum db_status
db_exec(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = vprep(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return last_status;
	while ((rc = db_step(st)) == 1)
		;
	sqlite3_finalize(st);
	return rc < 0 ? last_status : DB_OK;
}

int64_t
db_scalar(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = vprep(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : v;
}

const char *
db_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

char *
db_dup(sqlite3_stmt *st, int col)
{
	const char *s = db_text(st, col);

	return s != NULL ? xstrdup(s) : NULL;
}

int64_t
db_int(sqlite3_stmt *st, int col)
{
	return sqlite3_column_int64(st, col);
}

bool
db_isnull(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}
