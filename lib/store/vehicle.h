/*
 * vehicle.h: the vehicle store (domain.md 0.3, 3). All vehicle SQL lives
 * here. Object scope is enforced by the callers through vehicle_access(),
 * which answers the common 404/403/409 of api.md 5 in one place.
 */
#ifndef LTC_VEHICLE_H
#define LTC_VEHICLE_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/request.h"
#include "domain/vin.h"

struct vehicle {
	int64_t	 id;
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
int	 vehicle_find(struct db *, const char *public_id, struct vehicle *);
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
int64_t	 vehicle_count_active(struct db *, const char *user_id);
/*
 * Paywall of domain.md 7: 1 when role user already owns 1 + slots active
 * vehicles, 0 when more are allowed, -1 on error. Other owner roles are
 * unlimited.
 */
int	 vehicle_limit_reached(struct db *, const char *user_id, enum role);

/* Audit scope: "own" when the actor owns v, else "global" (an admin). */
const char *vehicle_scope(const struct req *, const struct vehicle *);

/*
 * Creates a vehicle owned by the actor: paywall check, insert and
 * VEHICLE_CREATED in one BEGIN IMMEDIATE transaction (so two parallel
 * creates cannot both pass the limit). meta is the object to store or
 * NULL (borrowed). 1 created with out filled (vehicle_free), 0 paywall
 * (vehicle_limit_reached), -1 db error.
 */
int	 vehicle_create(struct req *, const struct vin_parts *,
	    const json_t *meta, struct vehicle *out);

/*
 * Stores meta (NULL or empty = none) on v, bumps updated_at and writes
 * VEHICLE_UPDATED with the changed key names (changed is stolen), in one
 * transaction. v is updated in place. False on db error.
 */
bool	 vehicle_set_meta(struct req *, struct vehicle *, const json_t *meta,
	    json_t *changed);

/*
 * Soft delete of domain.md 3.5 in one transaction: the deletion fields,
 * every open transfer cancelled, VEHICLE_DELETED. 1 done (v updated),
 * 0 already deleted (a concurrent delete won), -1 db error.
 */
int	 vehicle_soft_delete(struct req *, struct vehicle *, const char *reason,
	    const char *comment);
/* Clears the deletion fields, VEHICLE_RESTORED. 1, 0 not deleted, -1. */
int	 vehicle_restore(struct req *, struct vehicle *);

/*
 * Cancels every open ('created') transfer of the vehicle with one
 * TRANSFER_CANCELLED row each. Runs inside the caller's transaction.
 * Number cancelled, or -1 on db error.
 */
int64_t	 vehicle_cancel_transfers(struct req *, const struct vehicle *);

struct vehicle_query {
	const char	*owner_user_id;	/* NULL: every owner */
	bool		 include_deleted;
	int64_t		 limit;		/* < 0: no limit */
	int64_t		 offset;
};

/* [VehicleOut, ...] ordered by created_at ascending; NULL on db error. */
json_t	*vehicle_list(struct db *, const struct vehicle_query *);

#endif
