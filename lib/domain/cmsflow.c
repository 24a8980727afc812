/* cmsflow.c: see cmsflow.h. */
#include <string.h>

#include <jansson.h>

#include "domain/cmsflow.h"
#include "store/audit.h"

bool
cms_type_known(const char *type)
{
	return type != NULL && (strcmp(type, "blog") == 0 ||
	    strcmp(type, "news") == 0);
}

/* domain.md 17.1 "who": EDIT writes and submits, ADM reviews, SA publishes. */
bool
cms_role_may(enum cms_action act, enum role role)
{
	switch (act) {
	case CMS_CREATE:
	case CMS_UPDATE:
	case CMS_SUBMIT:
		return role == ROLE_MODERATOR || role_is_admin(role);
	case CMS_REVIEW:
		return role_is_admin(role);
	case CMS_PUBLISH:
		return role == ROLE_SUPERADMIN;
	}
	return false;
}

const char *
cms_slug_normalise(struct arena *a, const char *raw, size_t n)
{
	char *s;
	size_t i, len;

	if (memchr(raw, '\0', n) != NULL)
		return NULL;
	s = arena_strndup(a, raw, n);
	str_trim(s);
	str_lower_ascii(s);
	len = strlen(s);
	if (len < CMS_SLUG_MIN || len > CMS_SLUG_MAX)
		return NULL;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return NULL;
	return s;
}

static bool
published(const struct article *a)
{
	return strcmp(a->workflow_state, "published") == 0;
}

/* The audit row of a successful step, metadata after the change. */
static bool
audited(struct ctx *cx, const char *action, const struct article *a)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "content_type",
	    json_string(a->content_type));
	json_object_set_new(meta, "workflow_state",
	    json_string(a->workflow_state));
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "BLOG_POST", .target_id = a->article_id,
	    .meta = meta });
}

/* Reloads the article after a write and writes its audit row. */
static enum cms_status
done(struct ctx *cx, const char *action, const char *id, struct article *out)
{
	if (article_find(cx, NULL, id, out) != 1)
		return CMS_DB;
	return audited(cx, action, out) ? CMS_OK : CMS_DB;
}

/* CMS_OK when found, else CMS_NOT_FOUND or CMS_DB. */
static enum cms_status
lookup(struct ctx *cx, const char *type, const char *id, struct article *a)
{
	switch (article_find(cx, type, id, a)) {
	case 1:
		return CMS_OK;
	case 0:
		return CMS_NOT_FOUND;
	}
	return CMS_DB;
}

/* The slug rule then its uniqueness among the articles of the type. */
static enum cms_status
slug_free(struct ctx *cx, const char *type, const struct cms_input *in,
    const char *except_id, const char **slug)
{
	if ((*slug = cms_slug_normalise(&cx->arena, in->slug,
	    in->slug_len)) == NULL)
		return CMS_INVALID_SLUG;
	switch (article_slug_taken(cx, type, *slug, except_id)) {
	case 0:
		return CMS_OK;
	case 1:
		return CMS_SLUG_CONFLICT;
	}
	return CMS_DB;
}

enum cms_status
cms_create(struct ctx *cx, const char *type, const struct cms_input *in,
    struct article *out)
{
	struct article_content c;
	char id[UUID_LEN];
	enum cms_status st;

	if (!cms_role_may(CMS_CREATE, cx->actor.role))
		return CMS_FORBIDDEN;
	if (!cms_type_known(type))
		return CMS_NOT_FOUND;
	/* api.md 15.3: invalid_slug, then slug_conflict. */
	if ((st = slug_free(cx, type, in, NULL, &c.slug)) != CMS_OK)
		return st;
	c.title = in->title;
	c.excerpt = in->excerpt;
	c.content_md = in->content_md;
	if (!article_insert_draft(cx, type, &c, id))
		return CMS_DB;
	return done(cx, "CMS_DRAFT_CREATED", id, out);
}

enum cms_status
cms_update(struct ctx *cx, const char *type, const char *id,
    const struct cms_input *in, struct article *out)
{
	bool sa = cx->actor.role == ROLE_SUPERADMIN;
	struct article_content c;
	struct article a;
	enum cms_status st;

	if (!cms_role_may(CMS_UPDATE, cx->actor.role))
		return CMS_FORBIDDEN;
	/* api.md 15.4: not_found, read-only, invalid_slug, slug_conflict. */
	if ((st = lookup(cx, type, id, &a)) != CMS_OK)
		return st;
	if (published(&a) && !sa)
		return CMS_READ_ONLY;
	if ((st = slug_free(cx, type, in, a.article_id, &c.slug)) != CMS_OK)
		return st;
	c.title = in->title;
	c.excerpt = in->excerpt;
	c.content_md = in->content_md;
	/* A superadmin edits content only; anyone else goes back to draft. */
	if (!article_update(cx, a.article_id, &c,
	    !sa && strcmp(a.workflow_state, "draft") != 0))
		return CMS_DB;
	return done(cx, "CMS_ARTICLE_UPDATED", a.article_id, out);
}

enum cms_status
cms_submit(struct ctx *cx, const char *type, const char *id,
    struct article *out)
{
	struct article a;
	enum cms_status st;

	if (!cms_role_may(CMS_SUBMIT, cx->actor.role))
		return CMS_FORBIDDEN;
	if ((st = lookup(cx, type, id, &a)) != CMS_OK)
		return st;
	if (published(&a))
		return CMS_READ_ONLY;
	if (!article_submit(cx, a.article_id))
		return CMS_DB;
	return done(cx, "CMS_SUBMITTED", a.article_id, out);
}

enum cms_status
cms_review(struct ctx *cx, const char *type, const char *id,
    const char *note, struct article *out)
{
	struct article a;
	enum cms_status st;

	if (!cms_role_may(CMS_REVIEW, cx->actor.role))
		return CMS_FORBIDDEN;
	if ((st = lookup(cx, type, id, &a)) != CMS_OK)
		return st;
	if (published(&a))
		return CMS_READ_ONLY;
	if (!article_review(cx, a.article_id, note))
		return CMS_DB;
	return done(cx, "CMS_REVIEWED", a.article_id, out);
}

enum cms_status
cms_publish(struct ctx *cx, const char *id, struct article *out)
{
	struct article a;
	enum cms_status st;

	if (!cms_role_may(CMS_PUBLISH, cx->actor.role))
		return CMS_FORBIDDEN;
	if ((st = lookup(cx, NULL, id, &a)) != CMS_OK)
		return st;
	if (strcmp(a.workflow_state, "in_review") != 0 || a.reviewed_at == NULL)
		return CMS_REVIEW_REQUIRED;
	if (!article_publish(cx, a.article_id))
		return CMS_DB;
	return done(cx, "CMS_PUBLISHED", a.article_id, out);
}
