#!/usr/bin/perl
# The server-rendered public check (frontend.md 3.1, 3.2) through a real
# lighttpd: /qr/{vehicle_id} content and order, labels, escaping, the
# disclaimer exactly once, headers, the /qr/ lookup form with its 303 and
# error re-render, the moderator's German 403 page and the German error
# pages of the site CGI (404, 405, 500, 503).
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir);
use Encode qw(decode_utf8);
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => '2026-03-01T10:00:00Z');

my $DISCLAIMER = 'Die Trust-Ampel bewertet ausschließlich die Dokumentations- und '
    . 'Nachweisqualität. Sie ist keine Aussage über den technischen Zustand des Fahrzeugs.';
my $CSP_HTML = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    . "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    . "form-action 'self'; frame-ancestors 'none'";

# ---- fixtures (rows written directly; the harness quotes as hex) --------

# A vehicle with meta, entries [level, ...] and documents
# [[approval, scan, pii], ...]; returns its public id.
sub vehicle {
	my (%o) = @_;
	my $id = $srv->vehicle_row(meta => $o{meta}, deleted => $o{deleted});
	$srv->entry_row(vehicle => $id, level => $_) for @{ $o{entries} // [] };
	for my $d (@{ $o{docs} // [] }) {
		my ($approval, $scan, $pii) = @$d;
		$srv->document_row(vehicle => $id, approval => $approval, scan => $scan, pii => $pii);
	}
	return $id;
}
sub session { $srv->session_row(@_) }

# ---- HTML helpers (regexes over our own, line-oriented markup) ------------

sub page { my $r = $srv->get(@_); $r->{html} = decode_utf8($r->{body}); $r }
sub main_of { my ($h) = @_; $h =~ m{<main id="main" tabindex="-1">(.*)</main>}s ? $1 : '' }
sub text_of { my ($h) = @_; $h =~ s/<[^>]*>/ /g; $h =~ s/&lt;/</g; $h =~ s/&gt;/>/g; $h =~ s/&quot;/"/g;
	$h =~ s/&#39;/'/g; $h =~ s/&amp;/&/g; $h =~ s/\s+/ /g; $h }
sub facts {
	my ($h) = @_;
	my %f;
	$f{$1} = $2 while $h =~ m{<dt>([^<]*)</dt><dd>([^<]*)</dd>}g;
	return \%f;
}
sub in_order {
	my ($h, $name, @needles) = @_;
	my $pos = -1;
	for my $n (@needles) {
		my $p = index($h, $n, $pos + 1);
		if ($p < 0 || $p <= $pos) {
			fail("$name: '$n' after the previous item");
			return;
		}
		$pos = $p;
	}
	pass("$name: " . scalar(@needles) . ' items in order');
}

# The layout of frontend.md 2 and the headers of security.md 10.
sub layout_ok {
	my ($r, $name, $title) = @_;
	my $cache = @_ > 3 ? $_[3] : 'no-store';	# undef: the web server sends none
	my $h = $r->{html};
	is($r->{headers}{'content-type'}, 'text/html; charset=utf-8', "$name: text/html");
	is($r->{headers}{'content-security-policy'}, $CSP_HTML, "$name: HTML CSP");
	is($r->{headers}{'cache-control'}, $cache, "$name: Cache-Control " . ($cache // 'none'));
	is($r->{headers}{'x-content-type-options'}, 'nosniff', "$name: nosniff");
	is($r->{headers}{'x-frame-options'}, 'DENY', "$name: X-Frame-Options");
	like($h, qr{^<!DOCTYPE html>\n<html lang="de">}, "$name: lang=de");
	like($h, qr{<meta charset="utf-8">}, "$name: charset");
	like($h, qr{<meta name="viewport" content="width=device-width, initial-scale=1">}, "$name: viewport");
	like($h, qr{<title>\Q$title\E – LifeTimeCircle</title>}, "$name: title");
	my ($first) = $h =~ m{<body>\s*(<(?:a|input|button|select|textarea)\b[^>]*>)};
	is($first, '<a class="skip-link" href="#main">', "$name: skip link is the first focusable element");
	like($h, qr{<header>.*<a class="brand" href="/">LifeTimeCircle · Service Heft 4\.0</a>}s, "$name: brand link");
	my ($nav) = $h =~ m{<nav aria-label="Hauptnavigation">(.*?)</nav>}s;
	ok(defined $nav, "$name: nav Hauptnavigation");
	is_deeply([ ($nav // '') =~ m{<a[^>]*href="([^"]*)"[^>]*>([^<]*)</a>}g ],
	    [ '/', 'Start', '/faq.html', 'FAQ', '/blog/', 'Blog', '/news/', 'News', '/kontakt.html', 'Kontakt',
	    '/login', 'Anmelden' ], "$name: nav items");
	like($nav // '', qr{<a class="pill" href="/login">Anmelden</a>}, "$name: Anmelden pill");
	is(() = $h =~ /<main\b/g, 1, "$name: one main");
	like($h, qr{<main id="main" tabindex="-1">}, "$name: main#main tabindex=-1");
	is(() = $h =~ /<h1[ >]/g, 1, "$name: exactly one h1");
	my ($foot) = $h =~ m{<footer>(.*)</footer>}s;
	is_deeply([ ($foot // '') =~ m{<h2[^>]*>([^<]*)</h2>}g ],
	    [ 'LifeTimeCircle', 'Links', 'Rechtliches', 'Trust-Ampel Hinweis' ], "$name: four footer groups");
	like($foot // '', qr{© LifeTimeCircle · Service Heft 4\.0}, "$name: footer bottom line");
	unlike($h, qr{<script|<style|\sstyle=|\son[a-z]+=}i, "$name: no inline script, style or handlers");
	like($h, qr{<link rel="stylesheet" href="/assets/css/site\.css">}, "$name: the shared stylesheet");
}

# ---- a known vehicle: the content of frontend.md 3.1, in order -----------

my $golf = vehicle(meta => { nickname => 'Familienkombi', accident_status => 'accident_free',
    vehicle_class => 'pkw', make => 'VW', model => 'Golf', year => 2014, drivetrain => 'diesel' },
    entries => [ 'T3' ]);
my $r = page("/qr/$golf");
is($r->{status}, 200, 'known vehicle: 200');
layout_ok($r, 'qr page', 'Fahrzeug-Check');
my $h = $r->{html};
my $main = main_of($h);
in_order($main, 'qr page content',
    '<h1>Fahrzeug-Check</h1>',
    'Öffentlicher Mini-Check zur Dokumentationsqualität',
    '<section', 'Trust-Ampel</h2>',
    '<span class="ampel ampel-gruen" role="img" aria-label="Trust-Ampel: Grün"></span>',
    'Trust-Ampel: Grün</',
    '<p>Dokumentation ist vollständig nachweisbar.</p>',
    '<dl class="facts">', '<dt>Historie</dt>', '<dt>Nachweise</dt>', '<dt>Verifizierung</dt>', '<dt>Unfallstatus</dt>',
    'Fahrzeug</h2>', '<dt>Fahrzeugklasse</dt>', '<dt>Marke</dt>', '<dt>Modell</dt>', '<dt>Baujahr</dt>',
    '<dt>Antrieb</dt>', '<dt>FIN (maskiert)</dt>',
    'Hinweis</h2>', $DISCLAIMER,
    '>Zur Startseite</a>', '<a href="/faq.html#trust-ampel">Was ist die Trust-Ampel?</a>');
my ($sec_id) = $main =~ m{<section[^>]*aria-labelledby="([^"]+)"[^>]*>\s*<h2 id="\1">Trust-Ampel</h2>};
ok($sec_id, 'section Trust-Ampel is aria-labelledby its heading');
like($main, qr{<section[^>]*aria-labelledby="([^"]+)"[^>]*>\s*<h2 id="\1">Fahrzeug</h2>}, 'section Fahrzeug labelled by its heading');
like($main, qr{<h2 id="([^"]+)">Hinweis</h2>\s*<p class="disclaimer">\Q$DISCLAIMER\E</p>}, 'disclaimer box with heading Hinweis');
is_deeply(facts($main), { Historie => 'vorhanden', Nachweise => 'vorhanden', Verifizierung => 'hoch',
    Unfallstatus => 'Unfallfrei', Fahrzeugklasse => 'Pkw', Marke => 'VW', Modell => 'Golf', Baujahr => '2014',
    Antrieb => 'Diesel', 'FIN (maskiert)' => 'WVW***0001' }, 'facts with German labels');
is(() = $h =~ /\Q$DISCLAIMER\E/g, 1, 'disclaimer exactly once on the whole page');
like($h, qr{<footer>.*<a href="#[^"]+">[^<]*Hinweis[^<]*</a>}s, 'footer points to the page\'s disclaimer instead');
my $public = $main;
$public =~ s{<section[^>]*aria-labelledby="fahrzeug".*?</section>}{}s;
unlike(text_of($public), qr/[0-9]/, 'no digit outside the vehicle facts (no counts, dates, km)');
unlike($h, qr/Familienkombi|Notiz-Geheim|123456|rechnung|\Q$golf\E/, 'no nickname, notes, km, files or ids');
my $owner = $srv->sqlite("SELECT owner_user_id FROM vehicles WHERE public_id = '$golf'");
unlike($h, qr/\Q$owner\E/, 'no owner id');
unlike($h, qr/reason|_missing|_cap_|t3_|href="[^"]*(download|documents)/i, 'no reason codes, no document links');

# The page and GET /api/public/qr agree (same trustdata_public()).
my %light = (gruen => 'Grün', gelb => 'Gelb', orange => 'Orange', rot => 'Rot');
my @cases = (
	[ 'green', $golf ],
	[ 'yellow', vehicle(meta => { accident_status => 'none' }, entries => [ 'T1' ]) ],
	[ 'orange', vehicle(meta => { accident_status => 'unknown', vehicle_class => 'anhaenger',
	    drivetrain => 'gas' }, entries => [ 'T2' ]) ],
	[ 'red', vehicle(meta => { accident_status => 'accident_free' }, entries => [ 'T3' ],
	    docs => [ [ 'APPROVED', 'CLEAN', 'SUSPECTED' ] ]) ],
	[ 'unknown id', 'e2e0a1b2-0000-4000-8000-000000000000' ],
);
my %seen;
for my $c (@cases) {
	my ($name, $id) = @$c;
	my $api = $srv->get("/api/public/qr/$id")->{json};
	my $p = page("/qr/$id");
	my $m = main_of($p->{html});
	my $label = $light{ $api->{trust_light} };
	$seen{ $api->{trust_light} }++;
	is($p->{status}, 200, "$name: 200");
	like($m, qr{<span class="ampel ampel-$api->{trust_light}" role="img" aria-label="Trust-Ampel: $label"></span>\s*<strong>Trust-Ampel: $label</strong>},
	    "$name: indicator and text label $label");
	like($m, qr{<p>\Q$api->{hint}\E</p>}, "$name: the API's hint");
	my $f = facts($m);
	(my $hs = $api->{history_status}) =~ tr/_/ /;
	(my $es = $api->{evidence_status}) =~ tr/_/ /;
	is_deeply([ @$f{qw(Historie Nachweise Verifizierung Unfallstatus)} ],
	    [ $hs, $es, $api->{verification_level}, $api->{accident_status_label} ], "$name: status list = API");
	is(scalar(() = $p->{html} =~ /\Q$DISCLAIMER\E/g), 1, "$name: disclaimer once");
	if (defined $api->{vehicle}) {
		like($m, qr{Fahrzeug</h2>}, "$name: vehicle section");
	} else {
		unlike($m, qr{Fahrzeug</h2>|Fahrzeugklasse|FIN}, "$name: no vehicle section for an unknown id");
	}
}
is_deeply([ sort keys %seen ], [ sort keys %light ], 'all four lights rendered');
my $f = facts(main_of(page("/qr/$cases[2][1]")->{html}));
is_deeply([ @$f{qw(Fahrzeugklasse Antrieb Marke Modell Baujahr)} ], [ 'Anhänger', 'Gas (LPG/CNG)', '—', '—', '—' ],
    'enum labels of domain.md 3.2; missing values are a dash');

# Deleted and malformed ids: the unknown answer, never 404.
my $gone = vehicle(deleted => 1, meta => { accident_status => 'accident_free', make => 'Opel' }, entries => [ 'T3' ]);
for my $id ($gone, 'kein-fahrzeug', 'a' x 200) {
	$r = page("/qr/$id");
	is($r->{status}, 200, 'unknown/deleted/malformed id: 200, no 404');
	like($r->{html}, qr{aria-label="Trust-Ampel: Orange"}, '... the unknown answer (orange)');
	unlike(main_of($r->{html}), qr{Opel|Fahrzeugklasse}, '... without vehicle facts');
}

# ---- escaping ------------------------------------------------------------

my $evil = vehicle(meta => { accident_status => 'accident_free', make => '<script>alert(1)</script>',
    model => q{"Golf" & 'Co' <b>}, vehicle_class => 'lkw' });
$r = page("/qr/$evil");
is($r->{status}, 200, 'hostile make/model: 200');
unlike($r->{html}, qr{<script|<b>}, 'no markup from data');
$f = facts(main_of($r->{html}));
is($f->{Marke}, '&lt;script&gt;alert(1)&lt;/script&gt;', 'make escaped');
is($f->{Modell}, '&quot;Golf&quot; &amp; &#39;Co&#39; &lt;b&gt;', 'model escaped (all five characters)');
$r = page('/qr/%3Cscript%3Ex%3C%2Fscript%3E');
unlike($r->{html}, qr{<script}, 'a hostile id is never echoed raw');

# ---- HEAD, methods, paths ------------------------------------------------

$r = $srv->req('HEAD', "/qr/$golf");
is_deeply([ $r->{status}, $r->{body} ], [ 200, '' ], 'HEAD: 200 without body');
$r = page('/qr/a/b');
is($r->{status}, 404, '/qr/a/b: 404');
layout_ok($r, '404 page', 'Seite nicht gefunden');
like(main_of($r->{html}), qr{<h1>Seite nicht gefunden</h1>\s*<p>Die angeforderte Seite existiert leider nicht\.</p>}, '404: German text');
like(main_of($r->{html}), qr{<a[^>]*href="/"[^>]*>Zur Startseite</a>}, '404: link Zur Startseite');
my $cgi404 = $r->{body};
$r = $srv->post("/qr/$golf", body => 'id=x', headers => { 'Content-Type' => 'application/x-www-form-urlencoded' });
is($r->{status}, 405, 'POST /qr/{id}: 405');
is($r->{headers}{allow}, 'GET, HEAD', '... Allow: GET, HEAD');
like($r->{headers}{'content-type'}, qr{^text/html}, '... as an HTML page');
is($srv->get('/qr/nope/x/y')->{status}, 404, 'deeper paths: 404');

# ---- the static pages: the same layout (bin/gen-htdocs.sh, bin/mkpage.c) --

sub slurp { my ($f) = @_; open my $fh, '<:raw', $f or die "$f: $!"; local $/; <$fh> }
# The page without what differs by design: title, current link, content.
sub skeleton {
	my ($h) = @_;
	$h =~ s{<title>[^<]*</title>}{<title></title>};
	$h =~ s{ aria-current="page"}{};
	$h =~ s{(<main id="main" tabindex="-1">\n<div class="container">\n).*(</div>\n</main>\n)}{$1$2}s;
	return $h;
}
$r = page('/');
is($r->{status}, 200, 'static /: 200');
layout_ok($r, 'static /', 'Digitales Fahrzeug-Serviceheft', undef);
like($r->{html}, qr{<li><a href="/" aria-current="page">Start</a></li>}, 'static /: Start is the current page');
is(() = $r->{html} =~ /aria-current/g, 1, 'static /: one current link');
like(main_of($r->{html}), qr{<h1 id="hero-title">Digitales Fahrzeug-Serviceheft</h1>}, 'static /: its own body');
is(skeleton($r->{body}), skeleton($cgi404), 'static / and the site CGI share one layout, byte for byte');
$r = page('/gibt-es-nicht.html');
is($r->{status}, 404, 'missing static file: 404');
is($r->{body}, $cgi404, "the web server's 404.html is the site CGI's 404 page");
my $static50x = slurp(build_dir() . '/htdocs/50x.html');

# ---- /qr/: the lookup form (frontend.md 3.2) ------------------------------

for my $path ('/qr/', '/qr') {
	$r = page($path);
	is($r->{status}, 200, "$path: 200");
	layout_ok($r, "form $path", 'Fahrzeug-Check');
	my $m = main_of($r->{html});
	like($m, qr{<h1>Fahrzeug-Check</h1>}, "$path: h1");
	like($m, qr{<form method="get" action="/qr/">}, "$path: GET form");
	my ($for) = $m =~ m{<label for="([^"]+)">Fahrzeug-ID</label>};
	ok($for, "$path: visible label Fahrzeug-ID");
	like($m, qr{<input id="\Q$for\E" name="id"[^>]* required aria-required="true"}, "$path: input name=id, required");
	like($m, qr{<button type="submit">Prüfen</button>}, "$path: button Prüfen");
	unlike($m, qr{role="alert"|aria-invalid}, "$path: no error without a query");
}
my %redirect = ('abc' => '/qr/abc', '%20%20abc%09' => '/qr/abc', $golf => "/qr/$golf",
    'a%2Fb%20c' => '/qr/a%2Fb%20c', '%C3%A4%3C%3E%22' => '/qr/%C3%A4%3C%3E%22', 'x+y' => '/qr/x%20y');
for my $in (sort keys %redirect) {
	$r = $srv->get("/qr/?id=$in");
	is($r->{status}, 303, "?id=$in: 303");
	is($r->{headers}{location}, $redirect{$in}, "... Location $redirect{$in}");
}
$r = $srv->get("/qr/?id=$golf&id=ignored");
is($r->{headers}{location}, "/qr/$golf", 'repeated id: the first counts');
my $back = page($redirect{$golf});
like($back->{html}, qr{Trust-Ampel: Grün}, 'following the redirect shows the check');

for my $q ('?id=', '?id=%20%20%09') {
	$r = page("/qr/$q");
	is($r->{status}, 400, "$q: re-rendered with 400");
	layout_ok($r, "form error $q", 'Fahrzeug-Check');
	my $m = main_of($r->{html});
	my ($summary) = $m =~ m{(<div class="error-summary" role="alert"[^>]*>.*?</div>)}s;
	ok($summary, "$q: error summary role=alert");
	like($summary // '', qr{<a href="#qr-id">Bitte eine Fahrzeug-ID eingeben\.</a>}, '... linking to the field');
	in_order($m, "$q: summary at the top of the form", '<form', 'role="alert"', '<label', '<input');
	my ($input) = $m =~ m{(<input id="qr-id"[^>]*>)};
	like($input // '', qr{aria-invalid="true"}, '... field aria-invalid');
	my ($ids) = ($input // '') =~ m{aria-describedby="([^"]+)"};
	my ($err) = grep { $m =~ m{<[a-z]+ id="\Q$_\E"[^>]*>Bitte eine Fahrzeug-ID eingeben\.</} } split ' ', $ids // '';
	ok($err, '... message linked through aria-describedby');
}

# ---- actors ---------------------------------------------------------------

my $user = session('user');
$r = page("/qr/$golf", cookie => $user->{token});
is($r->{status}, 200, 'a signed-in user (cookie) sees the page');
my $mod = session('moderator');
for my $path ("/qr/$golf", '/qr/', '/qr/unknown', "/qr/?id=$golf") {
	$r = page($path, cookie => $mod->{token});
	is($r->{status}, 403, "moderator $path: 403");
	layout_ok($r, "moderator $path", 'Kein Zugriff');
	like(main_of($r->{html}), qr{<h1>Kein Zugriff</h1>\s*<p>Du hast keine Berechtigung für diese Seite\.</p>},
	    '... German 403 page');
	unlike($r->{html}, qr{role_not_allowed|Trust-Ampel: }, '... no code, no check data');
}
is(page("/qr/$golf", token => $mod->{token})->{status}, 403, 'moderator by Bearer: 403 as well');
is($srv->sqlite("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = 'MODERATOR_BLOCK' "
    . "AND target_id = '/qr/{vehicle_id}'"), 3, 'refusals audited with the route template');

# ---- availability and configuration errors: German pages -----------------

my ($rc) = $srv->ltcctl('maintenance', 'on');
is($rc, 0, 'maintenance on');
$r = page("/qr/$golf");
is($r->{status}, 503, 'maintenance: 503');
is($r->{headers}{'retry-after'}, 60, '... Retry-After: 60');
layout_ok($r, 'maintenance page', 'Fehler');
like(main_of($r->{html}), qr{Der Dienst ist vorübergehend nicht verfügbar\.}, '... German text');
unlike($r->{html}, qr{maintenance}, '... no code');
$srv->ltcctl('maintenance', 'off');
is(page("/qr/$golf")->{status}, 200, 'maintenance off: 200');

my $ver = $srv->sqlite('PRAGMA user_version');
$srv->sqlite('PRAGMA user_version = 1');
$r = page('/qr/');
is($r->{status}, 503, 'schema outdated: 503');
like(main_of($r->{html}), qr{Der Dienst ist vorübergehend nicht verfügbar\.}, '... German page');
$srv->sqlite("PRAGMA user_version = $ver");

my $db = $srv->data . '/ltc.sqlite';
rename $db, "$db.away" or die;
$r = page("/qr/$golf");
is($r->{status}, 503, 'database unavailable: 503');
like(main_of($r->{html}), qr{Der Dienst ist vorübergehend nicht verfügbar\.}, '... German page');
rename "$db.away", $db or die;

$srv->set_conf(rl_qr_limit => 0);
$r = page("/qr/$golf");
is($r->{status}, 500, 'invalid configuration: 500');
layout_ok($r, 'config error page', 'Fehler');
is($r->{body}, $static50x, "the web server's 50x.html is the site CGI's 500 page");
like(main_of($r->{html}), qr{Der Dienst ist vorübergehend nicht verfügbar\.}, '... German page');
$srv->set_conf(rl_qr_limit => undef);
is(page("/qr/$golf")->{status}, 200, 'back to normal');

$srv->stop;
done_testing;
