/*
 * ratelimit.h: fixed-window counters in the rate_limits table
 * (domain.md 16). Every function runs in the caller's transaction: the
 * route's (PF_WRITE), or a db_atomic() of its own where the route does
 * not hold one, so that a check and its count are one BEGIN IMMEDIATE.
 * The answer to a refusal is the http layer's (http/limit.h).
 */
#ifndef LTC_RATELIMIT_H
#define LTC_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/ctx.h"

enum rl_result { RL_ALLOWED, RL_LIMITED, RL_ERROR };

/*
 * Counts one request under key unless the window is full. retry_after
 * (may be NULL) gets the seconds until the window ends, rounded up, when
 * limited.
 */
enum rl_result rl_hit(struct ctx *, const char *key, int64_t limit,
	    int64_t window_s, int64_t *retry_after);
/* Failure-based limits: is the key at its limit? (no increment) */
enum rl_result rl_check(struct ctx *, const char *key, int64_t limit,
	    int64_t window_s, int64_t *retry_after);
/* Counts one failure (a window that ended restarts). */
bool	 rl_count(struct ctx *, const char *key, int64_t window_s);
/* Takes one count back from the current window (a failure counted ahead). */
bool	 rl_uncount(struct ctx *, const char *key, int64_t window_s);
bool	 rl_delete(struct ctx *, const char *key);

#endif
