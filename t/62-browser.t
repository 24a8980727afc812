#!/usr/bin/perl
# A stranger scans the QR code: a real headless Chromium with JavaScript
# disabled loads /qr/{vehicle_id} from a real lighttpd and must show the
# Trust-Ampel label, the hint, the vehicle facts and the disclaimer
# (frontend.md 3: server-rendered pages work without JavaScript). A 375 px
# wide screenshot is taken as well (frontend.md 7, mobile first).
#
# JavaScript is switched off through the fresh profile's content setting
# (javascript: block), not --blink-settings=scriptEnabled=false: in current
# headless Chromium (156) --dump-dom and --screenshot work by evaluating
# script in the page and silently produce nothing under that flag. A
# control page with an inline script proves scripts really do not run.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Encode qw(decode_utf8);
use File::Temp qw(tempdir);
use Test::More;

my $CHROMIUM = $ENV{LTC_CHROMIUM} // '/usr/bin/chromium';
plan skip_all => "no Chromium at $CHROMIUM (install the Debian package chromium)" unless -x $CHROMIUM;

my $DISCLAIMER = 'Die Trust-Ampel bewertet ausschließlich die Dokumentations- und '
    . 'Nachweisqualität. Sie ist keine Aussage über den technischen Zustand des Fahrzeugs.';

my $srv = LTC->new_lighttpd;
my $tmp = tempdir(CLEANUP => 1);

my $id = $srv->vehicle_row(id => '3b0c6a52-8d7e-4f10-9a2b-62c0ffee0001', owner => 'owner-1',
    meta => { accident_status => 'accident_free', vehicle_class => 'pkw', make => 'VW', model => 'Golf',
    year => 2014, drivetrain => 'diesel', nickname => 'Familienkombi' });
$srv->entry_row(vehicle => $id, level => 'T3', note => undef, cost_cents => undef);

my $n = 0;
# Runs Chromium with a fresh profile whose content setting blocks
# JavaScript; returns (exit code, stdout).
sub chromium {
	my (@args) = @_;
	my $profile = "$tmp/profile" . ++$n;
	mkdir $profile;
	mkdir "$profile/Default";
	open my $fh, '>', "$profile/Default/Preferences" or die;
	print $fh '{"profile":{"default_content_setting_values":{"javascript":2}}}';
	close $fh;
	my @cmd = ('timeout', '120', $CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
	    "--user-data-dir=$profile", @args);
	my $pid = open(my $pipe, '-|') // die "fork: $!";
	if ($pid == 0) {
		open STDERR, '>>', "$tmp/chromium.log";
		exec @cmd or exit 127;
	}
	local $/;
	my $dom = <$pipe> // '';
	close $pipe;
	return ($? >> 8, decode_utf8($dom));
}

sub dom { my ($url) = @_; my ($rc, $d) = chromium('--dump-dom', $url); is($rc, 0, "chromium --dump-dom $url: exit 0"); $d }

# Control: the same browser settings really run no script.
open my $fh, '>', "$tmp/control.html" or die;
print $fh '<!DOCTYPE html><html><body><p id="x">statisch</p><script>'
    . 'document.getElementById("x").textContent="skript-lief";</script></body></html>';
close $fh;
my $control = dom("file://$tmp/control.html");
like($control, qr{<p id="x">statisch</p>}, 'control: the page rendered');
unlike($control, qr{<p id="x">skript-lief</p>}, 'control: JavaScript is disabled in this browser');

my $url = $srv->base . "/qr/$id";
my $d = dom($url);
like($d, qr{<title>Fahrzeug-Check – LifeTimeCircle</title>}, 'browser loaded the QR page');
like($d, qr{<span class="ampel ampel-gruen" role="img" aria-label="Trust-Ampel: Grün"></span>}, 'indicator with aria-label');
like($d, qr{<strong>Trust-Ampel: Grün</strong>}, 'the Ampel label as visible text');
like($d, qr{<p>Dokumentation ist vollständig nachweisbar\.</p>}, 'the hint');
my %facts;
$facts{$1} = $2 while $d =~ m{<dt>([^<]*)</dt><dd>([^<]*)</dd>}g;
is_deeply(\%facts, { Historie => 'vorhanden', Nachweise => 'vorhanden', Verifizierung => 'hoch',
    Unfallstatus => 'Unfallfrei', Fahrzeugklasse => 'Pkw', Marke => 'VW', Modell => 'Golf', Baujahr => '2014',
    Antrieb => 'Diesel', 'FIN (maskiert)' => 'WVW***0001' }, 'status list and vehicle facts');
like($d, qr{<h2 id="[^"]+">Hinweis</h2>\s*<p class="disclaimer">\Q$DISCLAIMER\E</p>}, 'the disclaimer box');
is(() = $d =~ /\Q$DISCLAIMER\E/g, 1, 'the disclaimer exactly once');
unlike($d, qr{Familienkombi|123456|owner-1}, 'no private data in the DOM');
unlike($d, qr{<script}i, 'the page has no script at all');

# The lookup form works without JavaScript too: a plain GET form whose
# 303 the browser follows to the check page.
$d = dom($srv->base . '/qr/');
like($d, qr{<label for="qr-id">Fahrzeug-ID</label>}, 'lookup form: label');
like($d, qr{<button type="submit">Prüfen</button>}, 'lookup form: button');
$d = dom($srv->base . "/qr/?id=%20$id%20");
like($d, qr{<strong>Trust-Ampel: Grün</strong>}, 'form GET ?id= -> 303 -> the check page');

$d = dom($srv->base . '/qr/7d1c0000-0000-4000-8000-00000000dead');
like($d, qr{<strong>Trust-Ampel: Orange</strong>}, 'unknown id: orange, no error');
like($d, qr{Dokumentation vorhanden, aber Nachweise sind teilweise unvollständig\.}, 'unknown id: the exact hint');
unlike($d, qr{Fahrzeugklasse}, 'unknown id: no vehicle facts');

# Mobile screenshot, 375 px wide.
my $png = "$tmp/qr-375.png";
my ($rc) = chromium("--screenshot=$png", '--window-size=375,800',
    '--hide-scrollbars', $url);
is($rc, 0, 'chromium --screenshot: exit 0');
ok(-s $png, 'screenshot file written');
my $head = '';
if (open my $p, '<:raw', $png) { local $/ = \24; $head = <$p> // '' }
is(substr($head, 0, 8), "\x89PNG\r\n\x1a\n", 'it is a PNG');
my ($w, $h) = unpack('NN', substr($head, 16, 8));
is($w, 375, 'screenshot is 375 px wide');
cmp_ok($h, '>=', 600, 'screenshot height');
cmp_ok(-s $png, '>', 8000, 'screenshot is not blank (has content)');
if ($ENV{LTC_KEEP_SCREENSHOT}) {
	require File::Copy;
	File::Copy::copy($png, $ENV{LTC_KEEP_SCREENSHOT}) or diag("copy: $!");
}

$srv->stop;
done_testing;
