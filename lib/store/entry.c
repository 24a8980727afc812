/* entry.c: see entry.h. */
#include <string.h>

#include "base/clock.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/entry.h"
#include "store/rowjson.h"

#define ENTRY_COLS "e.id, e.vehicle_id, e.entry_group_id, " \
	"e.supersedes_entry_id, e.version, (SELECT count(*) FROM " \
	"vehicle_entries g WHERE g.entry_group_id = e.entry_group_id), " \
	"e.is_latest, e.entry_date, e.entry_type, e.performed_by, e.km, " \
	"e.note, e.cost_cents, e.trust_level, e.created_at, e.updated_at, " \
	"e.owner_user_id, e.created_by_user_id"

/* ---- output ---------------------------------------------------------- */

json_t *
cost_json(int64_t cents)
{
	if (cents % 100 == 0)
		return json_integer(cents / 100);
	/* Printed with 15 significant digits: 120.5, 0.99, 9999999999.99. */
	return json_real((double)cents / 100.0);
}

static json_t *
col_cost(struct db_stmt *st, int i)
{
	return db_isnull(st, i) ? json_null() : cost_json(db_int(st, i));
}

/* EntryOut of a row of ENTRY_COLS; the full view adds owner and creator. */
static const struct col_json entry_cols[] = {
	{ "id", col_text },
	{ "vehicle_id", col_text },
	{ "entry_group_id", col_text },
	{ "supersedes_entry_id", col_text },
	{ "version", col_int },
	{ "revision_count", col_int },
	{ "is_latest", col_bool },
	{ "date", col_text },
	{ "type", col_text },
	{ "performed_by", col_text },
	{ "km", col_int },
	{ "note", col_text },
	{ "cost_amount", col_cost },
	{ "trust_level", col_text },
	{ "created_at", col_ts },
	{ "updated_at", col_ts },
	{ "owner_user_id", col_text, COL_FULL },
	{ "created_by_user_id", col_text, COL_FULL },
	{ NULL },
};

/* Runs a prepared ENTRY_COLS query into a new array; NULL on error. */
static json_t *
entry_rows(struct db_stmt *st)
{
	return stmt_rows_json(st, entry_cols, false);
}

json_t *
entry_export_rows(struct db *db, const char *vehicle_id)
{
	return stmt_rows_json(db_prep(db, "SELECT " ENTRY_COLS " FROM "
	    "vehicle_entries e WHERE e.vehicle_id = ? ORDER BY "
	    "e.entry_group_id, e.version", "s", vehicle_id), entry_cols, true);
}

static json_t *
entry_by_id(struct db *db, const char *id)
{
	json_t *a, *o;

	a = entry_rows(db_prep(db, "SELECT " ENTRY_COLS " FROM vehicle_entries e "
	    "WHERE e.id = ?", "s", id));
	if (a == NULL || json_array_size(a) != 1) {
		json_decref(a);
		return NULL;
	}
	o = json_incref(json_array_get(a, 0));
	json_decref(a);
	return o;
}

/* ---- writes ---------------------------------------------------------- */

static bool
entry_insert(struct ctx *cx, const struct vehicle *v, const char *id,
    const char *group, const char *supersedes, int64_t version,
    const struct entry_in *in)
{
	return db_exec(cx->db, "INSERT INTO vehicle_entries (id, vehicle_id, "
	    "owner_user_id, created_by_user_id, entry_group_id, "
	    "supersedes_entry_id, version, is_latest, entry_date, entry_type, "
	    "performed_by, km, note, cost_cents, trust_level, created_at, "
	    "updated_at) VALUES (?,?,?,?,?,?,?,1,?,?,?,?,?,"
	    "CASE WHEN ? = 1 THEN ? END,?,?,?)", "ssssssisssisdistt", id,
	    v->public_id, v->owner_user_id, cx->actor.user_id, group,
	    supersedes, version, in->date, in->type, in->performed_by, in->km,
	    in->note, (int)in->has_cost, in->cost_cents, in->trust_level,
	    cx->now, cx->now) == DB_OK;
}

