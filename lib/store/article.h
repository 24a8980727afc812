/*
 * article.h: the CMS article store (domain.md 0.6, 17). All SQL on
 * cms_articles lives here; this is its only writer. Rows are owned by
 * the context's arena. The writers run in the caller's transaction and
 * set updated_at to the context's now; they check no rule (that is
 * domain/cmsflow), they only write what they are told.
 */
#ifndef LTC_ARTICLE_H
#define LTC_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/ctx.h"

/* Stored timestamps are in storage format; NULL is SQL NULL. */
struct article {
	char	*article_id;
	char	*content_type;		/* "blog" | "news" */
	char	*slug;
	char	*title;
	char	*excerpt;
	char	*content_md;
	char	*workflow_state;	/* draft | in_review | published */
	char	*review_note;
	char	*created_at;
	char	*updated_at;
	char	*submitted_at;
	char	*reviewed_at;
	char	*published_at;
};

/* The editable fields (drafts and update). */
struct article_content {
	const char	*slug;		/* already normalised */
	const char	*title;
	const char	*excerpt;
	const char	*content_md;
};

/*
 * One article by id; type NULL matches either type. 1 found, 0 unknown,
 * -1 database error.
 */
int	 article_find(struct ctx *, const char *type, const char *article_id,
	    struct article *);
/*
 * Is slug used by an article of type other than except_id (may be NULL)?
 * 1 yes, 0 no, -1 database error.
 */
int	 article_slug_taken(struct ctx *, const char *type, const char *slug,
	    const char *except_id);

/* A new draft with author = the actor; id gets its fresh UUID. */
bool	 article_insert_draft(struct ctx *, const char *type,
	    const struct article_content *, char id[UUID_LEN]);
/*
 * Writes the content. With back_to_draft the state becomes draft and
 * the review and publication fields are cleared (domain.md 17.1).
 */
bool	 article_update(struct ctx *, const char *article_id,
	    const struct article_content *, bool back_to_draft);
/* in_review, submitted_at = now; review note, reviewer, reviewed_at cleared. */
bool	 article_submit(struct ctx *, const char *article_id);
/*
 * in_review, reviewer = actor, note, reviewed_at = now, submitted_at
 * kept or now.
 */
bool	 article_review(struct ctx *, const char *article_id,
	    const char *note);
/* published, publisher = actor, published_at = now. */
bool	 article_publish(struct ctx *, const char *article_id);

/*
 * The articles of a type into an arena array (*n of them), NULL on a
 * database error (an empty list is a non-NULL array with *n = 0).
 * All states in the editors' order (api.md 15.1), or only published ones
 * in the readers' order (api.md 16).
 */
struct article *article_list(struct ctx *, const char *type, size_t *n);
struct article *article_list_published(struct ctx *, const char *type,
	    size_t *n);
/* A published article by exact slug: 1 found, 0 none, -1 database error. */
int	 article_find_published(struct ctx *, const char *type,
	    const char *slug, struct article *);

#endif
