#!/usr/bin/perl
# /api/consent/* and the compatibility /api/auth/consent (api.md 3, 4,
# domain.md 2, security.md 7.3) through a real lighttpd and SQLite.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir);
use Test::More;

my $srv = LTC->new_lighttpd;
# (new_lighttpd's conf => {} does not reach the CGIs; set_conf does.)
$srv->set_conf(allow_dev_headers => 'true', scrypt_p => 1, test_now => '2026-03-01T09:00:00Z');
my $data = $srv->data;

sub sql {
	my ($q) = @_;
	open my $fh, '-|', 'sqlite3', '-batch', '-cmd', '.timeout 5000', "$data/ltc.sqlite", $q or die;
	local $/;
	my $out = <$fh> // '';
	close $fh;
	$out =~ s/\n\z//;
	return $out;
}
sub item { my ($t, $v, %o) = @_; { doc_type => $t, doc_version => $v, accepted_at => '2026-02-01T10:00:00Z',
    source => 'ui', %o } }
sub both { [ item('terms', shift // 'v1'), item('privacy', shift // 'v1') ] }
sub consent_accept { my ($u, $body, %o) = @_; $srv->post('/api/consent/accept', token => $u->{token}, json => $body, %o) }
sub status { $srv->get('/api/consent/status', token => shift->{token}) }
sub legacy { $srv->get('/api/auth/consent', token => shift->{token}) }
my $MOD = { 'X-Role' => 'moderator', 'X-User-Id' => 'mod-1' };

# ---- current ---------------------------------------------------------------

my $r = $srv->get('/api/consent/current');
is($r->{status}, 200, 'current: anonymous 200');
is($r->{body}, '{"required":[{"doc_type":"terms","doc_version":"v1"},{"doc_type":"privacy","doc_version":"v1"}]}',
    'current: exact body, terms first');
my $mod = $srv->login(role => 'moderator', consent => 0);
for ([ GET => '/api/consent/current' ], [ GET => '/api/consent/status' ], [ POST => '/api/consent/accept' ]) {
	$r = $srv->req($_->[0], $_->[1], token => $mod->{token}, $_->[0] eq 'POST' ? (json => {}) : ());
	is($r->{status}, 403, "moderator on $_->[1]: 403");
	is_deeply($r->{json}, { detail => 'role_not_allowed' }, '... role_not_allowed (before 422)');
}
is(sql("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = 'MODERATOR_BLOCK' " .
    "AND actor_id = '$mod->{user_id}'"), 3, 'audit ACCESS_DENIED MODERATOR_BLOCK');
is($srv->get('/api/consent/current', headers => $MOD)->{status}, 403, 'dev moderator refused too');
$srv->set_conf(terms_version => 'AGB-2026', privacy_version => 'DS 3');
is_deeply($srv->get('/api/consent/current')->{json}{required}, [ { doc_type => 'terms', doc_version => 'AGB-2026' },
    { doc_type => 'privacy', doc_version => 'DS 3' } ], 'current: versions from config');
$srv->set_conf(terms_version => undef, privacy_version => undef);

# ---- status and the legacy view before any consent ------------------------------

my $u = $srv->login(role => 'user', consent => 0);
$r = status($u);
is($r->{status}, 200, 'status: 200');
is_deeply($r->{json}, { required => [ { doc_type => 'terms', doc_version => 'v1' },
    { doc_type => 'privacy', doc_version => 'v1' } ], accepted => [], is_complete => JSON::PP::false },
    'status: nothing accepted');
$r = $srv->get('/api/consent/status');
is_deeply([ $r->{status}, $r->{json}, $r->{headers}{'www-authenticate'} ], [ 401, { detail => 'unauthorized' }, 'Bearer' ],
    'status without actor: 401');
$r = legacy($u);
is_deeply($r->{json}, { required_version => 'v1', has_required => JSON::PP::false, latest_version => undef,
    latest_accepted_at => undef, latest_source => undef }, 'legacy GET: nothing yet');
$r = $srv->get('/api/auth/consent');
is_deeply([ $r->{status}, $r->{json}, $r->{headers}{'www-authenticate'} ],
    [ 401, { detail => { code => 'unauthenticated' } }, 'Bearer' ], 'legacy GET without actor: 401 object detail');
is($srv->get('/api/auth/consent', token => $mod->{token})->{status}, 200, 'legacy GET: moderators allowed');

# ---- accept: 422 shapes -----------------------------------------------------------

sub is_422 {
	my ($r, $items, $name) = @_;
	is($r->{status}, 422, "$name: 422");
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} // [] } ], $items, "$name: items")
	    or diag($r->{body});
}
is_422($srv->post('/api/consent/accept', token => $u->{token}), [ [ 'missing', ['body'] ] ], 'no body');
is_422(consent_accept($u, { consents => 'all' }), [ [ 'list_type', [ 'body', 'consents' ] ] ], 'consents not a list');
is_422(consent_accept($u, { consents => [ 'terms' ] }), [ [ 'dict_type', [ 'body', 'consents', 0 ] ] ], 'item not an object');
my $it = item('terms', 'v1');
delete $it->{accepted_at};
is_422(consent_accept($u, { consents => [ item('privacy', 'v1'), $it ] }),
    [ [ 'missing', [ 'body', 'consents', 1, 'accepted_at' ] ] ], 'missing accepted_at');
is_422(consent_accept($u, { consents => [ { doc_type => 1, doc_version => undef, accepted_at => 'x', source => "u\ni" } ] }),
    [ [ 'string_type', [ 'body', 'consents', 0, 'doc_type' ] ], [ 'string_type', [ 'body', 'consents', 0, 'doc_version' ] ],
    [ 'value_error', [ 'body', 'consents', 0, 'source' ] ] ], 'types per field, in field order');

# ---- accept: the German 400 details, in order ----------------------------------------

my @cases = (
	[ [ item('agb', 'v1') ], "consents[0].doc_type ung\x{fc}ltig" ],
	[ [ item('terms', 'v1'), item('privacy', '   ') ], 'consents[1].doc_version fehlt' ],
	[ [ item('terms', 'v1', source => 'web') ], 'consents[0].source muss ui oder api sein' ],
	[ [ item('terms', 'v1', accepted_at => 'gestern') ], "accepted_at ist kein g\x{fc}ltiger ISO8601 Zeitstempel" ],
	[ [ item('terms', 'v1', accepted_at => '2026-02-30') ], "accepted_at ist kein g\x{fc}ltiger ISO8601 Zeitstempel" ],
	[ [ item('terms', 'v1'), item('terms', 'v1') ], 'doc_type doppelt: terms' ],
	[ [ item('terms', 'v1', source => 'web', accepted_at => 'x') ], 'consents[0].source muss ui oder api sein' ],
	[ [ item('terms', 'v1', accepted_at => 'x'), item('nope', 'v1') ], "accepted_at ist kein g\x{fc}ltiger ISO8601 Zeitstempel" ],
	[ [ item('terms', ''), item('privacy', 'v1', source => 'x') ], 'consents[0].doc_version fehlt' ],
	[ [ item('privacy', 'v1'), item('terms', 'v2') ], 'Pflicht-Consents fehlen oder Version falsch: terms:v1' ],
	[ [ item('terms', 'v1') ], 'Pflicht-Consents fehlen oder Version falsch: privacy:v1' ],
	[ [ item('terms', ' v1') ], 'Pflicht-Consents fehlen oder Version falsch: terms:v1, privacy:v1' ],
	[ [], 'Pflicht-Consents fehlen oder Version falsch: terms:v1, privacy:v1' ],
);
for my $c (@cases) {
	$r = consent_accept($u, { consents => $c->[0] });
	is($r->{status}, 400, "400: $c->[1]");
	is_deeply($r->{json}, { detail => $c->[1] }, '... exact detail');
}
is(consent_accept($u, {})->{json}{detail}, 'Pflicht-Consents fehlen oder Version falsch: terms:v1, privacy:v1',
    'consents defaults to []');
is(sql("SELECT count(*) FROM consent_acceptances"), 0, 'nothing stored by refused requests');

# ---- accept: success, normalisation, idempotence ------------------------------------

$r = consent_accept($u, { consents => [ item('privacy', 'v1', accepted_at => '2026-02-28T23:30:00+02:00', source => 'api'),
    item('terms', 'v1', accepted_at => '2026-02-28 20:00') ] });
is_deeply([ $r->{status}, $r->{json} ], [ 200, { ok => JSON::PP::true } ], 'accept: 200 {"ok":true}');
is(sql("SELECT doc_type || '|' || doc_version || '|' || accepted_at || '|' || source || '|' || created_at || '|' || " .
    "(length(ip_hmac) = 43) FROM consent_acceptances WHERE user_id = '$u->{user_id}' ORDER BY doc_type"),
    "privacy|v1|2026-02-28T21:30:00.000000Z|api|2026-03-01T09:00:00.000000Z|1\n" .
    "terms|v1|2026-02-28T20:00:00.000000Z|ui|2026-03-01T09:00:00.000000Z|1",
    'rows: accepted_at normalised to UTC, server created_at, ip_hmac evidence');
is(sql("SELECT count(*) FROM consent_acceptances WHERE ip_hmac LIKE '%127.0.0.1%'"), 0, 'no raw IP stored');
is(sql("SELECT metadata_json FROM audit_events WHERE action = 'CONSENT_ACCEPTED'"),
    '{"privacy_version":"v1","source":"ui","terms_version":"v1"}', 'audit CONSENT_ACCEPTED with versions and source');
$r = status($u);
is_deeply($r->{json}{accepted}, [
    { doc_type => 'terms', doc_version => 'v1', accepted_at => '2026-02-28T20:00:00Z', source => 'ui' },
    { doc_type => 'privacy', doc_version => 'v1', accepted_at => '2026-02-28T21:30:00Z', source => 'api' } ],
    'status: accepted rows ordered by accepted_at');
is($r->{json}{is_complete}, JSON::PP::true, 'status: complete');
$r = consent_accept($u, { consents => both() });
is($r->{status}, 200, 'accepting again: 200');
is(sql("SELECT count(*) || ' ' || max(accepted_at) FROM consent_acceptances WHERE user_id = '$u->{user_id}'"),
    '2 2026-02-28T21:30:00.000000Z', '... existing rows untouched (idempotent)');
is_deeply(legacy($u)->{json}, { required_version => 'v1', has_required => JSON::PP::true, latest_version => 'v1',
    latest_accepted_at => '2026-02-28T20:00:00Z', latest_source => 'ui' }, 'legacy GET: the terms acceptance');

# CSRF with the cookie.
$r = $srv->post('/api/consent/accept', cookie => $u->{token}, json => { consents => both() });
is_deeply([ $r->{status}, $r->{json} ], [ 403, { detail => 'csrf_failed' } ], 'cookie without X-CSRF-Token: 403');
is($srv->post('/api/consent/accept', cookie => $u->{token}, csrf => $u->{csrf}, json => { consents => both() })
    ->{status}, 200, 'cookie with the token: 200');

# ---- a version bump asks again ---------------------------------------------------------

$srv->set_conf(terms_version => 'v2', test_now => '2026-03-01T09:10:00Z');
is(status($u)->{json}{is_complete}, JSON::PP::false, 'terms_version bump: incomplete again');
$r = legacy($u)->{json};
is_deeply([ @$r{qw(required_version has_required latest_version)} ], [ 'v2/v1', JSON::PP::false, 'v1' ],
    'legacy: "<terms>/<privacy>" when they differ, has_required false');
my $gated = -x build_dir() . '/cgi-bin/vehicles';
SKIP: {
	skip 'no vehicles CGI built', 2 unless $gated;
	$r = $srv->get('/api/vehicles', token => $u->{token});
	is_deeply([ $r->{status}, $r->{json} ], [ 403, { detail => 'consent_required' } ],
	    'a consent-gated route refuses after the bump');
	is(sql("SELECT count(*) FROM audit_events WHERE action = 'CONSENT_REQUIRED_BLOCK' AND target_id = '$u->{user_id}'"),
	    1, 'audit CONSENT_REQUIRED_BLOCK');
}
is(consent_accept($u, { consents => both() })->{json}{detail}, 'Pflicht-Consents fehlen oder Version falsch: terms:v2',
    'the old version no longer satisfies');
is(consent_accept($u, { consents => [ item('terms', 'v2', accepted_at => '2026-03-02T08:00:00Z'), item('privacy', 'v1') ] })
    ->{status}, 200, 'accept v2');
$r = status($u)->{json};
is($r->{is_complete}, JSON::PP::true, 'complete again');
is(scalar @{ $r->{accepted} }, 3, 'old rows stay as history');
is(legacy($u)->{json}{latest_version}, 'v2', 'legacy: latest terms acceptance by accepted_at');
SKIP: {
	skip 'no vehicles CGI built', 1 unless $gated;
	isnt($srv->get('/api/vehicles', token => $u->{token})->{status}, 403, 'the gated route lets the user in again');
}

# ---- the compatibility POST /api/auth/consent -----------------------------------------

$srv->set_conf(terms_version => undef);
my $l = $srv->login(role => 'public', consent => 0);
$r = $srv->post('/api/auth/consent', json => { agb => JSON::PP::true, datenschutz => JSON::PP::true });
is_deeply([ $r->{status}, $r->{json} ], [ 401, { detail => { code => 'unauthenticated' } } ], 'legacy POST: 401 shape');
is_422($srv->post('/api/auth/consent', token => $l->{token}), [ [ 'missing', ['body'] ] ], 'legacy POST without body');
is_422($srv->post('/api/auth/consent', token => $l->{token}, json => { agb => 1, datenschutz => 1, source => 5 }),
    [ [ 'string_type', [ 'body', 'source' ] ] ], 'legacy POST: source must be a string');
for my $falsy (JSON::PP::false, 0, 0.0, '', undef, [], {}) {
	$r = $srv->post('/api/auth/consent', token => $l->{token}, json => { agb => JSON::PP::true, datenschutz => $falsy });
	is_deeply([ $r->{status}, $r->{json} ], [ 400, { detail => { code => 'consent_required', consent_version => 'v1' } } ],
	    'legacy POST: not truthy -> 400 with code and version');
}
is($srv->post('/api/auth/consent', token => $l->{token}, json => { agb => 1 })->{status}, 400, 'datenschutz missing: 400');
is(sql("SELECT count(*) FROM consent_acceptances WHERE user_id = '$l->{user_id}'"), 0, 'nothing stored');
$r = $srv->post('/api/auth/consent', token => $l->{token}, json => { agb => 2, datenschutz => 'ja', source => 'api' });
is_deeply([ $r->{status}, $r->{json} ], [ 200, { ok => JSON::PP::true, consent_version => 'v1',
    accepted_at => '2026-03-01T09:10:00Z' } ], 'legacy POST: truthy number and string -> 200');
is(sql("SELECT group_concat(doc_type || ':' || doc_version || ':' || source || ':' || accepted_at, ' ') FROM " .
    "(SELECT * FROM consent_acceptances WHERE user_id = '$l->{user_id}' ORDER BY doc_type)"),
    'privacy:v1:api:2026-03-01T09:10:00.000000Z terms:v1:api:2026-03-01T09:10:00.000000Z',
    'both documents at the current versions, accepted now, source api');
is(status($l)->{json}{is_complete}, JSON::PP::true, 'status agrees (role public may use consent)');
$srv->set_conf(privacy_version => 'v9');
$r = $srv->post('/api/auth/consent', token => $l->{token}, json => { agb => JSON::PP::true, datenschutz => 1,
    source => 'other' });
is($r->{json}{consent_version}, 'v1/v9', 'legacy POST: combined version');
is(sql("SELECT source FROM consent_acceptances WHERE user_id = '$l->{user_id}' AND doc_version = 'v9'"), 'ui',
    'any source but "api" is stored as ui');
is(sql("SELECT count(*) FROM consent_acceptances WHERE user_id = '$l->{user_id}'"), 3, 'existing rows kept');
is($srv->post('/api/auth/consent', cookie => $l->{token}, json => { agb => 1, datenschutz => 1 })->{status}, 403,
    'legacy POST: CSRF applies to the cookie');
$srv->set_conf(privacy_version => undef);

# ---- dev actors consent with their dev user id ---------------------------------------------

my $dev = { 'X-Role' => 'user', 'X-User-Id' => 'dev-consent-1' };
is($srv->post('/api/consent/accept', headers => $dev, json => { consents => both() })->{status}, 200,
    'dev actor: accept');
is($srv->get('/api/consent/status', headers => $dev)->{json}{is_complete}, JSON::PP::true, 'dev actor: complete');
is(sql("SELECT count(*) FROM consent_acceptances WHERE user_id = 'dev-consent-1'"), 2, 'rows under the dev id');
is(sql("SELECT actor_type FROM audit_events WHERE action = 'CONSENT_ACCEPTED' AND actor_id = 'dev-consent-1'"), 'dev',
    'audit actor_type dev');

my $cgilog = do { local (@ARGV, $/) = ("$data/run/cgi-stderr.log"); <> } // '';
unlike($cgilog, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report in the CGI log');
$srv->stop;
done_testing;
