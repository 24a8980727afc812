/*
 * support: the support inbox (api.md 16a). The contact form of the public
 * site and the app's feedback box write here; admins work the inbox.
 *
 *   POST /api/support/feedback                  anyone but a moderator
 *   GET  /api/support/admin/messages            ADM
 *   POST /api/support/admin/messages/{id}       ADM: status and note
 *
 * A feedback post with an urlencoded body comes from the no-JS contact
 * form and gets HTML: 303 to the thanks page, the form again with its
 * messages on a validation error, the German error pages otherwise. Any
 * other body is JSON and gets JSON.
 *
 * The message text and the reply address never go into a log line or an
 * audit row; the audit metadata is topic, has_reply_to, status and
 * note_provided only.
 */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "domain/email.h"
#include "http/app.h"
#include "http/html.h"
#include "http/limit.h"
#include "http/page.h"
#include "http/response.h"
#include "http/valid.h"
#include "store/audit.h"
#include "store/ratelimit.h"
#include "store/supportmsg.h"

#define THANKS_PAGE	"/kontakt-danke.html"

#define E_TOPIC		"Bitte ein Thema wählen."
#define E_MSG_EMPTY	"Bitte eine Nachricht eingeben."
#define E_MSG_LONG	"Die Nachricht darf höchstens 4000 Zeichen lang sein."
#define E_REPLY		"Bitte eine gültige E-Mail-Adresse eingeben."

/*
 * Is this request the contact form's plain post: POST /feedback with an
 * application/x-www-form-urlencoded body? Decided from the environment
 * so that main() can pick the HTML error pages before anything runs.
 */
