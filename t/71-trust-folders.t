#!/usr/bin/perl
# /api/trust/folders* over HTTP (api.md 8, domain.md 9): the folder gate
# with its {"code":...} answers, legacy backfill, first activation,
# grandfathering, owner scope vs. admin override, title_conflict, the
# folder_id rules, policies and 422 shapes. Real logins, real SQLite.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => '2026-03-01T09:00:00Z');

# A real login: ltcctl user add, POST /api/auth/login, consent accept.
sub who { $srv->login(@_) }

sub call {
	my ($m, $path, $u, %o) = @_;
	my $p = $path =~ m{^/api/} ? $path : "/api/trust$path";
	return $srv->req($m, $p, %o) unless $u;
	return $srv->req($m, $p, token => $u->{token}, %o);
}

my $vseq = 0;
sub vehicle {
	my ($owner) = @_;
	my $id = sprintf('%08x-1111-4000-8000-%012x', $$, ++$vseq);
	$srv->sqlite("INSERT INTO vehicles (public_id, owner_user_id, vin_prefix3, vin_last4, "
	    . "vin_hmac, created_at, updated_at) VALUES ('$id', '$owner->{user_id}', 'WVW', "
	    . "'000$vseq', 'h$vseq', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')");
	return $id;
}

sub count { $srv->sqlite("SELECT count(*) FROM $_[0]") }
sub audits { count("audit_events WHERE action = '$_[0]'" . (defined $_[1] ? " AND target_id = '$_[1]'" : '')) }
sub last_audit {
	my ($action) = @_;
	return $srv->sqlite("SELECT result || '|' || coalesce(reason_code, '') || '|' || scope "
	    . "|| '|' || coalesce(metadata_json, '') FROM audit_events WHERE action = '$action' "
	    . "ORDER BY rowid DESC LIMIT 1");
}
sub loc422 { [ map { [ $_->{type}, @{ $_->{loc} } ] } @{ $_[0]{json}{detail} // [] } ] }
sub state {
	my ($vid, $key) = @_;
	$key //= 'restauration';
	return $srv->sqlite("SELECT active || ',' || coalesce(addon_first_enabled_at, '-') FROM "
	    . "vehicle_addon_states WHERE vehicle_id = '$vid' AND addon_key = '$key'");
}
my $admin = who(role => 'admin');
my $u1 = who(role => 'user');
my $u2 = who(role => 'user');
my $dealer = who(role => 'dealer');
my $mod = who(role => 'moderator', consent => 0);	# moderators cannot consent
my $pub = who(role => 'public');
my $nc = who(role => 'vip', consent => 0);

sub config {
	my (%f) = @_;
	my $key = delete $f{key} // 'restauration';
	my $r = call('POST', "/api/addons/config/$key", $admin,
	    json => { map { $_ => $f{$_} ? JSON::PP::true : JSON::PP::false } keys %f });
	die "config: $r->{status}" unless $r->{status} == 200;
}
sub entitle {
	my ($u, $on) = @_;
	my $r = call('POST', '/api/addons/entitlements/restauration', $admin,
	    json => { user_id => $u->{user_id}, enabled => ($on // 1) ? JSON::PP::true : JSON::PP::false });
	die "entitle: $r->{status}" unless $r->{status} == 200;
}

my $v1 = vehicle($u1);
my $r;

# ---- policies --------------------------------------------------------------------------

for my $c (['GET', "/folders?vehicle_id=$v1"], ['POST', '/folders'], ['GET', '/folders/1'],
    ['PATCH', '/folders/1'], ['DELETE', '/folders/1']) {
	my @b = $c->[0] =~ /POST|PATCH/ ? (json => {}) : ();
	$r = call($c->[0], $c->[1], undef, @b);
	is_deeply([$r->{status}, $r->{json}], [401, { detail => 'unauthorized' }], "$c->[0] $c->[1]: anonymous 401");
	$r = call($c->[0], $c->[1], $mod, @b);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'role_not_allowed' }], '... moderator: role_not_allowed');
	$r = call($c->[0], $c->[1], $pub, @b);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], '... role public: forbidden');
	$r = call($c->[0], $c->[1], $nc, @b);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'consent_required' }], '... no consent: consent_required');
}
is(count("audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = 'MODERATOR_BLOCK'"), 5, 'moderator blocks audited');
is(audits('CONSENT_REQUIRED_BLOCK'), 5, 'consent blocks audited');
$r = call('PUT', '/folders', $u1, json => {});
is_deeply([$r->{status}, join ',', sort split /, /, $r->{headers}{allow} // ''], [405, 'GET,HEAD,POST'],
    'PUT /folders: 405 with Allow');
$r = call('POST', '/folders/1', $u1, json => {});
is_deeply([$r->{status}, join ',', sort split /, /, $r->{headers}{allow} // ''], [405, 'DELETE,GET,HEAD,PATCH'],
    'POST /folders/1: 405 with Allow');
is(call('GET', '/nope', $u1)->{status}, 404, 'unknown path 404');

# ---- 422 -------------------------------------------------------------------------------------

$r = call('GET', '/folders', $u1);
is_deeply([$r->{status}, loc422($r)], [422, [['missing', 'query', 'vehicle_id']]], 'list: vehicle_id required');
$r = call('GET', '/folders?vehicle_id=&addon_key=Bad', $u1);
is_deeply(loc422($r), [['string_too_short', 'query', 'vehicle_id'], ['string_pattern_mismatch', 'query', 'addon_key']],
    'list: empty vehicle_id, bad addon_key');
$r = call('GET', '/folders?vehicle_id=' . ('a' x 129), $u1);
is_deeply(loc422($r), [['string_too_long', 'query', 'vehicle_id']], 'list: vehicle_id at most 128');
$r = call('POST', '/folders', $u1);
is_deeply(loc422($r), [['missing', 'body']], 'create: body required');
$r = call('POST', '/folders', $u1, json => {});
is_deeply(loc422($r), [['missing', 'body', 'vehicle_id'], ['missing', 'body', 'title']], 'create: required fields in order');
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => "   ", addon_key => 'X' });
is_deeply(loc422($r), [['string_too_short', 'body', 'title'], ['string_pattern_mismatch', 'body', 'addon_key']],
    'create: blank title after trim, bad key');
