#!/usr/bin/perl
# docs/quickstart.md end to end: its ```sh blocks, in order, as one bash
# script against a real lighttpd with the real CGIs (the instance of
# `make run`: env dev, mails in the outbox). Afterwards the database holds
# what the guide promises: two verified accounts, the consent, a vehicle
# with its entry, and the QR images on disk.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(root);
use File::Temp qw(tempdir);
use Test::More;

my $md = do { local (@ARGV, $/) = (root() . '/docs/quickstart.md'); <> };
my @blocks = $md =~ /^```sh\n(.*?)^```$/msg;
ok(@blocks >= 8, 'the guide has its shell blocks (' . scalar(@blocks) . ')');
my $script = join "\n", @blocks;
for my $route ('/api/auth/request', '/api/auth/verify', '/api/auth/register', '/api/auth/login',
    '/api/consent/accept', '/api/vehicles"', '/entries"', '/trust-summary"', '/qr.svg"', '/qr.png"',
    '/api/public/qr/') {
	like($script, qr/\Q$route\E/, "the guide calls $route");
}

my $srv = LTC->new_lighttpd(conf => { env => 'dev' });
my $dir = tempdir(CLEANUP => 1);
open my $fh, '>', "$dir/quickstart.sh" or die;
print $fh "set -eu\n$script\n";
close $fh;
my $out = do {
	local $ENV{BASE} = $srv->base;
	local $ENV{DATA} = $srv->data;
	`cd '$dir' && bash quickstart.sh 2>&1`;
};
is($? >> 8, 0, 'the guide runs without an error') or diag($out);
like($out, qr/\{"ok":true\}/, 'health answered');
like($out, qr/"role":"user"/, '/auth/me shows the signed-in account');
like($out, qr/"trust_light":"(?:rot|orange|gelb|gruen)"/, 'the Trust-Ampel was read');

is($srv->sqlite("SELECT count(*) FROM auth_users WHERE email_verified_at IS NOT NULL"), 2,
    'two verified accounts (code and password)');
is($srv->sqlite("SELECT count(*) FROM auth_users WHERE password_hash IS NOT NULL"), 1, 'one of them with a password');
is($srv->sqlite("SELECT count(*) FROM consent_acceptances"), 2, 'terms and privacy accepted');
my ($vid) = $out =~ /^vehicle (\S+)$/m;
ok($vid, 'the vehicle id was printed');
is($srv->sqlite("SELECT count(*) FROM vehicles WHERE public_id = '$vid' AND deleted_at IS NULL"), 1,
    'the vehicle exists');
is($srv->sqlite("SELECT count(*) FROM vehicle_entries WHERE vehicle_id = '$vid'"),
    1, 'with its entry');
my $svg = do { local (@ARGV, $/) = ("$dir/qr.svg"); <> } // '';
like($svg, qr/<svg\b/, 'qr.svg is an SVG');
my $png = do { local (@ARGV, $/) = ("$dir/qr.png"); binmode ARGV; <> } // '';
is(substr($png, 0, 8), "\x89PNG\r\n\x1a\n", 'qr.png is a PNG');
is($srv->sqlite("SELECT count(*) FROM auth_sessions WHERE revoke_reason = 'logout'"), 2, 'two sessions ended by logout');
$srv->stop;
done_testing;
