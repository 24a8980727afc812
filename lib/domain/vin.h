/*
 * vin.h: VIN handling of domain.md 3.1. The raw VIN lives only in the
 * caller's buffers for the length of one request; what is stored is the
 * prefix, the last four characters and the HMAC of the normalised form.
 */
#ifndef LTC_VIN_H
#define LTC_VIN_H

#include <stdbool.h>

#include "base/crypto.h"

#define VIN_MAX		17
#define VIN_BUF		(VIN_MAX + 1)

struct vin_parts {
	char	 prefix3[4];
	char	 last4[5];
	char	 hmac[HEX_HMAC_LEN];	/* lowercase hex HMAC-SHA256 */
};

/*
 * Normalises in (trim, ASCII uppercase, every space removed) into out and
 * checks ^[A-HJ-NPR-Z0-9]{11,17}$. False when the result does not match;
 * out is then wiped.
 */
bool	 vin_normalise(const char *in, char out[VIN_BUF]);

/* Splits a normalised VIN into what is stored (domain.md 3.1 step 3). */
void	 vin_split(const char *norm, struct vin_parts *);

#endif
