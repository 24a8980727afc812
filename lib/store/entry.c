/* entry.c: see entry.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/entry.h"
#include "http/valid.h"

#define ENTRY_COLS "e.id, e.vehicle_id, e.entry_group_id, " \
	"e.supersedes_entry_id, e.version, (SELECT count(*) FROM " \
	"vehicle_entries g WHERE g.entry_group_id = e.entry_group_id), " \
	"e.is_latest, e.entry_date, e.entry_type, e.performed_by, e.km, " \
	"e.note, e.cost_cents, e.trust_level, e.created_at, e.updated_at"

/* ---- input ----------------------------------------------------------- */

enum cost_status
cost_parse(const char *s, size_t n, int64_t *cents)
{
	char digits[32];
	size_t i = 0, nd = 0;
	int64_t point = 0, exp = 0, places, v = 0;
	bool neg = false, any = false, expneg = false, lead = true;

	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	/* Integer part, then fraction: digits[] keeps the significant ones. */
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		any = true;
		if (lead && s[i] == '0')
			continue;
		lead = false;
		if (nd == sizeof(digits))
			return COST_TOO_LARGE;
		digits[nd++] = s[i];
		point++;
	}
	if (!any)
		return COST_SYNTAX;
	if (i < n && s[i] == '.') {
		i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return COST_SYNTAX;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (lead && s[i] == '0') {
				point--;
				continue;
			}
			lead = false;
			/* More than 31 significant digits: beyond any bound. */
			if (nd == sizeof(digits))
				return COST_DECIMALS;
			digits[nd++] = s[i];
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			expneg = s[i++] == '-';
		if (i == n || s[i] < '0' || s[i] > '9')
			return COST_SYNTAX;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (exp < 1000000)
				exp = exp * 10 + (s[i] - '0');
		if (expneg)
			exp = -exp;
	}
	if (i != n)
		return COST_SYNTAX;
	/* Trailing zeros add no precision. */
	while (nd > 0 && digits[nd - 1] == '0')
		nd--;
	if (nd == 0) {
		*cents = 0;
		return COST_OK;
	}
	/* value = 0.<digits> * 10^(point + exp) */
	point += exp;
	places = (int64_t)nd - point;
	if (places > 2)
		return COST_DECIMALS;
	if (neg)
		return COST_NEGATIVE;
	if (point > 10)
		return COST_TOO_LARGE;
	for (i = 0; i < nd; i++)
		v = v * 10 + (digits[i] - '0');
	for (; places < 2; places++)
		v *= 10;
	if (v > COST_MAX_CENTS)
		return COST_TOO_LARGE;
	*cents = v;
	return COST_OK;
}

/* Skips one JSON string starting at its opening quote; returns the end. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/* Does the string token at s[i] (opening quote) decode to key? */
static bool
key_is(const char *s, size_t n, size_t i, const char *key)
{
	size_t k = 0, klen = strlen(key);

	for (i++; i < n && s[i] != '"'; i++) {
		int c = (unsigned char)s[i];

		if (c == '\\') {
			if (++i >= n)
				return false;
			switch (s[i]) {
			case 'u': {
				int j, h, cp = 0;

				for (j = 1; j <= 4; j++) {
					if (i + j >= n || (h = hexval(s[i + j])) < 0)
						return false;
					cp = cp * 16 + h;
				}
				i += 4;
				/* Keys we look for are ASCII. */
				if (cp == 0 || cp > 0x7f)
					return false;
				c = cp;
				break;
			}
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			default: c = (unsigned char)s[i]; break;
			}
		}
		if (k >= klen || key[k] != c)
			return false;
		k++;
	}
	return k == klen;
}

