#!/usr/bin/perl
# Vehicle transfers (api.md 12, domain.md 12) through a real lighttpd, real
# logins and the real SQLite file: create -> status -> redeem with the
# ownership move (folders, documents by PII status), cancel, extend once,
# lazy expiry via test_now, supersede, self-redeem, paywall, vanished
# vehicle, both path families and their roles, 422 shapes, and that the
# token exists only in the create answer (the database keeps its HMAC).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Digest::SHA qw(hmac_sha256_hex);
use POSIX qw(strftime);
use Time::Local qw(timegm);
use Test::More;

my $T0 = timegm(0, 0, 9, 1, 2, 2026);	# 2026-03-01T09:00:00Z
sub api_ts { strftime('%Y-%m-%dT%H:%M:%SZ', gmtime($_[0])) }
sub st_ts { strftime('%Y-%m-%dT%H:%M:%S.000000Z', gmtime($_[0])) }

# Keys go into ltc.conf with set_conf (the CGIs read it per request).
my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => api_ts($T0));
my $now = $T0;
sub clock { $now = shift; $srv->set_conf(test_now => api_ts($now)) }

my $secret = do {
	open my $fh, '<', $srv->conf_file or die;
	my ($s) = map { /^secret_key\s*=\s*(.*?)\s*$/ ? $1 : () } <$fh>;
	$s;
};
ok(length($secret // '') >= 32, 'test server has a secret');

sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }
sub sql { $srv->sqlite(shift) }

my $vseq = 0;
# A vehicle row owned by $owner, seeded by SQL so folders and documents can
# hang off it; the vehicles API itself is used in its own subtest below.
sub mkveh {
	my ($owner) = @_;
	$vseq++;
	my $id = sprintf('7d1c%04d-0000-4000-8000-%012d', $vseq, $vseq);
	my $out = sql("INSERT INTO vehicles (public_id, owner_user_id, vin_prefix3, vin_last4, "
	    . "vin_hmac, created_at, updated_at) VALUES ('$id', " . sq($owner) . ", 'WVW', "
	    . sprintf("'%04d'", $vseq) . ", 'vinhmac$vseq', '2026-01-01T00:00:00.000000Z', "
	    . "'2026-01-01T00:00:00.000000Z')");
	die "vehicle insert: $out" if $out ne '';
	return $id;
}

sub as { my $u = shift; (token => $u->{token}) }
sub P { my ($path, $u, $body) = @_; $srv->post($path, as($u), json => $body) }
sub G { my ($path, $u) = @_; $srv->get($path, as($u)) }

# Audit rows (action|result|reason|scope|actor_type|target_id|metadata) for a target.
sub audits {
	my ($target) = @_;
	return [ split /\n/, sql("SELECT action || '|' || result || '|' || IFNULL(reason_code, '') "
	    . "|| '|' || scope || '|' || actor_type || '|' || IFNULL(metadata_json, '') "
	    . "FROM audit_events WHERE target_type = 'HANDOVER' AND "
	    . (defined $target ? "target_id = " . sq($target) : "target_id IS NULL")
	    . " ORDER BY rowid") ];
}
sub tcol { my ($id, $c) = @_; sql("SELECT $c FROM transfers WHERE transfer_id = " . sq($id)) }

my @tokens;
sub create {
	my ($fam, $u, $vid, %o) = @_;
	my $r = P("/api/$fam/create", $u, { vehicle_id => $vid, %o });
	push @tokens, $r->{json}{transfer_token} if $r->{status} == 200;
	return $r;
}

# ---- accounts ------------------------------------------------------------

my $vip = $srv->login(role => 'vip');
my $dealer = $srv->login(role => 'dealer');
my $user = $srv->login(role => 'user');
my $user2 = $srv->login(role => 'user');
my $admin = $srv->login(role => 'admin');
my $mod = $srv->login(role => 'moderator', consent => 0);
my $noconsent = $srv->login(role => 'vip', consent => 0);

# ---- roles, consent, 401 -------------------------------------------------

subtest 'route policy' => sub {
	my $v = mkveh($vip->{user_id});
	for my $p (qw(create redeem cancel extend)) {
		my $r = $srv->post("/api/sale/transfer/$p", json => {});
		is($r->{status}, 401, "anonymous sale/$p -> 401");
		is_deeply($r->{json}, { detail => 'unauthorized' }, '... body');
		$r = $srv->post("/api/transfer/$p", json => {});
		is($r->{status}, 401, "anonymous transfer/$p -> 401");
		for my $fam ('sale/transfer', 'transfer') {
			$r = P("/api/$fam/$p", $mod, {});
			is($r->{status}, 403, "moderator $fam/$p -> 403");
			is_deeply($r->{json}, { detail => 'role_not_allowed' }, '... role_not_allowed');
		}
		for my $who ([user => $user], [admin => $admin]) {
			$r = P("/api/sale/transfer/$p", $who->[1], {});
			is($r->{status}, 403, "$who->[0] on sale/$p -> 403");
			is_deeply($r->{json}, { detail => 'forbidden' }, '... forbidden (before 422)');
		}
		$r = P("/api/transfer/$p", $noconsent, {});
		is_deeply([$r->{status}, $r->{json}], [403, { detail => 'consent_required' }],
		    "transfer/$p without consent -> 403 consent_required");
	}
	my $r = G('/api/sale/transfer/status/nope', $admin);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'admin on sale status -> 403 forbidden');
	$r = G('/api/sale/transfer/status/nope', $user);
	is($r->{status}, 403, 'user on sale status -> 403');
	$r = G('/api/transfer/status/nope', $mod);
	is_deeply($r->{json}, { detail => 'role_not_allowed' }, 'moderator on status -> role_not_allowed');
	$r = $srv->get('/api/transfer/status/nope');
	is($r->{status}, 401, 'anonymous status -> 401');
	$r = $srv->get('/api/transfer/create', as($vip));
	is($r->{status}, 405, 'GET create -> 405');
	is($r->{headers}{allow}, 'POST', '... Allow: POST');
	is($srv->get('/api/transfer/nope', as($vip))->{status}, 404, 'unknown transfer route -> 404');
	is($srv->get('/api/sale/nope', as($vip))->{status}, 404, 'unknown sale route -> 404');
	is(G('/api/transfer/status/', $vip)->{status}, 404, 'status without id -> 404 route');
	# Cookie auth without the CSRF proof is refused before anything else.
	$r = $srv->post('/api/transfer/create', cookie => $vip->{token}, json => { vehicle_id => $v });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'csrf_failed' }], 'cookie without CSRF token -> csrf_failed');
	$r = $srv->post('/api/transfer/create', cookie => $vip->{token}, csrf => $vip->{csrf},
	    json => { vehicle_id => $v });
	is($r->{status}, 200, 'cookie with CSRF token -> 200');
	push @tokens, $r->{json}{transfer_token} if $r->{status} == 200;
};