$r = call('POST', '/folders', $u1, json => { vehicle_id => 5, title => 'x' x 256 });
is_deeply(loc422($r), [['string_type', 'body', 'vehicle_id'], ['string_too_long', 'body', 'title']],
    'create: vehicle_id string, title at most 255');
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => "a\nb" });
is_deeply(loc422($r), [['value_error', 'body', 'title']], 'create: title is single-line');
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => undef });
is_deeply(loc422($r), [['string_type', 'body', 'title']], 'create: null title is a type error');
for my $c (['abc', 'int_type'], ['-1', 'int_type'], ['1.0', 'int_type'], ['+1', 'int_type'],
    ['0', 'greater_than_equal'], ['000', 'greater_than_equal']) {
	$r = call('GET', "/folders/$c->[0]", $u1);
	is_deeply([$r->{status}, loc422($r)], [422, [[$c->[1], 'path', 'folder_id']]], "folder_id '$c->[0]': $c->[1]");
}
$r = call('PATCH', '/folders/x', $u1, json => { title => '' });
is_deeply(loc422($r), [['int_type', 'path', 'folder_id'], ['string_too_short', 'body', 'title']], 'PATCH: path then body');
$r = call('PATCH', '/folders/9223372036854775808', $u1, json => {});
is_deeply(loc422($r), [['missing', 'body', 'title']], 'PATCH on a too-large id: 422 before 404');
for my $id ('9223372036854775808', '99999999999999999999999', '9223372036854775807') {
	$r = call('GET', "/folders/$id", $u1);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], "folder_id $id: 404");
}
$r = call('DELETE', '/folders/0', $u1);
is_deeply(loc422($r), [['greater_than_equal', 'path', 'folder_id']], 'DELETE folder_id 0: 422');

