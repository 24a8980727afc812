/*
 * response.h: building the buffered response of a request.
 *
 * Every writer replaces what an earlier one set, so a handler can always
 * turn a half-built answer into an error. JSON bodies go through jansson,
 * HTML through the escaping writer of html.h: data is never printf'd raw.
 */
#ifndef LTC_RESPONSE_H
#define LTC_RESPONSE_H

#include <jansson.h>

#include "http/request.h"

/* JSON body; steals the reference. */
void	 resp_json(struct req *, int status, json_t *);
/* A JSON body already serialised (an idempotent replay), sent as is. */
void	 resp_json_text(struct req *, int status, const char *json, size_t len);
/* {"detail": "<code>"} */
void	 resp_detail(struct req *, int status, const char *detail);
/* {"detail": <object>}; steals the reference. */
void	 resp_detail_obj(struct req *, int status, json_t *);
/* {"detail": {"code": "<code>"}} */
void	 resp_detail_code(struct req *, int status, const char *code);
/* Masterclipboard handler errors: {"error": "<code>"}. */
void	 resp_error_code(struct req *, int status, const char *code);
/* 500 internal_error with the log error class (internal, storage, ...). */
void	 resp_internal(struct req *, const char *err_class);
/* Maps db_status(): busy -> 503 busy, else 500 internal_error. */
void	 resp_db_error(struct req *);
/* resp_json(), or resp_db_error() when j is NULL (a store's failed read). */
void	 resp_json_or_db(struct req *, int status, json_t *j);
/* 200 {"ok": true}. */
void	 resp_ok(struct req *);
/*
 * A store's found status: rc < 0 answers resp_db_error(), rc == 0 the
 * detail with status; true (nothing answered) when rc > 0.
 */
bool	 resp_found(struct req *, int rc, int status, const char *detail);
/*
 * The detail of an answer the web server makes itself (README "Error
 * bodies"): 400 bad_request, 413 too_large, 431 headers_too_large,
 * 500/502 internal_error, 503 busy; other statuses their reason phrase.
 */
const char *resp_server_detail(int status);
/* 429 with Retry-After. */
void	 resp_rate_limited(struct req *, const char *detail, int64_t retry_after);

/* HTML page (already escaped) with the HTML security headers. */
void	 resp_html(struct req *, int status, const char *html, size_t len,
	    const char *cache_control);
/* Any other body (QR images, downloads); CSP and cache as given. */
void	 resp_raw(struct req *, int status, const char *content_type,
	    const void *, size_t, const char *csp);

/*
 * A body of len bytes read from the open file fd when the response is
 * written, in chunks, never held in memory (downloads). The response owns
 * fd from here on; replacing the answer closes it.
 */
void	 resp_file(struct req *, int status, const char *content_type, int fd,
	    int64_t len, const char *csp);

void	 resp_header(struct req *, const char *name, const char *value);
void	 resp_clear(struct req *);

/* 422 helpers: see valid.h for adding items. */
void	 resp_422(struct req *);

/* Emits Status, headers and body on stdout; returns body bytes written. */
size_t	 resp_write(struct req *);

#endif
