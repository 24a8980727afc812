/*
 * handover.h: the transfers store (domain.md 12): every statement on the
 * transfers table, each write with its audit row (target type
 * HANDOVER). The rules of a transfer's life are domain/transfer_flow.h;
 * the routes are cgi-bin/shared/transfer_routes.c.
 *
 * Every write runs in the caller's write transaction. Row strings live
 * in the request arena; nothing here is freed by the caller.
 */
#ifndef LTC_HANDOVER_H
#define LTC_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"

struct transfer {
	const char	*transfer_id;
	const char	*kind;		/* "sale" | "owner" */
	const char	*vehicle_id;
	const char	*status;	/* created|redeemed|cancelled|expired */
	const char	*initiator_user_id;
	const char	*initiator_role;
	const char	*created_at;	/* storage format */
	const char	*expires_at;
	const char	*extended_at;	/* NULL unless extended */
	const char	*redeemed_by_user_id;
	const char	*redeemed_by_role;
	const char	*redeemed_at;
	const char	*cancelled_at;
	const char	*expired_at;
	bool		 ownership_transferred;
};

/*
 * The row by transfer_id, or by token_hmac when by_hmac. No expiry is
 * applied. 1 found, 0 not found, -1 db error.
 */
int	 handover_find(struct ctx *, bool by_hmac, const char *key,
	    struct transfer *);
/* The vehicle's open ('created') transfer: 1, 0 none, -1 db error. */
int	 handover_open_of(struct ctx *, const char *vehicle_id,
	    struct transfer *);

/*
 * Has t's expires_at passed (at expires_at itself it has)? Storage
 * timestamps sort lexically, so this is the comparison the expiring
 * UPDATE guards with.
 */
bool	 handover_due(const struct ctx *, const struct transfer *);

/*
 * Expires t if it is still created and due, with TRANSFER_EXPIRED as a
 * rule of the system. False on db error.
 */
bool	 handover_expire(struct ctx *, const struct transfer *);

/* Who cancels, which decides the TRANSFER_CANCELLED row. */
enum handover_cancel {
	HC_INITIATOR,	/* scope own */
	HC_SUPERSEDED,	/* a new transfer replaces it: scope own, superseded */
	HC_SYSTEM,	/* the vehicle vanished under a redeem: actor system */
};

/* Cancels t if it is still created, with its audit row. False on db error. */
bool	 handover_cancel(struct ctx *, const struct transfer *,
	    enum handover_cancel);

/*
 * Cancels every open transfer of the vehicle (its soft delete), one
 * TRANSFER_CANCELLED row each with the given scope. Number cancelled,
 * or -1 on db error.
 */
int64_t	 handover_cancel_vehicle(struct ctx *, const char *vehicle_id,
	    const char *scope);

/*
 * Inserts a created transfer initiated by the actor, expiring at
 * expires (storage format), with TRANSFER_CREATED. False on db error.
 */
bool	 handover_insert(struct ctx *, const char *transfer_id,
	    const char *kind, const char *vehicle_id, const char *token_hmac,
	    const char *expires);

/*
 * The one extension: expires_at = expires, extended_at = now, with
 * TRANSFER_EXTENDED; t is updated. False on db error.
 */
bool	 handover_extend(struct ctx *, struct transfer *, const char *expires);

/*
 * Marks t redeemed by the actor with ownership_transferred, guarded by
 * status 'created' (domain.md 12.3 step 7). 1 done, 0 the guard failed,
 * -1 db error. The TRANSFER_REDEEMED row is the caller's (it carries
 * the counts of the whole move).
 */
int	 handover_mark_redeemed(struct ctx *, const struct transfer *);

/* TransferStatus of api.md 1.2; new reference. */
json_t	*handover_status_json(const struct transfer *);

#endif
