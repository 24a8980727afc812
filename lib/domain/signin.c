/* signin.c: see signin.h. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/role.h"
#include "domain/account.h"
#include "domain/email.h"
#include "domain/mail.h"
#include "domain/password.h"
#include "domain/signin.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/ratelimit.h"
#include "store/session.h"
#include "store/user.h"

_Static_assert(USER_HASH_LEN == PW_MCF_LEN && CHALLENGE_HASH_LEN == PW_MCF_LEN,
    "stored hashes are MCF strings");

static const char *
rl_key(struct ctx *cx, const char *kind, const char *id)
{
	return arena_printf(&cx->arena, "rl:%s:%s", kind, id);
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
ev(struct ctx *cx, const char *action, const char *target, const char *result,
    const char *reason, json_t *meta)
{
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "USER", .target_id = target, .result = result,
	    .reason = reason, .meta = meta });
}

/* What a failed step of a db_atomic() unit returns: never DB_OK. */
static enum db_status
failed(struct db *db)
{
	enum db_status s = db_status(db);

	return s != DB_OK ? s : DB_ERROR;
}

static enum auth_result
pw_result(enum pw_result pw)
{
	return pw == PW_BUSY ? AR_BUSY : AR_ERROR;
}

/* Seconds from now until t, rounded up; at least 1. */
static int64_t
secs_until(struct ctx *cx, int64_t t)
{
	int64_t left = t - cx->now;

	return left <= 0 ? 1 : (left + US_PER_SEC - 1) / US_PER_SEC;
}

/* ---- /auth/request, /auth/register ------------------------------------ */

/*
 * The steps every address takes. Known, unknown and disabled addresses
 * run the same HMACs, the same two transactions (the disabled one writes
 * its challenge and removes it again), compose the same mail and write
 * one audit row after it, so the time taken does not single out disabled
 * accounts (only a mail_command's own run for a real delivery remains).
 */
struct code_flow {
	struct ctx	*cx;
	const char	*purpose;
	char		 h[B64URL_HMAC_LEN];
	bool		 limited;
	int		 found;
	bool		 disabled;
	struct user	 u;
	struct challenge ch;
	char		 otp[OTP_LEN];
};

static const char *
code_target(const struct code_flow *f)
{
	return f->found ? f->u.user_id : NULL;
}

/* One transaction: the silent limits, then the account. */
static enum db_status
code_limits(struct db *db, void *arg)
{
	struct code_flow *f = arg;
	struct ctx *cx = f->cx;
	enum rl_result rl;

	rl = rl_hit(cx, rl_key(cx, "req:email", f->h),
	    cfg.rl_request_email_limit, cfg.rl_auth_window_seconds, NULL);
	if (rl == RL_ALLOWED)
		rl = rl_hit(cx, rl_key(cx, "req:ip", cx->ip_hmac),
		    cfg.rl_request_ip_limit, cfg.rl_auth_window_seconds, NULL);
	if (rl == RL_ERROR)
		return failed(db);
	if (rl == RL_LIMITED) {
		f->limited = true;
		return ev(cx, "AUTH_CHALLENGE_CREATED", NULL, "denied",
		    "RATE_LIMIT", meta_str("purpose", f->purpose)) ? DB_OK :
		    failed(db);
	}
	if ((f->found = user_find_by_hmac(cx, f->h, &f->u)) < 0)
		return failed(db);
	f->disabled = f->found && !user_active(&f->u);
	return DB_OK;
}

/*
 * One transaction: the challenge and its audit row. For a disabled
 * account the challenge is written and removed again: the same pages
 * written, nothing left (api.md 3 stores none for it).
 */
static enum db_status
code_store(struct db *db, void *arg)
{
	struct code_flow *f = arg;

	if (!challenge_insert(db, &f->ch))
		return failed(db);
	if (f->disabled)
		return challenge_delete(db, f->ch.id) ? DB_OK : failed(db);
	return ev(f->cx, "AUTH_CHALLENGE_CREATED", code_target(f), NULL, NULL,
	    meta_str("purpose", f->purpose)) ? DB_OK : failed(db);
}

