/* response.c: see response.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/app.h"
#include "base/config.h"
#include "store/db.h"
#include "http/response.h"

#define CSP_JSON "default-src 'none'; frame-ancestors 'none'"
#define CSP_HTML "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; " \
	"object-src 'none'; base-uri 'none'; form-action 'self'; " \
	"frame-ancestors 'none'"

void
resp_clear(struct req *r)
{
	size_t i;

	for (i = 0; i < r->resp.nheaders; i++) {
		free(r->resp.headers[i].name);
		free(r->resp.headers[i].value);
	}
	r->resp.nheaders = 0;
	buf_reset(&r->resp.body);
	if (r->resp.has_file)
		close(r->resp.file_fd);
	r->resp.has_file = false;
	r->resp.status = 0;
	r->resp.set = false;
	r->resp.event = NULL;
	r->resp.err = NULL;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->resp.nheaders; i++)
		if (strcasecmp(r->resp.headers[i].name, name) == 0) {
			free(r->resp.headers[i].value);
			r->resp.headers[i].value = xstrdup(value);
			return;
		}
	if (r->resp.nheaders == sizeof(r->resp.headers) /
	    sizeof(r->resp.headers[0]))
		return;
	r->resp.headers[r->resp.nheaders].name = xstrdup(name);
	r->resp.headers[r->resp.nheaders].value = xstrdup(value);
	r->resp.nheaders++;
}

static void
begin(struct req *r, int status, const char *ctype, const char *csp,
    const char *cache)
{
	resp_clear(r);
	r->resp.status = status;
	r->resp.set = true;
	resp_header(r, "Content-Type", ctype);
	if (csp != NULL)
		resp_header(r, "Content-Security-Policy", csp);
	if (cache != NULL)
		resp_header(r, "Cache-Control", cache);
}

void
resp_json(struct req *r, int status, json_t *j)
{
	char *s;

	begin(r, status, "application/json; charset=utf-8", CSP_JSON,
	    "no-store");
	/* Amounts are the only reals: 15 digits print 0.99, not 0.98999... */
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	json_decref(j);
	if (s == NULL) {
		resp_internal(r, "internal");
		return;
	}
	buf_puts(&r->resp.body, s);
	free(s);
}

void
resp_json_text(struct req *r, int status, const char *json, size_t len)
{
	begin(r, status, "application/json; charset=utf-8", CSP_JSON,
	    "no-store");
	buf_append(&r->resp.body, json, len);
}

static bool
html_errors(struct req *r, int status, const char *detail)
{
	if (r->app == NULL || r->app->render_error == NULL)
		return false;
	r->app->render_error(r, status, detail);
	return true;
}

void
resp_detail(struct req *r, int status, const char *detail)
{
	json_t *j;

	if (html_errors(r, status, detail))
		return;
	j = json_object();
	json_object_set_new(j, "detail", json_string(detail));
	resp_json(r, status, j);
	if (status == 401)
		resp_header(r, "WWW-Authenticate", "Bearer");
}

void
resp_detail_obj(struct req *r, int status, json_t *detail)
{
	json_t *j;

	if (html_errors(r, status, NULL)) {
		json_decref(detail);
		return;
	}
	j = json_object();
	json_object_set_new(j, "detail", detail);
	resp_json(r, status, j);
	if (status == 401)
		resp_header(r, "WWW-Authenticate", "Bearer");
}

void
resp_detail_code(struct req *r, int status, const char *code)
{
	json_t *d = json_object();

	json_object_set_new(d, "code", json_string(code));
	resp_detail_obj(r, status, d);
}

void
resp_error_code(struct req *r, int status, const char *code)
{
	json_t *j = json_object();

	json_object_set_new(j, "error", json_string(code));
	resp_json(r, status, j);
}

void
resp_internal(struct req *r, const char *err_class)
{
	resp_detail(r, 500, "internal_error");
	r->resp.err = err_class;
}

void
resp_db_error(struct req *r)
{
	switch (db_status(r->cx.db)) {
	case DB_BUSY:
		resp_detail(r, 503, "busy");
		resp_header(r, "Retry-After", "1");
		r->resp.err = "db_busy";
		break;
	case DB_UNAVAILABLE:
		/* Unreadable, read-only or full (README "Error bodies"). */
		resp_detail(r, 503, "db_unavailable");
		resp_header(r, "Retry-After", "60");
		r->resp.err = "db_error";
		break;
	default:
		resp_internal(r, "db_error");
		break;
	}
}

