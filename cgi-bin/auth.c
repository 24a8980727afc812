/*
 * auth: the /api/auth routes (api.md 3). Thin handlers: the 422 checks and
 * the answers live here, the flows in lib/domain/signin.c, the stores in
 * lib/store/. Every auth route is open to moderators. The pre-session
 * POSTs have no session and therefore only the Origin/Referer check
 * (PF_CSRF_ORIGIN). verify, logout and consent write in the route's
 * transaction; request, register, login and password hash or mail and
 * run their atomic parts themselves (signin.h).
 */
#include <stdint.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "domain/email.h"
#include "domain/password.h"
#include "domain/signin.h"
#include "http/app.h"
#include "http/cookie.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/acceptance.h"
#include "store/session.h"

#define CODE_MESSAGE \
	"Wenn die E-Mail-Adresse g\xc3\xbcltig ist, wurde ein Code gesendet."

/*
 * Secrets of the request (passwords, codes) are wiped from the body,
 * from jansson's copies and from the validated arena copies once used.
 */
static void
wipe_secrets(struct req *r, const char *const *vals, size_t nvals)
{
	static const char *const keys[] = { "password", "current_password",
	    "new_password", "otp", NULL };
	size_t i;

	for (i = 0; r->json != NULL && keys[i] != NULL; i++) {
		json_t *v = json_object_get(r->json, keys[i]);

		if (json_is_string(v))
			explicit_bzero((char *)json_string_value(v),
			    json_string_length(v));
	}
	for (i = 0; i < nvals; i++)
		if (vals[i] != NULL)
			explicit_bzero((char *)vals[i], strlen(vals[i]));
	if (r->body != NULL)
		explicit_bzero(r->body, r->body_len);
}

static void
answer_error(struct req *r, enum auth_result res, int64_t retry_after)
{
	/* A denial (400, 429) has recorded counts and audit rows: they stay. */
	if (res == AR_INVALID || res == AR_EXPIRED || res == AR_LOCKED ||
	    res == AR_RATE_LIMIT)
		req_keep_writes(r);
	switch (res) {
	case AR_OK:
		break;
	case AR_INVALID:
		resp_detail(r, 400, "INVALID");
		break;
	case AR_EXPIRED:
		resp_detail(r, 400, "EXPIRED");
		break;
	case AR_LOCKED:
		resp_rate_limited(r, "LOCKED", retry_after);
		break;
	case AR_RATE_LIMIT:
		resp_rate_limited(r, "RATE_LIMIT", retry_after);
		break;
	case AR_BUSY:
		resp_detail(r, 503, "busy");
		resp_header(r, "Retry-After", "1");
		r->resp.err = "db_busy";
		break;
	case AR_DB:
		resp_db_error(r);
		break;
	case AR_ERROR:
		resp_internal(r, "internal");
		break;
	}
}

/* The e-mail field: 3..320 code points after trimming; normalised. */
static const char *
email_field(struct req *r, json_t *b, bool plausible)
{
	const char *e = v_str(r, b, "body", "email", V_REQ | V_TRIM,
	    EMAIL_MIN, EMAIL_MAX);

	if (e == NULL)
		return NULL;
	e = email_normalise(&r->cx.arena, e);
	if (plausible && !email_plausible(e)) {
		v_add(r, "value_error", "body", "email",
		    "Value error, value is not a valid email address");
		return NULL;
	}
	return e;
}

static void
session_answer(struct req *r, struct auth_session *s)
{
	resp_json(r, 200, auth_session_json(s));
	session_cookie(r, s->token);
	explicit_bzero(s, sizeof(*s));
}

