/*
 * mc.h: the masterclipboard store (domain.md 0.6, 11; api.md 13). All
 * mc_* SQL lives here. A session belongs to the org that created it (the
 * creator's user id, domain.md 1.6); the callers compare orgs with
 * mc_same_org(). Writes run in the route's transaction and append their
 * audit row with correlation_id = the session id and the client's
 * idempotency key. Rows live in the request arena.
 */
#ifndef LTC_MC_H
#define LTC_MC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "store/ctx.h"

struct mc_session {
	const char	*id;
	const char	*org_id;
	const char	*created_by_user_id;
	const char	*vehicle_public_id;
	bool		 is_closed;
	const char	*created_at;	/* storage format */
	const char	*closed_at;	/* NULL while open */
};

/* A validated triage item of api.md 13.4. */
struct mc_item_in {
	const char	*kind;
	const char	*title;
	const char	*details;	/* NULL = none */
	const char	*severity;
	const char	*status;
	const json_t	*evidence_refs;	/* strings, or NULL */
};

/* The fields a PATCH sets (api.md 13.5); NULL leaves one unchanged. */
struct mc_item_patch {
	const char	*title;
	const char	*details;
	const char	*severity;
	const char	*status;
};

/* The org id of the actor (domain.md 1.6). */
const char *mc_org_of(const struct ctx *);
bool	 mc_same_org(const struct ctx *, const struct mc_session *);

/* 1 found, 0 unknown, -1 db error. */
int	 mc_session_find(struct ctx *, const char *id, struct mc_session *);
/* Is item_id a triage item of the session? 1, 0, -1. */
int	 mc_item_exists(struct ctx *, const char *session_id,
	    const char *item_id);

/* Writes; each false on db error or a CSPRNG failure (db_status()). */
bool	 mc_session_create(struct ctx *, const char *vehicle_public_id,
	    const char *idem_key, char id[UUID_LEN]);
bool	 mc_speech_add(struct ctx *, const struct mc_session *,
	    const char *source, const char *content, const char *idem_key,
	    char id[UUID_LEN]);
/* *ids gets the new ids in input order (new reference). */
bool	 mc_items_create(struct ctx *, const struct mc_session *,
	    const struct mc_item_in *, size_t n, const char *idem_key,
	    json_t **ids);
bool	 mc_item_update(struct ctx *, const struct mc_session *,
	    const char *item_id, const struct mc_item_patch *,
	    const char *idem_key);
/* ordered is an array of item ids already checked against the session. */
bool	 mc_snapshot_add(struct ctx *, const struct mc_session *,
	    const json_t *ordered, const char *notes, const char *idem_key,
	    char id[UUID_LEN]);
/* Closes once; closing a closed session changes nothing (no audit). */
bool	 mc_session_close(struct ctx *, struct mc_session *,
	    const char *idem_key);

/*
 * The session with its lists, each ordered by created_at ascending
 * (insert order on ties). full: every stored field (the full export);
 * otherwise the GET shape of api.md 13.2. NULL on db error.
 */
json_t	*mc_session_json(struct ctx *, const struct mc_session *,
	    bool full);

#endif
