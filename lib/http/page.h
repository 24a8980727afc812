/*
 * page.h: the one layout of every HTML page (frontend.md 2, 3, 7): the
 * server-rendered pages of the CGIs and, generated from the same code at
 * build time, the static pages of htdocs/ (bin/mkpage.c,
 * bin/gen-htdocs.sh). A change to the layout is an edit here.
 *
 * A page is built into a struct buf owned by the caller, through the
 * escaping writer of html.h only:
 *
 *	struct buf b = { 0 };
 *	page_begin(&b, &(struct page_opts){ .title = "Fahrzeug-Check" });
 *	html_printf(&b, "<h1>Fahrzeug-Check</h1>\n<p>%s</p>\n", text);
 *	page_end(&b, &opts);
 *	page_send(r, 200, &b, NULL);		(frees b)
 *
 * page_begin() writes everything up to and including the opening
 * <main id="main" tabindex="-1"><div class="container">; page_end()
 * closes them and writes the footer. The page writes exactly one <h1>.
 */
#ifndef LTC_PAGE_H
#define LTC_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "base/util.h"

struct page_opts {
	const char	*title;		/* "<title> – LifeTimeCircle" */
	bool		 raw_title;	/* title used as is, no suffix */
	const char	*nav_current;	/* href marked aria-current="page" */
	/*
	 * The page shows the Trust-Ampel disclaimer itself in an element
	 * with this id: the footer then links there instead of repeating
	 * the text, so it appears exactly once (frontend.md 3.1).
	 */
	const char	*disclaimer_id;
	const char	*description;	/* <meta name="description">, optional */
	const char	*canonical;	/* canonical path without its "/" */
};

void	 page_begin(struct buf *, const struct page_opts *);
void	 page_end(struct buf *, const struct page_opts *);

/*
 * Sends the page as text/html with the HTML security headers, then frees
 * b's storage (b is reset). cache NULL means no-store.
 */
void	 page_send(struct req *, int status, struct buf *, const char *cache);

/* 303 See Other to location (post/redirect/get), no body, no-store. */
void	 page_redirect(struct req *, const char *location);

/*
 * The render_error hook of struct app: the German error page for any
 * status the dispatcher or a handler answers through resp_detail()
 * (403, 404, 405, 413, 422, 429, 500, 503 ...). detail may be NULL.
 */
void	 page_error(struct req *, int status, const char *detail);

/*
 * The whole error page of status into b: what page_error() sends, and
 * the web server's static 404.html and 50x.html.
 */
void	 page_error_build(struct buf *, int status);

/* One field error for page_error_summary(). */
struct page_field_error {
	const char	*field_id;	/* id of the control in error */
	const char	*message;	/* static German text */
};

/*
 * The error summary of frontend.md 7 at the top of a form: role="alert",
 * one link per field to #field_id. Focus starts there (autofocus).
 */
void	 page_error_summary(struct buf *, const struct page_field_error *,
	    size_t n);

/* "gruen" -> "Grün", ...; NULL for anything else. */
const char *page_light_label(const char *light);

#endif
