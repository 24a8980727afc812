/*
 * db.h: the database interface every store speaks. No store, domain or
 * http module sees a backend type: a connection is a struct db, a
 * prepared statement a struct db_stmt, and both are opaque.
 *
 * SQL handed to this interface is the dialect SQLite and PostgreSQL
 * share: '?' placeholders (a driver that needs $1.. translates them),
 * ON CONFLICT ... DO UPDATE/NOTHING, RETURNING, no INSERT OR ..., no
 * rowid, integers for times and money.
 *
 * Binding types for db_prep()/db_exec()/db_scalar(): 's' const char *
 * (NULL binds NULL), 'i' int64_t, 'd' int (promoted), 'n' NULL (no
 * argument consumed).
 *
 * Errors: every call that can fail records its status on the connection
 * (db_status()); there is no global error state.
 */
#ifndef LTC_DB_H
#define LTC_DB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef LTC_SCHEMA_VERSION
#error "LTC_SCHEMA_VERSION must be set by the build"
#endif

enum db_status { DB_OK, DB_UNAVAILABLE, DB_SCHEMA, DB_BUSY, DB_ERROR };

struct db;
struct db_stmt;

/*
 * What a driver provides (store/sqlite.c is one; a PostgreSQL driver is
 * the other). Every function receives the driver's own handle; a
 * function returning enum db_status classifies the backend's error as
 * DB_BUSY (lock/serialisation conflict, worth a retry), DB_UNAVAILABLE
 * (cannot reach/read the database) or DB_ERROR (anything else).
 *   open       connect with the safety settings of security.md; create
 *              the database when asked (drivers that cannot, refuse)
 *   prepare    compile one statement and bind the arguments in order
 *   step       1 row, 0 done, -1 error (status through *err)
 *   column_*   read column i of the current row; text NULL for SQL NULL
 *   changes    rows changed by the last completed statement
 *   script     run a multi-statement script (migrations)
 *   begin/commit/rollback  BEGIN IMMEDIATE-strength write transaction
 *   in_tx      whether a transaction is open
 *   busy_wait  how long the next statements wait for a lock (ms; < 0:
 *              the configured busy timeout)
 *   user_version / set_user_version  the schema version
 *   backup     an online, consistent copy into a new file (may be NULL:
 *              then the operator backs up with the backend's own tool)
 */
struct db_bind {
	char		 type;		/* 's', 'i' or 'n' */
	const char	*s;
	int64_t		 i;
};

struct db_driver {
	const char	*name;
	enum db_status	(*open)(const char *dsn, bool create, void **h);
	void		(*close)(void *h);
	enum db_status	(*prepare)(void *h, const char *sql,
			    const struct db_bind *, size_t n, void **st);
	int		(*step)(void *st, enum db_status *err);
	void		(*finalize)(void *st);
	const char	*(*column_text)(void *st, int i);
	int64_t		(*column_int)(void *st, int i);
	bool		(*column_null)(void *st, int i);
	int64_t		(*changes)(void *h);
	enum db_status	(*script)(void *h, const char *sql);
	enum db_status	(*begin)(void *h);
	enum db_status	(*commit)(void *h);
	void		(*rollback)(void *h);
	bool		(*in_tx)(void *h);
	void		(*busy_wait)(void *h, int64_t ms);
	int		(*user_version)(void *h);
	enum db_status	(*set_user_version)(void *h, int);
	enum db_status	(*backup)(void *h, const char *dest_path);
	enum db_status	(*pragma)(void *h, const char *name, const char *value,
			    char *out, size_t outlen);
};

extern const struct db_driver db_sqlite;

/* Opens cfg.db_path with the configured driver (SQLite today). */
enum db_status db_open(const char *path, bool create, struct db **);
void	 db_close(struct db *);
/* Status of the connection's last failing or succeeding call. */
enum db_status db_status(const struct db *);
void	 db_fail(struct db *, enum db_status);	/* a store's own refusal */
int	 db_user_version(struct db *);		/* -1 when unreadable */
enum db_status db_set_user_version(struct db *, int);

/*
 * Write transaction (BEGIN IMMEDIATE). Writers queue for up to
 * DB_WRITE_QUEUE_MS (well over the busy timeout); DB_BUSY only after.
 */
#define DB_WRITE_QUEUE_MS	30000
enum db_status db_begin(struct db *);
enum db_status db_commit(struct db *);		/* rolls back on failure */
void	 db_rollback(struct db *);		/* no-op outside a transaction */
bool	 db_in_tx(struct db *);
/*
 * How long the next statements wait for a lock, in ms; < 0 restores the
 * configured busy timeout. 0 for a best-effort write that must never
 * hold a read up (the session's last-seen refresh).
 */
void	 db_busy_wait(struct db *, int64_t ms);

/*
 * Runs fn(db, arg) in its own write transaction: committed when fn
 * returns DB_OK, rolled back otherwise. For the store operations that
 * must be atomic on their own (a rate-limit check-and-count before a
 * password is hashed); request transactions are the route's.
 */
enum db_status db_atomic(struct db *, enum db_status (*fn)(struct db *,
	    void *), void *arg);

/*
 * Prepare and bind; NULL on error (db_status() tells which). types has a
 * letter per argument: 's' text (NULL binds NULL), 'i' int64_t, 'd' int,
 * 't' an int64_t time in microseconds bound as the stored time text
 * (ts_storage), 'n' NULL without an argument.
 */
struct db_stmt *db_prep(struct db *, const char *sql, const char *types, ...);
struct db_stmt *db_vprep(struct db *, const char *sql, const char *types,
	    va_list);
/* Prepare, bind, step to completion; DB_OK or the failure. */
enum db_status db_exec(struct db *, const char *sql, const char *types, ...);
/* A script of several statements without parameters (migrations). */
enum db_status db_script(struct db *, const char *sql);
/* Step once: row -> 1, done -> 0, error -> -1 (status recorded). */
int	 db_step(struct db_stmt *);
void	 db_finalize(struct db_stmt *);
/* Rows changed by the last statement on this connection. */
int64_t	 db_changes(struct db *);

/*
 * First column of the first row as an integer (counts, existence
 * checks): 0 when there is no row, -1 on error.
 */
int64_t	 db_scalar(struct db *, const char *sql, const char *types, ...);

/* Column helpers: NULL for SQL NULL; db_dup allocates (caller frees). */
const char *db_text(struct db_stmt *, int);
char	*db_dup(struct db_stmt *, int);
int64_t	 db_int(struct db_stmt *, int);
bool	 db_isnull(struct db_stmt *, int);

/* Online copy into a new file (SQLite backup API); DB_ERROR if unsupported. */
enum db_status db_backup(struct db *, const char *dest_path);
/* Backend settings (SQLite PRAGMA name[=value]); result text into out. */
enum db_status db_pragma(struct db *, const char *name, const char *value,
	    char *out, size_t outlen);

#endif
