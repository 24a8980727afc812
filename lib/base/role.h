/*
 * role.h: the one table of roles (README glossary). Every other place
 * that names a role (policies, the route dump, admin validation, ltcctl)
 * takes the name from here.
 */
#ifndef LTC_ROLE_H
#define LTC_ROLE_H

#include <stdbool.h>

enum role {
	ROLE_NONE = 0,		/* anonymous */
	ROLE_PUBLIC,
	ROLE_USER,
	ROLE_VIP,
	ROLE_DEALER,
	ROLE_MODERATOR,
	ROLE_ADMIN,
	ROLE_SUPERADMIN,
	ROLE_OTHER,		/* unknown role string (dev headers) */
};

/* "anonymous", "public", ... "other". */
const char *role_name(enum role);
/* A stored role name; ROLE_OTHER when unknown, ROLE_NONE for NULL. */
enum role role_parse(const char *);
/* One of the seven assignable roles (public .. superadmin). */
bool	 role_assignable(const char *);
bool	 role_is_admin(enum role);	/* admin, superadmin */

#endif
