#!/usr/bin/perl
# /api/vehicles over HTTP (api.md 5.1-5.8, domain.md 3, 7): create with
# VIN handling and meta rules, list, detail, PATCH semantics, soft delete
# with transfer cancel, restore, QR images, paywall, policies, object-level
# denial, audit rows, and that the raw VIN is never stored or shown.
# Real logins, real lighttpd, real SQLite.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(run_cgi json);
use Digest::SHA qw(hmac_sha256_hex);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use Test::More;

my $srv = LTC->new_lighttpd;
my $NOW = '2026-03-01T09:00:00Z';
$srv->set_conf(test_now => $NOW);

sub who { $srv->login(@_) }

my @bodies;	# every response body, for the raw-VIN check at the end
sub cgi_log { $srv->cgi_log }

sub direct { $srv->direct('vehicles', @_) }

sub call {
	my ($m, $path, $u, %o) = @_;
	my %h = %{ delete $o{headers} // {} };
	my %auth;
	%auth = (token => $u->{token}) if $u;
	my $r = $srv->req($m, "/api/vehicles$path", %auth, headers => \%h, %o);
	push @bodies, $r->{body};
	return $r;
}

sub count { $srv->sqlite("SELECT count(*) FROM $_[0]") }
sub audits {
	my ($action, $target) = @_;
	my $w = "action = '$action'" . (defined $target ? " AND target_id = '$target'" : '');
	return $srv->sqlite("SELECT count(*) FROM audit_events WHERE $w");
}
sub last_audit {
	my ($action) = @_;
	return $srv->sqlite("SELECT result || '|' || scope || '|' || actor_id || '|' || "
	    . "coalesce(target_id, '') || '|' || coalesce(metadata_json, '') FROM audit_events "
	    . "WHERE action = '$action' ORDER BY rowid DESC LIMIT 1");
}
sub detail_items {
	my ($r) = @_;
	return [ map { join ':', $_->{type}, join(',', @{ $_->{loc} }) } @{ $r->{json}{detail} // [] } ];
}
sub ts_ok { defined $_[0] && $_[0] =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/ }
my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

my $alice = who(role => 'user');
my $bob = who(role => 'user');
my $vip = who(role => 'vip');
my $admin = who(role => 'admin');
my $sa = who(role => 'superadmin');

# The VINs of this test: none of them may ever be stored or shown raw.
my @VINS = ('WVWZZZ1JZ3W386752', 'WF0AXXGCDA1234567', 'VF1RFB00123456789',
    'ZFA31200000123456', 'JMZGG14F201234567');

# ---- policies -------------------------------------------------------------

{
	my $r = call('GET', '', undef);
	is($r->{status}, 401, 'no actor: 401');
	is_deeply($r->{json}, { detail => 'unauthorized' }, '401 body');
	is($r->{headers}{'www-authenticate'}, 'Bearer', 'WWW-Authenticate: Bearer');

	my $mod = who(role => 'moderator', consent => 0);
	for my $c (['POST', '', {}], ['GET', ''], ['GET', '/nope'], ['PATCH', '/nope', {}],
	    ['DELETE', '/nope', {}], ['POST', '/nope/restore'], ['GET', '/nope/qr.svg'],
	    ['GET', '/nope/qr.png'], ['GET', '/nope/trust-summary'], ['GET', '/nope/entries'],
	    ['POST', '/nope/entries', {}], ['POST', '/nope/entries/x/revisions', {}],
	    ['GET', '/nope/entries/x/history']) {
		my ($m, $p, $j) = @$c;
		$r = call($m, $p, $mod, defined $j ? (json => $j) : ());
		is_deeply([$r->{status}, $r->{json}], [403, { detail => 'role_not_allowed' }],
		    "moderator $m $p: 403 role_not_allowed");
	}
	is($srv->sqlite("SELECT reason_code FROM audit_events WHERE action = 'ACCESS_DENIED' "
	    . "AND actor_id = '$mod->{user_id}' LIMIT 1"), 'MODERATOR_BLOCK', 'moderator block audited');

	my $pub = who(role => 'public');
	$r = call('GET', '', $pub);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'role public: 403 forbidden');
	$r = call('POST', '', $pub, json => { vin => $VINS[0] });
	is($r->{status}, 403, 'role public cannot create');

	my $nc = who(role => 'user', consent => 0);
	$r = call('POST', '', $nc, json => { vin => $VINS[0] });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'consent_required' }],
	    'no consent: 403 consent_required');
	is(audits('CONSENT_REQUIRED_BLOCK'), 1, 'consent block audited');
	is(count('vehicles'), 0, 'nothing created without consent');

	$r = call('PUT', '', $alice, json => {});
	is($r->{status}, 405, 'PUT /api/vehicles: 405');
	like($r->{headers}{allow}, qr/GET/, 'Allow lists GET');
	like($r->{headers}{allow}, qr/POST/, 'Allow lists POST');
	$r = call('GET', '/x/y/z', $alice);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'Not Found' }], 'unknown path: 404 Not Found');
}

# ---- create: shape, VIN, meta ------------------------------------------------