static bool
form_post(void)
{
	static const char mt[] = "application/x-www-form-urlencoded";
	const char *m = getenv("REQUEST_METHOD");
	const char *ct = getenv("CONTENT_TYPE");
	const char *p = getenv("PATH_INFO");
	size_t n = sizeof(mt) - 1;

	if (m == NULL || strcmp(m, "POST") != 0 || ct == NULL || p == NULL)
		return false;
	if (strcmp(p, "/feedback") != 0 && strcmp(p, "/feedback/") != 0)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return strncasecmp(ct, mt, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* ---- the contact form, again, after a validation error ------------- */

struct form_errors {
	const char	*topic, *message, *reply_to;	/* German or NULL */
};

/* The German message per field for the 422 items collected so far. */
static void
form_errors_of(struct req *r, struct form_errors *fe)
{
	json_t *item;
	size_t i;

	memset(fe, 0, sizeof(*fe));
	json_array_foreach(r->verr, i, item) {
		const char *field = json_string_value(json_array_get(
		    json_object_get(item, "loc"), 1));
		const char *type = json_string_value(json_object_get(item,
		    "type"));

		if (field == NULL || type == NULL)
			continue;
		if (strcmp(field, "topic") == 0)
			fe->topic = E_TOPIC;
		else if (strcmp(field, "message") == 0)
			fe->message = strcmp(type, "string_too_long") == 0 ?
			    E_MSG_LONG : E_MSG_EMPTY;
		else if (strcmp(field, "reply_to") == 0)
			fe->reply_to = E_REPLY;
	}
	json_decref(r->verr);
	r->verr = NULL;
}

/* aria attributes of a control: its error (if any) and its hint. */
static void
described(struct buf *b, const char *id, bool error, bool hint)
{
	if (error)
		html_printf(b, " aria-invalid=\"true\"");
	if (error && hint)
		html_printf(b, " aria-describedby=\"%s-error %s-hint\"", id, id);
	else if (error)
		html_printf(b, " aria-describedby=\"%s-error\"", id);
	else if (hint)
		html_printf(b, " aria-describedby=\"%s-hint\"", id);
}

static void
field_error(struct buf *b, const char *id, const char *msg)
{
	if (msg == NULL)
		return;
	html_printf(b, "<p id=\"%s-error\" class=\"field-error\">%s</p>\n",
	    id, msg);
}

/*
 * frontend.md 5.5: the form with the entered values kept, an error
 * summary at its top and each message next to its field; status 400.
 */
static void
contact_form(struct req *r, const struct kvlist *kv,
    const struct form_errors *fe)
{
	static const char *const labels[] = { "Frage", "Fehler", "Datenschutz",
	    "Sonstiges" };
	struct page_opts o = { .title = "Kontakt",
	    .nav_current = "/kontakt.html" };
	struct page_field_error sum[3];
	const char *topic = kv_get(kv, "topic");
	const char *message = kv_get(kv, "message");
	const char *reply = kv_get(kv, "reply_to");
	struct buf b = { 0 };
	size_t i, n = 0;

	if (fe->topic != NULL)
		sum[n++] = (struct page_field_error){ "kontakt-topic",
		    fe->topic };
	if (fe->message != NULL)
		sum[n++] = (struct page_field_error){ "kontakt-message",
		    fe->message };
	if (fe->reply_to != NULL)
		sum[n++] = (struct page_field_error){ "kontakt-reply-to",
		    fe->reply_to };
	page_begin(&b, &o);
	html_printf(&b, "<h1>Kontakt</h1>\n"
	    "<p>Bitte schicke uns keine persönlichen Fahrzeugdaten, Dokumente "
	    "oder Nachweise per E-Mail. Der richtige Weg dafür ist der Upload "
	    "in deinem Serviceheft.</p>\n"
	    "<form method=\"post\" action=\"/api/support/feedback\">\n");
	page_error_summary(&b, sum, n);

	html_printf(&b, "<div class=\"field\">\n"
	    "<label for=\"kontakt-topic\">Thema</label>\n");
	field_error(&b, "kontakt-topic", fe->topic);
	html_printf(&b, "<select id=\"kontakt-topic\" name=\"topic\" required "
	    "aria-required=\"true\"");
	described(&b, "kontakt-topic", fe->topic != NULL, false);
	html_printf(&b, ">\n<option value=\"\">Bitte wählen</option>\n");
	for (i = 0; supportmsg_topics[i] != NULL; i++) {
		if (str_eq(topic, supportmsg_topics[i]))
			html_printf(&b, "<option value=\"%s\" selected>%s"
			    "</option>\n", supportmsg_topics[i], labels[i]);
		else
			html_printf(&b, "<option value=\"%s\">%s</option>\n",
			    supportmsg_topics[i], labels[i]);
	}
	html_printf(&b, "</select>\n</div>\n");

	html_printf(&b, "<div class=\"field\">\n"
	    "<label for=\"kontakt-message\">Nachricht</label>\n");
	field_error(&b, "kontakt-message", fe->message);
	html_printf(&b, "<textarea id=\"kontakt-message\" name=\"message\" "
	    "rows=\"8\" maxlength=\"4000\" required aria-required=\"true\"");
	described(&b, "kontakt-message", fe->message != NULL, false);
	/* The newline after the tag keeps a leading newline of the value. */
	html_printf(&b, ">\n%s</textarea>\n</div>\n", message);

	html_printf(&b, "<div class=\"field\">\n<label for=\"kontakt-reply-to\">"
	    "E-Mail für eine Antwort (optional)</label>\n"
	    "<p id=\"kontakt-reply-to-hint\">Nur nötig, wenn du eine Antwort "
	    "möchtest.</p>\n");
	field_error(&b, "kontakt-reply-to", fe->reply_to);
	html_printf(&b, "<input id=\"kontakt-reply-to\" name=\"reply_to\" "
	    "type=\"email\" autocomplete=\"email\" value=\"%s\"", reply);
	described(&b, "kontakt-reply-to", fe->reply_to != NULL, true);
	html_printf(&b, ">\n</div>\n");

	/* The honeypot: hidden from people, filled by bots (api.md 16a). */
	html_printf(&b, "<div class=\"visually-hidden\" aria-hidden=\"true\">\n"
	    "<label for=\"kontakt-website\">Website (bitte leer lassen)"
	    "</label>\n<input id=\"kontakt-website\" name=\"website\" "
	    "type=\"text\" tabindex=\"-1\" autocomplete=\"off\">\n</div>\n"
	    "<p><button type=\"submit\">Nachricht senden</button></p>\n"
	    "</form>\n<p>E-Mail: <a href=\"mailto:lifetimecircle@online.de\">"
	    "lifetimecircle@online.de</a></p>\n");
	page_end(&b, &o);
	page_send(r, 400, &b, "no-store");
}

/* ---- POST /api/support/feedback ------------------------------------ */

/*
 * The form body as a JSON object of its four fields, so one set of
 * checks serves both kinds of post. NULL when the body is malformed.
 */
static json_t *
form_object(struct req *r, struct kvlist *kv)
{
	static const char *const names[] = { "topic", "message", "reply_to",
	    "website", NULL };
	json_t *o;
	size_t i;

	memset(kv, 0, sizeof(*kv));
	if (!req_read_body(r, (size_t)cfg.json_max_bytes) ||
	    form_parse(&r->cx.arena, r->body != NULL ? r->body : "",
	    r->body_len, 1000, kv) != FORM_OK)
		return NULL;
	o = json_object();
	for (i = 0; names[i] != NULL; i++) {
		const char *v = kv_get(kv, names[i]);

		if (v != NULL)
			json_object_set_new(o, names[i], json_string(v));
	}
	return o;
}

/* The honeypot is filled: anything but absent, null or blank. */
static bool
honeypot_filled(struct req *r, json_t *b)
{
	json_t *w = json_object_get(b, "website");
	char *s;

	if (w == NULL || json_is_null(w))
		return false;
	if (!json_is_string(w))
		return true;
	s = arena_strndup(&r->cx.arena, json_string_value(w),
	    json_string_length(w));
	return *str_trim(s) != '\0';
}

static void
feedback_ok(struct req *r, bool form, const char *id)
{
	json_t *o;

	if (form) {
		page_redirect(r, THANKS_PAGE);
		return;
	}
	o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "status", json_string("offen"));
	resp_json(r, 201, o);
}

static void
feedback(struct req *r)
{
	bool form = form_post();
	const char *loc = form ? "form" : "body";
	const char *topic, *message, *reply, *user_id = NULL;
	struct form_errors fe;
	struct kvlist kv;
	char id[UUID_LEN];
	json_t *b, *meta, *owned = NULL;

	/*
	 * Check order of api.md 16a: 429 (the route's declared limits,
	 * counted on their own), 413 (the dispatcher), 422, honeypot, store.
	 */
	if (form) {
		if ((b = owned = form_object(r, &kv)) == NULL) {
			req_keep_writes(r);
			resp_detail(r, 400, "bad_request");
			return;
		}
	} else
		b = v_body_object(r);
	topic = v_enum(r, b, loc, "topic", V_REQ, supportmsg_topics);
	message = v_str(r, b, loc, "message", V_REQ | V_TRIM | V_MULTI, 1,
	    SUPPORT_MESSAGE_MAX);
	reply = v_str(r, b, loc, "reply_to", V_TRIM | V_EMPTY_NULL,
	    SUPPORT_REPLY_MIN, SUPPORT_REPLY_MAX);
	if (reply != NULL &&
	    !email_plausible(email_normalise(&r->cx.arena, reply))) {
		v_add(r, "value_error", loc, "reply_to",
		    "Value error, value is not a valid email address");
		reply = NULL;
	}
	if (v_failed(r)) {
		req_keep_writes(r);
		if (form) {
			form_errors_of(r, &fe);
			contact_form(r, &kv, &fe);
		} else
			v_done(r);
		json_decref(owned);
		return;
	}
	/* A bot: the answer of a success, but nothing stored or audited. */
	if (honeypot_filled(r, b)) {
		json_decref(owned);
		if (!uuid4(id)) {
			resp_internal(r, "internal");
			return;
		}
		feedback_ok(r, form, id);
		return;
	}
	json_decref(owned);
	/* An invalid session already counts as anonymous (gate). */
	if (r->cx.actor.kind != AUTH_NONE)
		user_id = r->cx.actor.user_id;
	if (!supportmsg_create(&r->cx, topic, message, reply, user_id, id)) {
		resp_db_error(r);
		return;
	}
	meta = json_object();
	json_object_set_new(meta, "topic", json_string(topic));
	json_object_set_new(meta, "has_reply_to", json_boolean(reply != NULL));
	if (!audit(&r->cx, &(struct audit_ev){
	    .action = "SUPPORT_MESSAGE_CREATED",
	    .target_type = "SUPPORT_MESSAGE", .target_id = id,
	    .meta = meta })) {
		resp_db_error(r);
		return;
	}
	feedback_ok(r, form, id);
}

/* ---- GET /api/support/admin/messages -------------------------------- */

static json_t *
message_json(const struct supportmsg *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(m->id));
	json_object_set_new(o, "created_at", ts_json(m->created_at));
	json_object_set_new(o, "topic", json_string(m->topic));
	json_object_set_new(o, "message", json_string(m->message));
	json_object_set_new(o, "status", json_string(m->status));
	json_object_set_new(o, "has_reply_to", json_boolean(m->has_reply_to));
	json_object_set_new(o, "user_id", str_or_null(m->user_id));
	return o;
}

