/* valid.c: see valid.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "http/valid.h"

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static json_t *
build_loc(const char *loc, const char *name)
{
	json_t *a = json_array();
	const char *p = loc;

	while (p != NULL && *p != '\0') {
		const char *dot = strchr(p, '.');
		size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		char seg[256];

		if (n >= sizeof(seg))
			n = sizeof(seg) - 1;
		memcpy(seg, p, n);
		seg[n] = '\0';
		if (all_digits(seg, n))
			json_array_append_new(a, json_integer(atoll(seg)));
		else
			json_array_append_new(a, json_string(seg));
		p = dot != NULL ? dot + 1 : NULL;
	}
	if (name != NULL)
		json_array_append_new(a, json_string(name));
	return a;
}

void
v_add(struct req *r, const char *type, const char *loc, const char *name,
    const char *msg)
{
	json_t *item;

	if (r->verr == NULL)
		r->verr = json_array();
	item = json_object();
	json_object_set_new(item, "type", json_string(type));
	json_object_set_new(item, "loc", build_loc(loc, name));
	json_object_set_new(item, "msg", json_string(msg));
	json_array_append_new(r->verr, item);
}

bool
v_failed(const struct req *r)
{
	return r->verr != NULL && json_array_size(r->verr) > 0;
}

bool
v_done(struct req *r)
{
	if (!v_failed(r))
		return false;
	resp_422(r);
	return true;
}

/* JSON bounds of security.md 12: depth <= 32, <= 1000 members per object. */
static bool
within_bounds(json_t *v, int depth)
{
	size_t i;
	const char *k;
	json_t *x;

	if (depth > 32)
		return false;
	if (json_is_object(v)) {
		if (json_object_size(v) > 1000)
			return false;
		json_object_foreach(v, k, x)
			if (!within_bounds(x, depth + 1))
				return false;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (!within_bounds(x, depth + 1))
				return false;
	}
	return true;
}

