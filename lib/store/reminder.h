/*
 * reminder.h: the reminders store (extensions.md 1.1, 1.3, 1.5). All SQL
 * on the reminders table lives here, each write with its audit row (ids
 * only, never the title) in the caller's transaction. Urgency, order and
 * recurrence are domain/due.h; this module only reads and writes rows.
 *
 * Rows and their strings live in the context's arena.
 */
#ifndef LTC_REMINDER_H
#define LTC_REMINDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"

/* An optional integer column. */
struct opt_int {
	bool		 set;
	int64_t		 v;
};

struct reminder {
	const char	*id;
	const char	*vehicle_id;
	const char	*owner_user_id;
	const char	*title;
	const char	*note;		/* NULL: none */
	const char	*due_date;	/* YYYY-MM-DD or NULL */
	struct opt_int	 due_km;
	struct opt_int	 recur_months;
	struct opt_int	 recur_km;
	const char	*status;	/* open, done, dismissed */
	const char	*done_entry_id;
	const char	*created_at;	/* storage format */
	const char	*updated_at;
	const char	*closed_at;
	int64_t		 seq;
	/* Read along with the row: the vehicle's current km and label parts. */
	struct opt_int	 current_km;
	const char	*vehicle_meta_json;
	const char	*vehicle_vin3;
	const char	*vehicle_vin4;
};

/* Which rows reminder_list() reads. */
struct reminder_query {
	const char	*vehicle_id;	/* one vehicle, or */
	const char	*owner_user_id;	/* the live vehicles of an owner */
	bool		 open_only;
};

/* Matching rows into *out (arena); -1 on db error, else the count. */
int64_t	 reminder_list(struct ctx *, const struct reminder_query *,
	    struct reminder **out);

/* reminder id of vehicle_id: 1 found, 0 not (or too long), -1 db error. */
int	 reminder_find(struct ctx *, const char *vehicle_id, const char *id,
	    struct reminder *);

/*
 * Inserts rm as a new open reminder (id, times and status are set here,
 * rm is updated) with REMINDER_CREATED in scope. False on db error.
 */
bool	 reminder_insert(struct ctx *, struct reminder *rm, const char *scope);

/*
 * Stores the editable fields of rm (an open reminder) and bumps
 * updated_at, with REMINDER_UPDATED naming the changed fields (changed
 * is stolen). 1 stored, 0 no longer open, -1 db error.
 */
int	 reminder_update(struct ctx *, struct reminder *rm, const char *scope,
	    json_t *changed);

/*
 * Closes rm as "done" (with done_entry_id, may be NULL) or "dismissed",
 * guarded by its still being open, with REMINDER_DONE or
 * REMINDER_DISMISSED. 1 closed (rm updated), 0 not open, -1 db error.
 */
int	 reminder_close(struct ctx *, struct reminder *rm, const char *status,
	    const char *done_entry_id, const char *scope);

/* The open reminders of vehicle_id go to owner to (a redeem); false on error. */
bool	 reminder_move_owner(struct ctx *, const char *vehicle_id,
	    const char *to, int64_t *moved);

/*
 * Date and km of entry_id when it is a latest entry of vehicle_id: 1,
 * 0 not such an entry, -1 db error. date gets YYYY-MM-DD.
 */
int	 reminder_entry_base(struct ctx *, const char *vehicle_id,
	    const char *entry_id, char date[11], int64_t *km);

#endif
