/* ratelimit.c: see ratelimit.h. */
#include "base/clock.h"
#include "store/db.h"
#include "store/ratelimit.h"

/* Reads (window_start, count) of key; a missing or ended window is 0. */
static bool
current(struct ctx *cx, const char *key, int64_t window_s, int64_t *start,
    int64_t *count)
{
	struct db_stmt *st;
	int rc;

	*start = cx->now;
	*count = 0;
	st = db_prep(cx->db, "SELECT window_start, count FROM rate_limits "
	    "WHERE key = ?", "s", key);
	if (st == NULL)
		return false;
	rc = db_step(st);
	if (rc == 1) {
		int64_t ws;

		if (ts_parse(db_text(st, 0), &ws) &&
		    cx->now - ws < window_s * US_PER_SEC) {
			*start = ws;
			*count = db_int(st, 1);
		}
	}
	db_finalize(st);
	return rc >= 0;
}

static int64_t
retry(struct ctx *cx, int64_t start, int64_t window_s)
{
	int64_t left = start + window_s * US_PER_SEC - cx->now;

	return left <= 0 ? 1 : (left + US_PER_SEC - 1) / US_PER_SEC;
}

static bool
store(struct ctx *cx, const char *key, int64_t start, int64_t count)
{
	return db_exec(cx->db, "INSERT INTO rate_limits (key, window_start, "
	    "count) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET "
	    "window_start = excluded.window_start, count = excluded.count",
	    "sti", key, start, count) == DB_OK;
}

static enum rl_result
run(struct ctx *cx, const char *key, int64_t limit, int64_t window_s,
    int64_t *retry_after, bool increment)
{
	int64_t start, count;

	if (!current(cx, key, window_s, &start, &count))
		return RL_ERROR;
	if (count >= limit) {
		if (retry_after != NULL)
			*retry_after = retry(cx, start, window_s);
		return RL_LIMITED;
	}
	if (increment && !store(cx, key, start, count + 1))
		return RL_ERROR;
	return RL_ALLOWED;
}

enum rl_result
rl_hit(struct ctx *cx, const char *key, int64_t limit, int64_t window_s,
    int64_t *retry_after)
{
	return run(cx, key, limit, window_s, retry_after, true);
}

enum rl_result
rl_check(struct ctx *cx, const char *key, int64_t limit, int64_t window_s,
    int64_t *retry_after)
{
	return run(cx, key, limit, window_s, retry_after, false);
}

bool
rl_count(struct ctx *cx, const char *key, int64_t window_s)
{
	int64_t start, count;

	if (!current(cx, key, window_s, &start, &count))
		return false;
	return store(cx, key, start, count + 1);
}

bool
rl_uncount(struct ctx *cx, const char *key, int64_t window_s)
{
	int64_t start, count;

	if (!current(cx, key, window_s, &start, &count))
		return false;
	return count == 0 || store(cx, key, start, count - 1);
}

bool
rl_delete(struct ctx *cx, const char *key)
{
	return db_exec(cx->db, "DELETE FROM rate_limits WHERE key = ?", "s",
	    key) == DB_OK;
}
