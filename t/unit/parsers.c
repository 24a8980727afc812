/*
 * Unit tests of the hand-written parsers and writers: urlencoded forms,
 * cookies, routing, HTML escaping, timestamps, UTF-8 and the 422 readers.
 */
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "http/form.h"
#include "http/html.h"
#include "http/request.h"
#include "http/route.h"
#include "base/util.h"
#include "http/valid.h"
#include "tap.h"

static void h_a(struct req *r) { (void)r; }
static void h_b(struct req *r) { (void)r; }

static void
test_form(void)
{
	struct arena a = { 0 };
	struct kvlist l;

	ok(form_parse(&a, "a=1&b=x%20y&c=+z&a=2", 20, 100, &l) == FORM_OK &&
	    l.n == 4, "form: four pairs");
	ok(strcmp(kv_get(&l, "a"), "1") == 0, "form: first occurrence wins");
	ok(strcmp(kv_get(&l, "b"), "x y") == 0, "form: percent-decoding");
	ok(strcmp(kv_get(&l, "c"), " z") == 0, "form: plus is a space");
	ok(form_parse(&a, "a=%zz", 5, 100, &l) == FORM_BAD_ESCAPE,
	    "form: bad escape refused");
	ok(form_parse(&a, "a=%4", 4, 100, &l) == FORM_BAD_ESCAPE,
	    "form: truncated escape refused");
	ok(form_parse(&a, "a=%00", 5, 100, &l) == FORM_NUL,
	    "form: encoded NUL refused");
	ok(form_parse(&a, "a=%C3%28", 8, 100, &l) == FORM_BAD_UTF8,
	    "form: invalid UTF-8 refused");
	ok(form_parse(&a, "a=%C3%A4", 8, 100, &l) == FORM_OK &&
	    strcmp(kv_get(&l, "a"), "\xc3\xa4") == 0, "form: UTF-8 decoded");
	ok(form_parse(&a, "&&x&", 4, 100, &l) == FORM_OK && l.n == 1 &&
	    strcmp(kv_get(&l, "x"), "") == 0, "form: empty pairs skipped");
	ok(form_parse(&a, "a&b&c", 5, 2, &l) == FORM_TOO_MANY,
	    "form: pair limit");
	arena_free(&a);
}

static void
test_cookie(void)
{
	struct arena a = { 0 };
	struct kvlist l;

	cookie_parse(&a, "a=b; ltc_session=tok123 ; q=\"v\"; bad; =x", &l);
	ok(l.n == 3, "cookie: malformed pairs skipped");
	ok(strcmp(kv_get(&l, "ltc_session"), "tok123") == 0,
	    "cookie: value trimmed");
	ok(strcmp(kv_get(&l, "q"), "v") == 0, "cookie: quotes stripped");
	cookie_parse(&a, NULL, &l);
	ok(l.n == 0, "cookie: no header");
	arena_free(&a);
}

static const struct route routes[] = {
	{ "GET", "/drafts", { R_ANY, NULL, 0 }, h_a },
	{ "GET", "/{article_id}", { R_ANY, NULL, 0 }, h_b },
	{ "POST", "/drafts", { R_ANY, NULL, 0 }, h_a },
	{ "GET", "/{id}/entries", { R_ANY, NULL, 0 }, h_a },
	{ "POST", "/{id}/entries", { R_ANY, NULL, 0 }, h_b },
	{ "GET", "/", { R_ANY, NULL, 0 }, h_a },
};

