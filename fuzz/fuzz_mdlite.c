/*
 * libFuzzer harness: the markdown-light renderer (lib/http/mdlite.c)
 * with the HTML escaping writer. Whatever the input, the output is a
 * sequence of <h2>, <ul> with <li>, and <p> elements without attributes,
 * and no text between the tags can open a tag or end an attribute.
 */
#include <stdint.h>
#include <string.h>

#include "http/mdlite.h"
#include "http/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Skips the literal lit at *p or traps. */
static void
expect(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		__builtin_trap();
	*p += n;
}

/* Text up to the next '<': nothing in it may be markup. */
static void
text(const char **p, const char *end)
{
	while (*p < end && **p != '<') {
		if (**p == '>' || **p == '"' || **p == '\'')
			__builtin_trap();
		(*p)++;
	}
}

static bool
at(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = { 0 };
	const char *p, *end;
	size_t blocks = 0, i;
	bool blank = true;

	mdlite_render(&b, (const char *)data, size);
	for (i = 0; i < size; i++)
		if (!strchr(" \t\r\n\v\f", data[i]) || data[i] == '\0')
			blank = false;
	p = b.data;
	end = b.data + b.len;
	while (p < end) {
		if (at(p, end, "<h2>")) {
			expect(&p, end, "<h2>");
			text(&p, end);
			expect(&p, end, "</h2>\n");
		} else if (at(p, end, "<p>")) {
			expect(&p, end, "<p>");
			text(&p, end);
			expect(&p, end, "</p>\n");
		} else {
			expect(&p, end, "<ul>\n");
			do {
				expect(&p, end, "<li>");
				text(&p, end);
				expect(&p, end, "</li>\n");
			} while (at(p, end, "<li>"));
			expect(&p, end, "</ul>\n");
		}
		blocks++;
	}
	/* Something non-blank always renders; blank input renders nothing. */
	if (blank != (blocks == 0))
		__builtin_trap();
	buf_free(&b);
	return 0;
}
