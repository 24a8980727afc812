/*
 * vehicles: /api/vehicles* (api.md 5, routes 14-26). Vehicles with their
 * meta, soft delete and restore, owner QR images, the owner trust summary
 * and the versioned timeline entries. The stores are store/vehicle.c and
 * store/entry.c; this file validates input, checks object access through
 * vehicle_require() and maps results to answers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "domain/cost.h"
#include "domain/due.h"
#include "domain/qr.h"
#include "domain/trustsummary.h"
#include "domain/vin.h"
#include "http/app.h"
#include "http/response.h"
#include "http/valid.h"
#include "http/vehicle_answer.h"
#include "store/entry.h"
#include "store/reminder.h"
#include "store/vehicle.h"

/* The allowed meta keys in the order of api.md 5.1 (= storage order). */
static const char *const meta_allowed[] = { "nickname", "accident_status",
    "accident_trust_completed", "vehicle_class", "make", "model", "year",
    "drivetrain", NULL };

static const char *const accident_values[] = { "unfallfrei",
    "accident_free", "free", "none", "nicht_unfallfrei", "not_free",
    "accident", "not_accident_free", "unbekannt", "unknown", NULL };

static const char *const vehicle_classes[] = { "pkw", "motorrad",
    "wohnmobil", "transporter", "lkw", "anhaenger", "sonstiges", NULL };

static const char *const drivetrains[] = { "benzin", "diesel", "elektro",
    "hybrid", "plug_in_hybrid", "gas", "wasserstoff", "sonstiges", NULL };

static bool
in_list(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* ---- meta -------------------------------------------------------------- */

/*
 * Nickname (top level or meta.nickname): trimmed, at most 80 code points,
 * single-line. Sets *out to the trimmed value, or NULL when it is empty
 * ("no nickname"). False when invalid (item added).
 */
static bool
nickname_value(struct req *r, json_t *v, const char *loc, const char **out)
{
	const char *s = v_check_string(r, v, loc, "nickname", V_TRIM, 0, 80);

	if (s == NULL)
		return false;
	*out = *s != '\0' ? s : NULL;
	return true;
}

static void
accident_value(struct req *r, json_t *v, json_t *upd)
{
	char *t, *low;

	if (!json_is_string(v)) {
		v_add(r, "string_type", "body.meta", "accident_status",
		    "Input should be a valid string");
		return;
	}
	t = arena_strndup(&r->cx.arena, json_string_value(v),
	    json_string_length(v));
	str_trim(t);
	low = arena_strdup(&r->cx.arena, t);
	str_lower_ascii(low);
	/* An embedded NUL would cut the copy short: never a listed value. */
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    !in_list(accident_values, low)) {
		v_add(r, "enum", "body.meta", "accident_status", "Input should "
		    "be 'unfallfrei', 'accident_free', 'free', 'none', "
		    "'nicht_unfallfrei', 'not_free', 'accident', "
		    "'not_accident_free', 'unbekannt' or 'unknown'");
		return;
	}
	/* Stored trimmed, in the case it was sent (domain.md 3.2). */
	json_object_set_new(upd, "accident_status", json_string(t));
}

static void
text_value(struct req *r, json_t *meta, const char *key, size_t max,
    json_t *upd)
{
	const char *s = v_str(r, meta, "body.meta", key, V_TRIM, 1, max);

	if (s == NULL)
		return;
	if (strchr(s, '@') != NULL) {
		v_add(r, "value_error", "body.meta", key,
		    "Value error, '@' is not allowed");
		return;
	}
	json_object_set_new(upd, key, json_string(s));
}

/*
 * Checks a meta object (api.md 5.1) into upd: key -> new value, or JSON
 * null for a key sent as null (removed on PATCH, not stored on create).
 * A meta.nickname that trims to "" is a removal too. Adds 422 items in
 * field order, unknown keys last.
 */
