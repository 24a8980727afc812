/* email.c: see email.h. */
#include <string.h>

#include "domain/email.h"
#include "base/util.h"

char *
email_normalise(struct arena *a, const char *s)
{
	char *t = arena_strdup(a, s);

	str_trim(t);
	str_lower_ascii(t);
	return t;
}

bool
email_plausible(const char *s)
{
	const char *at = NULL, *p;

	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		/* Printable ASCII without the space: 0x21..0x7e. */
		if (c <= 0x20 || c >= 0x7f)
			return false;
		/* A header would read these as a list, group or comment. */
		if (strchr("(),:;<>[]\\\"", c) != NULL)
			return false;
		if (c == '@') {
			if (at != NULL)
				return false;
			at = p;
		}
	}
	return at != NULL && at != s && at[1] != '\0';
}

const char *
email_accept(struct arena *a, const char *raw)
{
	const char *s;
	size_t n;

	if (raw == NULL)
		return NULL;
	s = email_normalise(a, raw);
	/* Plausible means ASCII: bytes are code points. */
	n = strlen(s);
	return n >= EMAIL_MIN && n <= EMAIL_MAX && email_plausible(s) ? s :
	    NULL;
}

void
email_hmac(const char *normalised, char out[B64URL_HMAC_LEN])
{
	hmac_b64url(normalised, out);
}

const char *
email_aad(struct arena *a, const char *user_id)
{
	return arena_printf(a, "ltc:email:%s", user_id);
}
