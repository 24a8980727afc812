/* idempotency.c: see idempotency.h. */
#include <string.h>

#include "base/clock.h"
#include "store/idempotency.h"

int
idem_find(struct ctx *cx, const char *route_key, const char *key,
    struct idem_record *rec)
{
	struct db_stmt *st;
	int rc;

	memset(rec, 0, sizeof(*rec));
	st = db_prep(cx->db, "SELECT request_hash, status_code, response_json "
	    "FROM idempotency_records WHERE actor_user_id = ? AND "
	    "route_key = ? AND idem_key = ?", "sss", cx->actor.user_id,
	    route_key, key);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		rec->request_hash = arena_strdup(&cx->arena, db_text(st, 0));
		rec->status = (int)db_int(st, 1);
		rec->response_json = arena_strdup(&cx->arena, db_text(st, 2));
	}
	db_finalize(st);
	return rc;
}

bool
idem_store(struct ctx *cx, const char *route_key, const char *key,
    const char *request_hash, int status, const char *response_json)
{
	return db_exec(cx->db, "INSERT INTO idempotency_records "
	    "(actor_user_id, route_key, idem_key, request_hash, status_code, "
	    "response_json, created_at) VALUES (?,?,?,?,?,?,?)", "ssssdst",
	    cx->actor.user_id, route_key, key, request_hash, status,
	    response_json, cx->now) == DB_OK;
}
