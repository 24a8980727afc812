/*
 * sale: /api/sale/transfer/... (api.md 12), the vip/dealer family of the
 * vehicle handover. Transfers made here carry kind "sale"; admins are
 * refused on every route, status included. The handlers are shared
 * with cgi-bin/transfer (lib/transfer.c); only this table differs.
 */
#include "http/app.h"
#include "store/transfer.h"

#define SALE	{ R_SALE, "role_not_allowed", PF_CONSENT }

static const struct route routes[] = {
	{ "POST", "/transfer/create", SALE, transfer_h_create_sale },
	{ "POST", "/transfer/redeem", SALE, transfer_h_redeem },
	{ "POST", "/transfer/cancel", SALE, transfer_h_cancel },
	{ "POST", "/transfer/extend", SALE, transfer_h_extend },
	{ "GET", "/transfer/status/{transfer_id}", SALE,
	    transfer_h_status_sale },
};

int
main(void)
{
	return app_run(&(struct app){ "sale", routes, NROUTES(routes), NULL });
}
