/*
 * signin.h: the login flows of api.md 3 without their transport, so the
 * JSON routes (cgi-bin/auth.c) and the HTML forms of the site CGI run the
 * same logic: rate limits, challenges, passwords, session rotation, the
 * bootstrap rule and every audit row of domain.md 14 for them.
 *
 * Addresses passed in are already normalised (email_normalise()); the
 * caller has done the 422 checks and cx->ip_hmac is set. On AR_DB the
 * caller answers the database error (db_status() tells which).
 *
 * Transactions. verify and logout run in the route's transaction
 * (PF_WRITE); their denials (AR_INVALID, AR_EXPIRED, AR_LOCKED,
 * AR_RATE_LIMIT) have written counts and audit rows that must stay, so
 * the caller keeps the writes. request, register, login and password
 * hash with scrypt or send a mail, which must not happen under the write
 * lock: their routes hold no transaction and the flows run each part
 * that must be atomic in a db_atomic() of its own.
 */
#ifndef LTC_SIGNIN_H
#define LTC_SIGNIN_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/crypto.h"
#include "store/challenge.h"
#include "store/ctx.h"

enum auth_result {
	AR_OK,
	AR_INVALID,	/* 400 INVALID */
	AR_EXPIRED,	/* 400 EXPIRED */
	AR_LOCKED,	/* 429 LOCKED, Retry-After = retry_after */
	AR_RATE_LIMIT,	/* 429 RATE_LIMIT, Retry-After = retry_after */
	AR_BUSY,	/* 503 busy: no scrypt slot within 5 s */
	AR_DB,		/* database error */
	AR_ERROR,	/* 500 internal_error */
};

/* The answer of /auth/request and /auth/register. */
struct code_answer {
	char	 challenge_id[UUID_LEN];
	char	 dev_otp[OTP_LEN];	/* "" unless dev_expose_otp */
};

/* A freshly created session (verify, login); wipe after use. */
struct auth_session {
	char	 token[TOKEN_LEN];
	char	 session_id[UUID_LEN];
	char	 user_id[UUID_LEN];
	char	 role[16];
	int64_t	 expires;
};

/*
 * /auth/request (password NULL) and /auth/register: the silent rate
 * limits, the disabled-account rule, the challenge, the mail after the
 * commit. Known, unknown, disabled and limited addresses all give AR_OK
 * with a challenge id; only AR_BUSY/AR_DB/AR_ERROR differ. Known,
 * unknown and disabled addresses take the same steps.
 */
enum auth_result auth_request_code(struct ctx *, const char *email,
	    const char *password, struct code_answer *);

/* /auth/verify: code -> session (creates the account if needed). */
enum auth_result auth_verify(struct ctx *, const char *email,
	    const char *challenge_id, const char *otp, struct auth_session *,
	    int64_t *retry_after);

/*
 * /auth/login: password -> session. Both failure counters are checked
 * and counted in one transaction before any scrypt work; a success takes
 * the counts back (and deletes the address's counter).
 */
enum auth_result auth_login(struct ctx *, const char *email,
	    const char *password, struct auth_session *, int64_t *retry_after);

/*
 * /auth/password for the session actor: proof by current_password, or
 * else by challenge_id + otp of a login code for the actor's address.
 * The failure counters work as for login.
 */
enum auth_result auth_password_change(struct ctx *, const char *new_password,
	    const char *current_password, const char *challenge_id,
	    const char *otp, int64_t *retry_after);

/* Revokes the presented session (reason logout); no-op for dev actors. */
enum auth_result auth_logout(struct ctx *);

/* The session answer of api.md 3 (new reference). */
json_t	*auth_session_json(const struct auth_session *);

#endif
