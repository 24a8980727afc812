/* mdlite.c: see mdlite.h. */
#include <stdbool.h>
#include <string.h>

#include "domain/mdlite.h"

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

/* One trimmed, non-empty block [s, end). */
static void
block(struct buf *out, const char *s, const char *end, mdlite_esc_fn esc)
{
	size_t n = (size_t)(end - s);
	bool first = true;

	if (memchr(s, '\n', n) == NULL && n > 4 && s[0] == '*' &&
	    s[1] == '*' && s[n - 2] == '*' && s[n - 1] == '*') {
		buf_puts(out, "<h2>");
		esc(out, s + 2, n - 4);
		buf_puts(out, "</h2>\n");
		return;
	}
	if (every_line_listed(s, end)) {
		buf_puts(out, "<ul>\n");
		while (s < end) {
			n = line_len(s, end);
			buf_puts(out, "<li>");
			esc(out, s + 2, n - 2);
			buf_puts(out, "</li>\n");
			s += n + 1;
		}
		buf_puts(out, "</ul>\n");
		return;
	}
	buf_puts(out, "<p>");
	while (s < end) {
		n = line_len(s, end);
		if (!first)
			buf_putc(out, ' ');
		esc(out, s, n);
		first = false;
		s += n + 1;
	}
	buf_puts(out, "</p>\n");
}

/* Trims the block [s, e) and renders it unless nothing is left. */
static void
flush(struct buf *out, const char *s, const char *e, mdlite_esc_fn esc)
{
	while (s < e && ws(*s))
		s++;
	while (e > s && ws(e[-1]))
		e--;
	if (e > s)
		block(out, s, e, esc);
}

void
mdlite_render(struct buf *out, const char *md, size_t n, mdlite_esc_fn esc)
{
	struct buf norm = { 0 };
	const char *p, *end, *start = NULL, *last = NULL;
	size_t i;

	/* Rule 1: \r\n -> \n (a lone \r stays text). */
	for (i = 0; i < n; i++) {
		if (md[i] == '\r' && i + 1 < n && md[i + 1] == '\n')
			continue;
		buf_putc(&norm, md[i]);
	}
	if (norm.len == 0) {
		buf_free(&norm);
		return;
	}
	p = norm.data;
	end = norm.data + norm.len;
	/* start..last: the lines of the current block, up to a blank line. */
	for (;;) {
		size_t ln = line_len(p, end);

		if (blank(p, ln)) {
			if (start != NULL)
				flush(out, start, last, esc);
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
		flush(out, start, last, esc);
	buf_free(&norm);
}
