/* handover.c: see handover.h. */
#include <string.h>

#include "base/clock.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/handover.h"

#define TRANSFER_COLS "transfer_id, kind, vehicle_id, status, " \
	"initiator_user_id, initiator_role, created_at, expires_at, " \
	"extended_at, redeemed_by_user_id, redeemed_by_role, redeemed_at, " \
	"cancelled_at, expired_at, ownership_transferred"

static const char *
col(struct ctx *cx, struct db_stmt *st, int i)
{
	return arena_strdup(&cx->arena, db_text(st, i));
}

static void
transfer_row(struct ctx *cx, struct db_stmt *st, struct transfer *t)
{
	t->transfer_id = col(cx, st, 0);
	t->kind = col(cx, st, 1);
	t->vehicle_id = col(cx, st, 2);
	t->status = col(cx, st, 3);
	t->initiator_user_id = col(cx, st, 4);
	t->initiator_role = col(cx, st, 5);
	t->created_at = col(cx, st, 6);
	t->expires_at = col(cx, st, 7);
	t->extended_at = col(cx, st, 8);
	t->redeemed_by_user_id = col(cx, st, 9);
	t->redeemed_by_role = col(cx, st, 10);
	t->redeemed_at = col(cx, st, 11);
	t->cancelled_at = col(cx, st, 12);
	t->expired_at = col(cx, st, 13);
	t->ownership_transferred = db_int(st, 14) != 0;
}

/* Runs a prepared TRANSFER_COLS query for one row into t. */
static int
one_row(struct ctx *cx, struct db_stmt *st, struct transfer *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		transfer_row(cx, st, t);
	db_finalize(st);
	return rc;
}

int
handover_find(struct ctx *cx, bool by_hmac, const char *key,
    struct transfer *t)
{
	return one_row(cx, db_prep(cx->db, by_hmac ?
	    "SELECT " TRANSFER_COLS " FROM transfers WHERE token_hmac = ?" :
	    "SELECT " TRANSFER_COLS " FROM transfers WHERE transfer_id = ?",
	    "s", key), t);
}

int
handover_open_of(struct ctx *cx, const char *vehicle_id, struct transfer *t)
{
	/* The partial unique index allows at most one such row. */
	return one_row(cx, db_prep(cx->db, "SELECT " TRANSFER_COLS " FROM "
	    "transfers WHERE vehicle_id = ? AND status = 'created'", "s",
	    vehicle_id), t);
}

static void
now_ts(const struct ctx *cx, char ts[TS_STORAGE_LEN])
{
	ts_storage(cx->now, ts);
}

bool
handover_due(const struct ctx *cx, const struct transfer *t)
{
	char now[TS_STORAGE_LEN];

	now_ts(cx, now);
	return t->expires_at == NULL || strcmp(t->expires_at, now) <= 0;
}

static json_t *
meta_of(const char *kind, const char *vehicle_id)
{
	json_t *m = json_object();

	json_object_set_new(m, "kind", json_string(kind));
	json_object_set_new(m, "vehicle_id", json_string(vehicle_id));
	return m;
}

bool
handover_expire(struct ctx *cx, const struct transfer *t)
{
	if (db_exec(cx->db, "UPDATE transfers SET status = 'expired', "
	    "expired_at = ? WHERE transfer_id = ? AND status = 'created' "
	    "AND expires_at <= ?", "tst", cx->now, t->transfer_id,
	    cx->now) != DB_OK)
		return false;
	if (db_changes(cx->db) != 1)
		return true;
	return audit(cx, &(struct audit_ev){ .action = "TRANSFER_EXPIRED",
	    .target_type = "HANDOVER", .target_id = t->transfer_id,
	    .actor_type = "system", .meta = meta_of(t->kind, t->vehicle_id) });
}

bool
handover_cancel(struct ctx *cx, const struct transfer *t,
    enum handover_cancel why)
{
	struct audit_ev ev = { .action = "TRANSFER_CANCELLED",
	    .target_type = "HANDOVER", .target_id = t->transfer_id };

	if (db_exec(cx->db, "UPDATE transfers SET status = 'cancelled', "
	    "cancelled_at = ? WHERE transfer_id = ? AND status = 'created'",
	    "ts", cx->now, t->transfer_id) != DB_OK)
		return false;
	ev.meta = meta_of(t->kind, t->vehicle_id);
	switch (why) {
	case HC_INITIATOR:
		ev.scope = "own";
		break;
	case HC_SUPERSEDED:
		ev.scope = "own";
		json_object_set_new(ev.meta, "superseded", json_true());
		break;
	case HC_SYSTEM:
		ev.actor_type = "system";
		break;
	}
	return audit(cx, &ev);
}

