/*
 * acceptance.h: the consent_acceptances store (domain.md 0.2, 2). All
 * SQL on that table lives here, the consent gate's question included.
 * The required documents are terms at terms_version and privacy at
 * privacy_version. The writers run in the caller's transaction.
 */
#ifndef LTC_ACCEPTANCE_H
#define LTC_ACCEPTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "store/ctx.h"
#include "store/db.h"

/* terms_version, or "<terms>/<privacy>" when they differ; arena string. */
const char *acceptance_required_version(struct arena *);
/* [{"doc_type":"terms","doc_version":..},{"doc_type":"privacy",..}] */
json_t	*acceptance_required_json(void);

/*
 * Has the user accepted both required documents at their current
 * versions? 1 yes, 0 no, -1 db error.
 */
int	 acceptance_complete(struct db *, const char *user_id);

/* Every acceptance row of the user, oldest first; NULL on db error. */
json_t	*acceptance_list_json(struct db *, const char *user_id);

/*
 * The user's most recent terms acceptance (by accepted_at): 1 found
 * (arena strings), 0 none (all NULL), -1 db error.
 */
int	 acceptance_latest_terms(struct ctx *, const char *user_id,
	    const char **version, const char **accepted_at,
	    const char **source);

/* One acceptance as sent (POST /api/consent/accept). */
struct acceptance_item {
	const char	*doc_type;
	const char	*doc_version;
	const char	*source;
	int64_t		 accepted_at;
};

/*
 * Records the items for the actor (rows that exist are kept: the first
 * acceptance stays) with cx->ip_hmac as evidence, plus audit
 * CONSENT_ACCEPTED with the terms item's source. false on db error.
 */
bool	 acceptance_record(struct ctx *, const struct acceptance_item *,
	    size_t n);
/*
 * The same for terms and privacy at their current versions, accepted
 * now, with source "ui" or "api" (the legacy route and the HTML form).
 */
bool	 acceptance_record_current(struct ctx *, const char *source);

#endif