static json_t *
body_object(struct req *r, bool optional)
{
	json_error_t err;
	size_t i;

	if (!req_read_body(r, (size_t)-1)) {
		v_add(r, "json_invalid", "body", NULL, "Invalid JSON");
		return NULL;
	}
	if (r->json != NULL)
		return r->json;
	for (i = 0; i < r->body_len; i++)
		if (r->body[i] != ' ' && r->body[i] != '\t' &&
		    r->body[i] != '\r' && r->body[i] != '\n')
			break;
	if (i == r->body_len) {
		if (!optional)
			v_add(r, "missing", "body", NULL, "Field required");
		return NULL;
	}
	r->json = json_loadb(r->body, r->body_len,
	    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	if (r->json == NULL || !within_bounds(r->json, 1)) {
		json_decref(r->json);
		r->json = NULL;
		v_add(r, "json_invalid", "body", NULL, "Invalid JSON");
		return NULL;
	}
	if (!json_is_object(r->json)) {
		json_decref(r->json);
		r->json = NULL;
		v_add(r, "dict_type", "body", NULL,
		    "Input should be a valid dictionary");
		return NULL;
	}
	return r->json;
}

json_t *
v_body_object(struct req *r)
{
	return body_object(r, false);
}

json_t *
v_body_object_opt(struct req *r)
{
	return body_object(r, true);
}

bool
v_present(json_t *obj, const char *name)
{
	json_t *v;

	if (obj == NULL)
		return false;
	v = json_object_get(obj, name);
	return v != NULL && !json_is_null(v);
}

/* Member lookup shared by the typed readers; NULL when absent. */
static json_t *
member(struct req *r, json_t *obj, const char *loc, const char *name,
    unsigned flags, const char *type_on_null, const char *msg_on_null)
{
	json_t *v;

	if (obj == NULL)
		return NULL;
	v = json_object_get(obj, name);
	if (v == NULL) {
		if (flags & V_REQ)
			v_add(r, "missing", loc, name, "Field required");
		return NULL;
	}
	if (json_is_null(v)) {
		if (flags & V_REQ)
			v_add(r, type_on_null, loc, name, msg_on_null);
		return NULL;
	}
	return v;
}

const char *
v_check_string(struct req *r, json_t *v, const char *loc, const char *name,
    unsigned flags, size_t min, size_t max)
{
	const char *s;
	size_t n, count;
	char *val, msg[96];

	if (!json_is_string(v)) {
		v_add(r, "string_type", loc, name, "Input should be a valid string");
		return NULL;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (memchr(s, '\0', n) != NULL) {
		v_add(r, "value_error", loc, name,
		    "Value error, NUL character not allowed");
		return NULL;
	}
	val = arena_strndup(&r->cx.arena, s, n);
	if (flags & V_TRIM)
		str_trim(val);
	n = strlen(val);
	if (!(flags & V_BYTES) &&
	    has_control(val, n, (flags & V_MULTI) ? "\n\r\t" : NULL)) {
		v_add(r, "value_error", loc, name,
		    "Value error, control characters are not allowed");
		return NULL;
	}
	if ((flags & V_EMPTY_NULL) && n == 0)
		return NULL;
	count = (flags & V_BYTES) ? n : utf8_count(val, n);
	if (count < min) {
		snprintf(msg, sizeof(msg), "String should have at least %zu "
		    "character%s", min, min == 1 ? "" : "s");
		v_add(r, "string_too_short", loc, name, msg);
		return NULL;
	}
	if (count > max) {
		snprintf(msg, sizeof(msg), "String should have at most %zu "
		    "character%s", max, max == 1 ? "" : "s");
		v_add(r, "string_too_long", loc, name, msg);
		return NULL;
	}
	return val;
}

const char *
v_str(struct req *r, json_t *obj, const char *loc, const char *name,
    unsigned flags, size_t min, size_t max)
{
	json_t *v = member(r, obj, loc, name, flags, "string_type",
	    "Input should be a valid string");

	if (v == NULL)
		return NULL;
	return v_check_string(r, v, loc, name, flags, min, max);
}

const char *
v_enum(struct req *r, json_t *obj, const char *loc, const char *name,
    unsigned flags, const char *const *values)
{
	json_t *v = member(r, obj, loc, name, flags, "string_type",
	    "Input should be a valid string");
	struct buf msg = { 0 };
	const char *s;
	size_t i;

	if (v == NULL)
		return NULL;
	if (!json_is_string(v)) {
		v_add(r, "string_type", loc, name, "Input should be a valid string");
		return NULL;
	}
	s = json_string_value(v);
	for (i = 0; values[i] != NULL; i++)
		if (strcmp(s, values[i]) == 0 &&
		    strlen(values[i]) == json_string_length(v))
			return values[i];
	buf_puts(&msg, "Input should be ");
	for (i = 0; values[i] != NULL; i++) {
		if (i > 0)
			buf_puts(&msg, values[i + 1] == NULL ? " or " : ", ");
		buf_printf(&msg, "'%s'", values[i]);
	}
	v_add(r, "enum", loc, name, msg.data);
	buf_free(&msg);
	return NULL;
}

bool
v_int(struct req *r, json_t *obj, const char *loc, const char *name,
    unsigned flags, int64_t min, int64_t max, int64_t *out)
{
	json_t *v = member(r, obj, loc, name, flags, "int_type",
	    "Input should be a valid integer");
	char msg[96];
	int64_t n;

	if (v == NULL)
		return false;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_real(v)) {
		double d = json_real_value(v);

		if (d != floor(d) || d < -9.2e18 || d > 9.2e18) {
			v_add(r, "int_type", loc, name,
			    "Input should be a valid integer");
			return false;
		}
		n = (int64_t)d;
	} else {
		v_add(r, "int_type", loc, name, "Input should be a valid integer");
		return false;
	}
	if (n < min) {
		snprintf(msg, sizeof(msg), "Input should be greater than or "
		    "equal to %lld", (long long)min);
		v_add(r, "greater_than_equal", loc, name, msg);
		return false;
	}
	if (n > max) {
		snprintf(msg, sizeof(msg), "Input should be less than or "
		    "equal to %lld", (long long)max);
		v_add(r, "less_than_equal", loc, name, msg);
		return false;
	}
	*out = n;
	return true;
}

bool
v_bool(struct req *r, json_t *obj, const char *loc, const char *name,
    unsigned flags, bool *out)
{
	json_t *v = member(r, obj, loc, name, flags, "bool_type",
	    "Input should be a valid boolean");

	if (v == NULL)
		return false;
	if (!json_is_boolean(v)) {
		v_add(r, "bool_type", loc, name, "Input should be a valid boolean");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

bool
v_query_int(struct req *r, const char *name, int64_t min, int64_t max,
    int64_t *out)
{
	const char *s = req_query(r, name);
	char msg[96];
	int64_t n;

	if (s == NULL)
		return false;
	if (!parse_int64(s, &n)) {
		v_add(r, "int_type", "query", name,
		    "Input should be a valid integer");
		return false;
	}
	if (n < min) {
		snprintf(msg, sizeof(msg), "Input should be greater than or "
		    "equal to %lld", (long long)min);
		v_add(r, "greater_than_equal", "query", name, msg);
		return false;
	}
	if (n > max) {
		snprintf(msg, sizeof(msg), "Input should be less than or "
		    "equal to %lld", (long long)max);
		v_add(r, "less_than_equal", "query", name, msg);
		return false;
	}
	*out = n;
	return true;
}

bool
v_query_bool(struct req *r, const char *name, bool *out)
{
	const char *s = req_query(r, name);

	if (s == NULL)
		return false;
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		*out = false;
	else {
		v_add(r, "bool_type", "query", name,
		    "Input should be a valid boolean");
		return false;
	}
	return true;
}

const char *
v_query_str(struct req *r, const char *name, unsigned flags, size_t min,
    size_t max)
{
	const char *s = req_query(r, name);
	json_t *v;
	const char *out;

	if (s == NULL) {
		if (flags & V_REQ)
			v_add(r, "missing", "query", name, "Field required");
		return NULL;
	}
	v = json_string(s);
	out = v_check_string(r, v, "query", name, flags, min, max);
	json_decref(v);
	return out;
}
