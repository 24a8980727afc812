/*
 * gate.h: who is calling, and may they call this route.
 *
 * gate_resolve_actor() implements security.md 4 (Bearer, cookie, dev
 * headers); gate_authorize() runs the route's declared policy in the
 * order of README "Check order": 401 -> CSRF -> moderator/role 403 ->
 * consent_required, writing the audit rows for each refusal.
 */
#ifndef LTC_GATE_H
#define LTC_GATE_H

#include <stdbool.h>

#include "http/route.h"

void	 gate_resolve_actor(struct req *);
/* False when a refusal was answered (the response is set). */
bool	 gate_authorize(struct req *, const struct policy *);
/* Check 2 of security.md 3: a present Origin (else Referer) is ours. */
bool	 csrf_origin_ok(struct req *);
/* All three checks of security.md 3 for a cookie session's token. */
bool	 csrf_proof_ok(struct req *, const char *token);
/* Answers 403 csrf_failed and audits ACCESS_DENIED/CSRF. */
void	 csrf_refuse(struct req *);

#endif
