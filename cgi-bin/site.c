/*
 * site: the server-rendered HTML pages (frontend.md 3). The web server
 * maps /qr/... (and later /login, /blog, ...) to this CGI with
 * PATH_INFO=/qr/...; every error the dispatcher answers comes out as a
 * German page through page_error().
 *
 *   GET /qr              lookup form (frontend.md 3.2)
 *   GET /qr/{vehicle_id} public vehicle check (frontend.md 3.1)
 *
 * The check page shows what GET /api/public/qr/{id} answers, built by
 * the same trustsummary_public(), and shares its rate limit.
 */
#include <string.h>

#include "http/app.h"
#include "base/config.h"
#include "http/html.h"
#include "http/page.h"
#include "http/response.h"
#include "domain/ampel.h"
#include "domain/trustsummary.h"

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

static const struct route routes[] = {
	{ "GET", "/qr", POLICY_PUBLIC, qr_lookup },
	/* Shares rl:qr:ip: with the API; the 429 is the German page. */
	{ "GET", "/qr/{vehicle_id}", POLICY_PUBLIC_QR, qr_show },
};

int
main(void)
{
	return app_run(&(struct app){ "site", routes, NROUTES(routes),
	    page_error });
}
