#!/usr/bin/perl
# The public pages through a real lighttpd: the static pages of
# frontend.md 5 (titles, one <h1>, the contact form's names), robots.txt,
# /impressum from config, /blog/ and /news/ with their articles (escaping,
# drafts hidden, German 404, 301 without the slash, ETag and 304) and the
# sitemap (published articles only).
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(sq);
use Encode qw(decode_utf8);
use Test::More;

my $srv = LTC->new_lighttpd;

sub page { my $r = $srv->get(@_); $r->{html} = decode_utf8($r->{body}); $r }
sub h1_count { my ($h) = @_; my @m = $h =~ /<h1[ >]/g; scalar @m }

my %static = (
	'/' => 'Digitales Fahrzeug-Serviceheft', '/eintritt.html' => 'Eintritt',
	'/faq.html' => 'FAQ', '/jobs.html' => 'Jobs', '/kontakt.html' => 'Kontakt',
	'/kontakt-danke.html' => 'Danke', '/datenschutz.html' => 'Datenschutz',
	'/agb.html' => 'AGB', '/cookies.html' => 'Cookies',
);
for my $p (sort keys %static) {
	my $r = page($p);
	is($r->{status}, 200, "$p: 200");
	like($r->{html}, qr{<title>\Q$static{$p}\E – LifeTimeCircle</title>}, "$p: title");
	is(h1_count($r->{html}), 1, "$p: exactly one <h1>");
	unlike($r->{html}, qr{<script|<style|\son[a-z]+=|style=}i, "$p: no inline script, style or handler");
	like($r->{html}, qr{<body>\n<a class="skip-link" href="#main">}, "$p: the skip link comes first");
}

my $h = page('/')->{html};
like($h, qr{<a class="button" href="/eintritt.html">Eintritt</a>}, 'landing: the Eintritt button');
$h = page('/eintritt.html')->{html};
like($h, qr{href="/login\?next=%2Fapp%2Fonboarding.html">Weiter als Privat</a>}, 'Eintritt: Privat');
like($h, qr{href="/login\?next=%2Fapp%2F">Weiter als Gewerblich</a>}, 'Eintritt: Gewerblich');
like($h, qr{href="/register">Lieber mit Passwort\? Jetzt registrieren</a>}, 'Eintritt: register link');
$h = page('/faq.html')->{html};
my ($main) = $h =~ m{<main id="main" tabindex="-1">(.*)</main>}s;
my @q = $main =~ /<h2[^>]*>/g;
is(scalar @q, 7, 'FAQ: seven questions');
like($h, qr{<h2 id="trust-ampel">Bewertet die Trust-Ampel den technischen Zustand\?</h2>\n<p>Nein\. Die Trust-Ampel bewertet ausschließlich},
    'FAQ: the disclaimer answer');
$h = page('/kontakt.html')->{html};
for my $f (['kontakt-topic', 'topic'], ['kontakt-message', 'message'], ['kontakt-reply-to', 'reply_to'],
    ['kontakt-website', 'website']) {
	like($h, qr{<label for="$f->[0]">}, "Kontakt: $f->[0] labelled");
	like($h, qr{id="$f->[0]" name="$f->[1]"}, "Kontakt: $f->[0] named $f->[1]");
}
like($h, qr{<form method="post" action="/api/support/feedback">}, 'Kontakt: the plain form post');
my $r = $srv->post('/api/support/feedback', body => 'topic=frage&message=Hallo&website=',
    headers => { 'Content-Type' => 'application/x-www-form-urlencoded', Origin => $srv->base });
is($r->{status}, 303, 'Kontakt: the form post answers 303');
is($r->{headers}{location}, '/kontakt-danke.html', '... to the thanks page');
like(page('/kontakt-danke.html')->{html}, qr{Danke, deine Nachricht ist angekommen\.}, 'Danke: the sentence');
like(page('/datenschutz.html')->{html}, qr{Version v1}, 'Datenschutz: version');
like(page('/agb.html')->{html}, qr{Version v1}, 'AGB: version');
like(page('/cookies.html')->{html}, qr{<td><code>ltc_session</code></td><td>Notwendig</td>}, 'Cookies: the one row');
$r = $srv->get('/robots.txt');
is($r->{status}, 200, 'robots.txt');
like($r->{body}, qr{Disallow: /app/}, 'robots.txt keeps crawlers out of the app');

# ---- /impressum ------------------------------------------------------------
$h = page('/impressum')->{html};
like($h, qr{Die Anbieterangaben werden für diese Installation noch ergänzt\.}, 'Impressum: no operator data yet');
$srv->set_conf(imprint_name => 'Muster <GmbH>', imprint_address => 'Weg 1\n12345 Ort',
    imprint_email => 'info@example.org', imprint_vat_id => 'DE123');
$r = page('/impressum');
$h = $r->{html};
like($h, qr{<h2 id="imp-anbieter">Angaben gemäß § 5 DDG</h2>\n<p>Muster &lt;GmbH&gt;<br>\nWeg 1<br>\n12345 Ort</p>},
    'Impressum: escaped, line breaks kept');