enum auth_result
auth_request_code(struct ctx *cx, const char *email, const char *password,
    struct code_answer *out)
{
	struct code_flow f = { .cx = cx,
	    .purpose = password != NULL ? "register" : "login" };
	char hash[PW_MCF_LEN] = "";
	enum auth_result res = AR_OK;
	enum pw_result pw;
	bool delivered;

	memset(out, 0, sizeof(*out));
	email_hmac(email, f.h);
	/* Rate limits come before any lookup or hashing, and stay silent. */
	if (db_atomic(cx->db, code_limits, &f) != DB_OK) {
		res = AR_DB;
		goto out;
	}
	if (f.limited) {
		/* A fresh id that is never stored: the answer looks normal. */
		if (!uuid4(out->challenge_id))
			res = AR_ERROR;
		goto out;
	}
	/* Register hashes for disabled accounts too. */
	if (password != NULL && (pw = password_hash(password, hash)) != PW_OK) {
		res = pw_result(pw);
		goto out;
	}
	if (!challenge_prepare(&f.ch, cx->now, f.h, f.purpose,
	    password != NULL ? hash : NULL, f.otp)) {
		res = AR_ERROR;
		goto out;
	}
	if (db_atomic(cx->db, code_store, &f) != DB_OK) {
		res = AR_DB;
		goto out;
	}
	memcpy(out->challenge_id, f.ch.id, sizeof(out->challenge_id));

	/* After the commit; a failed delivery never changes the answer. */
	if (f.disabled) {
		mail_dry_run(email, f.purpose, f.otp, f.ch.id, cx->now);
		if (!ev(cx, "AUTH_CHALLENGE_CREATED", code_target(&f), "denied",
		    "ACCOUNT_DISABLED", meta_str("purpose", f.purpose)))
			res = AR_DB;
		goto out;
	}
	delivered = mail_send_code(email, f.purpose, f.otp, f.ch.id, cx->now);
	ev(cx, delivered ? "AUTH_CHALLENGE_DELIVERED" :
	    "AUTH_CHALLENGE_DELIVERY_FAILED", code_target(&f),
	    delivered ? NULL : "error", NULL, meta_str("purpose", f.purpose));
	if (cfg.expose_otp)
		memcpy(out->dev_otp, f.otp, sizeof(f.otp));
out:
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(&f, sizeof(f));
	return res;
}

/* ---- sessions ----------------------------------------------------------- */

/*
 * In the caller's transaction: revoke the session the request came with
 * (rotation), open the new one, audit SESSION_CREATED.
 */
static bool
open_session(struct ctx *cx, const char *user_id, const char *role,
    const char *method, struct auth_session *s)
{
	if (cx->actor.session_id[0] != '\0') {
		if (!session_revoke(cx, cx->actor.session_id, "rotation"))
			return false;
		if (db_changes(cx->db) == 1 &&
		    !ev(cx, "SESSION_REVOKED", cx->actor.user_id, NULL, NULL,
		    meta_str("revoke_reason", "rotation")))
			return false;
	}
	memset(s, 0, sizeof(*s));
	if (!session_create(cx, user_id, method, s->token, s->session_id,
	    &s->expires))
		return false;
	snprintf(s->user_id, sizeof(s->user_id), "%s", user_id);
	snprintf(s->role, sizeof(s->role), "%s", role);
	return ev(cx, "SESSION_CREATED", user_id, NULL, NULL,
	    meta_str("method", method));
}

