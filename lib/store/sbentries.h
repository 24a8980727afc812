/*
 * sbentries.h: the servicebook store (domain.md 0.5, 13; api.md 11). A
 * servicebook exists through its entries; all servicebook_entries SQL
 * lives here. servicebook_access() decides the vehicle-bound and free
 * scopes of domain.md 13.1 for the routes and the exports alike. Entries
 * are immutable except for the case status, the back links and
 * updated_at. Writes run in the caller's transaction with their audit
 * rows; JSON and strings live in the caller (new references) or arena.
 */
#ifndef LTC_SBENTRIES_H
#define LTC_SBENTRIES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"

#define SB_ID_MAX	64
#define SB_DOCS_MAX	50

/* 1..64 characters of [A-Za-z0-9._:-]. */
bool	 servicebook_id_valid(const char *);

enum sb_access { SB_OK, SB_NOT_FOUND, SB_FORBIDDEN, SB_ERROR };

enum sb_mode {
	SB_READ,	/* list, export */
	SB_CREATE,	/* an inspection may be the first entry */
};

/*
 * The scope check of domain.md 13.1 for the actor. *scope gets the audit
 * scope ("own" or "global").
 */
enum sb_access servicebook_access(struct ctx *, const char *sid,
	    enum sb_mode, const char **scope);

/* Number of entries; -1 on error. */
int64_t	 servicebook_count(struct ctx *, const char *sid);

/*
 * May the actor link doc_id: an existing, non-deleted document it owns
 * (an admin: any)? 1, 0, -1.
 */
int	 servicebook_doc_usable(struct ctx *, const char *doc_id);

/* The shared body of inspection and remediation, validated. */
struct sb_entry_in {
	const char	*source;	/* inspection: GPS or READOUT */
	const char	*result_status;	/* OK or NOT_OK */
	const char	*title;		/* trimmed; NULL = route default */
	const char	*summary;	/* NULL = none */
	const char	*details;
	int64_t		 occurred_at;	/* microseconds */
	bool		 has_km;
	int64_t		 km;
	const json_t	*document_ids;	/* string array; NULL = [] */
};

/*
 * INSPECTION_EVENT, plus a CASE for NOT_OK with the back links, and the
 * audit rows. *inspection and *casej (json null without a case) get the
 * final ServicebookEntry objects. False on db error.
 */
bool	 servicebook_inspect(struct ctx *, const char *sid,
	    const struct sb_entry_in *, const char *scope, json_t **inspection,
	    json_t **casej);

/* Is case_id a CASE entry of sid? 1, 0, -1. */
int	 servicebook_case_exists(struct ctx *, const char *sid,
	    const char *case_id);

/*
 * REMEDIATION of the case and the case's new status (DONE for OK, else
 * IN_PROGRESS) with its back link, and the audit row. False on db error.
 */
bool	 servicebook_remediate(struct ctx *, const char *sid,
	    const char *case_id, const struct sb_entry_in *, const char *scope,
	    json_t **remediation, const char **case_status);

/* [ServicebookEntry, ...], created_at ascending; NULL on db error. */
json_t	*servicebook_entries(struct ctx *, const char *sid);

#endif
