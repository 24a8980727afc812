#!/usr/bin/perl
# GET /api/public/qr/{vehicle_id} and GET /api/public/site (api.md 6)
# through a real lighttpd and a real SQLite file: the nine keys, the
# unknown-vehicle answer for unknown, malformed and deleted ids, the data
# minimisation rules, the moderator block, and the rate limit shared with
# the HTML page /qr/{id}.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(json);
use Digest::SHA qw(hmac_sha256);
use Encode qw(decode_utf8);
use MIME::Base64 qw(encode_base64url);
use Test::More;

my $NOW = '2026-03-01T10:00:00Z';
# new_lighttpd passes conf keys as environment names (LTC_<KEY>), so the
# clock is set through the file, which every CGI reads per request.
my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => $NOW);

my $DISCLAIMER = 'Die Trust-Ampel bewertet ausschließlich die Dokumentations- und '
    . 'Nachweisqualität. Sie ist keine Aussage über den technischen Zustand des Fahrzeugs.';
my $HINT_UNKNOWN = 'Dokumentation vorhanden, aber Nachweise sind teilweise unvollständig.';
my $CSP_HTML = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    . "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    . "form-action 'self'; frame-ancestors 'none'";

# ---- fixtures (SQL: the vehicle routes are written in parallel) ----------

my $seq = 0;
sub uuid { sprintf('%08x-%04x-4%03x-8%03x-%012x', 0x5eed0000 + ++$seq, $$ & 0xffff, $seq, $seq, $seq * 7919) }
# An SQL string literal that survives LTC::sqlite's shell double quotes
# (JSON has '"', make/model may have anything): hex, cast back to text.
sub sq { my $s = shift; return 'NULL' unless defined $s; utf8::encode($s); "CAST(X'" . unpack('H*', $s) . "' AS TEXT)" }
my $TS = '2026-02-01T09:00:00.000000Z';

