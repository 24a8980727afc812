#!/usr/bin/perl
# The web app under /app/ end to end: t/e2e/app.mjs drives Debian's
# headless Chromium through playwright-core against a real lighttpd with
# the real CGIs and relays its TAP here. The npm packages (playwright-core,
# axe-core; versions pinned in t/e2e/package-lock.json) are installed with
# `npm ci` when missing. Screenshots at 375 and 1280 px of every screen go
# to $LTC_TEST_OUT/e2e (default t/out/e2e).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(root build_dir);
use Test::More;

my $root = root();
my $e2e = "$root/t/e2e";
my $chromium = $ENV{LTC_CHROMIUM} // '/usr/bin/chromium';
ok(-x $chromium, "Chromium at $chromium (Debian package chromium)") or BAIL_OUT('no chromium');
my $node = `command -v node 2>/dev/null`;
chomp $node;
ok($node ne '', 'node is installed (Debian packages nodejs, npm)') or BAIL_OUT('no node');

unless (-f "$e2e/node_modules/playwright-core/package.json" && -f "$e2e/node_modules/axe-core/axe.min.js") {
	my $log = `cd '$e2e' && npm ci --no-audit --no-fund --loglevel=error 2>&1`;
	is($? >> 8, 0, 'npm ci installs playwright-core and axe-core') or diag($log);
}
ok(-f "$e2e/node_modules/playwright-core/package.json", 'playwright-core is there') or BAIL_OUT('no playwright-core');

my $out = ($ENV{LTC_TEST_OUT} // "$root/t/out") . '/e2e';
system('mkdir', '-p', $out);
unlink glob("$out/*.png");

my $srv = LTC->new_lighttpd;
local $ENV{LTC_E2E_BASE} = $srv->base;
local $ENV{LTC_E2E_DATA} = $srv->data;
local $ENV{LTC_E2E_CONF} = $srv->conf_file;
local $ENV{LTC_E2E_LTCCTL} = build_dir() . '/bin/ltcctl';
local $ENV{LTC_E2E_OUT} = $out;
local $ENV{LTC_CHROMIUM} = $chromium;

# Relay the script's TAP: its test points become ours, its comments diag.
my $pid = open(my $tap, '-|') // die "fork: $!";
if ($pid == 0) {
	open STDERR, '>&', \*STDOUT;
	chdir $e2e or die;
	exec 'timeout', '600', 'node', 'app.mjs' or exit 127;
}
my ($points, $plan) = (0, undef);
my $tb = Test::More->builder;
while (my $line = <$tap>) {
	chomp $line;
	if ($line =~ /^(not )?ok \d+ - (.*?)(?: # SKIP (.*))?$/) {
		$points++;
		my ($bad, $name, $why) = ($1, $2, $3);
		$name =~ s/\\#/#/g;
		if (defined $why) {
			$tb->skip("$name: $why");
		} else {
			ok(!$bad, $name);
		}
	} elsif ($line =~ /^1\.\.(\d+)$/) {
		$plan = $1;
	} elsif ($line =~ /^# (.*)$/) {
		diag($1);
	} elsif ($line ne '') {
		diag($line);
	}
}
close $tap;
my $rc = $? >> 8;
ok(defined $plan && $plan == $points, "the browser script ran to its end ($points test points)");
ok($rc == 0, 'the browser script exits 0') or diag("exit $rc");
$srv->stop;
done_testing;
