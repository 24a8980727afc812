/*
 * rowjson.h: query rows as JSON objects, driven by a column table.
 *
 * A table names, for column k of the SELECT, the member key and how the
 * value reads; a NULL key ends it:
 *
 *	static const struct col_json cols[] = {
 *		{ "id", col_text }, { "km", col_int },
 *		{ "created_at", col_ts }, { NULL } };
 *	a = rows_json(cx->db, cols, true, "SELECT id, km, created_at "
 *	    "FROM ... WHERE vehicle_id = ?", "s", vid);
 *
 * Members come in table order. A column marked COL_FULL is shown only
 * in the full view (the exports' full variant), one marked COL_REDACTED
 * only in the other.
 */
#ifndef LTC_ROWJSON_H
#define LTC_ROWJSON_H

#include <stdbool.h>

#include <jansson.h>

#include "store/db.h"

typedef json_t *(*col_conv)(struct db_stmt *, int);

#define COL_FULL	0x01
#define COL_REDACTED	0x02

struct col_json {
	const char	*key;
	col_conv	 conv;
	unsigned	 flags;
};

json_t	*col_text(struct db_stmt *, int);	/* string, or null */
json_t	*col_int(struct db_stmt *, int);	/* integer */
json_t	*col_int_null(struct db_stmt *, int);	/* integer, or null */
json_t	*col_bool(struct db_stmt *, int);	/* non-zero integer */
json_t	*col_ts(struct db_stmt *, int);		/* stored time as API time */
json_t	*col_array(struct db_stmt *, int);	/* stored JSON array; [] */

/* The current row as an object. */
json_t	*row_json(struct db_stmt *, const struct col_json *, bool full);
/* Every row of a prepared statement (NULL allowed, finalized here) as an
 * array; NULL on a database error. */
json_t	*stmt_rows_json(struct db_stmt *, const struct col_json *, bool full);
/* Prepare, bind and read every row: stmt_rows_json(db_prep(...)). */
json_t	*rows_json(struct db *, const struct col_json *, bool full,
	    const char *sql, const char *types, ...);

/*
 * Member lists of one object, each the rows of a query taking one text
 * parameter (the object's id): o[key] = rows of sql, in table order, up
 * to a NULL key. False on a database error (o keeps what was set).
 */
struct row_list {
	const char		*key;
	const struct col_json	*cols;
	const char		*sql;
};

bool	 rows_json_lists(struct db *, json_t *o, const struct row_list *,
	    bool full, const char *id);

#endif
