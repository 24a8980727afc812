/*
 * published.h: the public read of the published articles (api.md 16),
 * shared by the blog and news programs. No actor needed and no moderator
 * block; only published articles are visible. Like every API answer the
 * JSON carries Cache-Control: no-store (security.md 10); the cacheable
 * forms are the /blog/ and /news/ pages.
 */
#ifndef LTC_PUBLISHED_H
#define LTC_PUBLISHED_H

#include "http/request.h"
#include "http/route.h"

/* GET / : [{"slug","title","excerpt","published_at"}], newest first. */
void	 published_list(struct req *, const char *type);
/* GET /{slug} : exact, case-sensitive slug; else 404 not_found. */
void	 published_get(struct req *, const char *type);

/* The route policy of every public read route. */
#define POLICY_PUBLISHED	{ R_PUBLIC_ROUTE, NULL, 0 }

#endif
