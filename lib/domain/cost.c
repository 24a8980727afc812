/* cost.c: see cost.h. */
#include <stdbool.h>
#include <string.h>

#include "base/util.h"
#include "domain/cost.h"

enum cost_status
cost_parse(const char *s, size_t n, int64_t *cents)
{
	char digits[32];
	size_t i = 0, nd = 0;
	int64_t point = 0, exp = 0, places, v = 0;
	bool neg = false, any = false, expneg = false, lead = true;

	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	/* Integer part, then fraction: digits[] keeps the significant ones. */
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		any = true;
		if (lead && s[i] == '0')
			continue;
		lead = false;
		if (nd == sizeof(digits))
			return COST_TOO_LARGE;
		digits[nd++] = s[i];
		point++;
	}
	if (!any)
		return COST_SYNTAX;
	if (i < n && s[i] == '.') {
		i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return COST_SYNTAX;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (lead && s[i] == '0') {
				point--;
				continue;
			}
			lead = false;
			/* More than 31 significant digits: beyond any bound. */
			if (nd == sizeof(digits))
				return COST_DECIMALS;
			digits[nd++] = s[i];
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			expneg = s[i++] == '-';
		if (i == n || s[i] < '0' || s[i] > '9')
			return COST_SYNTAX;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (exp < 1000000)
				exp = exp * 10 + (s[i] - '0');
		if (expneg)
			exp = -exp;
	}
	if (i != n)
		return COST_SYNTAX;
	/* Trailing zeros add no precision. */
	while (nd > 0 && digits[nd - 1] == '0')
		nd--;
	if (nd == 0) {
		*cents = 0;
		return COST_OK;
	}
	/* value = 0.<digits> * 10^(point + exp) */
	point += exp;
	places = (int64_t)nd - point;
	if (places > 2)
		return COST_DECIMALS;
	if (neg)
		return COST_NEGATIVE;
	if (point > 10)
		return COST_TOO_LARGE;
	for (i = 0; i < nd; i++)
		v = v * 10 + (digits[i] - '0');
	for (; places < 2; places++)
		v *= 10;
	if (v > COST_MAX_CENTS)
		return COST_TOO_LARGE;
	*cents = v;
	return COST_OK;
}

/* Skips one JSON string starting at its opening quote; returns the end. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/* Does the string token at s[i] (opening quote) decode to key? */
static bool
key_is(const char *s, size_t n, size_t i, const char *key)
{
	size_t k = 0, klen = strlen(key);

	for (i++; i < n && s[i] != '"'; i++) {
		int c = (unsigned char)s[i];

		if (c == '\\') {
			if (++i >= n)
				return false;
			switch (s[i]) {
			case 'u': {
				int j, h, cp = 0;

				for (j = 1; j <= 4; j++) {
					if (i + j >= n || (h = hexval(s[i + j])) < 0)
						return false;
					cp = cp * 16 + h;
				}
				i += 4;
				/* Keys we look for are ASCII. */
				if (cp == 0 || cp > 0x7f)
					return false;
				c = cp;
				break;
			}
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			default: c = (unsigned char)s[i]; break;
			}
		}
		if (k >= klen || key[k] != c)
			return false;
		k++;
	}
	return k == klen;
}

/* Skips one JSON value at s[i]; returns the index after it. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	if (i < n && s[i] == '"')
		return skip_string(s, n, i);
	if (i < n && (s[i] == '{' || s[i] == '[')) {
		for (; i < n; i++) {
			if (s[i] == '"') {
				i = skip_string(s, n, i) - 1;
				continue;
			}
			if (s[i] == '{' || s[i] == '[')
				depth++;
			else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
				return i + 1;
		}
		return n;
	}
	while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
	    s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
		i++;
	return i;
}

bool
json_raw_member(const char *s, size_t n, const char *key, const char **val,
    size_t *vlen)
{
	size_t i = skip_ws(s, n, 0), k, v;

	if (i >= n || s[i] != '{')
		return false;
	i++;
	for (;;) {
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != '"')
			return false;
		k = i;
		i = skip_ws(s, n, skip_string(s, n, i));
		if (i >= n || s[i] != ':')
			return false;
		v = skip_ws(s, n, i + 1);
		i = skip_value(s, n, v);
		if (key_is(s, n, k, key)) {
			*val = s + v;
			*vlen = i - v;
			return true;
		}
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ',')
			return false;
		i++;
	}
}
