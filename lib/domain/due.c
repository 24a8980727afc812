/* due.c: see due.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/due.h"

const char *
urgency_name(enum urgency u)
{
	switch (u) {
	case URG_OVERDUE:
		return "overdue";
	case URG_DUE_SOON:
		return "due_soon";
	case URG_UPCOMING:
		return "upcoming";
	default:
		return NULL;
	}
}

int64_t
due_day(int64_t t)
{
	int64_t s = t / US_PER_SEC;

	if (t < 0 && t % US_PER_SEC != 0)
		s--;
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* YYYY-MM-DD of y (1..9999), m, d. */
static void
ymd(char out[11], int y, int m, int d)
{
	char tmp[48];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

void
due_date_of_day(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	ymd(out, (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday);
}

bool
due_add_months(const char *date, int64_t months, char out[11])
{
	int y, m, d, dim;
	int64_t idx;

	if (date == NULL || !date_parse(date, 1, 9999, &y, &m, &d) ||
	    months < -120000 || months > 120000)
		return false;
	idx = (int64_t)y * 12 + (m - 1) + months;
	if (idx < 12 || idx >= 10000 * 12)
		return false;
	y = (int)(idx / 12);
	m = (int)(idx % 12) + 1;
	dim = days_in_month(y, m);
	if (d > dim)
		d = dim;
	ymd(out, y, m, d);
	return true;
}

void
due_evaluate(const struct reminder *rm, int64_t now, struct due_eval *e)
{
	bool overdue = false, soon = false;
	int y, m, d;

	memset(e, 0, sizeof(*e));
	if (rm->due_date != NULL && date_parse(rm->due_date, 1, 9999, &y, &m,
	    &d)) {
		e->days_left.set = true;
		e->days_left.v = days_from_civil(y, m, d) - due_day(now);
		overdue |= e->days_left.v < 0;
		soon |= e->days_left.v <= DUE_SOON_DAYS;
	}
	if (rm->due_km.set && rm->current_km.set) {
		e->km_left.set = true;
		e->km_left.v = rm->due_km.v - rm->current_km.v;
		overdue |= e->km_left.v <= 0;
		soon |= e->km_left.v <= DUE_SOON_KM;
	}
	if (!str_eq(rm->status, "open"))
		e->urgency = URG_NONE;
	else
		e->urgency = overdue ? URG_OVERDUE : soon ? URG_DUE_SOON :
		    URG_UPCOMING;
}

const char *
due_vehicle_label(struct ctx *cx, const struct reminder *rm)
{
	struct vehicle v = { .meta_json = rm->vehicle_meta_json,
	    .vin_prefix3 = rm->vehicle_vin3, .vin_last4 = rm->vehicle_vin4 };
	json_t *meta = vehicle_meta(&v), *nick;
	const char *label = NULL;

	nick = meta != NULL ? json_object_get(meta, "nickname") : NULL;
	if (json_is_string(nick) && json_string_length(nick) > 0)
		label = arena_strdup(&cx->arena, json_string_value(nick));
	json_decref(meta);
	return label != NULL ? label : vehicle_vin_masked(cx, &v);
}

struct sort_item {
	struct reminder	 rm;
	enum urgency	 u;
};

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
sort_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	bool ao = a->u != URG_NONE, bo = b->u != URG_NONE;
	int c;

	if (ao != bo)
		return ao ? -1 : 1;
	if (ao) {
		if (a->u != b->u)
			return a->u < b->u ? -1 : 1;
		if ((a->rm.due_date == NULL) != (b->rm.due_date == NULL))
			return a->rm.due_date == NULL ? 1 : -1;
		if ((c = cmp_str(a->rm.due_date, b->rm.due_date)) != 0 ||
		    (c = cmp_str(a->rm.created_at, b->rm.created_at)) != 0)
			return c;
		return a->rm.seq < b->rm.seq ? -1 : a->rm.seq > b->rm.seq;
	}
	if ((c = cmp_str(b->rm.closed_at, a->rm.closed_at)) != 0)
		return c;
	return a->rm.seq < b->rm.seq ? 1 : a->rm.seq > b->rm.seq ? -1 : 0;
}

void
due_sort(struct reminder *v, size_t n, int64_t now)
{
	struct sort_item *it;
	struct due_eval e;
	size_t i;

	if (n < 2)
		return;
	it = xcalloc(n, sizeof(*it));
	for (i = 0; i < n; i++) {
		it[i].rm = v[i];
		due_evaluate(&v[i], now, &e);
		it[i].u = e.urgency;
	}
	qsort(it, n, sizeof(*it), sort_cmp);
	for (i = 0; i < n; i++)
		v[i] = it[i].rm;
	free(it);
}

static json_t *
opt_json(struct opt_int o)
{
	return o.set ? json_integer(o.v) : json_null();
}

static json_t *
str_json(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
due_reminder_out(struct ctx *cx, const struct reminder *rm, bool with_label)
{
	json_t *o = json_object();
	struct due_eval e;
	const char *u;

	due_evaluate(rm, cx->now, &e);
	u = urgency_name(e.urgency);
	json_object_set_new(o, "id", json_string(rm->id));
	json_object_set_new(o, "vehicle_id", json_string(rm->vehicle_id));
	if (with_label)
		json_object_set_new(o, "vehicle_label",
		    json_string(due_vehicle_label(cx, rm)));
	json_object_set_new(o, "title", json_string(rm->title));
	json_object_set_new(o, "note", str_json(rm->note));
	json_object_set_new(o, "due_date", str_json(rm->due_date));
	json_object_set_new(o, "due_km", opt_json(rm->due_km));
	json_object_set_new(o, "recur_months", opt_json(rm->recur_months));
	json_object_set_new(o, "recur_km", opt_json(rm->recur_km));
	json_object_set_new(o, "status", json_string(rm->status));
	json_object_set_new(o, "urgency", str_json(u));
	json_object_set_new(o, "km_left", opt_json(e.km_left));
	json_object_set_new(o, "days_left", opt_json(e.days_left));
	json_object_set_new(o, "done_entry_id", str_json(rm->done_entry_id));
	json_object_set_new(o, "created_at", ts_json(rm->created_at));
	json_object_set_new(o, "updated_at", ts_json(rm->updated_at));
	json_object_set_new(o, "closed_at", ts_json(rm->closed_at));
	return o;
}

/* The successor of a recurring rm (extensions.md 1.3 "Recurrence"). */
static bool
successor(struct ctx *cx, const struct reminder *rm, bool from_entry,
    const char *entry_date, int64_t entry_km, struct reminder *next)
{
	char base[11], due[11];
	int64_t km;

	memset(next, 0, sizeof(*next));
	next->vehicle_id = rm->vehicle_id;
	next->owner_user_id = rm->owner_user_id;
	next->title = rm->title;
	next->note = rm->note;
	next->recur_months = rm->recur_months;
	next->recur_km = rm->recur_km;
	next->current_km = rm->current_km;
	next->vehicle_meta_json = rm->vehicle_meta_json;
	next->vehicle_vin3 = rm->vehicle_vin3;
	next->vehicle_vin4 = rm->vehicle_vin4;
	if (rm->recur_months.set) {
		if (from_entry)
			snprintf(base, sizeof(base), "%s", entry_date);
		else
			due_date_of_day(due_day(cx->now), base);
		if (!due_add_months(base, rm->recur_months.v, due))
			return false;
		next->due_date = arena_strdup(&cx->arena, due);
	}
	if (rm->recur_km.set) {
		km = from_entry ? entry_km : rm->current_km.set ?
		    rm->current_km.v : rm->due_km.v;
		next->due_km.set = true;
		next->due_km.v = km + rm->recur_km.v;
		if (next->due_km.v > 9999999)
			next->due_km.v = 9999999;
	}
	return true;
}

enum done_status
due_mark_done(struct ctx *cx, const struct vehicle *v, const char *reminder_id,
    const char *entry_id, struct reminder *closed, struct reminder *next,
    bool *has_next)
{
	const char *scope = vehicle_scope(cx, v);
	char date[11] = "";
	int64_t km = 0;
	int rc;

	*has_next = false;
	if ((rc = reminder_find(cx, v->public_id, reminder_id, closed)) <= 0)
		return rc < 0 ? DONE_DB_ERROR : DONE_NOT_FOUND;
	if (entry_id != NULL && (rc = reminder_entry_base(cx, v->public_id,
	    entry_id, date, &km)) <= 0)
		return rc < 0 ? DONE_DB_ERROR : DONE_ENTRY_NOT_FOUND;
	if (!str_eq(closed->status, "open"))
		return DONE_CLOSED;
	if ((rc = reminder_close(cx, closed, "done", entry_id, scope)) <= 0)
		return rc < 0 ? DONE_DB_ERROR : DONE_CLOSED;
	if (!closed->recur_months.set && !closed->recur_km.set)
		return DONE_OK;
	if (!successor(cx, closed, entry_id != NULL, date, km, next)) {
		db_fail(cx->db, DB_ERROR);
		return DONE_DB_ERROR;
	}
	if (!reminder_insert(cx, next, scope))
		return DONE_DB_ERROR;
	*has_next = true;
	return DONE_OK;
}
