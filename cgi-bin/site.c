/*
 * site: the server-rendered HTML pages (frontend.md 3). The web server
 * maps /qr/... (and later /login, /blog, ...) to this CGI with
 * PATH_INFO=/qr/...; every error the dispatcher answers comes out as a
 * German page through page_error().
 *
 *   GET /qr              lookup form (frontend.md 3.2)
 *   GET /qr/{vehicle_id} public vehicle check (frontend.md 3.1)
 *   GET /blog/, /news/   the published articles (frontend.md 3.3)
 *   GET /blog/{slug}, /news/{slug}
 *   GET /impressum       the operator data from config (frontend.md 3.8)
 *   GET /sitemap.xml     static pages and every published article
 *   GET /login, POST /login/code, /login/verify, /login/password,
 *   GET/POST /register, POST /logout   the sign-in forms (frontend.md 3.4-3.6)
 *   GET/POST /consent    the consent form (frontend.md 3.7)
 *
 * The check page shows what GET /api/public/qr/{id} answers, built by
 * the same trustsummary_public(), and shares its rate limit.
 */
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "base/config.h"
#include "http/html.h"
#include "http/page.h"
#include "http/response.h"
#include "domain/ampel.h"
#include "domain/trustsummary.h"
#include "base/crypto.h"
#include "http/mdlite.h"
#include "store/article.h"
#include "base/clock.h"
#include "domain/email.h"
#include "domain/password.h"
#include "domain/signin.h"
#include "http/form.h"
#include "http/gate.h"
#include "store/session.h"
#include "store/acceptance.h"
#include "http/cookie.h"

#define QR_TITLE	"Fahrzeug-Check"
#define QR_ID_EMPTY	"Bitte eine Fahrzeug-ID eingeben."

/* One <dt>/<dd> pair; value NULL or empty is written as a dash. */
static void
fact(struct buf *b, const char *label, const char *value)
{
	html_printf(b, "<dt>%s</dt><dd>%s</dd>\n", label,
	    value != NULL && *value != '\0' ? value : "—");
}

/* String member of a JSON object, or NULL. */
static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* "nicht_vorhanden" -> "nicht vorhanden"; the others read as they are. */
static const char *
status_text(const char *s)
{
	return s != NULL && strcmp(s, "nicht_vorhanden") == 0 ?
	    "nicht vorhanden" : s;
}

static void
vehicle_section(struct buf *b, const json_t *v)
{
	const json_t *year = json_object_get(v, "year");

	html_printf(b, "<section class=\"card\" aria-labelledby=\"fahrzeug\">\n"
	    "<h2 id=\"fahrzeug\">Fahrzeug</h2>\n<dl class=\"facts\">\n");
	/* Enum values only through their German labels (frontend.md 7). */
	fact(b, "Fahrzeugklasse",
	    vehicle_class_label(jstr(v, "vehicle_class")));
	fact(b, "Marke", jstr(v, "make"));
	fact(b, "Modell", jstr(v, "model"));
	if (json_is_integer(year))
		html_printf(b, "<dt>Baujahr</dt><dd>%lld</dd>\n",
		    (long long)json_integer_value(year));
	else
		fact(b, "Baujahr", NULL);
	fact(b, "Antrieb", drivetrain_label(jstr(v, "drivetrain")));
	fact(b, "FIN (maskiert)", jstr(v, "vin_masked"));
	html_printf(b, "</dl>\n</section>\n");
}

static void
qr_show(struct req *r)
{
	struct page_opts o = { .title = QR_TITLE, .disclaimer_id = "hinweis" };
	struct buf b = { 0 };
	const char *light, *label;
	const json_t *veh;
	json_t *j;

	if ((j = trustsummary_public(&r->cx,
	    req_param(r, "vehicle_id"))) == NULL) {
		resp_db_error(r);
		return;
	}
	light = jstr(j, "trust_light");
	if ((label = page_light_label(light)) == NULL) {
		json_decref(j);
		resp_internal(r, "internal");
		return;
	}
	/* The light names a CSS class: only the four known values. */
	page_begin(&b, &o);
	html_printf(&b, "<h1>" QR_TITLE "</h1>\n<p class=\"subline\">"
	    "Öffentlicher Mini-Check zur Dokumentationsqualität</p>\n"
	    "<section class=\"card\" aria-labelledby=\"trust-ampel\">\n"
	    "<h2 id=\"trust-ampel\">Trust-Ampel</h2>\n"
	    "<p><span class=\"ampel ampel-%s\" role=\"img\" "
	    "aria-label=\"Trust-Ampel: %s\"></span> "
	    "<strong>Trust-Ampel: %s</strong></p>\n<p>%s</p>\n</section>\n"
	    "<dl class=\"facts\">\n", light, label, label, jstr(j, "hint"));
	fact(&b, "Historie", status_text(jstr(j, "history_status")));
	fact(&b, "Nachweise", status_text(jstr(j, "evidence_status")));
	fact(&b, "Verifizierung", jstr(j, "verification_level"));
	fact(&b, "Unfallstatus", jstr(j, "accident_status_label"));
	html_printf(&b, "</dl>\n");
	veh = json_object_get(j, "vehicle");
	if (json_is_object(veh))
		vehicle_section(&b, veh);
	html_printf(&b, "<section class=\"notice\" "
	    "aria-labelledby=\"hinweis\">\n<h2 id=\"hinweis\">Hinweis</h2>\n"
	    "<p class=\"disclaimer\">%s</p>\n</section>\n"
	    "<ul class=\"actions\">\n"
	    "<li><a class=\"button\" href=\"/\">Zur Startseite</a></li>\n"
	    "<li><a href=\"/faq.html#trust-ampel\">Was ist die "
	    "Trust-Ampel?</a></li>\n</ul>\n", jstr(j, "disclaimer"));
	page_end(&b, &o);
	json_decref(j);
	page_send(r, 200, &b, "no-store");
}