my ($va, $r);
{
	$r = call('POST', '', $alice, json => { vin => ' wvw zzz1jz3w 386752 ', nickname => '  Familienkombi ',
	    meta => { accident_status => ' Accident_Free ', make => ' VW ', model => 'Golf', year => 2014,
	    vehicle_class => 'pkw', drivetrain => 'diesel', accident_trust_completed => JSON::PP::false,
	    nickname => 'ignored, top-level wins' } });
	is($r->{status}, 200, 'create: 200');
	my $v = $r->{json};
	$va = $v->{id};
	like($va, $UUID, 'id is a UUIDv4');
	is($v->{vin_masked}, 'WVW***6752', 'VIN normalised (trim, uppercase, spaces removed) and masked');
	is($v->{nickname}, 'Familienkombi', 'nickname trimmed; top-level wins over meta.nickname');
	is_deeply($v->{meta}, { nickname => 'Familienkombi', accident_status => 'Accident_Free',
	    accident_trust_completed => JSON::PP::false, vehicle_class => 'pkw', make => 'VW',
	    model => 'Golf', year => 2014, drivetrain => 'diesel' },
	    'meta stored: accident status trimmed as sent, make trimmed');
	is($v->{owner_user_id}, $alice->{user_id}, 'owned by the actor');
	is($v->{created_at}, $NOW, 'created_at in API form (test clock)');
	is($v->{updated_at}, $NOW, 'updated_at = created_at');
	ok(exists $v->{deleted_at} && !defined $v->{deleted_at}, 'deleted_at: explicit null');
	my @keys = $r->{body} =~ /^\{"(id)":.*,"(vin_masked)":.*,"(nickname)":.*,"(meta)":\{.*\},"(owner_user_id)":.*,"(created_at)":.*,"(updated_at)":.*,"(deleted_at)":null\}$/;
	is(scalar @keys, 8, 'VehicleOut keys in spec order');
	like($r->{body}, qr/"meta":\{"nickname":.*"accident_status":.*"accident_trust_completed":.*"vehicle_class":.*"make":.*"model":.*"year":.*"drivetrain":/,
	    'meta keys in the order of api.md 5.1');
	is_deeply([sort keys %$v], [sort qw(id vin_masked nickname meta owner_user_id created_at updated_at deleted_at)],
	    'exactly the VehicleOut keys');
	is($r->{headers}{'content-type'}, 'application/json; charset=utf-8', 'JSON content type');

	is($srv->sqlite("SELECT vin_prefix3 || '|' || vin_last4 || '|' || vin_hmac FROM vehicles WHERE public_id = '$va'"),
	    'WVW|6752|' . hmac_sha256_hex($VINS[0], do {
		my ($s) = grep { /^secret_key\s*=/ } do { open my $fh, '<', $srv->conf_file or die; <$fh> };
		$s =~ s/^secret_key\s*=\s*//; $s =~ s/\s+$//; $s }),
	    'stored: prefix3, last4 and vin_hmac = HMAC-SHA256(secret, normalised VIN)');
	like(last_audit('VEHICLE_CREATED'), qr/^success\|own\|\Q$alice->{user_id}\E\|\Q$va\E\|/,
	    'VEHICLE_CREATED audited (own scope, target the vehicle)');
	unlike(last_audit('VEHICLE_CREATED'), qr/Familienkombi|Golf|WVW/, 'audit holds key names only');

	# Minimal create; null values not stored; top-level null nickname = absent.
	$r = call('POST', '', $vip, json => { vin => $VINS[1], nickname => undef,
	    meta => { nickname => 'Transit', make => undef, model => 'Transit' } });
	is($r->{status}, 200, 'vip create with nulls');
	is_deeply($r->{json}{meta}, { nickname => 'Transit', model => 'Transit' }, 'null meta values not stored');
	is($r->{json}{nickname}, 'Transit', 'top-level null: meta.nickname used');
	$r = call('POST', '', $vip, json => { vin => $VINS[2] });
	ok(exists $r->{json}{meta} && !defined $r->{json}{meta}, 'no meta: "meta": null');
	ok(!defined $r->{json}{nickname}, 'no nickname: null');
	$r = call('POST', '', $vip, json => { vin => $VINS[3], nickname => '   ', meta => { nickname => 'X' } });
	ok(!defined $r->{json}{nickname} && !defined $r->{json}{meta}, 'top-level "" wins: no nickname at all');
	$r = call('POST', '', $vip, json => { vin => $VINS[0], meta => {} });
	is($r->{status}, 200, 'the same VIN may be registered again (own record)');
	ok(!defined $r->{json}{meta}, 'empty meta object: null');
	is($srv->sqlite("SELECT count(DISTINCT vin_hmac) || '/' || count(*) FROM vehicles WHERE vin_last4 = '6752'"),
	    '1/2', 'same VIN: same HMAC, two records');
}

# invalid_vin_format (plain code) and regular 422s.
{
	my $i = 0;
	for my $bad ('WVWZZZ1JZ3W38675I', 'WVWZZZ1JZ3W38675O', 'QVWZZZ1JZ3W386752', 'ABC123', '',
	    'WVWZZZ1JZ3W3867521', 'WVW-ZZZ1JZ3W38675', "WVWZZZ1J\tZ3W38675", "WVWZZZ\x{e4}1JZ3W3867") {
		$r = call('POST', '', $vip, json => { vin => $bad });
		is_deeply([$r->{status}, $r->{json}], [422, { detail => 'invalid_vin_format' }],
		    'invalid_vin_format #' . ++$i . ' (' . length($bad) . ' chars)');
	}
	$r = call('POST', '', $vip, json => { vin => 'abcdefghjklmnpr' });
	is($r->{status}, 200, 'lowercase 15-char VIN accepted after uppercasing');
	is($r->{json}{vin_masked}, 'ABC***MNPR', 'masked from the normalised form');

	my %cases = (
	    'vin number' => [{ vin => 12345678901 }, ['string_type:body,vin']],
	    'vin null' => [{ vin => undef }, ['string_type:body,vin']],
	    'vin missing' => [{}, ['missing:body,vin']],
	    'vin too long' => [{ vin => 'A' x 65 }, ['string_too_long:body,vin']],
	    'nickname too long' => [{ vin => $VINS[0], nickname => 'n' x 81 }, ['string_too_long:body,nickname']],
	    'nickname number' => [{ vin => $VINS[0], nickname => 5 }, ['string_type:body,nickname']],
	    'nickname control char' => [{ vin => $VINS[0], nickname => "a\nb" }, ['value_error:body,nickname']],
	    'meta list' => [{ vin => $VINS[0], meta => [] }, ['dict_type:body,meta']],
	    'meta string' => [{ vin => $VINS[0], meta => 'x' }, ['dict_type:body,meta']],
	    'extra meta key' => [{ vin => $VINS[0], meta => { color => 'red', make => 'VW' } },
		['extra_forbidden:body,meta,color']],
	    'vin key in meta' => [{ vin => $VINS[0], meta => { vin => $VINS[0] } }, ['extra_forbidden:body,meta,vin']],
	    'accident enum' => [{ vin => $VINS[0], meta => { accident_status => 'maybe' } }, ['enum:body,meta,accident_status']],
	    'accident type' => [{ vin => $VINS[0], meta => { accident_status => 1 } }, ['string_type:body,meta,accident_status']],
	    'trust completed type' => [{ vin => $VINS[0], meta => { accident_trust_completed => 'yes' } },
		['bool_type:body,meta,accident_trust_completed']],
	    'class enum (case-sensitive)' => [{ vin => $VINS[0], meta => { vehicle_class => 'PKW' } }, ['enum:body,meta,vehicle_class']],
	    'drivetrain enum' => [{ vin => $VINS[0], meta => { drivetrain => 'steam' } }, ['enum:body,meta,drivetrain']],
	    'make @' => [{ vin => $VINS[0], meta => { make => 'a@b' } }, ['value_error:body,meta,make']],
	    'make empty' => [{ vin => $VINS[0], meta => { make => '  ' } }, ['string_too_short:body,meta,make']],
	    'make too long' => [{ vin => $VINS[0], meta => { make => 'm' x 41 } }, ['string_too_long:body,meta,make']],
	    'model too long' => [{ vin => $VINS[0], meta => { model => 'm' x 61 } }, ['string_too_long:body,meta,model']],
	    'model control' => [{ vin => $VINS[0], meta => { model => "a\tb" } }, ['value_error:body,meta,model']],
	    'year low' => [{ vin => $VINS[0], meta => { year => 1885 } }, ['greater_than_equal:body,meta,year']],
	    'year high' => [{ vin => $VINS[0], meta => { year => 2028 } }, ['less_than_equal:body,meta,year']],
	    'year string' => [{ vin => $VINS[0], meta => { year => '2014' } }, ['int_type:body,meta,year']],
	    'year fraction' => [{ vin => $VINS[0], meta => { year => 2014.5 } }, ['int_type:body,meta,year']],
	    'bad VIN with a bad field: array first' => [{ vin => 'I', meta => { year => 1 } },
		['greater_than_equal:body,meta,year']],
	    'field order' => [{ vin => [], nickname => 'n' x 81, meta => { zz => 1, make => '', year => 1 } },
		['string_type:body,vin', 'string_too_long:body,nickname', 'string_too_short:body,meta,make',
		 'greater_than_equal:body,meta,year', 'extra_forbidden:body,meta,zz']],
	);
	for my $name (sort keys %cases) {
		$r = call('POST', '', $vip, json => $cases{$name}[0]);
		is($r->{status}, 422, "$name: 422");
		is_deeply(detail_items($r), $cases{$name}[1], "$name: items");
	}
	ok(!grep({ $_->{msg} =~ /\Q$VINS[0]\E|red/ } @{ $r->{json}{detail} }), 'values never echoed');
	$r = call('POST', '', $vip, json => { vin => $VINS[0], meta => { year => 2027 } });
	is($r->{status}, 200, 'year = current UTC year + 1 accepted');
	$r = call('POST', '', $vip, json => { vin => $VINS[0], meta => { year => 1886.0,
	    accident_status => 'NICHT_unfallfrei' } });
	is_deeply([$r->{status}, $r->{json}{meta}], [200, { year => 1886, accident_status => 'NICHT_unfallfrei' }],
	    'year 1886.0 stored as integer; accident status case-insensitive, stored as sent');

	$r = call('POST', '', $vip, body => '');
	is_deeply(detail_items($r), ['missing:body'], 'empty body: missing at body');
	$r = call('POST', '', $vip, body => '[1]');
	is_deeply(detail_items($r), ['dict_type:body'], 'array body: dict_type');
	$r = call('POST', '', $vip, body => '{"vin":');
	is_deeply(detail_items($r), ['json_invalid:body'], 'bad JSON: json_invalid');
	$r = call('POST', '', $vip, body => "{\"vin\":\"$VINS[0]\"}", headers => { 'Content-Type' => 'text/plain' });
	is($r->{status}, 200, 'JSON parsed whatever the Content-Type');
	$r = call('POST', '/', $vip, json => { vin => $VINS[0] });
	is($r->{status}, 200, 'trailing slash: same route');
}

# ---- paywall ---------------------------------------------------------------

{
	$r = call('POST', '', $alice, json => { vin => $VINS[1] });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'vehicle_limit_reached' }],
	    'user with 1 active vehicle: 403 vehicle_limit_reached');
	$r = call('POST', '', $alice, json => { vin => 'I' });
	is_deeply($r->{json}, { detail => 'invalid_vin_format' }, 'VIN format decided before the paywall');
	$r = call('POST', '', $alice, json => { vin => 5 });
	is($r->{status}, 422, '422 before the paywall');
	$srv->sqlite("INSERT INTO account_entitlements (user_id, addon_key, enabled, quantity, created_at, updated_at) "
	    . "VALUES ('$alice->{user_id}', 'vehicle_slots', 1, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')");
	$r = call('POST', '', $alice, json => { vin => $VINS[1] });
	is($r->{status}, 200, 'vehicle_slots quantity 1: second vehicle allowed');
	my $second = $r->{json}{id};
	$r = call('POST', '', $alice, json => { vin => $VINS[2] });
	is($r->{status}, 403, 'third vehicle refused (1 + 1 slots)');
	$srv->sqlite("UPDATE account_entitlements SET enabled = 0 WHERE user_id = '$alice->{user_id}'");
	$r = call('POST', '', $alice, json => { vin => $VINS[2] });
	is($r->{status}, 403, 'disabled entitlement: limit 1 (vehicles above it are kept)');
	is(scalar @{ call('GET', '', $alice)->{json} }, 2, 'both vehicles still listed');
	$srv->sqlite("UPDATE account_entitlements SET enabled = 1 WHERE user_id = '$alice->{user_id}'");
	$r = call('DELETE', "/$second", $alice, json => { reason => 'duplicate' });
	is($r->{status}, 200, 'soft delete of the second vehicle');
	$r = call('POST', '', $alice, json => { vin => $VINS[2] });
	is($r->{status}, 200, 'a soft-deleted vehicle frees its slot');
	my $dealer = who(role => 'dealer');
	for (1 .. 3) {
		is(call('POST', '', $dealer, json => { vin => $VINS[$_] })->{status}, 200, "dealer vehicle $_: unlimited");
	}
	is(call('POST', '', $admin, json => { vin => $VINS[4] })->{status}, 200, 'admin may own vehicles');
	is(call('POST', '', $bob, json => { vin => $VINS[4] })->{status}, 200, 'bob: first vehicle');
}

