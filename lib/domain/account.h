/*
 * account.h: creating accounts and the bootstrap rule (domain.md 1.1,
 * 1.5), for the login flows and ltcctl alike. Here a plain address is
 * sealed into what the user store keeps: its HMAC and its AES-256-GCM
 * ciphertext under AAD "ltc:email:" + user_id.
 */
#ifndef LTC_ACCOUNT_H
#define LTC_ACCOUNT_H

#include <stdbool.h>

#include "base/crypto.h"
#include "store/ctx.h"

/*
 * New verified, active account for the normalised address at cx->now,
 * in the caller's transaction. password_hash may be NULL. Fills id.
 * false on CSPRNG, crypto (db_status() DB_ERROR) or db error.
 */
bool	 account_create(struct ctx *, const char *email, const char *role,
	    const char *password_hash, char id[UUID_LEN]);

/*
 * The bootstrap rule of domain.md 1.5: when bootstrap_superadmin_email
 * is set, equals the normalised address, and no active superadmin
 * exists, makes the account superadmin. 1 applied, 0 not, -1 db error.
 * In the caller's transaction; the caller audits BOOTSTRAP_SUPERADMIN.
 */
int	 account_bootstrap(struct ctx *, const char *user_id,
	    const char *email);

#endif