/* The lookup form; error NULL or QR_ID_EMPTY. */
static void
qr_form(struct req *r, int status, const char *error)
{
	static const struct page_field_error fe = { "qr-id", QR_ID_EMPTY };
	struct page_opts o = { .title = QR_TITLE };
	struct buf b = { 0 };

	page_begin(&b, &o);
	html_printf(&b, "<h1>" QR_TITLE "</h1>\n"
	    "<p>Prüfe die Dokumentationsqualität eines Fahrzeugs mit seiner "
	    "Fahrzeug-ID aus dem QR-Code.</p>\n"
	    "<form method=\"get\" action=\"/qr/\">\n");
	if (error != NULL)
		page_error_summary(&b, &fe, 1);
	html_printf(&b, "<div>\n<label for=\"qr-id\">Fahrzeug-ID</label>\n"
	    "<p id=\"qr-id-hint\">Die Fahrzeug-ID steht unter dem QR-Code "
	    "am Fahrzeug.</p>\n");
	if (error != NULL)
		html_printf(&b, "<p id=\"qr-id-error\" class=\"field-error\">"
		    QR_ID_EMPTY "</p>\n");
	html_printf(&b, "<input id=\"qr-id\" name=\"id\" type=\"text\" "
	    "autocomplete=\"off\" spellcheck=\"false\" required "
	    "aria-required=\"true\" ");
	if (error != NULL)
		html_printf(&b, "aria-invalid=\"true\" "
		    "aria-describedby=\"qr-id-error qr-id-hint\"");
	else
		html_printf(&b, "aria-describedby=\"qr-id-hint\"");
	html_printf(&b, ">\n</div>\n"
	    "<p><button type=\"submit\">Prüfen</button></p>\n</form>\n");
	page_end(&b, &o);
	page_send(r, status, &b, "no-store");
}

static void
qr_lookup(struct req *r)
{
	const char *q = req_query(r, "id");
	char *id;

	if (q == NULL) {
		qr_form(r, 200, NULL);
		return;
	}
	id = str_trim(arena_strdup(&r->cx.arena, q));
	if (*id == '\0') {
		/* A form error, as on the other server-rendered forms. */
		qr_form(r, 400, QR_ID_EMPTY);
		return;
	}
	page_redirect(r, arena_printf(&r->cx.arena, "/qr/%s",
	    html_url(&r->cx.arena, id)));
}

/* ---- blog and news (frontend.md 3.3) ------------------------------ */

#define PUBLIC_CACHE	"public, max-age=300"	/* security.md 10 */

struct kind {
	const char	*type;		/* "blog" | "news" */
	const char	*h1;
	const char	*intro;
	const char	*empty;
	const char	*back;
};

static const struct kind blog_kind = { "blog", "Blog",
	"Neueste Artikel über Fahrzeugdokumentation und digitale Nachweise",
	"Noch keine Blog-Beiträge veröffentlicht.", "← Zurück zum Blog" };
static const struct kind news_kind = { "news", "News",
	"Aktuelle Nachrichten rund um LifeTimeCircle und digitale "
	"Fahrzeugdokumentation", "Noch keine News veröffentlicht.",
	"← Zurück zu News" };

/* <time> of a stored timestamp: datetime YYYY-MM-DD, text DD.MM.YYYY. */
static void
article_time(struct buf *b, const char *ts)
{
	char d[11], day[3] = { 0 }, mon[3] = { 0 }, year[5] = { 0 };

	if (ts == NULL || strlen(ts) < 10) {
		html_printf(b, "<time>—</time>");
		return;
	}
	memcpy(d, ts, 10);
	d[10] = '\0';
	memcpy(year, ts, 4);
	memcpy(mon, ts + 5, 2);
	memcpy(day, ts + 8, 2);
	html_printf(b, "<time datetime=\"%s\">%s.%s.%s</time>", d, day, mon,
	    year);
}

/*
 * Sends a cacheable page with a strong ETag over its bytes; an
 * If-None-Match naming it gets 304 without a body.
 */
static void
send_cached(struct req *r, struct buf *b)
{
	unsigned char h[32];
	char hex[33], etag[36];
	const char *inm = req_header("HTTP_IF_NONE_MATCH");
	struct buf empty = { 0 };

	sha256(b->data != NULL ? b->data : "", b->len, h);
	hex_encode(h, 16, hex);
	etag[0] = '"';
	memcpy(etag + 1, hex, 32);
	etag[33] = '"';
	etag[34] = '\0';
	if (inm != NULL && (strstr(inm, etag) != NULL ||
	    strcmp(inm, "*") == 0)) {
		buf_free(b);
		page_send(r, 304, &empty, PUBLIC_CACHE);
	} else
		page_send(r, 200, b, PUBLIC_CACHE);
	resp_header(r, "ETag", etag);
}

/* /blog without the slash: the list lives at /blog/. */
static bool
list_slash(struct req *r, const char *type)
{
	const char *pi = getenv("PATH_INFO");

	if (pi != NULL && pi[strlen(pi) - 1] != '/') {
		page_redirect(r, type[0] == 'b' ? "/blog/" : "/news/");
		r->resp.status = 301;
		resp_header(r, "Cache-Control", PUBLIC_CACHE);
		return true;
	}
	return false;
}