# ---- list ----------------------------------------------------------------

my $vb;
{
	my $carol = who(role => 'vip');
	my @ids;
	for my $i (0 .. 3) {
		# Created in reverse time order; sessions idle out after 30 min.
		$srv->set_conf(test_now => sprintf('2026-03-01T09:0%d:00Z', 5 - $i));
		push @ids, call('POST', '', $carol, json => { vin => $VINS[$i], nickname => "c$i" })->{json}{id};
	}
	$srv->set_conf(test_now => $NOW);
	$r = call('GET', '', $carol);
	is($r->{status}, 200, 'list: 200');
	is_deeply([map { $_->{id} } @{ $r->{json} }], [reverse @ids], 'ordered by created_at ascending');
	is_deeply([map { $_->{owner_user_id} } @{ $r->{json} }], [($carol->{user_id}) x 4], 'own vehicles only');
	is_deeply([map { $_->{id} } @{ call('GET', '?limit=2&offset=1', $carol)->{json} }], [(reverse @ids)[1, 2]],
	    'limit and offset after ordering');
	is_deeply(call('GET', '?offset=10', $carol)->{json}, [], 'offset beyond the end: empty list');
	is(scalar @{ call('GET', '?limit=1000', $carol)->{json} }, 4, 'limit 1000 allowed');
	my %bad = ('limit=0' => 'greater_than_equal:query,limit', 'limit=1001' => 'less_than_equal:query,limit',
	    'limit=abc' => 'int_type:query,limit', 'limit=1.5' => 'int_type:query,limit',
	    'offset=-1' => 'greater_than_equal:query,offset');
	for my $q (sort keys %bad) {
		$r = call('GET', "?$q", $carol);
		is_deeply([$r->{status}, detail_items($r)], [422, [$bad{$q}]], "list ?$q: 422 $bad{$q}");
	}
	$r = call('GET', '?limit=0&offset=-1', $carol);
	is_deeply(detail_items($r), ['greater_than_equal:query,limit', 'greater_than_equal:query,offset'],
	    'query items in field order');
	$r = call('GET', '?include_deleted=maybe&owner_user_id=', $carol);
	is($r->{status}, 200, 'admin-only query parameters ignored for other roles');
	is(scalar @{ $r->{json} }, 4, '... and do not filter');

	call('DELETE', "/$ids[0]", $carol, json => { reason => 'sold' });
	is(scalar @{ call('GET', '', $carol)->{json} }, 3, 'deleted vehicle gone from the owner list');
	is(scalar @{ call('GET', '?include_deleted=true', $carol)->{json} }, 3, 'include_deleted ignored for owners');

	my $all = call('GET', '', $admin)->{json};
	my $total = $srv->sqlite("SELECT count(*) FROM vehicles WHERE deleted_at IS NULL");
	is(scalar @$all, $total, 'admin: all non-deleted vehicles');
	ok(!grep({ defined $_->{deleted_at} } @$all), 'admin default list has no deleted vehicle');
	for my $t ('true', '1') {
		my $l = call('GET', "?include_deleted=$t", $admin)->{json};
		is(scalar @$l, count('vehicles'), "include_deleted=$t: every vehicle");
	}
	is(scalar @{ call('GET', '?include_deleted=0', $admin)->{json} }, $total, 'include_deleted=0');
	is(scalar @{ call('GET', '?include_deleted=false', $admin)->{json} }, $total, 'include_deleted=false');
	$r = call('GET', '?include_deleted=yes', $admin);
	is_deeply([$r->{status}, detail_items($r)], [422, ['bool_type:query,include_deleted']], 'include_deleted=yes: bool_type');
	$r = call('GET', "?owner_user_id=$carol->{user_id}&include_deleted=1", $admin);
	is_deeply([map { $_->{id} } @{ $r->{json} }], [reverse @ids], 'owner filter with deleted');
	ok(ts_ok($r->{json}[-1]{deleted_at}), 'admin sees deleted_at of the deleted vehicle');
	is_deeply(call('GET', '?owner_user_id=nobody', $admin)->{json}, [], 'owner owning nothing: empty list');
	$r = call('GET', '?owner_user_id=&limit=0', $admin);
	is_deeply(detail_items($r), ['string_too_short:query,owner_user_id', 'greater_than_equal:query,limit'],
	    'admin query validation in field order');
	$r = call('GET', '?owner_user_id=' . ('u' x 65), $admin);
	is_deeply(detail_items($r), ['string_too_long:query,owner_user_id'], 'owner_user_id over 64: 422');
	$vb = call('GET', '', $bob)->{json}[0]{id};
}

