/*
 * app.h: the life of every request, in one function.
 *
 *   config -> maintenance -> database -> schema -> route (404/405)
 *   -> actor -> 401 -> CSRF -> moderator/role 403 -> consent
 *   -> declared rate limit 429 -> 413 -> query 422 -> handler
 *   -> response -> log line
 *
 * A CGI's main() is its route table plus app_run(): APP_MAIN().
 */
#ifndef LTC_APP_H
#define LTC_APP_H

#include "http/route.h"

struct app {
	const char	*group;		/* "vehicles", "site", ... */
	const struct route *routes;
	size_t		 nroutes;
	/* HTML error pages instead of JSON (the site CGI); may be NULL. */
	void		(*render_error)(struct req *, int status,
			    const char *detail);
};

int	 app_run(const struct app *);

#define NROUTES(a)	(sizeof(a) / sizeof((a)[0]))

/* A CGI's main(): APP_MAIN("vehicles", routes, NULL). */
#define APP_MAIN(group, table, render_error)				\
	int main(void) { return app_run(&(struct app){ (group), (table),	\
	    NROUTES(table), (render_error) }); }

#endif