static void
article_list_page(struct req *r, const struct kind *k)
{
	struct page_opts o = { .title = k->h1, .description = k->intro };
	struct buf b = { 0 };
	struct article *v;
	size_t i, n;

	if (list_slash(r, k->type))
		return;
	if ((v = article_list_published(&r->cx, k->type, &n)) == NULL) {
		resp_db_error(r);
		return;
	}
	o.canonical = k->type[0] == 'b' ? "blog/" : "news/";
	o.nav_current = k->type[0] == 'b' ? "/blog/" : "/news/";
	page_begin(&b, &o);
	html_printf(&b, "<h1>%s</h1>\n<p class=\"subline\">%s</p>\n", k->h1,
	    k->intro);
	if (n == 0)
		html_printf(&b, "<p>%s</p>\n", k->empty);
	else
		html_printf(&b, "<ul class=\"articles\" "
		    "aria-label=\"Artikelliste\">\n");
	for (i = 0; i < n; i++) {
		html_printf(&b, "<li>\n<h2><a href=\"/%s/%s\">%s</a></h2>\n"
		    "<p>", k->type, html_url(&r->cx.arena, v[i].slug),
		    v[i].title);
		article_time(&b, v[i].published_at);
		html_printf(&b, "</p>\n<p>%s</p>\n</li>\n",
		    v[i].excerpt != NULL ? v[i].excerpt : "");
	}
	if (n > 0)
		html_printf(&b, "</ul>\n");
	page_end(&b, &o);
	send_cached(r, &b);
}

static void
article_page(struct req *r, const struct kind *k)
{
	struct page_opts o = { 0 };
	struct buf b = { 0 };
	struct article a;
	const char *slug = req_param(r, "slug");

	switch (article_find_published(&r->cx, k->type, slug, &a)) {
	case 1:
		break;
	case 0:
		o.title = "Artikel nicht gefunden";
		page_begin(&b, &o);
		html_printf(&b, "<h1>Artikel nicht gefunden</h1>\n"
		    "<p><a href=\"/%s/\">%s</a></p>\n", k->type, k->back);
		page_end(&b, &o);
		page_send(r, 404, &b, "no-store");
		return;
	default:
		resp_db_error(r);
		return;
	}
	o.title = a.title;
	o.description = a.excerpt != NULL && *a.excerpt != '\0' ?
	    a.excerpt : k->intro;
	o.canonical = arena_printf(&r->cx.arena, "%s/%s", k->type,
	    html_url(&r->cx.arena, a.slug));
	o.nav_current = k->type[0] == 'b' ? "/blog/" : "/news/";
	page_begin(&b, &o);
	html_printf(&b, "<p><a href=\"/%s/\">%s</a></p>\n<article>\n"
	    "<h1>%s</h1>\n<p>", k->type, k->back, a.title);
	article_time(&b, a.published_at);
	html_printf(&b, "</p>\n");
	if (a.content_md != NULL)
		mdlite_render(&b, a.content_md, strlen(a.content_md));
	html_printf(&b, "</article>\n");
	page_end(&b, &o);
	send_cached(r, &b);
}

static void blog_list(struct req *r) { article_list_page(r, &blog_kind); }
static void news_list(struct req *r) { article_list_page(r, &news_kind); }
static void blog_show(struct req *r) { article_page(r, &blog_kind); }
static void news_show(struct req *r) { article_page(r, &news_kind); }

/* ---- /impressum (frontend.md 3.8) ---------------------------------- */

static bool
set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* A config value with its line breaks ("\n" written as is or escaped). */
static void
lines(struct buf *b, struct arena *a, const char *s)
{
	const char *nl, *esc;
	size_t len;

	for (;;) {
		nl = strchr(s, '\n');
		esc = strstr(s, "\\n");
		if (nl == NULL && esc == NULL)
			break;
		if (nl == NULL || (esc != NULL && esc < nl)) {
			len = (size_t)(esc - s);
			html_printf(b, "%s<br>\n", arena_strndup(a, s, len));
			s = esc + 2;
		} else {
			len = (size_t)(nl - s);
			html_printf(b, "%s<br>\n", arena_strndup(a, s, len));
			s = nl + 1;
		}
	}
	html_printf(b, "%s", s);
}

static void
impressum(struct req *r)
{
	struct page_opts o = { .title = "Impressum", .canonical = "impressum",
	    .description = "Anbieterangaben von LifeTimeCircle" };
	struct buf b = { 0 };

	page_begin(&b, &o);
	html_printf(&b, "<h1>Impressum</h1>\n");
	if (!set(cfg.imprint_name)) {
		html_printf(&b, "<p>Die Anbieterangaben werden für diese "
		    "Installation noch ergänzt.</p>\n");
	} else {
		html_printf(&b, "<section aria-labelledby=\"imp-anbieter\">\n"
		    "<h2 id=\"imp-anbieter\">Angaben gemäß § 5 DDG</h2>\n"
		    "<p>%s", cfg.imprint_name);
		if (set(cfg.imprint_address)) {
			html_printf(&b, "<br>\n");
			lines(&b, &r->cx.arena, cfg.imprint_address);
		}
		html_printf(&b, "</p>\n</section>\n");
		if (set(cfg.imprint_email) || set(cfg.imprint_phone)) {
			html_printf(&b, "<section aria-labelledby=\"imp-kontakt\">"
			    "\n<h2 id=\"imp-kontakt\">Kontakt</h2>\n");
			if (set(cfg.imprint_email))
				html_printf(&b, "<p>E-Mail: <a href=\"mailto:%s\">"
				    "%s</a></p>\n", html_url(&r->cx.arena,
				    cfg.imprint_email), cfg.imprint_email);
			if (set(cfg.imprint_phone))
				html_printf(&b, "<p>Telefon: %s</p>\n",
				    cfg.imprint_phone);
			html_printf(&b, "</section>\n");
		}
		if (set(cfg.imprint_register)) {
			html_printf(&b, "<section aria-labelledby=\"imp-reg\">\n"
			    "<h2 id=\"imp-reg\">Registereintrag</h2>\n<p>");
			lines(&b, &r->cx.arena, cfg.imprint_register);
			html_printf(&b, "</p>\n</section>\n");
		}
		if (set(cfg.imprint_vat_id))
			html_printf(&b, "<section aria-labelledby=\"imp-ust\">\n"
			    "<h2 id=\"imp-ust\">Umsatzsteuer-ID</h2>\n"
			    "<p>%s</p>\n</section>\n", cfg.imprint_vat_id);
		if (set(cfg.imprint_responsible)) {
			html_printf(&b, "<section aria-labelledby=\"imp-v\">\n"
			    "<h2 id=\"imp-v\">Verantwortlich für den Inhalt</h2>"
			    "\n<p>");
			lines(&b, &r->cx.arena, cfg.imprint_responsible);
			html_printf(&b, "</p>\n</section>\n");
		}
	}
	page_end(&b, &o);
	send_cached(r, &b);
}

