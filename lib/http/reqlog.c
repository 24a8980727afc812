/* reqlog.c: see reqlog.h. The one JSON line per request (ops.md 9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"
#include "http/reqlog.h"
#include "http/route.h"

void
log_request(struct req *r, const char *group, size_t bytes)
{
	char ts[TS_API_LEN];
	const char *event = r->resp.event;
	int status = r->resp.status;
	json_t *j;
	char *s;

	ts_api(r->started, ts);
	if (event == NULL) {
		if (status == 401)
			event = "auth_unauthorized";
		else if (status == 403)
			event = "rbac_forbidden";
		else if (status == 429)
			event = "rate_limited";
		else if (status >= 500)
			event = "server_error";
	}
	j = json_object();
	json_object_set_new(j, "ts", json_string(ts));
	json_object_set_new(j, "rid", json_string(r->cx.rid));
	json_object_set_new(j, "cgi", json_string(group));
	json_object_set_new(j, "method", json_string(r->method != NULL &&
	    strlen(r->method) <= 16 && utf8_valid(r->method, strlen(r->method)) ?
	    r->method : "other"));
	if (r->route == NULL)
		json_object_set_new(j, "route", json_string("unmatched"));
	else if (strcmp(group, "site") == 0)
		json_object_set_new(j, "route", json_string(r->route->pattern));
	else {
		char *t = xasprintf("/api/%s%s", group,
		    strcmp(r->route->pattern, "/") == 0 ? "" : r->route->pattern);

		json_object_set_new(j, "route", json_string(t));
		free(t);
	}
	json_object_set_new(j, "status", json_integer(status));
	json_object_set_new(j, "ms", json_integer((clock_real_now() -
	    r->started) / 1000));
	json_object_set_new(j, "bytes", json_integer((json_int_t)bytes));
	json_object_set_new(j, "role", json_string(role_name(r->cx.actor.kind ==
	    AUTH_NONE ? ROLE_NONE : r->cx.actor.role)));
	json_object_set_new(j, "event", event != NULL ? json_string(event) :
	    json_null());
	json_object_set_new(j, "err", status >= 500 ? json_string(r->resp.err ?
	    r->resp.err : "internal") : json_null());
	json_object_set_new(j, "dev", json_boolean(r->cx.actor.kind == AUTH_DEV));
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return;
	{
		size_t n = strlen(s);
		char line[4097];

		if (n > sizeof(line) - 2)
			n = sizeof(line) - 2;
		memcpy(line, s, n);
		line[n] = '\n';
		log_write(line, n + 1);
	}
	free(s);
}
