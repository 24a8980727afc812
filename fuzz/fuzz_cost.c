/*
 * libFuzzer harness: cost_parse, the exact decimal reading of an entry's
 * cost_amount. Any input: no read outside the bytes given; an accepted
 * amount lies within 0..COST_MAX_CENTS, reads back the same from its
 * own "units.cents" spelling, and an exponent of zero changes nothing.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	enum cost_status st, st2;
	int64_t c = -1, c2 = -1;
	char buf[64], *e;

	st = cost_parse(s, size, &c);
	if (st == COST_OK) {
		if (c < 0 || c > COST_MAX_CENTS)
			__builtin_trap();
		snprintf(buf, sizeof(buf), "%" PRId64 ".%02" PRId64,
		    c / 100, c % 100);
		if (cost_parse(buf, strlen(buf), &c2) != COST_OK || c2 != c)
			__builtin_trap();
	}
	/* The same text with "e0" (or "0" after an exponent) appended. */
	if (size > 0 && size < 4096 && memchr(s, '\0', size) == NULL) {
		e = malloc(size + 2);
		if (e == NULL)
			return 0;
		memcpy(e, s, size);
		if (memchr(s, 'e', size) == NULL && memchr(s, 'E', size) == NULL) {
			memcpy(e + size, "e0", 2);
			st2 = cost_parse(e, size + 2, &c2);
			if (st2 != st || (st == COST_OK && c2 != c))
				__builtin_trap();
		}
		free(e);
	}
	return 0;
}
