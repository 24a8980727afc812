#!/usr/bin/perl
# Masterclipboard (api.md 13, domain.md 11) through a real lighttpd with
# real logins: sessions, speech, triage items, board snapshots, close; the
# check order of api.md 13; Idempotency-Key replay (byte for byte, with
# Idempotent-Replayed), reuse 409, failed requests not stored, keys per
# actor; org scope (403 {"error":"forbidden"} on every session route, for
# admins too); the per-IP rate limits persisted in rate_limits; audit rows
# with correlation id = session id and the client key, never content.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => '2026-03-01T09:00:00Z');
sub sql { $srv->sqlite(shift) }
sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }

my $dealer = $srv->login(role => 'dealer');
my $dealer2 = $srv->login(role => 'dealer');
my $admin = $srv->login(role => 'admin');
my $sa = $srv->login(role => 'superadmin');
my $user = $srv->login(role => 'user');
my $vip = $srv->login(role => 'vip');
my $mod = $srv->login(role => 'moderator', consent => 0);
my $noconsent = $srv->login(role => 'dealer', consent => 0);

my $kseq = 0;
sub key { 'k-' . $$ . '-' . ++$kseq }

# $u, METHOD, path under /api/masterclipboard, body (hash, raw string or undef), key
sub mc {
	my ($u, $m, $path, $body, $key, %h) = @_;
	my %o = (headers => { %h, defined $key ? ('Idempotency-Key' => $key) : () });
	$o{token} = $u->{token} if $u;
	if (ref $body) { $o{json} = $body } elsif (defined $body) { $o{body} = $body }
	return $srv->req($m, "/api/masterclipboard$path", %o);
}
sub is_err {
	my ($r, $status, $code, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	is_deeply($r->{json}, { error => $code }, "$name: {\"error\":\"$code\"}");
}
sub is_detail {
	my ($r, $status, $detail, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	is_deeply($r->{json}, { detail => $detail }, "$name: detail $detail");
}
sub new_session {
	my ($u, $vpid) = @_;
	my $r = mc($u, 'POST', '/sessions', { vehicle_public_id => $vpid // 'WVW-ext-1' }, key());
	is($r->{status}, 201, 'session created') or diag($r->{body});
	return $r->{json}{session_id};
}

# ---- gate: 401, 403, consent, standard shapes ----------------------------

subtest 'gate' => sub {
	my $r = mc(undef, 'POST', '/sessions', {}, key());
	is_detail($r, 401, 'unauthorized', 'anonymous');
	is($r->{headers}{'www-authenticate'}, 'Bearer', 'anonymous: WWW-Authenticate');
	is_detail(mc($mod, 'POST', '/sessions', {}, key()), 403, 'role_not_allowed', 'moderator');
	is_detail(mc($user, 'POST', '/sessions', {}, key()), 403, 'forbidden', 'user');
	is_detail(mc($vip, 'GET', '/sessions/x'), 403, 'forbidden', 'vip GET');
	is_detail(mc($noconsent, 'POST', '/sessions', {}, key()), 403, 'consent_required', 'no consent');
	$r = mc($dealer, 'PUT', '/sessions');
	is($r->{status}, 405, 'PUT /sessions: 405');
	is($r->{headers}{allow}, 'POST', '... Allow: POST');
	$r = mc($dealer, 'DELETE', '/sessions/x');
	is($r->{headers}{allow}, 'GET, HEAD', 'Allow of a session: GET, HEAD');
	is(mc($dealer, 'GET', '/nope')->{status}, 404, 'unknown path: 404');
	# A cookie session needs the CSRF token on writes.
	$r = $srv->req('POST', '/api/masterclipboard/sessions', cookie => $dealer->{token},
	    json => { vehicle_public_id => 'x' }, headers => { 'Idempotency-Key' => key() });
	is_detail($r, 403, 'csrf_failed', 'cookie without CSRF token');
	$r = $srv->req('POST', '/api/masterclipboard/sessions', cookie => $dealer->{token},
	    csrf => $dealer->{csrf}, json => { vehicle_public_id => 'x' }, headers => { 'Idempotency-Key' => key() });
	is($r->{status}, 201, 'cookie with CSRF token: 201');
};

# ---- sessions, speech, items, snapshot, close --------------------------------

my ($sid, @items);
subtest 'session lifecycle' => sub {
	my $k = key();
	my $r = mc($dealer, 'POST', '/sessions', { vehicle_public_id => 'VIN-LIKE-ID-42' }, $k);
	is($r->{status}, 201, 'create: 201');
	$sid = $r->{json}{session_id};
	like($sid, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'session id is a UUIDv4');
	is_deeply([ sort keys %{ $r->{json} } ], ['session_id'], 'create answer: session_id only');

	$r = mc($dealer, 'GET', "/sessions/$sid");
	is($r->{status}, 200, 'get: 200');
	is_deeply($r->{json}, { session_id => $sid, vehicle_public_id => 'VIN-LIKE-ID-42', is_closed => JSON::PP::false,
	    created_at => '2026-03-01T09:00:00Z', closed_at => undef, speech_chunks => [], triage_items => [],
	    board_snapshots => [] }, 'get: the fresh session');

	$r = mc($dealer, 'POST', "/sessions/$sid/speech", { source => 'mic', content_redacted => "Kunde meldet\nKlappern" }, key());
	is($r->{status}, 201, 'speech: 201');
	my $chunk = $r->{json}{speech_chunk_id};
	ok($chunk, 'speech_chunk_id');
	mc($dealer, 'POST', "/sessions/$sid/speech", { source => 'text', content_redacted => 'zweiter' }, key());

	$r = mc($dealer, 'POST', "/sessions/$sid/triage/items", { items => [
	    { kind => 'defect', title => 'Bremse vorne', details_redacted => "quietscht\n", severity => 'high',
	      status => 'open', evidence_refs => ['doc:abc', 'photo 1'] },
	    { kind => 'task', title => 'Ölwechsel', severity => 'low', status => 'in_progress' },
	    { kind => 'recommendation', title => 'Reifen', details_redacted => undef, severity => 'medium',
	      status => 'blocked', evidence_refs => undef } ] }, key());
	is($r->{status}, 201, 'triage create: 201') or diag($r->{body});
	@items = @{ $r->{json}{created_ids} // [] };
	is(scalar @items, 3, 'three ids in input order');

	$srv->set_conf(test_now => '2026-03-01T09:05:00Z');
	$r = mc($dealer, 'PATCH', "/sessions/$sid/triage/items/$items[1]", { status => 'done', title => undef }, key());
	is($r->{status}, 200, 'patch: 200');
	is_deeply($r->{json}, { ok => JSON::PP::true }, 'patch: {"ok":true}');
	$r = mc($dealer, 'PATCH', "/sessions/$sid/triage/items/$items[0]", {}, key());
	is($r->{status}, 200, 'patch {}: 200 (nothing changes but updated_at)');

	$r = mc($dealer, 'POST', "/sessions/$sid/board/snapshot",
	    { ordered_item_ids => [ $items[2], $items[0] ], notes_redacted => "Reihenfolge\nfest" }, key());
	is($r->{status}, 201, 'snapshot: 201') or diag($r->{body});
	my $snap = $r->{json}{snapshot_id};
	$r = mc($dealer, 'POST', "/sessions/$sid/board/snapshot", { ordered_item_ids => [] }, key());
	is($r->{status}, 201, 'empty snapshot: 201');

	$r = mc($dealer, 'GET', "/sessions/$sid");
	my $j = $r->{json};
	is(scalar @{ $j->{speech_chunks} }, 2, 'two speech chunks');
	is_deeply($j->{speech_chunks}[0], { id => $chunk, source => 'mic', content_redacted => "Kunde meldet\nKlappern",
	    created_at => '2026-03-01T09:00:00Z' }, 'speech chunk shape, content as sent');
	is_deeply([ map { $_->{id} } @{ $j->{triage_items} } ], \@items, 'items in insert order (same created_at)');
	is_deeply($j->{triage_items}[0], { id => $items[0], kind => 'defect', title => 'Bremse vorne',
	    details_redacted => "quietscht\n", severity => 'high', status => 'open', evidence_refs => ['doc:abc', 'photo 1'],
	    created_at => '2026-03-01T09:00:00Z', updated_at => '2026-03-01T09:05:00Z' }, 'item shape');
	is($j->{triage_items}[1]{status}, 'done', 'patched status');
	is($j->{triage_items}[1]{title}, 'Ölwechsel', 'null title left unchanged');
	is_deeply($j->{triage_items}[1]{evidence_refs}, [], 'absent evidence_refs: []');
	is($j->{triage_items}[2]{details_redacted}, undef, 'null details stay null');
	is_deeply($j->{board_snapshots}[0], { id => $snap, ordered_item_ids => [ $items[2], $items[0] ],
	    notes_redacted => "Reihenfolge\nfest", created_at => '2026-03-01T09:05:00Z' }, 'snapshot shape');

	$r = mc($dealer, 'POST', "/sessions/$sid/close", undef, key());
	is($r->{status}, 200, 'close: 200');
	is_deeply($r->{json}, { ok => JSON::PP::true }, 'close: {"ok":true}');
	$r = mc($dealer, 'POST', "/sessions/$sid/close", undef, key());
	is($r->{status}, 200, 'close again: 200');
	$j = mc($dealer, 'GET', "/sessions/$sid")->{json};
	is($j->{is_closed}, JSON::PP::true, 'is_closed');
	is($j->{closed_at}, '2026-03-01T09:05:00Z', 'closed_at');

	is_err(mc($dealer, 'POST', "/sessions/$sid/speech", { source => 'mic', content_redacted => 'x' }, key()),
	    409, 'session_closed', 'speech after close');
	is_err(mc($dealer, 'POST', "/sessions/$sid/triage/items", { items => [ { kind => 'task', title => 't',
	    severity => 'low', status => 'open' } ] }, key()), 409, 'session_closed', 'triage after close');
	is_err(mc($dealer, 'PATCH', "/sessions/$sid/triage/items/$items[0]", {}, key()), 409, 'session_closed',
	    'patch after close');
	is_err(mc($dealer, 'PATCH', "/sessions/$sid/triage/items/nope", {}, key()), 404, 'not_found',
	    'patch of an unknown item after close: 404 before 409');
	is_err(mc($dealer, 'POST', "/sessions/$sid/board/snapshot", { ordered_item_ids => [] }, key()), 409,
	    'session_closed', 'snapshot after close');

	my @a = split /\n/, sql("SELECT action || '|' || scope || '|' || correlation_id || '|' || "
	    . "ifnull(idempotency_key, '') || '|' || ifnull(metadata_json, '') FROM audit_events WHERE "
	    . "target_type = 'MASTERCLIPBOARD' AND target_id = '$sid' ORDER BY rowid");
	is_deeply([ map { (split /\|/)[0] } @a ], [qw(MC_SESSION_STARTED MC_SPEECH_CHUNK_ADDED MC_SPEECH_CHUNK_ADDED
	    MC_TRIAGE_ITEM_CREATED MC_TRIAGE_ITEM_UPDATED MC_TRIAGE_ITEM_UPDATED MC_BOARD_SNAPSHOT MC_BOARD_SNAPSHOT
	    MC_SESSION_CLOSED)], 'one audit row per successful write, close only once');
	is($a[0], "MC_SESSION_STARTED|org|$sid|$k|", 'scope org, correlation id = session id, the client key');
	like($a[3], qr/\|\{"count":\s*3\}$/, 'triage created: count only');
	my $all = sql("SELECT group_concat(ifnull(metadata_json, ''), ' ') FROM audit_events");
	unlike($all, qr/Klappern|Bremse|quietscht|Reihenfolge|VIN-LIKE/, 'no content in any audit row');
};

# ---- validation (422), 413 ------------------------------------------------------

subtest 'validation' => sub {
	my $s = new_session($dealer);
	my $r = mc($dealer, 'POST', '/sessions', undef, key());
	is($r->{status}, 422, 'create without body: 422');
	is_deeply($r->{json}{detail}[0]{loc}, ['body'], '... loc body');
	$r = mc($dealer, 'POST', '/sessions', { vehicle_public_id => 'x' x 65 }, key());
	is_deeply([ $r->{status}, $r->{json}{detail}[0]{type}, $r->{json}{detail}[0]{loc} ],
	    [ 422, 'string_too_long', [ 'body', 'vehicle_public_id' ] ], '65 chars: string_too_long');
	$r = mc($dealer, 'POST', "/sessions/$s/speech", { source => 'fax', content_redacted => '' }, key());
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} } ],
	    [ [ 'enum', [ 'body', 'source' ] ], [ 'string_too_short', [ 'body', 'content_redacted' ] ] ],
	    'speech: enum and too short, in field order');
	$r = mc($dealer, 'POST', "/sessions/$s/speech", { source => 'text', content_redacted => 'x' x 20001 }, key());
	is($r->{json}{detail}[0]{type}, 'string_too_long', 'speech: 20001 characters');
	$r = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [] }, key());
	is_deeply([ $r->{json}{detail}[0]{type}, $r->{json}{detail}[0]{loc} ], [ 'too_short', [ 'body', 'items' ] ],
	    'no items: too_short');
	$r = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ map { { kind => 'task', title => 't',
	    severity => 'low', status => 'open' } } 1 .. 201 ] }, key());
	is($r->{json}{detail}[0]{type}, 'too_long', '201 items: too_long');
	$r = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ { kind => 'task', title => 't',
	    severity => 'low', status => 'open' }, 5, { kind => 'bug', title => "a\nb", severity => 'x', status => 'open',
	    evidence_refs => [ 'ok', '', 7 ] } ] }, key());
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} } ], [
	    [ 'dict_type', [ 'body', 'items', 1 ] ],
	    [ 'enum', [ 'body', 'items', 2, 'kind' ] ],
	    [ 'value_error', [ 'body', 'items', 2, 'title' ] ],
	    [ 'enum', [ 'body', 'items', 2, 'severity' ] ],
	    [ 'string_too_short', [ 'body', 'items', 2, 'evidence_refs', 1 ] ],
	    [ 'string_type', [ 'body', 'items', 2, 'evidence_refs', 2 ] ] ], 'item errors with their indexes');
	$r = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ { title => 't' } ] }, key());
	is_deeply([ map { $_->{loc}[3] } @{ $r->{json}{detail} } ], [qw(kind severity status)], 'missing item keys');
	$r = mc($dealer, 'PATCH', "/sessions/$s/triage/items/x", undef, key());
	is_deeply([ $r->{status}, $r->{json}{detail}[0]{type} ], [ 422, 'missing' ], 'patch without body: 422');
	$r = mc($dealer, 'PATCH', "/sessions/$s/triage/items/x", { title => '', severity => 'urgent' }, key());
	is_deeply([ map { $_->{loc}[1] } @{ $r->{json}{detail} } ], [qw(title severity)], 'patch field errors');
	$r = mc($dealer, 'POST', "/sessions/$s/board/snapshot", {}, key());
	is_deeply([ $r->{json}{detail}[0]{type}, $r->{json}{detail}[0]{loc} ], [ 'missing', [ 'body', 'ordered_item_ids' ] ],
	    'snapshot without ids');
	$r = mc($dealer, 'POST', "/sessions/$s/board/snapshot", { ordered_item_ids => [ ('x') x 501 ] }, key());
	is($r->{json}{detail}[0]{type}, 'too_long', '501 ids: too_long');
	my $it = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ { kind => 'task', title => 't',
	    severity => 'low', status => 'open' } ] }, key())->{json}{created_ids}[0];
	$r = mc($dealer, 'POST', "/sessions/$s/board/snapshot", { ordered_item_ids => [ $it, 'nope', $it ] }, key());
	is($r->{status}, 422, 'snapshot membership: 422');
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} } ],
	    [ [ 'value_error', [ 'body', 'ordered_item_ids', 1 ] ], [ 'value_error', [ 'body', 'ordered_item_ids', 2 ] ] ],
	    'unknown id and repeat, at their positions');
	# 422 of shape runs before the session lookup; membership after it.
	$r = mc($dealer, 'POST', '/sessions/unknown/board/snapshot', { ordered_item_ids => 'x' }, key());
	is($r->{status}, 422, 'shape 422 before the 404');
	is_err(mc($dealer, 'POST', '/sessions/unknown/board/snapshot', { ordered_item_ids => ['x'] }, key()),
	    404, 'not_found', 'membership after the lookup: 404');
	# 413 before the body is read.
	$r = $srv->req('POST', '/api/masterclipboard/sessions', token => $dealer->{token},
	    headers => { 'Idempotency-Key' => key(), 'Content-Type' => 'application/json' },
	    body => '{"vehicle_public_id":"' . ('x' x 2000) . '"}');
	is($r->{status}, 422, 'a body under the limit is read');
	$srv->set_conf(json_max_bytes => 100);
	$r = mc($dealer, 'POST', '/sessions', { vehicle_public_id => 'x' x 200 }, key());
	is_detail($r, 413, 'too_large', 'over json_max_bytes');
	is_detail(mc($dealer, 'POST', "/sessions/$s/close", 'x' x 101, key()), 413, 'too_large', 'close: "no body" still limited');
	$srv->set_conf(json_max_bytes => undef);
};

