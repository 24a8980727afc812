/* request.c: see request.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "http/request.h"

const char *
req_header(const char *name)
{
	const char *v = getenv(name);

	/* Header values are truncated to 8 KiB (security.md 12). */
	if (v != NULL && strlen(v) > HEADER_MAX_BYTES) {
		char *t = xstrndup(v, HEADER_MAX_BYTES);

		setenv(name, t, 1);
		free(t);
		v = getenv(name);
	}
	return v;
}

const char *
req_authorization(void)
{
	const char *v = req_header("HTTP_AUTHORIZATION");

	if (v == NULL || *v == '\0')
		v = req_header("REDIRECT_HTTP_AUTHORIZATION");
	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
req_param(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->pnames[i], name) == 0)
			return r->pvalues[i];
	return NULL;
}

const char *
req_query(const struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

int64_t
req_content_length(void)
{
	const char *s = getenv("CONTENT_LENGTH");
	int64_t n;

	if (s == NULL || !parse_int64(s, &n) || n < 0)
		return 0;
	return n;
}

bool
req_read_body(struct req *r, size_t limit)
{
	int64_t want = req_content_length();
	size_t got = 0;
	char *p;

	if (r->body_read)
		return r->body != NULL;
	r->body_read = true;
	if ((uint64_t)want > limit)
		want = (int64_t)limit;
	p = arena_alloc(&r->cx.arena, (size_t)want + 1);
	while (got < (size_t)want) {
		ssize_t n = read(STDIN_FILENO, p + got, (size_t)want - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	p[got] = '\0';
	r->body = p;
	r->body_len = got;
	return true;
}

static bool
in_list(const char *list, const char *ip, size_t iplen)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *c = strchr(p, ',');
		size_t n = c != NULL ? (size_t)(c - p) : strlen(p);
		const char *s = p, *e = p + n;

		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if ((size_t)(e - s) == iplen && strncmp(s, ip, iplen) == 0)
			return true;
		p = c != NULL ? c + 1 : NULL;
	}
	return false;
}

const char *
req_client_ip(struct req *r)
{
	const char *remote = getenv("REMOTE_ADDR"), *xff;

	if (remote == NULL)
		remote = "";
	if (cfg.trusted_proxies == NULL || cfg.trusted_proxies[0] == '\0' ||
	    !in_list(cfg.trusted_proxies, remote, strlen(remote)))
		return remote;
	xff = req_header("HTTP_X_FORWARDED_FOR");
	if (xff == NULL)
		return remote;
	/* Right-most address that is not itself a trusted proxy. */
	{
		const char *end = xff + strlen(xff);

		while (end > xff) {
			const char *start = end;
			const char *s, *e;

			while (start > xff && start[-1] != ',')
				start--;
			s = start;
			e = end;
			while (s < e && *s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				e--;
			if (e > s && !in_list(cfg.trusted_proxies, s,
			    (size_t)(e - s)))
				return arena_strndup(&r->cx.arena, s,
				    (size_t)(e - s));
			end = start > xff ? start - 1 : xff;
		}
	}
	return remote;
}

void
req_ip_hmac(struct req *r, char out[B64URL_HMAC_LEN])
{
	char *msg = arena_printf(&r->cx.arena, "ip:%s", req_client_ip(r));

	hmac_b64url(msg, out);
}

bool
req_is_https(void)
{
	const char *h = getenv("HTTPS");

	return h != NULL && strcasecmp(h, "on") == 0;
}

const char *
req_site_origin(struct req *r)
{
	const char *host;

	if (cfg.public_base_url != NULL && cfg.public_base_url[0] != '\0') {
		const char *u = cfg.public_base_url, *p = strstr(u, "://");

		if (p != NULL) {
			const char *slash = strchr(p + 3, '/');

			if (slash != NULL)
				return arena_strndup(&r->cx.arena, u,
				    (size_t)(slash - u));
		}
		return u;
	}
	host = req_header("HTTP_HOST");
	return arena_printf(&r->cx.arena, "%s://%s",
	    req_is_https() ? "https" : "http", host != NULL ? host : "");
}


void
req_keep_writes(struct req *r)
{
	r->resp.keep_writes = true;
}