# ---- 422 -----------------------------------------------------------------

subtest 'validation' => sub {
	my $v = mkveh($vip->{user_id});
	my $r = $srv->post('/api/sale/transfer/create', as($vip), body => '');
	is($r->{status}, 422, 'create without body -> 422');
	is_deeply($r->{json}{detail}, [{ type => 'missing', loc => ['body'], msg => 'Field required' }],
	    '... missing at ["body"]');
	$r = $srv->post('/api/sale/transfer/create', as($vip), body => '{"vehicle_id":');
	is_deeply([map { [$_->{type}, $_->{loc}] } @{ $r->{json}{detail} }], [['json_invalid', ['body']]],
	    'broken JSON -> json_invalid');
	$r = $srv->post('/api/sale/transfer/create', as($vip), body => '[1]');
	is($r->{json}{detail}[0]{type}, 'dict_type', 'array body -> dict_type');
	$r = P('/api/sale/transfer/create', $vip, {});
	is_deeply($r->{json}{detail}, [{ type => 'missing', loc => ['body', 'vehicle_id'], msg => 'Field required' }],
	    '{} -> missing vehicle_id');
	$r = P('/api/sale/transfer/create', $vip, { vehicle_id => '', ttl_seconds => 59 });
	is($r->{status}, 422, 'empty id + ttl 59 -> 422');
	is_deeply([map { [$_->{type}, $_->{loc}] } @{ $r->{json}{detail} }],
	    [['string_too_short', ['body', 'vehicle_id']], ['greater_than_equal', ['body', 'ttl_seconds']]],
	    '... both items in field order');
	is_deeply([sort keys %{ $r->{json}{detail}[0] }], [qw(loc msg type)], '... items have exactly type, loc, msg');
	$r = P('/api/transfer/create', $vip, { vehicle_id => $v, ttl_seconds => 1209601 });
	is_deeply([map { [$_->{type}, $_->{loc}] } @{ $r->{json}{detail} }],
	    [['less_than_equal', ['body', 'ttl_seconds']]], 'ttl 1209601 -> less_than_equal');
	$r = P('/api/transfer/create', $vip, { vehicle_id => $v, ttl_seconds => '3600' });
	is($r->{json}{detail}[0]{type}, 'int_type', 'ttl as string -> int_type');
	$r = P('/api/transfer/create', $vip, { vehicle_id => $v, ttl_seconds => JSON::PP::true });
	is($r->{json}{detail}[0]{type}, 'int_type', 'ttl as bool -> int_type');
	$r = P('/api/transfer/create', $vip, { vehicle_id => 'x' x 129 });
	is($r->{json}{detail}[0]{type}, 'string_too_long', 'vehicle_id 129 chars -> string_too_long');
	$r = P('/api/transfer/create', $vip, { vehicle_id => undef });
	is($r->{json}{detail}[0]{type}, 'string_type', 'vehicle_id null -> string_type');
	$r = P('/api/transfer/create', $vip, { vehicle_id => 42 });
	is($r->{json}{detail}[0]{type}, 'string_type', 'vehicle_id number -> string_type');
	is(sql("SELECT count(*) FROM transfers WHERE vehicle_id = '$v'"), 0, 'nothing created by a 422');

	$r = P('/api/transfer/redeem', $dealer, {});
	is_deeply($r->{json}{detail}, [{ type => 'missing', loc => ['body', 'transfer_token'], msg => 'Field required' }],
	    'redeem {} -> missing transfer_token');
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => 'a' x 19 });
	is_deeply([map { [$_->{type}, $_->{loc}] } @{ $r->{json}{detail} }],
	    [['string_too_short', ['body', 'transfer_token']]], 'token 19 chars -> string_too_short');
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => 'a' x 257 });
	is($r->{json}{detail}[0]{type}, 'string_too_long', 'token 257 chars -> string_too_long');
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => ('a' x 20) . "\n" });
	is($r->{json}{detail}[0]{type}, 'value_error', 'control character in token -> value_error');
	for my $p (qw(cancel extend)) {
		$r = P("/api/transfer/$p", $vip, {});
		is_deeply($r->{json}{detail}, [{ type => 'missing', loc => ['body', 'transfer_id'], msg => 'Field required' }],
		    "$p {} -> missing transfer_id");
		$r = P("/api/sale/transfer/$p", $vip, { transfer_id => 'x' x 65 });
		is_deeply([map { [$_->{type}, $_->{loc}] } @{ $r->{json}{detail} }],
		    [['string_too_long', ['body', 'transfer_id']]], "$p id 65 chars -> string_too_long");
		$r = P("/api/sale/transfer/$p", $vip, { transfer_id => '' });
		is($r->{json}{detail}[0]{type}, 'string_too_short', "$p empty id -> string_too_short");
	}
};

