/* vehicle_answer.c: see vehicle_answer.h. */
#include "http/response.h"
#include "http/vehicle_answer.h"

void
vehicle_refusal(struct req *r, enum vehicle_access a)
{
	switch (a) {
	case VEH_OK:
		break;
	case VEH_NOT_FOUND:
		resp_detail(r, 404, "not_found");
		break;
	case VEH_FORBIDDEN:
		resp_detail(r, 403, "forbidden");
		break;
	case VEH_DELETED:
		resp_detail(r, 409, "vehicle_deleted");
		break;
	case VEH_DB_ERROR:
		resp_db_error(r);
		break;
	}
}

bool
vehicle_require(struct req *r, const char *id, enum vehicle_mode mode,
    struct vehicle *v)
{
	enum vehicle_access a = vehicle_access(&r->cx, id, mode, v);

	if (a == VEH_OK)
		return true;
	vehicle_refusal(r, a);
	return false;
}
