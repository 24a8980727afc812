/* signin.c: see signin.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "domain/signin.h"
#include "base/clock.h"
#include "base/config.h"
#include "store/db.h"
#include "domain/email.h"
#include "domain/mail.h"
#include "domain/password.h"
#include "store/ratelimit.h"
#include "store/session.h"
#include "store/user.h"

static const char *
rl_key(struct req *r, const char *kind, const char *id)
{
	return arena_printf(&r->cx.arena, "rl:%s:%s", kind, id);
}

static json_t *
meta_str(const char *key, const char *value)
{
	json_t *m = json_object();

	json_object_set_new(m, key, json_string(value));
	return m;
}

static json_t *
meta_int(const char *key, int64_t value)
{
	json_t *m = json_object();

	json_object_set_new(m, key, json_integer((json_int_t)value));
	return m;
}

/* One USER audit row; meta is stolen. */
static bool
ev(struct req *r, const char *action, const char *target, const char *result,
    const char *reason, json_t *meta)
{
	return audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "USER", .target_id = target, .result = result,
	    .reason = reason, .meta = meta });
}

/* Commits; AR_DB when that fails. */
static enum auth_result
commit(struct req *r, enum auth_result res)
{
	return db_commit(r->cx.db) == DB_OK ? res : AR_DB;
}

static enum auth_result
fail_db(struct req *r)
{
	db_rollback(r->cx.db);
	return AR_DB;
}

static enum auth_result
pw_result(enum pw_result pw)
{
	return pw == PW_BUSY ? AR_BUSY : AR_ERROR;
}

/* Seconds from now until t, rounded up; at least 1. */
static int64_t
secs_until(struct req *r, int64_t t)
{
	int64_t left = t - r->cx.now;

	return left <= 0 ? 1 : (left + US_PER_SEC - 1) / US_PER_SEC;
}

/* ---- /auth/request, /auth/register ------------------------------------ */

enum auth_result
auth_request_code(struct req *r, const char *email, const char *password,
    struct code_answer *out)
{
	const char *purpose = password != NULL ? "register" : "login";
	char h[B64URL_HMAC_LEN], ip[B64URL_HMAC_LEN], otp[OTP_LEN];
	char hash[PW_MCF_LEN] = "";
	const char *target = NULL;
	enum rl_result rl;
	enum pw_result pw;
	struct user u;
	bool delivered;
	int found;

	memset(out, 0, sizeof(*out));
	email_hmac(email, h);
	req_ip_hmac(r, ip);

	/* Rate limits come before any lookup or hashing, and stay silent. */
	rl = rl_hit(r, rl_key(r, "req:email", h), cfg.rl_request_email_limit,
	    cfg.rl_auth_window_seconds, NULL);
	if (rl == RL_ALLOWED)
		rl = rl_hit(r, rl_key(r, "req:ip", ip), cfg.rl_request_ip_limit,
		    cfg.rl_auth_window_seconds, NULL);
	if (rl == RL_ERROR)
		return AR_DB;
	if (rl == RL_LIMITED) {
		/* A fresh id that is never stored: the answer looks normal. */
		if (!uuid4(out->challenge_id))
			return AR_ERROR;
		return ev(r, "AUTH_CHALLENGE_CREATED", NULL, "denied",
		    "RATE_LIMIT", meta_str("purpose", purpose)) ? AR_OK : AR_DB;
	}

	if ((found = user_find_by_hmac(r->cx.db, h, &u)) < 0)
		return AR_DB;
	if (found)
		target = arena_strdup(&r->cx.arena, u.user_id);
	/*
	 * Register hashes even for a disabled account, so that the time
	 * taken does not single disabled accounts out either.
	 */
	if (password != NULL) {
		pw = password_hash(password, hash);
		if (pw != PW_OK) {
			if (found)
				user_free(&u);
			return pw_result(pw);
		}
	}
	if (found && !user_active(&u)) {
		user_free(&u);
		explicit_bzero(hash, sizeof(hash));
		if (!uuid4(out->challenge_id))
			return AR_ERROR;
		return ev(r, "AUTH_CHALLENGE_CREATED", target, "denied",
		    "ACCOUNT_DISABLED", meta_str("purpose", purpose)) ?
		    AR_OK : AR_DB;
	}
	if (found)
		user_free(&u);

