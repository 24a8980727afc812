/* consent.c: see consent.h. */
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "base/config.h"
#include "store/consent.h"
#include "store/db.h"

const char *
consent_required_version(struct arena *a)
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
consent_required_json(void)
{
	json_t *a = json_array();

	json_array_append_new(a, doc("terms", cfg.terms_version));
	json_array_append_new(a, doc("privacy", cfg.privacy_version));
	return a;
}

bool
consent_record(struct db *db, const char *user_id, const char *type,
    const char *version, const char *accepted_at, const char *source,
    const char *created_at, const char *ip_hmac)
{
	return db_exec(db, "INSERT INTO consent_acceptances (user_id, "
	    "doc_type, doc_version, accepted_at, source, created_at, ip_hmac) "
	    "VALUES (?,?,?,?,?,?,?) "
	    "ON CONFLICT (user_id, doc_type, doc_version) DO NOTHING",
	    "sssssss", user_id, type, version, accepted_at, source, created_at,
	    ip_hmac) == DB_OK;
}

json_t *
consent_accepted_json(struct db *db, const char *user_id)
{
	struct db_stmt *st;
	json_t *a;
	int rc;

	st = db_prep(db, "SELECT doc_type, doc_version, accepted_at, source "
	    "FROM consent_acceptances WHERE user_id = ? "
	    "ORDER BY accepted_at, id", "s", user_id);
	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1) {
		json_t *o = doc(db_text(st, 0), db_text(st, 1));
		char ts[TS_API_LEN];

		json_object_set_new(o, "accepted_at", ts_to_api(db_text(st, 2),
		    ts) ? json_string(ts) : json_null());
		json_object_set_new(o, "source", json_string(db_text(st, 3)));
		json_array_append_new(a, o);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int
consent_latest_terms(struct db *db, const char *user_id, char **version,
    char **accepted_at, char **source)
{
	struct db_stmt *st;
	int rc;

	*version = *accepted_at = *source = NULL;
	st = db_prep(db, "SELECT doc_version, accepted_at, source FROM "
	    "consent_acceptances WHERE user_id = ? AND doc_type = 'terms' "
	    "ORDER BY accepted_at DESC, id DESC LIMIT 1", "s", user_id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1) {
		*version = db_dup(st, 0);
		*accepted_at = db_dup(st, 1);
		*source = db_dup(st, 2);
	}
	db_finalize(st);
	return rc;
}

bool
consent_accept(struct req *r, const struct consent_item *it, size_t n)
{
	char now[TS_STORAGE_LEN], at[TS_STORAGE_LEN], ip[B64URL_HMAC_LEN];
	const char *source = n > 0 ? it[0].source : "api";
	json_t *meta;
	size_t i;

	ts_storage(r->cx.now, now);
	req_ip_hmac(r, ip);
	if (db_begin(r->cx.db) != DB_OK)
		return false;
	for (i = 0; i < n; i++) {
		ts_storage(it[i].accepted_at, at);
		if (strcmp(it[i].doc_type, "terms") == 0)
			source = it[i].source;
		if (!consent_record(r->cx.db, r->cx.actor.user_id, it[i].doc_type,
		    it[i].doc_version, at, it[i].source, now, ip))
			goto fail;
	}
	meta = json_object();
	json_object_set_new(meta, "terms_version",
	    json_string(cfg.terms_version));
	json_object_set_new(meta, "privacy_version",
	    json_string(cfg.privacy_version));
	json_object_set_new(meta, "source", json_string(source));
	if (!audit(&r->cx, &(struct audit_ev){ .action = "CONSENT_ACCEPTED",
	    .target_type = "USER", .target_id = r->cx.actor.user_id,
	    .meta = meta }))
		goto fail;
	return db_commit(r->cx.db) == DB_OK;
fail:
	db_rollback(r->cx.db);
	return false;
}

bool
consent_accept_current(struct req *r, const char *source)
{
	const struct consent_item it[] = {
		{ "terms", cfg.terms_version, source, r->cx.now },
		{ "privacy", cfg.privacy_version, source, r->cx.now },
	};

	return consent_accept(r, it, 2);
}