# ---- detail and object-level denial ----------------------------------------------

{
	$r = call('GET', "/$va", $alice);
	is_deeply([$r->{status}, $r->{json}{id}], [200, $va], 'owner reads the vehicle');
	$r = call('GET', "/$va/", $alice);
	is($r->{status}, 200, 'detail with trailing slash');
	$r = call('HEAD', "/$va", $alice);
	is_deeply([$r->{status}, $r->{body}], [200, ''], 'HEAD like GET without a body');
	$r = call('GET', "/$va", $admin);
	is_deeply([$r->{status}, $r->{json}{owner_user_id}], [200, $alice->{user_id}], 'admin reads any vehicle');
	is(call('GET', "/$va", $sa)->{status}, 200, 'superadmin reads any vehicle');
	for my $id ('00000000-0000-4000-8000-000000000000', 'x' x 129, 'not-a-uuid') {
		$r = call('GET', "/$id", $alice);
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'unknown id: 404 not_found');
	}
	# Bob may touch nothing of Alice's.
	for my $c (['GET', ''], ['PATCH', '', { nickname => 'x' }], ['DELETE', '', { reason => 'other' }],
	    ['GET', '/qr.svg'], ['GET', '/qr.png'], ['GET', '/trust-summary'], ['GET', '/entries'],
	    ['POST', '/entries', { date => '2026-01-01', type => 'Service', performed_by => 'x', km => 1 }],
	    ['POST', '/entries/abc/revisions', { date => '2026-01-01', type => 'Service', performed_by => 'x', km => 1 }],
	    ['GET', '/entries/abc/history']) {
		my ($m, $p, $j) = @$c;
		$r = call($m, "/$va$p", $bob, defined $j ? (json => $j) : ());
		is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], "other owner: $m {id}$p 403 forbidden");
	}
	is(call('GET', "/$va", $alice)->{json}{nickname}, 'Familienkombi', 'nothing changed by the refused calls');
	$r = call('POST', "/$va/restore", $bob);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'restore by a user: 403 forbidden');
	$r = call('POST', "/$va/restore", $alice);
	is($r->{status}, 403, 'restore by the owner: 403 (admins only)');
	$r = call('POST', "/nope/restore", $vip);
	is_deeply($r->{json}, { detail => 'forbidden' }, 'restore role check before the lookup');
}

