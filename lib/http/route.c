/* route.c: see route.h. */
#include <string.h>

#include "http/route.h"

char *
route_normalise(struct arena *a, const char *pi)
{
	size_t n;

	if (pi == NULL || *pi == '\0')
		return arena_strdup(a, "/");
	n = strlen(pi);
	if (n > 1 && pi[n - 1] == '/')
		n--;
	if (pi[0] != '/')
		return arena_printf(a, "/%.*s", (int)n, pi);
	return arena_strndup(a, pi, n);
}

/*
 * Matches pattern against path segment by segment. specificity gets one
 * bit per segment (1 = literal), most significant first, so comparing the
 * numbers compares "literal beats {param} at the first difference".
 */
static bool
match_one(const char *pattern, const char *path, unsigned long long *spec,
    struct req *r, bool capture)
{
	const char *p = pattern, *s = path;
	size_t nparams = 0;
	int seg = 0;

	*spec = 0;
	for (;;) {
		const char *pe, *se;
		size_t pl, sl;

		if (*p == '/')
			p++;
		if (*s == '/')
			s++;
		pe = strchr(p, '/');
		se = strchr(s, '/');
		pl = pe != NULL ? (size_t)(pe - p) : strlen(p);
		sl = se != NULL ? (size_t)(se - s) : strlen(s);
		if (pl > 1 && p[0] == '{' && p[pl - 1] == '}') {
			if (sl == 0)
				return false;
			if (capture && nparams < MAX_PATH_PARAMS) {
				r->pnames[nparams] =
				    arena_strndup(&r->cx.arena, p + 1, pl - 2);
				r->pvalues[nparams] =
				    arena_strndup(&r->cx.arena, s, sl);
			}
			nparams++;
		} else {
			if (pl != sl || strncmp(p, s, pl) != 0)
				return false;
			if (seg < 63)
				*spec |= 1ull << (62 - seg);
		}
		seg++;
		if (pe == NULL || se == NULL) {
			if (pe != NULL || se != NULL)
				return false;
			if (capture)
				r->nparams = nparams < MAX_PATH_PARAMS ?
				    nparams : MAX_PATH_PARAMS;
			return true;
		}
		p = pe;
		s = se;
	}
}

enum match_result
route_match(const struct route *rt, size_t n, const char *method,
    const char *path, struct req *r, struct buf *allow)
{
	const struct route *best = NULL;
	unsigned long long best_spec = 0, spec;
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	bool any = false, get_allowed = false;
	size_t i, j;

	if (strlen(path) > PATH_MAX_BYTES)
		return MATCH_NOT_FOUND;
	for (i = 0; i < n; i++) {
		if (!match_one(rt[i].pattern, path, &spec, r, false))
			continue;
		any = true;
		if (strcmp(rt[i].method, m) != 0)
			continue;
		if (best == NULL || spec > best_spec) {
			best = &rt[i];
			best_spec = spec;
		}
	}
	if (best != NULL) {
		match_one(best->pattern, path, &spec, r, true);
		r->route = best;
		return MATCH_OK;
	}
	if (!any)
		return MATCH_NOT_FOUND;
	/* Allow: methods of all templates matching the path, HEAD with GET. */
	for (i = 0; i < n; i++) {
		bool dup = false;

		if (!match_one(rt[i].pattern, path, &spec, r, false))
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(rt[j].method, rt[i].method) == 0 &&
			    match_one(rt[j].pattern, path, &spec, r, false))
				dup = true;
		if (dup)
			continue;
		if (allow->len > 0)
			buf_puts(allow, ", ");
		buf_puts(allow, rt[i].method);
		if (strcmp(rt[i].method, "GET") == 0)
			get_allowed = true;
	}
	if (get_allowed)
		buf_puts(allow, ", HEAD");
	return MATCH_METHOD;
}
