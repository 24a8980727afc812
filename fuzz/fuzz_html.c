/*
 * libFuzzer harness: the escaping writer (lib/http/html.c). The input is
 * written as text, as attribute values and as a URL component; markup
 * must stay exactly the format's, and every escape must decode back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Text between the format's tags: no markup, entities decode to s. */
static void
check_text(const char *p, size_t n, const char *s)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t i, j, k = 0, len;

	for (i = 0; i < n; i++) {
		if (p[i] == '<' || p[i] == '>' || p[i] == '"' || p[i] == '\'')
			__builtin_trap();
		if (p[i] != '&') {
			if (s[k++] != p[i])
				__builtin_trap();
			continue;
		}
		for (j = 0; j < sizeof(ents) / sizeof(ents[0]); j++) {
			len = strlen(ents[j].ent);
			if (n - i >= len &&
			    memcmp(p + i, ents[j].ent, len) == 0)
				break;
		}
		if (j == sizeof(ents) / sizeof(ents[0]) || s[k++] != ents[j].c)
			__builtin_trap();
		i += strlen(ents[j].ent) - 1;
	}
	if (s[k] != '\0')
		__builtin_trap();
}

/* A URL component: unreserved bytes and %XX only, decoding to s. */
static void
check_url(const char *u, const char *s)
{
	size_t k = 0;

	for (; *u != '\0'; u++) {
		if (*u == '%') {
			if (hexval(u[1]) < 0 || hexval(u[2]) < 0 ||
			    (unsigned char)s[k++] !=
			    hexval(u[1]) * 16 + hexval(u[2]))
				__builtin_trap();
			u += 2;
		} else if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-._~", *u) == NULL ||
		    s[k++] != *u)
			__builtin_trap();
	}
	if (s[k] != '\0')
		__builtin_trap();
}

static size_t
count(const struct buf *b, char c)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == c;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = { 0 };
	struct buf b = { 0 };
	const char *u;
	char *s;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	/* Text: only the format's tags remain. */
	html_printf(&b, "<p>%s</p>", s);
	if (b.len < 7 || memcmp(b.data, "<p>", 3) != 0 ||
	    memcmp(b.data + b.len - 4, "</p>", 4) != 0)
		__builtin_trap();
	check_text(b.data + 3, b.len - 7, s);
	buf_reset(&b);

	/* URL component. */
	u = html_url(&a, s);
	check_url(u, s);

	/* Attributes: the quotes, tags and numbers are the format's. */
	html_printf(&b, "<a title=\"%s\" href=\"/qr/%s\" data-n='%zu'>%s</a>"
	    "%d%%", s, u, size, s, -1);
	if (count(&b, '"') != 4 || count(&b, '\'') != 2 ||
	    count(&b, '<') != 2 || count(&b, '>') != 2 ||
	    memcmp(b.data + b.len - 3, "-1%", 3) != 0)
		__builtin_trap();

	buf_free(&b);
	arena_free(&a);
	free(s);
	return 0;
}