# ---- vehicle checks, then the gate ------------------------------------------------------------

$r = call('POST', '/folders', $u1, json => { vehicle_id => 'nope', title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'create: unknown vehicle 404');
$r = call('POST', '/folders', $u2, json => { vehicle_id => $v1, title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'create: not the owner 403');
$r = call('GET', "/folders?vehicle_id=$v1", $u2);
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'list: not the owner 403');

$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'addon_not_available' } }],
    'no config: {"code":"addon_not_available"}');
like(last_audit('ADDON_GATE_DENIED'), qr/^denied\|addon_not_available\|own\|\{"addon_key":"restauration"\}$/,
    'gate denial audited and committed');
$r = call('GET', "/folders?vehicle_id=$v1", $u1);
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'addon_not_available' } }], 'reads pass the gate too');
$r = call('GET', "/folders?vehicle_id=$v1", $admin);
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'addon_not_available' } }], '... for admins too');

config(allow_new => 1, requires_payment => 0, admin_only => 1);
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'admin_only' } }], 'admin_only: {"code":"admin_only"}');
like(last_audit('ADDON_GATE_DENIED'), qr/^denied\|admin_only\|/, '... audited');
config(allow_new => 0, requires_payment => 0);
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => 'Karosserie' });
is_deeply($r->{json}, { detail => { code => 'addon_not_available' } }, 'allow_new false: addon_not_available');
config(allow_new => 1, requires_payment => 1);
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'paywall_required' } }], 'no entitlement: paywall_required');
like(last_audit('ADDON_GATE_DENIED'), qr/^denied\|paywall_required\|own\|/, '... audited');
is(count('trust_folders'), 0, 'no folder written by refused creates');
is(state($v1), '', 'no state row after denials');

entitle($u1);
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => '  Karosserie  ' });
is($r->{status}, 201, 'entitled owner creates: 201');
my $f1 = $r->{json};
like($f1->{id}, qr/^\d+$/, 'integer id');
is_deeply({ %$f1, id => 0 }, { id => 0, vehicle_id => $v1, owner_user_id => $u1->{user_id}, addon_key => 'restauration',
    title => 'Karosserie', created_at => '2026-03-01T09:00:00Z', updated_at => '2026-03-01T09:00:00Z' },
    'TrustFolderOut with the trimmed title');
is(state($v1), '1,2026-03-01T09:00:00.000000Z', 'first activation stamped addon_first_enabled_at, active');
like(last_audit('ADDON_ENABLED'), qr/^success\|\|own\|\{"addon_key":"restauration"/, 'activation audited');
like(last_audit('TRUST_FOLDER_CREATED'), qr/^success\|\|own\|\{"addon_key":"restauration"\}$/, 'TRUST_FOLDER_CREATED audited');

# ---- title uniqueness --------------------------------------------------------------------------------

$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => 'Karosserie ' });
is_deeply([$r->{status}, $r->{json}], [409, { detail => 'title_conflict' }], 'same title (after trim): 409 title_conflict');
$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => 'Motor' });
is($r->{status}, 201, 'second folder');
my $f2 = $r->{json};
$r = call('POST', '/folders', $admin, json => { vehicle_id => $v1, title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}{owner_user_id}], [201, $admin->{user_id}],
    'admin may use the same title on the vehicle (unique per owner), owns the folder');
my $fa = $r->{json};
like(last_audit('TRUST_FOLDER_CREATED'), qr/^success\|\|own\|/, 'the new folder is the admin\'s own: scope own');

