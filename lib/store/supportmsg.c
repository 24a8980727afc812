/* supportmsg.c: see supportmsg.h. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "store/supportmsg.h"

const char *const supportmsg_topics[] = { "frage", "fehler", "datenschutz",
    "sonstiges", NULL };
const char *const supportmsg_statuses[] = { "offen", "in_pruefung",
    "geloest", NULL };

#define MSG_COLS "id, topic, message, status, user_id, " \
	"reply_to_enc IS NOT NULL, created_at, updated_at"

static void
fill(struct ctx *cx, struct db_stmt *st, struct supportmsg *m)
{
	struct arena *a = &cx->arena;

	m->id = arena_strdup(a, db_text(st, 0));
	m->topic = arena_strdup(a, db_text(st, 1));
	m->message = arena_strdup(a, db_text(st, 2));
	m->status = arena_strdup(a, db_text(st, 3));
	m->user_id = arena_strdup(a, db_text(st, 4));
	m->has_reply_to = db_int(st, 5) != 0;
	m->created_at = arena_strdup(a, db_text(st, 6));
	m->updated_at = arena_strdup(a, db_text(st, 7));
}

static const char *
aad(struct ctx *cx, const char *id)
{
	return arena_printf(&cx->arena, "ltc:support:%s", id);
}

bool
supportmsg_create(struct ctx *cx, const char *topic, const char *message,
    const char *reply_to, const char *user_id, char id[UUID_LEN])
{
	char ts[TS_STORAGE_LEN], key_id[17] = "";
	char *enc = NULL;
	bool ok;

	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	if (reply_to != NULL &&
	    (enc = email_encrypt(reply_to, aad(cx, id), key_id)) == NULL) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	ts_storage(cx->now, ts);
	ok = db_exec(cx->db, "INSERT INTO support_messages (id, topic, "
	    "message, reply_to_enc, reply_to_key_id, user_id, status, "
	    "created_at, updated_at) VALUES (?,?,?,?,?,?,'offen',?,?)",
	    "ssssssss", id, topic, message, enc, enc != NULL ? key_id : NULL,
	    user_id, ts, ts) == DB_OK;
	free(enc);
	return ok;
}

struct supportmsg *
supportmsg_list(struct ctx *cx, const char *status, int64_t limit,
    int64_t offset, size_t *n)
{
	struct supportmsg *v;
	struct db_stmt *st;
	size_t cap;
	int rc = 0;

	*n = 0;
	if (status == NULL)
		st = db_prep(cx->db, "SELECT " MSG_COLS " FROM "
		    "support_messages ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?", "ii",
		    limit, offset);
	else
		st = db_prep(cx->db, "SELECT " MSG_COLS " FROM "
		    "support_messages WHERE status = ? ORDER BY created_at DESC, seq DESC "
		    "LIMIT ? OFFSET ?", "sii", status, limit, offset);
	if (st == NULL)
		return NULL;
	/* limit is at most 200 (api.md 16a): one allocation holds them all. */
	cap = limit > 0 ? (size_t)limit : 1;
	v = arena_alloc(&cx->arena, cap * sizeof(*v));
	while (*n < cap && (rc = db_step(st)) == 1)
		fill(cx, st, &v[(*n)++]);
	if (*n == cap)
		rc = 0;
	db_finalize(st);
	return rc < 0 ? NULL : v;
}

int
supportmsg_find(struct ctx *cx, const char *id, struct supportmsg *m)
{
	struct db_stmt *st;
	int rc;

	memset(m, 0, sizeof(*m));
	st = db_prep(cx->db, "SELECT " MSG_COLS " FROM support_messages "
	    "WHERE id = ?", "s", id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == 1)
		fill(cx, st, m);
	db_finalize(st);
	return rc;
}

bool
supportmsg_set_status(struct ctx *cx, const char *id, const char *status,
    const char *note)
{
	if (db_exec(cx->db, "UPDATE support_messages SET status = ?, "
	    "updated_at = ? WHERE id = ?", "sts", status, cx->now, id) != DB_OK)
		return false;
	return db_exec(cx->db, "INSERT INTO support_message_notes (message_id, "
	    "by_user_id, status, note, created_at) VALUES (?,?,?,?,?)",
	    "sssst", id, cx->actor.user_id, status, note, cx->now) == DB_OK;
}

struct supportnote *
supportmsg_notes(struct ctx *cx, const char *id, size_t *n)
{
	struct supportnote *v, *w;
	struct db_stmt *st;
	size_t cap = 8;
	int rc;

	*n = 0;
	st = db_prep(cx->db, "SELECT created_at, by_user_id, status, note "
	    "FROM support_message_notes WHERE message_id = ? "
	    "ORDER BY created_at, id", "s", id);
	if (st == NULL)
		return NULL;
	v = arena_alloc(&cx->arena, cap * sizeof(*v));
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			w = arena_alloc(&cx->arena, 2 * cap * sizeof(*w));
			memcpy(w, v, cap * sizeof(*w));
			v = w;
			cap *= 2;
		}
		v[*n].created_at = arena_strdup(&cx->arena, db_text(st, 0));
		v[*n].by_user_id = arena_strdup(&cx->arena, db_text(st, 1));
		v[*n].status = arena_strdup(&cx->arena, db_text(st, 2));
		v[*n].note = arena_strdup(&cx->arena, db_text(st, 3));
		(*n)++;
	}
	db_finalize(st);
	return rc < 0 ? NULL : v;
}

const char *
supportmsg_reply_to(struct ctx *cx, const char *id, int *err)
{
	const unsigned char *prev = NULL;
	const char *out = NULL;
	struct db_stmt *st;
	size_t prevlen = 0;
	char *plain;
	int rc;

	*err = 0;
	st = db_prep(cx->db, "SELECT reply_to_enc, reply_to_key_id FROM "
	    "support_messages WHERE id = ?", "s", id);
	if (st == NULL) {
		*err = -1;
		return NULL;
	}
	if ((rc = db_step(st)) == 1 && !db_isnull(st, 0)) {
		if (cfg.secret_key_previous != NULL &&
		    cfg.secret_key_previous[0] != '\0') {
			prev = (const unsigned char *)cfg.secret_key_previous;
			prevlen = strlen(cfg.secret_key_previous);
		}
		plain = email_decrypt(db_text(st, 0), db_text(st, 1),
		    aad(cx, id), prev, prevlen);
		if (plain != NULL) {
			out = arena_strdup(&cx->arena, plain);
			explicit_bzero(plain, strlen(plain));
			free(plain);
		}
	}
	db_finalize(st);
	if (rc < 0)
		*err = -1;
	return out;
}