# ---- create: lookups, ownership, answer, storage -------------------------

my $car = mkveh($vip->{user_id});
my ($t1, $tok1);
subtest 'create' => sub {
	my $r = create('sale/transfer', $vip, 'no-such-vehicle');
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'unknown vehicle -> 404 not_found');
	my $gone = mkveh($vip->{user_id});
	sql("UPDATE vehicles SET deleted_at = '2026-02-01T00:00:00.000000Z' WHERE public_id = '$gone'");
	$r = create('sale/transfer', $vip, $gone);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'deleted vehicle -> 404 not_found');
	$r = create('sale/transfer', $dealer, $car);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'not the owner -> 403 forbidden');
	$r = create('transfer', $admin, $car);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'admin is not exempt -> 403 forbidden');
	is(sql("SELECT count(*) FROM transfers WHERE vehicle_id = '$car'"), 0, 'no transfer row yet');

	$r = create('sale/transfer', $vip, $car);
	is($r->{status}, 200, 'owner creates a sale transfer');
	my $j = $r->{json};
	($t1, $tok1) = ($j->{transfer_id}, $j->{transfer_token});
	my @keys = $r->{body} =~ /"(\w+)":/g;
	is_deeply(\@keys, [qw(transfer_id transfer_token expires_at status kind vehicle_id)], 'answer keys in order');
	like($t1, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'transfer_id is a UUIDv4');
	like($tok1, qr/^[A-Za-z0-9_-]{43}$/, 'token: 43 base64url characters');
	is($j->{expires_at}, api_ts($T0 + 1209600), 'default TTL transfer_ttl_seconds (14 days)');
	is($j->{status}, 'created', 'status created');
	is($j->{kind}, 'sale', 'kind sale on the sale path');
	is($j->{vehicle_id}, $car, 'vehicle_id echoed');

	is(tcol($t1, 'token_hmac'), hmac_sha256_hex($tok1, $secret), 'stored token_hmac = hex HMAC-SHA256(secret, token)');
	is(tcol($t1, "status || '|' || kind || '|' || initiator_user_id || '|' || initiator_role || '|' || created_at || '|' || expires_at || '|' || ownership_transferred"),
	    join('|', 'created', 'sale', $vip->{user_id}, 'vip', st_ts($T0), st_ts($T0 + 1209600), 0), 'row columns');
	is(tcol($t1, "quote(extended_at) || quote(redeemed_by_user_id) || quote(redeemed_at) || quote(cancelled_at) || quote(expired_at)"),
	    'NULLNULLNULLNULLNULL', 'open row has no end stamps');
	my $a = audits($t1);
	is(scalar @$a, 1, 'one audit row');
	like($a->[0], qr/^TRANSFER_CREATED\|success\|\|own\|user\|/, 'TRANSFER_CREATED, scope own, actor user');
	like($a->[0], qr/"kind":"sale"/, '... metadata kind');
	like($a->[0], qr/"vehicle_id":"\Q$car\E"/, '... metadata vehicle_id');

	my $own = mkveh($admin->{user_id});
	$r = create('transfer', $admin, $own, ttl_seconds => 60);
	is($r->{status}, 200, 'an admin hands over its own vehicle on /api/transfer');
	is($r->{json}{kind}, 'owner', 'kind owner on /api/transfer');
	is($r->{json}{expires_at}, api_ts($T0 + 60), 'ttl_seconds 60 honoured');
	like(audits($r->{json}{transfer_id})->[0], qr/^TRANSFER_CREATED\|success\|\|own\|/, 'admin on own vehicle: scope own');
	$r = create('transfer', $user, mkveh($user->{user_id}), ttl_seconds => undef);
	is($r->{status}, 200, 'user may create on /api/transfer; ttl null = default');
	is($r->{json}{expires_at}, api_ts($T0 + 1209600), '... default expiry');
	sql("UPDATE transfers SET status = 'cancelled' WHERE transfer_id = " . sq($r->{json}{transfer_id}));
	sql("DELETE FROM vehicles WHERE owner_user_id = " . sq($user->{user_id}));
};

# ---- status --------------------------------------------------------------

subtest 'status' => sub {
	for my $fam ('sale/transfer', 'transfer') {
		my $r = G("/api/$fam/status/$t1", $vip);
		is($r->{status}, 200, "initiator reads status on $fam");
		my @keys = $r->{body} =~ /"(\w+)":/g;
		is_deeply(\@keys, [qw(transfer_id vehicle_id kind status created_at expires_at is_expired extended_at
		    redeemed_at cancelled_at redeemed_by_user_id initiator_user_id ownership_transferred)],
		    '... TransferStatus keys in order');
		is_deeply($r->{json}, { transfer_id => $t1, vehicle_id => $car, kind => 'sale', status => 'created',
		    created_at => api_ts($T0), expires_at => api_ts($T0 + 1209600), is_expired => JSON::PP::false,
		    extended_at => undef, redeemed_at => undef, cancelled_at => undef, redeemed_by_user_id => undef,
		    initiator_user_id => $vip->{user_id}, ownership_transferred => JSON::PP::false }, '... exact body');
	}
	my $r = G("/api/sale/transfer/status/$t1", $dealer);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'stranger -> 403 forbidden');
	$r = G("/api/transfer/status/$t1", $user);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'stranger on /api/transfer -> 403');
	$r = G("/api/transfer/status/$t1", $admin);
	is($r->{status}, 200, 'admin reads any status on /api/transfer');
	is($r->{json}{transfer_id}, $t1, '... that transfer');
	for my $fam ('sale/transfer', 'transfer') {
		$r = G("/api/$fam/status/00000000-0000-4000-8000-000000000000", $vip);
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'transfer_not_found' }], "unknown id on $fam -> 404");
	}
	$r = G('/api/transfer/status/' . ('a' x 200), $vip);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'transfer_not_found' }], 'overlong id -> 404');
};

