/*
 * ratelimit.h: fixed-window counters in the rate_limits table
 * (domain.md 16). Check and increment run in one BEGIN IMMEDIATE
 * transaction of their own unless the caller already holds one.
 */
#ifndef LTC_RATELIMIT_H
#define LTC_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

enum rl_result { RL_ALLOWED, RL_LIMITED, RL_ERROR };

/*
 * Counts one request under key unless the window is full. retry_after
 * gets the seconds until the window ends (rounded up) when limited.
 */
enum rl_result rl_hit(struct req *, const char *key, int64_t limit,
	    int64_t window_s, int64_t *retry_after);
/* Failure-based limits: is the key at its limit? (no increment) */
enum rl_result rl_check(struct req *, const char *key, int64_t limit,
	    int64_t window_s, int64_t *retry_after);
/* Counts one failure (window restarts if over). */
bool	 rl_count(struct req *, const char *key, int64_t window_s);
bool	 rl_delete(struct req *, const char *key);

/*
 * Counts the request under "<prefix><ip_hmac>" and answers the refusal
 * itself (429 detail with Retry-After, or the database error). Returns
 * true when the caller may go on.
 */
bool	 rl_allow_ip(struct req *, const char *prefix, int64_t limit,
	    int64_t window_s, const char *detail);

#endif