# ---- PATCH ----------------------------------------------------------------------

{
	my $before = call('GET', "/$va", $alice)->{json};
	my $n0 = audits('VEHICLE_UPDATED');
	$srv->set_conf(test_now => '2026-03-01T09:10:00Z');
	$r = call('PATCH', "/$va", $alice, json => {});
	is_deeply([$r->{status}, $r->{json}], [200, $before], '{}: no-op, same VehicleOut');
	is(audits('VEHICLE_UPDATED'), $n0, '{}: no audit row');
	$r = call('PATCH', "/$va", $alice, json => { nickname => 'Familienkombi', meta => { make => 'VW', vin => 'x' x 3 } });
	is($r->{status}, 422, 'meta.vin is an unknown meta key: 422');
	$r = call('PATCH', "/$va", $alice, json => { nickname => ' Familienkombi ', vin => $VINS[4], meta => { make => 'VW' } });
	is_deeply([$r->{status}, $r->{json}{updated_at}, $r->{json}{vin_masked}], [200, $NOW, 'WVW***6752'],
	    'same values: unchanged updated_at; top-level vin ignored');
	is(audits('VEHICLE_UPDATED'), $n0, 'no-change PATCH writes no audit');

	$r = call('PATCH', "/$va", $alice, json => { nickname => 'Kombi', meta => { model => undef, year => 2015 } });
	is($r->{status}, 200, 'PATCH: 200');
	is($r->{json}{nickname}, 'Kombi', 'nickname replaced');
	is_deeply($r->{json}{meta}, { nickname => 'Kombi', accident_status => 'Accident_Free',
	    accident_trust_completed => JSON::PP::false, vehicle_class => 'pkw', make => 'VW', year => 2015,
	    drivetrain => 'diesel' }, 'present keys replaced, null removes, absent keys unchanged');
	is($r->{json}{updated_at}, '2026-03-01T09:10:00Z', 'updated_at bumped');
	is($r->{json}{created_at}, $NOW, 'created_at kept');
	is(audits('VEHICLE_UPDATED', $va), 1, 'VEHICLE_UPDATED audited');
	like(last_audit('VEHICLE_UPDATED'), qr/^success\|own\|.*"changed_keys":\["nickname","model","year"\]/,
	    'audit metadata: the changed key names');
	unlike(last_audit('VEHICLE_UPDATED'), qr/Kombi|2015/, 'never the values');

	$r = call('PATCH', "/$va", $alice, json => { nickname => undef });
	ok(!defined $r->{json}{nickname} && !exists $r->{json}{meta}{nickname}, 'nickname null removes it');
	$r = call('PATCH', "/$va", $alice, json => { nickname => 'Neu', meta => { nickname => 'Alt' } });
	is($r->{json}{nickname}, 'Neu', 'top-level nickname wins on PATCH');
	$r = call('PATCH', "/$va", $alice, json => { nickname => '' });
	ok(!defined $r->{json}{nickname}, '"" removes the nickname');
	$r = call('PATCH', "/$va", $alice, json => { meta => { nickname => 'Via meta' } });
	is($r->{json}{nickname}, 'Via meta', 'meta.nickname sets the nickname');

	$srv->set_conf(test_now => '2026-03-01T09:20:00Z');
	$r = call('PATCH', "/$va", $admin, json => { meta => undef, nickname => 'Nur Name' });
	is_deeply([$r->{status}, $r->{json}{meta}], [200, { nickname => 'Nur Name' }],
	    '"meta": null clears all keys, then the top-level nickname applies');
	like(last_audit('VEHICLE_UPDATED'), qr/^success\|global\|\Q$admin->{user_id}\E\|/, 'admin on another\'s vehicle: scope global');
	$r = call('PATCH', "/$va", $alice, json => { meta => undef, nickname => undef });
	ok(!defined $r->{json}{meta} && !defined $r->{json}{nickname}, 'everything cleared: meta null');
	is($srv->sqlite("SELECT meta_json IS NULL FROM vehicles WHERE public_id = '$va'"), 1, 'meta_json NULL in the DB');
	$r = call('PATCH', "/$va", $alice, json => { meta => undef });
	is($r->{json}{updated_at}, '2026-03-01T09:20:00Z', 'clearing an empty meta changes nothing');

	$r = call('PATCH', "/$va", $alice, json => { meta => { accident_status => 'unknown', year => 1800, extra => 1 } });
	is_deeply(detail_items($r), ['greater_than_equal:body,meta,year', 'extra_forbidden:body,meta,extra'], 'PATCH meta rules');
	$r = call('PATCH', "/$va", $alice, body => '');
	is_deeply(detail_items($r), ['missing:body'], 'PATCH without body: missing');
	$r = call('PATCH', '/00000000-0000-4000-8000-000000000000', $alice, json => { nickname => 5 });
	is($r->{status}, 422, '422 before 404');
	$r = call('PATCH', '/00000000-0000-4000-8000-000000000000', $alice, json => {});
	is($r->{status}, 404, 'PATCH unknown: 404');
	$r = call('PATCH', "/$va", $alice, json => { meta => { make => 'Volkswagen', accident_status => 'accident_free' } });
	is($r->{status}, 200, 'restore some meta');
	$srv->set_conf(test_now => $NOW);
}

