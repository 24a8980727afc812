/* acceptance.c: see acceptance.h. */
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "store/acceptance.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/rowjson.h"

const char *
acceptance_required_version(struct arena *a)
{
	if (strcmp(cfg.terms_version, cfg.privacy_version) == 0)
		return arena_strdup(a, cfg.terms_version);
	return arena_printf(a, "%s/%s", cfg.terms_version, cfg.privacy_version);
}

static json_t *
doc(const char *type, const char *version)
{
	json_t *o = json_object();

	json_object_set_new(o, "doc_type", json_string(type));
	json_object_set_new(o, "doc_version", json_string(version));
	return o;
}

json_t *
acceptance_required_json(void)
{
	json_t *a = json_array();

	json_array_append_new(a, doc("terms", cfg.terms_version));
	json_array_append_new(a, doc("privacy", cfg.privacy_version));
	return a;
}

int
acceptance_complete(struct db *db, const char *user_id)
{
	int64_t n = db_scalar(db, "SELECT count(DISTINCT doc_type) FROM "
	    "consent_acceptances WHERE user_id = ? AND ((doc_type = 'terms' "
	    "AND doc_version = ?) OR (doc_type = 'privacy' AND "
	    "doc_version = ?))", "sss", user_id, cfg.terms_version,
	    cfg.privacy_version);

	return n < 0 ? -1 : n == 2;
}

json_t *
acceptance_list_json(struct db *db, const char *user_id)
{
	static const struct col_json cols[] = {
		{ "doc_type", col_text },
		{ "doc_version", col_text },
		{ "accepted_at", col_ts },
		{ "source", col_text },
		{ NULL },
	};

	return rows_json(db, cols, false, "SELECT doc_type, doc_version, "
	    "accepted_at, source FROM consent_acceptances WHERE user_id = ? "
	    "ORDER BY accepted_at, id", "s", user_id);
}

int
acceptance_latest_terms(struct ctx *cx, const char *user_id,
    const char **version, const char **accepted_at, const char **source)
{
	struct db_stmt *st;
	int rc;

	*version = *accepted_at = *source = NULL;
	st = db_prep(cx->db, "SELECT doc_version, accepted_at, source FROM "
	    "consent_acceptances WHERE user_id = ? AND doc_type = 'terms' "
	    "ORDER BY accepted_at DESC, id DESC LIMIT 1", "s", user_id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1) {
		*version = arena_strdup(&cx->arena, db_text(st, 0));
		*accepted_at = arena_strdup(&cx->arena, db_text(st, 1));
		*source = arena_strdup(&cx->arena, db_text(st, 2));
	}
	db_finalize(st);
	return rc;
}

bool
acceptance_record(struct ctx *cx, const struct acceptance_item *it, size_t n)
{
	char now[TS_STORAGE_LEN], at[TS_STORAGE_LEN];
	const char *source = n > 0 ? it[0].source : "api";
	json_t *meta;
	size_t i;

	ts_storage(cx->now, now);
	for (i = 0; i < n; i++) {
		ts_storage(it[i].accepted_at, at);
		if (strcmp(it[i].doc_type, "terms") == 0)
			source = it[i].source;
		if (db_exec(cx->db, "INSERT INTO consent_acceptances (user_id, "
		    "doc_type, doc_version, accepted_at, source, created_at, "
		    "ip_hmac) VALUES (?,?,?,?,?,?,?) ON CONFLICT (user_id, "
		    "doc_type, doc_version) DO NOTHING", "sssssss",
		    cx->actor.user_id, it[i].doc_type, it[i].doc_version, at,
		    it[i].source, now, cx->ip_hmac[0] != '\0' ? cx->ip_hmac :
		    NULL) != DB_OK)
			return false;
	}
	meta = json_object();
	json_object_set_new(meta, "terms_version",
	    json_string(cfg.terms_version));
	json_object_set_new(meta, "privacy_version",
	    json_string(cfg.privacy_version));
	json_object_set_new(meta, "source", json_string(source));
	return audit(cx, &(struct audit_ev){ .action = "CONSENT_ACCEPTED",
	    .target_type = "USER", .target_id = cx->actor.user_id,
	    .meta = meta });
}

bool
acceptance_record_current(struct ctx *cx, const char *source)
{
	const struct acceptance_item it[] = {
		{ "terms", cfg.terms_version, source, cx->now },
		{ "privacy", cfg.privacy_version, source, cx->now },
	};

	return acceptance_record(cx, it, 2);
}
