/*
 * export: /api/export/<kind>/{id}[/grant|/full] (api.md 10, routes 51-62)
 * for the kinds vehicle, user, servicebook and masterclipboard.
 *
 *   GET  /<kind>/{id}         redacted view (owners and admins; consent)
 *   POST /<kind>/{id}/grant   one-time token (superadmin)
 *   GET  /<kind>/{id}/full    the canonical JSON of domain.md 10.3 as a
 *                             Fernet token (superadmin + X-Export-Token)
 *
 * Every route runs in a write transaction: the redacted reads append
 * EXPORT_REDACTED_REQUESTED, the full read consumes its grant. Denials keep
 * their EXPORT_DENIED row although the answer fails. Tokens never reach a
 * log or an audit row; only their HMAC is stored (lib/store/exports.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "domain/canonjson.h"
#include "domain/fernet.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/audit.h"
#include "store/exports.h"
#include "domain/exportview.h"
#include "store/mc.h"
#include "store/sbentries.h"
#include "store/vehicle.h"

#define TOKEN_HEADER	"X-Export-Token"

static enum export_kind
kind_of(const struct req *r)
{
	const char *p = r->route->pattern;

	if (str_prefix(p, "/vehicle/"))
		return EXPORT_VEHICLE;
	if (str_prefix(p, "/user/"))
		return EXPORT_USER;
	if (str_prefix(p, "/servicebook/"))
		return EXPORT_SERVICEBOOK;
	return EXPORT_MASTERCLIPBOARD;
}

/* The {vehicle_id}, {user_id}, ... of the path (the only parameter). */
static const char *
target_of(const struct req *r)
{
	return r->nparams > 0 ? r->pvalues[0] : "";
}

/* The request's "<kind>_id" answer key (vehicle_id, user_id, ...). */
static const char *
id_key(enum export_kind k)
{
	return k == EXPORT_VEHICLE ? "vehicle_id" : k == EXPORT_USER ?
	    "user_id" : k == EXPORT_SERVICEBOOK ? "servicebook_id" : NULL;
}

static bool
audit_export(struct req *r, const char *action, const char *scope,
    const char *result, const char *reason, json_t *meta)
{
	return audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "EXPORT_JOB", .target_id = target_of(r),
	    .scope = scope, .result = result, .reason = reason,
	    .meta = meta });
}

/* A refusal that stays recorded: EXPORT_DENIED, committed, then the answer. */
static void
deny(struct req *r, const char *reason, int status, const char *detail)
{
	if (!audit_export(r, "EXPORT_DENIED", NULL, "denied", reason,
	    json_pack("{s:s}", "kind", export_kind_name(kind_of(r))))) {
		resp_db_error(r);
		return;
	}
	req_keep_writes(r);
	resp_detail(r, status, detail);
}

/* How a refused export token is answered, per enum export_token. */
struct refusal {
	const char	*reason;	/* EXPORT_DENIED reason */
	int		 status;
	const char	*detail;
};

/* The vehicle, user and servicebook full exports: 403 forbidden. */
static const struct refusal full_refusals[] = {
	[EXT_INVALID] = { "TOKEN_INVALID", 403, "forbidden" },
	[EXT_EXPIRED] = { "TOKEN_EXPIRED", 403, "forbidden" },
	[EXT_TARGET] = { "TOKEN_INVALID", 403, "forbidden" },
	[EXT_GRANTER] = { "TOKEN_INVALID", 403, "forbidden" },
	[EXT_USED] = { "TOKEN_USED", 403, "forbidden" },
};

/* The masterclipboard's own details (api.md 10.4). */
static const struct refusal mc_refusals[] = {
	[EXT_INVALID] = { "TOKEN_INVALID", 403, "export_token_invalid" },
	[EXT_EXPIRED] = { "TOKEN_EXPIRED", 403, "export_token_expired" },
	[EXT_TARGET] = { "TOKEN_INVALID", 403,
	    "export_token_target_mismatch" },
	[EXT_GRANTER] = { "TOKEN_INVALID", 403, "export_token_invalid" },
	[EXT_USED] = { "TOKEN_USED", 409, "export_token_already_used" },
};

/* Consumes the token for the path's target; false when answered. */
static bool
token_consumed(struct req *r, enum export_kind k, const char *token,
    const struct refusal *no)
{
	enum export_token t = export_grant_consume(&r->cx, k, target_of(r),
	    token);

	if (t == EXT_OK)
		return true;
	if (t == EXT_ERROR)
		resp_db_error(r);
	else
		deny(r, no[t].reason, no[t].status, no[t].detail);
	return false;
}