/* Skips one JSON value at s[i]; returns the index after it. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	if (i < n && s[i] == '"')
		return skip_string(s, n, i);
	if (i < n && (s[i] == '{' || s[i] == '[')) {
		for (; i < n; i++) {
			if (s[i] == '"') {
				i = skip_string(s, n, i) - 1;
				continue;
			}
			if (s[i] == '{' || s[i] == '[')
				depth++;
			else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
				return i + 1;
		}
		return n;
	}
	while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
	    s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
		i++;
	return i;
}

bool
json_raw_member(const char *s, size_t n, const char *key, const char **val,
    size_t *vlen)
{
	size_t i = skip_ws(s, n, 0), k, v;

	if (i >= n || s[i] != '{')
		return false;
	i++;
	for (;;) {
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != '"')
			return false;
		k = i;
		i = skip_ws(s, n, skip_string(s, n, i));
		if (i >= n || s[i] != ':')
			return false;
		v = skip_ws(s, n, i + 1);
		i = skip_value(s, n, v);
		if (key_is(s, n, k, key)) {
			*val = s + v;
			*vlen = i - v;
			return true;
		}
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ',')
			return false;
		i++;
	}
}

static void
cost_error(struct req *r, enum cost_status cs)
{
	switch (cs) {
	case COST_DECIMALS:
		v_add(r, "decimal_places", "body", "cost_amount",
		    "Decimal input should have no more than 2 decimal places");
		break;
	case COST_NEGATIVE:
		v_add(r, "greater_than_equal", "body", "cost_amount",
		    "Input should be greater than or equal to 0");
		break;
	case COST_TOO_LARGE:
		v_add(r, "less_than_equal", "body", "cost_amount",
		    "Input should be less than or equal to 9999999999.99");
		break;
	default:
		v_add(r, "value_error", "body", "cost_amount",
		    "Value error, input should be a valid decimal number");
		break;
	}
}

/* "ASCII digits, optionally '.' and at least one more digit". */
static bool
numeric_string(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0)
		return false;
	if (i == n)
		return true;
	if (s[i++] != '.' || i == n)
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i == n;
}

static bool
cost_input(struct req *r, json_t *body, struct entry_in *in)
{
	json_t *v = json_object_get(body, "cost_amount");
	enum cost_status cs;
	const char *raw;
	size_t rawlen;

	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		if (!numeric_string(json_string_value(v), json_string_length(v))) {
			cost_error(r, COST_SYNTAX);
			return false;
		}
		cs = cost_parse(json_string_value(v), json_string_length(v),
		    &in->cost_cents);
	} else if (json_is_number(v)) {
		if (r->body != NULL && json_raw_member(r->body, r->body_len,
		    "cost_amount", &raw, &rawlen))
			cs = cost_parse(raw, rawlen, &in->cost_cents);
		else {
			/*
			 * Not reached for a body jansson accepted; the double
			 * is still exact enough to decide a 2-decimal amount.
			 */
			double d = json_number_value(v), c = round(d * 100.0);

			if (d < 0)
				cs = COST_NEGATIVE;
			else if (c > (double)COST_MAX_CENTS)
				cs = COST_TOO_LARGE;
			else if (c / 100.0 != d)
				cs = COST_DECIMALS;
			else {
				in->cost_cents = (int64_t)c;
				cs = COST_OK;
			}
		}
	} else {
		v_add(r, "number_type", "body", "cost_amount",
		    "Input should be a valid number");
		return false;
	}
	if (cs != COST_OK) {
		cost_error(r, cs);
		return false;
	}
	in->has_cost = true;
	return true;
}

static bool
date_input(struct req *r, json_t *body, struct entry_in *in)
{
	json_t *v = json_object_get(body, "date");
	int y, m, d;

	if (v == NULL) {
		v_add(r, "missing", "body", "date", "Field required");
		return false;
	}
	if (!json_is_string(v)) {
		v_add(r, "string_type", "body", "date",
		    "Input should be a valid string");
		return false;
	}
	if (json_string_length(v) != 10 ||
	    !date_parse(json_string_value(v), 1886, 2100, &y, &m, &d)) {
		v_add(r, "date_format", "body", "date",
		    "Input should be a valid date in the format YYYY-MM-DD");
		return false;
	}
	in->date = arena_strdup(&r->cx.arena, json_string_value(v));
	return true;
}