static void
meta_parse(struct req *r, json_t *meta, json_t *upd)
{
	const char *k, *s;
	json_t *v;
	int64_t year;
	bool b;
	size_t i;

	for (i = 0; meta_allowed[i] != NULL; i++) {
		k = meta_allowed[i];
		v = json_object_get(meta, k);
		if (v == NULL)
			continue;
		if (json_is_null(v)) {
			json_object_set_new(upd, k, json_null());
			continue;
		}
		if (strcmp(k, "nickname") == 0) {
			if (nickname_value(r, v, "body.meta", &s))
				json_object_set_new(upd, k, s != NULL ?
				    json_string(s) : json_null());
		} else if (strcmp(k, "accident_status") == 0)
			accident_value(r, v, upd);
		else if (strcmp(k, "accident_trust_completed") == 0) {
			if (v_bool(r, meta, "body.meta", k, 0, &b))
				json_object_set_new(upd, k, json_boolean(b));
		} else if (strcmp(k, "vehicle_class") == 0) {
			if ((s = v_enum(r, meta, "body.meta", k, 0,
			    vehicle_classes)) != NULL)
				json_object_set_new(upd, k, json_string(s));
		} else if (strcmp(k, "drivetrain") == 0) {
			if ((s = v_enum(r, meta, "body.meta", k, 0,
			    drivetrains)) != NULL)
				json_object_set_new(upd, k, json_string(s));
		} else if (strcmp(k, "make") == 0)
			text_value(r, meta, k, 40, upd);
		else if (strcmp(k, "model") == 0)
			text_value(r, meta, k, 60, upd);
		else if (strcmp(k, "year") == 0) {
			if (v_int(r, meta, "body.meta", k, 0, 1886,
			    year_of(r->cx.now) + 1, &year))
				json_object_set_new(upd, k, json_integer(year));
		}
	}
	json_object_foreach(meta, k, v)
		if (!in_list(meta_allowed, k))
			v_add(r, "extra_forbidden", "body.meta", k,
			    "Extra inputs are not permitted");
}

/* The vehicle fields of a create or PATCH body, after validation. */
struct vbody {
	bool	 nick_set;	/* the top-level nickname applies */
	const char *nick;	/* its value; NULL removes */
	bool	 meta_clear;	/* "meta": null */
	json_t	*upd;		/* meta key -> value or null; owned */
};

/*
 * Reads "nickname" and "meta" of body. On create a top-level null counts
 * as absent; on PATCH it removes the nickname.
 */
static void
vbody_parse(struct req *r, json_t *body, bool patch, struct vbody *vb)
{
	json_t *v;

	memset(vb, 0, sizeof(*vb));
	vb->upd = json_object();
	if (body == NULL)
		return;
	v = json_object_get(body, "nickname");
	if (v != NULL && json_is_null(v))
		vb->nick_set = patch;
	else if (v != NULL)
		vb->nick_set = nickname_value(r, v, "body", &vb->nick);
	v = json_object_get(body, "meta");
	if (v == NULL)
		return;
	if (json_is_null(v))
		vb->meta_clear = true;
	else if (!json_is_object(v))
		v_add(r, "dict_type", "body", "meta",
		    "Input should be a valid dictionary");
	else
		meta_parse(r, v, vb->upd);
}

/*
 * The meta that results from applying vb to base (NULL = none), in the
 * storage key order; NULL when no key is left. New reference.
 */
