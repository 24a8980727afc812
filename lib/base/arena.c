/* arena.c: see arena.h. One malloc per allocation, chained for release. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/util.h"

struct arena_block {
	struct arena_block *next;
	max_align_t	 data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;

	if (n > SIZE_MAX - sizeof(*b))
		n = SIZE_MAX - sizeof(*b);	/* xmalloc will fail */
	b = xmalloc(sizeof(*b) + n);
	b->next = a->head;
	a->head = b;
	memset(b->data, 0, n);
	return b->data;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_strndup(a, tmp, (size_t)n);
	free(tmp);
	return p;
}

void
arena_free(struct arena *a)
{
	while (a->head != NULL) {
		struct arena_block *b = a->head;

		a->head = b->next;
		free(b);
	}
}