	if (db_begin(r->cx.db) != DB_OK) {
		explicit_bzero(hash, sizeof(hash));
		return AR_DB;
	}
	if (!challenge_create(r->cx.db, r->cx.now, h, purpose,
	    password != NULL ? hash : NULL, out->challenge_id, otp)) {
		explicit_bzero(hash, sizeof(hash));
		return fail_db(r);
	}
	explicit_bzero(hash, sizeof(hash));
	if (!ev(r, "AUTH_CHALLENGE_CREATED", target, NULL, NULL,
	    meta_str("purpose", purpose)))
		return fail_db(r);
	if (db_commit(r->cx.db) != DB_OK) {
		explicit_bzero(otp, sizeof(otp));
		return AR_DB;
	}

	/* After the commit; a failed delivery never changes the answer. */
	delivered = mail_send_code(email, purpose, otp, out->challenge_id,
	    r->cx.now);
	ev(r, delivered ? "AUTH_CHALLENGE_DELIVERED" :
	    "AUTH_CHALLENGE_DELIVERY_FAILED", target,
	    delivered ? NULL : "error", NULL, meta_str("purpose", purpose));
	if (cfg.expose_otp)
		memcpy(out->dev_otp, otp, sizeof(otp));
	explicit_bzero(otp, sizeof(otp));
	return AR_OK;
}

/* ---- sessions ----------------------------------------------------------- */

/*
 * Inside the login transaction: revoke the session the request came
 * with (rotation), open the new one, audit SESSION_CREATED.
 */
static bool
open_session(struct req *r, const char *user_id, const char *role,
    const char *method, struct auth_session *s)
{
	if (r->cx.actor.session_id[0] != '\0') {
		if (!session_revoke(r, r->cx.actor.session_id, "rotation"))
			return false;
		if (db_changes(r->cx.db) == 1 &&
		    !ev(r, "SESSION_REVOKED", r->cx.actor.user_id, NULL, NULL,
		    meta_str("revoke_reason", "rotation")))
			return false;
	}
	memset(s, 0, sizeof(*s));
	if (!session_create(r, user_id, method, s->token, s->session_id,
	    &s->expires))
		return false;
	snprintf(s->user_id, sizeof(s->user_id), "%s", user_id);
	snprintf(s->role, sizeof(s->role), "%s", role);
	return ev(r, "SESSION_CREATED", user_id, NULL, NULL,
	    meta_str("method", method));
}

/* Bootstrap rule (domain.md 1.5); updates role when it applies. */
static bool
bootstrap(struct req *r, const char *user_id, const char *email,
    char *role, size_t rolelen)
{
	int rc = user_bootstrap(r->cx.db, r->cx.now, user_id, email);

	if (rc < 0)
		return false;
	if (rc == 0)
		return true;
	snprintf(role, rolelen, "superadmin");
	return audit(&r->cx, &(struct audit_ev){ .action = "BOOTSTRAP_SUPERADMIN",
	    .target_type = "USER", .target_id = user_id,
	    .actor_type = "system" });
}

json_t *
auth_session_json(const struct auth_session *s)
{
	json_t *j = json_object();
	char exp[TS_API_LEN], csrf[B64URL_HMAC_LEN];

	ts_api(s->expires, exp);
	csrf_token(s->session_id, csrf);
	json_object_set_new(j, "access_token", json_string(s->token));
	json_object_set_new(j, "token_type", json_string("bearer"));
	json_object_set_new(j, "expires_at", json_string(exp));
	json_object_set_new(j, "csrf_token", json_string(csrf));
	json_object_set_new(j, "user_id", json_string(s->user_id));
	json_object_set_new(j, "role", json_string(s->role));
	return j;
}

/* ---- /auth/verify ------------------------------------------------------- */

/*
 * The checks of api.md 3 steps 4-7 on a loaded challenge, in order.
 * Counts a wrong code. AR_OK when the code is good.
 */
static enum auth_result
check_code(struct req *r, struct challenge *ch, const char *h,
    const char *otp, int64_t *retry_after, bool *db_err)
{
	*db_err = false;
	if (!ct_streq(ch->email_hmac, h) || ch->used)
		return AR_INVALID;
	if (r->cx.now > ch->expires)
		return AR_EXPIRED;
	if (ch->attempts >= cfg.otp_max_attempts) {
		*retry_after = secs_until(r, ch->expires);
		return AR_LOCKED;
	}
	if (!challenge_otp_ok(ch, otp)) {
		if (!challenge_fail(r->cx.db, r->cx.now, ch->id))
			*db_err = true;
		ch->attempts++;
		return AR_INVALID;
	}
	return AR_OK;
}

