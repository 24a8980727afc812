/* vin.c: see vin.h. */
#include <string.h>

#include "domain/vin.h"

static bool
vin_char(char c)
{
	if (c >= '0' && c <= '9')
		return true;
	/* I, O and Q are not used in VINs (ISO 3779). */
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q';
}

static bool
ascii_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

bool
vin_normalise(const char *in, char out[VIN_BUF])
{
	const char *b = in, *e = in + strlen(in);
	size_t n = 0;

	while (b < e && ascii_ws(*b))
		b++;
	while (e > b && ascii_ws(e[-1]))
		e--;
	for (; b < e; b++) {
		char c = *b;

		if (c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!vin_char(c) || n == VIN_MAX)
			goto bad;
		out[n++] = c;
	}
	if (n < 11)
		goto bad;
	out[n] = '\0';
	return true;
bad:
	explicit_bzero(out, VIN_BUF);
	return false;
}

void
vin_split(const char *norm, struct vin_parts *p)
{
	size_t n = strlen(norm);

	memcpy(p->prefix3, norm, 3);
	p->prefix3[3] = '\0';
	memcpy(p->last4, norm + n - 4, 4);
	p->last4[4] = '\0';
	hmac_hex(norm, p->hmac);
}