# ---- delete, transfers, restore ----------------------------------------------

{
	my $tnow = '2026-03-01T08:00:00.000000Z';
	$srv->sqlite("INSERT INTO transfers (transfer_id, kind, vehicle_id, token_hmac, status, initiator_user_id, "
	    . "initiator_role, created_at, expires_at) VALUES ('t-open', 'owner', '$vb', 'h1', 'created', "
	    . "'$bob->{user_id}', 'user', '$tnow', '2026-03-15T08:00:00.000000Z'), ('t-old', 'owner', '$vb', 'h2', "
	    . "'expired', '$bob->{user_id}', 'user', '$tnow', '$tnow')");
	my %bad = ('missing reason' => [{}, ['missing:body,reason']],
	    'bad reason' => [{ reason => 'gone' }, ['enum:body,reason']],
	    'reason null' => [{ reason => undef }, ['string_type:body,reason']],
	    'comment too long' => [{ reason => 'sold', comment => 'c' x 501 }, ['string_too_long:body,comment']],
	    'comment control' => [{ reason => 'sold', comment => "a\x01" }, ['value_error:body,comment']]);
	for my $k (sort keys %bad) {
		$r = call('DELETE', "/$vb", $bob, json => $bad{$k}[0]);
		is_deeply([$r->{status}, detail_items($r)], [422, $bad{$k}[1]], "DELETE $k: 422");
	}
	is(call('DELETE', "/$vb", $bob, body => '')->{status}, 422, 'DELETE without body: 422 missing');
	$srv->set_conf(test_now => '2026-03-01T09:25:00Z');
	$r = call('DELETE', "/$vb", $bob, json => { reason => 'sold', comment => "Verkauft an\nNachbar" });
	is($r->{status}, 200, 'owner soft-deletes');
	is_deeply($r->{json}, { ok => JSON::PP::true, vehicle_id => $vb, deleted_at => '2026-03-01T09:25:00Z' },
	    'delete answer');
	is($srv->sqlite("SELECT deleted_by_user_id || '|' || delete_reason || '|' || delete_comment FROM vehicles WHERE public_id = '$vb'"),
	    "$bob->{user_id}|sold|Verkauft an\nNachbar", 'deletion fields stored');
	is($srv->sqlite("SELECT status || '|' || coalesce(cancelled_at, '') FROM transfers WHERE transfer_id = 't-open'"),
	    'cancelled|2026-03-01T09:25:00.000000Z', 'open transfer cancelled');
	is($srv->sqlite("SELECT status FROM transfers WHERE transfer_id = 't-old'"), 'expired', 'closed transfer untouched');
	like(last_audit('TRANSFER_CANCELLED'), qr/^success\|own\|\Q$bob->{user_id}\E\|t-open\|\{"kind":"owner","vehicle_id":"\Q$vb\E"\}$/,
	    'TRANSFER_CANCELLED audited');
	is(audits('TRANSFER_CANCELLED'), 1, 'one row per cancelled transfer');
	like(last_audit('VEHICLE_DELETED'), qr/^success\|own\|\Q$bob->{user_id}\E\|\Q$vb\E\|\{"delete_reason":"sold"\}$/,
	    'VEHICLE_DELETED with delete_reason only');
	is($srv->sqlite("SELECT count(*) FROM audit_events WHERE metadata_json LIKE '%Nachbar%'"), 0, 'comment never audited');

	for my $c (['GET', ''], ['PATCH', '', {}], ['DELETE', '', { reason => 'sold' }], ['GET', '/qr.svg'],
	    ['GET', '/trust-summary'], ['GET', '/entries'], ['GET', '/entries/x/history']) {
		my ($m, $p, $j) = @$c;
		$r = call($m, "/$vb$p", $bob, defined $j ? (json => $j) : ());
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], "deleted, owner: $m {id}$p 404");
	}
	$r = call('GET', "/$vb", $admin);
	is_deeply([$r->{status}, $r->{json}{deleted_at}], [200, '2026-03-01T09:25:00Z'], 'admin sees the deleted vehicle');
	for my $c (['PATCH', '', { nickname => 'x' }], ['DELETE', '', { reason => 'other' }],
	    ['POST', '/entries', { date => '2026-01-01', type => 'Service', performed_by => 'x', km => 1 }]) {
		my ($m, $p, $j) = @$c;
		$r = call($m, "/$vb$p", $admin, json => $j);
		is_deeply([$r->{status}, $r->{json}], [409, { detail => 'vehicle_deleted' }], "deleted, admin: $m {id}$p 409 vehicle_deleted");
	}
	$r = call('GET', "/$vb/qr.png", $admin);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'deleted: QR 404 even for admins');
	is(call('GET', "/$vb/entries", $admin)->{status}, 200, 'admin reads entries of a deleted vehicle');

	$r = call('POST', "/$va/restore", $admin);
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'vehicle_not_deleted' }], 'restore live vehicle: 409');
	$r = call('POST', '/00000000-0000-4000-8000-000000000000/restore', $admin);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'restore unknown: 404');
	$r = call('POST', "/$vb/restore", $sa, body => 'ignored, no body');
	is($r->{status}, 200, 'superadmin restores');
	ok(!defined $r->{json}{deleted_at} && $r->{json}{id} eq $vb, 'restore answers VehicleOut, deleted_at null');
	is($srv->sqlite("SELECT coalesce(deleted_at, '') || coalesce(deleted_by_user_id, '') || "
	    . "coalesce(delete_reason, '') || coalesce(delete_comment, '') FROM vehicles WHERE public_id = '$vb'"),
	    '', 'deletion fields cleared');
	like(last_audit('VEHICLE_RESTORED'), qr/^success\|global\|\Q$sa->{user_id}\E\|\Q$vb\E\|$/, 'VEHICLE_RESTORED audited');
	is(call('GET', "/$vb", $bob)->{status}, 200, 'owner sees it again');
	is(call('POST', "/$vb/restore", $admin)->{status}, 409, 'restore twice: 409 vehicle_not_deleted');
	# Restoring does not re-check the paywall.
	my $dave = who(role => 'user');
	my $d1 = call('POST', '', $dave, json => { vin => $VINS[0] })->{json}{id};
	call('DELETE', "/$d1", $dave, json => { reason => 'other' });
	call('POST', '', $dave, json => { vin => $VINS[1] });
	is(call('POST', "/$d1/restore", $admin)->{status}, 200, 'restore above the limit allowed');
	is(scalar @{ call('GET', '', $dave)->{json} }, 2, 'the user now holds 2 vehicles');
	is(call('POST', '', $dave, json => { vin => $VINS[2] })->{status}, 403, 'but cannot add more');
	$r = call('DELETE', "/$d1", $admin, json => { reason => 'stolen' });
	like(last_audit('VEHICLE_DELETED'), qr/^success\|global\|/, 'admin delete: scope global');
	is(call('DELETE', "/$d1", $dave, json => { reason => 'stolen' })->{status}, 404, 'owner deleting again: 404');
	$srv->set_conf(test_now => $NOW);
}