static json_t *
vbody_apply(const struct vbody *vb, const json_t *base)
{
	json_t *work, *out, *x;
	const char *k;
	size_t i;

	work = base != NULL && !vb->meta_clear ? json_deep_copy(base) :
	    json_object();
	json_object_foreach(vb->upd, k, x) {
		if (json_is_null(x))
			json_object_del(work, k);
		else
			json_object_set(work, k, x);
	}
	/* The top-level nickname wins over meta.nickname. */
	if (vb->nick_set) {
		if (vb->nick != NULL)
			json_object_set_new(work, "nickname",
			    json_string(vb->nick));
		else
			json_object_del(work, "nickname");
	}
	out = json_object();
	for (i = 0; meta_allowed[i] != NULL; i++)
		if ((x = json_object_get(work, meta_allowed[i])) != NULL)
			json_object_set(out, meta_allowed[i], x);
	json_decref(work);
	if (json_object_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* Names of the keys whose value differs between a and b, or NULL. */
static json_t *
meta_changes(const json_t *a, const json_t *b)
{
	json_t *changed = json_array(), *x, *y;
	size_t i;

	for (i = 0; meta_allowed[i] != NULL; i++) {
		x = a != NULL ? json_object_get(a, meta_allowed[i]) : NULL;
		y = b != NULL ? json_object_get(b, meta_allowed[i]) : NULL;
		if ((x == NULL) != (y == NULL) ||
		    (x != NULL && !json_equal(x, y)))
			json_array_append_new(changed,
			    json_string(meta_allowed[i]));
	}
	if (json_array_size(changed) == 0) {
		json_decref(changed);
		return NULL;
	}
	return changed;
}

/* ---- vehicles ------------------------------------------------------------ */

/*
 * vin: a string of at most 64 code points; everything else about it is
 * the plain invalid_vin_format, decided after the other fields.
 */
static const char *
vin_field(struct req *r, json_t *body)
{
	json_t *v;

	if (body == NULL)
		return NULL;
	v = json_object_get(body, "vin");
	if (v == NULL) {
		v_add(r, "missing", "body", "vin", "Field required");
		return NULL;
	}
	if (!json_is_string(v)) {
		v_add(r, "string_type", "body", "vin",
		    "Input should be a valid string");
		return NULL;
	}
	if (utf8_count(json_string_value(v), json_string_length(v)) > 64) {
		v_add(r, "string_too_long", "body", "vin",
		    "String should have at most 64 characters");
		return NULL;
	}
	/* An embedded NUL cannot match the pattern either. */
	if (strlen(json_string_value(v)) != json_string_length(v))
		return "";
	return json_string_value(v);
}

static void
vehicles_create(struct req *r)
{
	json_t *body = v_body_object(r), *meta;
	struct vin_parts parts;
	struct vehicle v;
	struct vbody vb;
	char norm[VIN_BUF];
	const char *vin;
	int rc;

	vin = vin_field(r, body);
	vbody_parse(r, body, false, &vb);
	if (v_done(r)) {
		json_decref(vb.upd);
		return;
	}
	if (!vin_normalise(vin, norm)) {
		json_decref(vb.upd);
		resp_detail(r, 422, "invalid_vin_format");
		return;
	}
	vin_split(norm, &parts);
	explicit_bzero(norm, sizeof(norm));
	meta = vbody_apply(&vb, NULL);
	json_decref(vb.upd);
	rc = vehicle_create(&r->cx, parts.prefix3, parts.last4, parts.hmac, meta,
	    &v);
	json_decref(meta);
	if (!resp_found(r, rc, 403, "vehicle_limit_reached"))
		return;
	resp_json(r, 200, vehicle_out(&v));
}

static void
vehicles_list(struct req *r)
{
	struct vehicle_query q = { .limit = -1 };
	json_t *a;

	if (ctx_is_admin(&r->cx)) {
		v_query_bool(r, "include_deleted", &q.include_deleted);
		q.owner_user_id = v_query_str(r, "owner_user_id", 0, 1, 64);
	} else
		q.owner_user_id = r->cx.actor.user_id;
	v_query_int(r, "limit", 1, 1000, &q.limit);
	v_query_int(r, "offset", 0, INT64_MAX, &q.offset);
	if (v_done(r))
		return;
	if ((a = vehicle_list(r->cx.db, &q)) == NULL) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, a);
}

static void
vehicle_get(struct req *r)
{
	struct vehicle v;

	if (!vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	resp_json(r, 200, vehicle_out(&v));
}

static void
vehicle_patch(struct req *r)
{
	json_t *body = v_body_object(r), *base, *meta, *changed;
	struct vehicle v;
	struct vbody vb;
	bool ok = true;

	vbody_parse(r, body, true, &vb);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v)) {
		json_decref(vb.upd);
		return;
	}
	base = vehicle_meta(&v);
	meta = vbody_apply(&vb, base);
	json_decref(vb.upd);
	/* A body that changes nothing leaves updated_at and the audit alone. */
	if ((changed = meta_changes(base, meta)) != NULL)
		ok = vehicle_set_meta(&r->cx, &v, meta, changed);
	json_decref(base);
	json_decref(meta);
	if (!ok) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 200, vehicle_out(&v));
}

