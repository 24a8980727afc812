/*
 * transfer: /api/transfer/... (api.md 12), the vehicle handover for every
 * owner role. Transfers made here carry kind "owner"; admins may read
 * the status of any transfer. The handlers are shared with cgi-bin/sale
 * (shared/transfer_routes.c); only this table differs. Every route
 * writes: the status read may expire a transfer.
 */
#include "http/app.h"
#include "shared/transfer_routes.h"

static const struct route routes[] = {
	{ "POST", "/create", POLICY_OWN_CONSENT_W, transfer_h_create_owner },
	{ "POST", "/redeem", POLICY_OWN_CONSENT_W, transfer_h_redeem },
	{ "POST", "/cancel", POLICY_OWN_CONSENT_W, transfer_h_cancel },
	{ "POST", "/extend", POLICY_OWN_CONSENT_W, transfer_h_extend },
	{ "GET", "/status/{transfer_id}", POLICY_OWN_CONSENT_W,
	    transfer_h_status_owner },
};

APP_MAIN("transfer", routes, NULL)
