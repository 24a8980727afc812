/*
 * reqlog.h: the one JSON line per request of ops.md 9. It never carries
 * PII, tokens, paths or values.
 */
#ifndef LTC_REQLOG_H
#define LTC_REQLOG_H

#include "http/request.h"

void	 log_request(struct req *, const char *group, size_t bytes);

#endif
