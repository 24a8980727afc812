/*
 * vehicle.h: the vehicle store (domain.md 0.3, 3). All SQL on the
 * vehicles table lives here. Who may see or change a vehicle is decided
 * by domain/vehicle_access.h; this store only reads and writes rows.
 *
 * Rows are owned by the request arena (cx->arena): nothing here is
 * freed by the caller.
 */
#ifndef LTC_VEHICLE_H
#define LTC_VEHICLE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"
#include "store/db.h"

/* Public ids longer than this name no vehicle (README "ids"). */
#define VEHICLE_ID_MAX	128

struct vehicle {
	int64_t		 id;
	const char	*public_id;
	const char	*owner_user_id;
	const char	*vin_prefix3;
	const char	*vin_last4;
	const char	*vin_hmac;
	const char	*meta_json;	/* stored meta text or NULL */
	const char	*created_at;	/* storage format */
	const char	*updated_at;
	const char	*deleted_at;	/* NULL unless soft-deleted */
	const char	*deleted_by_user_id;
	const char	*delete_reason;
	const char	*delete_comment;
};

/* 1 found, 0 not found (or id NULL / too long), -1 db error. */
int	 vehicle_find(struct ctx *, const char *public_id, struct vehicle *);

/* The meta object (never empty) or NULL; new reference. */
json_t	*vehicle_meta(const struct vehicle *);

/* VehicleOut of api.md 1.2; new reference. */
json_t	*vehicle_out(const struct vehicle *);
/* "<first3>***<last4>", or "" if either part is unknown; arena string. */
const char *vehicle_vin_masked(struct ctx *, const struct vehicle *);

/* Active (not deleted) vehicles owned by user_id; -1 on error. */
int64_t	 vehicle_count_active(struct db *, const char *user_id);
/*
 * Paywall of domain.md 7: 1 when role user already owns 1 + slots active
 * vehicles, 0 when more are allowed, -1 on error. Other owner roles are
 * unlimited.
 */
int	 vehicle_limit_reached(struct db *, const char *user_id, enum role);

/* Audit scope: "own" when the actor owns v, else "global" (an admin). */
const char *vehicle_scope(const struct ctx *, const struct vehicle *);

/*
 * Creates a vehicle owned by the actor, with its VEHICLE_CREATED row:
 * paywall check and insert in the request's write transaction (so two
 * parallel creates cannot both pass the limit). The VIN arrives as what
 * is stored of it (domain.md 3.1): prefix, last four, HMAC. meta is the
 * object to store or NULL (borrowed). 1 created with out filled, 0
 * paywall (vehicle_limit_reached), -1 db error.
 */
int	 vehicle_create(struct ctx *, const char *vin_prefix3,
	    const char *vin_last4, const char *vin_hmac, const json_t *meta,
	    struct vehicle *out);

/*
 * Stores meta (NULL or empty = none) on v, bumps updated_at and writes
 * VEHICLE_UPDATED with the changed key names (changed is stolen). v is
 * updated in place. False on db error.
 */
bool	 vehicle_set_meta(struct ctx *, struct vehicle *, const json_t *meta,
	    json_t *changed);

/*
 * Soft delete of domain.md 3.5: the deletion fields, every open transfer
 * cancelled (through the handover store), VEHICLE_DELETED. 1 done (v
 * updated), 0 already deleted, -1 db error.
 */
int	 vehicle_soft_delete(struct ctx *, struct vehicle *, const char *reason,
	    const char *comment);
/* Clears the deletion fields, VEHICLE_RESTORED. 1, 0 not deleted, -1. */
int	 vehicle_restore(struct ctx *, struct vehicle *);

/*
 * The ownership move of a redeem (domain.md 12.3 step 1): owner_user_id
 * = to and updated_at = now, guarded by the vehicle still being live and
 * still owned by from. 1 moved, 0 the guard failed, -1 db error.
 */
int	 vehicle_move_owner(struct ctx *, const char *public_id,
	    const char *from, const char *to);

struct vehicle_query {
	const char	*owner_user_id;	/* NULL: every owner */
	bool		 include_deleted;
	int64_t		 limit;		/* < 0: no limit */
	int64_t		 offset;
};

/* [VehicleOut, ...] ordered by created_at ascending; NULL on db error. */
json_t	*vehicle_list(struct db *, const struct vehicle_query *);

#endif
