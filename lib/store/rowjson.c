/* rowjson.c: see rowjson.h. */
#include <stdarg.h>

#include "base/clock.h"
#include "store/rowjson.h"

json_t *
col_text(struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);

	return s != NULL ? json_string(s) : json_null();
}

json_t *
col_int(struct db_stmt *st, int i)
{
	return json_integer(db_int(st, i));
}

json_t *
col_int_null(struct db_stmt *st, int i)
{
	return db_isnull(st, i) ? json_null() : json_integer(db_int(st, i));
}

json_t *
col_bool(struct db_stmt *st, int i)
{
	return json_boolean(db_int(st, i) != 0);
}

json_t *
col_ts(struct db_stmt *st, int i)
{
	return ts_json(db_text(st, i));
}

json_t *
col_array(struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	json_t *a = s != NULL ? json_loads(s, 0, NULL) : NULL;

	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	return a;
}

json_t *
row_json(struct db_stmt *st, const struct col_json *cols, bool full)
{
	json_t *o = json_object();
	int k;

	for (k = 0; cols[k].key != NULL; k++)
		if (!(cols[k].flags & (full ? COL_REDACTED : COL_FULL)))
			json_object_set_new(o, cols[k].key, cols[k].conv(st, k));
	return o;
}

json_t *
stmt_rows_json(struct db_stmt *st, const struct col_json *cols, bool full)
{
	json_t *a;
	int rc;

	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1)
		json_array_append_new(a, row_json(st, cols, full));
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *
rows_json(struct db *db, const struct col_json *cols, bool full,
    const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = db_vprep(db, sql, types, ap);
	va_end(ap);
	return stmt_rows_json(st, cols, full);
}

bool
rows_json_lists(struct db *db, json_t *o, const struct row_list *l,
    bool full, const char *id)
{
	json_t *a;

	for (; l->key != NULL; l++) {
		if ((a = rows_json(db, l->cols, full, l->sql, "s", id)) == NULL)
			return false;
		json_object_set_new(o, l->key, a);
	}
	return true;
}