/* POST /request and /register: the same answer for every address. */
static void
code_route(struct req *r, bool reg)
{
	json_t *b = v_body_object(r), *j;
	const char *email, *pw = NULL;
	struct code_answer ca;
	enum auth_result res;

	email = email_field(r, b, true);
	if (reg)
		pw = v_str(r, b, "body", "password", V_REQ | V_BYTES, PW_MIN,
		    PW_MAX);
	if (v_done(r)) {
		wipe_secrets(r, NULL, 0);
		return;
	}
	res = auth_request_code(&r->cx, email, pw, &ca);
	wipe_secrets(r, &pw, 1);
	if (res != AR_OK) {
		answer_error(r, res, 0);
		return;
	}
	j = json_object();
	json_object_set_new(j, "ok", json_true());
	json_object_set_new(j, "challenge_id", json_string(ca.challenge_id));
	json_object_set_new(j, "message", json_string(CODE_MESSAGE));
	json_object_set_new(j, "dev_otp", ca.dev_otp[0] != '\0' ?
	    json_string(ca.dev_otp) : json_null());
	explicit_bzero(&ca, sizeof(ca));
	resp_json(r, 200, j);
}

static void
post_request(struct req *r)
{
	code_route(r, false);
}

static void
post_register(struct req *r)
{
	code_route(r, true);
}

static void
post_verify(struct req *r)
{
	json_t *b = v_body_object(r);
	const char *email, *cid, *otp;
	struct auth_session s;
	enum auth_result res;
	int64_t retry = 0;

	email = email_field(r, b, false);
	cid = v_str(r, b, "body", "challenge_id", V_REQ, 8, 80);
	otp = v_str(r, b, "body", "otp", V_REQ, 4, 12);
	if (v_done(r)) {
		wipe_secrets(r, NULL, 0);
		return;
	}
	res = auth_verify(&r->cx, email, cid, otp, &s, &retry);
	wipe_secrets(r, &otp, 1);
	if (res != AR_OK) {
		explicit_bzero(&s, sizeof(s));
		answer_error(r, res, retry);
		return;
	}
	session_answer(r, &s);
}

static void
post_login(struct req *r)
{
	json_t *b = v_body_object(r);
	const char *email, *pw;
	struct auth_session s;
	enum auth_result res;
	int64_t retry = 0;

	email = email_field(r, b, false);
	pw = v_str(r, b, "body", "password", V_REQ | V_BYTES, 1, PW_MAX);
	if (v_done(r)) {
		wipe_secrets(r, NULL, 0);
		return;
	}
	res = auth_login(&r->cx, email, pw, &s, &retry);
	wipe_secrets(r, &pw, 1);
	if (res != AR_OK) {
		explicit_bzero(&s, sizeof(s));
		answer_error(r, res, retry);
		return;
	}
	session_answer(r, &s);
}

static void
post_password(struct req *r)
{
	json_t *b = v_body_object(r);
	const char *npw, *cpw, *cid, *otp;
	enum auth_result res;
	int64_t retry = 0;

	npw = v_str(r, b, "body", "new_password", V_REQ | V_BYTES, PW_MIN,
	    PW_MAX);
	cpw = v_str(r, b, "body", "current_password", V_BYTES, 1, PW_MAX);
	cid = v_str(r, b, "body", "challenge_id", 0, 8, 80);
	otp = v_str(r, b, "body", "otp", 0, 4, 12);
	if (b != NULL && !v_present(b, "current_password") &&
	    !(v_present(b, "challenge_id") && v_present(b, "otp")))
		v_add(r, "value_error", "body", NULL, "Value error, give "
		    "current_password, or challenge_id and otp");
	if (v_done(r)) {
		wipe_secrets(r, NULL, 0);
		return;
	}
	res = auth_password_change(&r->cx, npw, cpw, cid, otp, &retry);
	wipe_secrets(r, (const char *[]){ npw, cpw, otp }, 3);
	if (res != AR_OK) {
		answer_error(r, res, retry);
		return;
	}
	resp_ok(r);
}