bool
entry_input(struct req *r, json_t *body, struct entry_in *in)
{
	static const char *const levels[] = { "T1", "T2", "T3", NULL };
	bool ok = true;

	memset(in, 0, sizeof(*in));
	if (body == NULL)
		return false;
	ok &= date_input(r, body, in);
	in->type = v_str(r, body, "body", "type", V_REQ | V_TRIM, 1, 64);
	ok &= in->type != NULL;
	in->performed_by = v_str(r, body, "body", "performed_by",
	    V_REQ | V_TRIM, 1, 64);
	ok &= in->performed_by != NULL;
	ok &= v_int(r, body, "body", "km", V_REQ, 0, 9999999, &in->km);
	in->note = v_str(r, body, "body", "note",
	    V_TRIM | V_MULTI | V_EMPTY_NULL, 0, 4000);
	ok &= cost_input(r, body, in);
	in->trust_level = v_enum(r, body, "body", "trust_level", 0, levels);
	return ok && !v_failed(r);
}

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
text_or_null(struct db_stmt *st, int col)
{
	const char *s = db_text(st, col);

	return s != NULL ? json_string(s) : json_null();
}

/* EntryOut of the current row of a statement selecting ENTRY_COLS. */
static json_t *
entry_row(struct db_stmt *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", text_or_null(st, 0));
	json_object_set_new(o, "vehicle_id", text_or_null(st, 1));
	json_object_set_new(o, "entry_group_id", text_or_null(st, 2));
	json_object_set_new(o, "supersedes_entry_id", text_or_null(st, 3));
	json_object_set_new(o, "version", json_integer(db_int(st, 4)));
	json_object_set_new(o, "revision_count", json_integer(db_int(st, 5)));
	json_object_set_new(o, "is_latest", json_boolean(db_int(st, 6) != 0));
	json_object_set_new(o, "date", text_or_null(st, 7));
	json_object_set_new(o, "type", text_or_null(st, 8));
	json_object_set_new(o, "performed_by", text_or_null(st, 9));
	json_object_set_new(o, "km", json_integer(db_int(st, 10)));
	json_object_set_new(o, "note", text_or_null(st, 11));
	json_object_set_new(o, "cost_amount", db_isnull(st, 12) ? json_null() :
	    cost_json(db_int(st, 12)));
	json_object_set_new(o, "trust_level", text_or_null(st, 13));
	json_object_set_new(o, "created_at", ts_json(db_text(st, 14)));
	json_object_set_new(o, "updated_at", ts_json(db_text(st, 15)));
	return o;
}

/* Runs a prepared ENTRY_COLS query into a new array; NULL on error. */
static json_t *
entry_rows(struct db_stmt *st)
{
	json_t *a;
	int rc;

	if (st == NULL)
		return NULL;
	a = json_array();
	while ((rc = db_step(st)) == 1)
		json_array_append_new(a, entry_row(st));
	db_finalize(st);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
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
entry_insert(struct req *r, const struct vehicle *v, const char *id,
    const char *group, const char *supersedes, int64_t version,
    const struct entry_in *in)
{
	char ts[TS_STORAGE_LEN];

	ts_storage(r->cx.now, ts);
	return db_exec(r->cx.db, "INSERT INTO vehicle_entries (id, vehicle_id, "
	    "owner_user_id, created_by_user_id, entry_group_id, "
	    "supersedes_entry_id, version, is_latest, entry_date, entry_type, "
	    "performed_by, km, note, cost_cents, trust_level, created_at, "
	    "updated_at) VALUES (?,?,?,?,?,?,?,1,?,?,?,?,?,"
	    "CASE WHEN ? THEN ? END,?,?,?)", "ssssssisssisdisss", id,
	    v->public_id, v->owner_user_id, r->cx.actor.user_id, group,
	    supersedes, version, in->date, in->type, in->performed_by, in->km,
	    in->note, (int)in->has_cost, in->cost_cents, in->trust_level, ts,
	    ts) == DB_OK;
}

static bool
entry_audit(struct req *r, const struct vehicle *v, const char *action,
    const char *id, int64_t version, const char *level)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "vehicle_id", json_string(v->public_id));
	json_object_set_new(meta, "version", json_integer(version));
	json_object_set_new(meta, "trust_level", level != NULL ?
	    json_string(level) : json_null());
	return audit(&r->cx, &(struct audit_ev){ .action = action,
	    .target_type = "ENTRY", .target_id = id,
	    .scope = vehicle_scope(r, v), .meta = meta });
}

