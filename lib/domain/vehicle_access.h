/*
 * vehicle_access.h: object scope of the vehicle routes (api.md 5): who
 * may read or change {vehicle_id}. One decision for every CGI; the http
 * layer (http/vehicle_answer.h) turns a refusal into 404/403/409.
 */
#ifndef LTC_VEHICLE_ACCESS_H
#define LTC_VEHICLE_ACCESS_H

#include "store/ctx.h"
#include "store/vehicle.h"

enum vehicle_mode {
	VA_READ,	/* admins see deleted vehicles */
	VA_WRITE,	/* admins on a deleted vehicle: VEH_DELETED */
	VA_LIVE,	/* deleted is not found for everyone */
};

enum vehicle_access {
	VEH_OK,
	VEH_NOT_FOUND,	/* unknown, too long, or deleted for non-admins */
	VEH_FORBIDDEN,	/* neither owner nor admin */
	VEH_DELETED,	/* VA_WRITE on a deleted vehicle (admins) */
	VEH_DB_ERROR,
};

/* Looks up public_id for the actor; v is filled when VEH_OK. */
enum vehicle_access vehicle_access(struct ctx *, const char *public_id,
	    enum vehicle_mode, struct vehicle *v);

#endif
