/* exports.c: see exports.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "store/exports.h"

static const char *const kind_names[] = { "vehicle", "user", "servicebook",
    "masterclipboard" };

const char *
export_kind_name(enum export_kind k)
{
	return kind_names[k];
}

int64_t
export_ttl(enum export_kind k, bool has_requested, int64_t requested,
    int64_t override)
{
	int64_t lo = 30, hi = 3600, def = 300, t;

	if (k == EXPORT_MASTERCLIPBOARD) {
		lo = 60;
		def = 900;
	}
	t = override > 0 ? override : has_requested ? requested : def;
	return t < lo ? lo : t > hi ? hi : t;
}

bool
export_grant_create(struct ctx *cx, enum export_kind k, const char *target,
    int64_t ttl, char token[TOKEN_LEN], int64_t *expires)
{
	char hash[B64URL_HMAC_LEN], created[TS_STORAGE_LEN];

	if (!random_token(token)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	hmac_b64url(token, hash);
	*expires = cx->now + ttl * US_PER_SEC;
	ts_storage(cx->now, created);
	return db_exec(cx->db, "INSERT INTO export_grants (kind, target_id, "
	    "token_hash, created_by_user_id, created_at, expires_at) VALUES "
	    "(?,?,?,?,?,?)", "ssssst", kind_names[k], target, hash,
	    cx->actor.user_id, created, *expires) == DB_OK;
}

enum export_token
export_grant_consume(struct ctx *cx, enum export_kind k, const char *target,
    const char *token)
{
	char hash[B64URL_HMAC_LEN], used[TS_STORAGE_LEN];
	enum export_token res = EXT_INVALID;
	struct db_stmt *st;
	int64_t id = 0, expires;
	int rc;

	hmac_b64url(token, hash);
	st = db_prep(cx->db, "SELECT id, kind, target_id, created_by_user_id, "
	    "expires_at, used_at IS NOT NULL FROM export_grants WHERE "
	    "token_hash = ?", "s", hash);
	if (st == NULL)
		return EXT_ERROR;
	rc = db_step(st);
	if (rc < 0)
		res = EXT_ERROR;
	else if (rc == 1 && str_eq(db_text(st, 1), kind_names[k])) {
		if (!ts_parse(db_text(st, 4), &expires) || cx->now >= expires)
			res = EXT_EXPIRED;
		else if (!str_eq(db_text(st, 2), target))
			res = EXT_TARGET;
		else if (!str_eq(db_text(st, 3), cx->actor.user_id))
			res = EXT_GRANTER;
		else if (db_int(st, 5) != 0)
			res = EXT_USED;
		else {
			id = db_int(st, 0);
			res = EXT_OK;
		}
	}
	db_finalize(st);
	if (res != EXT_OK)
		return res;
	/* One use only: of concurrent requests exactly one changes the row. */
	ts_storage(cx->now, used);
	if (db_exec(cx->db, "UPDATE export_grants SET used_at = ? WHERE id = ? "
	    "AND used_at IS NULL", "si", used, id) != DB_OK)
		return EXT_ERROR;
	return db_changes(cx->db) == 1 ? EXT_OK : EXT_USED;
}

int
export_doc_valid(struct ctx *cx, const char *doc_id)
{
	int64_t n = db_scalar(cx->db, "SELECT count(*) FROM documents WHERE "
	    "id = ? AND approval_status = 'APPROVED' AND scan_status = 'CLEAN' "
	    "AND pii_status = 'OK' AND deleted_at IS NULL", "s", doc_id);

	return n < 0 ? -1 : n > 0;
}