struct open_row {
	const char	*id;
	const char	*kind;
	struct open_row	*next;
};

int64_t
handover_cancel_vehicle(struct ctx *cx, const char *vehicle_id,
    const char *scope)
{
	struct open_row *head = NULL, **tail = &head, *o;
	struct db_stmt *st;
	int64_t n = 0;
	int rc;

	st = db_prep(cx->db, "SELECT transfer_id, kind FROM transfers WHERE "
	    "vehicle_id = ? AND status = 'created'", "s", vehicle_id);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == 1) {
		o = arena_alloc(&cx->arena, sizeof(*o));
		o->id = col(cx, st, 0);
		o->kind = col(cx, st, 1);
		*tail = o;
		tail = &o->next;
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (db_exec(cx->db, "UPDATE transfers SET status = 'cancelled', "
	    "cancelled_at = ? WHERE vehicle_id = ? AND status = 'created'",
	    "ts", cx->now, vehicle_id) != DB_OK)
		return -1;
	for (o = head; o != NULL; o = o->next, n++)
		if (!audit(cx, &(struct audit_ev){
		    .action = "TRANSFER_CANCELLED", .target_type = "HANDOVER",
		    .target_id = o->id, .scope = scope,
		    .meta = meta_of(o->kind, vehicle_id) }))
			return -1;
	return n;
}

bool
handover_insert(struct ctx *cx, const char *id, const char *kind,
    const char *vehicle_id, const char *token_hmac, const char *expires)
{
	if (db_exec(cx->db, "INSERT INTO transfers (transfer_id, kind, "
	    "vehicle_id, token_hmac, status, initiator_user_id, "
	    "initiator_role, created_at, expires_at) VALUES "
	    "(?, ?, ?, ?, 'created', ?, ?, ?, ?)", "ssssssts", id, kind,
	    vehicle_id, token_hmac, cx->actor.user_id, cx->actor.role_name,
	    cx->now, expires) != DB_OK)
		return false;
	return audit(cx, &(struct audit_ev){ .action = "TRANSFER_CREATED",
	    .target_type = "HANDOVER", .target_id = id, .scope = "own",
	    .meta = meta_of(kind, vehicle_id) });
}

bool
handover_extend(struct ctx *cx, struct transfer *t, const char *expires)
{
	char now[TS_STORAGE_LEN];

	now_ts(cx, now);
	if (db_exec(cx->db, "UPDATE transfers SET expires_at = ?, "
	    "extended_at = ? WHERE transfer_id = ? AND status = 'created' AND "
	    "extended_at IS NULL", "sss", expires, now,
	    t->transfer_id) != DB_OK ||
	    !audit(cx, &(struct audit_ev){ .action = "TRANSFER_EXTENDED",
	    .target_type = "HANDOVER", .target_id = t->transfer_id,
	    .scope = "own", .meta = meta_of(t->kind, t->vehicle_id) }))
		return false;
	t->expires_at = arena_strdup(&cx->arena, expires);
	t->extended_at = arena_strdup(&cx->arena, now);
	return true;
}

int
handover_mark_redeemed(struct ctx *cx, const struct transfer *t)
{
	if (db_exec(cx->db, "UPDATE transfers SET status = 'redeemed', "
	    "redeemed_by_user_id = ?, redeemed_by_role = ?, redeemed_at = ?, "
	    "ownership_transferred = 1 WHERE transfer_id = ? AND "
	    "status = 'created'", "ssts", cx->actor.user_id,
	    cx->actor.role_name, cx->now, t->transfer_id) != DB_OK)
		return -1;
	return db_changes(cx->db) == 1 ? 1 : 0;
}

static json_t *
str_json(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
handover_status_json(const struct transfer *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "transfer_id", json_string(t->transfer_id));
	json_object_set_new(o, "vehicle_id", json_string(t->vehicle_id));
	json_object_set_new(o, "kind", json_string(t->kind));
	json_object_set_new(o, "status", json_string(t->status));
	json_object_set_new(o, "created_at", ts_json(t->created_at));
	json_object_set_new(o, "expires_at", ts_json(t->expires_at));
	json_object_set_new(o, "is_expired",
	    json_boolean(strcmp(t->status, "expired") == 0));
	json_object_set_new(o, "extended_at", ts_json(t->extended_at));
	json_object_set_new(o, "redeemed_at", ts_json(t->redeemed_at));
	json_object_set_new(o, "cancelled_at", ts_json(t->cancelled_at));
	json_object_set_new(o, "redeemed_by_user_id",
	    str_json(t->redeemed_by_user_id));
	json_object_set_new(o, "initiator_user_id",
	    json_string(t->initiator_user_id));
	json_object_set_new(o, "ownership_transferred",
	    json_boolean(t->ownership_transferred));
	return o;
}
