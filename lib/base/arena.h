/*
 * arena.h: request-lifetime allocations. Everything a handler gets from
 * the request (decoded parameters, validated strings) lives here and is
 * freed at once when the request ends, so handlers never free them.
 */
#ifndef LTC_ARENA_H
#define LTC_ARENA_H

#include <stddef.h>

struct arena {
	struct arena_block *head;
};

void	*arena_alloc(struct arena *, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 arena_free(struct arena *);

#endif