bool
entry_create(struct req *r, const struct vehicle *v,
    const struct entry_in *in, json_t **out)
{
	char id[UUID_LEN];

	*out = NULL;
	if (!uuid4(id)) {
		db_fail(r->cx.db, DB_ERROR);
		return false;
	}
	if (db_begin(r->cx.db) != DB_OK)
		return false;
	/* A new group: id and entry_group_id are the same UUID. */
	if (!entry_insert(r, v, id, id, NULL, 1, in) ||
	    !entry_audit(r, v, "ENTRY_CREATED", id, 1, in->trust_level) ||
	    (*out = entry_by_id(r->cx.db, id)) == NULL ||
	    db_commit(r->cx.db) != DB_OK) {
		json_decref(*out);
		*out = NULL;
		db_rollback(r->cx.db);
		return false;
	}
	return true;
}

int
entry_is_latest(struct db *db, const char *vehicle_id, const char *entry_id)
{
	struct db_stmt *st;
	int rc;

	st = db_prep(db, "SELECT 1 FROM vehicle_entries WHERE id = ? AND "
	    "vehicle_id = ? AND is_latest = 1", "ss", entry_id, vehicle_id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_finalize(st);
	return rc;
}

int
entry_revise(struct req *r, const struct vehicle *v, const char *entry_id,
    const struct entry_in *in, json_t **out)
{
	struct db_stmt *st;
	char id[UUID_LEN];
	char *group = NULL;
	int64_t version = 0;
	int rc;

	*out = NULL;
	if (!uuid4(id)) {
		db_fail(r->cx.db, DB_ERROR);
		return -1;
	}
	if (db_begin(r->cx.db) != DB_OK)
		return -1;
	/* Re-read under the write lock: a concurrent revision may have won. */
	st = db_prep(r->cx.db, "SELECT entry_group_id, version FROM "
	    "vehicle_entries WHERE id = ? AND vehicle_id = ? AND is_latest = 1",
	    "ss", entry_id, v->public_id);
	if (st == NULL)
		goto fail;
	rc = db_step(st);
	if (rc == 1) {
		group = db_dup(st, 0);
		version = db_int(st, 1);
	}
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		db_rollback(r->cx.db);
		return 0;
	}
	/* Flip first: the partial unique index allows one latest per group. */
	if (db_exec(r->cx.db, "UPDATE vehicle_entries SET is_latest = 0 WHERE "
	    "id = ?", "s", entry_id) != DB_OK ||
	    !entry_insert(r, v, id, group, entry_id, version + 1, in) ||
	    !entry_audit(r, v, "ENTRY_VERSION_CREATED", id, version + 1,
	    in->trust_level) ||
	    (*out = entry_by_id(r->cx.db, id)) == NULL ||
	    db_commit(r->cx.db) != DB_OK)
		goto fail;
	free(group);
	return 1;
fail:
	json_decref(*out);
	*out = NULL;
	free(group);
	db_rollback(r->cx.db);
	return -1;
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
	    "vehicle_entries e WHERE e.vehicle_id = ?1 AND e.entry_group_id = "
	    "(SELECT entry_group_id FROM vehicle_entries WHERE id = ?2 AND "
	    "vehicle_id = ?1) ORDER BY e.version ASC", "ss", vehicle_id,
	    entry_id));
	if (a == NULL)
		return -1;
	if (json_array_size(a) == 0) {
		json_decref(a);
		return 0;
	}
	*out = a;
	return 1;
}
