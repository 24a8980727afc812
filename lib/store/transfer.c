/*
 * transfer.c: see transfer.h. The store (every transfer statement, and
 * the ownership move of domain.md 12.3) and the handlers of api.md 12.
 *
 * Every write runs under BEGIN IMMEDIATE with its audit row. Denials
 * that wrote something (lazy expiry, a cancel forced by a vanished
 * vehicle, TRANSFER_REDEEM_FAILED) commit before the error is answered,
 * because domain.md 14.1 wants them kept although the request fails.
 */
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "base/config.h"
#include "store/db.h"
#include "http/response.h"
#include "store/transfer.h"
#include "http/valid.h"
#include "store/vehicle.h"

#define TRANSFER_COLS "transfer_id, kind, vehicle_id, status, " \
	"initiator_user_id, initiator_role, created_at, expires_at, " \
	"extended_at, redeemed_by_user_id, redeemed_by_role, redeemed_at, " \
	"cancelled_at, expired_at, ownership_transferred"

#define TTL_MIN		60
#define TTL_MAX		1209600

/* ---- store ------------------------------------------------------------ */

static const char *
col(struct req *r, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);

	return s != NULL ? arena_strdup(&r->cx.arena, s) : NULL;
}

/* One SELECT without lazy expiry; 1 found, 0 not found, -1 error. */
static int
select_row(struct req *r, bool by_hmac, const char *key, struct transfer *t)
{
	struct db_stmt *st;
	int rc;

	memset(t, 0, sizeof(*t));
	st = db_prep(r->cx.db, by_hmac ?
	    "SELECT " TRANSFER_COLS " FROM transfers WHERE token_hmac = ?" :
	    "SELECT " TRANSFER_COLS " FROM transfers WHERE transfer_id = ?",
	    "s", key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		t->transfer_id = col(r, st, 0);
		t->kind = col(r, st, 1);
		t->vehicle_id = col(r, st, 2);
		t->status = col(r, st, 3);
		t->initiator_user_id = col(r, st, 4);
		t->initiator_role = col(r, st, 5);
		t->created_at = col(r, st, 6);
		t->expires_at = col(r, st, 7);
		t->extended_at = col(r, st, 8);
		t->redeemed_by_user_id = col(r, st, 9);
		t->redeemed_by_role = col(r, st, 10);
		t->redeemed_at = col(r, st, 11);
		t->cancelled_at = col(r, st, 12);
		t->expired_at = col(r, st, 13);
		t->ownership_transferred = db_int(st, 14) != 0;
	}
	db_finalize(st);
	return rc;
}

static const char *
now_ts(struct req *r)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(r->cx.now, ts);
	return arena_strdup(&r->cx.arena, ts);
}

/*
 * Storage timestamps sort lexically, so "expires_at has passed" is a
 * string comparison; the same comparison guards the UPDATE below. At
 * expires_at itself the transfer is expired.
 */
static bool
is_due(struct req *r, const char *expires_at)
{
	return expires_at == NULL || strcmp(expires_at, now_ts(r)) <= 0;
}

static json_t *
meta_of(const char *kind, const char *vehicle_id)
{
	json_t *m = json_object();

	json_object_set_new(m, "kind", json_string(kind));
	json_object_set_new(m, "vehicle_id", json_string(vehicle_id));
	return m;
}

/*
 * Expires transfer_id if it is still created and due; audits
 * TRANSFER_EXPIRED as a rule of the system. Runs in the caller's
 * transaction.
 */
static bool
expire_due(struct req *r, const char *transfer_id, const char *kind,
    const char *vehicle_id)
{
	const char *now = now_ts(r);

	if (db_exec(r->cx.db, "UPDATE transfers SET status = 'expired', "
	    "expired_at = ? WHERE transfer_id = ? AND status = 'created' "
	    "AND expires_at <= ?", "sss", now, transfer_id, now) != DB_OK)
		return false;
	if (db_changes(r->cx.db) != 1)
		return true;
	return audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_EXPIRED",
	    .target_type = "HANDOVER", .target_id = transfer_id,
	    .actor_type = "system", .meta = meta_of(kind, vehicle_id) });
}

int
transfer_load(struct req *r, bool by_token, const char *key,
    struct transfer *t)
{
	char hmac[HEX_HMAC_LEN];
	const char *k = key;
	bool own;
	int rc;

	if (by_token) {
		hmac_hex(key, hmac);
		k = hmac;
	}
	rc = select_row(r, by_token, k, t);
	if (rc != 1 || strcmp(t->status, "created") != 0 ||
	    !is_due(r, t->expires_at))
		return rc;