static void
test_route(void)
{
	struct req r;
	struct buf allow = { 0 };
	enum match_result m;

	memset(&r, 0, sizeof(r));
	m = route_match(routes, 6, "GET", "/drafts", &r, &allow);
	ok(m == MATCH_OK && r.route == &routes[0], "route: literal beats param");
	arena_free(&r.cx.arena);
	memset(&r, 0, sizeof(r));
	m = route_match(routes, 6, "GET", "/abc", &r, &allow);
	ok(m == MATCH_OK && r.route == &routes[1] &&
	    strcmp(req_param(&r, "article_id"), "abc") == 0,
	    "route: param captured");
	arena_free(&r.cx.arena);
	memset(&r, 0, sizeof(r));
	m = route_match(routes, 6, "DELETE", "/x/entries", &r, &allow);
	ok(m == MATCH_METHOD && strcmp(allow.data, "GET, POST, HEAD") == 0,
	    "route: 405 with Allow list");
	buf_reset(&allow);
	arena_free(&r.cx.arena);
	memset(&r, 0, sizeof(r));
	ok(route_match(routes, 6, "GET", "/x/y/z", &r, &allow) ==
	    MATCH_NOT_FOUND, "route: unknown path");
	arena_free(&r.cx.arena);
	memset(&r, 0, sizeof(r));
	ok(route_match(routes, 6, "HEAD", "/", &r, &allow) == MATCH_OK,
	    "route: HEAD answered like GET");
	arena_free(&r.cx.arena);
	memset(&r, 0, sizeof(r));
	ok(route_match(routes, 6, "GET", "//entries", &r, &allow) ==
	    MATCH_NOT_FOUND, "route: empty segment is no param");
	{
		struct arena a = { 0 };

		ok(strcmp(route_normalise(&a, ""), "/") == 0 &&
		    strcmp(route_normalise(&a, "/x/"), "/x") == 0 &&
		    strcmp(route_normalise(&a, "/"), "/") == 0,
		    "route: one trailing slash ignored");
		arena_free(&a);
	}
	buf_free(&allow);
	arena_free(&r.cx.arena);
}