static void
vehicle_delete(struct req *r)
{
	static const char *const reasons[] = { "sold", "scrapped", "stolen",
	    "duplicate", "other", NULL };
	json_t *body = v_body_object(r), *o;
	const char *reason, *comment;
	char api[TS_API_LEN];
	struct vehicle v;
	int rc;

	reason = v_enum(r, body, "body", "reason", V_REQ, reasons);
	comment = v_str(r, body, "body", "comment", V_MULTI, 0, 500);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v))
		return;
	rc = vehicle_soft_delete(&r->cx, &v, reason, comment);
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0) {
		/* Another delete won: answer as if it had come first. */
		if (ctx_is_admin(&r->cx))
			resp_detail(r, 409, "vehicle_deleted");
		else
			resp_detail(r, 404, "not_found");
	} else {
		o = json_object();
		json_object_set_new(o, "ok", json_true());
		json_object_set_new(o, "vehicle_id", json_string(v.public_id));
		json_object_set_new(o, "deleted_at",
		    ts_to_api(v.deleted_at, api) ? json_string(api) :
		    json_null());
		resp_json(r, 200, o);
	}
}

static void
vehicle_restore_h(struct req *r)
{
	struct vehicle v;
	int rc;

	/* Admins only (route policy), so VA_READ sees deleted vehicles. */
	if (!vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	rc = v.deleted_at == NULL ? 0 : vehicle_restore(&r->cx, &v);
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 409, "vehicle_not_deleted");
	else
		resp_json(r, 200, vehicle_out(&v));
}

/* <public_base_url>/qr/<id>; the base comes from the request if unset. */
static const char *
qr_target(struct req *r, const char *id)
{
	const char *base = cfg.public_base_url;
	size_t n;

	if (base == NULL || *base == '\0')
		base = req_site_origin(r);
	n = strlen(base);
	if (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(&r->cx.arena, "%.*s/qr/%s", (int)n, base, id);
}

static void
vehicle_qr(struct req *r, bool png)
{
	struct buf out = { 0 };
	struct vehicle v;
	const char *cd;
	bool ok;

	/* A deleted vehicle has no QR, not even for admins. */
	if (!vehicle_require(r, req_param(r, "vehicle_id"), VA_LIVE, &v))
		return;
	ok = png ? qr_png(qr_target(r, v.public_id), &out) :
	    qr_svg(qr_target(r, v.public_id), &out);
	if (!ok) {
		resp_internal(r, "internal");
		return;
	}
	cd = arena_printf(&r->cx.arena, "inline; filename=\"ltc-qr-%s.%s\"",
	    v.public_id, png ? "png" : "svg");
	resp_raw(r, 200, png ? "image/png" : "image/svg+xml", out.data,
	    out.len, "default-src 'none'");
	resp_header(r, "Content-Disposition", cd);
	buf_free(&out);
}

static void
vehicle_qr_svg(struct req *r)
{
	vehicle_qr(r, false);
}

static void
vehicle_qr_png(struct req *r)
{
	vehicle_qr(r, true);
}

static void
vehicle_trust(struct req *r)
{
	struct trust_result res;
	struct vehicle v;

	/* Admins may read a deleted vehicle: its real data counts. */
	if (!vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	if (!trustsummary_evaluate(&r->cx, &v, &res))
		resp_db_error(r);
	else
		resp_json(r, 200, trust_summary_json(&res));
}

/* ---- entries ------------------------------------------------------------- */

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

/*
 * Reads and checks the entry body of api.md 5.10, adding 422 items for
 * every failed field. Strings point into the request arena. True when
 * every field passed (the caller still calls v_done()).
 */
static bool
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


static void
entries_list(struct req *r)
{
	int64_t limit = -1, offset = 0;
	struct vehicle v;
	json_t *a;

	v_query_int(r, "limit", 1, 1000, &limit);
	v_query_int(r, "offset", 0, INT64_MAX, &offset);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	if ((a = entry_list(r->cx.db, v.public_id, limit, offset)) == NULL)
		resp_db_error(r);
	else
		resp_json(r, 200, a);
}

static void
entries_create(struct req *r)
{
	struct entry_in in;
	struct vehicle v;
	json_t *out;

	entry_input(r, v_body_object(r), &in);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v))
		return;
	if (!entry_create(&r->cx, &v, &in, &out))
		resp_db_error(r);
	else
		resp_json(r, 201, out);
}

/* A store result on {entry_id}: 1 out (stolen), 0 not found, -1 db error. */
static void
entry_answer(struct req *r, int rc, int status, json_t *out)
{
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 404, "entry_not_found");
	else
		resp_json(r, status, out);
}

