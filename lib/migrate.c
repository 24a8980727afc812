/* migrate.c: see migrate.h. */
#include <stdio.h>

#include "db.h"
#include "migrate.h"

int
migrate_apply(sqlite3 *db, const struct migration *m, size_t n, int *from,
    int *to)
{
	size_t i;
	char set[64], *err = NULL;

	*from = *to = db_user_version(db);
	if (*from < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (m[i].version <= *to)
			continue;
		if (db_begin(db) != DB_OK)
			return -1;
		if (sqlite3_exec(db, m[i].sql, NULL, NULL, &err) != SQLITE_OK) {
			fprintf(stderr, "ltc: ERROR migrate: %s failed: %s\n",
			    m[i].name, err != NULL ? err : "?");
			sqlite3_free(err);
			db_rollback(db);
			return -1;
		}
		snprintf(set, sizeof(set), "PRAGMA user_version = %d",
		    m[i].version);
		if (sqlite3_exec(db, set, NULL, NULL, NULL) != SQLITE_OK ||
		    db_commit(db) != DB_OK) {
			db_rollback(db);
			return -1;
		}
		*to = m[i].version;
	}
	return 0;
}
