/* document.c: see document.h. */
#include "store/db.h"
#include "store/document.h"

bool
document_hand_over(struct ctx *cx, const char *vehicle_id, const char *to,
    int64_t *moved, int64_t *unlinked)
{
	/* Only PII-free documents pass to the new owner. */
	if (db_exec(cx->db, "UPDATE documents SET owner_user_id = ? WHERE "
	    "vehicle_id = ? AND deleted_at IS NULL AND pii_status = 'OK' AND "
	    "owner_user_id <> ?", "sss", to, vehicle_id, to) != DB_OK)
		return false;
	*moved = db_changes(cx->db);
	if (db_exec(cx->db, "UPDATE documents SET vehicle_id = NULL, "
	    "entry_id = NULL WHERE vehicle_id = ? AND deleted_at IS NULL AND "
	    "pii_status <> 'OK'", "s", vehicle_id) != DB_OK)
		return false;
	*unlinked = db_changes(cx->db);
	return true;
}
