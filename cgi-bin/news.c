/*
 * news: the public read of the published news articles (api.md 16).
 *
 *   GET /api/news          list, newest first
 *   GET /api/news/{slug}   one article by its slug
 */
#include "http/app.h"

#include "shared/published.h"

static void
news_list(struct req *r)
{
	published_list(r, "news");
}

static void
news_get(struct req *r)
{
	published_get(r, "news");
}

static const struct route routes[] = {
	{ "GET", "/", POLICY_PUBLISHED, news_list },
	{ "GET", "/{slug}", POLICY_PUBLISHED, news_get },
};

APP_MAIN("news", routes, NULL)
