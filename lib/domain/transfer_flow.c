/* transfer_flow.c: see transfer_flow.h. */
#include <string.h>

#include "domain/transfer_flow.h"
#include "store/audit.h"
#include "store/document.h"
#include "store/folder.h"
#include "store/reminder.h"
#include "store/vehicle.h"

enum transfer_status
transfer_load(struct ctx *cx, bool by_token, const char *key,
    struct transfer *t)
{
	char hmac[HEX_HMAC_LEN];
	const char *k = key;
	int rc;

	if (by_token) {
		hmac_hex(key, hmac);
		k = hmac;
	}
	rc = handover_find(cx, by_token, k, t);
	if (rc == 1 && strcmp(t->status, "created") == 0 &&
	    handover_due(cx, t)) {
		/* Lazy expiry, before the caller's rules. */
		if (!handover_expire(cx, t))
			return TR_DB_ERROR;
		/* Re-read: what the row is now. */
		rc = handover_find(cx, by_token, k, t);
	}
	if (rc < 0)
		return TR_DB_ERROR;
	return rc == 1 ? TR_OK : TR_NOT_FOUND;
}

enum transfer_status
transfer_create(struct ctx *cx, const char *kind, const char *vehicle_id,
    int64_t ttl_seconds, struct transfer_created *out)
{
	char hmac[HEX_HMAC_LEN];
	struct transfer open;
	struct vehicle v;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = vehicle_find(cx, vehicle_id, &v)) < 0)
		return TR_DB_ERROR;
	if (rc == 0 || v.deleted_at != NULL)
		return TR_VEHICLE_NOT_FOUND;
	/* Only the current owner hands a vehicle over; admins too. */
	if (!str_eq(v.owner_user_id, cx->actor.user_id))
		return TR_FORBIDDEN;
	/* One open transfer per vehicle (domain.md 12.1). */
	if ((rc = handover_open_of(cx, vehicle_id, &open)) < 0)
		return TR_DB_ERROR;
	if (rc == 1 && !(handover_due(cx, &open) ?
	    handover_expire(cx, &open) :
	    handover_cancel(cx, &open, HC_SUPERSEDED)))
		return TR_DB_ERROR;

	if (!uuid4(out->transfer_id) || !random_token(out->token)) {
		explicit_bzero(out->token, sizeof(out->token));
		return TR_INTERNAL;
	}
	hmac_hex(out->token, hmac);
	ts_storage(cx->now + ttl_seconds * US_PER_SEC, out->expires_at);
	if (!handover_insert(cx, out->transfer_id, kind, vehicle_id, hmac,
	    out->expires_at)) {
		explicit_bzero(out->token, sizeof(out->token));
		return TR_DB_ERROR;
	}
	return TR_OK;
}

/*
 * A refused redeem (scope "shared": the redeemer acts on what someone
 * else handed over) is audited; the refusal, or TR_DB_ERROR.
 */
static enum transfer_status
redeem_refuse(struct ctx *cx, const char *transfer_id, const char *reason,
    enum transfer_status st)
{
	if (!audit(cx, &(struct audit_ev){ .action = "TRANSFER_REDEEM_FAILED",
	    .target_type = "HANDOVER", .target_id = transfer_id,
	    .result = "denied", .reason = reason, .scope = "shared" }))
		return TR_DB_ERROR;
	return st;
}

struct move_counts {
	int64_t	 folders;
	int64_t	 docs_moved;
	int64_t	 docs_unlinked;
	int64_t	 reminders;
};

/*
 * The ownership move of domain.md 12.3, steps 1-3 and 7. TR_OK,
 * TR_CONFLICT when a guard failed (the vehicle or the transfer changed
 * under us), TR_DB_ERROR.
 */
static enum transfer_status
move_ownership(struct ctx *cx, const struct transfer *t, struct move_counts *c)
{
	const char *to = cx->actor.user_id;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = vehicle_move_owner(cx, t->vehicle_id, t->initiator_user_id,
	    to)) <= 0)
		return rc < 0 ? TR_DB_ERROR : TR_CONFLICT;
	if (!folder_move_owner(cx, t->vehicle_id, to, &c->folders) ||
	    !document_hand_over(cx, t->vehicle_id, to, &c->docs_moved,
	    &c->docs_unlinked) ||
	    !reminder_move_owner(cx, t->vehicle_id, to, &c->reminders))
		return TR_DB_ERROR;
	if ((rc = handover_mark_redeemed(cx, t)) <= 0)
		return rc < 0 ? TR_DB_ERROR : TR_CONFLICT;
	return TR_OK;
}

