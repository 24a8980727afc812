/* account.c: see account.h. */
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/role.h"
#include "domain/account.h"
#include "domain/email.h"
#include "store/user.h"

bool
account_create(struct ctx *cx, const char *email, const char *role,
    const char *password_hash, char id[UUID_LEN])
{
	char h[B64URL_HMAC_LEN], key_id[17];
	char *enc;
	bool ok;

	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	email_hmac(email, h);
	if ((enc = email_encrypt(email, email_aad(&cx->arena, id),
	    key_id)) == NULL) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	ok = user_insert(cx, &(struct user_new){ .user_id = id,
	    .email_hmac = h, .email_enc = enc, .email_key_id = key_id,
	    .role = role, .password_hash = password_hash });
	free(enc);
	return ok;
}

int
account_bootstrap(struct ctx *cx, const char *user_id, const char *email)
{
	const char *want = cfg.bootstrap_superadmin_email, *norm;
	int64_t n;

	if (want == NULL || want[0] == '\0' || email == NULL)
		return 0;
	norm = email_normalise(&cx->arena, want);
	if (strcmp(norm, email) != 0)
		return 0;
	if ((n = user_count_active_superadmins(cx->db)) < 0)
		return -1;
	if (n > 0)
		return 0;
	return user_set_role(cx, user_id, role_name(ROLE_SUPERADMIN)) ? 1 : -1;
}