# ---- QR images -----------------------------------------------------------------

{
	my $dir = tempdir(CLEANUP => 1);
	my $decode = sub {
		my ($png) = @_;
		open my $fh, '>:raw', "$dir/q.png" or die;
		print $fh $png;
		close $fh;
		my $t = `zbarimg --raw -q '$dir/q.png' 2>/dev/null`;
		chomp $t;
		return $t;
	};
	$r = call('GET', "/$va/qr.svg", $alice);
	is($r->{status}, 200, 'qr.svg: 200');
	is($r->{headers}{'content-type'}, 'image/svg+xml', 'SVG content type');
	is($r->{headers}{'content-disposition'}, "inline; filename=\"ltc-qr-$va.svg\"", 'SVG Content-Disposition');
	is($r->{headers}{'content-security-policy'}, "default-src 'none'", 'QR CSP');
	is($r->{headers}{'cache-control'}, 'no-store', 'QR no-store');
	is($r->{headers}{'x-content-type-options'}, 'nosniff', 'security headers present');
	like($r->{body}, qr/^<svg[^>]* viewBox="0 0 (\d+) \1"/, 'a single <svg> with viewBox');
	is(() = $r->{body} =~ /<svg/g, 1, 'exactly one <svg>');
	unlike($r->{body}, qr/style|<script/i, 'no CSS, no script');

	$r = call('GET', "/$va/qr.png", $admin);
	is($r->{status}, 200, 'qr.png for an admin: 200');
	is($r->{headers}{'content-type'}, 'image/png', 'PNG content type');
	is($r->{headers}{'content-disposition'}, "inline; filename=\"ltc-qr-$va.png\"", 'PNG Content-Disposition');
	is($r->{headers}{'content-security-policy'}, "default-src 'none'", 'PNG CSP');
	is($r->{headers}{'cache-control'}, 'no-store', 'PNG no-store');
	is(substr($r->{body}, 0, 8), "\x89PNG\r\n\x1a\n", 'PNG signature');
	is($decode->($r->{body}), $srv->base . "/qr/$va", 'PNG decodes to <public_base_url>/qr/<id>');

	$srv->set_conf(public_base_url => 'https://serviceheft.example.de');
	is($decode->(call('GET', "/$va/qr.png", $alice)->{body}), "https://serviceheft.example.de/qr/$va",
	    'configured public_base_url used');
	$srv->set_conf(public_base_url => undef);
	# HTTP::Tiny cannot send another Host: one raw request does.
	my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $srv->{port}, Proto => 'tcp') or die;
	my $auth = $alice->{token} ? "Authorization: Bearer $alice->{token}\r\n"
	    : join('', map { "$_: $alice->{headers}{$_}\r\n" } sort keys %{ $alice->{headers} });
	print $sock "GET /api/vehicles/$va/qr.png HTTP/1.0\r\nHost: heft.test:8443\r\n$auth\r\n";
	my $raw = do { local $/; <$sock> };
	close $sock;
	my ($head, $png) = split /\r\n\r\n/, $raw, 2;
	like($head, qr{^HTTP/1\.\d 200}, 'raw request: 200');
	is($decode->($png), "http://heft.test:8443/qr/$va", 'unset public_base_url: derived from the request');
	$srv->set_conf(public_base_url => $srv->base);
	$r = call('HEAD', "/$va/qr.png", $alice);
	is_deeply([$r->{status}, $r->{body}, $r->{headers}{'content-type'}], [200, '', 'image/png'], 'HEAD qr.png');
	$r = call('GET', '/00000000-0000-4000-8000-000000000000/qr.svg', $alice);
	is($r->{status}, 404, 'QR of an unknown vehicle: 404');
}

