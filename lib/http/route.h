/*
 * route.h: a CGI's route table and the per-route access policy.
 *
 * Every row declares its policy; a row whose policy names no role is
 * refused by the dispatcher (deny by default), so forgetting it cannot
 * open a route.
 */
#ifndef LTC_ROUTE_H
#define LTC_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/limit.h"
#include "http/request.h"

/* Role bits for policy.roles. */
#define RB(r)		(1u << (r))
#define R_ANON		RB(ROLE_NONE)		/* anonymous callers allowed */
#define R_ANY		(RB(ROLE_PUBLIC) | RB(ROLE_USER) | RB(ROLE_VIP) | \
			 RB(ROLE_DEALER) | RB(ROLE_MODERATOR) | RB(ROLE_ADMIN) | \
			 RB(ROLE_SUPERADMIN) | RB(ROLE_OTHER))
#define R_ADM		(RB(ROLE_ADMIN) | RB(ROLE_SUPERADMIN))
#define R_SA		RB(ROLE_SUPERADMIN)
#define R_OWN		(RB(ROLE_USER) | RB(ROLE_VIP) | RB(ROLE_DEALER) | R_ADM)
#define R_EDIT		(RB(ROLE_MODERATOR) | R_ADM)
#define R_SALE		(RB(ROLE_VIP) | RB(ROLE_DEALER))
#define R_MC		(RB(ROLE_DEALER) | R_ADM)
#define R_PUBLIC_ROUTE	(R_ANON | R_ANY)	/* "none" */

/* policy.flags */
#define PF_CONSENT	0x01	/* consent gate applies */
#define PF_CSRF_ORIGIN	0x02	/* pre-session POST: only the Origin check */
#define PF_LEGACY_401	0x08	/* 401 as {"detail":{"code":"unauthenticated"}} */
#define PF_CLEAR_COOKIE	0x10	/* 401 clears a sent ltc_session cookie */
/*
 * The handler writes: the request life opens BEGIN IMMEDIATE before it,
 * commits when the answer is a success (< 400) and rolls back otherwise.
 * A refusal whose writes must stay (a counted failed login, the audit row
 * of a refused upload) says so with req_keep_writes(). Handlers never
 * begin, commit or roll back themselves.
 */
#define PF_WRITE	0x20
/*
 * A multipart upload: the body bound is the upload size the handler
 * checks (api.md 9.1 step 3), not the JSON bound of the dispatcher.
 */
#define PF_UPLOAD	0x40

struct policy {
	unsigned	 roles;		/* RB() bits; 0 = undeclared = refused */
	const char	*mod_detail;	/* moderator 403 detail; NULL = allowed */
	unsigned	 flags;
	/* Counted after the gate, before 413 and the query (may be NULL). */
	const struct rate_rule *rate;
};

/* The product routes' common policies (api.md 1): moderators refused. */
#define POLICY_OWN_CONSENT	{ R_OWN, "role_not_allowed", PF_CONSENT }
#define POLICY_OWN_CONSENT_W	{ R_OWN, "role_not_allowed", PF_CONSENT | PF_WRITE }
#define POLICY_ADM		{ R_ADM, "role_not_allowed", 0 }
#define POLICY_ADM_W		{ R_ADM, "role_not_allowed", PF_WRITE }
#define POLICY_ADM_CONSENT_W	{ R_ADM, "role_not_allowed", PF_CONSENT | PF_WRITE }
#define POLICY_SALE_CONSENT_W	{ R_SALE, "role_not_allowed", PF_CONSENT | PF_WRITE }
#define POLICY_SA_W		{ R_SA, "role_not_allowed", PF_WRITE }
/* "none" and "ANY" routes that refuse moderators (health, consent, public). */
#define POLICY_PUBLIC		{ R_PUBLIC_ROUTE, "role_not_allowed", 0 }
#define POLICY_PUBLIC_QR	{ R_PUBLIC_ROUTE, "role_not_allowed", 0, &rate_qr }
#define POLICY_ANY_NOMOD	{ R_ANY, "role_not_allowed", 0 }
#define POLICY_ANY_NOMOD_W	{ R_ANY, "role_not_allowed", PF_WRITE }
/*
 * The /api/auth routes, open to moderators (api.md 3). The pre-session
 * POSTs have only the Origin check; the _W ones write in the route's
 * transaction, the others (scrypt, mail) use db_atomic() for their parts.
 */
#define POLICY_PRESESSION	{ R_PUBLIC_ROUTE, NULL, PF_CSRF_ORIGIN }
#define POLICY_PRESESSION_W	{ R_PUBLIC_ROUTE, NULL, PF_CSRF_ORIGIN | PF_WRITE }
#define POLICY_ANY		{ R_ANY, NULL, 0 }
/* Public pages that moderators may read too (blog, news, sign-in). */
#define POLICY_PUBLIC_MOD	{ R_PUBLIC_ROUTE, NULL, 0 }
#define POLICY_ANY_LOGOUT	{ R_ANY, NULL, PF_CLEAR_COOKIE | PF_WRITE }
#define POLICY_ANY_LEGACY	{ R_ANY, NULL, PF_LEGACY_401 }
#define POLICY_ANY_LEGACY_W	{ R_ANY, NULL, PF_LEGACY_401 | PF_WRITE }

typedef void (*handler_fn)(struct req *);

struct route {
	const char	*method;
	const char	*pattern;	/* "/", "/{vehicle_id}/entries", ... */
	struct policy	 policy;
	handler_fn	 handler;
};

enum match_result { MATCH_OK, MATCH_NOT_FOUND, MATCH_METHOD };

/*
 * Picks the route for (method, path) by the rules of README "Paths and
 * dispatch". On MATCH_OK fills the captures into r; on MATCH_METHOD
 * writes the Allow list (comma separated) into allow.
 */
enum match_result route_match(const struct route *, size_t n,
	    const char *method, const char *path, struct req *r,
	    struct buf *allow);

/* Normalises PATH_INFO: "" -> "/", one trailing '/' stripped. */
char	*route_normalise(struct arena *, const char *path_info);

#endif
