/* page.c: see page.h. */
#include <stdbool.h>
#include <string.h>

#include "http/html.h"
#include "http/page.h"
#include "http/response.h"
#include "domain/ampel.h"

/*
 * The main navigation (frontend.md 2). Each href starts with the literal
 * "/" of the format: no URL attribute starts with data (check-html).
 */
static const struct {
	const char	*path;		/* href without its leading "/" */
	const char	*text;
	bool		 pill;
} nav[] = {
	{ "", "Start", false },
	{ "faq.html", "FAQ", false },
	{ "blog/", "Blog", false },
	{ "news/", "News", false },
	{ "kontakt.html", "Kontakt", false },
	{ "login", "Anmelden", true },
};

void
page_begin(struct buf *b, const struct page_opts *o)
{
	size_t i;

	html_printf(b, "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>%s%s</title>\n",
	    o->title, o->raw_title ? "" : " – LifeTimeCircle");
	if (o->description != NULL)
		html_printf(b, "<meta name=\"description\" content=\"%s\">\n",
		    o->description);
	if (o->canonical != NULL)
		html_printf(b, "<link rel=\"canonical\" href=\"/%s\">\n",
		    o->canonical);
	html_printf(b,
	    "<link rel=\"stylesheet\" href=\"/assets/css/site.css\">\n"
	    "</head>\n<body>\n"
	    /* The skip link is the first focusable element of the page. */
	    "<a class=\"skip-link\" href=\"#main\">Zum Inhalt springen</a>\n"
	    "<header>\n<div class=\"container header-inner\">\n"
	    "<a class=\"brand\" href=\"/\">LifeTimeCircle · Service Heft "
	    "4.0</a>\n<nav aria-label=\"Hauptnavigation\">\n<ul>\n");
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		if (nav[i].pill)
			html_printf(b, "<li><a class=\"pill\" href=\"/%s\"",
			    nav[i].path);
		else
			html_printf(b, "<li><a href=\"/%s\"", nav[i].path);
		if (o->nav_current != NULL && o->nav_current[0] == '/' &&
		    strcmp(o->nav_current + 1, nav[i].path) == 0)
			html_printf(b, " aria-current=\"page\"");
		html_printf(b, ">%s</a></li>\n", nav[i].text);
	}
	html_printf(b, "</ul>\n</nav>\n</div>\n</header>\n"
	    "<main id=\"main\" tabindex=\"-1\">\n<div class=\"container\">\n");
}

void
page_end(struct buf *b, const struct page_opts *o)
{
	html_printf(b, "</div>\n</main>\n<footer>\n<div class=\"container\">\n"
	    "<div class=\"footer-groups\">\n"
	    "<section aria-labelledby=\"f-ltc\">\n"
	    "<h2 id=\"f-ltc\">LifeTimeCircle</h2>\n"
	    "<p>Digitales Fahrzeug-Serviceheft: Nachweise statt "
	    "Behauptung.</p>\n</section>\n"
	    "<nav aria-labelledby=\"f-links\">\n"
	    "<h2 id=\"f-links\">Links</h2>\n<ul>\n"
	    "<li><a href=\"/faq.html\">FAQ</a></li>\n"
	    "<li><a href=\"/jobs.html\">Jobs</a></li>\n"
	    "<li><a href=\"/blog/\">Blog</a></li>\n"
	    "<li><a href=\"/news/\">News</a></li>\n</ul>\n</nav>\n"
	    "<nav aria-labelledby=\"f-recht\">\n"
	    "<h2 id=\"f-recht\">Rechtliches</h2>\n<ul>\n"
	    "<li><a href=\"/impressum\">Impressum</a></li>\n"
	    "<li><a href=\"/datenschutz.html\">Datenschutz</a></li>\n"
	    "<li><a href=\"/agb.html\">AGB</a></li>\n"
	    "<li><a href=\"/cookies.html\">Cookies</a></li>\n"
	    "<li><a href=\"/consent\">Zustimmung</a></li>\n"
	    "<li><a href=\"/kontakt.html\">Kontakt</a></li>\n</ul>\n</nav>\n"
	    "<section aria-labelledby=\"f-ampel\">\n"
	    "<h2 id=\"f-ampel\">Trust-Ampel Hinweis</h2>\n");
	if (o->disclaimer_id != NULL)
		/* The page shows it already: the text appears only once. */
		html_printf(b, "<p><a href=\"#%s\">Zum Hinweis auf dieser "
		    "Seite</a></p>\n", o->disclaimer_id);
	else
		html_printf(b, "<p class=\"disclaimer\">%s</p>\n",
		    TRUST_DISCLAIMER);
	html_printf(b, "</section>\n</div>\n"
	    "<p class=\"footer-bottom\">© LifeTimeCircle · Service Heft "
	    "4.0</p>\n</div>\n</footer>\n</body>\n</html>\n");
}

