/*
 * business.h: the VIP business store (domain.md 0.5, 18). All SQL on
 * vip_businesses and vip_business_staff lives here. The writers run in
 * the caller's transaction.
 */
#ifndef LTC_BUSINESS_H
#define LTC_BUSINESS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/ctx.h"
#include "store/db.h"

#define BUSINESS_STAFF_MAX	2	/* the owner does not count */

/* A row; its strings are owned by the context's arena. */
struct business {
	const char *business_id;
	const char *owner_user_id;
	const char *created_at;		/* storage format */
	const char *approved_at;	/* NULL until approved */
	const char *approved_by_user_id;
};

/* 1 found, 0 unknown, -1 database error. */
int	 business_find(struct ctx *, const char *business_id,
	    struct business *);
/* Does the business exist? 1 yes, 0 no, -1 database error. */
int	 business_exists(struct db *, const char *business_id);

bool	 business_insert(struct db *, const char *business_id,
	    const char *owner_user_id, int64_t now);
/* Sets approved_at/by only if not yet set (first approval is kept). */
bool	 business_approve(struct db *, const char *business_id,
	    const char *approver_id, int64_t now);

/* Staff links of the business; -1 on error. */
int64_t	 business_staff_count(struct db *, const char *business_id);
/* 1 staff, 0 not, -1 error. */
int	 business_is_staff(struct db *, const char *business_id,
	    const char *user_id);
bool	 business_staff_add(struct db *, const char *business_id,
	    const char *user_id, int64_t now);

/*
 * The object of api.md 14.6 (with "ok": true) for b; new reference.
 */
json_t	*business_out(const struct business *);

/*
 * The list of api.md 14.2: newest first, each with staff_user_ids in the
 * order they were added and staff_count. New array, NULL on error.
 */
json_t	*business_list(struct db *);

#endif