enum transfer_status
transfer_redeem(struct ctx *cx, const char *token, struct transfer *t)
{
	enum transfer_status st;
	struct move_counts c;
	struct vehicle v;
	json_t *meta;
	bool gone;
	int rc;

	st = transfer_load(cx, true, token, t);
	if (st == TR_NOT_FOUND)
		return redeem_refuse(cx, NULL, "NOT_FOUND", TR_NOT_FOUND);
	if (st != TR_OK)
		return st;
	if (strcmp(t->status, "expired") == 0)
		return redeem_refuse(cx, t->transfer_id, "EXPIRED", TR_EXPIRED);
	if (strcmp(t->status, "created") != 0)
		return redeem_refuse(cx, t->transfer_id, "NOT_REDEEMABLE",
		    TR_NOT_REDEEMABLE);
	if (str_eq(t->initiator_user_id, cx->actor.user_id))
		return redeem_refuse(cx, t->transfer_id, "SELF_REDEEM",
		    TR_SELF_REDEEM);

	/* The vehicle must still be there and still be the initiator's. */
	if ((rc = vehicle_find(cx, t->vehicle_id, &v)) < 0)
		return TR_DB_ERROR;
	gone = rc == 0 || v.deleted_at != NULL ||
	    !str_eq(v.owner_user_id, t->initiator_user_id);
	if (gone) {
		if (!handover_cancel(cx, t, HC_SYSTEM))
			return TR_DB_ERROR;
		return redeem_refuse(cx, t->transfer_id, "NOT_REDEEMABLE",
		    TR_NOT_REDEEMABLE);
	}

	/* Paywall of domain.md 7; the transfer stays created. */
	if ((rc = vehicle_limit_reached(cx->db, cx->actor.user_id,
	    cx->actor.role)) < 0)
		return TR_DB_ERROR;
	if (rc == 1)
		return redeem_refuse(cx, t->transfer_id, "VEHICLE_LIMIT",
		    TR_VEHICLE_LIMIT);

	if ((st = move_ownership(cx, t, &c)) != TR_OK)
		return st;
	meta = json_object();
	json_object_set_new(meta, "kind", json_string(t->kind));
	json_object_set_new(meta, "vehicle_id", json_string(t->vehicle_id));
	json_object_set_new(meta, "documents_moved",
	    json_integer(c.docs_moved));
	json_object_set_new(meta, "documents_unlinked",
	    json_integer(c.docs_unlinked));
	json_object_set_new(meta, "folders_moved", json_integer(c.folders));
	json_object_set_new(meta, "reminders_moved", json_integer(c.reminders));
	if (!audit(cx, &(struct audit_ev){ .action = "TRANSFER_REDEEMED",
	    .target_type = "HANDOVER", .target_id = t->transfer_id,
	    .scope = "shared", .meta = meta }))
		return TR_DB_ERROR;
	return TR_OK;
}

/*
 * The common head of cancel and extend (api.md 12.3/12.4 steps 2-4):
 * unknown, not the initiator, expired.
 */
static enum transfer_status
initiator_head(struct ctx *cx, const char *transfer_id, struct transfer *t)
{
	enum transfer_status st;

	if ((st = transfer_load(cx, false, transfer_id, t)) != TR_OK)
		return st;
	if (!str_eq(t->initiator_user_id, cx->actor.user_id))
		return TR_FORBIDDEN;
	if (strcmp(t->status, "expired") == 0)
		return TR_EXPIRED;
	return TR_OK;
}

enum transfer_status
transfer_cancel(struct ctx *cx, const char *transfer_id, struct transfer *t)
{
	enum transfer_status st;

	if ((st = initiator_head(cx, transfer_id, t)) != TR_OK)
		return st;
	if (strcmp(t->status, "created") != 0)
		return TR_NOT_CANCELLABLE;
	return handover_cancel(cx, t, HC_INITIATOR) ? TR_OK : TR_DB_ERROR;
}

enum transfer_status
transfer_extend(struct ctx *cx, const char *transfer_id, int64_t ttl_seconds,
    struct transfer *t)
{
	char expires[TS_STORAGE_LEN];
	enum transfer_status st;
	int64_t cur;

	if ((st = initiator_head(cx, transfer_id, t)) != TR_OK)
		return st;
	if (strcmp(t->status, "created") != 0)
		return TR_NOT_EXTENDABLE;
	if (t->extended_at != NULL)
		return TR_ALREADY_EXTENDED;
	/* Counted from the current expires_at (domain.md 12.2). */
	if (!ts_parse(t->expires_at, &cur))
		return TR_INTERNAL;
	ts_storage(cur + ttl_seconds * US_PER_SEC, expires);
	return handover_extend(cx, t, expires) ? TR_OK : TR_DB_ERROR;
}

enum transfer_status
transfer_read(struct ctx *cx, const char *transfer_id, bool admin_may_read,
    struct transfer *t)
{
	enum transfer_status st;

	if ((st = transfer_load(cx, false, transfer_id, t)) != TR_OK)
		return st;
	if (!str_eq(t->initiator_user_id, cx->actor.user_id) &&
	    !str_eq(t->redeemed_by_user_id, cx->actor.user_id) &&
	    !(admin_may_read && ctx_is_admin(cx)))
		return TR_FORBIDDEN;
	return TR_OK;
}
