/*
 * retention.h: the rows of domain.md 19 that simply expire (sessions,
 * login challenges, rate-limit windows, step-up and export grants,
 * idempotency records, resolved support messages, final transfers, audit
 * events). Documents are not among them: their purge leaves a tombstone
 * and goes through store/document.h.
 */
#ifndef LTC_RETENTION_H
#define LTC_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* "sessions", "challenges", ...: the purge's count keys, in purge order. */
const char *const *retention_names(size_t *n);

/*
 * Rows of the named class that are past their retention at now
 * (microseconds; periods from the retention_* configuration): counted
 * (dry_run) or deleted, in the caller's transaction. The number of rows,
 * or -1 on db error or an unknown name.
 */
int64_t	 retention_apply(struct db *, const char *name, int64_t now,
	    bool dry_run);

#endif
