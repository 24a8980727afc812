/* cookie.c: see cookie.h. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "http/cookie.h"
#include "http/response.h"

void
session_cookie(struct req *r, const char *token)
{
	bool secure = req_is_https() || (cfg.public_base_url != NULL &&
	    str_prefix(cfg.public_base_url, "https://"));
	char v[256];

	if (token != NULL)
		snprintf(v, sizeof(v), "ltc_session=%s; Path=/; HttpOnly; "
		    "SameSite=Lax; Max-Age=%lld%s", token,
		    (long long)cfg.session_ttl_seconds, secure ? "; Secure" : "");
	else
		snprintf(v, sizeof(v), "ltc_session=; Path=/; HttpOnly; "
		    "SameSite=Lax; Max-Age=0%s", secure ? "; Secure" : "");
	resp_header(r, "Set-Cookie", v);
	explicit_bzero(v, sizeof(v));
}
