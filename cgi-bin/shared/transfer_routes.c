/*
 * transfer_routes.c: see transfer_routes.h. Reads the bodies (422), runs
 * the flows of domain/transfer_flow.h and maps their results to the
 * answers of api.md 12.
 */
#include <string.h>

#include "base/config.h"
#include "domain/transfer_flow.h"
#include "http/response.h"
#include "http/valid.h"
#include "transfer_routes.h"

#define TTL_MIN		60
#define TTL_MAX		1209600

/*
 * Answers a refusal. keep says whether what the flow wrote before it (a
 * lazy expiry, a denial's audit row, a forced cancel) stays, as
 * domain.md 14.1 wants; a database or internal error and the redeem's
 * failed guard never keep anything.
 */
static void
refuse(struct req *r, enum transfer_status st, bool keep)
{
	static const struct {
		enum transfer_status	 st;
		int			 status;
		const char		*detail;
	} map[] = {
		{ TR_VEHICLE_NOT_FOUND, 404, "not_found" },
		{ TR_NOT_FOUND, 404, "transfer_not_found" },
		{ TR_FORBIDDEN, 403, "forbidden" },
		{ TR_EXPIRED, 410, "transfer_expired" },
		{ TR_NOT_REDEEMABLE, 409, "transfer_not_redeemable" },
		{ TR_SELF_REDEEM, 409, "cannot_redeem_own_transfer" },
		{ TR_VEHICLE_LIMIT, 403, "vehicle_limit_reached" },
		{ TR_NOT_CANCELLABLE, 409, "transfer_not_cancellable" },
		{ TR_NOT_EXTENDABLE, 409, "transfer_not_extendable" },
		{ TR_ALREADY_EXTENDED, 409, "transfer_already_extended" },
	};
	size_t i;

	switch (st) {
	case TR_DB_ERROR:
		resp_db_error(r);
		return;
	case TR_CONFLICT:
		/* Unreachable under BEGIN IMMEDIATE; never half a move. */
		resp_detail(r, 409, "transfer_not_redeemable");
		return;
	default:
		break;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].st == st) {
			if (keep)
				req_keep_writes(r);
			resp_detail(r, map[i].status, map[i].detail);
			return;
		}
	resp_internal(r, "internal");
}

static void
create(struct req *r, const char *kind)
{
	struct transfer_created c;
	enum transfer_status st;
	char expires_api[TS_API_LEN];
	int64_t ttl = cfg.transfer_ttl_seconds;
	const char *vid;
	json_t *body, *o;

	body = v_body_object(r);
	vid = v_str(r, body, "body", "vehicle_id", V_REQ, 1, 128);
	v_int(r, body, "body", "ttl_seconds", 0, TTL_MIN, TTL_MAX, &ttl);
	if (v_done(r))
		return;
	/* Nothing is written before a refusal of create. */
	if ((st = transfer_create(&r->cx, kind, vid, ttl, &c)) != TR_OK) {
		refuse(r, st, false);
		return;
	}
	ts_to_api(c.expires_at, expires_api);
	o = json_object();
	json_object_set_new(o, "transfer_id", json_string(c.transfer_id));
	json_object_set_new(o, "transfer_token", json_string(c.token));
	json_object_set_new(o, "expires_at", json_string(expires_api));
	json_object_set_new(o, "status", json_string("created"));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "vehicle_id", json_string(vid));
	explicit_bzero(c.token, sizeof(c.token));
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

void
transfer_h_redeem(struct req *r)
{
	enum transfer_status st;
	struct transfer t;
	const char *token;
	json_t *body, *o;

	body = v_body_object(r);
	token = v_str(r, body, "body", "transfer_token", V_REQ, 20, 256);
	if (v_done(r))
		return;
	/* One transaction from lookup to ownership move (domain.md 12.3). */
	if ((st = transfer_redeem(&r->cx, token, &t)) != TR_OK) {
		refuse(r, st, true);
		return;
	}
	o = json_object();
	json_object_set_new(o, "transfer_id", json_string(t.transfer_id));
	json_object_set_new(o, "vehicle_id", json_string(t.vehicle_id));
	json_object_set_new(o, "status", json_string("redeemed"));
	json_object_set_new(o, "ownership_transferred", json_true());
	resp_json(r, 200, o);
}

/* The transfer_id of a cancel or extend body; NULL when 422 is answered. */
static const char *
transfer_id_body(struct req *r)
{
	json_t *body = v_body_object(r);
	const char *id;

	id = v_str(r, body, "body", "transfer_id", V_REQ, 1, 64);
	return v_done(r) ? NULL : id;
}

void
transfer_h_cancel(struct req *r)
{
	enum transfer_status st;
	struct transfer t;
	const char *id;
	json_t *o;

	if ((id = transfer_id_body(r)) == NULL)
		return;
	if ((st = transfer_cancel(&r->cx, id, &t)) != TR_OK) {
		refuse(r, st, true);
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
	enum transfer_status st;
	struct transfer t;
	const char *id;

	if ((id = transfer_id_body(r)) == NULL)
		return;
	st = transfer_extend(&r->cx, id, cfg.transfer_ttl_seconds, &t);
	if (st != TR_OK) {
		refuse(r, st, true);
		return;
	}
	resp_json(r, 200, handover_status_json(&t));
}

static void
status(struct req *r, bool admin_may_read)
{
	const char *id = req_param(r, "transfer_id");
	enum transfer_status st;
	struct transfer t;

	if (id == NULL || strlen(id) > PATH_ID_MAX) {
		resp_detail(r, 404, "transfer_not_found");
		return;
	}
	/* A lazy expiry stays even when the reader is refused. */
	if ((st = transfer_read(&r->cx, id, admin_may_read, &t)) != TR_OK) {
		refuse(r, st, true);
		return;
	}
	resp_json(r, 200, handover_status_json(&t));
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