static void
entry_revisions(struct req *r)
{
	const char *eid = req_param(r, "entry_id");
	struct entry_in in;
	struct vehicle v;
	json_t *out = NULL;
	int rc;

	entry_input(r, v_body_object(r), &in);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	/* Object lookup (404) before the deleted-vehicle rule (409). */
	rc = strlen(eid) > PATH_ID_MAX ? 0 :
	    entry_is_latest(r->cx.db, v.public_id, eid);
	if (rc == 1 && v.deleted_at != NULL) {
		resp_detail(r, 409, "vehicle_deleted");
		return;
	}
	if (rc == 1)
		rc = entry_revise(&r->cx, &v, eid, &in, &out);
	entry_answer(r, rc, 201, out);
}

static void
entry_history_h(struct req *r)
{
	const char *eid = req_param(r, "entry_id");
	struct vehicle v;
	json_t *out = NULL;
	int rc;

	if (!vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	rc = strlen(eid) > PATH_ID_MAX ? 0 :
	    entry_history(r->cx.db, v.public_id, eid, &out);
	entry_answer(r, rc, 200, out);
}

/* ---- reminders (extensions.md 1.3) -------------------------------------- */

/* A reminder body after validation: which fields it sent, and their values. */
struct rbody {
	unsigned	 sent;		/* RB_* bits */
	struct reminder	 in;
};

#define RB_TITLE	0x01
#define RB_NOTE		0x02
#define RB_DATE		0x04
#define RB_KM		0x08
#define RB_MONTHS	0x10
#define RB_RKM		0x20

static const char *const rbody_names[] = { "title", "note", "due_date",
    "due_km", "recur_months", "recur_km", NULL };

static void
rbody_int(struct req *r, json_t *body, unsigned bit, int64_t min, int64_t max,
    struct rbody *b, struct opt_int *o)
{
	const char *name = rbody_names[__builtin_ctz(bit)];
	json_t *v = json_object_get(body, name);

	if (v == NULL)
		return;
	b->sent |= bit;
	o->set = !json_is_null(v) && v_int(r, body, "body", name, 0, min, max,
	    &o->v);
}

static void
rbody_date(struct req *r, json_t *body, struct rbody *b)
{
	json_t *v = json_object_get(body, "due_date");
	int y, m, d;

	if (v == NULL)
		return;
	b->sent |= RB_DATE;
	if (json_is_null(v))
		return;
	if (!json_is_string(v))
		v_add(r, "string_type", "body", "due_date",
		    "Input should be a valid string");
	else if (json_string_length(v) != 10 ||
	    !date_parse(json_string_value(v), 1900, 2200, &y, &m, &d))
		v_add(r, "date_format", "body", "due_date",
		    "Input should be a valid date in the format YYYY-MM-DD");
	else
		b->in.due_date = arena_strdup(&r->cx.arena,
		    json_string_value(v));
}

/* The fields of a POST (create) or PATCH body into b. */
static void
rbody_parse(struct req *r, json_t *body, bool create, struct rbody *b)
{
	const char *k;
	json_t *v;

	memset(b, 0, sizeof(*b));
	if (body == NULL)
		return;
	v = json_object_get(body, "title");
	if (v != NULL && json_is_null(v) && !create)
		v_add(r, "string_type", "body", "title",
		    "Input should be a valid string");
	else if (v != NULL || create) {
		b->sent |= RB_TITLE;
		b->in.title = v_str(r, body, "body", "title", V_REQ | V_TRIM,
		    1, 120);
	}
	if (json_object_get(body, "note") != NULL) {
		b->sent |= RB_NOTE;
		b->in.note = v_str(r, body, "body", "note", V_TRIM | V_MULTI |
		    V_EMPTY_NULL, 0, 2000);
	}
	rbody_date(r, body, b);
	rbody_int(r, body, RB_KM, 0, 9999999, b, &b->in.due_km);
	rbody_int(r, body, RB_MONTHS, 1, 120, b, &b->in.recur_months);
	rbody_int(r, body, RB_RKM, 1, 1000000, b, &b->in.recur_km);
	json_object_foreach(body, k, v)
		if (!in_list(rbody_names, k))
			v_add(r, "extra_forbidden", "body", k,
			    "Extra inputs are not permitted");
}

/* Applies b onto rm; the names of the fields sent (a new array). */
static json_t *
rbody_apply(const struct rbody *b, struct reminder *rm)
{
	json_t *changed = json_array();
	size_t i;

	if (b->sent & RB_TITLE)
		rm->title = b->in.title;
	if (b->sent & RB_NOTE)
		rm->note = b->in.note;
	if (b->sent & RB_DATE)
		rm->due_date = b->in.due_date;
	if (b->sent & RB_KM)
		rm->due_km = b->in.due_km;
	if (b->sent & RB_MONTHS)
		rm->recur_months = b->in.recur_months;
	if (b->sent & RB_RKM)
		rm->recur_km = b->in.recur_km;
	for (i = 0; rbody_names[i] != NULL; i++)
		if (b->sent & (1u << i))
			json_array_append_new(changed,
			    json_string(rbody_names[i]));
	return changed;
}

/* The rules between the fields (extensions.md 1.1); true when they hold. */
static bool
rbody_consistent(struct req *r, const struct reminder *rm)
{
	if (rm->due_date == NULL && !rm->due_km.set)
		v_add(r, "value_error", "body", NULL,
		    "F\xc3\xa4lligkeit fehlt");
	if (rm->recur_months.set && rm->due_date == NULL)
		v_add(r, "value_error", "body", "recur_months",
		    "Value error, recur_months needs due_date");
	if (rm->recur_km.set && !rm->due_km.set)
		v_add(r, "value_error", "body", "recur_km",
		    "Value error, recur_km needs due_km");
	return !v_done(r);
}

/* The reminder of the path in v; answers 404 itself. */
static bool
reminder_require(struct req *r, const struct vehicle *v, struct reminder *rm)
{
	int rc = reminder_find(&r->cx, v->public_id,
	    req_param(r, "reminder_id"), rm);

	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 404, "not_found");
	return rc == 1;
}

