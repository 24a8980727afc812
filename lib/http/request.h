/*
 * request.h: one CGI request from environment to response.
 *
 * struct req owns everything of the request: its arena (decoded inputs,
 * validated values), the database handle, the actor, and the buffered
 * response, which app_run() writes in one piece when the handler returns.
 */
#ifndef LTC_REQUEST_H
#define LTC_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/crypto.h"
#include "store/ctx.h"
#include "http/form.h"
#include "base/util.h"

#define PATH_MAX_BYTES		2048
#define QUERY_MAX_BYTES		8192
#define HEADER_MAX_BYTES	8192
#define PATH_ID_MAX		128
#define MAX_PATH_PARAMS		8

struct header {
	char		*name;
	char		*value;
};

struct resp {
	int		 status;
	struct header	 headers[24];
	size_t		 nheaders;
	struct buf	 body;
	bool		 set;		/* a handler produced a response */
	const char	*event;		/* log "event" override */
	bool		 keep_writes;	/* commit although status >= 400 */
	const char	*err;		/* log "err" for 5xx */
	bool		 has_file;	/* body streamed from file_fd (downloads) */
	int		 file_fd;
	int64_t		 file_len;
};

struct route;
struct app;

struct req {
	struct ctx	 cx;		/* arena, db, now, actor, rid: see ctx.h */
	const struct app *app;
	const char	*method;	/* as sent; HEAD kept */
	bool		 head;
	char		*path;		/* PATH_INFO normalised (one '/' stripped) */
	const char	*query_raw;
	struct kvlist	 query;		/* parsed by app_run before the handler */
	struct kvlist	 cookies;
	int64_t		 started;	/* real clock, for the duration */

	const struct route *route;
	const char	*pnames[MAX_PATH_PARAMS];
	const char	*pvalues[MAX_PATH_PARAMS];
	size_t		 nparams;

	bool		 body_read;
	char		*body;		/* arena, NUL-terminated */
	size_t		 body_len;
	json_t		*json;		/* parsed body, owned by req */
	json_t		*verr;		/* 422 items collected so far */

	struct resp	 resp;
};

/* Header value from the CGI environment (HTTP_*), truncated to 8 KiB. */
const char *req_header(const char *cgi_name);
/* Authorization, falling back to REDIRECT_HTTP_AUTHORIZATION (Apache). */
const char *req_authorization(void);
/* Path parameter captured by the route, or NULL. */
const char *req_param(const struct req *, const char *name);
/* First query parameter with that name, or NULL. */
const char *req_query(const struct req *, const char *name);
/* Cookie value, or NULL. */
const char *req_cookie(const struct req *, const char *name);
/* CONTENT_LENGTH as a number; 0 when absent or invalid. */
int64_t	 req_content_length(void);
/* Reads the body once (up to limit bytes); false on read error. */
bool	 req_read_body(struct req *, size_t limit);
/*
 * A PF_WRITE route's refusal keeps what it wrote so far (README
 * "Transactions"): the request life commits instead of rolling back.
 */
void	 req_keep_writes(struct req *);
/* Client IP (REMOTE_ADDR, trusted_proxies rule of security.md 12). */
const char *req_client_ip(struct req *);
/* ip_hmac of the client IP. */
void	 req_ip_hmac(struct req *, char out[B64URL_HMAC_LEN]);
/* Site origin scheme://host[:port] (public_base_url or request). */
const char *req_site_origin(struct req *);
bool	 req_is_https(void);


#endif
