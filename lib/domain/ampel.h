/*
 * ampel.h: the Trust-Ampel (domain.md 4, 5). A pure module: callers load
 * the vehicle's latest entries, meta and documents, and get back the light,
 * the sorted reasons and the summary fields. No database, no allocation
 * except the json_t trees the *_json builders return.
 *
 * Every string in a trust_result points into static storage, so a result
 * needs no freeing and may outlive its input.
 */
#ifndef LTC_AMPEL_H
#define LTC_AMPEL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Exact texts of domain.md 4.1; neither contains a digit. */
extern const char	 TRUST_DISCLAIMER[];
extern const char	 TRUST_HINT_GREEN[];

/* One row of the reason-code catalogue (v1). */
struct trust_reason {
	const char	*code;
	const char	*kind;		/* "block", "cap" or "warn" */
	int		 priority;	/* lower = more important */
	const char	*hint;		/* German public hint */
};

#define TRUST_MAX_REASONS	12	/* catalogue size: a bound for R */

/* One document of the vehicle (D before the deleted ones are dropped). */
struct trust_doc {
	const char	*approval_status;	/* QUARANTINED, APPROVED, REJECTED */
	const char	*scan_status;		/* PENDING, CLEAN, INFECTED, ERROR */
	const char	*pii_status;		/* OK, SUSPECTED, CONFIRMED */
	bool		 has_checksum;		/* checksum_sha256 IS NOT NULL */
	bool		 deleted;		/* deleted_at IS NOT NULL: ignored */
};

/*
 * E, M and D of domain.md 4.2. levels[i] is the trust_level of the i-th
 * latest entry ("T1", "T2", "T3" or NULL; anything else counts as NULL).
 * meta is the vehicle's meta object or NULL (unknown vehicle, no meta).
 * Nothing is retained after trust_evaluate() returns.
 */
struct trust_input {
	const char *const	*levels;
	size_t			 nentries;
	const json_t		*meta;
	const struct trust_doc	*docs;
	size_t			 ndocs;
};

struct trust_result {
	const char		  *light;	/* rot, orange, gelb, gruen */
	const char		  *hint;
	const struct trust_reason *reasons[TRUST_MAX_REASONS];	/* sorted */
	size_t			   nreasons;
	const char		  *verification_level;	/* niedrig, mittel, hoch */
	const char		  *history_status;	/* vorhanden, nicht_vorhanden */
	const char		  *evidence_status;	/* vorhanden, nicht_vorhanden */
	const char		  *accident_status;	/* canonical */
	const char		  *accident_status_label;
	const char		  *top_trust_level;	/* NULL, "T1", "T2", "T3" */
};

/* The catalogue in priority order; *n gets its length. */
const struct trust_reason *trust_catalogue(size_t *n);
/* Catalogue row of an exact code, or NULL for an unknown one. */
const struct trust_reason *trust_reason_find(const char *code);

/* Fills every field of the result from the input (domain.md 4.2-4.4). */
void	 trust_evaluate(const struct trust_input *, struct trust_result *);

/*
 * Sets reasons, light and hint of the result from a set of codes: unknown
 * codes and repeats are dropped, the rest sorted by (priority, code).
 * trust_evaluate() uses it; other fields are left alone.
 */
void	 trust_set_reasons(struct trust_result *, const char *const *codes,
	    size_t n);

/*
 * TrustSummary of api.md 5.9, keys in spec order. New reference; the
 * caller owns it (resp_json() steals it).
 */
json_t	*trust_summary_json(const struct trust_result *);
/*
 * PublicQr of api.md 6.1: exactly nine keys in spec order. Steals the
 * reference to vehicle (NULL gives "vehicle": null). New reference.
 */
json_t	*trust_public_json(const struct trust_result *, json_t *vehicle);

/*
 * Stored accident status (any case, untrimmed, NULL = absent) ->
 * "unfallfrei", "nicht_unfallfrei" or "unbekannt". Unrecognised values
 * read as "unbekannt", the cautious answer.
 */
const char *accident_canonical(const char *stored);
/* Canonical accident status -> German label; NULL if not canonical. */
const char *accident_label(const char *canonical);

/* German display labels of domain.md 3.2; NULL for an unknown value. */
const char *vehicle_class_label(const char *);
const char *drivetrain_label(const char *);

#endif
