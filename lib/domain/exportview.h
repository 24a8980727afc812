/*
 * exportview.h: the export views of domain.md 10: redacted (no raw VIN,
 * no e-mail address, no free text, only valid evidence) and full (the
 * canonical content that the route encrypts). NULL / -1 on db error.
 */
#ifndef LTC_EXPORTVIEW_H
#define LTC_EXPORTVIEW_H

#include <stdbool.h>

#include <jansson.h>

#include "store/ctx.h"
#include "store/exports.h"
#include "store/mc.h"
#include "store/vehicle.h"

/* The "data" of api.md 10.1 (redacted) or V of domain.md 10.3 (full). */
json_t	*export_vehicle(struct ctx *, const struct vehicle *, bool full);
/* The user member, redacted (api.md 10.2) or U (full). 1, 0 unknown, -1. */
int	 export_user(struct ctx *, const char *user_id, bool full,
	    json_t **);
/* {"id", "servicebook_id_hmac", "entries"} redacted, or S (full). */
json_t	*export_servicebook(struct ctx *, const char *sid, bool full);
/* The "data" of api.md 10.4 (redacted) or C (full). */
json_t	*export_masterclipboard(struct ctx *, const struct mc_session *,
	    bool full);

#endif
