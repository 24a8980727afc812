/* app.c: see app.h. The whole life of a request. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/app.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "store/db.h"
#include "http/gate.h"
#include "http/limit.h"
#include "base/log.h"
#include "http/reqlog.h"
#include "http/response.h"
#include "http/valid.h"

static bool
rid_ok(const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) < 6 || n > 128)
		return false;
	return id_charset_ok(s);
}

static char fatal_key[64];

static void
config_problem(const char *key, const char *msg)
{
	(void)msg;
	if (fatal_key[0] == '\0')
		snprintf(fatal_key, sizeof(fatal_key), "%s", key);
}

static bool
maintenance_on(void)
{
	struct stat sb;
	char *flag = xasprintf("%s/maintenance", cfg.data_dir);
	bool on = stat(flag, &sb) == 0;

	free(flag);
	return on;
}

/* Steps before routing: config, maintenance, database, schema. */
static bool
preflight(struct req *r)
{
	int v;

	if (!config_load(config_problem)) {
		if (strcmp(fatal_key, "secret_key") == 0)
			log_line("FATAL", "config",
			    "secret key missing or shorter than 32 bytes");
		else {
			char msg[128];

			snprintf(msg, sizeof(msg), "invalid value for %s",
			    fatal_key);
			log_line("FATAL", "config", msg);
		}
		resp_detail(r, 500, "server_misconfigured");
		r->resp.err = "config";
		return false;
	}
	log_open();
	r->cx.now = clock_now();
	/* Needs the secret; stores and flows read it from the context. */
	req_ip_hmac(r, r->cx.ip_hmac);
	if (maintenance_on()) {
		resp_detail(r, 503, "maintenance");
		resp_header(r, "Retry-After", "60");
		r->resp.err = "config";
		return false;
	}
	if (db_open(cfg.db_path, false, &r->cx.db) != DB_OK ||
	    (v = db_user_version(r->cx.db)) < 0) {
		db_fail(r->cx.db, DB_UNAVAILABLE);
		resp_db_error(r);
		return false;
	}
	if (v != LTC_SCHEMA_VERSION) {
		resp_detail(r, 503, "schema_outdated");
		r->resp.err = "schema";
		return false;
	}
	return true;
}

/*
 * The route's transaction: PF_WRITE routes run inside BEGIN IMMEDIATE,
 * committed on success (or on a refusal that keeps its writes) and
 * rolled back otherwise. A failed commit turns the answer into 503/500.
 */
static void
run_handler(struct req *r, const struct route *rt)
{
	bool tx = (rt->policy.flags & PF_WRITE) != 0;

	/*
	 * The body is in memory before the write lock is taken: a slow
	 * client never holds up the other writers (its size is checked).
	 */
	if (tx && !(rt->policy.flags & PF_UPLOAD) &&
	    !req_read_body(r, (size_t)cfg.json_max_bytes)) {
		resp_internal(r, "internal");
		return;
	}
	if (tx && db_begin(r->cx.db) != DB_OK) {
		resp_db_error(r);
		return;
	}
	rt->handler(r);
	if (!r->resp.set)
		resp_internal(r, "internal");
	if (!tx || !db_in_tx(r->cx.db))
		return;
	if (r->resp.status >= 400 && !r->resp.keep_writes) {
		db_rollback(r->cx.db);
		return;
	}
	if (db_commit(r->cx.db) != DB_OK)
		resp_db_error(r);
}

static void
dispatch(struct req *r, const struct app *app)
{
	struct buf allow = { 0 };
	const struct route *rt;
	enum form_status fs;
	int64_t limit;

	switch (route_match(app->routes, app->nroutes, r->method, r->path, r,
	    &allow)) {
	case MATCH_NOT_FOUND:
		resp_detail(r, 404, "Not Found");
		buf_free(&allow);
		return;
	case MATCH_METHOD:
		resp_detail(r, 405, "Method Not Allowed");
		resp_header(r, "Allow", allow.data);
		buf_free(&allow);
		return;
	case MATCH_OK:
		break;
	}
	buf_free(&allow);
	rt = r->route;
	gate_resolve_actor(r);
	if (!gate_authorize(r, &rt->policy))
		return;

	/* A declared rate limit is check 7, before 413 and 422 (README). */
	if (rt->policy.rate != NULL && !limit_pass(r, rt->policy.rate))
		return;
	/* 413 before any body byte is read (README "Request bodies"). */
	limit = cfg.json_max_bytes;
	if (!(rt->policy.flags & PF_UPLOAD) && req_content_length() > limit) {
		resp_detail(r, 413, "too_large");
		return;
	}
	if (r->query_raw != NULL && strlen(r->query_raw) > QUERY_MAX_BYTES)
		fs = FORM_BAD_ESCAPE;
	else
		fs = form_parse(&r->cx.arena, r->query_raw != NULL ? r->query_raw : "",
		    r->query_raw != NULL ? strlen(r->query_raw) : 0, 1000,
		    &r->query);
	if (fs != FORM_OK) {
		v_add(r, "value_error", "query", NULL,
		    "Value error, malformed query string");
		resp_422(r);
		return;
	}
	run_handler(r, rt);
}

