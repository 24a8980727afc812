/* migrate.c: see migrate.h. */
#include <stdio.h>

#include "store/db.h"
#include "store/migrate.h"

int
migrate_apply(struct db *db, const struct migration *m, size_t n, int *from,
    int *to)
{
	size_t i;

	*from = *to = db_user_version(db);
	if (*from < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (m[i].version <= *to)
			continue;
		if (db_begin(db) != DB_OK)
			return -1;
		if (db_script(db, m[i].sql) != DB_OK) {
			fprintf(stderr, "ltc: ERROR migrate: %s failed\n",
			    m[i].name);
			db_rollback(db);
			return -1;
		}
		if (db_set_user_version(db, m[i].version) != DB_OK ||
		    db_commit(db) != DB_OK) {
			db_rollback(db);
			return -1;
		}
		*to = m[i].version;
	}
	return 0;
}
