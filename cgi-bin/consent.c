/*
 * consent: the /api/consent routes (api.md 4). The required documents are terms
 * at terms_version and privacy at privacy_version. Moderators are
 * refused on all three routes (role_not_allowed), even on the public
 * /current.
 */
#include <stdint.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/acceptance.h"

static void
get_current(struct req *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "required", acceptance_required_json());
	resp_json(r, 200, j);
}

static void
get_status(struct req *r)
{
	json_t *j, *accepted;
	int c;

	if ((c = acceptance_complete(r->cx.db, r->cx.actor.user_id)) < 0 ||
	    (accepted = acceptance_list_json(r->cx.db, r->cx.actor.user_id)) ==
	    NULL) {
		resp_db_error(r);
		return;
	}
	j = json_object();
	json_object_set_new(j, "required", acceptance_required_json());
	json_object_set_new(j, "accepted", accepted);
	json_object_set_new(j, "is_complete", json_boolean(c == 1));
	resp_json(r, 200, j);
}

struct item {
	const char	*doc_type;
	const char	*doc_version;
	const char	*accepted_at;
	const char	*source;
	int64_t		 at;		/* parsed accepted_at */
};

/* 400 with a German sentence (api.md 4). */
static void
refuse(struct req *r, const char *msg)
{
	resp_detail(r, 400, msg);
}

static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' &&
		    *s != '\v' && *s != '\f')
			return false;
	return true;
}

/*
 * The content checks of api.md 4 in order, item by item; then the
 * completeness check against the current versions. true when all pass.
 */
static bool
check_items(struct req *r, struct item *it, size_t n)
{
	const char *req[2][2] = { { "terms", cfg.terms_version },
	    { "privacy", cfg.privacy_version } };
	struct buf missing = { 0 };
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (strcmp(it[i].doc_type, "terms") != 0 &&
		    strcmp(it[i].doc_type, "privacy") != 0) {
			refuse(r, arena_printf(&r->cx.arena,
			    "consents[%zu].doc_type ung\xc3\xbcltig", i));
			return false;
		}
		if (blank(it[i].doc_version)) {
			refuse(r, arena_printf(&r->cx.arena,
			    "consents[%zu].doc_version fehlt", i));
			return false;
		}
		if (strcmp(it[i].source, "ui") != 0 &&
		    strcmp(it[i].source, "api") != 0) {
			refuse(r, arena_printf(&r->cx.arena,
			    "consents[%zu].source muss ui oder api sein", i));
			return false;
		}
		if (!ts_parse(it[i].accepted_at, &it[i].at)) {
			refuse(r, "accepted_at ist kein g\xc3\xbcltiger "
			    "ISO8601 Zeitstempel");
			return false;
		}
		for (k = 0; k < i; k++)
			if (strcmp(it[k].doc_type, it[i].doc_type) == 0) {
				refuse(r, arena_printf(&r->cx.arena,
				    "doc_type doppelt: %s", it[i].doc_type));
				return false;
			}
	}
	for (k = 0; k < 2; k++) {
		bool ok = false;

		for (i = 0; i < n; i++)
			if (strcmp(it[i].doc_type, req[k][0]) == 0 &&
			    strcmp(it[i].doc_version, req[k][1]) == 0)
				ok = true;
		if (ok)
			continue;
		if (missing.len > 0)
			buf_puts(&missing, ", ");
		buf_printf(&missing, "%s:%s", req[k][0], req[k][1]);
	}
	if (missing.len > 0) {
		refuse(r, arena_printf(&r->cx.arena, "Pflicht-Consents fehlen "
		    "oder Version falsch: %s", missing.data));
		buf_free(&missing);
		return false;
	}
	return true;
}

/* Inserts the new rows and audits, in the route's transaction. */
static bool
record(struct req *r, const struct item *it, size_t n)
{
	struct acceptance_item *ci;
	size_t i;

	ci = arena_alloc(&r->cx.arena, (n > 0 ? n : 1) * sizeof(*ci));
	for (i = 0; i < n; i++) {
		ci[i].doc_type = it[i].doc_type;
		ci[i].doc_version = it[i].doc_version;
		ci[i].source = it[i].source;
		ci[i].accepted_at = it[i].at;
	}
	return acceptance_record(&r->cx, ci, n);
}

static void
post_accept(struct req *r)
{
	json_t *b = v_body_object(r), *list = NULL, *x;
	struct item *it = NULL;
	size_t n = 0, i;

	if (b != NULL)
		list = json_object_get(b, "consents");
	if (list != NULL && !json_is_null(list) && !json_is_array(list))
		v_add(r, "list_type", "body", "consents",
		    "Input should be a valid list");
	else if (json_is_array(list)) {
		n = json_array_size(list);
		it = arena_alloc(&r->cx.arena, (n > 0 ? n : 1) * sizeof(*it));
		json_array_foreach(list, i, x) {
			const char *loc = arena_printf(&r->cx.arena,
			    "body.consents.%zu", i);

			memset(&it[i], 0, sizeof(it[i]));
			if (!json_is_object(x)) {
				v_add(r, "dict_type", loc, NULL,
				    "Input should be a valid dictionary");
				continue;
			}
			it[i].doc_type = v_str(r, x, loc, "doc_type", V_REQ, 0,
			    SIZE_MAX);
			it[i].doc_version = v_str(r, x, loc, "doc_version",
			    V_REQ, 0, SIZE_MAX);
			it[i].accepted_at = v_str(r, x, loc, "accepted_at",
			    V_REQ, 0, SIZE_MAX);
			it[i].source = v_str(r, x, loc, "source", V_REQ, 0,
			    SIZE_MAX);
		}
	}
	if (v_done(r))
		return;
	if (!check_items(r, it, n))
		return;
	if (!record(r, it, n)) {
		resp_db_error(r);
		return;
	}
	resp_ok(r);
}

static const struct route routes[] = {
	{ "GET", "/current", POLICY_PUBLIC, get_current },
	{ "GET", "/status", POLICY_ANY_NOMOD, get_status },
	{ "POST", "/accept", POLICY_ANY_NOMOD_W, post_accept },
};

APP_MAIN("consent", routes, NULL)
