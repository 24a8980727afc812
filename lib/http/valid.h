/*
 * valid.h: declared input checks that fill the 422 list of README
 * "Validation errors". Handlers read only values that passed; a value
 * that failed is reported once and returned as absent.
 *
 * loc is a dot-separated location prefix ("body", "body.meta", "query");
 * segments made only of digits become integer indexes in the loc array.
 * obj may be NULL (the body itself failed): fields then read as absent
 * without further items.
 */
#ifndef LTC_VALID_H
#define LTC_VALID_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/request.h"

#define V_REQ		0x01	/* required */
#define V_TRIM		0x02	/* trim; bounds apply to the trimmed value */
#define V_MULTI		0x04	/* multi-line: \n \r \t allowed */
#define V_BYTES		0x08	/* length in bytes, any byte but NUL (passwords) */
#define V_EMPTY_NULL	0x10	/* empty (after trimming) counts as absent */

/* Adds one item; name may be NULL (the loc is complete). */
void	 v_add(struct req *, const char *type, const char *loc,
	    const char *name, const char *msg);
bool	 v_failed(const struct req *);
/* If any item was added: sends the 422 and returns true. */
bool	 v_done(struct req *);

/*
 * The body as a JSON object (README "Request bodies"): a missing or empty
 * body is missing@body, bad JSON or a bound exceeded is json_invalid@body,
 * anything but an object is dict_type@body. NULL then.
 */
json_t	*v_body_object(struct req *);
/* Same, but an absent or empty body is fine (returns NULL, no item). */
json_t	*v_body_object_opt(struct req *);

/* Is the member present and not null? */
bool	 v_present(json_t *obj, const char *name);

const char *v_str(struct req *, json_t *obj, const char *loc,
	    const char *name, unsigned flags, size_t min, size_t max);
/* String that must be one of values (NULL-terminated), compared exactly. */
const char *v_enum(struct req *, json_t *obj, const char *loc,
	    const char *name, unsigned flags, const char *const *values);
/* True if present and valid. */
bool	 v_int(struct req *, json_t *obj, const char *loc, const char *name,
	    unsigned flags, int64_t min, int64_t max, int64_t *out);
bool	 v_bool(struct req *, json_t *obj, const char *loc, const char *name,
	    unsigned flags, bool *out);
/* Checks a string value already in hand (for nested or custom fields). */
const char *v_check_string(struct req *, json_t *val, const char *loc,
	    const char *name, unsigned flags, size_t min, size_t max);

/* Query parameters (decimal integers, "^-?[0-9]+$"). */
bool	 v_query_int(struct req *, const char *name, int64_t min,
	    int64_t max, int64_t *out);
/* true|1|false|0, else bool_type. */
bool	 v_query_bool(struct req *, const char *name, bool *out);
const char *v_query_str(struct req *, const char *name, unsigned flags,
	    size_t min, size_t max);

#endif
