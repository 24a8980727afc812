/*
 * sqlite.c: the SQLite driver of db.h, the one file that speaks sqlite3.
 * Connection settings are those of security.md: WAL-friendly busy
 * timeout, foreign keys, DEFENSIVE, trusted_schema off.
 *
 * Writers queue (README "Error bodies": busy is a last resort). SQLite's
 * own busy handler polls with growing sleeps, so under many writers a
 * long waiter loses to newcomers and gives up after the busy timeout.
 * Here a write transaction first takes an flock() on "<db>-writer": the
 * kernel hands it on the moment it is released, for at most
 * DB_WRITE_QUEUE_MS, and BEGIN IMMEDIATE then only waits for writers
 * outside the queue (ltcctl, the sqlite3 shell). The WAL checkpoint runs
 * after the commit, outside the queue and PASSIVE, so it stalls nobody.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

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
	    rc == SQLITE_READONLY || rc == SQLITE_CORRUPT || rc == SQLITE_PERM ||
	    rc == SQLITE_FULL)
		return DB_UNAVAILABLE;
	return DB_ERROR;
}

/* WAL pages written since the last checkpoint (the wal hook's count). */
static int wal_frames;
/* Checkpoint after a commit once the WAL holds this many pages. */
#define CHECKPOINT_FRAMES	1000

static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)arg;
	(void)db;
	(void)name;
	wal_frames = frames;
	return SQLITE_OK;
}

static int
busy_ms(void)
{
	return (int)(cfg.busy_timeout_ms > 0 ? cfg.busy_timeout_ms : 5000);
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
	sqlite3_busy_timeout(db, busy_ms());
	/* Replaces the automatic checkpoint inside COMMIT (see lite_commit). */
	sqlite3_wal_hook(db, wal_hook, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	/*
	 * The last connection to close would checkpoint and remove the WAL,
	 * so every lone request paid a full checkpoint and the next one
	 * rebuilt the WAL: checkpoints are lite_commit()'s business.
	 */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
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

/* ---- the writer queue --------------------------------------------------- */

static int queue_fd = -1;	/* the open "<db>-writer" file, or -1 */
static bool queued;		/* this process holds the queue */

static void
on_alarm(int sig)
{
	(void)sig;		/* only interrupts flock() */
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits for the queue until deadline (monotonic ms). False on timeout;
 * true also when there is no queue file (then BEGIN alone decides).
 */
static bool
queue_enter(sqlite3 *db, int64_t deadline)
{
	struct sigaction sa, old_sa;
	struct itimerval it, old_it;
	const char *path;
	char lock[4096];
	int64_t left;
	int rc;

	if (queue_fd < 0) {
		path = sqlite3_db_filename(db, "main");
		if (path == NULL || *path == '\0' ||
		    snprintf(lock, sizeof(lock), "%s-writer", path) >=
		    (int)sizeof(lock))
			return true;
		queue_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (queue_fd < 0)
			return true;
	}
	if (flock(queue_fd, LOCK_EX | LOCK_NB) == 0)
		return queued = true;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: flock() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old_sa);
	rc = -1;
	while ((left = deadline - mono_ms()) > 0) {
		memset(&it, 0, sizeof(it));
		it.it_value.tv_sec = left / 1000;
		it.it_value.tv_usec = (left % 1000) * 1000;
		setitimer(ITIMER_REAL, &it, &old_it);
		rc = flock(queue_fd, LOCK_EX);
		memset(&it, 0, sizeof(it));
		setitimer(ITIMER_REAL, &it, NULL);
		if (rc == 0 || errno != EINTR)
			break;
	}
	sigaction(SIGALRM, &old_sa, NULL);
	if (rc != 0)
		return false;
	return queued = true;
}

static void
queue_leave(void)
{
	if (queued)
		flock(queue_fd, LOCK_UN);
	queued = false;
}

static enum db_status
lite_begin(void *h)
{
	int64_t deadline = mono_ms() + DB_WRITE_QUEUE_MS;
	enum db_status s;

	if (!queue_enter(h, deadline))
		return DB_BUSY;
	/* Writers outside the queue: BEGIN's busy timeout, then again. */
	while ((s = simple(h, "BEGIN IMMEDIATE")) == DB_BUSY &&
	    mono_ms() < deadline)
		;
	if (s != DB_OK)
		queue_leave();
	return s;
}

static enum db_status
lite_commit(void *h)
{
	enum db_status s = simple(h, "COMMIT");

	if (s == DB_OK || sqlite3_get_autocommit(h))
		queue_leave();
	if (s == DB_OK && wal_frames >= CHECKPOINT_FRAMES) {
		/* PASSIVE: copies what no reader needs, never waits. */
		sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
		wal_frames = 0;
	}
	return s;
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
	queue_leave();
}

/* The busy timeout of the next statements; ms < 0: the configured one. */
static void
lite_busy_wait(void *h, int64_t ms)
{
	sqlite3_busy_timeout(h, ms < 0 ? busy_ms() : (int)ms);
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
	.busy_wait = lite_busy_wait,
	.user_version = lite_user_version,
	.set_user_version = lite_set_user_version,
	.backup = lite_backup,
	.pragma = lite_pragma,
};
