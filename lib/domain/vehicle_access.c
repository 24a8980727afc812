/* vehicle_access.c: see vehicle_access.h. */
#include "domain/vehicle_access.h"

enum vehicle_access
vehicle_access(struct ctx *cx, const char *id, enum vehicle_mode mode,
    struct vehicle *v)
{
	bool admin = ctx_is_admin(cx);
	int rc;

	rc = vehicle_find(cx, id, v);
	if (rc < 0)
		return VEH_DB_ERROR;
	if (rc == 0 || (v->deleted_at != NULL && (!admin || mode == VA_LIVE)))
		return VEH_NOT_FOUND;
	if (!admin && !str_eq(v->owner_user_id, cx->actor.user_id))
		return VEH_FORBIDDEN;
	if (mode == VA_WRITE && v->deleted_at != NULL)
		return VEH_DELETED;
	return VEH_OK;
}
