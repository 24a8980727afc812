/* mdlite.c: see mdlite.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "http/html.h"
#include "http/mdlite.h"

/* The whitespace of str_trim(): space, \t, \r, \n, \v, \f. */
static bool
ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static bool
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!ws(s[i]))
			return false;
	return true;
}

/* Length of the line at s (up to '\n' or end). */
static size_t
line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
}

static bool
every_line_listed(const char *s, const char *end)
{
	while (s < end) {
		size_t n = line_len(s, end);

		if (n < 2 || s[0] != '-' || s[1] != ' ')
			return false;
		s += n + 1;
	}
	return true;
}

/* Writes the n bytes at s as escaped text: the writer takes C strings. */
static void
text(struct buf *out, const char *pre, const char *s, size_t n,
    const char *post)
{
	char *t = xmalloc(n + 1);

	memcpy(t, s, n);
	t[n] = '\0';
	html_printf(out, "%s%s%s", pre, t, post);
	free(t);
}

/* One trimmed, non-empty block [s, end). */
static void
block(struct buf *out, const char *s, const char *end)
{
	size_t n = (size_t)(end - s);
	bool first = true;

	if (memchr(s, '\n', n) == NULL && n > 4 && s[0] == '*' &&
	    s[1] == '*' && s[n - 2] == '*' && s[n - 1] == '*') {
		html_printf(out, "<h2>");
		text(out, "", s + 2, n - 4, "");
		html_printf(out, "</h2>\n");
		return;
	}
	if (every_line_listed(s, end)) {
		html_printf(out, "<ul>\n");
		while (s < end) {
			n = line_len(s, end);
			html_printf(out, "<li>");
			text(out, "", s + 2, n - 2, "");
			html_printf(out, "</li>\n");
			s += n + 1;
		}
		html_printf(out, "</ul>\n");
		return;
	}
	html_printf(out, "<p>");
	while (s < end) {
		n = line_len(s, end);
		text(out, first ? "" : " ", s, n, "");
		first = false;
		s += n + 1;
	}
	html_printf(out, "</p>\n");
}

/* Trims the block [s, e) and renders it unless nothing is left. */
static void
flush(struct buf *out, const char *s, const char *e)
{
	while (s < e && ws(*s))
		s++;
	while (e > s && ws(e[-1]))
		e--;
	if (e > s)
		block(out, s, e);
}

void
mdlite_render(struct buf *out, const char *md, size_t n)
{
	const char *p, *end, *start = NULL, *last = NULL;
	char *norm;
	size_t i, len = 0;

	if (n == 0)
		return;
	/* Rule 1: \r\n -> \n (a lone \r stays text). */
	norm = xmalloc(n);
	for (i = 0; i < n; i++) {
		if (md[i] == '\r' && i + 1 < n && md[i + 1] == '\n')
			continue;
		norm[len++] = md[i];
	}
	p = norm;
	end = norm + len;
	/* start..last: the lines of the current block, up to a blank line. */
	for (;;) {
		size_t ln = line_len(p, end);

		if (blank(p, ln)) {
			if (start != NULL)
				flush(out, start, last);
			start = NULL;
		} else {
			if (start == NULL)
				start = p;
			last = p + ln;
		}
		if (p + ln >= end)
			break;
		p += ln + 1;
	}
	if (start != NULL)
		flush(out, start, last);
	free(norm);
}
