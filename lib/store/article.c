/* article.c: see article.h. */
#include <string.h>

#include "base/clock.h"
#include "store/article.h"
#include "store/db.h"

#define ARTICLE_COLS "article_id, content_type, slug, title, excerpt, " \
	"content_md, workflow_state, review_note, created_at, updated_at, " \
	"submitted_at, reviewed_at, published_at"

static void
fill(struct ctx *cx, struct db_stmt *st, struct article *a)
{
	struct arena *ar = &cx->arena;

	a->article_id = arena_strdup(ar, db_text(st, 0));
	a->content_type = arena_strdup(ar, db_text(st, 1));
	a->slug = arena_strdup(ar, db_text(st, 2));
	a->title = arena_strdup(ar, db_text(st, 3));
	a->excerpt = arena_strdup(ar, db_text(st, 4));
	a->content_md = arena_strdup(ar, db_text(st, 5));
	a->workflow_state = arena_strdup(ar, db_text(st, 6));
	a->review_note = arena_strdup(ar, db_text(st, 7));
	a->created_at = arena_strdup(ar, db_text(st, 8));
	a->updated_at = arena_strdup(ar, db_text(st, 9));
	a->submitted_at = arena_strdup(ar, db_text(st, 10));
	a->reviewed_at = arena_strdup(ar, db_text(st, 11));
	a->published_at = arena_strdup(ar, db_text(st, 12));
}

/* Runs a prepared single-row SELECT of ARTICLE_COLS into a. */
static int
one(struct ctx *cx, struct db_stmt *st, struct article *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1)
		fill(cx, st, a);
	db_finalize(st);
	return rc;
}

int
article_find(struct ctx *cx, const char *type, const char *id,
    struct article *a)
{
	if (type == NULL)
		return one(cx, db_prep(cx->db, "SELECT " ARTICLE_COLS " FROM "
		    "cms_articles WHERE article_id = ?", "s", id), a);
	return one(cx, db_prep(cx->db, "SELECT " ARTICLE_COLS " FROM "
	    "cms_articles WHERE article_id = ? AND content_type = ?", "ss",
	    id, type), a);
}

int
article_find_published(struct ctx *cx, const char *type, const char *slug,
    struct article *a)
{
	return one(cx, db_prep(cx->db, "SELECT " ARTICLE_COLS " FROM "
	    "cms_articles WHERE content_type = ? AND slug = ? AND "
	    "workflow_state = 'published'", "ss", type, slug), a);
}

int
article_slug_taken(struct ctx *cx, const char *type, const char *slug,
    const char *except_id)
{
	int64_t n;

	if (except_id == NULL)
		n = db_scalar(cx->db, "SELECT count(*) FROM cms_articles WHERE "
		    "content_type = ? AND slug = ?", "ss", type, slug);
	else
		n = db_scalar(cx->db, "SELECT count(*) FROM cms_articles WHERE "
		    "content_type = ? AND slug = ? AND article_id <> ?", "sss",
		    type, slug, except_id);
	return n < 0 ? -1 : n > 0;
}

bool
article_insert_draft(struct ctx *cx, const char *type,
    const struct article_content *c, char id[UUID_LEN])
{
	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	return db_exec(cx->db, "INSERT INTO cms_articles (article_id, "
	    "content_type, slug, title, excerpt, content_md, workflow_state, "
	    "author_user_id, created_at, updated_at) VALUES "
	    "(?,?,?,?,?,?,'draft',?,?,?)", "ssssssstt", id, type, c->slug,
	    c->title, c->excerpt, c->content_md, cx->actor.user_id, cx->now,
	    cx->now) == DB_OK;
}

bool
article_update(struct ctx *cx, const char *id,
    const struct article_content *c, bool back_to_draft)
{
	if (!back_to_draft)
		return db_exec(cx->db, "UPDATE cms_articles SET slug = ?, "
		    "title = ?, excerpt = ?, content_md = ?, updated_at = ? "
		    "WHERE article_id = ?", "ssssts", c->slug, c->title,
		    c->excerpt, c->content_md, cx->now, id) == DB_OK;
	return db_exec(cx->db, "UPDATE cms_articles SET slug = ?, title = ?, "
	    "excerpt = ?, content_md = ?, updated_at = ?, "
	    "workflow_state = 'draft', reviewer_user_id = NULL, "
	    "review_note = NULL, reviewed_at = NULL, submitted_at = NULL, "
	    "published_by_user_id = NULL, published_at = NULL "
	    "WHERE article_id = ?", "ssssts", c->slug, c->title, c->excerpt,
	    c->content_md, cx->now, id) == DB_OK;
}

bool
article_submit(struct ctx *cx, const char *id)
{
	return db_exec(cx->db, "UPDATE cms_articles SET "
	    "workflow_state = 'in_review', submitted_at = ?, updated_at = ?, "
	    "review_note = NULL, reviewer_user_id = NULL, reviewed_at = NULL "
	    "WHERE article_id = ?", "tts", cx->now, cx->now, id) == DB_OK;
}

bool
article_review(struct ctx *cx, const char *id, const char *note)
{
	return db_exec(cx->db, "UPDATE cms_articles SET "
	    "workflow_state = 'in_review', reviewer_user_id = ?, "
	    "review_note = ?, reviewed_at = ?, "
	    "submitted_at = coalesce(submitted_at, ?), updated_at = ? "
	    "WHERE article_id = ?", "ssttts", cx->actor.user_id, note, cx->now,
	    cx->now, cx->now, id) == DB_OK;
}

bool
article_publish(struct ctx *cx, const char *id)
{
	return db_exec(cx->db, "UPDATE cms_articles SET "
	    "workflow_state = 'published', published_by_user_id = ?, "
	    "published_at = ?, updated_at = ? WHERE article_id = ?", "stts",
	    cx->actor.user_id, cx->now, cx->now, id) == DB_OK;
}

/* Every row of a prepared SELECT of ARTICLE_COLS into an arena array. */
static struct article *
many(struct ctx *cx, struct db_stmt *st, size_t *n)
{
	struct article *v = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return NULL;
	v = arena_alloc(&cx->arena, sizeof(*v));
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			struct article *w;

			cap = cap == 0 ? 8 : cap * 2;
			w = arena_alloc(&cx->arena, cap * sizeof(*w));
			if (*n > 0)
				memcpy(w, v, *n * sizeof(*w));
			v = w;
		}
		fill(cx, st, &v[(*n)++]);
	}
	db_finalize(st);
	return rc < 0 ? NULL : v;
}

struct article *
article_list(struct ctx *cx, const char *type, size_t *n)
{
	/* api.md 15.1: published_at descending with nulls last, then
	 * updated_at, then created_at; exact ties: the later insert first. */
	return many(cx, db_prep(cx->db, "SELECT " ARTICLE_COLS " FROM "
	    "cms_articles WHERE content_type = ? ORDER BY "
	    "published_at IS NULL, published_at DESC, updated_at DESC, "
	    "created_at DESC, seq DESC", "s", type), n);
}

struct article *
article_list_published(struct ctx *cx, const char *type, size_t *n)
{
	return many(cx, db_prep(cx->db, "SELECT " ARTICLE_COLS " FROM "
	    "cms_articles WHERE content_type = ? AND "
	    "workflow_state = 'published' ORDER BY published_at DESC, "
	    "updated_at DESC, seq DESC", "s", type), n);
}
