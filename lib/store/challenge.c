/* challenge.c: see challenge.h. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "store/challenge.h"
#include "store/db.h"

static void
otp_hash(const char *otp, const char *id, char out[B64URL_HMAC_LEN])
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%s%s", otp, id);
	hmac_b64url(msg, out);
	explicit_bzero(msg, sizeof(msg));
}

bool
challenge_prepare(struct challenge *ch, int64_t now, const char *email_hmac,
    const char *purpose, const char *pending, char otp[OTP_LEN])
{
	memset(ch, 0, sizeof(*ch));
	if (!uuid4(ch->id) || !random_otp(otp))
		return false;
	otp_hash(otp, ch->id, ch->otp_hash);
	snprintf(ch->email_hmac, sizeof(ch->email_hmac), "%s", email_hmac);
	snprintf(ch->purpose, sizeof(ch->purpose), "%s", purpose);
	if (pending != NULL)
		snprintf(ch->pending_hash, sizeof(ch->pending_hash), "%s",
		    pending);
	ch->created = now;
	ch->expires = now + cfg.otp_ttl_seconds * US_PER_SEC;
	return true;
}

bool
challenge_insert(struct db *db, const struct challenge *ch)
{
	char c[TS_STORAGE_LEN], e[TS_STORAGE_LEN];

	ts_storage(ch->created, c);
	ts_storage(ch->expires, e);
	return db_exec(db, "INSERT INTO auth_challenges (challenge_id, "
	    "email_hmac, purpose, otp_hash, pending_password_hash, created_at, "
	    "expires_at, attempts) VALUES (?,?,?,?,?,?,?,0)", "sssssss", ch->id,
	    ch->email_hmac, ch->purpose, ch->otp_hash,
	    ch->pending_hash[0] != '\0' ? ch->pending_hash : NULL, c,
	    e) == DB_OK;
}

bool
challenge_delete(struct db *db, const char *id)
{
	return db_exec(db, "DELETE FROM auth_challenges WHERE challenge_id = ?",
	    "s", id) == DB_OK;
}

int
challenge_find(struct db *db, const char *id, struct challenge *ch)
{
	struct db_stmt *st;
	int rc;

	memset(ch, 0, sizeof(*ch));
	st = db_prep(db, "SELECT challenge_id, email_hmac, purpose, otp_hash, "
	    "pending_password_hash, created_at, expires_at, "
	    "used_at IS NOT NULL, attempts FROM auth_challenges "
	    "WHERE challenge_id = ?", "s", id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1) {
		snprintf(ch->id, sizeof(ch->id), "%s", db_text(st, 0));
		snprintf(ch->email_hmac, sizeof(ch->email_hmac), "%s",
		    db_text(st, 1));
		snprintf(ch->purpose, sizeof(ch->purpose), "%s",
		    db_text(st, 2));
		snprintf(ch->otp_hash, sizeof(ch->otp_hash), "%s",
		    db_text(st, 3));
		if (!db_isnull(st, 4))
			snprintf(ch->pending_hash, sizeof(ch->pending_hash),
			    "%s", db_text(st, 4));
		if (!ts_parse(db_text(st, 5), &ch->created) ||
		    !ts_parse(db_text(st, 6), &ch->expires)) {
			db_fail(db, DB_ERROR);
			rc = -1;
		}
		ch->used = db_int(st, 7) != 0;
		ch->attempts = db_int(st, 8);
	}
	db_finalize(st);
	if (rc < 0)
		explicit_bzero(ch, sizeof(*ch));
	return rc;
}

bool
challenge_otp_ok(const struct challenge *ch, const char *otp)
{
	char h[B64URL_HMAC_LEN];

	otp_hash(otp, ch->id, h);
	return ct_streq(h, ch->otp_hash);
}

bool
challenge_fail(struct db *db, int64_t now, const char *id)
{
	return db_exec(db, "UPDATE auth_challenges SET "
	    "attempts = attempts + 1, last_attempt_at = ? "
	    "WHERE challenge_id = ?", "ts", now, id) == DB_OK;
}

bool
challenge_use(struct db *db, int64_t now, const char *id)
{
	if (db_exec(db, "UPDATE auth_challenges SET used_at = ?, "
	    "last_attempt_at = ? WHERE challenge_id = ? AND used_at IS NULL",
	    "tts", now, now, id) != DB_OK)
		return false;
	return db_changes(db) == 1;
}
