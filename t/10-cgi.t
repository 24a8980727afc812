#!/usr/bin/perl
# CGI-level tests: the real binaries run with CGI environment variables,
# against a real SQLite file created by ltcctl.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(run_cgi json run_ltcctl sqlite_file);
use File::Temp qw(tempdir);
use Test::More;

my $data = tempdir(CLEANUP => 1);
my $secret = 'x' x 40;
my $conf = "$data/ltc.conf";
sub write_conf { LTC::write_conf($conf, env => 'test', secret_key => $secret, data_dir => $data,
    allow_dev_headers => 'true', @_) }
write_conf();
is((run_ltcctl($conf, 'init'))[0], 0, 'ltcctl init');

sub health { my %env = @_; run_cgi('health', env => { LTC_CONF => $conf, %env }) }

my $r = health();
is($r->{status}, 200, 'health 200');
is_deeply($r->{json}, { ok => JSON::PP::true }, 'body is exactly {"ok":true}');
like($r->{headers}{'x-request-id'}, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'generated request id is a UUIDv4');
is($r->{headers}{'content-type'}, 'application/json; charset=utf-8', 'JSON content type');
is($r->{headers}{'cache-control'}, 'no-store', 'no-store');
is($r->{headers}{'content-security-policy'}, "default-src 'none'; frame-ancestors 'none'", 'API CSP');
is($r->{headers}{$_->[0]}, $_->[1], "header $_->[0]") for
    ['x-content-type-options', 'nosniff'], ['referrer-policy', 'same-origin'],
    ['x-frame-options', 'DENY'], ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()'];
ok(!exists $r->{headers}{'strict-transport-security'}, 'no HSTS over plain HTTP');
is(health(HTTPS => 'on')->{headers}{'strict-transport-security'},
    'max-age=31536000; includeSubDomains', 'HSTS on HTTPS');
ok(!grep({ /^access-control/ } keys %{ $r->{headers} }), 'no CORS headers');