static void
test_html(void)
{
	struct buf b = { 0 };

	html_printf(&b, "%s", "<a href=\"x\">'&'</a>");
	ok(strcmp(b.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
	    == 0, "html: all five characters escaped");
	buf_free(&b);
}

static void
test_time(void)
{
	char api[TS_API_LEN];
	int64_t t;

	ok(ts_parse("2026-03-01T09:00:00Z", &t) && (ts_api(t, api), 1) &&
	    strcmp(api, "2026-03-01T09:00:00Z") == 0, "time: round trip");
	ok(ts_parse("2026-03-01 10:00:00+01:00", &t) && (ts_api(t, api), 1) &&
	    strcmp(api, "2026-03-01T09:00:00Z") == 0, "time: offset applied");
	ok(ts_parse("2026-03-01T09:00-0130", &t) && (ts_api(t, api), 1) &&
	    strcmp(api, "2026-03-01T10:30:00Z") == 0, "time: +-HHMM offset");
	ok(ts_parse("2026-03-01", &t) && (ts_api(t, api), 1) &&
	    strcmp(api, "2026-03-01T00:00:00Z") == 0, "time: bare date");
	ok(ts_parse("2026-03-01T09:00:00.1234567z", &t) && t % 1000000 == 123456,
	    "time: fraction truncated to microseconds");
	ok(!ts_parse("2026-02-30", &t), "time: impossible date refused");
	ok(!ts_parse("2026-03-01T24:00", &t), "time: hour 24 refused");
	ok(!ts_parse("2026-03-01T09:00+15:00", &t), "time: offset > 14h refused");
	ok(!ts_parse("2026-03-01X", &t), "time: trailing garbage refused");
	{
		/* The hand-written UTC split agrees with gmtime_r. */
		int64_t s;
		int bad = 0;

		for (s = -2208988800LL; s < 4102444800LL; s += 86399 * 7 + 3601) {
			time_t tt = (time_t)s;
			struct tm tm;
			char want[64];

			gmtime_r(&tt, &tm);
			strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
			ts_api(s * 1000000, api);
			if (strcmp(want, api) != 0)
				bad++;
		}
		ok(bad == 0, "time: UTC conversion matches gmtime 1900..2100");
	}
}

static void
test_utf8(void)
{
	ok(utf8_valid("a\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80", 10),
	    "utf8: valid sequences");
	ok(!utf8_valid("\xc0\xaf", 2), "utf8: overlong refused");
	ok(!utf8_valid("\xed\xa0\x80", 3), "utf8: surrogate refused");
	ok(utf8_count("a\xc3\xa4\xe2\x82\xac", 6) == 3, "utf8: code points counted");
}

static struct req *
body_req(const char *body)
{
	struct req *r = xcalloc(1, sizeof(*r));

	r->body_read = true;
	r->body = arena_strdup(&r->cx.arena, body);
	r->body_len = strlen(body);
	return r;
}

static void
free_req(struct req *r)
{
	json_decref(r->json);
	json_decref(r->verr);
	arena_free(&r->cx.arena);
	free(r);
}

static const char *
first_type(struct req *r)
{
	json_t *i = json_array_get(r->verr, 0);

	return i != NULL ? json_string_value(json_object_get(i, "type")) : "";
}

static void
test_valid(void)
{
	static const char *const colours[] = { "red", "green", NULL };
	struct req *r;
	json_t *o;
	int64_t n;
	bool b;

	r = body_req("");
	ok(v_body_object(r) == NULL && strcmp(first_type(r), "missing") == 0,
	    "valid: empty body is missing");
	free_req(r);
	r = body_req("{\"a\":");
	ok(v_body_object(r) == NULL && strcmp(first_type(r), "json_invalid") == 0,
	    "valid: broken JSON");
	free_req(r);
	r = body_req("[1]");
	ok(v_body_object(r) == NULL && strcmp(first_type(r), "dict_type") == 0,
	    "valid: array is not an object");
	free_req(r);
	{
		struct buf deep = { 0 };
		int i;

		for (i = 0; i < 40; i++)
			buf_puts(&deep, "{\"a\":");
		buf_puts(&deep, "1");
		for (i = 0; i < 40; i++)
			buf_putc(&deep, '}');
		r = body_req(deep.data);
		ok(v_body_object(r) == NULL &&
		    strcmp(first_type(r), "json_invalid") == 0,
		    "valid: nesting depth bound");
		free_req(r);
		buf_free(&deep);
	}
	r = body_req("{\"s\":\"  ab  \",\"n\":5.0,\"f\":5.5,\"b\":1,\"e\":\"blue\","
	    "\"c\":\"a\\u0001b\",\"m\":\"a\\nb\",\"z\":null}");
	o = v_body_object(r);
	ok(o != NULL, "valid: object parsed");
	ok(strcmp(v_str(r, o, "body", "s", V_TRIM, 1, 5), "ab") == 0,
	    "valid: trimmed string");
	ok(v_int(r, o, "body", "n", V_REQ, 0, 10, &n) && n == 5,
	    "valid: 5.0 is an integer");
	ok(!v_int(r, o, "body", "f", V_REQ, 0, 10, &n), "valid: 5.5 is not");
	ok(!v_bool(r, o, "body", "b", V_REQ, &b), "valid: 1 is not a boolean");
	ok(v_enum(r, o, "body", "e", V_REQ, colours) == NULL, "valid: enum");
	ok(v_str(r, o, "body", "c", 0, 0, 10) == NULL, "valid: control char");
	ok(v_str(r, o, "body", "m", V_MULTI, 0, 10) != NULL,
	    "valid: newline in multi-line field");
	ok(v_str(r, o, "body", "z", V_REQ, 0, 10) == NULL &&
	    v_str(r, o, "body", "missing", V_REQ, 0, 10) == NULL,
	    "valid: null and missing required fields");
	ok(json_array_size(r->verr) == 6, "valid: one item per failed field");
	{
		char *s = json_dumps(r->verr, JSON_COMPACT);

		ok(strstr(s, "\"type\":\"int_type\",\"loc\":[\"body\",\"f\"]") != NULL,
		    "valid: item shape type/loc/msg");
		ok(strstr(s, "blue") == NULL && strstr(s, "5.5") == NULL,
		    "valid: submitted values never echoed");
		free(s);
	}
	free_req(r);
	r = body_req("{}");
	v_add(r, "missing", "body.consents.0", "accepted_at", "Field required");
	{
		char *s = json_dumps(r->verr, JSON_COMPACT);

		ok(strstr(s, "[\"body\",\"consents\",0,\"accepted_at\"]") != NULL,
		    "valid: numeric loc segments are integers");
		free(s);
	}
	free_req(r);
}

static void
test_hmac(void)
{
	/* RFC 4231 test case 2 and a key longer than the block (case 6). */
	static const unsigned char big[131] = { [0 ... 130] = 0xaa };
	unsigned char mac[32];
	char hex[65];

	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hex_encode(mac, 32, hex);
	ok(strcmp(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") == 0,
	    "hmac: RFC 4231 case 2");
	hmac_sha256(big, sizeof(big),
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54, mac);
	hex_encode(mac, 32, hex);
	ok(strcmp(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54") == 0,
	    "hmac: RFC 4231 case 6 (long key)");
	sha256("abc", 3, mac);
	hex_encode(mac, 32, hex);
	ok(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	    "sha256: FIPS 180 \"abc\"");
}

int
main(void)
{
	test_hmac();
	test_form();
	test_cookie();
	test_route();
	test_html();
	test_time();
	test_utf8();
	test_valid();
	return done_testing();
}
