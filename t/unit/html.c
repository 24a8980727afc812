/*
 * t/unit/html.c: TAP tests for the escaping writer (lib/http/html.c) and
 * the shared layout (lib/http/page.c): text and attribute escaping,
 * numbers, URL components, the abort on a conversion html.h does not
 * allow, and the layout's title, navigation and disclaimer.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "http/html.h"
#include "http/page.h"
#include "domain/ampel.h"

/* html_printf() into a fresh buffer, compared with want. */
#define IS(want, desc, ...) do {					\
	struct buf b_ = { 0 };						\
	html_printf(&b_, __VA_ARGS__);					\
	if (!ok(b_.data != NULL && strcmp(b_.data, want) == 0, desc))	\
		printf("# got \"%s\"\n# want \"%s\"\n",			\
		    b_.data != NULL ? b_.data : "(null)", want);	\
	buf_free(&b_);							\
} while (0)

static void
test_text(void)
{
	const char *volatile none = NULL;	/* hidden from -Wformat */

	IS("&amp; &lt; &gt; &quot; &#39;", "text: & < > \" ' escaped",
	    "%s", "& < > \" '");
	IS("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
	    "text: a tag from data stays text",
	    "<p>%s</p>", "<script>alert(1)</script>");
	IS("&amp;amp;", "text: an entity in data is escaped again",
	    "%s", "&amp;");
	IS("Grün – ß €", "text: UTF-8 passes as it is", "%s", "Grün – ß €");
	IS("<p></p>", "text: NULL writes nothing", "<p>%s</p>", none);
	IS("", "text: empty string", "%s", "");
	IS("a<b>c</b>d", "several conversions in order", "%s<b>%s</b>%s",
	    "a", "c", "d");
}

static void
test_attr(void)
{
	IS("<a title=\"&quot; onmouseover=&quot;x\">",
	    "attribute: a double quote cannot end the value",
	    "<a title=\"%s\">", "\" onmouseover=\"x");
	IS("<a title='&#39; onclick=&#39;x'>",
	    "attribute: a single quote cannot end the value",
	    "<a title='%s'>", "' onclick='x");
	IS("<input value=\"&lt;/form&gt;&amp;\">",
	    "attribute: < > & escaped", "<input value=\"%s\">", "</form>&");
}

static void
test_numbers(void)
{
	IS("-5 7 42", "numbers: %d %i %u", "%d %i %u", -5, 7, 42u);
	IS("-9223372036854775808 9223372036854775807",
	    "numbers: %ld %lld at their limits", "%ld %lld", LONG_MIN,
	    LLONG_MAX);
	IS("18446744073709551615 18446744073709551615 4294967295",
	    "numbers: %lu %llu %u at their limits", "%lu %llu %u",
	    ULONG_MAX, ULLONG_MAX, UINT_MAX);
	IS("-1 18446744073709551615", "numbers: %zd %zu", "%zd %zu",
	    (ssize_t)-1, SIZE_MAX);
	IS("100% <b>", "%% is a percent sign", "%d%% <b>", 100);
	IS("<p class=\"x\">Prüfen</p>\n", "a format without conversions "
	    "is written as it is", "<p class=\"x\">Prüfen</p>\n");
}

static void
test_url(void)
{
	struct arena a = { 0 };

	ok(strcmp(html_url(&a, "AZaz09-._~"), "AZaz09-._~") == 0,
	    "url: unreserved characters kept");
	ok(strcmp(html_url(&a, ":/?#[]@!$&'()*+,;="),
	    "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D") == 0,
	    "url: every reserved character percent-encoded");
	ok(strcmp(html_url(&a, "a b%c\"<>"), "a%20b%25c%22%3C%3E") == 0,
	    "url: space, %, \" < > encoded");
	ok(strcmp(html_url(&a, "Grün"), "Gr%C3%BCn") == 0,
	    "url: UTF-8 kept as its bytes");
	ok(strcmp(html_url(&a, "\x01\x7f\xff"), "%01%7F%FF") == 0,
	    "url: control and high bytes, upper-case hex");
	ok(strcmp(html_url(&a, ""), "") == 0 && strcmp(html_url(&a, NULL),
	    "") == 0, "url: empty and NULL give \"\"");
	IS("<a href=\"/qr/javascript%3Aalert%281%29\">",
	    "url: a component cannot change the scheme",
	    "<a href=\"/qr/%s\">", html_url(&a, "javascript:alert(1)"));
	IS("<a href=\"/s?q=a%26b%3Dc\">", "url: a query value stays one value",
	    "<a href=\"/s?q=%s\">", html_url(&a, "a&b=c"));
	arena_free(&a);
}