static void
reminders_list(struct req *r)
{
	static const char *const st[] = { "open", "all", NULL };
	struct reminder_query q = { .open_only = true };
	const char *s = req_query(r, "status");
	struct reminder *rows;
	struct vehicle v;
	int64_t n, i;
	json_t *a;

	if (s != NULL && !in_list(st, s))
		v_add(r, "enum", "query", "status",
		    "Input should be 'open' or 'all'");
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_READ, &v))
		return;
	q.vehicle_id = v.public_id;
	q.open_only = !str_eq(s, "all");
	if ((n = reminder_list(&r->cx, &q, &rows)) < 0) {
		resp_db_error(r);
		return;
	}
	due_sort(rows, (size_t)n, r->cx.now);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, due_reminder_out(&r->cx, &rows[i],
		    false));
	resp_json(r, 200, a);
}

static void
reminders_create(struct req *r)
{
	struct reminder rm;
	struct rbody b;
	struct vehicle v;

	rbody_parse(r, v_body_object(r), true, &b);
	if (v_done(r) || !rbody_consistent(r, &b.in) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v))
		return;
	b.in.vehicle_id = v.public_id;
	b.in.owner_user_id = v.owner_user_id;
	b.in.vehicle_meta_json = v.meta_json;
	b.in.vehicle_vin3 = v.vin_prefix3;
	b.in.vehicle_vin4 = v.vin_last4;
	if (!reminder_insert(&r->cx, &b.in, vehicle_scope(&r->cx, &v)) ||
	    reminder_find(&r->cx, v.public_id, b.in.id, &rm) != 1) {
		resp_db_error(r);
		return;
	}
	resp_json(r, 201, due_reminder_out(&r->cx, &rm, false));
}

static void
reminder_patch(struct req *r)
{
	struct reminder rm;
	struct rbody b;
	struct vehicle v;
	json_t *changed;
	int rc;

	rbody_parse(r, v_body_object(r), false, &b);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v) ||
	    !reminder_require(r, &v, &rm))
		return;
	if (!str_eq(rm.status, "open")) {
		resp_detail(r, 409, "reminder_closed");
		return;
	}
	changed = rbody_apply(&b, &rm);
	if (!rbody_consistent(r, &rm)) {
		json_decref(changed);
		return;
	}
	rc = json_array_size(changed) == 0 ? (json_decref(changed), 1) :
	    reminder_update(&r->cx, &rm, vehicle_scope(&r->cx, &v), changed);
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0)
		resp_detail(r, 409, "reminder_closed");
	else
		resp_json(r, 200, due_reminder_out(&r->cx, &rm, false));
}

