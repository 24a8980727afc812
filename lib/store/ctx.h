/*
 * ctx.h: what a store or domain call needs to know of the request that
 * runs it: its arena, the connection, the request's "now", the actor and
 * the ids that go into audit rows. The http layer's struct req holds one
 * (r->cx) and passes &r->cx down; ltcctl builds its own.
 */
#ifndef LTC_CTX_H
#define LTC_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/crypto.h"
#include "base/role.h"
#include "base/util.h"
#include "store/db.h"

enum auth_kind { AUTH_NONE, AUTH_BEARER, AUTH_COOKIE, AUTH_DEV };

struct actor {
	enum auth_kind	 kind;		/* AUTH_NONE: anonymous */
	enum role	 role;
	char		 role_name[33];
	char		 user_id[65];
	char		 session_id[UUID_LEN];	/* session actors only */
	int64_t		 session_expires;	/* session actors only */
	char		 status[16];
	char		 email_hmac[B64URL_HMAC_LEN];
	bool		 email_verified;
	bool		 has_password;
};

struct ctx {
	struct arena	 arena;		/* freed when the request ends */
	struct db	*db;
	int64_t		 now;		/* clock_now() at the start */
	struct actor	 actor;
	char		 rid[129];
	char		*correlation_id;	/* arena; may be NULL */
	char		 ip_hmac[B64URL_HMAC_LEN];	/* "" until known */
};

/* An authenticated admin or superadmin. */
static inline bool
ctx_is_admin(const struct ctx *cx)
{
	return cx->actor.kind != AUTH_NONE && role_is_admin(cx->actor.role);
}

#endif
