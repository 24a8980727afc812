/*
 * folder.h: the trust folder store and the folder gate (domain.md 0.4, 9).
 * All SQL on trust_folders lives here.
 */
#ifndef LTC_FOLDER_H
#define LTC_FOLDER_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/addon.h"
#include "http/request.h"

#define FOLDER_TITLE_MAX	255

struct folder {
	int64_t	 id;
	char	*vehicle_id;
	char	*owner_user_id;
	char	*addon_key;
	char	*title;
	char	*created_at;	/* storage format */
	char	*updated_at;
};

/* 1 found (f filled; free with folder_free), 0 none, -1 db error. */
int	 folder_get(struct db *, int64_t id, struct folder *);
void	 folder_free(struct folder *);
/* TrustFolderOut of api.md 1.2; new reference. */
json_t	*folder_out(const struct folder *);

/*
 * [TrustFolderOut, ...] of (vehicle, key) ordered by id; only owner's
 * folders unless owner is NULL. New reference, NULL on db error.
 */
json_t	*folder_list(struct db *, const char *vehicle_id, const char *key,
	    const char *owner);
/*
 * 1 when owner already has a folder titled title on the vehicle (other
 * than except_id, 0 for none), 0 not, -1 db error.
 */
int	 folder_title_taken(struct db *, const char *vehicle_id,
	    const char *owner, const char *title, int64_t except_id);
/* Inserts and fills f (free with folder_free); false on db error. */
bool	 folder_create(struct db *, const char *vehicle_id, const char *owner,
	    const char *key, const char *title, int64_t now, struct folder *);
bool	 folder_rename(struct db *, struct folder *, const char *title,
	    int64_t now);
bool	 folder_delete(struct db *, int64_t id);

/*
 * The folder gate of domain.md 9 for the actor, inside the caller's open
 * transaction: legacy backfill, then addon_gate(ADDON_STYLE_FOLDER), and a
 * new activation when the vehicle was not grandfathered. True when the
 * operation may go on; false when the refusal (or a db error) is answered.
 */
bool	 folder_gate(struct req *, const struct addon_target *);

#endif
