/* published.c: see published.h. */
#include "base/clock.h"
#include "http/response.h"
#include "store/article.h"

#include "published.h"

static json_t *
item(const struct article *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "slug", json_string(a->slug));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "excerpt", json_string(a->excerpt));
	json_object_set_new(o, "published_at", ts_json(a->published_at));
	return o;
}

void
published_list(struct req *r, const char *type)
{
	struct article *v;
	json_t *a;
	size_t i, n;

	if ((v = article_list_published(&r->cx, type, &n)) == NULL) {
		resp_db_error(r);
		return;
	}
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, item(&v[i]));
	resp_json(r, 200, a);
}

void
published_get(struct req *r, const char *type)
{
	struct article a;
	json_t *o;

	/* A slug may be longer than a path id (160 > 128): no id cut here. */
	switch (article_find_published(&r->cx, type, req_param(r, "slug"),
	    &a)) {
	case 1:
		o = item(&a);
		json_object_set_new(o, "content_md", json_string(a.content_md));
		resp_json(r, 200, o);
		return;
	case 0:
		resp_detail(r, 404, "not_found");
		return;
	}
	resp_db_error(r);
}