# ---- redeem refusals before the move -------------------------------------

subtest 'redeem refusals' => sub {
	my $r = P('/api/sale/transfer/redeem', $vip, { transfer_token => $tok1 });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'cannot_redeem_own_transfer' }], 'initiator -> 409');
	is(tcol($t1, 'status'), 'created', '... stays created');
	is((grep { /^TRANSFER_REDEEM_FAILED\|denied\|SELF_REDEEM\|shared\|/ } @{ audits($t1) }), 1,
	    '... audit REDEEM_FAILED SELF_REDEEM, scope shared, committed');
	my $fake = 'A' x 43;
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => $fake });
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'transfer_not_found' }], 'unknown token -> 404');
	is((grep { /^TRANSFER_REDEEM_FAILED\|denied\|NOT_FOUND\|shared\|user\|$/ } @{ audits(undef) }), 1,
	    '... audit REDEEM_FAILED NOT_FOUND (no target)');
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => uc $tok1 });
	is($r->{status}, 404, 'tokens are case-sensitive');
};

# ---- the ownership move --------------------------------------------------

subtest 'redeem moves ownership' => sub {
	my ($s, $b) = ($vip->{user_id}, $dealer->{user_id});
	my $ts = "'2026-02-01T00:00:00.000000Z'";
	# Folders: the buyer already has "Karosserie" and "Karosserie (2)" here.
	for my $f ([$s, 'Karosserie'], [$s, 'Motor'], [$b, 'Karosserie'], [$b, 'Karosserie (2)']) {
		sql("INSERT INTO trust_folders (vehicle_id, owner_user_id, title, created_at, updated_at) "
		    . "VALUES ('$car', " . sq($f->[0]) . ", " . sq($f->[1]) . ", $ts, $ts)");
	}
	my $other = mkveh($s);
	sql("INSERT INTO trust_folders (vehicle_id, owner_user_id, title, created_at, updated_at) "
	    . "VALUES ('$other', " . sq($s) . ", 'Karosserie', $ts, $ts)");
	sql("INSERT INTO vehicle_entries (id, vehicle_id, owner_user_id, created_by_user_id, entry_group_id, "
	    . "version, is_latest, entry_date, entry_type, performed_by, km, created_at, updated_at) VALUES "
	    . "('e1', '$car', " . sq($s) . ", " . sq($s) . ", 'g1', 1, 1, '2026-01-10', 'Service', 'Werkstatt', "
	    . "1000, $ts, $ts)");
	my %pii = (d_ok => 'OK', d_sus => 'SUSPECTED', d_conf => 'CONFIRMED', d_del => 'OK', d_other => 'OK');
	for my $d (sort keys %pii) {
		my $veh = $d eq 'd_other' ? $other : $car;
		my $del = $d eq 'd_del' ? $ts : 'NULL';
		sql("INSERT INTO documents (id, owner_user_id, created_by_user_id, vehicle_id, entry_id, filename, "
		    . "content_type, size_bytes, storage_key, approval_status, scan_status, pii_status, created_at, "
		    . "deleted_at) VALUES ('$d', " . sq($s) . ", " . sq($s) . ", '$veh', 'e1', 'x.pdf', "
		    . "'application/pdf', 1, 'k/$d', 'APPROVED', 'CLEAN', '$pii{$d}', $ts, $del)");
	}
	sql("INSERT INTO vehicle_addon_states (vehicle_id, addon_key, active, addon_first_enabled_at, "
	    . "created_at, updated_at) VALUES ('$car', 'restauration', 1, $ts, $ts, $ts)");

	clock($T0 + 30);
	# Created on the sale path, redeemed on the owner path.
	my $r = P('/api/transfer/redeem', $dealer, { transfer_token => $tok1 });
	is($r->{status}, 200, 'dealer redeems on /api/transfer (cross-path)');
	is($r->{body}, qq({"transfer_id":"$t1","vehicle_id":"$car","status":"redeemed","ownership_transferred":true}),
	    '... exact answer');

	is(sql("SELECT owner_user_id || '|' || updated_at FROM vehicles WHERE public_id = '$car'"),
	    "$b|" . st_ts($T0 + 30), 'vehicle owner = redeemer, updated_at = now');
	is(sql("SELECT group_concat(owner_user_id || ':' || title, ',') FROM (SELECT * FROM trust_folders "
	    . "WHERE vehicle_id = '$car' ORDER BY id)"),
	    "$b:Karosserie (3),$b:Motor,$b:Karosserie,$b:Karosserie (2)",
	    'folders moved; colliding title suffixed " (3)"');
	is(sql("SELECT updated_at FROM trust_folders WHERE vehicle_id = '$car' AND title = 'Motor'"),
	    st_ts($T0 + 30), 'moved folder updated_at = now');
	is(sql("SELECT owner_user_id FROM trust_folders WHERE vehicle_id = '$other'"), $s,
	    "another vehicle's folder stays");
	my %doc = map { my @f = split /\|/; ($f[0] => join('|', @f[1 .. $#f])) }
	    split /\n/, sql("SELECT id || '|' || owner_user_id || '|' || created_by_user_id || '|' || "
	    . "IFNULL(vehicle_id, 'NULL') || '|' || IFNULL(entry_id, 'NULL') FROM documents");
	is($doc{d_ok}, "$b|$s|$car|e1", 'PII OK document: owner = redeemer, uploader kept, still linked');
	is($doc{d_sus}, "$s|$s|NULL|NULL", 'PII SUSPECTED document: stays with seller, unlinked');
	is($doc{d_conf}, "$s|$s|NULL|NULL", 'PII CONFIRMED document: stays with seller, unlinked');
	is($doc{d_del}, "$s|$s|$car|e1", 'deleted document untouched');
	is($doc{d_other}, "$s|$s|$other|e1", "another vehicle's document untouched");
	is(sql("SELECT owner_user_id || '|' || created_by_user_id FROM vehicle_entries WHERE id = 'e1'"), "$s|$s",
	    'entries keep their history');
	is(sql("SELECT active || '|' || addon_first_enabled_at FROM vehicle_addon_states WHERE vehicle_id = '$car'"),
	    "1|2026-02-01T00:00:00.000000Z", 'add-on state stays with the vehicle');
	is(tcol($t1, "status || '|' || redeemed_by_user_id || '|' || redeemed_by_role || '|' || redeemed_at || '|' || ownership_transferred"),
	    "redeemed|$b|dealer|" . st_ts($T0 + 30) . "|1", 'transfer row redeemed');
	my ($ra) = grep { /^TRANSFER_REDEEMED/ } @{ audits($t1) };
	like($ra, qr/^TRANSFER_REDEEMED\|success\|\|shared\|user\|/, 'audit TRANSFER_REDEEMED, scope shared');
	like($ra, qr/"documents_moved":1/, '... documents moved 1');
	like($ra, qr/"documents_unlinked":2/, '... documents unlinked 2');
	like($ra, qr/"vehicle_id":"\Q$car\E"/, '... vehicle_id');

	for my $who ([redeemer => $dealer], [initiator => $vip]) {
		$r = G("/api/transfer/status/$t1", $who->[1]);
		is($r->{status}, 200, "$who->[0] reads the redeemed status");
		is_deeply([@{ $r->{json} }{qw(status redeemed_by_user_id redeemed_at ownership_transferred is_expired)}],
		    ['redeemed', $b, api_ts($T0 + 30), JSON::PP::true, JSON::PP::false], '... redeemed fields');
	}
	is(G("/api/sale/transfer/status/$t1", $dealer)->{status}, 200, 'redeemer reads it on the sale path too');

	$r = G("/api/vehicles/$car", $dealer);
	is_deeply([$r->{status}, $r->{json}{owner_user_id}], [200, $b], 'GET /api/vehicles/{id} works for the new owner');
	$r = G("/api/vehicles/$car", $vip);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], '... and is 403 for the old owner');

	$r = P('/api/sale/transfer/redeem', $vip, { transfer_token => $tok1 });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_redeemable' }], 'redeem again -> 409');
	is((grep { /^TRANSFER_REDEEM_FAILED\|denied\|NOT_REDEEMABLE\|shared\|/ } @{ audits($t1) }), 1,
	    '... audit NOT_REDEEMABLE');
	$r = P('/api/sale/transfer/cancel', $vip, { transfer_id => $t1 });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_cancellable' }], 'cancel redeemed -> 409');
	$r = P('/api/sale/transfer/extend', $vip, { transfer_id => $t1 });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_extendable' }], 'extend redeemed -> 409');
	$r = create('sale/transfer', $vip, $car);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'the old owner can no longer hand it over');
	$r = create('sale/transfer', $dealer, $car);
	is($r->{status}, 200, 'the new owner can');
	sql("UPDATE transfers SET status = 'cancelled' WHERE transfer_id = " . sq($r->{json}{transfer_id}));
};

# ---- cancel --------------------------------------------------------------

subtest 'cancel' => sub {
	my $v = mkveh($vip->{user_id});
	my $r = create('transfer', $vip, $v);
	my ($id, $tok) = @{ $r->{json} }{qw(transfer_id transfer_token)};
	$r = P('/api/transfer/cancel', $dealer, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'not the initiator -> 403');
	$r = P('/api/transfer/cancel', $admin, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'admin is not the initiator -> 403');
	$r = P('/api/transfer/cancel', $vip, { transfer_id => 'nope' });
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'transfer_not_found' }], 'unknown id -> 404');
	clock($T0 + 40);
	# Created on /api/transfer, cancelled on the sale path.
	$r = P('/api/sale/transfer/cancel', $vip, { transfer_id => $id });
	is($r->{status}, 200, 'initiator cancels (cross-path)');
	is($r->{body}, qq({"ok":true,"transfer_id":"$id","status":"cancelled"}), '... exact answer');
	is(tcol($id, "status || '|' || cancelled_at"), 'cancelled|' . st_ts($T0 + 40), 'row cancelled, cancelled_at = now');
	like((grep { /^TRANSFER_CANCELLED/ } @{ audits($id) })[0], qr/^TRANSFER_CANCELLED\|success\|\|own\|user\|/,
	    'audit TRANSFER_CANCELLED, scope own');
	$r = G("/api/transfer/status/$id", $vip);
	is_deeply([@{ $r->{json} }{qw(status cancelled_at is_expired)}], ['cancelled', api_ts($T0 + 40), JSON::PP::false],
	    'status shows the cancel');
	$r = P('/api/transfer/cancel', $vip, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_cancellable' }], 'cancel again -> 409');
	$r = P('/api/transfer/extend', $vip, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_extendable' }], 'extend cancelled -> 409');
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => $tok });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_redeemable' }], 'redeem cancelled -> 409');
	is(sql("SELECT owner_user_id FROM vehicles WHERE public_id = '$v'"), $vip->{user_id}, 'vehicle not moved');
};

