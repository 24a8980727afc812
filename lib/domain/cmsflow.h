/*
 * cmsflow.h: the CMS workflow of domain.md 17.1 and api.md 15. Who may
 * do which transition from which state, the slug rule, and the flows
 * that apply them: each looks the article up, checks the rules in the
 * order of its api.md section, writes through store/article and its
 * audit row (domain.md 14.3) in the caller's transaction, and answers
 * with a status the http layer maps to the response. On CMS_OK *out is
 * the article as stored after the change (arena-owned).
 *
 * Any editor may edit or submit any article: there is no author
 * ownership. The routes already refuse the wrong roles; the flows check
 * the table again so that no other caller can skip it.
 */
#ifndef LTC_CMSFLOW_H
#define LTC_CMSFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/role.h"
#include "store/article.h"
#include "store/ctx.h"

#define CMS_SLUG_MIN	3
#define CMS_SLUG_MAX	160
#define CMS_TITLE_MIN	3
#define CMS_TITLE_MAX	255
#define CMS_EXCERPT_MIN	8
#define CMS_EXCERPT_MAX	500
#define CMS_BODY_MIN	16
#define CMS_BODY_MAX	12000
#define CMS_NOTE_MAX	1200

enum cms_action { CMS_CREATE, CMS_UPDATE, CMS_SUBMIT, CMS_REVIEW,
    CMS_PUBLISH };

enum cms_status {
	CMS_OK,
	CMS_FORBIDDEN,		/* the role may not do this at all */
	CMS_NOT_FOUND,		/* unknown id, or an article of another type */
	CMS_READ_ONLY,		/* published_article_read_only */
	CMS_INVALID_SLUG,
	CMS_SLUG_CONFLICT,
	CMS_REVIEW_REQUIRED,
	CMS_DB			/* db_status() tells which */
};

/* "blog" or "news"? */
bool	 cms_type_known(const char *type);
/* May a role do the action at all (the "who" column of 17.1)? */
bool	 cms_role_may(enum cms_action, enum role);
/*
 * The slug rule of api.md 15: trimmed, ASCII-lowercased, then
 * ^[a-z0-9-]{3,160}$. raw may hold n bytes including NULs. The
 * normalised slug in the arena, or NULL when it does not match.
 */
const char *cms_slug_normalise(struct arena *, const char *raw, size_t n);

/* The editable fields as sent (validated by the http layer). */
struct cms_input {
	const char	*slug;		/* raw, slug_len bytes */
	size_t		 slug_len;
	const char	*title;		/* trimmed */
	const char	*excerpt;	/* trimmed */
	const char	*content_md;	/* trimmed */
};

enum cms_status cms_create(struct ctx *, const char *type,
	    const struct cms_input *, struct article *out);
enum cms_status cms_update(struct ctx *, const char *type, const char *id,
	    const struct cms_input *, struct article *out);
enum cms_status cms_submit(struct ctx *, const char *type, const char *id,
	    struct article *out);
/* note: trimmed, NULL when empty or not sent. */
enum cms_status cms_review(struct ctx *, const char *type, const char *id,
	    const char *note, struct article *out);
/* Either type. */
enum cms_status cms_publish(struct ctx *, const char *id,
	    struct article *out);

#endif
