/*
 * exports.h: export grants and the export views (domain.md 10, api.md 10).
 *
 * A grant is a one-time token of 32 CSPRNG bytes bound to (kind, target,
 * granting superadmin) with a clamped TTL; only its base64url HMAC is
 * stored. Consumption is one UPDATE ... WHERE used_at IS NULL inside the
 * route's transaction, so of N concurrent uses exactly one succeeds.
 *
 * The views read the tables they export directly. Redacted views hold ids,
 * HMAC pseudonyms, enumerations, numbers, dates, short labels and
 * references to valid-evidence documents only (APPROVED, CLEAN, PII OK,
 * not deleted); full views hold every stored field but password and token
 * hashes, the e-mail address and storage keys. Every view is a new
 * reference, NULL on database error.
 */
#ifndef LTC_EXPORTS_H
#define LTC_EXPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"
#include "store/mc.h"
#include "store/vehicle.h"

enum export_kind {
	EXPORT_VEHICLE,
	EXPORT_USER,
	EXPORT_SERVICEBOOK,
	EXPORT_MASTERCLIPBOARD,
};

const char *export_kind_name(enum export_kind);

/*
 * The effective TTL of domain.md 10.2: config export_ttl_seconds > 0
 * replaces the requested value (or the kind's default when none was
 * asked for), then the kind's range clamps it.
 */
int64_t	 export_ttl(enum export_kind, bool has_requested,
	    int64_t requested, int64_t override);

/* A new grant; false on CSPRNG or database failure. */
bool	 export_grant_create(struct ctx *, enum export_kind,
	    const char *target, int64_t ttl, char token[TOKEN_LEN],
	    int64_t *expires);

enum export_token {
	EXT_OK,		/* consumed by this request */
	EXT_INVALID,	/* unknown, or of another kind */
	EXT_EXPIRED,
	EXT_TARGET,	/* granted for another target */
	EXT_GRANTER,	/* granted by another user */
	EXT_USED,
	EXT_ERROR,
};

/* The checks of api.md 10.4 in that order, then the atomic consumption. */
enum export_token export_grant_consume(struct ctx *, enum export_kind,
	    const char *target, const char *token);

/* Is doc_id valid evidence (domain.md 5.2)? 1, 0, -1. */
int	 export_doc_valid(struct ctx *, const char *doc_id);

#endif