# ---- extend --------------------------------------------------------------

subtest 'extend' => sub {
	clock($T0 + 50);
	my $v = mkveh($dealer->{user_id});
	my $r = create('sale/transfer', $dealer, $v, ttl_seconds => 3600);
	my $id = $r->{json}{transfer_id};
	is($r->{json}{expires_at}, api_ts($T0 + 50 + 3600), 'created with ttl 3600');
	$r = P('/api/sale/transfer/extend', $vip, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'not the initiator -> 403');
	$r = P('/api/sale/transfer/extend', $dealer, { transfer_id => 'nope' });
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'transfer_not_found' }], 'unknown -> 404');
	clock($T0 + 70);
	$r = P('/api/transfer/extend', $dealer, { transfer_id => $id });
	is($r->{status}, 200, 'initiator extends (cross-path)');
	my @keys = $r->{body} =~ /"(\w+)":/g;
	is(scalar @keys, 13, '... answer is a TransferStatus');
	is_deeply([@{ $r->{json} }{qw(status expires_at extended_at is_expired kind)}],
	    ['created', api_ts($T0 + 50 + 3600 + 1209600), api_ts($T0 + 70), JSON::PP::false, 'sale'],
	    '... expires_at += transfer_ttl_seconds from the current expiry; extended_at = now');
	is(tcol($id, "expires_at || '|' || extended_at"), st_ts($T0 + 50 + 3600 + 1209600) . '|' . st_ts($T0 + 70),
	    'row updated');
	like((grep { /^TRANSFER_EXTENDED/ } @{ audits($id) })[0], qr/^TRANSFER_EXTENDED\|success\|\|own\|/,
	    'audit TRANSFER_EXTENDED');
	$r = P('/api/transfer/extend', $dealer, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_already_extended' }], 'second extend -> 409');
	is(tcol($id, 'expires_at'), st_ts($T0 + 50 + 3600 + 1209600), '... expiry unchanged');
	is(G("/api/transfer/status/$id", $dealer)->{json}{extended_at}, api_ts($T0 + 70), 'status shows extended_at');
	sql("UPDATE transfers SET status = 'cancelled' WHERE transfer_id = " . sq($id));
};

