/* stepup.c: see stepup.h. */
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/stepup.h"

const char *const stepup_scopes[] = {
	"role_grant", "moderator_accredit", "vip_business_approve",
	"vip_business_staff", NULL,
};

bool
stepup_scope_known(const char *s)
{
	size_t i;

	for (i = 0; stepup_scopes[i] != NULL; i++)
		if (str_eq(s, stepup_scopes[i]))
			return true;
	return false;
}

bool
stepup_grant(struct db *db, const char *actor_id, const char *scope,
    int64_t now, int64_t ttl, char token[TOKEN_LEN], int64_t *expires)
{
	char id[UUID_LEN], hash[B64URL_HMAC_LEN];
	char created[TS_STORAGE_LEN], exp[TS_STORAGE_LEN];

	if (!random_token(token) || !uuid4(id)) {
		db_fail(db, DB_ERROR);
		return false;
	}
	hmac_b64url(token, hash);
	*expires = now + ttl * US_PER_SEC;
	ts_storage(now, created);
	ts_storage(*expires, exp);
	return db_exec(db, "INSERT INTO step_up_grants (grant_id, "
	    "actor_user_id, scope, token_hash, created_at, expires_at) "
	    "VALUES (?,?,?,?,?,?)", "ssssss", id, actor_id, scope, hash,
	    created, exp) == DB_OK;
}

enum stepup_result
stepup_consume(struct db *db, const char *actor_id, const char *scope,
    const char *token, int64_t now, int64_t *ttl)
{
	char hash[B64URL_HMAC_LEN], used[TS_STORAGE_LEN], grant_id[UUID_LEN] = "";
	struct db_stmt *st;
	int64_t created, expires;
	enum stepup_result res = STEPUP_INVALID;
	int rc;

	if (token == NULL || *token == '\0')
		return STEPUP_MISSING;
	hmac_b64url(token, hash);
	/* Owner and scope are part of the lookup: another admin's token or
	 * another scope is simply "not found", i.e. invalid. */
	st = db_prep(db, "SELECT grant_id, created_at, expires_at FROM "
	    "step_up_grants WHERE token_hash = ? AND actor_user_id = ? AND "
	    "scope = ? AND used_at IS NULL", "sss", hash, actor_id, scope);
	if (st == NULL)
		return STEPUP_ERROR;
	rc = db_step(st);
	if (rc < 0)
		res = STEPUP_ERROR;
	else if (rc == 1 && ts_parse(db_text(st, 1), &created) &&
	    ts_parse(db_text(st, 2), &expires) && now < expires) {
		snprintf(grant_id, sizeof(grant_id), "%s", db_text(st, 0));
		*ttl = (expires - created) / US_PER_SEC;
	}
	db_finalize(st);
	if (grant_id[0] == '\0')
		return res;
	ts_storage(now, used);
	if (db_exec(db, "UPDATE step_up_grants SET used_at = ? WHERE "
	    "grant_id = ? AND used_at IS NULL", "ss", used, grant_id) != DB_OK)
		res = STEPUP_ERROR;
	else
		res = db_changes(db) == 1 ? STEPUP_OK : STEPUP_INVALID;
	return res;
}

enum stepup_result
stepup_use(struct ctx *cx, const char *scope, const char *token)
{
	enum stepup_result res;
	json_t *meta;
	int64_t ttl = 0;

	res = stepup_consume(cx->db, cx->actor.user_id, scope, token, cx->now,
	    &ttl);
	if (res == STEPUP_ERROR)
		return res;
	meta = json_object();
	json_object_set_new(meta, "scope", json_string(scope));
	if (res == STEPUP_OK) {
		json_object_set_new(meta, "ttl_seconds", json_integer(ttl));
		return audit(cx, &(struct audit_ev){
		    .action = "ADMIN_STEP_UP_CONSUMED", .target_type = "USER",
		    .target_id = cx->actor.user_id, .meta = meta }) ?
		    res : STEPUP_ERROR;
	}
	return audit(cx, &(struct audit_ev){ .action = "ADMIN_STEP_UP_FAILED",
	    .target_type = "USER", .target_id = cx->actor.user_id,
	    .result = "denied", .reason = res == STEPUP_MISSING ?
	    "STEP_UP_MISSING" : "STEP_UP_INVALID", .meta = meta }) ?
	    res : STEPUP_ERROR;
}
