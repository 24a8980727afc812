/*
 * vehicle_answer.h: the common refusals of the vehicle-scoped routes
 * (api.md 5): domain/vehicle_access.h decides, this answers, so every
 * CGI refuses {vehicle_id} the same way.
 */
#ifndef LTC_VEHICLE_ANSWER_H
#define LTC_VEHICLE_ANSWER_H

#include <stdbool.h>

#include "domain/vehicle_access.h"
#include "http/request.h"

/*
 * 404 not_found, 403 forbidden, 409 vehicle_deleted, or the database
 * error, for a refusal of vehicle_access().
 */
void	 vehicle_refusal(struct req *, enum vehicle_access);

/*
 * Looks up id for the actor and answers a refusal itself. True with v
 * filled (arena-owned) when the caller may go on.
 */
bool	 vehicle_require(struct req *, const char *id, enum vehicle_mode,
	    struct vehicle *v);

#endif
