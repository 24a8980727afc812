/*
 * transfer_flow.h: the life of a vehicle transfer (domain.md 12, api.md
 * 12): lazy expiry, create, redeem with the ownership move, cancel,
 * extend and the status read, each checking in the order of api.md 12.
 * The rows are store/handover.h; the routes cgi-bin/shared/transfer_routes.c.
 *
 * Every function runs in the request's write transaction. A refusal may
 * follow writes that must stay (a lazy expiry, TRANSFER_REDEEM_FAILED, a
 * cancel forced by a vanished vehicle, domain.md 14.1): the caller keeps
 * them, except after TR_DB_ERROR, TR_INTERNAL and TR_CONFLICT.
 */
#ifndef LTC_TRANSFER_FLOW_H
#define LTC_TRANSFER_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "store/ctx.h"
#include "store/handover.h"

enum transfer_status {
	TR_OK,
	TR_DB_ERROR,		/* db_status() tells */
	TR_INTERNAL,		/* no randomness, an unreadable stored time */
	TR_VEHICLE_NOT_FOUND,	/* create: unknown or deleted vehicle */
	TR_NOT_FOUND,		/* unknown transfer (id or token) */
	TR_FORBIDDEN,		/* not the owner / initiator / a reader */
	TR_EXPIRED,
	TR_NOT_REDEEMABLE,
	TR_SELF_REDEEM,
	TR_VEHICLE_LIMIT,	/* the redeemer's paywall (domain.md 7) */
	TR_NOT_CANCELLABLE,
	TR_NOT_EXTENDABLE,
	TR_ALREADY_EXTENDED,
	TR_CONFLICT,		/* the redeem guard failed: nothing moved */
};

/*
 * Loads the transfer by id, or by a raw token (by_token), and applies
 * lazy expiry (domain.md 12.1): a created row past expires_at becomes
 * expired with TRANSFER_EXPIRED before the caller's rules. TR_OK,
 * TR_NOT_FOUND or TR_DB_ERROR.
 */
enum transfer_status transfer_load(struct ctx *, bool by_token,
	    const char *key, struct transfer *);

struct transfer_created {
	char	 transfer_id[UUID_LEN];
	char	 token[TOKEN_LEN];	/* shown once; the caller wipes it */
	char	 expires_at[TS_STORAGE_LEN];
};

/*
 * A new transfer of kind for the vehicle, made by its owner, living
 * ttl_seconds: the vehicle's open transfer is closed first (expired when
 * due, else cancelled as superseded).
 */
enum transfer_status transfer_create(struct ctx *, const char *kind,
	    const char *vehicle_id, int64_t ttl_seconds,
	    struct transfer_created *out);

/*
 * Redeems the transfer of token for the actor (api.md 12.2): every
 * denial writes TRANSFER_REDEEM_FAILED. On TR_OK the ownership has moved
 * (domain.md 12.3) and t is the transfer as it was found.
 */
enum transfer_status transfer_redeem(struct ctx *, const char *token,
	    struct transfer *t);

/* Cancel by the initiator (api.md 12.3); t is the transfer found. */
enum transfer_status transfer_cancel(struct ctx *, const char *transfer_id,
	    struct transfer *t);

/*
 * The one extension by the initiator (api.md 12.4): expires_at +=
 * ttl_seconds from the current expiry. t is the updated transfer.
 */
enum transfer_status transfer_extend(struct ctx *, const char *transfer_id,
	    int64_t ttl_seconds, struct transfer *t);

/*
 * The status read (api.md 12.5) for the initiator, the redeemer, or an
 * admin when admin_may_read.
 */
enum transfer_status transfer_read(struct ctx *, const char *transfer_id,
	    bool admin_may_read, struct transfer *t);

#endif
