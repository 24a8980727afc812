/* gate.c: see gate.h. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/util.h"
#include "http/cookie.h"
#include "http/gate.h"
#include "http/response.h"
#include "store/acceptance.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/session.h"

static bool
dev_value_ok(const char *s, size_t max, bool id)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > max)
		return false;
	if (!id)
		return true;
	return id_charset_ok(s);
}

static bool
dev_actor(struct req *r, const char *role_h, const char *uid_h)
{
	const char *role = req_header(role_h), *uid = req_header(uid_h);
	struct actor *a = &r->cx.actor;

	if (role == NULL || uid == NULL || *role == '\0' || *uid == '\0')
		return false;
	if (!dev_value_ok(role, 32, false) || !dev_value_ok(uid, 64, true))
		return false;
	memset(a, 0, sizeof(*a));
	a->kind = AUTH_DEV;
	snprintf(a->role_name, sizeof(a->role_name), "%s", role);
	a->role = role_parse(role);
	if (a->role == ROLE_OTHER)
		snprintf(a->role_name, sizeof(a->role_name), "%s", "other");
	snprintf(a->user_id, sizeof(a->user_id), "%s", uid);
	snprintf(a->status, sizeof(a->status), "active");
	return true;
}

void
gate_resolve_actor(struct req *r)
{
	const char *auth = req_authorization();

	memset(&r->cx.actor, 0, sizeof(r->cx.actor));
	if (auth != NULL) {
		if (strncasecmp(auth, "Bearer ", 7) == 0) {
			const char *t = auth + 7;

			while (*t == ' ')
				t++;
			session_resolve(&r->cx, t, AUTH_BEARER);
		}
	} else if (req_cookie(r, "ltc_session") != NULL)
		session_resolve(&r->cx, req_cookie(r, "ltc_session"),
		    AUTH_COOKIE);
	if (r->cx.actor.kind == AUTH_NONE && cfg.dev_headers &&
	    !dev_actor(r, "HTTP_X_ROLE", "HTTP_X_USER_ID"))
		dev_actor(r, "HTTP_X_LTC_ROLE", "HTTP_X_LTC_UID");
}

/* scheme://host[:port] of a URL, arena-owned; NULL if it has none. */
static const char *
origin_of(struct req *r, const char *url)
{
	const char *p = strstr(url, "://"), *end;

	if (p == NULL)
		return NULL;
	end = strchr(p + 3, '/');
	return end != NULL ? arena_strndup(&r->cx.arena, url, (size_t)(end - url)) :
	    url;
}

bool
csrf_origin_ok(struct req *r)
{
	const char *origin = req_header("HTTP_ORIGIN");
	const char *referer = req_header("HTTP_REFERER");
	const char *site = req_site_origin(r);

	if (origin != NULL && *origin != '\0')
		return strcasecmp(origin, site) == 0;
	if (referer != NULL && *referer != '\0') {
		const char *o = origin_of(r, referer);

		return o != NULL && strcasecmp(o, site) == 0;
	}
	return true;
}

bool
csrf_proof_ok(struct req *r, const char *token)
{
	const char *sfs = req_header("HTTP_SEC_FETCH_SITE");
	char want[B64URL_HMAC_LEN];

	if (sfs != NULL && strcmp(sfs, "cross-site") == 0)
		return false;
	if (!csrf_origin_ok(r))
		return false;
	if (token == NULL || r->cx.actor.session_id[0] == '\0')
		return false;
	csrf_token(r->cx.actor.session_id, want);
	return ct_streq(token, want);
}

static void
access_denied(struct req *r, const char *reason)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "route", json_string(r->route->pattern));
	json_object_set_new(meta, "method", json_string(r->route->method));
	audit(&r->cx, &(struct audit_ev){ .action = "ACCESS_DENIED",
	    .target_type = "ROUTE", .target_id = r->route->pattern,
	    .result = "denied", .reason = reason, .meta = meta });
}

void
csrf_refuse(struct req *r)
{
	access_denied(r, "CSRF");
	resp_detail(r, 403, "csrf_failed");
}

static bool
unsafe_method(const char *m)
{
	return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 ||
	    strcmp(m, "PATCH") == 0 || strcmp(m, "DELETE") == 0;
}

bool
gate_authorize(struct req *r, const struct policy *p)
{
	struct actor *a = &r->cx.actor;
	bool anon = a->kind == AUTH_NONE;
	int c;

	if (p->roles == 0) {
		/* Deny by default: a route without a policy is unreachable. */
		resp_internal(r, "internal");
		return false;
	}
	if (anon && !(p->roles & R_ANON)) {
		if (p->flags & PF_CLEAR_COOKIE &&
		    req_cookie(r, "ltc_session") != NULL) {
			resp_detail(r, 401, "unauthorized");
			session_cookie(r, NULL);
		} else if (p->flags & PF_LEGACY_401)
			resp_detail_code(r, 401, "unauthenticated");
		else
			resp_detail(r, 401, "unauthorized");
		return false;
	}
	if (unsafe_method(r->method)) {
		if (p->flags & PF_CSRF_ORIGIN) {
			if (!csrf_origin_ok(r)) {
				csrf_refuse(r);
				return false;
			}
		} else if (a->kind == AUTH_COOKIE &&
		    !csrf_proof_ok(r, req_header("HTTP_X_CSRF_TOKEN"))) {
			csrf_refuse(r);
			return false;
		}
	}
	if (anon)
		return true;
	if (a->role == ROLE_MODERATOR && p->mod_detail != NULL) {
		access_denied(r, "MODERATOR_BLOCK");
		resp_detail(r, 403, p->mod_detail);
		return false;
	}
	if (!(p->roles & RB(a->role))) {
		access_denied(r, "RBAC_DENY");
		resp_detail(r, 403, "forbidden");
		return false;
	}
	if (p->flags & PF_CONSENT) {
		c = acceptance_complete(r->cx.db, a->user_id);
		if (c < 0) {
			resp_db_error(r);
			return false;
		}
		if (c == 0) {
			json_t *meta = json_object();

			json_object_set_new(meta, "route",
			    json_string(r->route->pattern));
			audit(&r->cx, &(struct audit_ev){
			    .action = "CONSENT_REQUIRED_BLOCK",
			    .target_type = "USER", .target_id = a->user_id,
			    .result = "denied", .reason = "CONSENT_MISSING",
			    .meta = meta });
			resp_detail(r, 403, "consent_required");
			return false;
		}
	}
	return true;
}