# ---- idempotency -------------------------------------------------------------------

subtest 'idempotency' => sub {
	my $s = new_session($dealer);
	for my $p ([ 'POST', '/sessions', { vehicle_public_id => 'a' } ], [ 'POST', "/sessions/$s/speech",
	    { source => 'mic', content_redacted => 'x' } ], [ 'POST', "/sessions/$s/close", undef ]) {
		is_err(mc($dealer, $p->[0], $p->[1], $p->[2]), 400, 'missing_idempotency_key', "$p->[1] without key");
		is_err(mc($dealer, $p->[0], $p->[1], $p->[2], '   '), 400, 'missing_idempotency_key', "$p->[1] blank key");
		is_err(mc($dealer, $p->[0], $p->[1], $p->[2], 'x' x 129), 400, 'invalid_idempotency_key', "$p->[1] 129 chars");
		# HTTP::Tiny sends printable ASCII only: these run the CGI directly.
		for my $bad ("k\xc3\xa4y", "k\x01y") {
			my $r = LTC::run_cgi('masterclipboard', env => { LTC_CONF => $srv->conf_file,
			    REQUEST_METHOD => $p->[0], PATH_INFO => $p->[1], HTTP_HOST => '127.0.0.1',
			    HTTP_AUTHORIZATION => "Bearer $dealer->{token}", HTTP_IDEMPOTENCY_KEY => $bad },
			    defined $p->[2] ? (body => LTC::json()->encode($p->[2])) : ());
			is_err($r, 400, 'invalid_idempotency_key', "$p->[1] key with a byte outside printable ASCII");
		}
	}
	is(mc($dealer, 'POST', '/sessions', { vehicle_public_id => 'a' }, '  ' . ('y' x 128) . ' ')->{status}, 201,
	    '128 printable characters after trimming: accepted');
	my $r = mc($dealer, 'POST', '/sessions', {});
	is($r->{status}, 422, 'body validation runs before the key check');

	my $k = key();
	my $body = '{"vehicle_public_id":"same"}';
	my $first = mc($dealer, 'POST', '/sessions', $body, $k);
	is($first->{status}, 201, 'first: 201');
	ok(!exists $first->{headers}{'idempotent-replayed'}, 'first: no replay header');
	my $n = sql("SELECT count(*) FROM mc_sessions");
	my $a = sql("SELECT count(*) FROM audit_events");
	my $again = mc($dealer, 'POST', '/sessions', $body, $k);
	is($again->{status}, 201, 'replay: the stored status');
	is($again->{body}, $first->{body}, 'replay: the first answer byte for byte');
	is($again->{headers}{'idempotent-replayed'}, 'true', 'replay: Idempotent-Replayed: true');
	is($again->{headers}{'content-type'}, $first->{headers}{'content-type'}, 'replay: same content type');
	is(sql("SELECT count(*) FROM mc_sessions"), $n, 'replay: no new session');
	is(sql("SELECT count(*) FROM audit_events"), $a, 'replay: no new audit row');
	is_err(mc($dealer, 'POST', '/sessions', '{"vehicle_public_id":"other"}', $k), 409, 'idempotency_key_reused',
	    'same key, other body');
	is_err(mc($dealer, 'POST', '/sessions', '{"vehicle_public_id": "same"}', $k), 409, 'idempotency_key_reused',
	    'same key, same JSON with other bytes: the hash is over the bytes');
	# Keys are per actor and per route key.
	my $other = mc($dealer2, 'POST', '/sessions', $body, $k);
	is($other->{status}, 201, 'the same key of another actor is independent');
	isnt($other->{json}{session_id}, $first->{json}{session_id}, '... a new session');
	$r = mc($dealer, 'POST', "/sessions/$s/speech", { source => 'mic', content_redacted => 'x' }, $k);
	is($r->{status}, 201, 'the same key on another route key is independent');
	my $s2 = new_session($dealer);
	my $sp = mc($dealer, 'POST', "/sessions/$s2/speech", { source => 'mic', content_redacted => 'x' }, $k);
	is($sp->{status}, 201, '... and on the same route of another session');

	# A failed request is not stored: the key stays usable.
	my $k2 = key();
	is_err(mc($dealer, 'POST', '/sessions/unknown/speech', { source => 'mic', content_redacted => 'x' }, $k2),
	    404, 'not_found', 'failed write (404)');
	is(sql("SELECT count(*) FROM idempotency_records WHERE idem_key = " . sq($k2)), 0, 'nothing recorded');
	my $k3 = key();
	$r = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ { kind => 'task' } ] }, $k3);
	is($r->{status}, 422, 'failed write (422)');
	$r = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ { kind => 'task', title => 't',
	    severity => 'low', status => 'open' } ] }, $k3);
	is($r->{status}, 201, 'the same key with a corrected body then succeeds');
	my $ok = mc($dealer, 'POST', "/sessions/$s/close", undef, my $ck = key());
	my $rep = mc($dealer, 'POST', "/sessions/$s/close", undef, $ck);
	is_deeply([ $rep->{status}, $rep->{body}, $rep->{headers}{'idempotent-replayed'} ], [ 200, $ok->{body}, 'true' ],
	    'close replay');
	# A replay happens before the session lookup: the closed session does not matter.
	$rep = mc($dealer, 'POST', "/sessions/$s2/speech", { source => 'mic', content_redacted => 'x' }, $k);
	mc($dealer, 'POST', "/sessions/$s2/close", undef, key());
	$rep = mc($dealer, 'POST', "/sessions/$s2/speech", { source => 'mic', content_redacted => 'x' }, $k);
	is_deeply([ $rep->{status}, $rep->{body} ], [ 201, $sp->{body} ], 'replay after close: the stored answer');
	is(sql("SELECT status_code || '|' || route_key FROM idempotency_records WHERE idem_key = " . sq($k)
	    . " AND route_key LIKE '%.speech.add' AND route_key LIKE " . sq("$s2%")), "201|$s2.speech.add",
	    'route key <sid>.speech.add');
};