/*
 * With LTC_ROUTE_TABLE set (never by a web server) the program prints its
 * route table and declared policies as JSON, so the role x route matrix
 * test covers every route a CGI has, including routes added later.
 */
static int
dump_routes(const struct app *app)
{
	json_t *a = json_array();
	size_t i, k;
	char *s;

	for (i = 0; i < app->nroutes; i++) {
		const struct route *rt = &app->routes[i];
		json_t *o = json_object(), *roles = json_array();

		for (k = 0; k <= ROLE_OTHER; k++)
			if (rt->policy.roles & (1u << k))
				json_array_append_new(roles, json_string(role_name((enum role)k)));
		json_object_set_new(o, "group", json_string(app->group));
		json_object_set_new(o, "method", json_string(rt->method));
		json_object_set_new(o, "pattern", json_string(rt->pattern));
		json_object_set_new(o, "roles", roles);
		json_object_set_new(o, "mod_detail", rt->policy.mod_detail ?
		    json_string(rt->policy.mod_detail) : json_null());
		json_object_set_new(o, "consent",
		    json_boolean(rt->policy.flags & PF_CONSENT));
		json_object_set_new(o, "csrf_origin_only",
		    json_boolean(rt->policy.flags & PF_CSRF_ORIGIN));
		json_object_set_new(o, "writes",
		    json_boolean(rt->policy.flags & PF_WRITE));
		json_array_append_new(a, o);
	}
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (s != NULL)
		puts(s);
	free(s);
	return 0;
}

/*
 * The answer and its log line as one step (ops.md 9: one line per
 * request). lighttpd sends SIGTERM to a CGI the moment its answer is
 * complete, and a client that went away turns the write into SIGPIPE:
 * both wait, blocked, until the line is written, and act after it.
 */
static void
answer(struct req *r, const char *group)
{
	sigset_t hold, old;
	size_t bytes;

	sigemptyset(&hold);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGPIPE);
	sigprocmask(SIG_BLOCK, &hold, &old);
	bytes = resp_write(r);
	log_request(r, group, bytes);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int
app_run(const struct app *app)
{
	struct req r;
	const char *rid, *corr, *cookie;

	if (getenv("LTC_ROUTE_TABLE") != NULL)
		return dump_routes(app);
	memset(&r, 0, sizeof(r));
	r.app = app;
	r.started = clock_real_now();
	r.cx.now = r.started;
	r.method = getenv("REQUEST_METHOD");
	if (r.method == NULL)
		r.method = "GET";
	r.head = strcmp(r.method, "HEAD") == 0;
	r.path = route_normalise(&r.cx.arena, getenv("PATH_INFO"));
	r.query_raw = getenv("QUERY_STRING");
	rid = req_header("HTTP_X_REQUEST_ID");
	if (rid_ok(rid))
		snprintf(r.cx.rid, sizeof(r.cx.rid), "%s", rid);
	else if (!uuid4(r.cx.rid))
		snprintf(r.cx.rid, sizeof(r.cx.rid), "00000000-0000-4000-8000-000000000000");
	corr = req_header("HTTP_X_CORRELATION_ID");
	if (rid_ok(corr))
		r.cx.correlation_id = arena_strdup(&r.cx.arena, corr);
	cookie = req_header("HTTP_COOKIE");
	cookie_parse(&r.cx.arena, cookie, &r.cookies);

	if (preflight(&r))
		dispatch(&r, app);
	db_rollback(r.cx.db);	/* a handler that returned mid-transaction */
	answer(&r, app->group);

	resp_clear(&r);
	buf_free(&r.resp.body);
	json_decref(r.json);
	json_decref(r.verr);
	db_close(r.cx.db);
	arena_free(&r.cx.arena);
	config_free();
	return 0;
}
