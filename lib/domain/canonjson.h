/*
 * canonjson.h: the canonical JSON of domain.md 10.5, the plaintext of a
 * full export: UTF-8, no whitespace, object keys sorted by their bytes at
 * every level, the minimal escapes (lowercase \u00xx below U+0020 except
 * \b \f \n \r \t), '/' and non-ASCII literal, reals as amounts (at most 2
 * decimals, no trailing zeros).
 */
#ifndef LTC_CANONJSON_H
#define LTC_CANONJSON_H

#include <jansson.h>

#include "base/util.h"

/* Appends the canonical form of v to b. */
void	 canon_json(struct buf *, const json_t *);

#endif