# Sessions idle out after 30 min: the clock moves in small steps.
$srv->set_conf(test_now => '2026-03-01T09:10:00Z');
$r = call('PATCH', "/folders/$f2->{id}", $u1, json => { title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [409, { detail => 'title_conflict' }], 'rename onto an own title: 409');
my $renamed = audits('TRUST_FOLDER_RENAMED');
$r = call('PATCH', "/folders/$f2->{id}", $u1, json => { title => ' Motor ' });
is_deeply([$r->{status}, $r->{json}], [200, $f2], 'rename to the own current title: no-op success');
is(audits('TRUST_FOLDER_RENAMED'), $renamed, '... no audit, updated_at unchanged');
$r = call('PATCH', "/folders/$f2->{id}", $u1, json => { title => 'Motor & Getriebe' });
is_deeply([$r->{status}, $r->{json}{title}, $r->{json}{updated_at}, $r->{json}{created_at}],
    [200, 'Motor & Getriebe', '2026-03-01T09:10:00Z', '2026-03-01T09:00:00Z'], 'rename: title and updated_at');
like(last_audit('TRUST_FOLDER_RENAMED'), qr/^success\|\|own\|\{"addon_key":"restauration"\}$/, 'TRUST_FOLDER_RENAMED audited');
$r = call('PATCH', "/folders/$fa->{id}", $admin, json => { title => 'Motor & Getriebe' });
is($r->{status}, 200, 'admin renames its own folder to a title another owner uses');
$r = call('PATCH', "/folders/$f2->{id}", $admin, json => { title => 'Karosserie' });
is_deeply([$r->{status}, $r->{json}], [409, { detail => 'title_conflict' }],
    'admin renaming u1\'s folder: uniqueness is checked against the folder owner');

# Cookie sessions must prove CSRF safety on unsafe methods.
$r = $srv->req('PATCH', "/api/trust/folders/$f2->{id}", cookie => $u1->{token}, json => { title => 'Motor' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'csrf_failed' }], 'cookie PATCH without CSRF token: 403 csrf_failed');
$r = $srv->req('PATCH', "/api/trust/folders/$f2->{id}", cookie => $u1->{token}, csrf => $u1->{csrf},
    json => { title => 'Motor & Getriebe' });
is($r->{status}, 200, 'cookie PATCH with the CSRF token');

# ---- owner scope vs. admin override -------------------------------------------------------------------

$r = call('GET', "/folders?vehicle_id=$v1", $u1);
is_deeply([$r->{status}, [map { $_->{id} } @{ $r->{json} }]], [200, [$f1->{id}, $f2->{id}]],
    'owner lists only own folders, ordered by id');
$r = call('GET', "/folders?vehicle_id=$v1&addon_key=restauration", $admin);
is_deeply([map { $_->{id} } @{ $r->{json} }], [$f1->{id}, $f2->{id}, $fa->{id}], 'admin lists all folders');
$r = call('GET', "/folders/$fa->{id}", $u1);
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'owner of the vehicle cannot read the admin\'s folder');
$r = call('GET', "/folders/$f1->{id}", $u2);
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'other user: 403');
$r = call('PATCH', "/folders/$f1->{id}", $u2, json => { title => 'x' });
is($r->{status}, 403, 'other user cannot rename');
$r = call('DELETE', "/folders/$f1->{id}", $u2);
is($r->{status}, 403, 'other user cannot delete');
$r = call('GET', "/folders/$f1->{id}", $u1);
is_deeply([$r->{status}, $r->{json}{title}], [200, 'Karosserie'], 'owner reads the folder');
$r = call('GET', "/folders/000$f1->{id}", $admin);
is_deeply([$r->{status}, $r->{json}{id}], [200, $f1->{id}], 'admin reads any folder (leading zeros are fine)');
$r = call('GET', '/folders/' . ('0' x (129 - length $f1->{id})) . $f1->{id}, $u1);
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'folder_id over 128 characters names no folder');
$r = call('GET', "/folders/$f1->{id}/", $u1);
is($r->{status}, 200, 'trailing slash');

# ---- grandfathering ------------------------------------------------------------------------------------