static void
get_me(struct req *r)
{
	const struct actor *a = &r->cx.actor;
	bool dev = a->kind == AUTH_DEV;
	json_t *j = json_object();
	char csrf[B64URL_HMAC_LEN], exp[TS_API_LEN];

	json_object_set_new(j, "user_id", json_string(a->user_id));
	json_object_set_new(j, "role", json_string(a->role_name));
	json_object_set_new(j, "status", json_string(dev ? "active" :
	    a->status));
	json_object_set_new(j, "email_verified",
	    json_boolean(!dev && a->email_verified));
	json_object_set_new(j, "has_password",
	    json_boolean(!dev && a->has_password));
	json_object_set_new(j, "auth", json_string(dev ? "dev" :
	    a->kind == AUTH_BEARER ? "bearer" : "cookie"));
	if (dev) {
		json_object_set_new(j, "csrf_token", json_null());
		json_object_set_new(j, "session_expires_at", json_null());
	} else {
		csrf_token(a->session_id, csrf);
		ts_api(a->session_expires, exp);
		json_object_set_new(j, "csrf_token", json_string(csrf));
		json_object_set_new(j, "session_expires_at", json_string(exp));
	}
	resp_json(r, 200, j);
}

static void
post_logout(struct req *r)
{
	enum auth_result res = auth_logout(&r->cx);

	if (res != AR_OK) {
		answer_error(r, res, 0);
		return;
	}
	resp_ok(r);
	session_cookie(r, NULL);
}

static void
get_consent(struct req *r)
{
	const char *version, *at, *source;
	json_t *j;
	int c;

	if ((c = acceptance_complete(r->cx.db, r->cx.actor.user_id)) < 0 ||
	    acceptance_latest_terms(&r->cx, r->cx.actor.user_id, &version, &at,
	    &source) < 0) {
		resp_db_error(r);
		return;
	}
	j = json_object();
	json_object_set_new(j, "required_version",
	    json_string(acceptance_required_version(&r->cx.arena)));
	json_object_set_new(j, "has_required", json_boolean(c == 1));
	json_object_set_new(j, "latest_version", version != NULL ?
	    json_string(version) : json_null());
	json_object_set_new(j, "latest_accepted_at", ts_json(at));
	json_object_set_new(j, "latest_source", source != NULL ?
	    json_string(source) : json_null());
	resp_json(r, 200, j);
}

/* true, a non-zero number or a non-empty string. */
static bool
truthy(json_t *v)
{
	if (json_is_true(v))
		return true;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0.0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	return false;
}

static void
post_consent(struct req *r)
{
	json_t *b = v_body_object(r), *j;
	const char *source, *version;
	char ts[TS_API_LEN];

	source = v_str(r, b, "body", "source", 0, 0, SIZE_MAX);
	if (v_done(r))
		return;
	version = acceptance_required_version(&r->cx.arena);
	if (!truthy(json_object_get(b, "agb")) ||
	    !truthy(json_object_get(b, "datenschutz"))) {
		j = json_object();
		json_object_set_new(j, "code", json_string("consent_required"));
		json_object_set_new(j, "consent_version", json_string(version));
		resp_detail_obj(r, 400, j);
		return;
	}
	if (!acceptance_record_current(&r->cx, str_eq(source, "api") ? "api" :
	    "ui")) {
		resp_db_error(r);
		return;
	}
	ts_api(r->cx.now, ts);
	j = json_object();
	json_object_set_new(j, "ok", json_true());
	json_object_set_new(j, "consent_version", json_string(version));
	json_object_set_new(j, "accepted_at", json_string(ts));
	resp_json(r, 200, j);
}

static const struct route routes[] = {
	{ "POST", "/request", POLICY_PRESESSION, post_request },
	{ "POST", "/verify", POLICY_PRESESSION_W, post_verify },
	{ "POST", "/register", POLICY_PRESESSION, post_register },
	{ "POST", "/login", POLICY_PRESESSION, post_login },
	{ "POST", "/password", POLICY_ANY, post_password },
	{ "GET", "/me", POLICY_ANY, get_me },
	{ "POST", "/logout", POLICY_ANY_LOGOUT, post_logout },
	{ "GET", "/consent", POLICY_ANY_LEGACY, get_consent },
	{ "POST", "/consent", POLICY_ANY_LEGACY_W, post_consent },
};

APP_MAIN("auth", routes, NULL)
