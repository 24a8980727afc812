/*
 * document.h: the document store (domain.md 0.3, 12.3). Statements on
 * the documents table that the product routes run; uploads and the
 * operator's tools add theirs here as they come.
 */
#ifndef LTC_DOCUMENT_H
#define LTC_DOCUMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/ctx.h"

/*
 * The documents' part of a redeem (domain.md 12.3 step 3), in the
 * caller's transaction: PII-free live documents of the vehicle pass to
 * the owner to (*moved counts them); every other live one is unlinked
 * from the vehicle and its entry and stays with its owner (*unlinked).
 * False on db error.
 */
bool	 document_hand_over(struct ctx *, const char *vehicle_id,
	    const char *to, int64_t *moved, int64_t *unlinked);

#endif
