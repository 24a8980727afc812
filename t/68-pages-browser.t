#!/usr/bin/perl
# Every public page in a real headless Chromium with JavaScript disabled
# (the profile's content setting, see t/62-browser.t): the rendered DOM
# has exactly one <h1>, the skip link as its first focusable element,
# every form control labelled and no inline script, style or event
# handler; a 375 px and a 1280 px screenshot of each page is written to
# the test output directory (LTC_TEST_OUT, default build/test-output).
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir);
use Encode qw(decode_utf8);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;

my $CHROMIUM = $ENV{LTC_CHROMIUM} // '/usr/bin/chromium';
plan skip_all => "no Chromium at $CHROMIUM (install the Debian package chromium)" unless -x $CHROMIUM;

my $srv = LTC->new_lighttpd;
my $tmp = tempdir(CLEANUP => 1);
my $out = ($ENV{LTC_TEST_OUT} // build_dir() . '/test-output') . '/screenshots';
make_path($out);

my $n = 0;
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

my @pages = qw(/ /eintritt.html /faq.html /jobs.html /kontakt.html /kontakt-danke.html /datenschutz.html
    /agb.html /cookies.html /impressum /blog/ /news/ /qr/ /login /register);
for my $p (@pages) {
	my (undef, $d) = chromium('--dump-dom', $srv->base . $p);
	my @h1 = $d =~ /<h1[\s>]/g;
	is(scalar @h1, 1, "$p: exactly one <h1>");
	my ($body) = $d =~ /<body[^>]*>(.*)<\/body>/s;
	$body //= '';
	my ($first) = $body =~ /(<(?:a|button|input|select|textarea)\b[^>]*>)/;
	like($first // '', qr{class="skip-link" href="#main"}, "$p: the skip link is the first focusable element");
	unlike($d, qr{<script|<style|\sstyle="|\son[a-z]+="}i, "$p: no inline script, style or handler");
	my $ok = 1;
	while ($body =~ /<(input|select|textarea)\b([^>]*)>/g) {
		my ($tag, $attr) = ($1, $2);
		next if $attr =~ /type="hidden"/;
		my ($id) = $attr =~ /\bid="([^"]+)"/;
		if (!defined $id || $body !~ /<label for="\Q$id\E"/) {
			$ok = 0;
			diag("$p: unlabelled <$tag$attr>");
		}
	}
	ok($ok, "$p: every form control labelled");
	(my $name = $p) =~ s{[/.]+}{_}g;
	$name = 'index' if $name eq '_';
	for my $w (375, 1280) {
		my $png = "$out/$name-$w.png";
		unlink $png;
		chromium("--screenshot=$png", "--window-size=$w,900", '--hide-scrollbars', $srv->base . $p);
		my $head = '';
		if (open my $f, '<:raw', $png) { local $/ = \24; $head = <$f> // '' }
		my ($pw) = length $head >= 24 ? unpack('N', substr($head, 16, 4)) : (0);
		is($pw, $w, "$p: $w px screenshot");
	}
}

$srv->stop;
done_testing;