	/* Lazy expiry (domain.md 12.1), before the caller's rules. */
	own = !db_in_tx(r->cx.db) != 0;
	if (own && db_begin(r->cx.db) != DB_OK)
		return -1;
	if (!expire_due(r, t->transfer_id, t->kind, t->vehicle_id))
		goto fail;
	/* Re-read: a concurrent writer may have got there first. */
	if ((rc = select_row(r, by_token, k, t)) < 0)
		goto fail;
	if (own && db_commit(r->cx.db) != DB_OK)
		return -1;
	return rc;
fail:
	if (own)
		db_rollback(r->cx.db);
	return -1;
}

static json_t *
str_json(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
transfer_status_json(const struct transfer *t)
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

/*
 * Closes the vehicle's open transfer before a new one is created
 * (domain.md 12.1): expired when due, otherwise cancelled as superseded.
 * The partial unique index allows at most one such row.
 */
static bool
close_open(struct req *r, const char *vehicle_id)
{
	struct db_stmt *st;
	const char *id, *kind, *expires, *now = now_ts(r);
	json_t *meta;
	int rc;

	st = db_prep(r->cx.db, "SELECT transfer_id, kind, expires_at FROM "
	    "transfers WHERE vehicle_id = ? AND status = 'created'", "s",
	    vehicle_id);
	if (st == NULL)
		return false;
	if ((rc = db_step(st)) != 1) {
		db_finalize(st);
		return rc == 0;
	}
	id = col(r, st, 0);
	kind = col(r, st, 1);
	expires = col(r, st, 2);
	db_finalize(st);

	if (is_due(r, expires))
		return expire_due(r, id, kind, vehicle_id);
	if (db_exec(r->cx.db, "UPDATE transfers SET status = 'cancelled', "
	    "cancelled_at = ? WHERE transfer_id = ? AND status = 'created'",
	    "ss", now, id) != DB_OK)
		return false;
	meta = meta_of(kind, vehicle_id);
	json_object_set_new(meta, "superseded", json_true());
	return audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_CANCELLED",
	    .target_type = "HANDOVER", .target_id = id, .scope = "own",
	    .meta = meta });
}

struct folder {
	int64_t		 id;
	const char	*title;
	struct folder	*next;
};

/*
 * Moves the vehicle's trust folders to the redeemer (domain.md 12.3
 * step 2). A title the redeemer already has on this vehicle gets
 * " (2)", " (3)", ... until it is unique. *moved counts the folders.
 */
static bool
move_folders(struct req *r, const char *vehicle_id, const char *to,
    const char *now, int64_t *moved)
{
	struct folder *head = NULL, **tail = &head, *f;
	struct db_stmt *st;
	int rc;

	st = db_prep(r->cx.db, "SELECT id, title FROM trust_folders WHERE "
	    "vehicle_id = ? AND owner_user_id <> ? ORDER BY id", "ss",
	    vehicle_id, to);
	if (st == NULL)
		return false;
	while ((rc = db_step(st)) == 1) {
		f = arena_alloc(&r->cx.arena, sizeof(*f));
		f->id = db_int(st, 0);
		f->title = col(r, st, 1);
		f->next = NULL;
		*tail = f;
		tail = &f->next;
	}
	db_finalize(st);
	if (rc < 0)
		return false;

	for (f = head; f != NULL; f = f->next) {
		const char *title = f->title;
		int n = 2;

		for (;;) {
			st = db_prep(r->cx.db, "SELECT 1 FROM trust_folders WHERE "
			    "vehicle_id = ? AND owner_user_id = ? AND title = ?",
			    "sss", vehicle_id, to, title);
			if (st == NULL)
				return false;
			rc = db_step(st);
			db_finalize(st);
			if (rc < 0)
				return false;
			if (rc == 0)
				break;
			title = arena_printf(&r->cx.arena, "%s (%d)", f->title,
			    n++);
		}
		if (db_exec(r->cx.db, "UPDATE trust_folders SET owner_user_id = ?, "
		    "title = ?, updated_at = ? WHERE id = ?", "sssi", to, title,
		    now, f->id) != DB_OK)
			return false;
		(*moved)++;
	}
	return true;
}

struct move_counts {
	int64_t	 folders;
	int64_t	 docs_moved;
	int64_t	 docs_unlinked;
};

/*
 * The ownership move of domain.md 12.3, steps 1-3 and 7, in the
 * caller's transaction. 1 done, 0 the guard failed (the vehicle or the
 * transfer changed under us), -1 database error.
 */
static int
move_ownership(struct req *r, const struct transfer *t,
    struct move_counts *c)
{
	const char *to = r->cx.actor.user_id, *now = now_ts(r);

