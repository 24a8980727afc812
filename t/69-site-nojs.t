#!/usr/bin/perl
# The public website and the sign-in pages in headless Chromium with
# JavaScript switched off: t/e2e/site.mjs checks that no page overflows
# horizontally at 375 and 1280 px and walks reading, registering, signing
# in by code and by password, consent and the contact form with plain
# forms. Screenshots at 375 px go to $LTC_TEST_OUT/site (default t/out/site).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(e2e_run);
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(scrypt_p => 1);
e2e_run($srv, 'site.mjs', 'site');
$srv->stop;
done_testing;