my $v2 = vehicle($u1);
entitle($u1, 0);
for my $c ([{ allow_new => 0 }, 'addon_not_available'], [{ allow_new => 1, admin_only => 1 }, 'admin_only'],
    [{ allow_new => 1, requires_payment => 1 }, 'paywall_required']) {
	config(%{ $c->[0] });
	$r = call('GET', "/folders?vehicle_id=$v1", $u1);
	is($r->{status}, 200, "grandfathered vehicle lists after tightening ($c->[1])");
	$r = call('POST', '/folders', $u1, json => { vehicle_id => $v1, title => "Neu $c->[1]" });
	is($r->{status}, 201, '... and creates');
	$r = call('POST', '/folders', $u1, json => { vehicle_id => $v2, title => 'Neu' });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => $c->[1] } }], "... a fresh vehicle is refused: $c->[1]");
}
$r = call('POST', "/api/addons/vehicles/$v1/disable", $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}{active}], [200, JSON::PP::false], 'add-on disabled on the vehicle');
$r = call('GET', "/folders/$f1->{id}", $u1);
is($r->{status}, 200, 'active=false never blocks folder access');
is(state($v1), '0,2026-03-01T09:00:00.000000Z', 'reads leave the disabled state and first stamp alone');
$srv->sqlite("DELETE FROM addon_configs");
$r = call('GET', "/folders?vehicle_id=$v1", $u1);
is($r->{status}, 200, 'grandfathering survives config removal');

# ---- legacy backfill ----------------------------------------------------------------------------------

my $v3 = vehicle($u2);
$srv->sqlite("INSERT INTO trust_folders (vehicle_id, owner_user_id, addon_key, title, created_at, updated_at) "
    . "VALUES ('$v3', '$u2->{user_id}', 'restauration', 'Alt', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')");
