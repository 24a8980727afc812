/*
 * log.h: the one JSON line per request of ops.md 9, and the "ltc: LEVEL
 * area: message" lines. Lines never carry PII, tokens, paths or values.
 */
#ifndef LTC_LOG_H
#define LTC_LOG_H

#include "http/request.h"

/* Opens log_file (O_APPEND) if configured; stderr otherwise. */
void	 log_open(void);
void	 log_request(struct req *, const char *group, size_t bytes);
void	 log_line(const char *level, const char *area, const char *msg);

#endif
