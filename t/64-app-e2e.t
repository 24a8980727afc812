#!/usr/bin/perl
# The web app under /app/ end to end: t/e2e/app.mjs drives Debian's
# headless Chromium through playwright-core against a real lighttpd with
# the real CGIs (LTC::e2e_run relays its TAP). Screenshots at 375 and
# 1280 px of every screen go to $LTC_TEST_OUT/e2e (default t/out/e2e).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(e2e_run);
use Test::More;

my $srv = LTC->new_lighttpd;
e2e_run($srv, 'app.mjs', 'e2e');
$srv->stop;
done_testing;