/* ---- /sitemap.xml -------------------------------------------------- */

static const char *const static_pages[] = { "", "eintritt.html",
	"faq.html", "jobs.html", "kontakt.html", "datenschutz.html",
	"agb.html", "cookies.html", "impressum", "qr/", "blog/", "news/",
	"login", "register", NULL };

/*
 * The sitemap protocol's XML; the escaping writer's entities are the
 * XML ones, so slugs and the origin are escaped like page text.
 */
static void
sitemap(struct req *r)
{
	static const char *const types[] = { "blog", "news" };
	const char *origin = req_site_origin(r);
	struct buf b = { 0 };
	struct article *v;
	size_t i, n, t;

	html_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (i = 0; static_pages[i] != NULL; i++)
		html_printf(&b, "<url><loc>%s/%s</loc></url>\n", origin,
		    static_pages[i]);
	for (t = 0; t < 2; t++) {
		if ((v = article_list_published(&r->cx, types[t], &n)) ==
		    NULL) {
			buf_free(&b);
			resp_db_error(r);
			return;
		}
		for (i = 0; i < n; i++) {
			html_printf(&b, "<url><loc>%s/%s/%s</loc>", origin,
			    types[t], html_url(&r->cx.arena, v[i].slug));
			if (v[i].updated_at != NULL &&
			    strlen(v[i].updated_at) >= 10)
				html_printf(&b, "<lastmod>%s</lastmod>",
				    arena_strndup(&r->cx.arena,
				    v[i].updated_at, 10));
			html_printf(&b, "</url>\n");
		}
	}
	html_printf(&b, "</urlset>\n");
	page_send(r, 200, &b, PUBLIC_CACHE);
	resp_header(r, "Content-Type", "application/xml; charset=utf-8");
}

/* ---- sign-in (frontend.md 3.4-3.6) -------------------------------- */

#define LOGIN_TITLE	"Anmelden"
#define MSG_CODE_SENT \
	"Wenn die E-Mail-Adresse gültig ist, wurde ein Code gesendet."
#define MSG_EMAIL_EMPTY	"Bitte eine E-Mail-Adresse eingeben."
#define MSG_EMAIL_BAD	"Bitte eine gültige E-Mail-Adresse eingeben."
#define MSG_RATE \
	"Zu viele Anfragen. Bitte kurz warten und erneut versuchen."

/* The form fields of a POST body; an undecodable body is empty. */
static struct kvlist
form_body(struct req *r)
{
	struct kvlist kv = { 0 };

	if (!req_read_body(r, (size_t)cfg.json_max_bytes) ||
	    form_parse(&r->cx.arena, r->body != NULL ? r->body : "",
	    r->body_len, 100, &kv) != FORM_OK)
		memset(&kv, 0, sizeof(kv));
	return kv;
}

static const char *
field(const struct kvlist *kv, const char *name)
{
	const char *v = kv_get(kv, name);

	return v != NULL ? v : "";
}

/* security.md 12: a local path, or NULL. */
static const char *
next_ok(const char *n)
{
	const char *p;

	if (n == NULL || n[0] != '/' || n[1] == '/')
		return NULL;
	for (p = n; *p != '\0'; p++)
		if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	/* ':' before the first '/' cannot occur: the first byte is '/'. */
	return n;
}

/* The validated next, or the default of the signed-in role. */
static const char *
next_or_default(const char *n, enum role role)
{
	if (next_ok(n) != NULL)
		return n;
	return role == ROLE_MODERATOR ? "/app/cms.html?type=blog" : "/app/";
}

/* next of the request: the query on GET, the hidden field on POST. */
static const char *
req_next(struct req *r, const struct kvlist *kv)
{
	const char *n = kv != NULL ? kv_get(kv, "next") : req_query(r, "next");

	return next_ok(n) != NULL ? n : "";
}

/* "?next=..." for a link carrying next, or "". */
static const char *
next_query(struct req *r, const char *next)
{
	if (*next == '\0')
		return "";
	return arena_printf(&r->cx.arena, "?next=%s",
	    html_url(&r->cx.arena, next));
}

static void
next_hidden(struct buf *b, const char *next)
{
	if (*next != '\0')
		html_printf(b, "<input type=\"hidden\" name=\"next\" "
		    "value=\"%s\">\n", next);
}

enum input_kind { IN_EMAIL, IN_PASSWORD, IN_NEW_PASSWORD, IN_OTP };

/* A labelled input of kind with an optional error next to it. */
static void
input(struct buf *b, const char *id, const char *name, const char *label,
    enum input_kind kind, const char *value, const char *error)
{
	html_printf(b, "<div class=\"field\">\n<label for=\"%s\">%s</label>\n",
	    id, label);
	if (error != NULL)
		html_printf(b, "<p id=\"%s-error\" class=\"field-error\">%s"
		    "</p>\n", id, error);
	html_printf(b, "<input id=\"%s\" name=\"%s\" value=\"%s\" required "
	    "aria-required=\"true\" ", id, name, value);
	switch (kind) {
	case IN_EMAIL:
		html_printf(b, "type=\"email\" autocomplete=\"email\"");
		break;
	case IN_PASSWORD:
		html_printf(b, "type=\"password\" "
		    "autocomplete=\"current-password\"");
		break;
	case IN_NEW_PASSWORD:
		html_printf(b, "type=\"password\" "
		    "autocomplete=\"new-password\"");
		break;
	case IN_OTP:
		html_printf(b, "type=\"text\" inputmode=\"numeric\" "
		    "autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" "
		    "maxlength=\"6\"");
		break;
	}
	if (error != NULL)
		html_printf(b, " aria-invalid=\"true\" "
		    "aria-describedby=\"%s-error\"", id);
	html_printf(b, ">\n</div>\n");
}

