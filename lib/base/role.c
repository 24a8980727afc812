/* role.c: see role.h. */
#include <string.h>

#include "base/role.h"

static const char *const role_names[] = {
	[ROLE_NONE] = "anonymous",
	[ROLE_PUBLIC] = "public",
	[ROLE_USER] = "user",
	[ROLE_VIP] = "vip",
	[ROLE_DEALER] = "dealer",
	[ROLE_MODERATOR] = "moderator",
	[ROLE_ADMIN] = "admin",
	[ROLE_SUPERADMIN] = "superadmin",
	[ROLE_OTHER] = "other",
};

const char *
role_name(enum role r)
{
	if ((unsigned)r > ROLE_OTHER)
		r = ROLE_OTHER;
	return role_names[r];
}

enum role
role_parse(const char *s)
{
	int i;

	if (s == NULL)
		return ROLE_NONE;
	for (i = ROLE_PUBLIC; i <= ROLE_SUPERADMIN; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_OTHER;
}

bool
role_assignable(const char *s)
{
	enum role r = role_parse(s);

	return r != ROLE_NONE && r != ROLE_OTHER;
}

bool
role_is_admin(enum role r)
{
	return r == ROLE_ADMIN || r == ROLE_SUPERADMIN;
}
