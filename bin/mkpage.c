/*
 * mkpage: the layout of lib/http/page.c for the static pages, so a static
 * page and a CGI page share one header and one footer. Run at build time
 * by bin/gen-htdocs.sh:
 *
 *	mkpage head TITLE [NAV]		page_begin(): everything up to <main>'s
 *					container; NAV is the href marked
 *					aria-current="page"
 *	mkpage foot			page_end() with the full disclaimer
 *	mkpage error STATUS		the site CGI's error page of STATUS
 *	mkpage api-error STATUS		the JSON body of the web server's own
 *					STATUS on /api (resp_server_detail)
 *
 * The page body between head and foot is the page's own file, written
 * by the generator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/html.h"
#include "http/page.h"
#include "http/response.h"

static int
api_error(int status)
{
	json_t *j = json_object();
	int rc;

	json_object_set_new(j, "detail", json_string(resp_server_detail(status)));
	rc = json_dumpf(j, stdout, JSON_COMPACT);
	json_decref(j);
	return rc == 0 ? 0 : 1;
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: mkpage head TITLE [NAV] | foot | error STATUS | "
	    "api-error STATUS\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	struct page_opts o = { 0 };
	struct buf b = { 0 };
	int rc;

	if (argc == 3 && strcmp(argv[1], "api-error") == 0 &&
	    atoi(argv[2]) >= 400 && atoi(argv[2]) <= 599)
		return api_error(atoi(argv[2]));
	if (argc == 3 || argc == 4) {
		if (strcmp(argv[1], "head") == 0) {
			o.title = argv[2];
			o.nav_current = argc == 4 ? argv[3] : NULL;
			page_begin(&b, &o);
		} else if (strcmp(argv[1], "error") == 0 && argc == 3 &&
		    atoi(argv[2]) >= 400 && atoi(argv[2]) <= 599)
			page_error_build(&b, atoi(argv[2]));
		else
			return usage();
	} else if (argc == 2 && strcmp(argv[1], "foot") == 0)
		page_end(&b, &o);
	else
		return usage();
	rc = html_fwrite(&b, stdout);
	buf_free(&b);
	if (rc == -1) {
		perror("mkpage");
		return 1;
	}
	return 0;
}