static const char *
reason_of(enum auth_result res)
{
	switch (res) {
	case AR_EXPIRED:
		return "EXPIRED";
	case AR_LOCKED:
		return "LOCKED";
	case AR_RATE_LIMIT:
		return "RATE_LIMIT";
	default:
		return "INVALID";
	}
}

/* AUTH_CHALLENGE_FAILED for a denial, committed with the denial. */
static enum auth_result
code_denied(struct req *r, enum auth_result res, const char *target,
    const struct challenge *ch)
{
	if (!ev(r, "AUTH_CHALLENGE_FAILED", target, "denied", reason_of(res),
	    ch != NULL ? meta_int("attempts", ch->attempts) : NULL))
		return fail_db(r);
	return commit(r, res);
}

enum auth_result
auth_verify(struct req *r, const char *email, const char *cid,
    const char *otp, struct auth_session *s, int64_t *retry_after)
{
	char h[B64URL_HMAC_LEN], ip[B64URL_HMAC_LEN], uid[UUID_LEN];
	char role[16] = "user";
	const char *target = NULL, *via = NULL;
	struct challenge ch;
	struct user u;
	enum auth_result res;
	enum rl_result rl;
	int found, have;
	bool db_err;

	req_ip_hmac(r, ip);
	rl = rl_hit(r, rl_key(r, "verify:ip", ip), cfg.rl_verify_ip_limit,
	    cfg.rl_auth_window_seconds, retry_after);
	if (rl == RL_ERROR)
		return AR_DB;
	if (rl == RL_LIMITED)
		return ev(r, "AUTH_CHALLENGE_FAILED", NULL, "denied",
		    "RATE_LIMIT", NULL) ? AR_RATE_LIMIT : AR_DB;

	email_hmac(email, h);
	if (db_begin(r->cx.db) != DB_OK)
		return AR_DB;
	if ((have = challenge_find(r->cx.db, cid, &ch)) < 0)
		return fail_db(r);
	if ((found = user_find_by_hmac(r->cx.db, h, &u)) < 0) {
		challenge_free(&ch);
		return fail_db(r);
	}
	if (found) {
		target = arena_strdup(&r->cx.arena, u.user_id);
		snprintf(role, sizeof(role), "%s", u.role);
	}
	if (!have) {
		res = code_denied(r, AR_INVALID, target, NULL);
		goto out;
	}
	res = check_code(r, &ch, h, otp, retry_after, &db_err);
	if (db_err) {
		res = fail_db(r);
		goto out;
	}
	if (res == AR_OK && found && !user_active(&u)) {
		/* Step 8: the code was right, the account is disabled. */
		if (!challenge_use(r->cx.db, r->cx.now, ch.id)) {
			res = fail_db(r);
			goto out;
		}
		res = AR_INVALID;
	}
	if (res != AR_OK) {
		res = code_denied(r, res, target, &ch);
		goto out;
	}

	if (!challenge_use(r->cx.db, r->cx.now, ch.id))
		goto dberr;
	if (!found) {
		if (!user_create(r->cx.db, r->cx.now, email, "user", NULL, uid))
			goto dberr;
		target = arena_strdup(&r->cx.arena, uid);
	} else {
		snprintf(uid, sizeof(uid), "%s", u.user_id);
		if (u.email_verified_at == NULL &&
		    !user_set_verified(r->cx.db, r->cx.now, uid))
			goto dberr;
	}
	if (strcmp(ch.purpose, "register") == 0 && ch.pending_hash != NULL) {
		bool reset = found && u.password_hash != NULL;

		if (!user_set_password(r->cx.db, r->cx.now, uid, ch.pending_hash))
			goto dberr;
		/* A reset through a register code ends every session. */
		if (reset && !session_revoke_user(r->cx.db, r->cx.now, uid,
		    "password_reset", NULL))
			goto dberr;
		via = reset ? "reset" : "register";
	}
	if (!bootstrap(r, uid, email, role, sizeof(role)))
		goto dberr;
	if (!ev(r, "AUTH_CHALLENGE_VERIFIED", uid, NULL, NULL,
	    meta_str("purpose", ch.purpose)))
		goto dberr;
	if (via != NULL && !ev(r, "PASSWORD_SET", uid, NULL, NULL,
	    meta_str("via", via)))
		goto dberr;
	if (!open_session(r, uid, role, "otp", s))
		goto dberr;
	res = commit(r, AR_OK);
	goto out;
dberr:
	res = fail_db(r);
out:
	challenge_free(&ch);
	if (found)
		user_free(&u);
	return res;
}

/* ---- /auth/login -------------------------------------------------------- */