/* Runs html_printf(fmt) in a child: did it abort? */
#define ABORTS(desc, ...) do {						\
	pid_t pid_;							\
	int st_ = 0;							\
									\
	fflush(stdout);							\
	if ((pid_ = fork()) == 0) {					\
		struct buf b_ = { 0 };					\
		int fd_ = open("/dev/null", O_WRONLY);			\
									\
		if (fd_ != -1)						\
			dup2(fd_, 2);					\
		html_printf(&b_, __VA_ARGS__);				\
		_exit(0);						\
	}								\
	waitpid(pid_, &st_, 0);						\
	ok(pid_ > 0 && WIFSIGNALED(st_) && WTERMSIG(st_) == SIGABRT,	\
	    desc);							\
} while (0)

static void
test_refused(void)
{
	ABORTS("%x aborts", "<p>%x</p>", 255u);
	ABORTS("a width aborts", "<p>%5d</p>", 1);
	ABORTS("a precision aborts", "<p>%.3s</p>", "abcdef");
	ABORTS("%c aborts", "<p>%c</p>", 'x');
	ABORTS("%ls aborts", "<p>%ls</p>", L"x");
}

#define MAIN_OPEN "<main id=\"main\" tabindex=\"-1\">\n" \
	"<div class=\"container\">\n"

static void
test_layout(void)
{
	struct page_opts o = { .title = "<Seite> & Co",
	    .nav_current = "/faq.html" };
	struct buf b = { 0 };
	const char *p;

	page_begin(&b, &o);
	ok(strncmp(b.data, "<!DOCTYPE html>\n<html lang=\"de\">\n", 33) == 0,
	    "layout: doctype and lang");
	ok(strstr(b.data, "<title>&lt;Seite&gt; &amp; Co – LifeTimeCircle"
	    "</title>") != NULL, "layout: title escaped, with the suffix");
	ok(strstr(b.data, "<li><a href=\"/faq.html\" aria-current=\"page\">"
	    "FAQ</a></li>\n") != NULL, "layout: the current page marked");
	p = strstr(b.data, "aria-current");
	ok(p != NULL && strstr(p + 1, "aria-current") == NULL,
	    "layout: only one link marked");
	ok(strstr(b.data, "<li><a class=\"pill\" href=\"/login\">Anmelden"
	    "</a></li>\n") != NULL, "layout: Anmelden pill");
	ok(strlen(b.data) > strlen(MAIN_OPEN) && strcmp(b.data +
	    strlen(b.data) - strlen(MAIN_OPEN), MAIN_OPEN) == 0,
	    "layout: head ends inside main's container");
	page_end(&b, &o);
	p = strstr(b.data, "<p class=\"disclaimer\">");
	ok(p != NULL && strncmp(p + 22, TRUST_DISCLAIMER,
	    strlen(TRUST_DISCLAIMER)) == 0 && strncmp(p + 22 +
	    strlen(TRUST_DISCLAIMER), "</p>", 4) == 0,
	    "layout: footer with the full disclaimer");
	buf_free(&b);

	o = (struct page_opts){ .title = "LTC", .raw_title = true,
	    .disclaimer_id = "hinweis" };
	page_begin(&b, &o);
	page_end(&b, &o);
	ok(strstr(b.data, "<title>LTC</title>") != NULL,
	    "layout: raw title without suffix");
	ok(strstr(b.data, "aria-current") == NULL,
	    "layout: no current page, nothing marked");
	ok(strstr(b.data, "<p><a href=\"#hinweis\">Zum Hinweis auf dieser "
	    "Seite</a></p>") != NULL && strstr(b.data, TRUST_DISCLAIMER) ==
	    NULL, "layout: the footer links to the page's own disclaimer");
	buf_free(&b);

	page_error_build(&b, 404);
	ok(strstr(b.data, "<title>Seite nicht gefunden – LifeTimeCircle"
	    "</title>") != NULL && strstr(b.data, "<h1>Seite nicht gefunden"
	    "</h1>\n<p>Die angeforderte Seite existiert leider nicht.</p>\n")
	    != NULL, "error page 404");
	buf_free(&b);
}

int
main(void)
{
	test_text();
	test_attr();
	test_numbers();
	test_url();
	test_refused();
	test_layout();
	return done_testing();
}
