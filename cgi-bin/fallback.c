/*
 * fallback: the web server's error handler for the CGI paths (ops.md 3,
 * 4), so a request the server itself refuses still gets the JSON answer
 * of the spec instead of an HTML error page:
 *
 * - a group whose CGI is not installed (/api/documents before the
 *   documents CGI exists): the JSON 404 of README "Paths and dispatch";
 * - a POST without Content-Length, which lighttpd answers with 411 before
 *   any CGI runs (REDIRECT_STATUS=411): it is run as the POST with an
 *   empty body it stands for (security.md 8.2), by the CGI the rewrite
 *   rules of ops.md would have chosen. Apache hands such a POST to the
 *   CGI itself;
 * - any other refusal of a malformed request (400, 431, 501, ...): its
 *   status with the JSON detail of README "Error bodies" on /api, the
 *   German error page elsewhere; raw bytes outside ASCII in the path
 *   (refused by the server config, see conf/lighttpd.conf.in) are a 400.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/app.h"
#include "http/page.h"
#include "http/response.h"
#include "base/util.h"

/* The rewrite rules of ops.md 3 and 4, as tables. */
static const char *const groups[] = { "auth", "consent", "vehicles",
	"documents", "export", "sale", "transfer", "admin", "cms", "blog",
	"news", "public", "addons", "trust", "servicebook", "masterclipboard",
	"support", "health", "reminders", NULL };
static const char *const pages[] = { "qr", "blog", "news", "login",
	"register", "logout", "consent", "impressum", NULL };
static const char *const site[] = { "site", NULL };

/* Is p "/<name>" or "/<name>/..." for a name of the list? Its length. */
static size_t
segment_in(const char *p, const char *const *list)
{
	size_t n;

	if (*p != '/')
		return 0;
	n = strcspn(p + 1, "/?");
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncmp(p + 1, *list, n) == 0)
			return n + 1;
	return 0;
}

static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Folds "//", "." and ".." of a path in place (it only gets shorter). */
static void
fold_path(char *d)
{
	char *r = d, *w = d;
	size_t sl;

	while (*r != '\0') {
		if (*r == '/') {
			while (r[1] == '/')
				r++;
			if (w == d || w[-1] != '/')
				*w++ = '/';
			r++;
			continue;
		}
		sl = strcspn(r, "/");
		if (sl == 1 && r[0] == '.') {
			r += r[1] == '/' ? 2 : 1;
			continue;
		}
		if (sl == 2 && r[0] == '.' && r[1] == '.') {
			/* Back to the '/' before the last segment written. */
			if (w - d > 1) {
				w--;
				while (w > d && w[-1] != '/')
					w--;
			}
			r += r[2] == '/' ? 3 : 2;
			continue;
		}
		memmove(w, r, sl);
		w += sl;
		r += sl;
	}
	*w = '\0';
}

/*
 * PATH_INFO as lighttpd derives it from the raw path: escapes decoded
 * (an escaped NUL and malformed ones stay as sent), then folded.
 */