static bool
entry_audit(struct ctx *cx, const struct vehicle *v, const char *action,
    const char *id, int64_t version, const char *level)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "vehicle_id", json_string(v->public_id));
	json_object_set_new(meta, "version", json_integer(version));
	json_object_set_new(meta, "trust_level", level != NULL ?
	    json_string(level) : json_null());
	return audit(cx, &(struct audit_ev){ .action = action,
	    .target_type = "ENTRY", .target_id = id,
	    .scope = vehicle_scope(cx, v), .meta = meta });
}

bool
entry_create(struct ctx *cx, const struct vehicle *v,
    const struct entry_in *in, json_t **out)
{
	char id[UUID_LEN];

	*out = NULL;
	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return false;
	}
	/* A new group: id and entry_group_id are the same UUID. */
	if (!entry_insert(cx, v, id, id, NULL, 1, in) ||
	    !entry_audit(cx, v, "ENTRY_CREATED", id, 1, in->trust_level))
		return false;
	return (*out = entry_by_id(cx->db, id)) != NULL;
}

int
entry_is_latest(struct db *db, const char *vehicle_id, const char *entry_id)
{
	return (int)db_scalar(db, "SELECT 1 FROM vehicle_entries WHERE id = ? "
	    "AND vehicle_id = ? AND is_latest = 1", "ss", entry_id, vehicle_id);
}

int
entry_revise(struct ctx *cx, const struct vehicle *v, const char *entry_id,
    const struct entry_in *in, json_t **out)
{
	struct db_stmt *st;
	char id[UUID_LEN];
	char *group = NULL;
	int64_t version = 0;
	int rc;

	*out = NULL;
	if (!uuid4(id)) {
		db_fail(cx->db, DB_ERROR);
		return -1;
	}
	st = db_prep(cx->db, "SELECT entry_group_id, version FROM "
	    "vehicle_entries WHERE id = ? AND vehicle_id = ? AND is_latest = 1",
	    "ss", entry_id, v->public_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		group = arena_strdup(&cx->arena, db_text(st, 0));
		version = db_int(st, 1);
	}
	db_finalize(st);
	if (rc <= 0)
		return rc;
	/* Flip first: the partial unique index allows one latest per group. */
	if (db_exec(cx->db, "UPDATE vehicle_entries SET is_latest = 0 WHERE "
	    "id = ?", "s", entry_id) != DB_OK ||
	    !entry_insert(cx, v, id, group, entry_id, version + 1, in) ||
	    !entry_audit(cx, v, "ENTRY_VERSION_CREATED", id, version + 1,
	    in->trust_level) ||
	    (*out = entry_by_id(cx->db, id)) == NULL)
		return -1;
	return 1;
}

/* ---- reads ----------------------------------------------------------- */

json_t *
entry_list(struct db *db, const char *vehicle_id, int64_t limit, int64_t offset)
{
	return entry_rows(db_prep(db, "SELECT " ENTRY_COLS " FROM "
	    "vehicle_entries e WHERE e.vehicle_id = ? AND e.is_latest = 1 "
	    "ORDER BY e.entry_date DESC, e.created_at DESC, e.seq DESC "
	    "LIMIT ? OFFSET ?", "sii", vehicle_id, limit < 0 ? INT64_C(-1) :
	    limit, offset));
}

int
entry_history(struct db *db, const char *vehicle_id, const char *entry_id,
    json_t **out)
{
	json_t *a;

	*out = NULL;
	a = entry_rows(db_prep(db, "SELECT " ENTRY_COLS " FROM "
	    "vehicle_entries e WHERE e.vehicle_id = ? AND e.entry_group_id = "
	    "(SELECT entry_group_id FROM vehicle_entries WHERE id = ? AND "
	    "vehicle_id = ?) ORDER BY e.version ASC", "sss", vehicle_id,
	    entry_id, vehicle_id));
	if (a == NULL)
		return -1;
	if (json_array_size(a) == 0) {
		json_decref(a);
		return 0;
	}
	*out = a;
	return 1;
}
