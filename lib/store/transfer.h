/*
 * transfer.h: vehicle handover (domain.md 12, api.md 12). One store and
 * one set of handlers serve both path families: cgi-bin/sale
 * (/api/sale/transfer/..., kind "sale") and cgi-bin/transfer
 * (/api/transfer/..., kind "owner"). The two CGIs differ only in their
 * route tables: which roles may call, which create handler (the kind)
 * and which status handler (whether admins may read any transfer).
 *
 * All transfer SQL lives in lib/transfer.c. Row strings live in the
 * request arena; nothing here has to be freed by the caller.
 */
#ifndef LTC_TRANSFER_H
#define LTC_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/request.h"

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
 * Loads the transfer by id (by_token false) or by the HMAC of a raw
 * token (by_token true) and applies lazy expiry (domain.md 12.1): a
 * "created" row past expires_at becomes "expired" with audit
 * TRANSFER_EXPIRED, committed in its own transaction unless the caller
 * has one open. 1 found, 0 not found, -1 database error.
 */
int	 transfer_load(struct req *, bool by_token, const char *key,
	    struct transfer *);

/* TransferStatus of api.md 1.2; new reference. */
json_t	*transfer_status_json(const struct transfer *);

/* Handlers (api.md 12.1-12.5). */
void	 transfer_h_create_sale(struct req *);
void	 transfer_h_create_owner(struct req *);
void	 transfer_h_redeem(struct req *);
void	 transfer_h_cancel(struct req *);
void	 transfer_h_extend(struct req *);
/* Status for initiator or redeemer only (sale family). */
void	 transfer_h_status_sale(struct req *);
/* Status for initiator, redeemer or ADM (owner family). */
void	 transfer_h_status_owner(struct req *);

#endif