# ---- every route once more as a plain process --------------------------------------

{
	my $u = who(role => 'vip');
	my $r = direct($u, 'POST', '/', { vin => $VINS[0], nickname => 'D',
	    meta => { make => 'VW', year => 2020, accident_status => 'free' } });
	is($r->{status}, 200, 'direct: create');
	my $id = $r->{json}{id};
	is(direct($u, 'POST', '/', { vin => 'I' })->{status}, 422, 'direct: invalid_vin_format');
	is(direct($u, 'POST', '/', { vin => 5, meta => { x => 1, year => 1 } })->{status}, 422, 'direct: 422 array');
	is(direct($alice, 'POST', '/', { vin => $VINS[0] })->{status}, 403, 'direct: paywall');
	is(direct($u, 'GET', '/?limit=5&offset=0')->{status}, 200, 'direct: list');
	is(direct($admin, 'GET', '/?include_deleted=1&owner_user_id=x')->{status}, 200, 'direct: admin list');
	is(direct($admin, 'GET', '/?include_deleted=x')->{status}, 422, 'direct: list 422');
	is(direct($u, 'GET', "/$id")->{status}, 200, 'direct: detail');
	is(direct($bob, 'GET', "/$id")->{status}, 403, 'direct: foreign detail');
	is(direct($u, 'PATCH', "/$id", { nickname => 'E', meta => { make => undef, model => 'Golf' } })->{status}, 200,
	    'direct: PATCH');
	is(direct($u, 'PATCH', "/$id", {})->{status}, 200, 'direct: PATCH no-op');
	is(direct($u, 'GET', "/$id/qr.svg")->{status}, 200, 'direct: qr.svg');
	is(direct($u, 'GET', "/$id/qr.png")->{status}, 200, 'direct: qr.png');
	is(direct($u, 'GET', "/$id/trust-summary")->{status}, 200, 'direct: trust summary');
	is(direct($u, 'DELETE', "/$id", { reason => 'other', comment => 'x' })->{status}, 200, 'direct: delete');
	is(direct($admin, 'PATCH', "/$id", {})->{status}, 409, 'direct: 409 vehicle_deleted');
	is(direct($admin, 'POST', "/$id/restore")->{status}, 200, 'direct: restore');
	is(direct($admin, 'POST', "/$id/restore")->{status}, 409, 'direct: restore again');
}

# ---- the raw VIN is nowhere ------------------------------------------------------

{
	$srv->sqlite('PRAGMA wal_checkpoint(TRUNCATE)');
	my $data = $srv->data;
	my $bytes = '';
	for my $f (glob("$data/*.sqlite*"), glob("$data/var/*.sqlite*")) {
		open my $fh, '<:raw', $f or next;
		local $/;
		$bytes .= <$fh>;
	}
	my $hmac = $srv->sqlite("SELECT vin_hmac FROM vehicles WHERE public_id = '$va'");
	ok(length($hmac) == 64 && index($bytes, $hmac) >= 0, 'database bytes read (the stored HMAC is there)');
	my $log = $srv->log . cgi_log();
	like($log, qr{"route":"/api/vehicles/\{vehicle_id\}"}, 'request log lines read (route templates)');
	my $audit = $srv->sqlite('SELECT * FROM audit_events');
	my $all_bodies = join "\n", @bodies;
	for my $vin (@VINS, 'ABCDEFGHJKLMNPR') {
		my $frag = substr($vin, 3, 10);	# any longer piece would do
		ok(index($bytes, $vin) < 0 && index($bytes, lc $vin) < 0, "VIN ...$frag... not in the DB file");
		ok(index($all_bodies, $vin) < 0, "... not in any HTTP response");
		ok(index($audit, $vin) < 0, "... not in the audit rows");
		ok(index($log, $vin) < 0 && index($log, $frag) < 0, "... not in the server log");
	}
	ok(index($bytes, 'WVWZZZ1JZ3W') < 0, 'not even the first 11 characters stored');
}

# LTC::stop reads the server logs, but the CGIs' stderr (sanitizer
# reports included) goes to lighttpd's breakagelog: check it here too.
unlike(cgi_log(), qr/AddressSanitizer|LeakSanitizer|runtime error:/, 'no sanitizer report in the CGI stderr log');
$srv->stop;
done_testing;