static void
login_page(struct req *r, int status, const char *next, const char *code_err,
    const char *email, const char *pw_err)
{
	struct page_opts o = { .title = LOGIN_TITLE };
	struct buf b = { 0 };
	struct page_field_error fe;

	page_begin(&b, &o);
	html_printf(&b, "<h1>" LOGIN_TITLE "</h1>\n"
	    "<section class=\"card\" aria-labelledby=\"login-code\">\n"
	    "<h2 id=\"login-code\">Mit E-Mail-Code anmelden</h2>\n"
	    "<form method=\"post\" action=\"/login/code\">\n");
	if (code_err != NULL) {
		fe = (struct page_field_error){ "code-email", code_err };
		page_error_summary(&b, &fe, 1);
	}
	input(&b, "code-email", "email", "E-Mail-Adresse", IN_EMAIL,
	    code_err != NULL ? email : "", code_err);
	next_hidden(&b, next);
	html_printf(&b, "<p>Wir schicken dir einen sechsstelligen Code. Ein "
	    "Konto wird bei der ersten Anmeldung automatisch angelegt.</p>\n"
	    "<p><button type=\"submit\">Code anfordern</button></p>\n"
	    "</form>\n</section>\n"
	    "<section class=\"card\" aria-labelledby=\"login-pw\">\n"
	    "<h2 id=\"login-pw\">Mit Passwort anmelden</h2>\n"
	    "<form method=\"post\" action=\"/login/password\">\n");
	if (pw_err != NULL) {
		fe = (struct page_field_error){ "pw-email", pw_err };
		page_error_summary(&b, &fe, 1);
	}
	input(&b, "pw-email", "email", "E-Mail-Adresse", IN_EMAIL,
	    pw_err != NULL ? email : "", pw_err);
	input(&b, "pw-password", "password", "Passwort", IN_PASSWORD,
	    "", NULL);
	next_hidden(&b, next);
	html_printf(&b, "<p><button type=\"submit\">Anmelden</button></p>\n"
	    "</form>\n</section>\n"
	    "<p><a href=\"/register%s\">Noch kein Passwort? Jetzt "
	    "registrieren</a></p>\n", next_query(r, next));
	page_end(&b, &o);
	page_send(r, status, &b, "no-store");
}

static void
code_page(struct req *r, int status, const char *email, const char *cid,
    const char *next, const char *dev_otp, const char *err)
{
	struct page_opts o = { .title = LOGIN_TITLE };
	struct buf b = { 0 };
	struct page_field_error fe = { "code-otp", err };

	page_begin(&b, &o);
	html_printf(&b, "<h1>Code eingeben</h1>\n"
	    "<p role=\"status\">" MSG_CODE_SENT "</p>\n");
	if (dev_otp != NULL && *dev_otp != '\0')
		html_printf(&b, "<p>Dev-OTP: %s</p>\n", dev_otp);
	html_printf(&b, "<form method=\"post\" action=\"/login/verify\">\n");
	if (err != NULL)
		page_error_summary(&b, &fe, 1);
	html_printf(&b, "<input type=\"hidden\" name=\"email\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"challenge_id\" value=\"%s\">\n",
	    email, cid);
	next_hidden(&b, next);
	input(&b, "code-otp", "otp", "Code", IN_OTP, "", err);
	html_printf(&b, "<p><button type=\"submit\">Anmelden</button></p>\n"
	    "</form>\n<p><a href=\"/login\">Neuen Code anfordern</a></p>\n");
	page_end(&b, &o);
	page_send(r, status, &b, "no-store");
}

/* The German page for the flows' infrastructure failures. */
static void
flow_failed(struct req *r, enum auth_result res)
{
	if (res == AR_BUSY) {
		resp_detail(r, 503, "busy");
		resp_header(r, "Retry-After", "1");
	} else if (res == AR_DB)
		resp_db_error(r);
	else
		resp_internal(r, "internal");
}

/* After a login: the cookie, then consent first unless complete. */
static void
signed_in(struct req *r, struct auth_session *s, const char *next)
{
	enum role role = role_parse(s->role);
	const char *to = next_or_default(next, role);
	int c = 1;

	if (role != ROLE_MODERATOR &&
	    (c = acceptance_complete(r->cx.db, s->user_id)) < 0) {
		explicit_bzero(s, sizeof(*s));
		resp_db_error(r);
		return;
	}
	page_redirect(r, c == 0 ? arena_printf(&r->cx.arena,
	    "/consent?next=%s", html_url(&r->cx.arena, to)) : to);
	session_cookie(r, s->token);
	explicit_bzero(s, sizeof(*s));
}

static void
login_get(struct req *r)
{
	const char *next = req_next(r, NULL);

	if (r->cx.actor.kind == AUTH_COOKIE) {
		page_redirect(r, next_or_default(next, r->cx.actor.role));
		return;
	}
	login_page(r, 200, next, NULL, NULL, NULL);
}

/* The e-mail of a form: NULL with *err set when refused. */
static const char *
form_email(struct req *r, const char *raw, const char **err)
{
	char *e = str_trim(arena_strdup(&r->cx.arena, raw));

	*err = NULL;
	if (*e == '\0') {
		*err = MSG_EMAIL_EMPTY;
		return NULL;
	}
	e = email_normalise(&r->cx.arena, e);
	if (strlen(e) < EMAIL_MIN || strlen(e) > 4 * EMAIL_MAX ||
	    !email_plausible(e)) {
		*err = MSG_EMAIL_BAD;
		return NULL;
	}
	return e;
}

