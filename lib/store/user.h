/*
 * user.h: the account store (domain.md 0.1, 1.1, 1.5). All SQL on
 * auth_users lives here, for the login flows, the admin routes and
 * ltcctl alike. Addresses arrive sealed (email_hmac, ciphertext and key
 * id: domain/account.h computes them): this module never sees a plain
 * address. Rows are filled into the caller's struct, their strings owned
 * by the context's arena.
 */
#ifndef LTC_USER_H
#define LTC_USER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/crypto.h"
#include "store/ctx.h"
#include "store/db.h"

#define USER_HASH_LEN	128	/* a stored MCF password hash + NUL */

struct user {
	char	 user_id[UUID_LEN];
	char	 email_hmac[B64URL_HMAC_LEN];
	char	 role[16];
	char	 status[16];
	bool	 has_password;
	/*
	 * The stored hash ("" when none; a longer, tampered value is cut and
	 * then fails the MCF check). Callers that read it wipe the struct.
	 */
	char	 password_hash[USER_HASH_LEN];
	const char *email_enc;		/* arena; may be NULL */
	const char *email_key_id;	/* arena; may be NULL */
	const char *password_changed_at; /* storage timestamps (arena) or NULL */
	const char *email_verified_at;
	const char *created_at;
	const char *updated_at;
	const char *disabled_at;
};

/* What a new account is stored with; password_hash may be NULL. */
struct user_new {
	const char	*user_id;
	const char	*email_hmac;
	const char	*email_enc;
	const char	*email_key_id;
	const char	*role;
	const char	*password_hash;
};

/* 1 found (u filled), 0 not found, -1 db error. */
int	 user_find_by_hmac(struct ctx *, const char *email_hmac, struct user *);
int	 user_find_by_id(struct ctx *, const char *user_id, struct user *);

bool	 user_active(const struct user *);
/* Does the account exist? 1 yes, 0 no, -1 db error. */
int	 user_exists(struct db *, const char *user_id);

/* A verified, active account created at cx->now. */
bool	 user_insert(struct ctx *, const struct user_new *);
bool	 user_set_verified(struct ctx *, const char *user_id);
bool	 user_set_password(struct ctx *, const char *user_id,
	    const char *password_hash);
/* Same hash strength upgrade: password_changed_at stays as it was. */
bool	 user_rehash_password(struct ctx *, const char *user_id,
	    const char *password_hash);
bool	 user_set_role(struct ctx *, const char *user_id, const char *role);
/* "active" clears disabled_at, "disabled" stamps it. */
bool	 user_set_status(struct ctx *, const char *user_id, const char *status);

/* Active superadmins; -1 on error. */
int64_t	 user_count_active_superadmins(struct db *);
/*
 * The last-superadmin rule (domain.md 1.1), for every path that takes an
 * account out of the active superadmins (a role change away from
 * superadmin, disabling): would it leave none? 1 yes (refuse), 0 no, -1
 * db error. An account that is no active superadmin is never the last.
 */
int	 user_is_last_superadmin(struct db *, const char *user_id);

/* Open (unrevoked, unexpired) sessions and non-deleted vehicles. */
bool	 user_counts(struct ctx *, const char *user_id, int64_t *sessions,
	    int64_t *vehicles);

/*
 * The list of api.md 14.1, newest first: user_id, role, status,
 * email_verified, created_at. email_hmac NULL lists everybody. Returns a
 * new array, NULL on database error.
 */
json_t	*user_list(struct db *, const char *email_hmac, int64_t limit,
	    int64_t offset);

#endif
