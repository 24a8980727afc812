/*
 * consent.h: the consent_acceptances store (domain.md 0.2, 2). The
 * required documents are terms at terms_version and privacy at
 * privacy_version; gate.h's consent_complete() answers the gate itself.
 */
#ifndef LTC_CONSENT_H
#define LTC_CONSENT_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "http/request.h"

/* terms_version, or "<terms>/<privacy>" when they differ; arena string. */
const char *consent_required_version(struct arena *);
/* [{"doc_type":"terms","doc_version":..},{"doc_type":"privacy",..}] */
json_t	*consent_required_json(void);

/*
 * Records (user, doc_type, doc_version) unless that row exists (its
 * first acceptance stays). accepted_at and created_at are storage
 * timestamps; ip_hmac may be NULL.
 */
bool	 consent_record(struct db *, const char *user_id,
	    const char *doc_type, const char *doc_version,
	    const char *accepted_at, const char *source,
	    const char *created_at, const char *ip_hmac);

/* Every acceptance row of the user, oldest first; NULL on db error. */
json_t	*consent_accepted_json(struct db *, const char *user_id);

/*
 * The user's most recent terms acceptance (by accepted_at): 1 found
 * (strings allocated, caller frees), 0 none, -1 db error.
 */
int	 consent_latest_terms(struct db *, const char *user_id, char **version,
	    char **accepted_at, char **source);

/*
 * Records terms and privacy at their current versions for the actor,
 * accepted now, with source "ui" or "api", plus audit CONSENT_ACCEPTED,
 * in one transaction (the legacy route and the HTML consent form).
 * false on db error (resp_db_error()).
 */
bool	 consent_accept_current(struct req *, const char *source);

/* One acceptance as sent (POST /api/consent/accept). */
struct consent_item {
	const char	*doc_type;
	const char	*doc_version;
	const char	*source;
	int64_t		 accepted_at;
};

/*
 * Records the items (rows that exist are kept) for the actor with the
 * request's ip_hmac as evidence, plus audit CONSENT_ACCEPTED with the
 * terms item's source, in one transaction. false on db error.
 */
bool	 consent_accept(struct req *, const struct consent_item *, size_t n);

#endif
