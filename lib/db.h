/*
 * db.h: the SQLite connection, its safety settings, transactions and a
 * small binding helper so every statement is prepared with parameters.
 *
 * Binding types for db_prep()/db_exec(): 's' const char * (NULL binds NULL),
 * 'i' int64_t, 'd' int (promoted), 'n' NULL (no argument consumed).
 */
#ifndef LTC_DB_H
#define LTC_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#ifndef LTC_SCHEMA_VERSION
#error "LTC_SCHEMA_VERSION must be set by the build"
#endif

enum db_status { DB_OK, DB_UNAVAILABLE, DB_SCHEMA, DB_BUSY, DB_ERROR };

/* Opens cfg.db_path read-write with the connection settings of security.md. */
enum db_status db_open(const char *path, bool create, sqlite3 **);
void	 db_close(sqlite3 *);
int	 db_user_version(sqlite3 *);	/* -1 when unreadable */

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; status DB_BUSY when still locked. */
enum db_status db_begin(sqlite3 *);
enum db_status db_commit(sqlite3 *);
void	 db_rollback(sqlite3 *);	/* no-op outside a transaction */

/* Prepare and bind; NULL on error (db_last_status() tells which). */
sqlite3_stmt *db_prep(sqlite3 *, const char *sql, const char *types, ...);
/* Prepare, bind, step to completion; DB_OK or the failure. */
enum db_status db_exec(sqlite3 *, const char *sql, const char *types, ...);
/* Step once: SQLITE_ROW -> 1, SQLITE_DONE -> 0, error -> -1 (status set). */
int	 db_step(sqlite3_stmt *);
enum db_status db_last_status(void);
void	 db_set_status(enum db_status);

/*
 * First column of the first row as an integer (counts, existence
 * checks): 0 when there is no row, -1 on error.
 */
int64_t	 db_scalar(sqlite3 *, const char *sql, const char *types, ...);

/* Column helpers: NULL for SQL NULL; dup variants allocate (caller frees). */
const char *db_text(sqlite3_stmt *, int);
char	*db_dup(sqlite3_stmt *, int);
int64_t	 db_int(sqlite3_stmt *, int);
bool	 db_isnull(sqlite3_stmt *, int);

#endif