	memset(c, 0, sizeof(*c));
	if (db_exec(r->cx.db, "UPDATE vehicles SET owner_user_id = ?, "
	    "updated_at = ? WHERE public_id = ? AND owner_user_id = ? AND "
	    "deleted_at IS NULL", "ssss", to, now, t->vehicle_id,
	    t->initiator_user_id) != DB_OK)
		return -1;
	if (db_changes(r->cx.db) != 1)
		return 0;
	if (!move_folders(r, t->vehicle_id, to, now, &c->folders))
		return -1;
	/* Only PII-free documents pass to the new owner. */
	if (db_exec(r->cx.db, "UPDATE documents SET owner_user_id = ? WHERE "
	    "vehicle_id = ? AND deleted_at IS NULL AND pii_status = 'OK' AND "
	    "owner_user_id <> ?", "sss", to, t->vehicle_id, to) != DB_OK)
		return -1;
	c->docs_moved = db_changes(r->cx.db);
	if (db_exec(r->cx.db, "UPDATE documents SET vehicle_id = NULL, "
	    "entry_id = NULL WHERE vehicle_id = ? AND deleted_at IS NULL AND "
	    "pii_status <> 'OK'", "s", t->vehicle_id) != DB_OK)
		return -1;
	c->docs_unlinked = db_changes(r->cx.db);
	if (db_exec(r->cx.db, "UPDATE transfers SET status = 'redeemed', "
	    "redeemed_by_user_id = ?, redeemed_by_role = ?, redeemed_at = ?, "
	    "ownership_transferred = 1 WHERE transfer_id = ? AND "
	    "status = 'created'", "ssss", to, r->cx.actor.role_name, now,
	    t->transfer_id) != DB_OK)
		return -1;
	return db_changes(r->cx.db) == 1 ? 1 : 0;
}

/* ---- handlers ----------------------------------------------------------- */

static bool
begin(struct req *r)
{
	if (db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return false;
	}
	return true;
}

/* Commits what the request wrote so far, then answers the refusal. */
static void
refuse(struct req *r, int status, const char *detail)
{
	if (db_in_tx(r->cx.db) && db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	resp_detail(r, status, detail);
}

static void
create(struct req *r, const char *kind)
{
	json_t *body, *o;
	const char *vid, *created;
	char id[UUID_LEN], tok[TOKEN_LEN], hmac[HEX_HMAC_LEN];
	char expires[TS_STORAGE_LEN], expires_api[TS_API_LEN];
	int64_t ttl = cfg.transfer_ttl_seconds;
	struct vehicle v;
	bool owner;
	int rc;

	body = v_body_object(r);
	vid = v_str(r, body, "body", "vehicle_id", V_REQ, 1, 128);
	v_int(r, body, "body", "ttl_seconds", 0, TTL_MIN, TTL_MAX, &ttl);
	if (v_done(r))
		return;

	if (!begin(r))
		return;
	if ((rc = vehicle_find(r->cx.db, vid, &v)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0 || v.deleted_at != NULL) {
		vehicle_free(&v);
		resp_detail(r, 404, "not_found");
		return;
	}
	/* Only the current owner hands a vehicle over; admins too. */
	owner = str_eq(v.owner_user_id, r->cx.actor.user_id);
	vehicle_free(&v);
	if (!owner) {
		resp_detail(r, 403, "forbidden");
		return;
	}
	if (!close_open(r, vid)) {
		resp_db_error(r);
		return;
	}

	if (!uuid4(id) || !random_token(tok)) {
		resp_internal(r, "internal");
		return;
	}
	hmac_hex(tok, hmac);
	created = now_ts(r);
	ts_storage(r->cx.now + ttl * US_PER_SEC, expires);
	if (db_exec(r->cx.db, "INSERT INTO transfers (transfer_id, kind, "
	    "vehicle_id, token_hmac, status, initiator_user_id, "
	    "initiator_role, created_at, expires_at) VALUES "
	    "(?, ?, ?, ?, 'created', ?, ?, ?, ?)", "ssssssss", id, kind, vid,
	    hmac, r->cx.actor.user_id, r->cx.actor.role_name, created,
	    expires) != DB_OK ||
	    !audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_CREATED",
	    .target_type = "HANDOVER", .target_id = id, .scope = "own",
	    .meta = meta_of(kind, vid) }) ||
	    db_commit(r->cx.db) != DB_OK) {
		explicit_bzero(tok, sizeof(tok));
		resp_db_error(r);
		return;
	}

	ts_to_api(expires, expires_api);
	o = json_object();
	json_object_set_new(o, "transfer_id", json_string(id));
	json_object_set_new(o, "transfer_token", json_string(tok));
	json_object_set_new(o, "expires_at", json_string(expires_api));
	json_object_set_new(o, "status", json_string("created"));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "vehicle_id", json_string(vid));
	explicit_bzero(tok, sizeof(tok));
	resp_json(r, 200, o);
}