/* Counts one failed proof on both login counters. */
static bool
count_failure(struct req *r, const char *email_key, const char *ip_key)
{
	return rl_count(r, email_key, cfg.rl_auth_window_seconds) &&
	    rl_count(r, ip_key, cfg.rl_auth_window_seconds);
}

/* 429 RATE_LIMIT when either failure counter is full (no increment). */
static enum auth_result
login_limited(struct req *r, const char *email_key, const char *ip_key,
    int64_t *retry_after)
{
	enum rl_result rl;

	rl = rl_check(r, email_key, cfg.rl_login_fail_limit,
	    cfg.rl_auth_window_seconds, retry_after);
	if (rl == RL_ALLOWED)
		rl = rl_check(r, ip_key, cfg.rl_login_fail_limit,
		    cfg.rl_auth_window_seconds, retry_after);
	if (rl == RL_ERROR)
		return AR_DB;
	if (rl == RL_ALLOWED)
		return AR_OK;
	return ev(r, "AUTH_LOGIN_FAILED", NULL, "denied", "RATE_LIMIT",
	    NULL) ? AR_RATE_LIMIT : AR_DB;
}

/* A wrong password: both counters and the audit row in one commit. */
static enum auth_result
login_denied(struct req *r, const char *target, const char *email_key,
    const char *ip_key)
{
	if (db_begin(r->cx.db) != DB_OK)
		return AR_DB;
	if (!count_failure(r, email_key, ip_key) ||
	    !ev(r, "AUTH_LOGIN_FAILED", target, "denied", "INVALID", NULL))
		return fail_db(r);
	return commit(r, AR_INVALID);
}

enum auth_result
auth_login(struct req *r, const char *email, const char *password,
    struct auth_session *s, int64_t *retry_after)
{
	char h[B64URL_HMAC_LEN], ip[B64URL_HMAC_LEN], role[16];
	char rehash[PW_MCF_LEN] = "";
	const char *ekey, *ikey, *target = NULL;
	enum auth_result res;
	enum pw_result pw;
	struct user u, now_u;
	bool usable;
	int found, again;

	email_hmac(email, h);
	req_ip_hmac(r, ip);
	ekey = rl_key(r, "login:email", h);
	ikey = rl_key(r, "login:ip", ip);
	if ((res = login_limited(r, ekey, ikey, retry_after)) != AR_OK)
		return res;

	if ((found = user_find_by_hmac(r->cx.db, h, &u)) < 0)
		return AR_DB;
	usable = found && user_active(&u) && u.email_verified_at != NULL &&
	    u.password_hash != NULL;
	if (found)
		target = arena_strdup(&r->cx.arena, u.user_id);
	/* Unknown or unusable accounts cost one dummy verification too. */
	pw = password_verify(usable ? u.password_hash : NULL, password);
	if (pw == PW_BUSY || pw == PW_ERROR) {
		res = pw_result(pw);
		goto out;
	}
	if (pw != PW_OK) {
		res = login_denied(r, target, ekey, ikey);
		goto out;
	}
	if (password_weaker(u.password_hash)) {
		/* Best effort: no slot or an error keeps the old hash. */
		if (password_hash(password, rehash) != PW_OK)
			rehash[0] = '\0';
	}

	if (db_begin(r->cx.db) != DB_OK) {
		res = AR_DB;
		goto out;
	}
	/* The account may have changed while scrypt ran. */
	if ((again = user_find_by_id(r->cx.db, u.user_id, &now_u)) < 0) {
		res = fail_db(r);
		goto out;
	}
	if (!again || !user_active(&now_u) || now_u.password_hash == NULL ||
	    strcmp(now_u.password_hash, u.password_hash) != 0) {
		if (again)
			user_free(&now_u);
		db_rollback(r->cx.db);
		res = login_denied(r, target, ekey, ikey);
		goto out;
	}
	snprintf(role, sizeof(role), "%s", now_u.role);
	user_free(&now_u);
	if (!rl_delete(r, ekey))
		goto dberr;
	if (rehash[0] != '\0' &&
	    !user_rehash_password(r->cx.db, r->cx.now, u.user_id, rehash))
		goto dberr;
	if (!bootstrap(r, u.user_id, email, role, sizeof(role)))
		goto dberr;
	if (!open_session(r, u.user_id, role, "password", s))
		goto dberr;
	res = commit(r, AR_OK);
	goto out;
dberr:
	res = fail_db(r);
out:
	explicit_bzero(rehash, sizeof(rehash));
	if (found)
		user_free(&u);
	return res;
}

