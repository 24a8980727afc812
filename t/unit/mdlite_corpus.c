/*
 * The markdown-light renderer against t/data/mdlite-cases.json, the
 * corpus the app's markdown.js is checked against as well (t/63-js.t):
 * the CMS preview and the published page render alike.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "http/mdlite.h"
#include "tap.h"

#define CASES "t/data/mdlite-cases.json"

/* The corpus from the checkout root, or relative to build/t/<this>. */
static json_t *
load(const char *argv0)
{
	char path[4096];
	const char *slash;
	json_t *a;

	if ((a = json_load_file(CASES, 0, NULL)) != NULL)
		return a;
	if ((slash = strrchr(argv0, '/')) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%.*s/../../%s", (int)(slash - argv0),
	    argv0, CASES);
	return json_load_file(path, 0, NULL);
}

int
main(int argc, char **argv)
{
	json_t *cases, *c;
	size_t i;
	char desc[128];

	(void)argc;
	cases = load(argv[0]);
	if (!ok(json_is_array(cases) && json_array_size(cases) >= 30,
	    "the shared corpus " CASES " is there"))
		return done_testing();
	json_array_foreach(cases, i, c) {
		json_t *in = json_object_get(c, "in");
		const char *want = json_string_value(json_object_get(c, "out"));
		struct buf b = { 0 };
		const char *got;

		mdlite_render(&b, json_string_value(in), json_string_length(in));
		got = b.data != NULL ? b.data : "";
		snprintf(desc, sizeof(desc), "corpus case %zu", i);
		if (!ok(want != NULL && strcmp(got, want) == 0, desc))
			printf("# got:  [%s]\n# want: [%s]\n", got, want);
		buf_free(&b);
	}
	json_decref(cases);
	return done_testing();
}
