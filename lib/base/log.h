/*
 * log.h: the one JSON line per request of ops.md 9, and the "ltc: LEVEL
 * area: message" lines. Lines never carry PII, tokens, paths or values.
 */
#ifndef LTC_LOG_H
#define LTC_LOG_H

#include <stddef.h>

/* Opens log_file (O_APPEND) if configured; stderr otherwise. */
void	 log_open(void);
void	 log_line(const char *level, const char *area, const char *msg);
/* Appends one complete line (with its newline) in a single write. */
void	 log_write(const char *, size_t);

#endif
