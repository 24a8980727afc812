/*
 * cost.h: exact money amounts of api.md 5.10. An entry's cost_amount is
 * decided on the JSON text of the number, so no binary float ever
 * touches the amount: json_raw_member() finds that text in the request
 * body and cost_parse() reads it as cents.
 */
#ifndef LTC_COST_H
#define LTC_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COST_MAX_CENTS	INT64_C(999999999999)	/* 9 999 999 999.99 */

enum cost_status {
	COST_OK,
	COST_SYNTAX,		/* not a number */
	COST_DECIMALS,		/* more than 2 significant decimals */
	COST_NEGATIVE,
	COST_TOO_LARGE,
};

/*
 * Exact decimal parse of a JSON number's text (-?int[.frac][e[+-]exp]).
 * Trailing zeros of the fraction do not count as decimals ("120.500" is
 * 120.5).
 */
enum cost_status cost_parse(const char *text, size_t n, int64_t *cents);

/*
 * Finds the raw text of a top-level member's value in a JSON object text
 * (escaped key names are decoded for the comparison). True with *val and
 * *vlen set when found. The text must already be valid JSON.
 */
bool	 json_raw_member(const char *json, size_t len, const char *key,
	    const char **val, size_t *vlen);

#endif