like($h, qr{<h2 id="imp-ust">Umsatzsteuer-ID</h2>}, 'Impressum: VAT section');
unlike($h, qr{Registereintrag}, 'Impressum: empty sections omitted');
is($r->{headers}{'cache-control'}, 'public, max-age=300', 'Impressum: cacheable');

# ---- blog and news -----------------------------------------------------------
my $n = 0;
sub article {
	my (%o) = @_;
	$n++;
	$srv->_insert('cms_articles', article_id => sprintf('00000000-0000-4000-8000-%012d', $n),
	    content_type => $o{type} // 'blog', slug => $o{slug}, title => $o{title} // "Titel $n",
	    excerpt => $o{excerpt} // 'Kurz', content_md => $o{md} // "Text $n",
	    workflow_state => $o{state} // 'published', author_user_id => 'system',
	    published_at => ($o{state} // 'published') eq 'published' ? '2026-02-03T10:00:00.000000Z' : undef,
	    created_at => '2026-02-01T10:00:00.000000Z', updated_at => '2026-02-03T10:00:00.000000Z');
}
article(slug => 'xss-test', title => '<script>alert(1)</script>', excerpt => '"><img src=x onerror=alert(1)>',
    md => "**<b>fett</b>**\n\n- <i>a</i>\n\n<script>x()</script>");
article(slug => 'geheimer-entwurf', title => 'Entwurf', state => 'draft');
article(type => 'news', slug => 'neu', title => 'Neuigkeit');

$r = $srv->get('/blog');
is($r->{status}, 301, '/blog: 301');
is($r->{headers}{location}, '/blog/', '... to /blog/');
$r = page('/blog/');
is($r->{status}, 200, '/blog/: 200');
$h = $r->{html};
like($h, qr{<h1>Blog</h1>\n<p class="subline">Neueste Artikel über Fahrzeugdokumentation und digitale Nachweise</p>},
    'blog: heading and intro');
like($h, qr{<ul class="articles" aria-label="Artikelliste">}, 'blog: the list');
like($h, qr{<a href="/blog/xss-test">&lt;script&gt;alert\(1\)&lt;/script&gt;</a>}, 'blog: title escaped');
like($h, qr{&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;}, 'blog: excerpt escaped');
unlike($h, qr{<script>|<img }, 'blog: no injected markup');
unlike($h, qr{geheimer-entwurf}, 'blog: drafts hidden');
like($h, qr{<time datetime="2026-02-03">03\.02\.2026</time>}, 'blog: article date');
ok(defined $r->{headers}{etag}, 'blog: ETag');
my $r2 = $srv->get('/blog/', headers => { 'If-None-Match' => $r->{headers}{etag} });
is($r2->{status}, 304, 'blog: 304 for the same ETag');
is($r2->{body}, '', '... without a body');

$r = page('/blog/xss-test');
is($r->{status}, 200, 'article: 200');
$h = $r->{html};
like($h, qr{<title>&lt;script&gt;alert\(1\)&lt;/script&gt; – LifeTimeCircle</title>}, 'article: title');
like($h, qr{<meta name="description" content="&quot;&gt;&lt;img}, 'article: meta description escaped');
like($h, qr{<link rel="canonical" href="/blog/xss-test">}, 'article: canonical link');
like($h, qr{<a href="/blog/">← Zurück zum Blog</a>}, 'article: back link');
like($h, qr{<h2>&lt;b&gt;fett&lt;/b&gt;</h2>}, 'article: markdown-light heading, escaped');
like($h, qr{<li>&lt;i&gt;a&lt;/i&gt;</li>}, 'article: list item escaped');
unlike($h, qr{<script>|<b>|<i>}, 'article: body inert');
is(h1_count($h), 1, 'article: one <h1>');
for my $p ('/blog/geheimer-entwurf', '/blog/nope', '/blog/neu') {
	$r = page($p);
	is($r->{status}, 404, "$p: 404");
	like($r->{html}, qr{<h1>Artikel nicht gefunden</h1>}, "$p: Artikel nicht gefunden");
}
$r = page('/blog/%3Cscript%3E');
is($r->{status}, 404, 'injected slug: 404');
unlike($r->{html}, qr{<script>}, 'injected slug: inert');
$h = page('/news/')->{html};
like($h, qr{<h1>News</h1>}, 'news: heading');
like($h, qr{<a href="/news/neu">Neuigkeit</a>}, 'news: its article');
like(page('/news/neu')->{html}, qr{← Zurück zu News}, 'news article: back link');

# ---- sitemap -------------------------------------------------------------------
$r = $srv->get('/sitemap.xml');
is($r->{status}, 200, 'sitemap: 200');
like($r->{headers}{'content-type'}, qr{^application/xml}, 'sitemap: XML');
like($r->{body}, qr{<loc>[^<]*/blog/xss-test</loc>}, 'sitemap: published blog article');
like($r->{body}, qr{<loc>[^<]*/news/neu</loc>}, 'sitemap: published news article');
like($r->{body}, qr{<loc>[^<]*/faq\.html</loc>}, 'sitemap: static pages');
unlike($r->{body}, qr{geheimer-entwurf}, 'sitemap: no drafts');

done_testing;
