/*
 * sale: /api/sale/transfer/... (api.md 12), the vip/dealer family of the
 * vehicle handover. Transfers made here carry kind "sale"; admins are
 * refused on every route, status included. The handlers are shared
 * with cgi-bin/transfer (shared/transfer_routes.c); only this table
 * differs.
 */
#include "http/app.h"
#include "shared/transfer_routes.h"

static const struct route routes[] = {
	{ "POST", "/transfer/create", POLICY_SALE_CONSENT_W,
	    transfer_h_create_sale },
	{ "POST", "/transfer/redeem", POLICY_SALE_CONSENT_W,
	    transfer_h_redeem },
	{ "POST", "/transfer/cancel", POLICY_SALE_CONSENT_W,
	    transfer_h_cancel },
	{ "POST", "/transfer/extend", POLICY_SALE_CONSENT_W,
	    transfer_h_extend },
	{ "GET", "/transfer/status/{transfer_id}", POLICY_SALE_CONSENT_W,
	    transfer_h_status_sale },
};

APP_MAIN("sale", routes, NULL)
