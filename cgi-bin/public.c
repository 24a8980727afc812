/*
 * public: the anonymous routes of api.md 6. A moderator actor is refused
 * with 403 role_not_allowed by the dispatcher; everyone else, signed in
 * or not, gets the same answer.
 *
 *   GET /api/public/qr/{vehicle_id}   PublicQr (never 404)
 *   GET /api/public/site              small German status page (HTML)
 */

#include "http/app.h"
#include "base/config.h"
#include "http/html.h"
#include "http/page.h"
#include "http/response.h"
#include "domain/ampel.h"
#include "domain/trustsummary.h"

static void
public_qr(struct req *r)
{
	json_t *j;

	/* Unknown, malformed and deleted ids all get the unknown answer. */
	if ((j = trustsummary_public(&r->cx,
	    req_param(r, "vehicle_id"))) == NULL) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, j);
}

static void
public_site(struct req *r)
{
	struct page_opts o = { .title = "LifeTimeCircle – ServiceHeft 4.0",
	    .raw_title = true, .disclaimer_id = "pflichttext" };
	struct buf b = { 0 };

	page_begin(&b, &o);
	html_printf(&b, "<h1>LifeTimeCircle – ServiceHeft 4.0</h1>\n"
	    "<p><strong class=\"pill\">Backend läuft</strong></p>\n"
	    "<p class=\"subline\">Vom Gebrauchtwagen zum dokumentierten "
	    "Vertrauensgut.</p>\n<ul class=\"actions\">\n"
	    "<li><a href=\"/\">Startseite</a></li>\n"
	    "<li><a href=\"/blog/\">Blog</a></li>\n"
	    "<li><a href=\"/news/\">News</a></li>\n</ul>\n"
	    "<section class=\"notice\" aria-labelledby=\"pflichttext\">\n"
	    "<h2 id=\"pflichttext\">Trust-Ampel Hinweis (Pflichttext):</h2>\n"
	    "<p class=\"disclaimer\">„%s“</p>\n</section>\n", TRUST_DISCLAIMER);
	page_end(&b, &o);
	page_send(r, 200, &b, "no-store");
}

static const struct route routes[] = {
	/* rl:qr:ip: is counted by the dispatcher (check 7, before 413). */
	{ "GET", "/qr/{vehicle_id}", POLICY_PUBLIC_QR, public_qr },
	{ "GET", "/site", POLICY_PUBLIC, public_site },
};

APP_MAIN("public", routes, NULL)
