/*
 * cookie.h: the ltc_session cookie of security.md 2.4, written onto the
 * response of the routes that open or end a session.
 */
#ifndef LTC_COOKIE_H
#define LTC_COOKIE_H

#include "http/request.h"

/* Set-Cookie for ltc_session (token NULL: clearing cookie, Max-Age=0). */
void	 session_cookie(struct req *, const char *token);

#endif
