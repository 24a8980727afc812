/*
 * reminders: /api/reminders (extensions.md 1.3, 1.6). The open reminders
 * of every live vehicle of the actor with their counts by urgency, and
 * the calendar feed: its token and the ICS answer. Reading the list
 * writes the actor's time-based notifications on the way (1.4), so the
 * route writes. The vehicle-scoped reminder routes are in vehicles.c.
 */
#include <string.h>

#include "domain/due.h"
#include "http/app.h"
#include "http/response.h"
#include "store/reminder.h"

static void
reminders_all(struct req *r)
{
	struct reminder_query q = { .owner_user_id = r->cx.actor.user_id,
	    .open_only = true };
	int64_t n, i, counts[URG_NONE] = { 0 };
	struct reminder *rows;
	struct due_eval e;
	json_t *o, *a, *c;
	int u;

	if ((n = reminder_list(&r->cx, &q, &rows)) < 0) {
		resp_db_error(r);
		return;
	}
	due_sort(rows, (size_t)n, r->cx.now);
	a = json_array();
	for (i = 0; i < n; i++) {
		due_evaluate(&rows[i], r->cx.now, &e);
		if (e.urgency < URG_NONE)
			counts[e.urgency]++;
		json_array_append_new(a, due_reminder_out(&r->cx, &rows[i],
		    true));
	}
	c = json_object();
	for (u = 0; u < URG_NONE; u++)
		json_object_set_new(c, urgency_name((enum urgency)u),
		    json_integer(counts[u]));
	o = json_object();
	json_object_set_new(o, "items", a);
	json_object_set_new(o, "counts", c);
	resp_json(r, 200, o);
}

static const struct route routes[] = {
	{ "GET", "/", POLICY_OWN_CONSENT_W, reminders_all },
};

int
main(void)
{
	return app_run(&(struct app){ "reminders", routes, NROUTES(routes),
	    NULL });
}