# ---- lazy expiry ---------------------------------------------------------

subtest 'expiry' => sub {
	clock($T0 + 100);
	my $v = mkveh($vip->{user_id});
	my $r = create('transfer', $vip, $v, ttl_seconds => 60);
	my ($id, $tok) = @{ $r->{json} }{qw(transfer_id transfer_token)};
	clock($T0 + 159);
	$r = G("/api/transfer/status/$id", $vip);
	is_deeply([@{ $r->{json} }{qw(status is_expired)}], ['created', JSON::PP::false], 'one second before: created');
	clock($T0 + 160);
	$r = G("/api/transfer/status/$id", $dealer);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'a stranger still gets 403');
	is(tcol($id, "status || '|' || expired_at"), 'expired|' . st_ts($T0 + 160),
	    'that read expired the row first (at expires_at itself), expired_at = now');
	$r = G("/api/sale/transfer/status/$id", $vip);
	is($r->{status}, 200, 'initiator reads the status');
	is_deeply([@{ $r->{json} }{qw(status is_expired expires_at cancelled_at)}],
	    ['expired', JSON::PP::true, api_ts($T0 + 160), undef], 'status expired, is_expired true');
	my @exp = grep { /^TRANSFER_EXPIRED/ } @{ audits($id) };
	is(scalar @exp, 1, 'exactly one TRANSFER_EXPIRED audit row');
	like($exp[0], qr/^TRANSFER_EXPIRED\|success\|\|global\|system\|/, '... written as a system rule');
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => $tok });
	is_deeply([$r->{status}, $r->{json}], [410, { detail => 'transfer_expired' }], 'redeem -> 410 transfer_expired');
	is((grep { /^TRANSFER_REDEEM_FAILED\|denied\|EXPIRED\|shared\|/ } @{ audits($id) }), 1, '... audit EXPIRED');
	$r = P('/api/transfer/cancel', $vip, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [410, { detail => 'transfer_expired' }], 'cancel -> 410');
	$r = P('/api/transfer/extend', $vip, { transfer_id => $id });
	is_deeply([$r->{status}, $r->{json}], [410, { detail => 'transfer_expired' }], 'extend -> 410');
	$r = P('/api/transfer/cancel', $dealer, { transfer_id => $id });
	is($r->{status}, 403, 'cancel by a stranger: 403 comes before 410');

	# Expiry seen first by a redeem: expired and refused in one request.
	my $r2 = create('transfer', $vip, $v, ttl_seconds => 60);
	my ($id2, $tok2) = @{ $r2->{json} }{qw(transfer_id transfer_token)};
	clock($T0 + 230);
	$r = P('/api/sale/transfer/redeem', $dealer, { transfer_token => $tok2 });
	is_deeply([$r->{status}, $r->{json}], [410, { detail => 'transfer_expired' }], 'redeem after expiry -> 410');
	is(tcol($id2, "status || '|' || expired_at"), 'expired|' . st_ts($T0 + 230), '... and the expiry is committed');
	is_deeply([map { (split /\|/)[0] . '/' . (split /\|/)[2] } @{ audits($id2) }],
	    ['TRANSFER_CREATED/', 'TRANSFER_EXPIRED/', 'TRANSFER_REDEEM_FAILED/EXPIRED'], '... audit trail');
	is(sql("SELECT owner_user_id FROM vehicles WHERE public_id = '$v'"), $vip->{user_id}, 'vehicle not moved');

	# Expiry seen first by extend.
	my $r3 = create('transfer', $vip, $v, ttl_seconds => 60);
	my $id3 = $r3->{json}{transfer_id};
	clock($T0 + 300);
	$r = P('/api/transfer/extend', $vip, { transfer_id => $id3 });
	is_deeply([$r->{status}, $r->{json}], [410, { detail => 'transfer_expired' }], 'extend after expiry -> 410');
	is(tcol($id3, 'status'), 'expired', '... row expired');
};

