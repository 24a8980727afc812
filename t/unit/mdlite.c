/*
 * Unit tests of the markdown-light renderer (domain.md 17.2): each rule,
 * the edges between them, the seed article shape, and markup that must
 * come out as inert text.
 */
#include <stdio.h>
#include <string.h>

#include "http/mdlite.h"
#include "http/html.h"
#include "tap.h"

static int
renders(const char *md, const char *want, const char *desc)
{
	struct buf b = { 0 };
	int r;

	mdlite_render(&b, md, strlen(md));
	r = ok(strcmp(b.data != NULL ? b.data : "", want) == 0, desc);
	if (!r)
		printf("# got:  [%s]\n# want: [%s]\n",
		    b.data != NULL ? b.data : "", want);
	buf_free(&b);
	return r;
}

static void
rule1_blocks(void)
{
	renders("", "", "empty input renders nothing");
	renders(" \n\t\n  \r\n", "", "only blank lines render nothing");
	renders("eins", "<p>eins</p>\n", "one paragraph");
	renders("eins\n\nzwei", "<p>eins</p>\n<p>zwei</p>\n",
	    "a blank line separates blocks");
	renders("eins\n\n\n\nzwei", "<p>eins</p>\n<p>zwei</p>\n",
	    "several blank lines are one separator");
	renders("eins\r\n\r\nzwei\r\ndrei", "<p>eins</p>\n<p>zwei drei</p>\n",
	    "\\r\\n is normalised to \\n");
	renders("eins\n  \t \nzwei", "<p>eins</p>\n<p>zwei</p>\n",
	    "a line of spaces and tabs is blank");
	renders("\n\n   eins   \n\n", "<p>eins</p>\n",
	    "each block is trimmed, empty blocks dropped");
	renders("a\rb", "<p>a\rb</p>\n", "a lone \\r stays text");
}

static void
rule2_heading(void)
{
	renders("**Titel**", "<h2>Titel</h2>\n", "**text** is an h2");
	renders("  **Titel**  ", "<h2>Titel</h2>\n",
	    "the block is trimmed before the heading test");
	renders("**a** und **b**", "<h2>a** und **b</h2>\n",
	    "one line from ** to ** is one heading (no inline markup)");
	renders("**Titel**\nmehr", "<p>**Titel** mehr</p>\n",
	    "a two-line block is not a heading");
	renders("****", "<p>****</p>\n", "empty heading text: a paragraph");
	renders("**", "<p>**</p>\n", "** alone is a paragraph");
	renders("**offen", "<p>**offen</p>\n", "unclosed ** is a paragraph");
	renders("Text mit **fett** mitten", "<p>Text mit **fett** mitten</p>\n",
	    "** inside a paragraph stays literal");
}

static void
rule3_list(void)
{
	renders("- a\n- b\n- c", "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n"
	    "</ul>\n", "every line \"- \": a list");
	renders("- eins", "<ul>\n<li>eins</li>\n</ul>\n", "a one-item list");
	renders("- a\nb", "<p>- a b</p>\n", "a line without \"- \": paragraph");
	renders("-a\n-b", "<p>-a -b</p>\n", "\"-\" without a space is no item");
	renders("- a\n - b", "<p>- a  - b</p>\n",
	    "an indented later line is no item");
	renders("-", "<p>-</p>\n", "a bare dash is a paragraph");
	renders("- a\n- \n- c", "<ul>\n<li>a</li>\n<li></li>\n<li>c</li>\n"
	    "</ul>\n", "an empty item inside a list is kept");
	renders("- **fett**", "<ul>\n<li>**fett**</li>\n</ul>\n",
	    "no inline markup in items");
}

static void
rule4_paragraph(void)
{
	renders("eins\nzwei\ndrei", "<p>eins zwei drei</p>\n",
	    "lines joined with one space");
	renders("Datenpflege = bessere Trust-Stufe & Verkaufswert.",
	    "<p>Datenpflege = bessere Trust-Stufe &amp; Verkaufswert.</p>\n",
	    "& is escaped");
}

static void
seed_shape(void)
{
	renders("Intro Satz.\n\n**Die vier Stufen**\n\n- Grün: gut.\n"
	    "- Rot: blockiert.\n\n**Was die Ampel nicht ist**\n\nSchluss.",
	    "<p>Intro Satz.</p>\n<h2>Die vier Stufen</h2>\n<ul>\n"
	    "<li>Grün: gut.</li>\n<li>Rot: blockiert.</li>\n</ul>\n"
	    "<h2>Was die Ampel nicht ist</h2>\n<p>Schluss.</p>\n",
	    "a seed article: paragraph, headings, list");
}

static void
injection(void)
{
	renders("<script>alert(1)</script>",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
	    "a script tag is text");
	renders("**<img src=x onerror=alert(1)>**",
	    "<h2>&lt;img src=x onerror=alert(1)&gt;</h2>\n",
	    "markup in a heading is text");
	renders("- <a href=\"javascript:alert(1)\">x</a>",
	    "<ul>\n<li>&lt;a href=&quot;javascript:alert(1)&quot;&gt;"
	    "x&lt;/a&gt;</li>\n</ul>\n", "a javascript: link in an item is text");
	renders("[klick](javascript:alert(1))",
	    "<p>[klick](javascript:alert(1))</p>\n",
	    "markdown links are not links");
	renders("\" onmouseover=\"alert(1)\" x='y'",
	    "<p>&quot; onmouseover=&quot;alert(1)&quot; x=&#39;y&#39;</p>\n",
	    "quotes that would break an attribute are escaped");
	renders("</p><p>", "<p>&lt;/p&gt;&lt;p&gt;</p>\n",
	    "closing tags are text");
	renders("&lt;b&gt;", "<p>&amp;lt;b&amp;gt;</p>\n",
	    "entities are escaped again, never decoded");
	renders("<!-- x -->\n\n<style>p{}</style>",
	    "<p>&lt;!-- x --&gt;</p>\n<p>&lt;style&gt;p{}&lt;/style&gt;</p>\n",
	    "comments and style tags are text");
}

int
main(void)
{
	rule1_blocks();
	rule2_heading();
	rule3_list();
	rule4_paragraph();
	seed_shape();
	injection();
	return done_testing();
}