my $log = $r->{stderr};
my ($line) = grep { /^\{/ } split /\n/, $log;
my $l = eval { json()->decode($line) } || {};
is($l->{route}, '/api/health', 'log line has the route template');
is($l->{status}, 200, 'log line status');
is($l->{rid}, $r->{headers}{'x-request-id'}, 'log line carries the request id');
is_deeply([sort keys %$l], [sort qw(ts rid cgi method route status ms bytes role event err dev)],
    'log line has exactly the ops.md fields');

is(health(HTTP_X_REQUEST_ID => 'abc-123.x:y')->{headers}{'x-request-id'}, 'abc-123.x:y', 'valid request id echoed');
isnt(health(HTTP_X_REQUEST_ID => 'bad id!')->{headers}{'x-request-id'}, 'bad id!', 'invalid request id replaced');
isnt(health(HTTP_X_REQUEST_ID => 'a' x 129)->{headers}{'x-request-id'}, 'a' x 129, 'overlong request id replaced');

$r = health(PATH_INFO => '/');
is($r->{status}, 200, 'trailing slash ignored');
$r = health(PATH_INFO => '/-unknown-group');
is($r->{status}, 404, 'unknown group 404');
is_deeply($r->{json}, { detail => 'Not Found' }, '404 body');
$r = health(REQUEST_METHOD => 'POST');
is($r->{status}, 405, 'POST 405');
is_deeply($r->{json}, { detail => 'Method Not Allowed' }, '405 body');
is($r->{headers}{allow}, 'GET, HEAD', 'Allow header');
$r = health(REQUEST_METHOD => 'OPTIONS');
is($r->{status}, 405, 'OPTIONS 405');
$r = health(REQUEST_METHOD => 'HEAD');
is($r->{status}, 200, 'HEAD 200');
is($r->{body}, '', 'HEAD has no body');
$r = health(PATH_INFO => '/' . ('a' x 3000));
is($r->{status}, 404, 'path over 2 KiB is 404');

for my $q ('x=%zz', 'x=%00', 'x=%C3%28', 'x=%4', 'x=' . ('a' x 9000)) {
	$r = health(QUERY_STRING => $q);
	is($r->{status}, 422, "bad query " . substr($q, 0, 10) . " -> 422");
	is_deeply($r->{json}{detail}[0]{loc}, ['query'], '... at ["query"]');
}
is(health(QUERY_STRING => 'unknown=1&x=%C3%A4')->{status}, 200, 'unknown query parameters ignored');

$r = health(CONTENT_LENGTH => 8388609);
is($r->{status}, 413, 'CONTENT_LENGTH over json_max_bytes -> 413');
is_deeply($r->{json}, { detail => 'too_large' }, '413 body');

$r = health(HTTP_USER_AGENT => 'x' x 100000, HTTP_COOKIE => ('a=b; ' x 5000));
is($r->{status}, 200, 'overlong header values are truncated, not fatal');

# Moderator confinement on a public route (dev headers enabled in test).
$r = health(HTTP_X_ROLE => 'moderator', HTTP_X_USER_ID => 'mod1');
is($r->{status}, 403, 'moderator refused on health');
is_deeply($r->{json}, { detail => 'role_not_allowed' }, 'role_not_allowed');
write_conf(env => 'prod');
is(health(HTTP_X_ROLE => 'moderator', HTTP_X_USER_ID => 'mod1')->{status}, 200,
    'dev headers ignored in prod');
write_conf();

# Configuration, maintenance, database and schema faults.
write_conf(secret_key => 'zq7sekrit');
$r = health();
is($r->{status}, 500, 'short secret -> 500');
is_deeply($r->{json}, { detail => 'server_misconfigured' }, 'server_misconfigured');
like($r->{stderr}, qr/^ltc: FATAL config: secret key missing or shorter than 32 bytes$/m, 'one clear log line');
unlike($r->{stderr}, qr/zq7sekrit/, 'the secret value is never logged');
write_conf(allow_dev_headers => 'maybe');
$r = health();
is($r->{status}, 500, 'non-boolean -> 500');
like($r->{stderr}, qr/ltc: FATAL config: invalid value for allow_dev_headers/, 'log names the key');
unlike($r->{stderr}, qr/maybe/, 'log never names the value');
write_conf(busy_timeout_ms => 100);
is(health()->{status}, 500, 'busy_timeout_ms below 5000 -> 500');
write_conf(env => 'staging');
is(health()->{status}, 500, 'unknown env -> 500');
write_conf();
$r = run_cgi('health', env => { LTC_CONF => $conf, LTC_SECRET_KEY => 'y' x 32 });
is($r->{status}, 200, 'LTC_SECRET_KEY env override works');
$r = run_cgi('health', env => { LTC_CONF => $conf, LTC_ENV => 'nonsense' });
is($r->{status}, 500, 'LTC_ENV env override wins over the file');

open my $fh, '>', "$data/maintenance"; close $fh;
$r = health();
is($r->{status}, 503, 'maintenance -> 503');
is_deeply($r->{json}, { detail => 'maintenance' }, 'maintenance detail');
is($r->{headers}{'retry-after'}, '60', 'Retry-After: 60');
unlink "$data/maintenance";

sqlite_file("$data/ltc.sqlite", 'PRAGMA user_version=1');
$r = health();
is($r->{status}, 503, 'schema behind -> 503');
is_deeply($r->{json}, { detail => 'schema_outdated' }, 'schema_outdated');
sqlite_file("$data/ltc.sqlite", 'PRAGMA user_version=' . schema_version());
is(health()->{status}, 200, 'schema restored');

write_conf(data_dir => "$data/nonexistent");
$r = health();
is($r->{status}, 503, 'missing database -> 503');
is_deeply($r->{json}, { detail => 'db_unavailable' }, 'db_unavailable');
ok(!-e "$data/nonexistent/ltc.sqlite", 'a CGI never creates the database');
write_conf();

sub schema_version {
	my @f = sort glob(LTC::root() . '/schema/[0-9][0-9][0-9][0-9]_*.sql');
	my ($n) = $f[-1] =~ m{/0*(\d+)_};
	return $n;
}
done_testing;