# ---- supersede -----------------------------------------------------------

subtest 'one open transfer per vehicle' => sub {
	clock($T0 + 400);
	my $v = mkveh($vip->{user_id});
	my $a = create('sale/transfer', $vip, $v);
	my ($ida, $toka) = @{ $a->{json} }{qw(transfer_id transfer_token)};
	clock($T0 + 410);
	my $b = create('transfer', $vip, $v, ttl_seconds => 60);
	is($b->{status}, 200, 'second create on the same vehicle');
	my $idb = $b->{json}{transfer_id};
	is(tcol($ida, "status || '|' || cancelled_at"), 'cancelled|' . st_ts($T0 + 410), 'first one cancelled');
	my ($c) = grep { /^TRANSFER_CANCELLED/ } @{ audits($ida) };
	like($c, qr/^TRANSFER_CANCELLED\|success\|\|own\|user\|/, '... audit TRANSFER_CANCELLED');
	like($c, qr/"superseded":true/, '... metadata superseded: true');
	is(sql("SELECT count(*) FROM transfers WHERE vehicle_id = '$v' AND status = 'created'"), 1, 'one open transfer');
	my $r = P('/api/transfer/redeem', $dealer, { transfer_token => $toka });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_redeemable' }], 'superseded token -> 409');
	# The open one is past its expiry when the next create comes: expired.
	clock($T0 + 480);
	my $c2 = create('transfer', $vip, $v);
	is($c2->{status}, 200, 'third create');
	is(tcol($idb, "status || '|' || expired_at || '|' || quote(cancelled_at)"), 'expired|' . st_ts($T0 + 480) . '|NULL',
	    'a due transfer is closed as expired, not cancelled');
	is_deeply([map { (split /\|/)[0] } @{ audits($idb) }], ['TRANSFER_CREATED', 'TRANSFER_EXPIRED'],
	    '... audit TRANSFER_EXPIRED');
	is(sql("SELECT group_concat(status, ',') FROM (SELECT status FROM transfers WHERE vehicle_id = '$v' ORDER BY created_at)"),
	    'cancelled,expired,created', 'history of the vehicle');
	sql("UPDATE transfers SET status = 'cancelled' WHERE transfer_id = " . sq($c2->{json}{transfer_id}));
};

# ---- paywall -------------------------------------------------------------

subtest 'paywall on redeem' => sub {
	clock($T0 + 500);
	mkveh($user2->{user_id});	# the free slot is used
	my $v = mkveh($vip->{user_id});
	my $r = create('sale/transfer', $vip, $v);
	my ($id, $tok) = @{ $r->{json} }{qw(transfer_id transfer_token)};
	$r = P('/api/transfer/redeem', $user2, { transfer_token => $tok });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'vehicle_limit_reached' }], 'user at its limit -> 403');
	is(tcol($id, 'status'), 'created', 'transfer stays created');
	is(sql("SELECT owner_user_id FROM vehicles WHERE public_id = '$v'"), $vip->{user_id}, 'vehicle not moved');
	is((grep { /^TRANSFER_REDEEM_FAILED\|denied\|VEHICLE_LIMIT\|shared\|/ } @{ audits($id) }), 1, '... audit VEHICLE_LIMIT');
	$r = P('/api/sale/transfer/redeem', $user2, { transfer_token => $tok });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'user on the sale path -> 403 forbidden');
	sql("INSERT INTO account_entitlements (user_id, addon_key, enabled, quantity, created_at, updated_at) VALUES ("
	    . sq($user2->{user_id}) . ", 'vehicle_slots', 1, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')");
	$r = P('/api/transfer/redeem', $user2, { transfer_token => $tok });
	is($r->{status}, 200, 'with a vehicle_slots entitlement the redeem passes');
	is(tcol($id, "status || '|' || redeemed_by_role"), 'redeemed|user', '... redeemed by role user');
	is(sql("SELECT owner_user_id FROM vehicles WHERE public_id = '$v'"), $user2->{user_id}, '... vehicle moved');
	# A soft-deleted vehicle does not count against the limit.
	my $v2 = mkveh($vip->{user_id});
	my $tok2 = create('sale/transfer', $vip, $v2)->{json}{transfer_token};
	is(P('/api/transfer/redeem', $user2, { transfer_token => $tok2 })->{status}, 403, 'at 2 of 2 -> 403');
	sql("UPDATE vehicles SET deleted_at = '2026-02-01T00:00:00.000000Z' WHERE owner_user_id = "
	    . sq($user2->{user_id}) . " AND public_id <> '$v'");
	is(P('/api/transfer/redeem', $user2, { transfer_token => $tok2 })->{status}, 200, 'deleted vehicles free a slot');
};

# ---- vehicle gone or owner changed ---------------------------------------

