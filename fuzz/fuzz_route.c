/*
 * libFuzzer harness: PATH_INFO normalisation and route matching
 * (lib/route.c) against a table shaped like the real CGIs'.
 */
#include <stdint.h>
#include <string.h>

#include "http/route.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void h(struct req *r) { (void)r; }

static const struct route routes[] = {
	{ "GET", "/", { R_ANY, NULL, 0 }, h },
	{ "POST", "/", { R_ANY, NULL, 0 }, h },
	{ "GET", "/{vehicle_id}", { R_ANY, NULL, 0 }, h },
	{ "PATCH", "/{vehicle_id}", { R_ANY, NULL, 0 }, h },
	{ "GET", "/{vehicle_id}/entries", { R_ANY, NULL, 0 }, h },
	{ "POST", "/{vehicle_id}/entries/{entry_id}/revisions", { R_ANY, NULL, 0 }, h },
	{ "GET", "/blog/drafts", { R_ANY, NULL, 0 }, h },
	{ "GET", "/{type}/{article_id}", { R_ANY, NULL, 0 }, h },
	{ "POST", "/review/{type}/{article_id}", { R_ANY, NULL, 0 }, h },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "PATCH",
	    "DELETE" };
	struct req r;
	struct buf allow = { 0 };
	char *pi;
	size_t i;

	if (size == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	pi = xstrndup((const char *)data + 1, size - 1);
	r.path = route_normalise(&r.cx.arena, pi);
	if (route_match(routes, sizeof(routes) / sizeof(routes[0]),
	    methods[data[0] % 5], r.path, &r, &allow) == MATCH_OK) {
		if (r.route == NULL || r.nparams > MAX_PATH_PARAMS)
			__builtin_trap();
		for (i = 0; i < r.nparams; i++)
			if (r.pvalues[i][0] == '\0' ||
			    strchr(r.pvalues[i], '/') != NULL)
				__builtin_trap();
	}
	buf_free(&allow);
	free(pi);
	arena_free(&r.cx.arena);
	return 0;
}
