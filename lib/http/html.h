/*
 * html.h: the one writer of HTML. Every server-rendered page is built
 * with html_printf(): markup comes only from its format, a string literal
 * the compiler checks (format attribute, -Wformat-nonliteral), and every
 * argument is data that cannot turn into markup.
 *
 *	%s	text, HTML-escaped: & < > " ' become &amp; &lt; &gt; &quot;
 *		&#39;. Safe in element content and in a double-quoted
 *		attribute value (the one escaping set covers both, as
 *		cgit's html_attr does). NULL writes nothing.
 *	%d %i %u %ld %li %lu %lld %lli %llu %zd %zu
 *		decimal numbers, as printf.
 *	%%	a percent sign.
 *
 * Nothing else is accepted: any other conversion, flag, width or
 * precision is a programming error and aborts. URL components are made
 * safe first by html_url() and then written with %s:
 *
 *	html_printf(b, "<a href=\"/qr/%s\">%s</a>\n",
 *	    html_url(&r->cx.arena, id), name);
 *
 * make check-html (bin/check-html.sh) keeps page code to these rules.
 */
#ifndef LTC_HTML_H
#define LTC_HTML_H

#include <stdarg.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/util.h"

void	 html_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 html_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

/*
 * s percent-encoded as one URL component (a path segment or a query
 * value): every byte but A-Z a-z 0-9 - . _ ~ becomes %XX, so UTF-8
 * stays as its bytes ("ä" -> "%C3%A4"). The copy lives in the arena;
 * NULL gives "".
 */
const char *html_url(struct arena *, const char *);

/*
 * Writes the page in b to f (static pages generated at build time);
 * -1 on a write error.
 */
int	 html_fwrite(const struct buf *, FILE *);

#endif