# ---- org scope --------------------------------------------------------------------

subtest 'org scope' => sub {
	my $s = new_session($dealer);
	my $it = mc($dealer, 'POST', "/sessions/$s/triage/items", { items => [ { kind => 'task', title => 't',
	    severity => 'low', status => 'open' } ] }, key())->{json}{created_ids}[0];
	for my $who ([ dealer2 => $dealer2 ], [ admin => $admin ], [ superadmin => $sa ]) {
		my $u = $who->[1];
		is_err(mc($u, 'GET', "/sessions/$s"), 403, 'forbidden', "$who->[0] GET");
		is_err(mc($u, 'POST', "/sessions/$s/speech", { source => 'mic', content_redacted => 'x' }, key()),
		    403, 'forbidden', "$who->[0] speech");
		is_err(mc($u, 'POST', "/sessions/$s/triage/items", { items => [ { kind => 'task', title => 't',
		    severity => 'low', status => 'open' } ] }, key()), 403, 'forbidden', "$who->[0] triage");
		is_err(mc($u, 'PATCH', "/sessions/$s/triage/items/$it", { status => 'done' }, key()), 403, 'forbidden',
		    "$who->[0] patch");
		is_err(mc($u, 'POST', "/sessions/$s/board/snapshot", { ordered_item_ids => [] }, key()), 403, 'forbidden',
		    "$who->[0] snapshot");
		is_err(mc($u, 'POST', "/sessions/$s/close", undef, key()), 403, 'forbidden', "$who->[0] close");
	}
	is(mc($dealer, 'GET', "/sessions/$s")->{json}{is_closed}, JSON::PP::false, 'still open, unchanged');
	my $as = new_session($admin);
	is(mc($admin, 'GET', "/sessions/$as")->{status}, 200, 'an admin uses its own org');
	is_err(mc($dealer, 'GET', "/sessions/$as"), 403, 'forbidden', 'a dealer on the admin org');
	is_err(mc($dealer, 'GET', '/sessions/' . ('a' x 129)), 404, 'not_found', 'id over 128 characters');
	is_err(mc($dealer, 'PATCH', "/sessions/$s/triage/items/unknown", {}, key()), 404, 'not_found', 'unknown item');
	my $s2 = new_session($dealer);
	is_err(mc($dealer, 'PATCH', "/sessions/$s2/triage/items/$it", {}, key()), 404, 'not_found',
	    'item of another session');
};

