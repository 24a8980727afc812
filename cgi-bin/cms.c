/*
 * cms: the editors' routes of /api/cms (api.md 15). Thin handlers: the
 * 422 checks and the answers live here, the workflow rules and their
 * audit rows in domain/cmsflow, the SQL in store/article.
 *
 *   GET  /blog, /news                         every article of the type
 *   GET  /{blog|news}/{article_id}            CmsArticleDetail
 *   POST /{blog|news}/drafts                  new draft
 *   POST /{blog|news}/{article_id}            update
 *   POST /{blog|news}/{article_id}/submit     draft -> in_review
 *   POST /review/{blog|news}/{article_id}     review (ADM)
 *   POST /publish/{article_id}                publish (SA)
 *
 * No consent gate. Moderators reach the editor routes; review refuses
 * them with role_not_allowed, publish too (and an admin with forbidden).
 */
#include <string.h>

#include "base/clock.h"
#include "domain/cmsflow.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"

/* The content type a route serves: its pattern names it. */
static const char *
route_type(const struct req *r)
{
	return strstr(r->route->pattern, "/news") != NULL ? "news" : "blog";
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* CmsArticleSummary; no author, reviewer or publisher id ever. */
static json_t *
summary(const struct article *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "article_id", json_string(a->article_id));
	json_object_set_new(o, "content_type", json_string(a->content_type));
	json_object_set_new(o, "slug", json_string(a->slug));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "excerpt", json_string(a->excerpt));
	json_object_set_new(o, "workflow_state",
	    json_string(a->workflow_state));
	json_object_set_new(o, "review_note", str_or_null(a->review_note));
	json_object_set_new(o, "created_at", ts_json(a->created_at));
	json_object_set_new(o, "updated_at", ts_json(a->updated_at));
	json_object_set_new(o, "submitted_at", ts_json(a->submitted_at));
	json_object_set_new(o, "reviewed_at", ts_json(a->reviewed_at));
	json_object_set_new(o, "published_at", ts_json(a->published_at));
	return o;
}

static json_t *
detail(const struct article *a)
{
	json_t *o = summary(a);

	json_object_set_new(o, "content_md", json_string(a->content_md));
	return o;
}

static void
answer(struct req *r, enum cms_status st, const struct article *a)
{
	switch (st) {
	case CMS_OK:
		resp_json(r, 200, detail(a));
		return;
	case CMS_FORBIDDEN:
		resp_detail(r, 403, "forbidden");
		return;
	case CMS_NOT_FOUND:
		resp_detail(r, 404, "not_found");
		return;
	case CMS_READ_ONLY:
		resp_detail(r, 409, "published_article_read_only");
		return;
	case CMS_INVALID_SLUG:
		resp_detail(r, 400, "invalid_slug");
		return;
	case CMS_SLUG_CONFLICT:
		resp_detail(r, 409, "slug_conflict");
		return;
	case CMS_REVIEW_REQUIRED:
		resp_detail(r, 409, "review_required");
		return;
	case CMS_DB:
		break;
	}
	resp_db_error(r);
}

/*
 * The article body of api.md 15 (all fields required). The slug is only
 * type-checked here: a string that breaks the slug rule is a 400 later,
 * in the order of the route. False when the 422 was answered.
 */
static bool
content_fields(struct req *r, struct cms_input *in)
{
	json_t *b = v_body_object(r), *slug;

	memset(in, 0, sizeof(*in));
	if (b != NULL) {
		slug = json_object_get(b, "slug");
		if (slug == NULL)
			v_add(r, "missing", "body", "slug", "Field required");
		else if (!json_is_string(slug))
			v_add(r, "string_type", "body", "slug",
			    "Input should be a valid string");
		else {
			in->slug = json_string_value(slug);
			in->slug_len = json_string_length(slug);
		}
	}
	in->title = v_str(r, b, "body", "title", V_REQ | V_TRIM,
	    CMS_TITLE_MIN, CMS_TITLE_MAX);
	in->excerpt = v_str(r, b, "body", "excerpt", V_REQ | V_TRIM,
	    CMS_EXCERPT_MIN, CMS_EXCERPT_MAX);
	in->content_md = v_str(r, b, "body", "content_md",
	    V_REQ | V_TRIM | V_MULTI, CMS_BODY_MIN, CMS_BODY_MAX);
	return !v_done(r);
}