static bool
requested(struct req *r, const char *scope)
{
	enum export_kind k = kind_of(r);

	if (audit_export(r, "EXPORT_REDACTED_REQUESTED", scope, NULL, NULL,
	    json_pack("{s:s,s:s}", "kind", export_kind_name(k), "target_id",
	    target_of(r))))
		return true;
	resp_db_error(r);
	return false;
}

static json_t *
now_json(struct req *r)
{
	char api[TS_API_LEN];

	ts_api(r->cx.now, api);
	return json_string(api);
}

/* 1 found, 0 unknown or longer than a path id may be, -1 db error. */
static int
load_vehicle(struct req *r, struct vehicle *v)
{
	const char *id = target_of(r);

	memset(v, 0, sizeof(*v));
	if (strlen(id) > PATH_ID_MAX)
		return 0;
	return vehicle_find(&r->cx, id, v);
}

/* ---- redacted reads ------------------------------------------------------ */

static void
vehicle_redacted(struct req *r)
{
	bool admin = ctx_is_admin(&r->cx), own;
	struct vehicle v;
	json_t *d;
	int rc;

	if ((rc = load_vehicle(r, &v)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0 || (v.deleted_at != NULL && !admin)) {
		resp_detail(r, 404, "not_found");
		return;
	}
	own = str_eq(v.owner_user_id, r->cx.actor.user_id);
	if (!own && !admin) {
		deny(r, "RBAC_DENY", 403, "forbidden");
		return;
	}
	d = export_vehicle(&r->cx, &v, false);
	if (d == NULL) {
		resp_db_error(r);
		return;
	}
	if (!requested(r, own ? "own" : "global")) {
		json_decref(d);
		return;
	}
	resp_json(r, 200, json_pack("{s:o}", "data", d));
}

static void
user_redacted(struct req *r)
{
	const char *uid = target_of(r);
	bool self = str_eq(uid, r->cx.actor.user_id);
	json_t *u;
	int rc = 0;

	/* Non-admins: a foreign id is refused without a lookup. */
	if (!self && !ctx_is_admin(&r->cx)) {
		deny(r, "RBAC_DENY", 403, "forbidden");
		return;
	}
	if (strlen(uid) <= PATH_ID_MAX &&
	    (rc = export_user(&r->cx, uid, false, &u)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		resp_detail(r, 404, "not_found");
		return;
	}
	if (!requested(r, self ? "own" : "global")) {
		json_decref(u);
		return;
	}
	resp_json(r, 200, json_pack("{s:{s:s,s:s,s:b,s:o,s:o}}", "data",
	    "target", "user", "id", uid, "_redacted", 1, "exported_at",
	    now_json(r), "user", u));
}

static void
servicebook_redacted(struct req *r)
{
	const char *sid = target_of(r), *scope;
	json_t *s, *d;
	int64_t n = 0;

	switch (servicebook_access(&r->cx, sid, SB_READ, &scope)) {
	case SB_OK:
		break;
	case SB_NOT_FOUND:
		resp_detail(r, 404, "not_found");
		return;
	case SB_FORBIDDEN:
		deny(r, "RBAC_DENY", 403, "forbidden");
		return;
	case SB_ERROR:
		resp_db_error(r);
		return;
	}
	if ((n = servicebook_count(&r->cx, sid)) < 0) {
		resp_db_error(r);
		return;
	}
	if (n == 0) {
		resp_detail(r, 404, "not_found");
		return;
	}
	if ((s = export_servicebook(&r->cx, sid, false)) == NULL) {
		resp_db_error(r);
		return;
	}
	if (!requested(r, scope)) {
		json_decref(s);
		return;
	}
	d = json_pack("{s:s,s:s,s:b,s:o,s:O}", "target", "servicebook", "id",
	    sid, "_redacted", 1, "exported_at", now_json(r), "servicebook", s);
	/* The same rows again at the top level (api.md 10.3). */
	resp_json(r, 200, json_pack("{s:o,s:s,s:s,s:O}", "data", d, "target",
	    "servicebook", "id", sid, "entries",
	    json_object_get(s, "entries")));
}

static void
masterclipboard_redacted(struct req *r)
{
	const char *sid = target_of(r);
	struct mc_session s;
	bool same;
	json_t *d;
	int rc = 0;

	if (strlen(sid) <= PATH_ID_MAX &&
	    (rc = mc_session_find(&r->cx, sid, &s)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		resp_detail(r, 404, "not_found");
		return;
	}
	same = mc_same_org(&r->cx, &s);
	if (!same && !ctx_is_admin(&r->cx)) {
		deny(r, "RBAC_DENY", 403, "forbidden");
		return;
	}
	if ((d = export_masterclipboard(&r->cx, &s, false)) == NULL) {
		resp_db_error(r);
		return;
	}
	if (!requested(r, same ? "org" : "global")) {
		json_decref(d);
		return;
	}
	resp_json(r, 200, json_pack("{s:{s:s,s:s,s:o},s:o}", "meta",
	    "export_type", "masterclipboard", "mode", "redacted",
	    "generated_at", now_json(r), "data", d));
}

/* ---- grants -------------------------------------------------------------- */

/* Does the grant's target exist (api.md 10)? 1, 0, -1. */
static int
target_exists(struct req *r, enum export_kind k)
{
	const char *id = target_of(r);
	struct vehicle v;
	json_t *u = NULL;
	int64_t n;
	int rc;

	if (k == EXPORT_MASTERCLIPBOARD)
		return 1;		/* no existence check */
	if (strlen(id) > PATH_ID_MAX)
		return 0;
	switch (k) {
	case EXPORT_VEHICLE:
		/* Soft-deleted vehicles can still be exported. */
		rc = load_vehicle(r, &v);
		return rc;
	case EXPORT_USER:
		rc = export_user(&r->cx, id, false, &u);
		json_decref(u);
		return rc;
	default:
		if (!servicebook_id_valid(id))
			return 0;
		n = servicebook_count(&r->cx, id);
		return n < 0 ? -1 : n > 0;
	}
}

static void
grant(struct req *r)
{
	enum export_kind k = kind_of(r);
	char token[TOKEN_LEN], exp[TS_API_LEN];
	int64_t asked = 0, ttl, expires;
	bool has;
	json_t *j;
	int rc;

	has = v_query_int(r, "ttl_seconds", INT64_MIN, INT64_MAX, &asked);
	if (v_done(r))
		return;
	if ((rc = target_exists(r, k)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		resp_detail(r, 404, "not_found");
		return;
	}
	ttl = export_ttl(k, has, asked, cfg.export_ttl_seconds);
	if (!export_grant_create(&r->cx, k, target_of(r), ttl, token,
	    &expires) ||
	    !audit_export(r, "EXPORT_GRANT_CREATED", NULL, NULL, NULL,
	    json_pack("{s:s,s:s,s:I}", "kind", export_kind_name(k),
	    "target_id", target_of(r), "ttl_seconds", (json_int_t)ttl))) {
		resp_db_error(r);
		return;
	}
	ts_api(expires, exp);
	j = json_pack("{s:s,s:s,s:s,s:I,s:b,s:s}", "export_token", token,
	    "token", token, "expires_at", exp, "ttl_seconds", (json_int_t)ttl,
	    "one_time", 1, "header", TOKEN_HEADER);
	explicit_bzero(token, sizeof(token));
	if (k == EXPORT_MASTERCLIPBOARD) {
		json_object_set_new(j, "mode", json_string("full_encrypted"));
		json_object_set_new(j, "note", json_string("Token ist one-time "
		    "+ TTL. Nicht loggen, nicht speichern in Klartext."));
	} else {
		/* The target id leads the answer (api.md 10.1). */
		json_t *o = json_pack("{s:s}", id_key(k), target_of(r));

		json_object_update(o, j);
		json_decref(j);
		j = o;
	}
	resp_json(r, 200, j);
}

/* ---- full exports -------------------------------------------------------- */

/* X-Export-Token, trimmed; NULL when missing or empty. */
static const char *
export_token(struct req *r)
{
	const char *h = req_header("HTTP_X_EXPORT_TOKEN");
	char *t;

	if (h == NULL)
		return NULL;
	t = str_trim(arena_strdup(&r->cx.arena, h));
	return *t != '\0' ? t : NULL;
}

/*
 * The plaintext {"target", "id", "exported_at", <kind>: X, "data":
 * {<kind>: X}} in canonical form, as a Fernet token keyed with
 * SHA-256(secret). Steals x. NULL when encryption fails.
 */
static char *
seal(struct req *r, json_t *x)
{
	const char *kind = export_kind_name(kind_of(r));
	unsigned char key[FERNET_KEY_LEN];
	const unsigned char *secret;
	struct buf b = { 0 };
	size_t slen;
	json_t *p;
	char *tok;

	p = json_pack("{s:s,s:s,s:o,s:O,s:{s:O}}", "target", kind, "id",
	    target_of(r), "exported_at", now_json(r), kind, x, "data", kind, x);
	json_decref(x);
	canon_json(&b, p);
	json_decref(p);
	secret = crypto_secret(&slen);
	fernet_key(secret, slen, key);
	tok = fernet_encrypt(key, (uint64_t)(r->cx.now / US_PER_SEC),
	    b.data, b.len);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(b.data, b.len);
	buf_free(&b);
	return tok;
}

static bool
ready(struct req *r)
{
	if (audit_export(r, "EXPORT_FULL_READY", NULL, NULL, NULL,
	    json_pack("{s:s,s:s}", "kind", export_kind_name(kind_of(r)),
	    "target_id", target_of(r))))
		return true;
	resp_db_error(r);
	return false;
}

/* Full export of vehicle, user, servicebook (api.md 10, "Full"). */
static void
full(struct req *r)
{
	enum export_kind k = kind_of(r);
	const char *token = export_token(r);
	struct vehicle v;
	json_t *x = NULL;
	char *ct;
	int rc;

	if (token == NULL) {
		deny(r, "TOKEN_MISSING", 400, "missing_export_token");
		return;
	}
	if ((rc = target_exists(r, k)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		resp_detail(r, 404, "not_found");
		return;
	}
	if (!token_consumed(r, k, token, full_refusals))
		return;
	if (k == EXPORT_VEHICLE) {
		if (load_vehicle(r, &v) == 1)
			x = export_vehicle(&r->cx, &v, true);
	} else if (k == EXPORT_USER) {
		if (export_user(&r->cx, target_of(r), true, &x) != 1)
			x = NULL;
	} else
		x = export_servicebook(&r->cx, target_of(r), true);
	if (x == NULL) {
		resp_db_error(r);
		return;
	}
	if ((ct = seal(r, x)) == NULL) {
		resp_internal(r, "internal");
		return;
	}
	if (ready(r))
		resp_json(r, 200, json_pack("{s:s,s:s,s:s,s:b}", id_key(k),
		    target_of(r), "ciphertext", ct, "alg", "fernet",
		    "one_time", 1));
	free(ct);
}

/* Full export of a masterclipboard session: its own order (api.md 10.4). */
static void
full_masterclipboard(struct req *r)
{
	const char *token = export_token(r);
	struct mc_session s;
	json_t *x;
	char *ct;
	int rc = 0;

	if (token == NULL) {
		deny(r, "TOKEN_MISSING", 400, "missing_export_token");
		return;
	}
	if (!token_consumed(r, EXPORT_MASTERCLIPBOARD, token, mc_refusals))
		return;
	/* The first use always consumes the token, even for a 404. */
	if (strlen(target_of(r)) <= PATH_ID_MAX &&
	    (rc = mc_session_find(&r->cx, target_of(r), &s)) < 0) {
		resp_db_error(r);
		return;
	}
	if (rc == 0) {
		req_keep_writes(r);
		resp_detail(r, 404, "not_found");
		return;
	}
	if ((x = export_masterclipboard(&r->cx, &s, true)) == NULL) {
		resp_db_error(r);
		return;
	}
	if ((ct = seal(r, x)) == NULL) {
		resp_internal(r, "internal");
		return;
	}
	if (ready(r))
		resp_json(r, 200, json_pack("{s:{s:s,s:s,s:o,s:s},s:s}", "meta",
		    "export_type", "masterclipboard", "mode", "full_encrypted",
		    "generated_at", now_json(r), "cipher", "fernet",
		    "ciphertext", ct));
	free(ct);
}

#define RED(roles, mod)	{ roles, mod, PF_CONSENT | PF_WRITE }
#define SA(mod)		{ R_SA, mod, PF_WRITE }

static const struct route routes[] = {
	{ "GET", "/vehicle/{vehicle_id}", RED(R_OWN, "forbidden"),
	  vehicle_redacted },
	{ "POST", "/vehicle/{vehicle_id}/grant", SA("forbidden"), grant },
	{ "GET", "/vehicle/{vehicle_id}/full", SA("forbidden"), full },
	{ "GET", "/user/{user_id}", RED(R_OWN, "role_not_allowed"),
	  user_redacted },
	{ "POST", "/user/{user_id}/grant", SA("role_not_allowed"), grant },
	{ "GET", "/user/{user_id}/full", SA("role_not_allowed"), full },
	{ "GET", "/servicebook/{servicebook_id}",
	  RED(R_OWN, "role_not_allowed"), servicebook_redacted },
	{ "POST", "/servicebook/{servicebook_id}/grant",
	  SA("role_not_allowed"), grant },
	{ "GET", "/servicebook/{servicebook_id}/full", SA("role_not_allowed"),
	  full },
	{ "GET", "/masterclipboard/{masterclipboard_id}",
	  RED(R_MC, "role_not_allowed"), masterclipboard_redacted },
	{ "POST", "/masterclipboard/{masterclipboard_id}/grant",
	  SA("role_not_allowed"), grant },
	{ "GET", "/masterclipboard/{masterclipboard_id}/full",
	  SA("role_not_allowed"), full_masterclipboard },
};

APP_MAIN("export", routes, NULL)