# ---- rate limits ------------------------------------------------------------------

subtest 'rate limits' => sub {
	$srv->set_conf(test_now => '2026-03-01T09:10:00Z', rl_mc_session_get => 3, rl_mc_sessions_create => 2);
	my $s = new_session($dealer);
	# Counted per IP, whoever asks, and also when the request then fails.
	is(mc($dealer, 'GET', "/sessions/$s")->{status}, 200, 'get 1');
	is(mc($dealer2, 'GET', "/sessions/$s")->{status}, 403, 'get 2 (another org: counted as well)');
	is(mc($dealer, 'GET', '/sessions/unknown')->{status}, 404, 'get 3 (404: counted as well)');
	my $r = mc($dealer, 'GET', "/sessions/$s");
	is_detail($r, 429, 'rate_limited', 'get 4');
	like($r->{headers}{'retry-after'}, qr/^\d+$/, 'Retry-After');
	my $k = key();
	$r = mc($dealer, 'POST', '/sessions', { vehicle_public_id => 'x' }, $k);
	is($r->{status}, 201, 'create 2 of 2 (the first was new_session)');
	is_detail(mc($dealer, 'POST', '/sessions', { vehicle_public_id => 'x' }, $k), 429, 'rate_limited',
	    '429 comes before the replay');
	is_detail(mc($dealer, 'POST', '/sessions', {}, undef), 429, 'rate_limited', '429 comes before 422 and 400');
	like(sql("SELECT key || '|' || count FROM rate_limits WHERE key LIKE 'rl:mc:session.get:ip:%'"),
	    qr/^rl:mc:session\.get:ip:[A-Za-z0-9_-]{43}\|3$/, 'persisted under rl:mc:session.get:ip:<ip_hmac>');
	is(sql("SELECT count FROM rate_limits WHERE key LIKE 'rl:mc:sessions.create:ip:%'"), 2, 'create counter');
	$srv->set_conf(test_now => '2026-03-01T09:11:00Z');
	is(mc($dealer, 'GET', "/sessions/$s")->{status}, 200, 'next window: allowed again');
	$srv->set_conf(rl_mc_session_get => undef, rl_mc_sessions_create => undef);
};

# Direct runs show leaks a sanitizer build would report.
{
	my $s = new_session($dealer);
	$srv->direct('masterclipboard', $dealer, 'GET', "/sessions/$s");
}

$srv->stop;
unlike($srv->cgi_log, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report from any CGI');
done_testing;
