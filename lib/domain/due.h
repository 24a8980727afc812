/*
 * due.h: when a reminder is due (extensions.md 1.2, 1.3): its urgency
 * from today (the UTC date of the request's now) and the vehicle's
 * current km, the list order, ReminderOut, calendar-month arithmetic and
 * the "done" step with its recurrence.
 */
#ifndef LTC_DUE_H
#define LTC_DUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"
#include "store/reminder.h"
#include "store/vehicle.h"

#define DUE_SOON_DAYS	30
#define DUE_SOON_KM	1000

/* In order of precedence; URG_NONE for closed reminders. */
enum urgency { URG_OVERDUE, URG_DUE_SOON, URG_UPCOMING, URG_NONE };

struct due_eval {
	enum urgency	 urgency;
	struct opt_int	 days_left;	/* due_date - today */
	struct opt_int	 km_left;	/* due_km - current km */
};

/* "overdue", "due_soon", "upcoming", or NULL for URG_NONE. */
const char *urgency_name(enum urgency);

/* Days since 1970-01-01 of the UTC date of t (microseconds). */
int64_t	 due_day(int64_t t);
/* YYYY-MM-DD of a day number; out has 11 bytes. */
void	 due_date_of_day(int64_t day, char out[11]);

/*
 * date + months calendar months; a day past the month's end becomes its
 * last day (31 January + 1 month = 28/29 February). False when date is
 * not YYYY-MM-DD or the result leaves years 1..9999.
 */
bool	 due_add_months(const char *date, int64_t months, char out[11]);

void	 due_evaluate(const struct reminder *, int64_t now, struct due_eval *);

/* nickname or masked VIN of the reminder's vehicle (arena string). */
const char *due_vehicle_label(struct ctx *, const struct reminder *);

/*
 * Sorts rm in place: open ones by urgency, due_date (NULL last), then
 * created_at and insert order; then closed ones, newest closed_at first.
 */
void	 due_sort(struct reminder *, size_t n, int64_t now);

/* ReminderOut; with_label adds "vehicle_label". New reference. */
json_t	*due_reminder_out(struct ctx *, const struct reminder *,
	    bool with_label);

enum done_status {
	DONE_OK,
	DONE_NOT_FOUND,		/* no such reminder of the vehicle */
	DONE_ENTRY_NOT_FOUND,	/* entry_id is no latest entry of it */
	DONE_CLOSED,		/* not open (any more) */
	DONE_DB_ERROR,
};

/*
 * Marks reminder_id of v done, optionally fulfilled by entry_id, and
 * creates the successor of a recurring one in the same transaction.
 * closed gets the closed row, next the successor (*has_next).
 */
enum done_status due_mark_done(struct ctx *, const struct vehicle *v,
	    const char *reminder_id, const char *entry_id,
	    struct reminder *closed, struct reminder *next, bool *has_next);

#endif
