/*
 * user.h: the account store (domain.md 0.1, 1.1, 1.5). All auth_users
 * SQL lives here. Addresses are stored only as email_hmac and as
 * AES-256-GCM ciphertext (security.md 6); this module never sees a
 * plain address except to encrypt it at creation.
 */
#ifndef LTC_USER_H
#define LTC_USER_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>


#include "base/crypto.h"

struct user {
	char	 user_id[UUID_LEN];
	char	 email_hmac[B64URL_HMAC_LEN];
	char	 role[16];
	char	 status[16];
	char	*email_enc;		/* may be NULL */
	char	*email_key_id;		/* may be NULL */
	char	*password_hash;	/* NULL: none; wiped on free */
	char	*password_changed_at; /* storage timestamps or NULL */
	char	*email_verified_at;
	char	*created_at;
	char	*updated_at;
	char	*disabled_at;
};

/* 1 found (u filled, free with user_free), 0 not found, -1 db error. */
int	 user_find_by_hmac(struct db *, const char *email_hmac, struct user *);
int	 user_find_by_id(struct db *, const char *user_id, struct user *);
void	 user_free(struct user *);

bool	 user_active(const struct user *);

/*
 * New verified, active account for the normalised address: e-mail
 * encrypted with AAD "ltc:email:" + the new id. password_hash may be
 * NULL. Fills id. false on CSPRNG, crypto or db error.
 */
bool	 user_create(struct db *, int64_t now, const char *email,
	    const char *role, const char *password_hash, char id[UUID_LEN]);
bool	 user_set_verified(struct db *, int64_t now, const char *user_id);
bool	 user_set_password(struct db *, int64_t now, const char *user_id,
	    const char *password_hash);
/* Same hash strength upgrade: password_changed_at stays as it was. */
bool	 user_rehash_password(struct db *, int64_t now, const char *user_id,
	    const char *password_hash);
bool	 user_set_role(struct db *, int64_t now, const char *user_id,
	    const char *role);
/* "active" clears disabled_at, "disabled" stamps it. */
bool	 user_set_status(struct db *, int64_t now, const char *user_id,
	    const char *status);

/* Active superadmins; -1 on error. */
int64_t	 user_count_active_superadmins(struct db *);
/*
 * Would taking this account out of the active superadmins (role change
 * or disable) leave none? 1 yes, 0 no, -1 db error.
 */
int	 user_is_last_superadmin(struct db *, const struct user *);

/*
 * Bootstrap rule of domain.md 1.5: when bootstrap_superadmin_email is
 * set, equals the normalised address, and no active superadmin exists,
 * makes the account superadmin. 1 applied, 0 not, -1 db error. Runs in
 * the caller's transaction; the caller writes BOOTSTRAP_SUPERADMIN.
 */
int	 user_bootstrap(struct db *, int64_t now, const char *user_id,
	    const char *email);

/* Open (unrevoked, unexpired) sessions and non-deleted vehicles. */
bool	 user_counts(struct db *, int64_t now, const char *user_id,
	    int64_t *sessions, int64_t *vehicles);

/* Is s one of the seven role names? */
bool	 user_role_valid(const char *);

#endif