static void
reminder_done(struct req *r)
{
	json_t *body = v_body_object_opt(r), *o;
	struct reminder closed, next;
	const char *entry_id;
	struct vehicle v;
	bool has_next;

	entry_id = v_str(r, body, "body", "entry_id", 0, 1, PATH_ID_MAX);
	if (v_done(r) ||
	    !vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v))
		return;
	switch (due_mark_done(&r->cx, &v, req_param(r, "reminder_id"),
	    entry_id, &closed, &next, &has_next)) {
	case DONE_OK:
		o = json_object();
		json_object_set_new(o, "closed",
		    due_reminder_out(&r->cx, &closed, false));
		json_object_set_new(o, "next", has_next ?
		    due_reminder_out(&r->cx, &next, false) : json_null());
		resp_json(r, 200, o);
		break;
	case DONE_NOT_FOUND:
		resp_detail(r, 404, "not_found");
		break;
	case DONE_ENTRY_NOT_FOUND:
		resp_detail(r, 404, "entry_not_found");
		break;
	case DONE_CLOSED:
		resp_detail(r, 409, "reminder_closed");
		break;
	default:
		resp_db_error(r);
		break;
	}
}

static void
reminder_dismiss(struct req *r)
{
	struct reminder rm;
	struct vehicle v;
	int rc = 1;

	if (!vehicle_require(r, req_param(r, "vehicle_id"), VA_WRITE, &v) ||
	    !reminder_require(r, &v, &rm))
		return;
	if (str_eq(rm.status, "open"))
		rc = reminder_close(&r->cx, &rm, "dismissed", NULL,
		    vehicle_scope(&r->cx, &v));
	if (rc < 0)
		resp_db_error(r);
	else if (rc == 0 || str_eq(rm.status, "done"))
		resp_detail(r, 409, "reminder_closed");
	else
		resp_json(r, 200, due_reminder_out(&r->cx, &rm, false));
}

static const struct route routes[] = {
	{ "POST", "/", POLICY_OWN_CONSENT_W, vehicles_create },
	{ "GET", "/", POLICY_OWN_CONSENT, vehicles_list },
	{ "GET", "/{vehicle_id}", POLICY_OWN_CONSENT, vehicle_get },
	{ "PATCH", "/{vehicle_id}", POLICY_OWN_CONSENT_W, vehicle_patch },
	{ "DELETE", "/{vehicle_id}", POLICY_OWN_CONSENT_W, vehicle_delete },
	{ "POST", "/{vehicle_id}/restore", POLICY_ADM_CONSENT_W,
	    vehicle_restore_h },
	{ "GET", "/{vehicle_id}/qr.svg", POLICY_OWN_CONSENT, vehicle_qr_svg },
	{ "GET", "/{vehicle_id}/qr.png", POLICY_OWN_CONSENT, vehicle_qr_png },
	{ "GET", "/{vehicle_id}/trust-summary", POLICY_OWN_CONSENT, vehicle_trust },
	{ "GET", "/{vehicle_id}/entries", POLICY_OWN_CONSENT, entries_list },
	{ "POST", "/{vehicle_id}/entries", POLICY_OWN_CONSENT_W,
	    entries_create },
	{ "POST", "/{vehicle_id}/entries/{entry_id}/revisions",
	    POLICY_OWN_CONSENT_W, entry_revisions },
	{ "GET", "/{vehicle_id}/entries/{entry_id}/history", POLICY_OWN_CONSENT,
	    entry_history_h },
	{ "GET", "/{vehicle_id}/reminders", POLICY_OWN_CONSENT, reminders_list },
	{ "POST", "/{vehicle_id}/reminders", POLICY_OWN_CONSENT_W,
	    reminders_create },
	{ "PATCH", "/{vehicle_id}/reminders/{reminder_id}", POLICY_OWN_CONSENT_W,
	    reminder_patch },
	{ "POST", "/{vehicle_id}/reminders/{reminder_id}/done",
	    POLICY_OWN_CONSENT_W, reminder_done },
	{ "DELETE", "/{vehicle_id}/reminders/{reminder_id}", POLICY_OWN_CONSENT_W,
	    reminder_dismiss },
};

APP_MAIN("vehicles", routes, NULL)
