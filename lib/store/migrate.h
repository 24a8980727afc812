/*
 * migrate.h: schema migrations tracked in PRAGMA user_version. Each file
 * schema/NNNN_name.sql runs in its own transaction, which also sets
 * user_version to NNNN, so a failed migration leaves the old version.
 */
#ifndef LTC_MIGRATE_H
#define LTC_MIGRATE_H

#include "store/db.h"

#include <stddef.h>


struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

/* Embedded by the build (bin/embed-schema.sh), ordered by version. */
extern const struct migration migrations[];
extern const size_t nmigrations;

/* Applies every migration above the current version; -1 on failure. */
int	 migrate_apply(struct db *, const struct migration *, size_t n,
	    int *from, int *to);

#endif
