/*
 * supportmsg.h: the support inbox store (domain.md 0.7): all SQL on
 * support_messages and support_message_notes. Rows are owned by the
 * context's arena; the writers run in the caller's transaction.
 *
 * The optional reply address is encrypted at rest like an account
 * e-mail (security.md 6, AAD "ltc:support:" + id) and decrypted only for
 * the admin's single-message answer. It never reaches a log or an audit
 * row; neither does the message text.
 */
#ifndef LTC_SUPPORTMSG_H
#define LTC_SUPPORTMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"

/* The CHECK values of the schema, NULL-terminated. */
extern const char *const supportmsg_topics[];	/* frage, fehler, ... */
extern const char *const supportmsg_statuses[];	/* offen, ... geloest */

#define SUPPORT_MESSAGE_MAX	4000	/* code points, trimmed */
#define SUPPORT_REPLY_MIN	3
#define SUPPORT_REPLY_MAX	254
#define SUPPORT_NOTE_MAX	2000

struct supportmsg {
	char	*id;
	char	*topic;
	char	*message;
	char	*status;
	char	*user_id;		/* NULL: anonymous sender */
	bool	 has_reply_to;
	char	*created_at;		/* storage format */
	char	*updated_at;
};

struct supportnote {
	char	*created_at;
	char	*by_user_id;
	char	*status;
	char	*note;			/* NULL when none was given */
};

/*
 * Stores a new message with status offen; reply_to (plain, may be NULL)
 * is encrypted first. id gets the fresh UUID. False on a database or
 * CSPRNG failure (db_status() tells).
 */
bool	 supportmsg_create(struct ctx *, const char *topic,
	    const char *message, const char *reply_to, const char *user_id,
	    char id[UUID_LEN]);

/*
 * Newest first (exact ties: the later insert first), optionally only one
 * status. Arena array of *n rows, NULL on a database error.
 */
struct supportmsg *supportmsg_list(struct ctx *, const char *status,
	    int64_t limit, int64_t offset, size_t *n);
/* 1 found, 0 unknown, -1 database error. */
int	 supportmsg_find(struct ctx *, const char *id, struct supportmsg *);
/*
 * Sets the status (the same one again is allowed) and updated_at, and
 * appends one history row by the actor with the note (may be NULL).
 */
bool	 supportmsg_set_status(struct ctx *, const char *id,
	    const char *status, const char *note);
/* The history of a message, oldest first; NULL on a database error. */
struct supportnote *supportmsg_notes(struct ctx *, const char *id,
	    size_t *n);
/*
 * The decrypted reply address in the arena, or NULL when there is none
 * or it cannot be decrypted (a key that is gone). -1 in *err only for a
 * database error.
 */
const char *supportmsg_reply_to(struct ctx *, const char *id, int *err);

#endif
