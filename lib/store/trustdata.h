/*
 * trustdata.h: loads E and D of domain.md 4.2 for one vehicle (the
 * trust levels of its latest entries, its live documents). The Trust-
 * Ampel engine that evaluates them is domain/ampel.h, fed through
 * domain/trustsummary.h; this store only reads.
 *
 * Everything loaded lives in the request arena.
 */
#ifndef LTC_TRUSTDATA_H
#define LTC_TRUSTDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "store/ctx.h"

struct trustdata_doc {
	const char	*approval_status;
	const char	*scan_status;
	const char	*pii_status;
	bool		 has_checksum;	/* checksum_sha256 IS NOT NULL */
};

struct trustdata {
	const char		**levels;	/* per latest entry; may be NULL */
	size_t			  nlevels;
	struct trustdata_doc	 *docs;		/* documents not deleted */
	size_t			  ndocs;
};

/* Fills td for vehicle_id; false on db error. */
bool	 trustdata_load(struct ctx *, const char *vehicle_id,
	    struct trustdata *);

#endif