void
page_send(struct req *r, int status, struct buf *b, const char *cache)
{
	resp_html(r, status, b->data != NULL ? b->data : "", b->len, cache);
	buf_free(b);
}

void
page_redirect(struct req *r, const char *location)
{
	resp_html(r, 303, "", 0, "no-store");
	resp_header(r, "Location", location);
}

/* German heading and sentence per status (frontend.md 3, 8). */
static void
error_text(int status, const char **h1, const char **text)
{
	switch (status) {
	case 401:
		*h1 = "Anmeldung erforderlich";
		*text = "Bitte melde dich an, um diese Seite zu sehen.";
		break;
	case 403:
		*h1 = "Kein Zugriff";
		*text = "Du hast keine Berechtigung für diese Seite.";
		break;
	case 404:
		*h1 = "Seite nicht gefunden";
		*text = "Die angeforderte Seite existiert leider nicht.";
		break;
	case 405:
		*h1 = "Methode nicht erlaubt";
		*text = "Diese Seite lässt sich so nicht aufrufen.";
		break;
	case 413:
		*h1 = "Anfrage zu groß";
		*text = "Die gesendeten Daten sind zu groß.";
		break;
	case 400:
	case 414:
	case 422:
	case 431:
		*h1 = "Ungültige Anfrage";
		*text = "Die Anfrage konnte nicht verarbeitet werden.";
		break;
	case 429:
		*h1 = "Zu viele Anfragen";
		*text = "Zu viele Anfragen. Bitte kurz warten und erneut "
		    "versuchen.";
		break;
	default:
		/* 500, and 503 for maintenance, database, schema, busy. */
		*h1 = "Fehler";
		*text = "Der Dienst ist vorübergehend nicht verfügbar.";
		break;
	}
}

void
page_error_build(struct buf *b, int status)
{
	struct page_opts o = { 0 };
	const char *h1, *text;

	error_text(status, &h1, &text);
	o.title = h1;
	page_begin(b, &o);
	html_printf(b, "<h1>%s</h1>\n<p>%s</p>\n", h1, text);
	if (status >= 500)
		html_printf(b, "<p>Bitte versuche es in ein paar Minuten noch "
		    "einmal.</p>\n");
	if (status == 401)
		html_printf(b, "<p><a class=\"button\" href=\"/login\">"
		    "Anmelden</a></p>\n");
	else
		html_printf(b, "<p><a class=\"button\" href=\"/\">"
		    "Zur Startseite</a></p>\n");
	page_end(b, &o);
}

void
page_error(struct req *r, int status, const char *detail)
{
	struct buf b = { 0 };

	(void)detail;	/* codes are never shown to users (frontend.md 7) */
	page_error_build(&b, status);
	page_send(r, status, &b, "no-store");
}

void
page_error_summary(struct buf *b, const struct page_field_error *e,
    size_t n)
{
	size_t i;

	if (n == 0)
		return;
	html_printf(b, "<div class=\"error-summary\" role=\"alert\" "
	    "tabindex=\"-1\" autofocus "
	    "aria-labelledby=\"error-summary-title\">\n"
	    "<h2 id=\"error-summary-title\">Bitte prüfe deine Eingabe</h2>\n"
	    "<ul>\n");
	for (i = 0; i < n; i++)
		html_printf(b, "<li><a href=\"#%s\">%s</a></li>\n",
		    e[i].field_id, e[i].message);
	html_printf(b, "</ul>\n</div>\n");
}

const char *
page_light_label(const char *light)
{
	if (light == NULL)
		return NULL;
	if (strcmp(light, "gruen") == 0)
		return "Grün";
	if (strcmp(light, "gelb") == 0)
		return "Gelb";
	if (strcmp(light, "orange") == 0)
		return "Orange";
	if (strcmp(light, "rot") == 0)
		return "Rot";
	return NULL;
}