static char *
path_info(const char *raw, size_t n)
{
	char *d = xmalloc(n + 1), *o = d;
	size_t i;
	int h, l;

	for (i = 0; i < n; i++) {
		if (raw[i] == '%' && i + 2 < n &&
		    (h = hexdigit(raw[i + 1])) >= 0 &&
		    (l = hexdigit(raw[i + 2])) >= 0 && (h | l) != 0) {
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else
			*o++ = raw[i];
	}
	*o = '\0';
	fold_path(d);
	return d;
}

/* Runs the CGI for REQUEST_URI as an empty-body POST; returns on failure. */
static void
run_as_empty_post(void)
{
	const char *uri = getenv("REQUEST_URI"), *self = getenv("SCRIPT_FILENAME");
	const char *p, *q, *slash;
	char *group, *pi, *bin;
	size_t plen, n;

	if (uri == NULL || self == NULL || (slash = strrchr(self, '/')) == NULL)
		return;
	q = strchr(uri, '?');
	plen = q != NULL ? (size_t)(q - uri) : strlen(uri);
	p = uri;
	if (str_prefix(p, "/api/") && (n = segment_in(p + 4, groups)) > 0) {
		group = xstrndup(p + 5, n - 1);
		pi = path_info(p + 4 + n, plen - 4 - n);
	} else if (str_prefix(p, "/cgi-bin/") &&
	    ((n = segment_in(p + 8, groups)) > 0 ||
	    (n = segment_in(p + 8, site)) > 0)) {
		group = xstrndup(p + 9, n - 1);
		pi = path_info(p + 8 + n, plen - 8 - n);
	} else if (segment_in(p, pages) > 0) {
		group = xstrdup("site");
		pi = path_info(p, plen);
	} else
		return;
	bin = xasprintf("%.*s/%s", (int)(slash - self), self, group);
	if (access(bin, X_OK) != 0)
		goto out;
	setenv("REQUEST_METHOD", "POST", 1);
	unsetenv("CONTENT_LENGTH");
	unsetenv("REDIRECT_STATUS");
	if (pi[0] != '\0')
		setenv("PATH_INFO", pi, 1);
	else
		unsetenv("PATH_INFO");
	setenv("QUERY_STRING", q != NULL ? q + 1 : "", 1);
	setenv("SCRIPT_FILENAME", bin, 1);
	execl(bin, bin, (char *)NULL);
	/* Not run after all: answer as the error handler's own GET. */
	setenv("REQUEST_METHOD", "GET", 1);
	setenv("QUERY_STRING", "", 1);
	unsetenv("PATH_INFO");
out:
	free(bin);
	free(pi);
	free(group);
}

/* A request path with a byte outside printable ASCII (not HTTP). */
static bool
raw_bytes(const char *uri)
{
	for (; uri != NULL && *uri != '\0'; uri++)
		if ((unsigned char)*uri < 0x21 || (unsigned char)*uri > 0x7e)
			return true;
	return false;
}

/*
 * Is the request one of the API's? Its refusals are JSON, those of the
 * pages German HTML (README "Error bodies"). A request whose line could
 * not be read has no URI: JSON, which is what API clients parse.
 */
static bool
api_request(void)
{
	const char *u = getenv("REQUEST_URI");

	if (u == NULL || *u == '\0')
		return true;
	return str_prefix(u, "/api/") || str_prefix(u, "/api?") ||
	    strcmp(u, "/api") == 0 ||
	    (str_prefix(u, "/cgi-bin/") && segment_in(u + 8, site) == 0);
}

/*
 * The server's status, kept, with the detail of README "Error bodies".
 * 403 and 404 mean the group's CGI is missing or not runnable: the spec's
 * 404 for a path no CGI serves, as is a 411 for a path no rewrite rule
 * maps; a 403 for raw bytes in the path is the 400 of a malformed request.
 */
static void
fallback_get(struct req *r)
{
	const char *s = getenv("REDIRECT_STATUS");
	int64_t st;

	if (s != NULL && parse_int64(s, &st) && st == 403 &&
	    raw_bytes(getenv("REQUEST_URI")))
		st = 400;
	else if (s == NULL || !parse_int64(s, &st) || st < 400 ||
	    st > 599 || st == 403 || st == 404 || st == 411)
		st = 404;
	if (!api_request()) {
		page_error(r, (int)st, NULL);
		return;
	}
	resp_detail(r, (int)st, st == 404 ? "Not Found" :
	    resp_server_detail((int)st));
	if (st == 503)
		resp_header(r, "Retry-After", "1");
}

static const struct route routes[] = {
	{ "GET", "/", { R_PUBLIC_ROUTE, NULL, 0 }, fallback_get },
};

int
main(void)
{
	if (str_eq(getenv("REDIRECT_STATUS"), "411"))
		run_as_empty_post();
	return app_run(&(struct app){ "fallback", routes, NROUTES(routes),
	    NULL });
}