static void
login_code(struct req *r)
{
	struct kvlist kv = form_body(r);
	const char *next = req_next(r, &kv), *err, *email;
	struct code_answer ca;
	enum auth_result res;

	if ((email = form_email(r, field(&kv, "email"), &err)) == NULL) {
		login_page(r, 400, next, err, field(&kv, "email"), NULL);
		return;
	}
	if ((res = auth_request_code(&r->cx, email, NULL, &ca)) != AR_OK) {
		flow_failed(r, res);
		return;
	}
	code_page(r, 200, email, ca.challenge_id, next, ca.dev_otp, NULL);
	explicit_bzero(&ca, sizeof(ca));
}

static void
login_verify(struct req *r)
{
	struct kvlist kv = form_body(r);
	const char *next = req_next(r, &kv), *email, *cid, *otp, *msg;
	struct auth_session s;
	enum auth_result res;
	int64_t retry = 0;
	int status = 400;

	email = email_normalise(&r->cx.arena, str_trim(arena_strdup(
	    &r->cx.arena, field(&kv, "email"))));
	cid = field(&kv, "challenge_id");
	otp = field(&kv, "otp");
	if (*email == '\0' || *cid == '\0' || *otp == '\0')
		res = AR_INVALID;
	else
		res = auth_verify(&r->cx, email, cid, otp, &s, &retry);
	explicit_bzero((char *)otp, strlen(otp));
	if (r->body != NULL)
		explicit_bzero(r->body, r->body_len);
	/* A denial has recorded counts and audit rows: they stay. */
	if (res == AR_INVALID || res == AR_EXPIRED || res == AR_LOCKED ||
	    res == AR_RATE_LIMIT)
		req_keep_writes(r);
	switch (res) {
	case AR_OK:
		signed_in(r, &s, next);
		return;
	case AR_INVALID:
		msg = "Code oder Challenge sind ungültig.";
		break;
	case AR_EXPIRED:
		msg = "Der Code ist abgelaufen. Bitte neuen Code anfordern.";
		break;
	case AR_LOCKED:
		msg = "Zu viele falsche Codes. Bitte neuen Code anfordern.";
		status = 429;
		break;
	case AR_RATE_LIMIT:
		msg = MSG_RATE;
		status = 429;
		break;
	default:
		flow_failed(r, res);
		return;
	}
	code_page(r, status, field(&kv, "email"), cid, next, NULL, msg);
	if (status == 429)
		resp_header(r, "Retry-After", arena_printf(&r->cx.arena,
		    "%lld", (long long)(retry > 0 ? retry : 1)));
}

static void
login_password(struct req *r)
{
	struct kvlist kv = form_body(r);
	const char *next = req_next(r, &kv), *email, *pw;
	struct auth_session s;
	enum auth_result res;
	int64_t retry = 0;

	email = email_normalise(&r->cx.arena, str_trim(arena_strdup(
	    &r->cx.arena, field(&kv, "email"))));
	pw = field(&kv, "password");
	if (*email == '\0' || *pw == '\0' || strlen(pw) > PW_MAX)
		res = AR_INVALID;
	else
		res = auth_login(&r->cx, email, pw, &s, &retry);
	explicit_bzero((char *)pw, strlen(pw));
	if (r->body != NULL)
		explicit_bzero(r->body, r->body_len);
	switch (res) {
	case AR_OK:
		signed_in(r, &s, next);
		return;
	case AR_INVALID:
		login_page(r, 400, next, NULL, field(&kv, "email"),
		    "E-Mail-Adresse oder Passwort ist falsch, oder das Konto "
		    "ist noch nicht bestätigt.");
		return;
	case AR_RATE_LIMIT:
	case AR_LOCKED:
		login_page(r, 429, next, NULL, field(&kv, "email"), MSG_RATE);
		resp_header(r, "Retry-After", arena_printf(&r->cx.arena,
		    "%lld", (long long)(retry > 0 ? retry : 1)));
		return;
	default:
		flow_failed(r, res);
	}
}

struct reg_errors {
	const char	*email, *password, *password2;
};

static void
register_page(struct req *r, int status, const char *next, const char *email,
    const struct reg_errors *e)
{
	struct page_opts o = { .title = "Registrieren" };
	struct buf b = { 0 };
	struct page_field_error sum[3];
	size_t n = 0;

	if (e->email != NULL)
		sum[n++] = (struct page_field_error){ "reg-email", e->email };
	if (e->password != NULL)
		sum[n++] = (struct page_field_error){ "reg-password",
		    e->password };
	if (e->password2 != NULL)
		sum[n++] = (struct page_field_error){ "reg-password2",
		    e->password2 };
	page_begin(&b, &o);
	html_printf(&b, "<h1>Registrieren</h1>\n"
	    "<form method=\"post\" action=\"/register\">\n");
	page_error_summary(&b, sum, n);
	input(&b, "reg-email", "email", "E-Mail-Adresse", IN_EMAIL, email,
	    e->email);
	html_printf(&b, "<div class=\"field\">\n<label for=\"reg-password\">"
	    "Passwort</label>\n<p id=\"reg-password-hint\">Mindestens 10 "
	    "Zeichen.</p>\n");
	if (e->password != NULL)
		html_printf(&b, "<p id=\"reg-password-error\" "
		    "class=\"field-error\">%s</p>\n", e->password);
	html_printf(&b, "<input id=\"reg-password\" name=\"password\" "
	    "type=\"password\" autocomplete=\"new-password\" minlength=\"10\" "
	    "required aria-required=\"true\" ");
	if (e->password != NULL)
		html_printf(&b, "aria-invalid=\"true\" aria-describedby="
		    "\"reg-password-error reg-password-hint\">\n</div>\n");
	else
		html_printf(&b, "aria-describedby=\"reg-password-hint\">\n"
		    "</div>\n");
	input(&b, "reg-password2", "password2", "Passwort wiederholen",
	    IN_NEW_PASSWORD, "", e->password2);
	next_hidden(&b, next);
	html_printf(&b, "<p><button type=\"submit\">Registrieren</button></p>\n"
	    "</form>\n<p><a href=\"/login%s\">Schon registriert? "
	    "Anmelden</a></p>\n", next_query(r, next));
	page_end(&b, &o);
	page_send(r, status, &b, "no-store");
}