subtest 'vehicle no longer the initiator\'s' => sub {
	clock($T0 + 600);
	my $v = mkveh($vip->{user_id});
	my $r = create('transfer', $vip, $v);
	my ($id, $tok) = @{ $r->{json} }{qw(transfer_id transfer_token)};
	sql("UPDATE vehicles SET deleted_at = '2026-03-01T09:09:00.000000Z' WHERE public_id = '$v'");
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => $tok });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_redeemable' }], 'deleted vehicle -> 409');
	is(tcol($id, "status || '|' || cancelled_at"), 'cancelled|' . st_ts($T0 + 600),
	    'the transfer is cancelled and that is committed');
	is_deeply([map { join '/', (split /\|/)[0, 2] } @{ audits($id) }],
	    ['TRANSFER_CREATED/', 'TRANSFER_CANCELLED/', 'TRANSFER_REDEEM_FAILED/NOT_REDEEMABLE'], 'audit trail');
	is(sql("SELECT owner_user_id FROM vehicles WHERE public_id = '$v'"), $vip->{user_id}, 'vehicle not moved');

	my $w = mkveh($vip->{user_id});
	my ($id2, $tok2) = @{ create('transfer', $vip, $w)->{json} }{qw(transfer_id transfer_token)};
	sql("UPDATE vehicles SET owner_user_id = " . sq($user->{user_id}) . " WHERE public_id = '$w'");
	$r = P('/api/transfer/redeem', $dealer, { transfer_token => $tok2 });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_redeemable' }], 'owner changed -> 409');
	is(tcol($id2, 'status'), 'cancelled', '... cancelled');
	is(sql("SELECT owner_user_id FROM vehicles WHERE public_id = '$w'"), $user->{user_id}, '... vehicle untouched');
};

# ---- end to end with the vehicles API -----------------------------------

subtest 'with vehicles created and deleted over the API' => sub {
	clock($T0 + 700);
	my $r = P('/api/vehicles', $vip, { vin => 'WVWZZZ1JZXW000001', nickname => 'Kombi' });
	is($r->{status}, 200, 'vip creates a vehicle over the API');
	my $v = $r->{json}{id};
	is(G("/api/vehicles/$v", $dealer)->{status}, 403, 'the dealer cannot read it yet');
	my $tok = create('sale/transfer', $vip, $v)->{json}{transfer_token};
	$r = P('/api/sale/transfer/redeem', $dealer, { transfer_token => $tok });
	is($r->{status}, 200, 'dealer redeems');
	$r = G("/api/vehicles/$v", $dealer);
	is_deeply([$r->{status}, $r->{json}{owner_user_id}, $r->{json}{nickname}], [200, $dealer->{user_id}, 'Kombi'],
	    'the vehicle is the dealer\'s now, meta kept');
	ok((grep { $_->{id} eq $v } @{ G('/api/vehicles', $dealer)->{json} }), 'it is in the dealer\'s list');
	ok(!(grep { $_->{id} eq $v } @{ G('/api/vehicles', $vip)->{json} }), 'and gone from the vip\'s list');
	is(G("/api/vehicles/$v", $vip)->{status}, 403, 'old owner: 403');

	# Soft delete over the API closes the open transfer.
	my ($id, $tok2) = @{ create('transfer', $dealer, $v)->{json} }{qw(transfer_id transfer_token)};
	$r = $srv->req('DELETE', "/api/vehicles/$v", as($dealer), json => { reason => 'sold' });
	is($r->{status}, 200, 'dealer deletes the vehicle');
	$r = P('/api/transfer/redeem', $vip, { transfer_token => $tok2 });
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'transfer_not_redeemable' }],
	    'redeem after the delete -> 409 transfer_not_redeemable');
	is(tcol($id, 'status'), 'cancelled', 'the transfer is cancelled');
	is(G("/api/vehicles/$v", $vip)->{status}, 404, 'the vehicle did not move');
	$r = create('transfer', $dealer, $v);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'no new transfer of a deleted vehicle');
};

# ---- the token exists only in the create answer --------------------------

subtest 'token confidentiality' => sub {
	ok(@tokens >= 10, scalar(@tokens) . ' tokens issued in this test');
	my $dump = sql('SELECT * FROM transfers') . "\n" . sql('SELECT * FROM audit_events');
	my @leak = grep { index($dump, $_) >= 0 } @tokens;
	is(scalar @leak, 0, 'no token in the transfers or audit_events tables');
	my @hm = split /\n/, sql('SELECT token_hmac FROM transfers');
	is(scalar(grep { /^[0-9a-f]{64}$/ } @hm), scalar @hm, 'every token_hmac is 64 lowercase hex');
	my $log = $srv->log;
	for my $f (glob($srv->data . '/run/*.log')) { $log .= do { local (@ARGV, $/) = ($f); <> } }
	is(scalar(grep { index($log, $_) >= 0 } @tokens), 0, 'no token in the server logs');
	unlike(sql("SELECT group_concat(IFNULL(metadata_json, ''), ' ') FROM audit_events WHERE target_type = 'HANDOVER'"),
	    qr/token|\@/, 'no token key or e-mail in transfer audit metadata');
	is(sql("SELECT count(*) FROM audit_events WHERE target_type = 'HANDOVER' AND request_id = ''"), 0,
	    'every transfer audit row has a request id');
};

# The CGIs' stderr (sanitizer reports included) goes to lighttpd's breakagelog.
my $cgi_err = do { my $f = $srv->data . '/run/cgi-stderr.log'; -e $f ? do { local (@ARGV, $/) = ($f); <> } : '' };
unlike($cgi_err, qr/AddressSanitizer|LeakSanitizer|runtime error:/, 'no sanitizer report in the CGI stderr log');
unlike($cgi_err, qr/ERROR db/, 'no database error in the CGI stderr log');

$srv->stop;
done_testing;
