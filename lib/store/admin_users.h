/*
 * admin_users.h: the account queries of the admin routes (api.md 14.1,
 * 14.4, 14.5; domain.md 1.1). All their SQL lives here. Nothing here
 * reads or returns an e-mail address: the lookup goes by email_hmac.
 */
#ifndef LTC_ADMIN_USERS_H
#define LTC_ADMIN_USERS_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/crypto.h"

/* The role strings of domain.md 0.1, NULL-terminated. */
extern const char *const admin_roles[];

/*
 * email_hmac of an address given to GET /api/admin/users?email=: trims,
 * checks plausibility (3..320 printable ASCII, no whitespace, exactly one
 * '@' with non-empty sides), ASCII-lowercases and hashes. False when the
 * value is not a plausible address (the caller answers an empty list).
 */
bool	 admin_email_key(const char *raw, char out[B64URL_HMAC_LEN]);

/*
 * Role and status of user_id. 1 found, 0 unknown, -1 database error.
 * role needs 33 bytes, status 16.
 */
int	 admin_user_get(struct db *, const char *user_id, char role[33],
	    char status[16]);

/* Active superadmins other than except_id (may be NULL); -1 on error. */
int64_t	 admin_superadmins_active(struct db *, const char *except_id);

/* Sets the role (and updated_at); in the caller's transaction. */
bool	 admin_user_set_role(struct db *, const char *user_id, const char *role,
	    int64_t now);

/*
 * The list of api.md 14.1, newest first: user_id, role, status,
 * email_verified, created_at. email_hmac NULL lists everybody. Returns a
 * new array, NULL on database error.
 */
json_t	*admin_user_list(struct db *, const char *email_hmac, int64_t limit,
	    int64_t offset);

#endif