void
transfer_h_create_sale(struct req *r)
{
	create(r, "sale");
}

void
transfer_h_create_owner(struct req *r)
{
	create(r, "owner");
}

/*
 * Audits a refused redeem (scope "shared": the redeemer acts on what
 * someone else handed over), commits it with everything written so
 * far, and answers.
 */
static void
redeem_refuse(struct req *r, const char *transfer_id, const char *reason,
    int status, const char *detail)
{
	if (!audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_REDEEM_FAILED",
	    .target_type = "HANDOVER", .target_id = transfer_id,
	    .result = "denied", .reason = reason, .scope = "shared" })) {
		resp_db_error(r);
		return;
	}
	refuse(r, status, detail);
}

void
transfer_h_redeem(struct req *r)
{
	struct transfer t;
	struct move_counts c;
	struct vehicle v;
	json_t *body, *meta, *o;
	const char *token;
	bool gone;
	int rc;

	body = v_body_object(r);
	token = v_str(r, body, "body", "transfer_token", V_REQ, 20, 256);
	if (v_done(r))
		return;

	/* One transaction from lookup to ownership move (domain.md 12.3). */
	if (!begin(r))
		return;
	if ((rc = transfer_load(r, true, token, &t)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		redeem_refuse(r, NULL, "NOT_FOUND", 404, "transfer_not_found");
		return;
	}
	if (strcmp(t.status, "expired") == 0) {
		redeem_refuse(r, t.transfer_id, "EXPIRED", 410,
		    "transfer_expired");
		return;
	}
	if (strcmp(t.status, "created") != 0) {
		redeem_refuse(r, t.transfer_id, "NOT_REDEEMABLE", 409,
		    "transfer_not_redeemable");
		return;
	}
	if (str_eq(t.initiator_user_id, r->cx.actor.user_id)) {
		redeem_refuse(r, t.transfer_id, "SELF_REDEEM", 409,
		    "cannot_redeem_own_transfer");
		return;
	}

	/* The vehicle must still be there and still be the initiator's. */
	if ((rc = vehicle_find(r->cx.db, t.vehicle_id, &v)) < 0) {
		resp_db_error(r);
		return;
	}
	gone = rc == 0 || v.deleted_at != NULL ||
	    !str_eq(v.owner_user_id, t.initiator_user_id);
	vehicle_free(&v);
	if (gone) {
		if (db_exec(r->cx.db, "UPDATE transfers SET status = 'cancelled', "
		    "cancelled_at = ? WHERE transfer_id = ? AND "
		    "status = 'created'", "ss", now_ts(r),
		    t.transfer_id) != DB_OK ||
		    !audit(&r->cx, &(struct audit_ev){
		    .action = "TRANSFER_CANCELLED", .target_type = "HANDOVER",
		    .target_id = t.transfer_id, .actor_type = "system",
		    .meta = meta_of(t.kind, t.vehicle_id) })) {
			resp_db_error(r);
			return;
		}
		redeem_refuse(r, t.transfer_id, "NOT_REDEEMABLE", 409,
		    "transfer_not_redeemable");
		return;
	}

	/* Paywall of domain.md 7; the transfer stays created. */
	if ((rc = vehicle_limit_reached(r->cx.db, r->cx.actor.user_id,
	    r->cx.actor.role)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 1) {
		redeem_refuse(r, t.transfer_id, "VEHICLE_LIMIT", 403,
		    "vehicle_limit_reached");
		return;
	}

	if ((rc = move_ownership(r, &t, &c)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		/* Unreachable under BEGIN IMMEDIATE; never half a move. */
		db_rollback(r->cx.db);
		resp_detail(r, 409, "transfer_not_redeemable");
		return;
	}
	meta = meta_of(t.kind, t.vehicle_id);
	json_object_set_new(meta, "documents_moved",
	    json_integer(c.docs_moved));
	json_object_set_new(meta, "documents_unlinked",
	    json_integer(c.docs_unlinked));
	json_object_set_new(meta, "folders_moved", json_integer(c.folders));
	if (!audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_REDEEMED",
	    .target_type = "HANDOVER", .target_id = t.transfer_id,
	    .scope = "shared", .meta = meta }) ||
	    db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}

	o = json_object();
	json_object_set_new(o, "transfer_id", json_string(t.transfer_id));
	json_object_set_new(o, "vehicle_id", json_string(t.vehicle_id));
	json_object_set_new(o, "status", json_string("redeemed"));
	json_object_set_new(o, "ownership_transferred", json_true());
	resp_json(r, 200, o);
}

/*
 * Common head of cancel and extend (api.md 12.3/12.4 steps 1-4): 422,
 * 404, 403 not the initiator, 410 expired. Leaves the transaction open
 * and returns true with t filled when the caller may go on.
 */
static bool
initiator_head(struct req *r, struct transfer *t)
{
	json_t *body;
	const char *id;
	int rc;

	body = v_body_object(r);
	id = v_str(r, body, "body", "transfer_id", V_REQ, 1, 64);
	if (v_done(r))
		return false;
	if (!begin(r))
		return false;
	if ((rc = transfer_load(r, false, id, t)) < 0) {
		resp_db_error(r);
		return false;
	}
	if (rc == 0) {
		refuse(r, 404, "transfer_not_found");
		return false;
	}
	if (!str_eq(t->initiator_user_id, r->cx.actor.user_id)) {
		refuse(r, 403, "forbidden");
		return false;
	}
	if (strcmp(t->status, "expired") == 0) {
		refuse(r, 410, "transfer_expired");
		return false;
	}
	return true;
}

void
transfer_h_cancel(struct req *r)
{
	struct transfer t;
	const char *now = now_ts(r);
	json_t *o;

	if (!initiator_head(r, &t))
		return;
	if (strcmp(t.status, "created") != 0) {
		refuse(r, 409, "transfer_not_cancellable");
		return;
	}
	if (db_exec(r->cx.db, "UPDATE transfers SET status = 'cancelled', "
	    "cancelled_at = ? WHERE transfer_id = ? AND status = 'created'",
	    "ss", now, t.transfer_id) != DB_OK ||
	    !audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_CANCELLED",
	    .target_type = "HANDOVER", .target_id = t.transfer_id,
	    .scope = "own", .meta = meta_of(t.kind, t.vehicle_id) }) ||
	    db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "transfer_id", json_string(t.transfer_id));
	json_object_set_new(o, "status", json_string("cancelled"));
	resp_json(r, 200, o);
}

