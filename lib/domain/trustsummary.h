/*
 * trustsummary.h: the Trust-Ampel of one vehicle. Loads E, M and D of
 * domain.md 4.2 (store/trustdata.h, the vehicle's meta) and evaluates
 * them with the engine of ampel.h. The owner summary, the public QR
 * answer and the QR page all go through here, so they agree.
 */
#ifndef LTC_TRUSTSUMMARY_H
#define LTC_TRUSTSUMMARY_H

#include <stdbool.h>

#include <jansson.h>

#include "domain/ampel.h"
#include "store/ctx.h"
#include "store/vehicle.h"

/*
 * Evaluates the vehicle v (already loaded; its meta is M). NULL v means
 * an unknown vehicle: E, M and D empty. False on db error.
 */
bool	 trustsummary_evaluate(struct ctx *, const struct vehicle *,
	    struct trust_result *);

/*
 * The public answer for any id (api.md 6.1): unknown, malformed and
 * soft-deleted ids give the empty-input summary with "vehicle": null.
 * A new reference, or NULL on db error.
 */
json_t	*trustsummary_public(struct ctx *, const char *public_id);

#endif
