/*
 * idempotency.h: the records behind the Idempotency-Key of the
 * masterclipboard writes (api.md 13, domain.md 11). A record is keyed by
 * (actor user id, route key, client key) and holds the SHA-256 of the
 * request body with the status and exact JSON body of the first
 * successful answer. Only 2xx answers are stored, inside the route's
 * transaction, so a failed request leaves nothing behind.
 */
#ifndef LTC_IDEMPOTENCY_H
#define LTC_IDEMPOTENCY_H

#include <stdbool.h>

#include "store/ctx.h"

#define IDEM_KEY_MAX	128

struct idem_record {
	const char	*request_hash;	/* lowercase hex SHA-256 */
	int		 status;
	const char	*response_json;	/* the answer's exact body */
};

/* The actor's record for (route_key, key): 1 found, 0 none, -1 error. */
int	 idem_find(struct ctx *, const char *route_key, const char *key,
	    struct idem_record *);
/* Stores the first answer; false on database error. */
bool	 idem_store(struct ctx *, const char *route_key, const char *key,
	    const char *request_hash, int status, const char *response_json);

#endif