/* ---- /auth/password ----------------------------------------------------- */

/* Code proof: a fresh login code of the actor's own address. */
static enum auth_result
code_proof(struct req *r, const struct user *u, const char *cid,
    const char *otp, const char *ekey, const char *ikey, int64_t *retry_after)
{
	struct challenge ch;
	enum auth_result res;
	bool db_err = false;
	int have;

	if (db_begin(r->cx.db) != DB_OK)
		return AR_DB;
	if ((have = challenge_find(r->cx.db, cid, &ch)) < 0)
		return fail_db(r);
	if (!have)
		res = AR_INVALID;
	else if (strcmp(ch.purpose, "login") != 0)
		res = AR_INVALID;
	else
		res = check_code(r, &ch, u->email_hmac, otp, retry_after,
		    &db_err);
	if (db_err) {
		challenge_free(&ch);
		return fail_db(r);
	}
	if (res == AR_OK) {
		/* Consumed only together with the new password. */
		challenge_free(&ch);
		db_rollback(r->cx.db);
		return AR_OK;
	}
	if (!count_failure(r, ekey, ikey)) {
		challenge_free(&ch);
		return fail_db(r);
	}
	res = code_denied(r, res, u->user_id, have ? &ch : NULL);
	challenge_free(&ch);
	return res;
}

enum auth_result
auth_password_change(struct req *r, const char *new_pw, const char *cur_pw,
    const char *cid, const char *otp, int64_t *retry_after)
{
	char ip[B64URL_HMAC_LEN], hash[PW_MCF_LEN] = "";
	const char *ekey, *ikey;
	enum auth_result res;
	enum pw_result pw;
	struct user u;
	int found;

	/* A dev-header actor has no stored account. */
	if (r->cx.actor.kind != AUTH_BEARER && r->cx.actor.kind != AUTH_COOKIE)
		return AR_INVALID;
	if ((found = user_find_by_id(r->cx.db, r->cx.actor.user_id, &u)) < 0)
		return AR_DB;
	if (!found)
		return AR_INVALID;
	req_ip_hmac(r, ip);
	ekey = rl_key(r, "login:email", u.email_hmac);
	ikey = rl_key(r, "login:ip", ip);
	if ((res = login_limited(r, ekey, ikey, retry_after)) != AR_OK)
		goto out;

	if (cur_pw != NULL) {
		pw = password_verify(u.password_hash, cur_pw);
		if (pw == PW_BUSY || pw == PW_ERROR) {
			res = pw_result(pw);
			goto out;
		}
		if (pw != PW_OK) {
			res = login_denied(r, u.user_id, ekey, ikey);
			goto out;
		}
	} else if ((res = code_proof(r, &u, cid, otp, ekey, ikey,
	    retry_after)) != AR_OK)
		goto out;

	if ((pw = password_hash(new_pw, hash)) != PW_OK) {
		res = pw_result(pw);
		goto out;
	}
	if (db_begin(r->cx.db) != DB_OK) {
		res = AR_DB;
		goto out;
	}
	/* The code may have been used by a parallel request meanwhile. */
	if (cur_pw == NULL && !challenge_use(r->cx.db, r->cx.now, cid)) {
		enum db_status st = db_status(r->cx.db);

		db_rollback(r->cx.db);
		res = st == DB_OK ? AR_INVALID : AR_DB;
		goto out;
	}
	if (!user_set_password(r->cx.db, r->cx.now, u.user_id, hash) ||
	    !session_revoke_user(r->cx.db, r->cx.now, u.user_id, "password_change",
	    r->cx.actor.session_id) ||
	    !ev(r, "PASSWORD_SET", u.user_id, NULL, NULL,
	    meta_str("via", "change"))) {
		res = fail_db(r);
		goto out;
	}
	res = commit(r, AR_OK);
out:
	explicit_bzero(hash, sizeof(hash));
	user_free(&u);
	return res;
}

/* ---- /auth/logout ------------------------------------------------------- */

enum auth_result
auth_logout(struct req *r)
{
	if (r->cx.actor.session_id[0] == '\0')
		return AR_OK;
	if (db_begin(r->cx.db) != DB_OK)
		return AR_DB;
	if (!session_revoke(r, r->cx.actor.session_id, "logout") ||
	    !ev(r, "SESSION_REVOKED", r->cx.actor.user_id, NULL, NULL,
	    meta_str("revoke_reason", "logout")))
		return fail_db(r);
	return commit(r, AR_OK);
}