# A vehicle with meta (hash, JSON-encoded) and entries [[level, latest]],
# documents [[approval, scan, pii]]; returns its public id.
sub vehicle {
	my (%o) = @_;
	my $id = uuid();
	my $owner = $o{owner} // uuid();
	my $meta = $o{meta} ? sq(json()->encode($o{meta})) : 'NULL';
	my $sql = sprintf("INSERT INTO vehicles (public_id, owner_user_id, vin_prefix3, vin_last4, "
	    . "vin_hmac, meta_json, created_at, updated_at, deleted_at, delete_reason) VALUES "
	    . "(%s, %s, %s, %s, %s, %s, '$TS', '$TS', %s, %s);", sq($id), sq($owner),
	    sq($o{vin3} // 'WVW'), sq($o{vin4} // '0001'), sq('ab' x 32), $meta,
	    sq($o{deleted} ? $TS : undef), sq($o{deleted} ? 'sold' : undef));
	my $group = uuid();
	my $v = 0;
	for my $e (@{ $o{entries} // [] }) {
		my ($level, $latest) = @$e;
		$sql .= sprintf("INSERT INTO vehicle_entries (id, vehicle_id, owner_user_id, "
		    . "created_by_user_id, entry_group_id, version, is_latest, entry_date, entry_type, "
		    . "performed_by, km, note, cost_cents, trust_level, created_at, updated_at) VALUES "
		    . "(%s, %s, %s, %s, %s, %d, %d, '2025-05-01', 'Service', 'Fachwerkstatt', 123456, "
		    . "'Notiz-Geheim', 12050, %s, '$TS', '$TS');", sq(uuid()), sq($id), sq($owner), sq($owner),
		    sq($latest ? uuid() : $group), ++$v, $latest ? 1 : 0, sq($level));
	}
	for my $d (@{ $o{docs} // [] }) {
		my ($appr, $scan, $pii) = @$d;
		$sql .= sprintf("INSERT INTO documents (id, owner_user_id, created_by_user_id, vehicle_id, "
		    . "filename, content_type, size_bytes, checksum_sha256, storage_key, approval_status, "
		    . "scan_status, pii_status, created_at) VALUES (%s, %s, %s, %s, 'rechnung_geheim.pdf', "
		    . "'application/pdf', 4242, %s, %s, %s, %s, %s, '$TS');", sq(unpack('H*', pack('N4', $seq++, 1, 2, 3))),
		    sq($owner), sq($owner), sq($id), sq('cd' x 32), sq("k/$seq"), sq($appr), sq($scan), sq($pii));
	}
	my $out = $srv->sqlite($sql);
	die "fixture: $out" if $out ne '';
	return $id;
}

# A real session row for a fresh account of the given role (the token is
# stored as base64url(HMAC(secret, token)), security.md 2.1).
my ($SECRET) = do { open my $fh, '<', $srv->conf_file or die; map { /^secret_key\s*=\s*(\S+)/ ? $1 : () } <$fh> };
sub session {
	my ($role) = @_;
	my ($uid, $sid) = (uuid(), uuid());
	my $token = "tok-$role-" . $seq++ . '-' . ('x' x 32);
	my $hash = encode_base64url(hmac_sha256($token, $SECRET));
	my $out = $srv->sqlite("INSERT INTO auth_users (user_id, email_hmac, role, status, "
	    . "email_verified_at, created_at, updated_at) VALUES ('$uid', 'eh-$uid', '$role', 'active', "
	    . "'$TS', '$TS', '$TS'); INSERT INTO auth_sessions (session_id, user_id, token_hash, "
	    . "auth_method, created_at, expires_at, last_seen_at) VALUES ('$sid', '$uid', '$hash', "
	    . "'password', '2026-03-01T09:59:00.000000Z', '2026-03-01T17:59:00.000000Z', "
	    . "'2026-03-01T09:59:00.000000Z');");
	die "session: $out" if $out ne '';
	return { token => $token, user_id => $uid };
}

sub pqr { my ($id, %o) = @_; $srv->get("/api/public/qr/$id", %o) }

my @NINE = sort qw(trust_light hint history_status evidence_status verification_level
    accident_status accident_status_label disclaimer vehicle);
my @FORBIDDEN = qw(count percent percentage anzahl tage wochen monate jahre jahr);

sub all_keys {
	my ($x) = @_;
	return () unless ref $x eq 'HASH';
	return map { ($_, all_keys($x->{$_})) } keys %$x;
}

# The data-minimisation rules every PublicQr answer obeys (api.md 6.1).
sub public_shape_ok {
	my ($r, $name) = @_;
	my $j = $r->{json};
	is($r->{status}, 200, "$name: 200");
	is($r->{headers}{'content-type'}, 'application/json; charset=utf-8', "$name: JSON");
	is($r->{headers}{'cache-control'}, 'no-store', "$name: no-store");
	is_deeply([ sort keys %{ $j // {} } ], \@NINE, "$name: exactly the nine keys");
	my %outer = %{ $j // {} };
	delete $outer{vehicle};
	unlike(json()->encode(\%outer), qr/[0-9]/, "$name: no digit outside \"vehicle\"");
	unlike($j->{hint} // '0', qr/[0-9]/, "$name: hint has no digit");
	is($j->{disclaimer}, $DISCLAIMER, "$name: exact disclaimer");
	my %keys = map { lc($_) => 1 } all_keys($j);
	ok(!$keys{$_}, "$name: no key '$_'") for @FORBIDDEN;
	ok(!grep({ $keys{$_} } qw(owner_user_id nickname id created_at updated_at entries documents
	    reason_codes reasons todo_codes top_trust_level km)), "$name: no owner/entry/document/code keys");
	if (defined $j->{vehicle}) {
		is_deeply([ sort keys %{ $j->{vehicle} } ],
		    [ sort qw(vehicle_class make model year drivetrain vin_masked accident_badge) ],
		    "$name: vehicle has exactly its seven fields");
		is($j->{vehicle}{accident_badge}, $j->{accident_status_label}, "$name: accident_badge = label");
	}
}

sub unknown_ok {
	my ($r, $name) = @_;
	public_shape_ok($r, $name);
	is_deeply($r->{json}, {
		trust_light => 'orange', hint => $HINT_UNKNOWN, history_status => 'nicht_vorhanden',
		evidence_status => 'nicht_vorhanden', verification_level => 'niedrig',
		accident_status => 'unbekannt', accident_status_label => 'Unbekannt',
		disclaimer => $DISCLAIMER, vehicle => undef }, "$name: the unknown-vehicle answer");
}

# ---- known vehicles ------------------------------------------------------

my $golf = vehicle(meta => { nickname => 'Familienkombi', accident_status => 'accident_free',
    vehicle_class => 'pkw', make => 'VW', model => 'Golf', year => 2014, drivetrain => 'diesel' },
    entries => [ [ 'T3', 1 ] ]);
my $r = pqr($golf);
public_shape_ok($r, 'green vehicle');
is_deeply($r->{json}, {
	trust_light => 'gruen', hint => 'Dokumentation ist vollständig nachweisbar.',
	history_status => 'vorhanden', evidence_status => 'vorhanden', verification_level => 'hoch',
	accident_status => 'unfallfrei', accident_status_label => 'Unfallfrei', disclaimer => $DISCLAIMER,
	vehicle => { vehicle_class => 'pkw', make => 'VW', model => 'Golf', year => 2014,
	    drivetrain => 'diesel', vin_masked => 'WVW***0001', accident_badge => 'Unfallfrei' } },
    'green vehicle: full answer incl. masked VIN and accident_badge');
my $body = decode_utf8($r->{body});
unlike($body, qr/Familienkombi/, 'nickname never shown');
unlike($body, qr/Notiz-Geheim|123456|2025-05-01|2026-/, 'no entry note, km or dates');
my $owner = $srv->sqlite("SELECT owner_user_id FROM vehicles WHERE public_id = '$golf'");
unlike($body, qr/\Q$owner\E/, 'no owner id');
unlike($body, qr/\Q$golf\E/, 'not even the vehicle id');
is($r->{headers}{'content-security-policy'}, "default-src 'none'; frame-ancestors 'none'", 'API CSP');
is($r->{headers}{'x-content-type-options'}, 'nosniff', 'nosniff');

# domain.md 4.5 worked examples through the real store.
$r = pqr(vehicle(meta => { accident_status => 'unknown' }, entries => [ [ 'T2', 1 ] ]));
public_shape_ok($r, 'unknown accident, T2');
is_deeply([ @{ $r->{json} }{qw(trust_light hint verification_level history_status evidence_status accident_status)} ],
    [ 'orange', 'Unfallstatus ist unbekannt. Trust ist begrenzt.', 'mittel', 'vorhanden', 'vorhanden', 'unbekannt' ],
    'unknown accident + T2: orange, accident hint, mittel');
is_deeply($r->{json}{vehicle}, { vehicle_class => undef, make => undef, model => undef, year => undef,
    drivetrain => undef, vin_masked => 'WVW***0001', accident_badge => 'Unbekannt' },
    'unset vehicle fields are null');

$r = pqr(vehicle(meta => { accident_status => 'accident_free' }));
is_deeply([ @{ $r->{json} }{qw(trust_light hint verification_level history_status evidence_status)} ],
    [ 'gelb', $HINT_UNKNOWN, 'niedrig', 'nicht_vorhanden', 'nicht_vorhanden' ], 'accident free, no entries: gelb');
isnt($r->{json}{vehicle}, undef, '... and a known vehicle keeps its vehicle object');

$r = pqr(vehicle(meta => { accident_status => 'accident_free' }, entries => [ [ 'T3', 1 ] ],
    docs => [ [ 'QUARANTINED', 'PENDING', 'SUSPECTED' ] ]));
public_shape_ok($r, 'quarantined suspected document');
is_deeply([ @{ $r->{json} }{qw(trust_light hint)} ],
    [ 'rot', 'Dokumente sind noch nicht freigegeben. Nachweise zählen erst nach Prüfung.' ],
    'quarantined + SUSPECTED: rot, hint of the first sorted reason');
unlike(decode_utf8($r->{body}), qr/rechnung_geheim|4242|QUARANTINED|SUSPECTED/, 'no document data');

$r = pqr(vehicle(meta => { accident_status => 'free' }, entries => [ [ 'T3', 0 ], [ 'T1', 1 ] ]));
is_deeply([ @{ $r->{json} }{qw(trust_light verification_level evidence_status)} ], [ 'gelb', 'niedrig', 'nicht_vorhanden' ],
    'only latest revisions count (superseded T3 ignored)');

$r = pqr(vehicle(meta => { accident_status => 'not_free' }, entries => [ [ 'T3', 1 ] ],
    docs => [ [ 'APPROVED', 'CLEAN', 'OK' ] ]));
is_deeply([ @{ $r->{json} }{qw(trust_light accident_status accident_status_label)} ],
    [ 'orange', 'nicht_unfallfrei', 'Nicht unfallfrei' ], 'accident not free: orange, label');
is($r->{json}{vehicle}{accident_badge}, 'Nicht unfallfrei', 'accident_badge follows the label');

$r = pqr(vehicle(vin3 => 'ZFA', vin4 => '9876', meta => { accident_status => 'unfallfrei', vehicle_class => 'anhaenger',
    make => 'Fiat', model => '500', year => 1972, drivetrain => 'plug_in_hybrid' }, entries => [ [ 'T2', 1 ] ]));
is_deeply($r->{json}{vehicle}, { vehicle_class => 'anhaenger', make => 'Fiat', model => '500', year => 1972,
    drivetrain => 'plug_in_hybrid', vin_masked => 'ZFA***9876', accident_badge => 'Unfallfrei' },
    'vehicle facts as stored (codes, not labels, in the API)');

# ---- unknown, malformed, deleted: never 404 ------------------------------

unknown_ok(pqr('7d1c0000-0000-4000-8000-000000000000'), 'unknown uuid');
unknown_ok(pqr('not-a-uuid'), 'malformed id');
unknown_ok(pqr("x%27%20OR%201%3D1%20--"), 'SQL-looking id');
unknown_ok(pqr('a' x 129), 'id over 128 characters');
unknown_ok(pqr(uc $golf), 'upper-cased id of a real vehicle');
my $gone = vehicle(deleted => 1, meta => { accident_status => 'accident_free', make => 'Opel' },
    entries => [ [ 'T3', 1 ] ]);
unknown_ok(pqr($gone), 'soft-deleted vehicle');
unlike(pqr($gone)->{body}, qr/Opel|WVW/, 'deleted vehicle: no facts at all');
is(pqr("$golf/")->{json}{trust_light}, 'gruen', 'one trailing slash is the same route');

# ---- routing -------------------------------------------------------------

$r = $srv->get('/api/public/qr');
is($r->{status}, 404, 'no id: 404');
is_deeply($r->{json}, { detail => 'Not Found' }, '... JSON Not Found');
is($srv->get("/api/public/qr/$golf/x")->{status}, 404, 'two segments: 404');
$r = $srv->post("/api/public/qr/$golf", json => {});
is($r->{status}, 405, 'POST: 405');
is($r->{headers}{allow}, 'GET, HEAD', '... Allow: GET, HEAD');
$r = $srv->req('HEAD', "/api/public/qr/$golf");
is($r->{status}, 200, 'HEAD 200');
is($r->{body}, '', 'HEAD without body');

# ---- actors --------------------------------------------------------------

my $user = session('user');
$r = pqr($golf, token => $user->{token});
is($r->{json}{trust_light}, 'gruen', 'a signed-in user gets the same answer');
$r = pqr($golf, token => 'not-a-valid-token');
is($r->{status}, 200, 'an invalid token on a public route means anonymous, never 401');
for my $role (qw(public dealer admin superadmin)) {
	is(pqr($golf, token => session($role)->{token})->{status}, 200, "role $role: 200");
}

my $mod = session('moderator');
my $audits = $srv->sqlite("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = 'MODERATOR_BLOCK'");
$r = pqr($golf, token => $mod->{token});
is($r->{status}, 403, 'moderator (Bearer): 403');
is_deeply($r->{json}, { detail => 'role_not_allowed' }, '... role_not_allowed');
$r = pqr('unknown-id', token => $mod->{token});
is_deeply([ $r->{status}, $r->{json}{detail} ], [ 403, 'role_not_allowed' ], 'moderator: 403 even for an unknown id');
$r = $srv->get("/api/public/qr/$golf", cookie => $mod->{token});
is_deeply([ $r->{status}, $r->{json}{detail} ], [ 403, 'role_not_allowed' ], 'moderator (cookie): 403');
is($srv->sqlite("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = 'MODERATOR_BLOCK'"),
    $audits + 3, 'each moderator refusal audited as MODERATOR_BLOCK');
is($srv->sqlite("SELECT count(*) FROM audit_events WHERE action NOT IN ('ACCESS_DENIED')"), 0,
    'successful public QR reads write no audit row');

# ---- /api/public/site ----------------------------------------------------

$r = $srv->get('/api/public/site');
is($r->{status}, 200, 'site: 200');
is($r->{headers}{'content-type'}, 'text/html; charset=utf-8', 'site: text/html');
is($r->{headers}{'cache-control'}, 'no-store', 'site: no-store');
is($r->{headers}{'content-security-policy'}, $CSP_HTML, 'site: HTML CSP');
is($r->{headers}{'x-frame-options'}, 'DENY', 'site: security headers');
$body = decode_utf8($r->{body});
like($body, qr{<title>LifeTimeCircle – ServiceHeft 4\.0</title>}, 'site: exact title');
like($body, qr{<html lang="de">}, 'site: lang de');
like($body, qr{Backend läuft}, 'site: badge');
like($body, qr{Vom Gebrauchtwagen zum dokumentierten Vertrauensgut\.}, 'site: tagline');
like($body, qr{<a[^>]* href="$_"}, "site: link to $_") for '/', '/blog/', '/news/';
like($body, qr{Trust-Ampel Hinweis \(Pflichttext\):</h2>\s*<p[^>]*>„\Q$DISCLAIMER\E“</p>},
    'site: heading followed by the quoted disclaimer');
is(() = $body =~ /\Q$DISCLAIMER\E/g, 1, 'site: disclaimer once');
unlike($body, qr{<script|<style|\sstyle=|\son[a-z]+=}i, 'site: no inline script/style/handlers');
is(() = $body =~ /<h1[ >]/g, 1, 'site: one h1');
$r = $srv->get('/api/public/site', token => $mod->{token});
is_deeply([ $r->{status}, $r->{json}{detail} ], [ 403, 'role_not_allowed' ], 'site: moderator 403 role_not_allowed');
is($srv->get('/api/public/site/', token => $user->{token})->{status}, 200, 'site: user 200, trailing slash');
is($srv->post('/api/public/site', json => {})->{status}, 405, 'site: POST 405');
is($srv->get('/api/public/nope')->{status}, 404, 'unknown public path: 404');

# ---- rate limit, shared with the page ------------------------------------

$srv->sqlite('DELETE FROM rate_limits');
$srv->set_conf(rl_qr_limit => 3);
is(pqr($golf)->{status}, 200, 'limit 3: API call 1');
is($srv->get("/qr/$golf")->{status}, 200, 'limit 3: page view 2');
is(pqr('unknown')->{status}, 200, 'limit 3: API call 3');
my $key = 'rl:qr:ip:' . encode_base64url(hmac_sha256('ip:127.0.0.1', $SECRET));
is($srv->sqlite('SELECT key, count FROM rate_limits'), "$key|3", 'one shared counter rl:qr:ip:<ip_hmac> at 3');
$r = pqr($golf);
is($r->{status}, 429, 'API call 4: 429');
is_deeply($r->{json}, { detail => 'rate_limited' }, '... rate_limited');
is($r->{headers}{'retry-after'}, 60, '... Retry-After = seconds to the window end');
$r = $srv->get("/qr/$golf");
is($r->{status}, 429, 'page view 4: HTTP 429');
like($r->{headers}{'content-type'}, qr{^text/html}, '... as an HTML page');
like(decode_utf8($r->{body}), qr/Zu viele Anfragen\. Bitte kurz warten und erneut versuchen\./, '... German text');
is($r->{headers}{'retry-after'}, 60, '... with Retry-After');
is($srv->sqlite('SELECT count FROM rate_limits'), 3, 'refused requests are not counted');
$r = pqr($golf, token => $mod->{token});
is($r->{status}, 403, 'moderator over the limit: still 403 (check order 5 before 7)');
# lighttpd itself refuses a GET with a body (400), so the 429-before-413
# order is checked on the CGI directly, with the server's conf and data.
sub cgi_with_body {
	return LTC::run_cgi('public', body => 'x' x 2048, env => { LTC_CONF => $srv->conf_file,
	    PATH_INFO => "/qr/$golf", REMOTE_ADDR => '127.0.0.1' });
}
$r = cgi_with_body();
is($r->{status}, 429, 'over the limit with a big body: 429 before 413');

$srv->set_conf(test_now => '2026-03-01T10:00:30Z');
is(pqr($golf)->{headers}{'retry-after'}, 30, 'Retry-After counts down with the clock');
$srv->set_conf(test_now => '2026-03-01T10:01:00Z');
is(pqr($golf)->{status}, 200, 'a new window after rl_qr_window_seconds');
$srv->set_conf(json_max_bytes => 1024);
$r = cgi_with_body();
is($r->{status}, 413, 'under the limit, body over json_max_bytes: 413');
is_deeply($r->{json}, { detail => 'too_large' }, '... too_large');
$srv->set_conf(json_max_bytes => undef, rl_qr_limit => undef);

# ---- the request log carries the template, never the id ------------------

my $log = do { local (@ARGV, $/) = ($srv->data . '/run/cgi-stderr.log'); <> } // '';
like($log, qr{"route":"/api/public/qr/\{vehicle_id\}"}, 'log line has the route template');
unlike($log, qr/\Q$golf\E|WVW|rl:qr/, 'log never has the id, VIN or rate-limit key');

$srv->stop;
done_testing;
