/* db.c: see db.h. Dispatch to the driver, binding, status per connection. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "store/db.h"

#define DB_MAX_BINDS	32

struct db {
	const struct db_driver *drv;
	void		*h;
	enum db_status	 status;
};

struct db_stmt {
	struct db	*db;
	void		*st;
};

enum db_status
db_open(const char *path, bool create, struct db **out)
{
	const struct db_driver *drv = &db_sqlite;
	struct db *db;
	void *h = NULL;
	enum db_status s;

	*out = NULL;
	if ((s = drv->open(path, create, &h)) != DB_OK)
		return s;
	db = xcalloc(1, sizeof(*db));
	db->drv = drv;
	db->h = h;
	*out = db;
	return DB_OK;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db->drv->close(db->h);
	free(db);
}

enum db_status
db_status(const struct db *db)
{
	return db != NULL ? db->status : DB_UNAVAILABLE;
}

void
db_fail(struct db *db, enum db_status s)
{
	if (db != NULL)
		db->status = s;
}

int
db_user_version(struct db *db)
{
	return db->drv->user_version(db->h);
}

enum db_status
db_set_user_version(struct db *db, int v)
{
	return db->status = db->drv->set_user_version(db->h, v);
}

enum db_status
db_begin(struct db *db)
{
	return db->status = db->drv->begin(db->h);
}

enum db_status
db_commit(struct db *db)
{
	if ((db->status = db->drv->commit(db->h)) != DB_OK)
		db_rollback(db);
	return db->status;
}

void
db_rollback(struct db *db)
{
	if (db != NULL && db->drv->in_tx(db->h))
		db->drv->rollback(db->h);
}

void
db_busy_wait(struct db *db, int64_t ms)
{
	if (db != NULL && db->drv->busy_wait != NULL)
		db->drv->busy_wait(db->h, ms);
}

bool
db_in_tx(struct db *db)
{
	return db != NULL && db->drv->in_tx(db->h);
}

enum db_status
db_atomic(struct db *db, enum db_status (*fn)(struct db *, void *), void *arg)
{
	enum db_status s;

	if ((s = db_begin(db)) != DB_OK)
		return s;
	if ((s = fn(db, arg)) != DB_OK) {
		db_rollback(db);
		return db->status = s;
	}
	return db_commit(db);
}

struct db_stmt *
db_vprep(struct db *db, const char *sql, const char *types, va_list ap)
{
	struct db_bind b[DB_MAX_BINDS];
	char ts[DB_MAX_BINDS][TS_STORAGE_LEN];
	struct db_stmt *st;
	const char *t;
	size_t n = 0;
	void *h = NULL;

	for (t = types != NULL ? types : ""; *t != '\0'; t++, n++) {
		if (n == DB_MAX_BINDS) {
			db->status = DB_ERROR;
			return NULL;
		}
		memset(&b[n], 0, sizeof(b[n]));
		switch (*t) {
		case 's':
			b[n].s = va_arg(ap, const char *);
			b[n].type = b[n].s == NULL ? 'n' : 's';
			break;
		case 'i':
			b[n].type = 'i';
			b[n].i = va_arg(ap, int64_t);
			break;
		case 'd':
			b[n].type = 'i';
			b[n].i = va_arg(ap, int);
			break;
		case 't':
			ts_storage(va_arg(ap, int64_t), ts[n]);
			b[n].type = 's';
			b[n].s = ts[n];
			break;
		case 'n':
			b[n].type = 'n';
			break;
		default:
			db->status = DB_ERROR;
			return NULL;
		}
	}
	if ((db->status = db->drv->prepare(db->h, sql, b, n, &h)) != DB_OK)
		return NULL;
	st = xcalloc(1, sizeof(*st));
	st->db = db;
	st->st = h;
	return st;
}

struct db_stmt *
db_prep(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = db_vprep(db, sql, types, ap);
	va_end(ap);
	return st;
}

int
db_step(struct db_stmt *st)
{
	enum db_status s = DB_OK;
	int rc = st->db->drv->step(st->st, &s);

	if (rc < 0)
		st->db->status = s;
	return rc;
}

void
db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	st->db->drv->finalize(st->st);
	free(st);
}

/* Steps a statement to its end (NULL: the prepare failed), or with
 * first, to its first row, whose first column it reads (0 without). */
static enum db_status
run(struct db *db, struct db_stmt *st, int64_t *first)
{
	int rc;

	if (st == NULL)
		return db->status;
	while ((rc = db_step(st)) == 1 && first == NULL)
		;
	if (rc == 1)
		*first = db_int(st, 0);
	db_finalize(st);
	return rc < 0 ? db->status : DB_OK;
}

enum db_status
db_exec(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = db_vprep(db, sql, types, ap);
	va_end(ap);
	if (run(db, st, NULL) != DB_OK)
		return db->status;
	return db->status = DB_OK;
}

enum db_status
db_script(struct db *db, const char *sql)
{
	return db->status = db->drv->script(db->h, sql);
}

int64_t
db_changes(struct db *db)
{
	return db->drv->changes(db->h);
}

int64_t
db_scalar(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	int64_t v = 0;
	va_list ap;

	va_start(ap, types);
	st = db_vprep(db, sql, types, ap);
	va_end(ap);
	return run(db, st, &v) == DB_OK ? v : -1;
}

const char *
db_text(struct db_stmt *st, int col)
{
	return st->db->drv->column_text(st->st, col);
}

char *
db_dup(struct db_stmt *st, int col)
{
	const char *s = db_text(st, col);

	return s != NULL ? xstrdup(s) : NULL;
}

int64_t
db_int(struct db_stmt *st, int col)
{
	return st->db->drv->column_int(st->st, col);
}

bool
db_isnull(struct db_stmt *st, int col)
{
	return st->db->drv->column_null(st->st, col);
}

enum db_status
db_backup(struct db *db, const char *dest)
{
	if (db->drv->backup == NULL)
		return db->status = DB_ERROR;
	return db->status = db->drv->backup(db->h, dest);
}

enum db_status
db_pragma(struct db *db, const char *name, const char *value, char *out,
    size_t outlen)
{
	if (db->drv->pragma == NULL)
		return db->status = DB_ERROR;
	return db->status = db->drv->pragma(db->h, name, value, out, outlen);
}
