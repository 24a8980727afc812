/*
 * trustdata.h: loads E, M and D of domain.md 4.2 for one vehicle from the
 * database and evaluates them with trust.h. The owner summary, the public
 * QR answer and the QR page all go through here, so they agree.
 */
#ifndef LTC_TRUSTDATA_H
#define LTC_TRUSTDATA_H

#include "store/db.h"

#include <stdbool.h>


#include "domain/ampel.h"
#include "store/vehicle.h"

/*
 * Evaluates the vehicle v (already loaded; its meta is M). NULL v means
 * an unknown vehicle: E, M and D empty. Returns false on db error.
 */
bool	 trustdata_evaluate(struct db *, const struct vehicle *,
	    struct trust_result *);

/*
 * The public answer for any id (api.md 6.1): unknown, malformed and
 * soft-deleted ids give the empty-input summary with "vehicle": null.
 * Returns a new reference, or NULL on db error.
 */
json_t	*trustdata_public(struct req *, const char *public_id);

#endif