static bool
known_status(const char *s)
{
	size_t i;

	for (i = 0; supportmsg_statuses[i] != NULL; i++)
		if (strcmp(s, supportmsg_statuses[i]) == 0)
			return true;
	return false;
}

static void
inbox_list(struct req *r)
{
	const char *status = req_query(r, "status");
	int64_t limit = 50, offset = 0;
	struct supportmsg *v;
	json_t *a;
	size_t i, n;

	if (status != NULL && !known_status(status)) {
		v_add(r, "enum", "query", "status",
		    "Input should be 'offen', 'in_pruefung' or 'geloest'");
		status = NULL;
	}
	v_query_int(r, "limit", 1, 200, &limit);
	v_query_int(r, "offset", 0, INT64_MAX, &offset);
	if (v_done(r))
		return;
	if ((v = supportmsg_list(&r->cx, status, limit, offset, &n)) == NULL) {
		resp_db_error(r);
		return;
	}
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, message_json(&v[i]));
	resp_json(r, 200, a);
}

/* ---- POST /api/support/admin/messages/{message_id} ------------------ */

static void
inbox_update(struct req *r)
{
	const char *id = req_param(r, "message_id"), *status, *note, *reply;
	struct supportnote *notes;
	struct supportmsg m;
	json_t *b, *o, *list, *meta;
	size_t i, n;
	int err;

	b = v_body_object(r);
	status = v_enum(r, b, "body", "status", V_REQ, supportmsg_statuses);
	note = v_str(r, b, "body", "note", V_TRIM | V_MULTI | V_EMPTY_NULL, 0,
	    SUPPORT_NOTE_MAX);
	if (v_done(r))
		return;
	/* A path id longer than PATH_ID_MAX names nothing (README "ids"). */
	switch (strlen(id) <= PATH_ID_MAX ?
	    supportmsg_find(&r->cx, id, &m) : 0) {
	case 1:
		break;
	case 0:
		resp_detail(r, 404, "not_found");
		return;
	default:
		resp_db_error(r);
		return;
	}
	if (!supportmsg_set_status(&r->cx, m.id, status, note)) {
		resp_db_error(r);
		return;
	}
	meta = json_object();
	json_object_set_new(meta, "status", json_string(status));
	json_object_set_new(meta, "note_provided", json_boolean(note != NULL));
	if (!audit(&r->cx, &(struct audit_ev){
	    .action = "SUPPORT_MESSAGE_STATUS_CHANGED",
	    .target_type = "SUPPORT_MESSAGE", .target_id = m.id,
	    .meta = meta }) ||
	    supportmsg_find(&r->cx, m.id, &m) != 1 ||
	    (notes = supportmsg_notes(&r->cx, m.id, &n)) == NULL) {
		resp_db_error(r);
		return;
	}
	reply = supportmsg_reply_to(&r->cx, m.id, &err);
	if (err < 0) {
		resp_db_error(r);
		return;
	}
	o = message_json(&m);
	/* The one API answer that carries an address (security.md 6). */
	json_object_set_new(o, "reply_to", str_or_null(reply));
	list = json_array();
	for (i = 0; i < n; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "created_at",
		    ts_json(notes[i].created_at));
		json_object_set_new(x, "by_user_id",
		    json_string(notes[i].by_user_id));
		json_object_set_new(x, "status", json_string(notes[i].status));
		json_object_set_new(x, "note", str_or_null(notes[i].note));
		json_array_append_new(list, x);
	}
	json_object_set_new(o, "notes", list);
	resp_json(r, 200, o);
}

/*
 * feedback: anyone but a moderator; CSRF is the Origin/Referer check only
 * (the static form carries no token); the IP and user limits are
 * declared (rate_support).
 */
static const struct route routes[] = {
	{ "POST", "/feedback", { R_PUBLIC_ROUTE, "role_not_allowed",
	    PF_CSRF_ORIGIN | PF_WRITE, &rate_support }, feedback },
	{ "GET", "/admin/messages", POLICY_ADM, inbox_list },
	{ "POST", "/admin/messages/{message_id}", POLICY_ADM_W, inbox_update },
};

int
main(void)
{
	/* The contact form's post gets German pages for every refusal. */
	return app_run(&(struct app){ "support", routes, NROUTES(routes),
	    form_post() ? page_error : NULL });
}
