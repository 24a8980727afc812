/*
 * audit.h: append-only audit rows (domain.md 14). A row is written in the
 * caller's transaction, or on its own when none is open (denials).
 * Metadata passes the sanitiser of domain.md 14.2 before it is stored.
 */
#ifndef LTC_AUDIT_H
#define LTC_AUDIT_H

#include "store/db.h"

#include <jansson.h>

#include "store/ctx.h"

struct audit_ev {
	const char	*action;
	const char	*target_type;
	const char	*target_id;	/* may be NULL */
	const char	*result;	/* NULL = "success" */
	const char	*reason;	/* reason_code; required for "denied" */
	const char	*scope;		/* NULL = derived from the actor */
	const char	*actor_type;	/* NULL = derived ("system" for rules) */
	const char	*idempotency_key;
	json_t		*meta;		/* stolen; may be NULL */
};

/* Writes the row; false on database error (db_status() tells). */
bool	 audit(struct ctx *, const struct audit_ev *);
/* For ltcctl: actor system, request_id "cli". */
bool	 audit_cli(struct db *, const struct audit_ev *);
/* The sanitiser, exposed for tests: returns a new reference or NULL. */
json_t	*audit_sanitise(json_t *);

#endif
