/*
 * folder.h: the trust folder store (domain.md 0.4, 9). All SQL on
 * trust_folders lives here; the folder gate is domain/addon_gate.h.
 *
 * Rows are owned by the request arena: nothing here is freed by the
 * caller.
 */
#ifndef LTC_FOLDER_H
#define LTC_FOLDER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"

#define FOLDER_TITLE_MAX	255

struct folder {
	int64_t		 id;
	const char	*vehicle_id;
	const char	*owner_user_id;
	const char	*addon_key;
	const char	*title;
	const char	*created_at;	/* storage format */
	const char	*updated_at;
};

/* 1 found (f filled), 0 none, -1 db error. */
int	 folder_get(struct ctx *, int64_t id, struct folder *);
/* TrustFolderOut of api.md 1.2; new reference. */
json_t	*folder_out(const struct folder *);

/*
 * [TrustFolderOut, ...] of (vehicle, key) ordered by id; only owner's
 * folders unless owner is NULL. New reference, NULL on db error.
 */
json_t	*folder_list(struct db *, const char *vehicle_id, const char *key,
	    const char *owner);
/* 1 when any owner has folders for (vehicle, key), 0 not, -1 db error. */
int	 folder_any(struct db *, const char *vehicle_id, const char *key);
/*
 * 1 when owner already has a folder titled title on the vehicle (other
 * than except_id, 0 for none), 0 not, -1 db error.
 */
int	 folder_title_taken(struct db *, const char *vehicle_id,
	    const char *owner, const char *title, int64_t except_id);
/* Inserts one owned by the actor and fills f; false on db error. */
bool	 folder_create(struct ctx *, const char *vehicle_id, const char *key,
	    const char *title, struct folder *);
bool	 folder_rename(struct ctx *, struct folder *, const char *title);
bool	 folder_delete(struct db *, int64_t id);

/*
 * Moves the vehicle's folders to the owner to (domain.md 12.3 step 2).
 * A title to already has on this vehicle gets " (2)", " (3)", ... until
 * it is unique. *moved counts the folders. False on db error.
 */
bool	 folder_move_owner(struct ctx *, const char *vehicle_id,
	    const char *to, int64_t *moved);

#endif
