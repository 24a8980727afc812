/*
 * form.h: application/x-www-form-urlencoded decoding (query strings and
 * form bodies) and the Cookie header. Hand-written, fuzzed in fuzz/.
 */
#ifndef LTC_FORM_H
#define LTC_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

struct kv {
	const char	*name;
	const char	*value;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

enum form_status { FORM_OK, FORM_BAD_ESCAPE, FORM_NUL, FORM_BAD_UTF8,
    FORM_TOO_MANY };

/*
 * Decodes "a=1&b=%20x" into list (arena-owned). '+' is a space. A bad
 * percent-escape, an encoded NUL or invalid UTF-8 fails the whole input.
 * At most max pairs.
 */
enum form_status form_parse(struct arena *, const char *, size_t,
	    size_t max, struct kvlist *);
/* First occurrence of name, or NULL. */
const char *kv_get(const struct kvlist *, const char *name);

/*
 * Parses a Cookie header ("a=b; c=d"); values are taken literally (no
 * decoding), surrounding quotes stripped. Malformed pairs are skipped.
 */
void	 cookie_parse(struct arena *, const char *, struct kvlist *);

/* Percent-encode for a URL path segment or query value; caller frees. */
char	*url_encode(const char *);

#endif