/* Bootstrap rule (domain.md 1.5); updates role when it applies. */
static bool
bootstrap(struct ctx *cx, const char *user_id, const char *email,
    char *role, size_t rolelen)
{
	int rc = account_bootstrap(cx, user_id, email);

	if (rc < 0)
		return false;
	if (rc == 0)
		return true;
	snprintf(role, rolelen, "%s", role_name(ROLE_SUPERADMIN));
	return audit(cx, &(struct audit_ev){ .action = "BOOTSTRAP_SUPERADMIN",
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
check_code(struct ctx *cx, struct challenge *ch, const char *h,
    const char *otp, int64_t *retry_after, bool *db_err)
{
	*db_err = false;
	if (!ct_streq(ch->email_hmac, h) || ch->used)
		return AR_INVALID;
	if (cx->now > ch->expires)
		return AR_EXPIRED;
	if (ch->attempts >= cfg.otp_max_attempts) {
		*retry_after = secs_until(cx, ch->expires);
		return AR_LOCKED;
	}
	if (!challenge_otp_ok(ch, otp)) {
		if (!challenge_fail(cx->db, cx->now, ch->id))
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

/* AUTH_CHALLENGE_FAILED for a denial; res, or AR_DB. */
static enum auth_result
code_denied(struct ctx *cx, enum auth_result res, const char *target,
    const struct challenge *ch)
{
	if (!ev(cx, "AUTH_CHALLENGE_FAILED", target, "denied", reason_of(res),
	    ch != NULL ? meta_int("attempts", ch->attempts) : NULL))
		return AR_DB;
	return res;
}

enum auth_result
auth_verify(struct ctx *cx, const char *email, const char *cid,
    const char *otp, struct auth_session *s, int64_t *retry_after)
{
	char h[B64URL_HMAC_LEN], uid[UUID_LEN], role[16];
	const char *target = NULL, *via = NULL;
	struct challenge ch;
	struct user u;
	enum auth_result res;
	enum rl_result rl;
	int found = 0, have;
	bool db_err;

	memset(&u, 0, sizeof(u));
	snprintf(role, sizeof(role), "%s", role_name(ROLE_USER));
	rl = rl_hit(cx, rl_key(cx, "verify:ip", cx->ip_hmac),
	    cfg.rl_verify_ip_limit, cfg.rl_auth_window_seconds, retry_after);
	if (rl == RL_ERROR)
		return AR_DB;
	if (rl == RL_LIMITED)
		return ev(cx, "AUTH_CHALLENGE_FAILED", NULL, "denied",
		    "RATE_LIMIT", NULL) ? AR_RATE_LIMIT : AR_DB;

	email_hmac(email, h);
	if ((have = challenge_find(cx->db, cid, &ch)) < 0)
		return AR_DB;
	if ((found = user_find_by_hmac(cx, h, &u)) < 0)
		goto dberr;
	if (found) {
		target = u.user_id;
		snprintf(role, sizeof(role), "%s", u.role);
	}
	if (!have) {
		res = code_denied(cx, AR_INVALID, target, NULL);
		goto out;
	}
	res = check_code(cx, &ch, h, otp, retry_after, &db_err);
	if (db_err)
		goto dberr;
	if (res == AR_OK && found && !user_active(&u)) {
		/* Step 8: the code was right, the account is disabled. */
		if (!challenge_use(cx->db, cx->now, ch.id))
			goto dberr;
		res = AR_INVALID;
	}
	if (res != AR_OK) {
		res = code_denied(cx, res, target, &ch);
		goto out;
	}

	/* The route's BEGIN IMMEDIATE holds since the read: still unused. */
	if (!challenge_use(cx->db, cx->now, ch.id))
		goto dberr;
	if (!found) {
		if (!account_create(cx, email, role_name(ROLE_USER), NULL, uid))
			goto dberr;
	} else {
		snprintf(uid, sizeof(uid), "%s", u.user_id);
		if (u.email_verified_at == NULL && !user_set_verified(cx, uid))
			goto dberr;
	}
	if (strcmp(ch.purpose, "register") == 0 && ch.pending_hash[0] != '\0') {
		bool reset = found && u.has_password;

		if (!user_set_password(cx, uid, ch.pending_hash))
			goto dberr;
		/* A reset through a register code ends every session. */
		if (reset && !session_revoke_user(cx, uid, "password_reset",
		    NULL))
			goto dberr;
		via = reset ? "reset" : "register";
	}
	if (!bootstrap(cx, uid, email, role, sizeof(role)))
		goto dberr;
	if (!ev(cx, "AUTH_CHALLENGE_VERIFIED", uid, NULL, NULL,
	    meta_str("purpose", ch.purpose)))
		goto dberr;
	if (via != NULL && !ev(cx, "PASSWORD_SET", uid, NULL, NULL,
	    meta_str("via", via)))
		goto dberr;
	if (!open_session(cx, uid, role, "otp", s))
		goto dberr;
	res = AR_OK;
	goto out;
dberr:
	res = AR_DB;
out:
	explicit_bzero(&ch, sizeof(ch));
	explicit_bzero(&u, sizeof(u));
	return res;
}

/* ---- failure counters of /auth/login and /auth/password ----------------- */

struct fail_gate {
	struct ctx	*cx;
	const char	*ekey;		/* rl:login:email:<email_hmac> */
	const char	*ikey;		/* rl:login:ip:<ip_hmac> */
	int64_t		*retry_after;
	bool		 limited;
	/* login only: the account by address, read in the same transaction */
	const char	*lookup_hmac;
	struct user	*u;
	int		 found;
};

/*
 * One transaction before any scrypt work (domain.md 16): refused when
 * either counter is full (audit AUTH_LOGIN_FAILED RATE_LIMIT); otherwise
 * both count the attempt as a failure right away, and a proof that
 * succeeds takes the counts back. Concurrent attempts thus never pass
 * the limit together.
 */
static enum db_status
fail_gate(struct db *db, void *arg)
{
	struct fail_gate *g = arg;
	struct ctx *cx = g->cx;
	int64_t w = cfg.rl_auth_window_seconds;
	enum rl_result rl;

	rl = rl_check(cx, g->ekey, cfg.rl_login_fail_limit, w, g->retry_after);
	if (rl == RL_ALLOWED)
		rl = rl_check(cx, g->ikey, cfg.rl_login_fail_limit, w,
		    g->retry_after);
	if (rl == RL_ERROR)
		return failed(db);
	if (rl == RL_LIMITED) {
		g->limited = true;
		return ev(cx, "AUTH_LOGIN_FAILED", NULL, "denied", "RATE_LIMIT",
		    NULL) ? DB_OK : failed(db);
	}
	if (!rl_count(cx, g->ekey, w) || !rl_count(cx, g->ikey, w))
		return failed(db);
	if (g->lookup_hmac != NULL &&
	    (g->found = user_find_by_hmac(cx, g->lookup_hmac, g->u)) < 0)
		return failed(db);
	return DB_OK;
}

/* Both counts taken back, in the caller's transaction. */
static bool
uncount(struct fail_gate *g)
{
	return rl_uncount(g->cx, g->ekey, cfg.rl_auth_window_seconds) &&
	    rl_uncount(g->cx, g->ikey, cfg.rl_auth_window_seconds);
}

static enum db_status
fail_undo(struct db *db, void *arg)
{
	return uncount(arg) ? DB_OK : failed(db);
}

/* No proof was judged (no scrypt slot, an error): the counts go back. */
static enum auth_result
not_judged(struct fail_gate *g, enum auth_result res)
{
	return db_atomic(g->cx->db, fail_undo, g) == DB_OK ? res : AR_DB;
}

/* A wrong password: the counts stay, the denial is audited. */
static enum auth_result
login_denied(struct ctx *cx, const char *target)
{
	return ev(cx, "AUTH_LOGIN_FAILED", target, "denied", "INVALID",
	    NULL) ? AR_INVALID : AR_DB;
}

/* ---- /auth/login -------------------------------------------------------- */

struct login_finish {
	struct fail_gate *g;
	const struct user *u;		/* as read before scrypt */
	const char	*email;
	const char	*rehash;	/* "" = keep the stored hash */
	struct auth_session *s;
	enum auth_result res;
};

/* After a matching password, one transaction: the session. */
static enum db_status
login_finish(struct db *db, void *arg)
{
	struct login_finish *f = arg;
	struct ctx *cx = f->g->cx;
	const char *uid = f->u->user_id;
	struct user now;
	char role[16];
	bool same;
	int again;

	/* The account may have changed while scrypt ran. */
	if ((again = user_find_by_id(cx, uid, &now)) < 0)
		return failed(db);
	same = again && user_active(&now) && now.has_password &&
	    strcmp(now.password_hash, f->u->password_hash) == 0;
	snprintf(role, sizeof(role), "%s", now.role);
	explicit_bzero(&now, sizeof(now));
	if (!same) {
		f->res = login_denied(cx, uid);
		return f->res == AR_DB ? failed(db) : DB_OK;
	}
	/* A success: the address's counter goes, the IP's count comes back. */
	if (!rl_delete(cx, f->g->ekey) ||
	    !rl_uncount(cx, f->g->ikey, cfg.rl_auth_window_seconds))
		return failed(db);
	if (f->rehash[0] != '\0' &&
	    !user_rehash_password(cx, uid, f->rehash))
		return failed(db);
	if (!bootstrap(cx, uid, f->email, role, sizeof(role)) ||
	    !open_session(cx, uid, role, "password", f->s))
		return failed(db);
	f->res = AR_OK;
	return DB_OK;
}

enum auth_result
auth_login(struct ctx *cx, const char *email, const char *password,
    struct auth_session *s, int64_t *retry_after)
{
	char h[B64URL_HMAC_LEN], rehash[PW_MCF_LEN] = "";
	struct user u;
	struct fail_gate g = { .cx = cx, .retry_after = retry_after,
	    .lookup_hmac = h, .u = &u };
	struct login_finish f;
	enum auth_result res;
	enum pw_result pw;
	bool usable;

	memset(&u, 0, sizeof(u));
	email_hmac(email, h);
	g.ekey = rl_key(cx, "login:email", h);
	g.ikey = rl_key(cx, "login:ip", cx->ip_hmac);
	/* Check and count before scrypt; no write lock while it runs. */
	if (db_atomic(cx->db, fail_gate, &g) != DB_OK)
		return AR_DB;
	if (g.limited)
		return AR_RATE_LIMIT;

	usable = g.found && user_active(&u) && u.email_verified_at != NULL &&
	    u.has_password;
	/* Unknown or unusable accounts cost one dummy verification too. */
	pw = password_verify(usable ? u.password_hash : NULL, password);
	if (pw == PW_BUSY || pw == PW_ERROR) {
		res = not_judged(&g, pw_result(pw));
		goto out;
	}
	if (pw != PW_OK) {
		res = login_denied(cx, g.found ? u.user_id : NULL);
		goto out;
	}
	/* Best effort: no slot or an error keeps the old hash. */
	if (password_weaker(u.password_hash) &&
	    password_hash(password, rehash) != PW_OK)
		rehash[0] = '\0';
	f = (struct login_finish){ .g = &g, .u = &u, .email = email,
	    .rehash = rehash, .s = s, .res = AR_DB };
	res = db_atomic(cx->db, login_finish, &f) == DB_OK ? f.res : AR_DB;
out:
	explicit_bzero(rehash, sizeof(rehash));
	explicit_bzero(&u, sizeof(u));
	return res;
}

/* ---- /auth/password ----------------------------------------------------- */

struct code_proof {
	struct ctx	*cx;
	const struct user *u;
	const char	*cid;
	const char	*otp;
	int64_t		*retry_after;
	enum auth_result res;
};

/*
 * One transaction: a fresh login code of the actor's own address. A
 * wrong one is counted on the challenge and audited; a good one is
 * consumed only together with the new password.
 */
static enum db_status
code_proof(struct db *db, void *arg)
{
	struct code_proof *c = arg;
	struct challenge ch;
	bool db_err = false;
	int have;

	if ((have = challenge_find(db, c->cid, &ch)) < 0)
		return failed(db);
	if (!have || strcmp(ch.purpose, "login") != 0)
		c->res = AR_INVALID;
	else
		c->res = check_code(c->cx, &ch, c->u->email_hmac, c->otp,
		    c->retry_after, &db_err);
	if (!db_err && c->res != AR_OK)
		c->res = code_denied(c->cx, c->res, c->u->user_id,
		    have ? &ch : NULL);
	explicit_bzero(&ch, sizeof(ch));
	return db_err || c->res == AR_DB ? failed(db) : DB_OK;
}

struct password_set {
	struct fail_gate *g;
	const char	*user_id;
	const char	*hash;
	const char	*cid;		/* code proof, or NULL */
	enum auth_result res;
};

static enum db_status
password_set(struct db *db, void *arg)
{
	struct password_set *p = arg;
	struct ctx *cx = p->g->cx;

	/* The code may have been used by a parallel request meanwhile. */
	if (p->cid != NULL && !challenge_use(db, cx->now, p->cid)) {
		if (db_status(db) != DB_OK || !uncount(p->g))
			return failed(db);
		p->res = AR_INVALID;
		return DB_OK;
	}
	if (!user_set_password(cx, p->user_id, p->hash) ||
	    !session_revoke_user(cx, p->user_id, "password_change",
	    cx->actor.session_id) ||
	    !ev(cx, "PASSWORD_SET", p->user_id, NULL, NULL,
	    meta_str("via", "change")) ||
	    !uncount(p->g))
		return failed(db);
	p->res = AR_OK;
	return DB_OK;
}

enum auth_result
auth_password_change(struct ctx *cx, const char *new_pw, const char *cur_pw,
    const char *cid, const char *otp, int64_t *retry_after)
{
	char hash[PW_MCF_LEN] = "";
	struct fail_gate g = { .cx = cx, .retry_after = retry_after };
	struct password_set p;
	struct code_proof c;
	enum auth_result res;
	enum pw_result pw;
	struct user u;
	int found;

	/* A dev-header actor has no stored account. */
	if (cx->actor.kind != AUTH_BEARER && cx->actor.kind != AUTH_COOKIE)
		return AR_INVALID;
	if ((found = user_find_by_id(cx, cx->actor.user_id, &u)) < 0)
		return AR_DB;
	if (!found)
		return AR_INVALID;
	g.ekey = rl_key(cx, "login:email", u.email_hmac);
	g.ikey = rl_key(cx, "login:ip", cx->ip_hmac);
	/* Check and count before scrypt; no write lock while it runs. */
	if (db_atomic(cx->db, fail_gate, &g) != DB_OK) {
		res = AR_DB;
		goto out;
	}
	if (g.limited) {
		res = AR_RATE_LIMIT;
		goto out;
	}

	if (cur_pw != NULL) {
		pw = password_verify(u.has_password ? u.password_hash : NULL,
		    cur_pw);
		if (pw == PW_BUSY || pw == PW_ERROR) {
			res = not_judged(&g, pw_result(pw));
			goto out;
		}
		if (pw != PW_OK) {
			res = login_denied(cx, u.user_id);
			goto out;
		}
	} else {
		c = (struct code_proof){ .cx = cx, .u = &u, .cid = cid,
		    .otp = otp, .retry_after = retry_after, .res = AR_DB };
		if (db_atomic(cx->db, code_proof, &c) != DB_OK) {
			res = AR_DB;
			goto out;
		}
		if ((res = c.res) != AR_OK)
			goto out;
	}

	if ((pw = password_hash(new_pw, hash)) != PW_OK) {
		res = not_judged(&g, pw_result(pw));
		goto out;
	}
	p = (struct password_set){ .g = &g, .user_id = u.user_id, .hash = hash,
	    .cid = cur_pw == NULL ? cid : NULL, .res = AR_DB };
	res = db_atomic(cx->db, password_set, &p) == DB_OK ? p.res : AR_DB;
out:
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(&u, sizeof(u));
	return res;
}

/* ---- /auth/logout ------------------------------------------------------- */

enum auth_result
auth_logout(struct ctx *cx)
{
	if (cx->actor.session_id[0] == '\0')
		return AR_OK;
	if (!session_revoke(cx, cx->actor.session_id, "logout") ||
	    !ev(cx, "SESSION_REVOKED", cx->actor.user_id, NULL, NULL,
	    meta_str("revoke_reason", "logout")))
		return AR_DB;
	return AR_OK;
}
