/*
 * entry.h: the timeline entry store (domain.md 0.3, 3.4) and EntryOut of
 * api.md 1.2. All vehicle_entries SQL lives here. Entries are never
 * edited: a correction is a new revision in the same group, and the only
 * UPDATE flips the predecessor's is_latest to 0 (before the insert, so the
 * partial unique index "one latest per group" holds at every statement).
 */
#ifndef LTC_ENTRY_H
#define LTC_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"
#include "store/vehicle.h"

/* A validated entry body (create and revision share it). */
struct entry_in {
	const char	*date;		/* YYYY-MM-DD, real date */
	const char	*type;		/* trimmed */
	const char	*performed_by;	/* trimmed */
	int64_t		 km;
	const char	*note;		/* trimmed; NULL = none */
	bool		 has_cost;
	int64_t		 cost_cents;
	const char	*trust_level;	/* "T1", "T2", "T3" or NULL */
};

/* cost_amount of EntryOut: integer when whole, else a 2-decimal real. */
json_t	*cost_json(int64_t cents);
/* Every revision of a vehicle's entries (EntryOut plus owner_user_id and
 * created_by_user_id), by entry group and version; NULL on error. */
json_t	*entry_export_rows(struct db *, const char *vehicle_id);

/*
 * Creates a new entry group in v (owner_user_id = the vehicle's owner,
 * created_by = the actor) with its ENTRY_CREATED audit row, in the
 * request's write transaction. *out gets the EntryOut. False on db error.
 */
bool	 entry_create(struct ctx *, const struct vehicle *,
	    const struct entry_in *, json_t **out);

/* Is entry_id the latest revision of a group in vehicle_id? 1/0/-1. */
int	 entry_is_latest(struct db *, const char *vehicle_id, const char *entry_id);

/*
 * Revises entry_id (which must still be latest in v: 0 otherwise) with
 * ENTRY_VERSION_CREATED, in the request's write transaction. 1 with *out
 * set, 0 entry not found or no longer latest, -1 db error.
 */
int	 entry_revise(struct ctx *, const struct vehicle *, const char *entry_id,
	    const struct entry_in *, json_t **out);

/*
 * Latest revisions of the vehicle, date desc, created_at desc, later
 * insert first; limit < 0 means none. New array or NULL on db error.
 */
json_t	*entry_list(struct db *, const char *vehicle_id, int64_t limit,
	    int64_t offset);

/*
 * Every revision of entry_id's group (entry_id in vehicle_id), version
 * ascending. 1 with *out set, 0 not found, -1 db error.
 */
int	 entry_history(struct db *, const char *vehicle_id, const char *entry_id,
	    json_t **out);

#endif