my $legacy = $srv->sqlite("SELECT id FROM trust_folders WHERE vehicle_id = '$v3'");
$srv->set_conf(test_now => '2026-03-01T09:20:00Z');
is(state($v3), '', 'legacy folder, no state, no config');
$r = call('GET', "/folders?vehicle_id=$v3", $u2);
is_deeply([$r->{status}, [map { $_->{title} } @{ $r->{json} // [] }]], [200, ['Alt']], 'legacy data is readable without any config');
is(state($v3), '1,2026-03-01T09:20:00.000000Z', 'backfill stamped addon_first_enabled_at and active');
is(audits('ADDON_GRANDFATHERED', $v3), 1, 'ADDON_GRANDFATHERED written');
like($srv->sqlite("SELECT actor_type || '|' || result || '|' || metadata_json FROM audit_events "
    . "WHERE action = 'ADDON_GRANDFATHERED'"), qr/^system\|success\|\{"addon_key":"restauration"\}$/, '... by the system');
$r = call('GET', "/folders/$legacy", $u2);
is($r->{status}, 200, 'legacy folder readable by id');
is(audits('ADDON_GRANDFATHERED', $v3), 1, 'backfill happens once');
my $v4 = vehicle($u2);
$srv->sqlite("INSERT INTO trust_folders (vehicle_id, owner_user_id, addon_key, title, created_at, updated_at) "
    . "VALUES ('$v4', '$u2->{user_id}', 'restauration', 'Alt', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')");
$srv->sqlite("INSERT INTO vehicle_addon_states (vehicle_id, addon_key, active, created_at, updated_at) "
    . "VALUES ('$v4', 'restauration', 0, '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')");
my $l4 = $srv->sqlite("SELECT id FROM trust_folders WHERE vehicle_id = '$v4'");
$r = call('PATCH', "/folders/$l4", $u2, json => { title => 'Alt 2' });
is($r->{status}, 200, 'legacy folder with a state row lacking the stamp: rename works');
is(state($v4), '1,2026-03-01T09:20:00.000000Z', '... the state row was updated by the backfill');
is(audits('ADDON_GRANDFATHERED', $v4), 1, '... and audited');

# ---- deleted vehicles ------------------------------------------------------------------------------------

$srv->sqlite("UPDATE vehicles SET deleted_at = '2026-03-03T00:00:00.000000Z' WHERE public_id = '$v1'");
$r = call('GET', "/folders/$f1->{id}", $u1);
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'folder of a deleted vehicle: 404 for the owner');
$r = call('GET', "/folders?vehicle_id=$v1", $u1);
is($r->{status}, 404, 'list on a deleted vehicle: 404 for the owner');
$r = call('GET', "/folders/$f1->{id}", $u2);
is($r->{status}, 403, 'not the folder owner: 403 comes before the deleted-vehicle 404');
$r = call('GET', "/folders/$f1->{id}", $admin);
is($r->{status}, 200, 'admin reads a folder of a deleted vehicle');
$r = call('GET', "/folders?vehicle_id=$v1", $admin);
is_deeply([$r->{status}, scalar @{ $r->{json} // [] }], [200, 6], 'admin lists a deleted vehicle\'s folders');
$r = call('POST', '/folders', $admin, json => { vehicle_id => $v1, title => 'Spät' });
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'no new folders on a deleted vehicle, admins too');
$srv->sqlite("UPDATE vehicles SET deleted_at = NULL WHERE public_id = '$v1'");

# ---- delete ------------------------------------------------------------------------------------------------

$r = call('DELETE', "/folders/$f2->{id}", $admin);
is_deeply([$r->{status}, $r->{json}], [200, { ok => JSON::PP::true }], 'admin deletes u1\'s folder');
like(last_audit('TRUST_FOLDER_DELETED'), qr/^success\|\|global\|\{"addon_key":"restauration"\}$/, 'TRUST_FOLDER_DELETED, scope global');
$r = call('DELETE', "/folders/$f1->{id}", $u1);
is($r->{status}, 200, 'owner deletes');
$r = call('GET', "/folders/$f1->{id}", $u1);
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'deleted folder: 404');
$r = call('DELETE', "/folders/$f1->{id}", $u1);
is($r->{status}, 404, 'delete again: 404');
is(state($v1), '0,2026-03-01T09:00:00.000000Z', 'deleting folders keeps the add-on state');

# ---- other keys and roles -------------------------------------------------------------------------------------

$r = call('POST', '/api/vehicles', $dealer, json => { vin => 'WVWZZZ1KZAW000777' });
is($r->{status}, 200, 'dealer registers a vehicle through POST /api/vehicles');
my $vd = $r->{json}{id};
config(key => 'oldtimer', allow_new => 1, requires_payment => 0);
$r = call('POST', '/folders', $dealer, json => { vehicle_id => $vd, title => 'Papiere', addon_key => 'oldtimer' });
is_deeply([$r->{status}, $r->{json}{addon_key}], [201, 'oldtimer'], 'dealer creates under another add-on key');
is(state($vd, 'oldtimer'), '1,2026-03-01T09:20:00.000000Z', '... activation for that key');
$r = call('GET', "/folders?vehicle_id=$vd", $dealer);
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'addon_not_available' } }],
    'default key restauration is gated separately');
$r = call('POST', '/folders', $dealer, json => { vehicle_id => $vd, title => 'Papiere', addon_key => undef });
is_deeply($r->{json}, { detail => { code => 'addon_not_available' } }, 'null addon_key means the default key');
$r = call('GET', "/folders?vehicle_id=$vd&addon_key=oldtimer", $dealer);
is_deeply([$r->{status}, scalar @{ $r->{json} }], [200, 1], 'list by key');

# ---- no titles or free text in the audit trail -------------------------------------------------------------------

is(count("audit_events WHERE metadata_json LIKE '%Karosserie%' OR metadata_json LIKE '%Motor%' "
    . "OR metadata_json LIKE '%Alt%' OR metadata_json LIKE '%title%'"), 0, 'no folder title in any audit row');

$srv->stop;
done_testing;
