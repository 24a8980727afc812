/* audit.c: see audit.h. */
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"

static const char *const dropped_keys[] = {
	"email", "e-mail", "mail", "phone", "telefon", "name", "address", "vin",
	"wid", "ip", "useragent", "user_agent", "otp", "code", "token",
	"magiclink", "password", "passwort", "accesstoken", "access_token",
	"refreshtoken", "refresh_token", "authorization", "cookie",
	"set-cookie", "content", "body", "filename", "file_name", "title",
	"note", "comment", "reason", "details", "summary", NULL,
};

static bool
dropped(const char *key)
{
	size_t i;

	for (i = 0; dropped_keys[i] != NULL; i++)
		if (strcasecmp(key, dropped_keys[i]) == 0)
			return true;
	return false;
}

/* Returns a sanitised copy of v, or NULL when nothing is left of it. */
static json_t *
clean(json_t *v)
{
	if (json_is_object(v)) {
		json_t *o = json_object(), *x, *c;
		const char *k;

		json_object_foreach(v, k, x) {
			if (dropped(k))
				continue;
			c = clean(x);
			if (c != NULL)
				json_object_set_new(o, k, c);
		}
		if (json_object_size(o) == 0) {
			json_decref(o);
			return NULL;
		}
		return o;
	}
	if (json_is_array(v)) {
		json_t *a = json_array(), *x, *c;
		size_t i;

		json_array_foreach(v, i, x) {
			c = clean(x);
			if (c != NULL)
				json_array_append_new(a, c);
		}
		return a;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v), i;
		bool blank = true;

		for (i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
			    s[i] != '\r')
				blank = false;
		if (blank || utf8_count(s, n) > 120 || memchr(s, '@', n) != NULL)
			return NULL;
	}
	return json_incref(v);
}

json_t *
audit_sanitise(json_t *meta)
{
	if (meta == NULL)
		return NULL;
	return clean(meta);
}

static bool
write_row(struct db *db, const struct audit_ev *ev, const char *actor_type,
    const char *actor_id, const char *actor_role, const char *scope,
    const char *rid, const char *corr, int64_t now)
{
	char id[UUID_LEN], ts[TS_STORAGE_LEN];
	json_t *meta;
	char *metas = NULL;
	bool ok;

	if (!uuid4(id))
		return false;
	ts_storage(now, ts);
	meta = audit_sanitise(ev->meta);
	if (meta != NULL)
		metas = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(meta);
	ok = db_exec(db,
	    "INSERT INTO audit_events (event_id, created_at, actor_type, "
	    "actor_id, actor_role, action, target_type, target_id, scope, "
	    "result, reason_code, request_id, correlation_id, idempotency_key, "
	    "metadata_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    "sssssssssssssss", id, ts, actor_type, actor_id, actor_role,
	    ev->action, ev->target_type, ev->target_id, scope,
	    ev->result != NULL ? ev->result : "success", ev->reason, rid, corr,
	    ev->idempotency_key, metas) == DB_OK;
	free(metas);
	return ok;
}

bool
audit(struct ctx *cx, const struct audit_ev *ev)
{
	const char *type, *id, *role, *scope = ev->scope;
	bool ok;

	if (cx->actor.kind == AUTH_NONE) {
		type = "public";
		id = "public";
		role = "public";
	} else {
		type = cx->actor.kind == AUTH_DEV ? "dev" : "user";
		id = cx->actor.user_id;
		role = cx->actor.role_name;
	}
	if (ev->actor_type != NULL && strcmp(ev->actor_type, "system") == 0) {
		type = id = role = "system";
		if (scope == NULL)
			scope = "global";
	}
	if (scope == NULL)
		scope = cx->actor.kind == AUTH_NONE ? "public" :
		    role_is_admin(cx->actor.role) ? "global" : "own";
	ok = write_row(cx->db, ev, type, id, role, scope, cx->rid,
	    cx->correlation_id, cx->now);
	json_decref(ev->meta);
	return ok;
}

bool
audit_cli(struct db *db, const struct audit_ev *ev)
{
	bool ok = write_row(db, ev, "system", "system", "system",
	    ev->scope != NULL ? ev->scope : "global", "cli", NULL, clock_now());

	json_decref(ev->meta);
	return ok;
}
