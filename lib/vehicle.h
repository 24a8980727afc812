/*
 * vehicle.h: the vehicle store (domain.md 0.3, 3). All vehicle SQL lives
 * here. Object scope is enforced by the callers through vehicle_access(),
 * which answers the common 404/403/409 of api.md 5 in one place.
 */
#ifndef LTC_VEHICLE_H
#define LTC_VEHICLE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "request.h"

struct vehicle {
	int64_t	 rowid;
	char	*public_id;
	char	*owner_user_id;
	char	*vin_prefix3;
	char	*vin_last4;
	char	*vin_hmac;
	json_t	*meta;		/* object or NULL */
	char	*created_at;	/* storage format */
	char	*updated_at;
	char	*deleted_at;	/* NULL unless soft-deleted */
	char	*deleted_by_user_id;
	char	*delete_reason;
	char	*delete_comment;
};

/* 1 found, 0 not found, -1 db error. Fills v (free with vehicle_free). */
int	 vehicle_find(sqlite3 *, const char *public_id, struct vehicle *);
void	 vehicle_free(struct vehicle *);

enum vehicle_mode {
	VA_READ,	/* admins see deleted vehicles */
	VA_WRITE,	/* admins on a deleted vehicle: 409 vehicle_deleted */
	VA_LIVE,	/* deleted is 404 for everyone */
};

/*
 * Looks up {vehicle_id} for the actor and answers the refusal itself:
 * 404 not_found (unknown, too long, or deleted for non-admins), 403
 * forbidden (neither owner nor admin), 409 vehicle_deleted (VA_WRITE).
 * Returns true with v filled when the caller may go on.
 */
bool	 vehicle_access(struct req *, const char *public_id,
	    enum vehicle_mode, struct vehicle *);

/* VehicleOut of api.md 1.2; new reference. */
json_t	*vehicle_out(const struct vehicle *);
/* "<first3>***<last4>", or "" if either part is unknown; arena string. */
const char *vehicle_vin_masked(struct req *, const struct vehicle *);

/* Active (not deleted) vehicles owned by user_id; -1 on error. */
int64_t	 vehicle_count_active(sqlite3 *, const char *user_id);
/*
 * Paywall of domain.md 7: 1 when role user already owns 1 + slots active
 * vehicles, 0 when more are allowed, -1 on error. Other owner roles are
 * unlimited.
 */
int	 vehicle_limit_reached(sqlite3 *, const char *user_id, enum role);

#endif
