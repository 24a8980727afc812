/*
 * blog: the public read of the published blog articles (api.md 16).
 *
 *   GET /api/blog          list, newest first
 *   GET /api/blog/{slug}   one article by its slug
 */
#include "http/app.h"

#include "shared/published.h"

static void
blog_list(struct req *r)
{
	published_list(r, "blog");
}

static void
blog_get(struct req *r)
{
	published_get(r, "blog");
}

static const struct route routes[] = {
	{ "GET", "/", POLICY_PUBLISHED, blog_list },
	{ "GET", "/{slug}", POLICY_PUBLISHED, blog_get },
};

APP_MAIN("blog", routes, NULL)