/* ---- 15.1 GET /api/cms/{blog|news} ---------------------------------- */

static void
cms_list(struct req *r)
{
	struct article *v;
	json_t *a;
	size_t i, n;

	if ((v = article_list(&r->cx, route_type(r), &n)) == NULL) {
		resp_db_error(r);
		return;
	}
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, summary(&v[i]));
	resp_json(r, 200, a);
}

/* ---- 15.2 GET /api/cms/{blog|news}/{article_id} --------------------- */

static void
cms_get(struct req *r)
{
	struct article a;

	switch (article_find(&r->cx, route_type(r),
	    req_param(r, "article_id"), &a)) {
	case 1:
		resp_json(r, 200, detail(&a));
		return;
	case 0:
		resp_detail(r, 404, "not_found");
		return;
	}
	resp_db_error(r);
}

/* ---- 15.3 POST /api/cms/{blog|news}/drafts -------------------------- */

static void
cms_draft(struct req *r)
{
	struct cms_input in;
	struct article a;

	if (!content_fields(r, &in))
		return;
	answer(r, cms_create(&r->cx, route_type(r), &in, &a), &a);
}

/* ---- 15.4 POST /api/cms/{blog|news}/{article_id} -------------------- */

static void
cms_update_post(struct req *r)
{
	struct cms_input in;
	struct article a;

	if (!content_fields(r, &in))
		return;
	answer(r, cms_update(&r->cx, route_type(r), req_param(r, "article_id"),
	    &in, &a), &a);
}

/* ---- 15.5 POST /api/cms/{blog|news}/{article_id}/submit ------------- */

static void
cms_submit_post(struct req *r)
{
	struct article a;

	/* No body: whatever is sent is ignored. */
	answer(r, cms_submit(&r->cx, route_type(r), req_param(r, "article_id"),
	    &a), &a);
}

/* ---- 15.6 POST /api/cms/review/{blog|news}/{article_id} ------------- */

static void
cms_review_post(struct req *r)
{
	struct article a;
	const char *note;
	json_t *b;

	b = v_body_object(r);
	note = v_str(r, b, "body", "review_note",
	    V_TRIM | V_MULTI | V_EMPTY_NULL, 0, CMS_NOTE_MAX);
	if (v_done(r))
		return;
	answer(r, cms_review(&r->cx, route_type(r), req_param(r, "article_id"),
	    note, &a), &a);
}

/* ---- 15.7 POST /api/cms/publish/{article_id} ------------------------ */

static void
cms_publish_post(struct req *r)
{
	struct article a;

	answer(r, cms_publish(&r->cx, req_param(r, "article_id"), &a), &a);
}

#define EDIT	{ R_EDIT, NULL, 0 }
#define EDIT_W	{ R_EDIT, NULL, PF_WRITE }
#define SA_W	{ R_SA, "role_not_allowed", PF_WRITE }

static const struct route routes[] = {
	{ "GET", "/blog", EDIT, cms_list },
	{ "GET", "/news", EDIT, cms_list },
	{ "GET", "/blog/{article_id}", EDIT, cms_get },
	{ "GET", "/news/{article_id}", EDIT, cms_get },
	{ "POST", "/blog/drafts", EDIT_W, cms_draft },
	{ "POST", "/news/drafts", EDIT_W, cms_draft },
	{ "POST", "/blog/{article_id}", EDIT_W, cms_update_post },
	{ "POST", "/news/{article_id}", EDIT_W, cms_update_post },
	{ "POST", "/blog/{article_id}/submit", EDIT_W, cms_submit_post },
	{ "POST", "/news/{article_id}/submit", EDIT_W, cms_submit_post },
	{ "POST", "/review/blog/{article_id}", POLICY_ADM_W, cms_review_post },
	{ "POST", "/review/news/{article_id}", POLICY_ADM_W, cms_review_post },
	{ "POST", "/publish/{article_id}", SA_W, cms_publish_post },
};

APP_MAIN("cms", routes, NULL)