static void
register_get(struct req *r)
{
	register_page(r, 200, req_next(r, NULL), "",
	    &(struct reg_errors){ 0 });
}

static void
register_post(struct req *r)
{
	struct kvlist kv = form_body(r);
	const char *next = req_next(r, &kv), *email;
	const char *pw = field(&kv, "password"), *pw2 = field(&kv, "password2");
	struct reg_errors e = { 0 };
	struct code_answer ca;
	enum auth_result res;
	size_t len = strlen(pw);

	email = form_email(r, field(&kv, "email"), &e.email);
	if (len < PW_MIN)
		e.password = "Das Passwort muss mindestens 10 Zeichen lang "
		    "sein.";
	else if (len > PW_MAX)
		e.password = "Das Passwort ist zu lang.";
	else if (strcmp(pw, pw2) != 0)
		e.password2 = "Die Passwörter stimmen nicht überein.";
	if (e.email != NULL || e.password != NULL || e.password2 != NULL) {
		explicit_bzero((char *)pw, len);
		explicit_bzero((char *)pw2, strlen(pw2));
		register_page(r, 400, next, field(&kv, "email"), &e);
		return;
	}
	res = auth_request_code(&r->cx, email, pw, &ca);
	explicit_bzero((char *)pw, len);
	explicit_bzero((char *)pw2, strlen(pw2));
	if (r->body != NULL)
		explicit_bzero(r->body, r->body_len);
	if (res != AR_OK) {
		flow_failed(r, res);
		return;
	}
	code_page(r, 200, email, ca.challenge_id, next, ca.dev_otp, NULL);
	explicit_bzero(&ca, sizeof(ca));
}

static void
logout(struct req *r)
{
	struct kvlist kv = form_body(r);
	enum auth_result res;

	if (r->cx.actor.kind == AUTH_COOKIE) {
		if (!csrf_proof_ok(r, kv_get(&kv, "csrf_token"))) {
			csrf_refuse(r);
			return;
		}
		if ((res = auth_logout(&r->cx)) != AR_OK) {
			flow_failed(r, res);
			return;
		}
	}
	page_redirect(r, "/");
	if (req_cookie(r, "ltc_session") != NULL)
		session_cookie(r, NULL);
}

/* ---- /consent (frontend.md 3.7) ----------------------------------- */

#define CONSENT_ERROR	"Bitte AGB und Datenschutzerklärung bestätigen."

/* The API date of the user's acceptance of type at version, or NULL. */
static const char *
accepted_on(struct req *r, json_t *rows, const char *type,
    const char *version)
{
	size_t i;
	json_t *o;
	const char *at;

	json_array_foreach(rows, i, o) {
		at = jstr(o, "accepted_at");
		if (str_eq(jstr(o, "doc_type"), type) &&
		    str_eq(jstr(o, "doc_version"), version) && at != NULL &&
		    strlen(at) >= 10)
			return arena_printf(&r->cx.arena, "%.2s.%.2s.%.4s",
			    at + 8, at + 5, at);
	}
	return NULL;
}

/* Without a session: sign in first, then come back here. */
static void
consent_login(struct req *r, const char *next)
{
	if (*next == '\0')
		page_redirect(r, "/login?next=/consent");
	else
		page_redirect(r, arena_printf(&r->cx.arena,
		    "/login?next=/consent%%3Fnext%%3D%s", html_url(&r->cx.arena,
		    html_url(&r->cx.arena, next))));
}

