/* ratelimit.c: see ratelimit.h. */
#include "base/clock.h"
#include "store/db.h"
#include "store/ratelimit.h"
#include "http/response.h"

/* Reads (window_start, count) of key; a missing or ended window is 0. */
static bool
current(struct req *r, const char *key, int64_t window_s, int64_t *start,
    int64_t *count)
{
	struct db_stmt *st;
	int rc;

	*start = r->cx.now;
	*count = 0;
	st = db_prep(r->cx.db, "SELECT window_start, count FROM rate_limits "
	    "WHERE key = ?", "s", key);
	if (st == NULL)
		return false;
	rc = db_step(st);
	if (rc == 1) {
		int64_t ws;

		if (ts_parse(db_text(st, 0), &ws) &&
		    r->cx.now - ws < window_s * US_PER_SEC) {
			*start = ws;
			*count = db_int(st, 1);
		}
	}
	db_finalize(st);
	return rc >= 0;
}

static int64_t
retry(struct req *r, int64_t start, int64_t window_s)
{
	int64_t left = start + window_s * US_PER_SEC - r->cx.now;

	return left <= 0 ? 1 : (left + US_PER_SEC - 1) / US_PER_SEC;
}

static bool
store(struct req *r, const char *key, int64_t start, int64_t count)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(start, ts);
	return db_exec(r->cx.db, "INSERT INTO rate_limits (key, window_start, "
	    "count) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET "
	    "window_start = excluded.window_start, count = excluded.count",
	    "ssi", key, ts, count) == DB_OK;
}

static enum rl_result
run(struct req *r, const char *key, int64_t limit, int64_t window_s,
    int64_t *retry_after, bool increment)
{
	bool own = !db_in_tx(r->cx.db);
	enum rl_result res = RL_ERROR;
	int64_t start, count;

	if (own && db_begin(r->cx.db) != DB_OK)
		return RL_ERROR;
	if (!current(r, key, window_s, &start, &count))
		goto out;
	if (count >= limit) {
		if (retry_after != NULL)
			*retry_after = retry(r, start, window_s);
		res = RL_LIMITED;
		goto out;
	}
	if (increment && !store(r, key, start, count + 1))
		goto out;
	res = RL_ALLOWED;
out:
	if (own) {
		if (res == RL_ERROR)
			db_rollback(r->cx.db);
		else if (db_commit(r->cx.db) != DB_OK)
			res = RL_ERROR;
	}
	return res;
}

enum rl_result
rl_hit(struct req *r, const char *key, int64_t limit, int64_t window_s,
    int64_t *retry_after)
{
	return run(r, key, limit, window_s, retry_after, true);
}

enum rl_result
rl_check(struct req *r, const char *key, int64_t limit, int64_t window_s,
    int64_t *retry_after)
{
	return run(r, key, limit, window_s, retry_after, false);
}

bool
rl_count(struct req *r, const char *key, int64_t window_s)
{
	int64_t start, count;

	if (!current(r, key, window_s, &start, &count))
		return false;
	return store(r, key, start, count + 1);
}

bool
rl_delete(struct req *r, const char *key)
{
	return db_exec(r->cx.db, "DELETE FROM rate_limits WHERE key = ?", "s",
	    key) == DB_OK;
}

bool
rl_allow_ip(struct req *r, const char *prefix, int64_t limit,
    int64_t window_s, const char *detail)
{
	char ip[B64URL_HMAC_LEN];
	const char *key;
	int64_t retry = 0;

	req_ip_hmac(r, ip);
	key = arena_printf(&r->cx.arena, "%s%s", prefix, ip);
	switch (rl_hit(r, key, limit, window_s, &retry)) {
	case RL_ALLOWED:
		return true;
	case RL_LIMITED:
		resp_rate_limited(r, detail, retry);
		return false;
	case RL_ERROR:
		break;
	}
	resp_db_error(r);
	return false;
}