void
transfer_h_extend(struct req *r)
{
	struct transfer t;
	char expires[TS_STORAGE_LEN];
	const char *now = now_ts(r);
	int64_t cur;

	if (!initiator_head(r, &t))
		return;
	if (strcmp(t.status, "created") != 0) {
		refuse(r, 409, "transfer_not_extendable");
		return;
	}
	if (t.extended_at != NULL) {
		refuse(r, 409, "transfer_already_extended");
		return;
	}
	/* Counted from the current expires_at (domain.md 12.2). */
	if (!ts_parse(t.expires_at, &cur)) {
		resp_internal(r, "internal");
		return;
	}
	ts_storage(cur + cfg.transfer_ttl_seconds * US_PER_SEC, expires);
	if (db_exec(r->cx.db, "UPDATE transfers SET expires_at = ?, "
	    "extended_at = ? WHERE transfer_id = ? AND status = 'created' AND "
	    "extended_at IS NULL", "sss", expires, now,
	    t.transfer_id) != DB_OK ||
	    !audit(&r->cx, &(struct audit_ev){ .action = "TRANSFER_EXTENDED",
	    .target_type = "HANDOVER", .target_id = t.transfer_id,
	    .scope = "own", .meta = meta_of(t.kind, t.vehicle_id) }) ||
	    db_commit(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	t.expires_at = arena_strdup(&r->cx.arena, expires);
	t.extended_at = now;
	resp_json(r, 200, transfer_status_json(&t));
}

static void
status(struct req *r, bool admin_may_read)
{
	const char *id = req_param(r, "transfer_id");
	struct transfer t;
	int rc;

	if (id == NULL || strlen(id) > PATH_ID_MAX) {
		resp_detail(r, 404, "transfer_not_found");
		return;
	}
	if ((rc = transfer_load(r, false, id, &t)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		resp_detail(r, 404, "transfer_not_found");
		return;
	}
	if (!str_eq(t.initiator_user_id, r->cx.actor.user_id) &&
	    !str_eq(t.redeemed_by_user_id, r->cx.actor.user_id) &&
	    !(admin_may_read && ctx_is_admin(&r->cx))) {
		resp_detail(r, 403, "forbidden");
		return;
	}
	resp_json(r, 200, transfer_status_json(&t));
}

void
transfer_h_status_sale(struct req *r)
{
	status(r, false);
}

void
transfer_h_status_owner(struct req *r)
{
	status(r, true);
}