static void
consent_page(struct req *r, int status, const char *next, bool terms_err,
    bool privacy_err)
{
	struct page_opts o = { .title = "Zustimmung" };
	struct buf b = { 0 };
	struct page_field_error fe = { terms_err ? "consent-terms" :
	    "consent-privacy", CONSENT_ERROR };
	const char *tv = cfg.terms_version, *pv = cfg.privacy_version;
	const char *t_at, *p_at;
	char csrf[B64URL_HMAC_LEN];
	json_t *rows;

	page_begin(&b, &o);
	html_printf(&b, "<h1>Zustimmung</h1>\n");
	if (r->cx.actor.role == ROLE_MODERATOR) {
		html_printf(&b, "<p>Für die Redaktion ist keine Zustimmung "
		    "erforderlich.</p>\n<p><a class=\"button\" "
		    "href=\"/app/cms.html?type=blog\">Zum CMS</a></p>\n");
		page_end(&b, &o);
		page_send(r, 200, &b, "no-store");
		return;
	}
	if ((rows = acceptance_list_json(r->cx.db, r->cx.actor.user_id)) ==
	    NULL) {
		buf_free(&b);
		resp_db_error(r);
		return;
	}
	t_at = accepted_on(r, rows, "terms", tv);
	p_at = accepted_on(r, rows, "privacy", pv);
	json_decref(rows);
	html_printf(&b, "<p>Bevor du dein digitales Serviceheft nutzen "
	    "kannst, brauchen wir deine Zustimmung zu den aktuellen Fassungen "
	    "unserer AGB und der Datenschutzerklärung.</p>\n<ul>\n");
	if (t_at != NULL)
		html_printf(&b, "<li>AGB, Version %s: akzeptiert am %s</li>\n",
		    tv, t_at);
	else
		html_printf(&b, "<li>AGB, Version %s: noch nicht akzeptiert"
		    "</li>\n", tv);
	if (p_at != NULL)
		html_printf(&b, "<li>Datenschutzerklärung, Version %s: "
		    "akzeptiert am %s</li>\n", pv, p_at);
	else
		html_printf(&b, "<li>Datenschutzerklärung, Version %s: noch "
		    "nicht akzeptiert</li>\n", pv);
	html_printf(&b, "</ul>\n");
	if (t_at != NULL && p_at != NULL) {
		html_printf(&b, "<p>Du hast den aktuellen Fassungen bereits "
		    "zugestimmt.</p>\n<p><a class=\"button\" href=\"/%s\">"
		    "Weiter</a></p>\n",
		    next_or_default(next, r->cx.actor.role) + 1);
		page_end(&b, &o);
		page_send(r, status, &b, "no-store");
		return;
	}
	csrf_token(r->cx.actor.session_id, csrf);
	html_printf(&b, "<form method=\"post\" action=\"/consent\">\n");
	if (terms_err || privacy_err)
		page_error_summary(&b, &fe, 1);
	html_printf(&b, "<fieldset>\n<legend>Erforderliche Zustimmungen"
	    "</legend>\n<div class=\"field\">\n<input id=\"consent-terms\" "
	    "name=\"terms\" type=\"checkbox\" value=\"1\" required");
	if (terms_err)
		html_printf(&b, " aria-invalid=\"true\"");
	html_printf(&b, ">\n<label for=\"consent-terms\">Ich akzeptiere die "
	    "Allgemeinen Geschäftsbedingungen (AGB), Version %s.</label>\n"
	    "<a href=\"/agb.html\">AGB lesen</a>\n</div>\n"
	    "<div class=\"field\">\n<input id=\"consent-privacy\" "
	    "name=\"privacy\" type=\"checkbox\" value=\"1\" required", tv);
	if (privacy_err)
		html_printf(&b, " aria-invalid=\"true\"");
	html_printf(&b, ">\n<label for=\"consent-privacy\">Ich habe die "
	    "Datenschutzerklärung, Version %s, gelesen und stimme ihr zu."
	    "</label>\n<a href=\"/datenschutz.html\">Datenschutzerklärung "
	    "lesen</a>\n</div>\n</fieldset>\n"
	    "<p>Beide Dokumente müssen bestätigt werden, bevor der Zielbereich "
	    "freigeschaltet wird.</p>\n"
	    "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">\n",
	    pv, csrf);
	next_hidden(&b, next);
	html_printf(&b, "<p><button type=\"submit\">Zustimmen und weiter"
	    "</button></p>\n</form>\n");
	explicit_bzero(csrf, sizeof(csrf));
	page_end(&b, &o);
	page_send(r, status, &b, "no-store");
}

static void
consent_get(struct req *r)
{
	const char *next = req_next(r, NULL);

	if (r->cx.actor.kind == AUTH_NONE) {
		consent_login(r, next);
		return;
	}
	consent_page(r, 200, next, false, false);
}

static void
consent_post(struct req *r)
{
	struct kvlist kv = form_body(r);
	const char *next = req_next(r, &kv);
	bool terms, privacy;

	if (r->cx.actor.kind == AUTH_NONE) {
		page_redirect(r, "/login");
		return;
	}
	if (r->cx.actor.kind == AUTH_COOKIE &&
	    !csrf_proof_ok(r, kv_get(&kv, "csrf_token"))) {
		csrf_refuse(r);
		return;
	}
	if (r->cx.actor.role == ROLE_MODERATOR) {
		page_redirect(r, next_or_default(next, ROLE_MODERATOR));
		return;
	}
	terms = *field(&kv, "terms") != '\0';
	privacy = *field(&kv, "privacy") != '\0';
	if (!terms || !privacy) {
		consent_page(r, 400, next, !terms, !privacy);
		return;
	}
	if (!acceptance_record_current(&r->cx, "ui")) {
		resp_db_error(r);
		return;
	}
	page_redirect(r, next_or_default(next, r->cx.actor.role));
}

static const struct route routes[] = {
	{ "GET", "/qr", POLICY_PUBLIC, qr_lookup },
	/* Shares rl:qr:ip: with the API; the 429 is the German page. */
	{ "GET", "/qr/{vehicle_id}", POLICY_PUBLIC_QR, qr_show },
	{ "GET", "/blog", POLICY_PUBLIC_MOD, blog_list },
	{ "GET", "/blog/{slug}", POLICY_PUBLIC_MOD, blog_show },
	{ "GET", "/news", POLICY_PUBLIC_MOD, news_list },
	{ "GET", "/news/{slug}", POLICY_PUBLIC_MOD, news_show },
	{ "GET", "/impressum", POLICY_PUBLIC_MOD, impressum },
	{ "GET", "/sitemap.xml", POLICY_PUBLIC_MOD, sitemap },
	{ "GET", "/login", POLICY_PUBLIC_MOD, login_get },
	{ "POST", "/login/code", POLICY_PRESESSION,
	    login_code },
	{ "POST", "/login/verify", POLICY_PRESESSION_W,
	    login_verify },
	{ "POST", "/login/password", POLICY_PRESESSION,
	    login_password },
	{ "GET", "/register", POLICY_PUBLIC_MOD, register_get },
	{ "POST", "/register", POLICY_PRESESSION,
	    register_post },
	/* The form carries the CSRF token; the handler checks it. */
	{ "POST", "/logout", POLICY_PRESESSION_W, logout },
	{ "GET", "/consent", POLICY_PUBLIC_MOD, consent_get },
	{ "POST", "/consent", POLICY_PRESESSION_W, consent_post },
};

APP_MAIN("site", routes, page_error)