const char *
resp_server_detail(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 403: return "forbidden";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 413: return "too_large";
	case 414: return "URI Too Long";
	case 417: return "Expectation Failed";
	case 431: return "headers_too_large";
	case 501: return "Not Implemented";
	case 503: return "busy";
	case 505: return "HTTP Version Not Supported";
	default: return status < 500 ? "bad_request" : "internal_error";
	}
}

void
resp_rate_limited(struct req *r, const char *detail, int64_t retry_after)
{
	char v[32];

	resp_detail(r, 429, detail);
	snprintf(v, sizeof(v), "%lld", (long long)(retry_after > 0 ?
	    retry_after : 1));
	resp_header(r, "Retry-After", v);
}

void
resp_html(struct req *r, int status, const char *html, size_t len,
    const char *cache)
{
	begin(r, status, "text/html; charset=utf-8", CSP_HTML,
	    cache != NULL ? cache : "no-store");
	buf_append(&r->resp.body, html, len);
}

void
resp_raw(struct req *r, int status, const char *ctype, const void *p,
    size_t n, const char *csp)
{
	begin(r, status, ctype, csp, "no-store");
	buf_append(&r->resp.body, p, n);
}

void
resp_file(struct req *r, int status, const char *ctype, int fd, int64_t len,
    const char *csp)
{
	begin(r, status, ctype, csp, "no-store");
	r->resp.has_file = true;
	r->resp.file_fd = fd;
	r->resp.file_len = len;
}

/* Copies the file body to stdout; the bytes written. */
static size_t
write_file(struct req *r)
{
	char chunk[65536];
	int64_t left = r->resp.file_len;
	size_t done = 0;
	ssize_t n;

	while (left > 0) {
		n = read(r->resp.file_fd, chunk, left < (int64_t)sizeof(chunk) ?
		    (size_t)left : sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		/* A file that shrank: the client sees a short body, no more. */
		if (n <= 0 || fwrite(chunk, 1, (size_t)n, stdout) != (size_t)n)
			break;
		done += (size_t)n;
		left -= n;
	}
	return done;
}

void
resp_422(struct req *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "detail", r->verr != NULL ? r->verr : json_array());
	r->verr = NULL;
	if (html_errors(r, 422, NULL)) {
		json_decref(j);
		return;
	}
	resp_json(r, 422, j);
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

size_t
resp_write(struct req *r)
{
	static const char *const security[][2] = {
		{ "X-Content-Type-Options", "nosniff" },
		{ "Referrer-Policy", "same-origin" },
		{ "X-Frame-Options", "DENY" },
		{ "Cross-Origin-Opener-Policy", "same-origin" },
		{ "Cross-Origin-Resource-Policy", "same-origin" },
		{ "Permissions-Policy",
		  "camera=(), microphone=(), geolocation=(), payment=()" },
	};
	struct buf out = { 0 };
	size_t i, n;

	buf_printf(&out, "Status: %d %s\r\n", r->resp.status,
	    reason(r->resp.status));
	for (i = 0; i < r->resp.nheaders; i++)
		buf_printf(&out, "%s: %s\r\n", r->resp.headers[i].name,
		    r->resp.headers[i].value);
	for (i = 0; i < sizeof(security) / sizeof(security[0]); i++)
		buf_printf(&out, "%s: %s\r\n", security[i][0], security[i][1]);
	if (req_is_https() && cfg.hsts_max_age > 0)
		buf_printf(&out, "Strict-Transport-Security: max-age=%lld; "
		    "includeSubDomains\r\n", (long long)cfg.hsts_max_age);
	buf_printf(&out, "X-Request-Id: %s\r\n", r->cx.rid);
	if (r->resp.has_file) {
		buf_printf(&out, "Content-Length: %lld\r\n\r\n",
		    (long long)r->resp.file_len);
		fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
		n = r->head ? 0 : write_file(r);
		fflush(stdout);
		return n;
	}
	buf_printf(&out, "Content-Length: %zu\r\n\r\n", r->resp.body.len);
	n = r->head ? 0 : r->resp.body.len;
	if (n > 0)
		buf_append(&out, r->resp.body.data, n);
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	buf_free(&out);
	return n;
}

void
resp_json_or_db(struct req *r, int status, json_t *j)
{
	if (j == NULL)
		resp_db_error(r);
	else
		resp_json(r, status, j);
}

void
resp_ok(struct req *r)
{
	resp_json(r, 200, json_pack("{s:b}", "ok", 1));
}

bool
resp_found(struct req *r, int rc, int status, const char *detail)
{
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, status, detail);
	return rc > 0;
}
