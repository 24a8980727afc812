#!/usr/bin/perl
# /api/addons/* over HTTP (api.md 7, domain.md 8): config, entitlements,
# the enable gate with its three answer shapes, grandfathering, disable,
# state reads, policies and 422 shapes. Real logins, real SQLite.
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
	return $srv->req($m, "/api/addons$path", %o) unless $u;
	return $srv->req($m, "/api/addons$path", token => $u->{token}, %o);
}

my $vseq = 0;
sub vehicle {
	my ($owner) = @_;
	my $id = sprintf('%08x-0000-4000-8000-%012x', $$, ++$vseq);
	$srv->sqlite("INSERT INTO vehicles (public_id, owner_user_id, vin_prefix3, vin_last4, "
	    . "vin_hmac, created_at, updated_at) VALUES ('$id', '$owner->{user_id}', 'WVW', "
	    . "'000$vseq', 'h$vseq', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')");
	return $id;
}

sub audits {
	my ($action, $target) = @_;
	my $w = "action = '$action'" . (defined $target ? " AND target_id = '$target'" : '');
	return $srv->sqlite("SELECT count(*) FROM audit_events WHERE $w");
}

sub last_audit {
	my ($action) = @_;
	return $srv->sqlite("SELECT result || '|' || coalesce(reason_code, '') || '|' || scope "
	    . "|| '|' || coalesce(metadata_json, '') FROM audit_events WHERE action = '$action' "
	    . "ORDER BY rowid DESC LIMIT 1");
}

sub loc422 {
	my ($r) = @_;
	return [ map { [ $_->{type}, @{ $_->{loc} } ] } @{ $r->{json}{detail} // [] } ];
}

my $admin = who(role => 'admin');
my $sa = who(role => 'superadmin');
my $u1 = who(role => 'user');
my $u2 = who(role => 'user');
my $vip = who(role => 'vip');
my $mod = who(role => 'moderator', consent => 0);	# moderators cannot consent
my $pub = who(role => 'public');
my $nc = who(role => 'user', consent => 0);
my $admin_nc = who(role => 'admin', consent => 0);

my $v1 = vehicle($u1);
my $v2 = vehicle($u2);
my $r;

# ---- policies ---------------------------------------------------------------

for my $c (['GET', '/config'], ['POST', '/config/restauration'], ['POST', '/entitlements/restauration'],
    ['POST', "/vehicles/$v1/enable"], ['POST', "/vehicles/$v1/disable"], ['GET', "/vehicles/$v1/restauration"]) {
	my @b = $c->[0] eq 'POST' ? (json => {}) : ();
	$r = call($c->[0], $c->[1], undef, @b);
	is($r->{status}, 401, "$c->[0] $c->[1]: anonymous 401");
	is_deeply($r->{json}, { detail => 'unauthorized' }, '... unauthorized');
	is($r->{headers}{'www-authenticate'}, 'Bearer', '... WWW-Authenticate');
	$r = call($c->[0], $c->[1], $mod, @b);
	is($r->{status}, 403, "$c->[0] $c->[1]: moderator 403");
	is_deeply($r->{json}, { detail => 'role_not_allowed' }, '... role_not_allowed');
	$r = call($c->[0], $c->[1], $pub, @b);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], '... role public: 403 forbidden');
}
is(last_audit('ACCESS_DENIED') =~ /^denied\|RBAC_DENY\|/ ? 1 : 0, 1, 'role refusal audited');
ok($srv->sqlite("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' "
    . "AND reason_code = 'MODERATOR_BLOCK'") >= 6, 'moderator block audited');
for my $u ($u1, $vip) {
	$r = call('GET', '/config', $u);
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], "$u->{role}: config is ADM only");
	$r = call('POST', '/entitlements/restauration', $u, json => { user_id => $u->{user_id} });
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], "$u->{role}: entitlements ADM only");
}
$r = call('GET', '/config', $admin_nc);
is($r->{status}, 200, 'config has no consent gate (admin without consent)');
$r = call('POST', "/vehicles/$v1/enable", $nc, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'consent_required' }], 'enable: consent gate');
$r = call('GET', "/vehicles/$v1/restauration", $admin_nc);
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'consent_required' }], 'state read: consent gate for admins too');
is(audits('CONSENT_REQUIRED_BLOCK') >= 2 ? 1 : 0, 1, 'consent refusals audited');

$r = call('PUT', '/config', $admin);
is($r->{status}, 405, 'PUT /config: 405');
is($r->{headers}{allow}, 'GET, HEAD', '... Allow');
$r = call('POST', "/vehicles/$v1/restauration", $u1, json => {});
is($r->{status}, 405, 'POST on the state route: 405');
is($r->{headers}{allow}, 'GET, HEAD', '... Allow lists GET');
is(call('GET', '/nope', $admin)->{status}, 404, 'unknown path 404');

# ---- config -------------------------------------------------------------------

$r = call('GET', '/config/', $admin);
is_deeply([$r->{status}, $r->{json}], [200, []], 'no configs yet (trailing slash)');

$r = call('POST', '/config/Bad!', $admin, json => {});
is($r->{status}, 422, 'bad key 422');
is_deeply(loc422($r), [['string_pattern_mismatch', 'path', 'addon_key']], '... pattern at path');
$r = call('POST', '/config/' . ('a' x 65), $admin, json => {});
is_deeply(loc422($r), [['string_pattern_mismatch', 'path', 'addon_key']], '65 chars: pattern mismatch');
$r = call('POST', '/config/vehicle_slots', $admin, json => {});
is_deeply([$r->{status}, loc422($r)], [422, [['value_error', 'path', 'addon_key']]],
    'vehicle_slots cannot be an add-on');
$r = call('POST', '/config/restauration', $admin);
is_deeply(loc422($r), [['missing', 'body']], 'missing body: missing@body');
$r = call('POST', '/config/Bad', $admin, json => { allow_new => 'yes', admin_only => 1 });
is_deeply(loc422($r), [['string_pattern_mismatch', 'path', 'addon_key'],
    ['bool_type', 'body', 'allow_new'], ['bool_type', 'body', 'admin_only']],
    'path first, then body fields in order');
ok(!grep({ exists $_->{input} } @{ $r->{json}{detail} }), 'no input echoed');
is_deeply([sort keys %{ $r->{json}{detail}[0] }], [qw(loc msg type)], '422 item has exactly type, loc, msg');
$r = call('POST', '/config/restauration', $admin, body => '[1]');
is_deeply(loc422($r), [['dict_type', 'body']], 'non-object body: dict_type');
$r = call('POST', '/config/restauration', $admin, body => '{bad');
is_deeply(loc422($r), [['json_invalid', 'body']], 'bad JSON: json_invalid');
is($srv->sqlite('SELECT count(*) FROM addon_configs'), 0, 'nothing written on 422');

$r = call('POST', '/config/restauration', $admin, json => { requires_payment => JSON::PP::false, admin_only => JSON::PP::true });
is_deeply([$r->{status}, $r->{json}], [200, { ok => JSON::PP::true }], 'config set: {"ok":true}');
like(last_audit('ADDON_CONFIG_SET'), qr/^success\|\|global\|\{"addon_key":"restauration","admin_only":true,"allow_new":false,"requires_payment":false\}$/,
    'ADDON_CONFIG_SET audited with the flags');
$r = call('POST', '/config/restauration', $sa, json => { allow_new => JSON::PP::true });
is($r->{status}, 200, 'superadmin may configure');
$r = call('POST', '/config/oldtimer-2', $admin, json => {});
is($r->{status}, 200, 'config {} allowed');
$r = call('GET', '/config', $sa);
is($r->{status}, 200, 'config list');
is_deeply([map { $_->{addon_key} } @{ $r->{json} }], ['oldtimer-2', 'restauration'], 'ordered by addon_key');
is_deeply($r->{json}[0], { addon_key => 'oldtimer-2', allow_new => JSON::PP::false,
    requires_payment => JSON::PP::true, admin_only => JSON::PP::false, updated_at => '2026-03-01T09:00:00Z' },
    '{} gives the defaults false/true/false');
is_deeply([@{ $r->{json}[1] }{qw(allow_new requires_payment admin_only)}],
    [JSON::PP::true, JSON::PP::true, JSON::PP::false], 'unsent flags fall back to the defaults, not to old values');
is($srv->sqlite("SELECT count(*) FROM addon_configs WHERE addon_key = 'restauration'"), 1, 'upsert: one row');

# ---- entitlements -----------------------------------------------------------------

$r = call('POST', '/entitlements/restauration', $admin, json => {});
is_deeply(loc422($r), [['missing', 'body', 'user_id']], 'user_id required');
$r = call('POST', '/entitlements/r%20x', $admin, json => { user_id => '', enabled => 'true', quantity => '5' });
is_deeply(loc422($r), [['string_pattern_mismatch', 'path', 'addon_key'], ['string_too_short', 'body', 'user_id'],
    ['bool_type', 'body', 'enabled'], ['int_type', 'body', 'quantity']], 'entitlement 422 shapes in order');
$r = call('POST', '/entitlements/restauration', $admin, json => { user_id => 'x' x 65, quantity => 0 });
is_deeply(loc422($r), [['string_too_long', 'body', 'user_id'], ['greater_than_equal', 'body', 'quantity']],
    'user_id at most 64, quantity >= 1');
$r = call('POST', '/entitlements/restauration', $admin, json => { user_id => 'x', quantity => 1001 });
is_deeply(loc422($r), [['less_than_equal', 'body', 'quantity']], 'quantity <= 1000');
$r = call('POST', '/entitlements/restauration', $admin, json => { user_id => 'x', quantity => 2.5 });
is_deeply(loc422($r), [['int_type', 'body', 'quantity']], 'quantity 2.5: int_type');
$r = call('POST', '/entitlements/vehicle_slots', $admin, json => { user_id => $u2->{user_id}, quantity => 3.0 });
is_deeply([$r->{status}, $r->{json}], [200, { ok => JSON::PP::true }], 'vehicle_slots entitlement allowed (3.0 is an integer)');
is($srv->sqlite("SELECT enabled || ',' || quantity FROM account_entitlements WHERE user_id = '$u2->{user_id}' "
    . "AND addon_key = 'vehicle_slots'"), '1,3', 'stored enabled, quantity');
$r = call('POST', '/entitlements/vehicle_slots', $admin, json => { user_id => $u2->{user_id}, enabled => JSON::PP::false });
is($srv->sqlite("SELECT enabled || ',' || quantity FROM account_entitlements WHERE user_id = '$u2->{user_id}' "
    . "AND addon_key = 'vehicle_slots'"), '0,1', 'upsert rewrites enabled and quantity (defaults)');
$r = call('POST', '/entitlements/restauration', $admin, json => { user_id => 'no-such-user' });
is($r->{status}, 200, 'user id not checked for existence');
like(last_audit('ADDON_ENTITLEMENT_SET'), qr/^success\|\|global\|\{"addon_key":"restauration","enabled":true,"quantity":1,"user_id":"no-such-user"\}$/,
    'ADDON_ENTITLEMENT_SET audited');

# ---- enable: 422, vehicle checks -----------------------------------------------------

$r = call('POST', "/vehicles/$v1/enable", $u1);
is_deeply(loc422($r), [['missing', 'body']], 'enable: body required');
$r = call('POST', "/vehicles/$v1/enable", $u1, json => {});
is_deeply(loc422($r), [['missing', 'body', 'addon_key']], 'addon_key required');
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => undef });
is_deeply(loc422($r), [['string_type', 'body', 'addon_key']], 'null addon_key: string_type');
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 7 });
is_deeply(loc422($r), [['string_type', 'body', 'addon_key']], 'number: string_type');
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'Restauration' });
is_deeply(loc422($r), [['string_pattern_mismatch', 'body', 'addon_key']], 'uppercase: pattern mismatch');
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => '' });
is_deeply(loc422($r), [['string_pattern_mismatch', 'body', 'addon_key']], 'empty: pattern mismatch');
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'vehicle_slots' });
is_deeply(loc422($r), [['value_error', 'body', 'addon_key']], 'enabling vehicle_slots: value_error');
$r = call('POST', '/vehicles/00000000-0000-4000-8000-000000000000/enable', $u1, json => { addon_key => 'X' });
is($r->{status}, 422, '422 before the vehicle lookup');
$r = call('POST', '/vehicles/00000000-0000-4000-8000-000000000000/enable', $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'unknown vehicle 404');
$r = call('POST', '/vehicles/' . ('a' x 129) . '/enable', $admin, json => { addon_key => 'restauration' });
is($r->{status}, 404, 'overlong vehicle id 404');
$r = call('POST', "/vehicles/$v1/enable", $u2, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'not the owner: 403 forbidden');
my $vdel = vehicle($u1);
$srv->sqlite("UPDATE vehicles SET deleted_at = '2026-02-01T00:00:00.000000Z' WHERE public_id = '$vdel'");
for my $u ($u1, $admin) {
	$r = call('POST', "/vehicles/$vdel/enable", $u, json => { addon_key => 'restauration' });
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], "deleted vehicle: 404 for $u->{role}");
}

# ---- the gate -------------------------------------------------------------------------

$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'nosuch' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'addon_not_available' } }],
    'no config: {"code":"addon_not_available"}');
like(last_audit('ADDON_GATE_DENIED'), qr/^denied\|addon_not_available\|own\|\{"addon_key":"nosuch"\}$/,
    'ADDON_GATE_DENIED with reason = the code, committed although the request failed');
is($srv->sqlite("SELECT count(*) FROM vehicle_addon_states"), 0, 'no state written on denial');

# restauration: allow_new, requires_payment, not admin_only.
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'paywall_required' } }], 'no entitlement: paywall_required');
like(last_audit('ADDON_GATE_DENIED'), qr/^denied\|paywall_required\|/, '... audited');
$r = call('POST', '/entitlements/restauration', $admin, json => { user_id => $u1->{user_id}, enabled => JSON::PP::false });
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'restauration' });
is_deeply($r->{json}, { detail => { code => 'paywall_required' } }, 'disabled entitlement does not count');
$r = call('POST', '/entitlements/restauration', $admin, json => { user_id => $u1->{user_id} });
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'restauration' });
is($r->{status}, 200, 'entitled owner enables');
is_deeply($r->{json}, { vehicle_id => $v1, addon_key => 'restauration', active => JSON::PP::true,
    addon_first_enabled_at => '2026-03-01T09:00:00Z' }, 'AddonOut, first activation stamped');
like(last_audit('ADDON_ENABLED'), qr/^success\|\|own\|\{"addon_key":"restauration"\}$/, 'ADDON_ENABLED audited');
is($srv->sqlite("SELECT active || ',' || addon_first_enabled_at FROM vehicle_addon_states WHERE vehicle_id = '$v1'"),
    '1,2026-03-01T09:00:00.000000Z', 'state row stored');

# The entitlement belongs to the actor, not to the vehicle: an admin needs none.
$r = call('POST', "/vehicles/$v2/enable", $admin, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}{active}], [200, JSON::PP::true], 'admin enables on another user\'s vehicle without entitlement');
like(last_audit('ADDON_ENABLED'), qr/^success\|\|global\|/, '... audit scope global');
my $vv = vehicle($vip);
$r = call('POST', "/vehicles/$vv/enable", $vip, json => { addon_key => 'restauration' });
is_deeply($r->{json}, { detail => { code => 'paywall_required' } }, 'vip without entitlement: paywall_required');

# admin_only: plain "forbidden" for non-admins.
call('POST', '/config/restauration', $admin, json => { allow_new => JSON::PP::true, admin_only => JSON::PP::true });
my $v3 = vehicle($u1);
$r = call('POST', "/vehicles/$v3/enable", $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'admin_only: plain {"detail":"forbidden"}');
like(last_audit('ADDON_GATE_DENIED'), qr/^denied\|admin_only\|own\|/, '... audited as admin_only');
$r = call('POST', "/vehicles/$vv/enable", $sa, json => { addon_key => 'restauration' });
is($r->{status}, 200, 'admin_only: a superadmin enables');

# allow_new false binds admins too.
call('POST', '/config/restauration', $admin, json => { allow_new => JSON::PP::false, requires_payment => JSON::PP::false });
$r = call('POST', "/vehicles/$v3/enable", $admin, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => { code => 'addon_not_available' } }], 'allow_new false: admin refused');

# ---- grandfathering --------------------------------------------------------------------

$srv->set_conf(test_now => '2026-03-01T09:20:00Z');
for my $cfg ({ allow_new => JSON::PP::false }, { allow_new => JSON::PP::true, admin_only => JSON::PP::true },
    { allow_new => JSON::PP::true, requires_payment => JSON::PP::true }) {
	call('POST', '/config/restauration', $admin, json => $cfg);
	call('POST', '/entitlements/restauration', $admin, json => { user_id => $u1->{user_id}, enabled => JSON::PP::false });
	my $label = join ',', map { "$_=" . ($cfg->{$_} ? 1 : 0) } sort keys %$cfg;
	$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'restauration' });
	is_deeply([$r->{status}, $r->{json}{addon_first_enabled_at}], [200, '2026-03-01T09:00:00Z'],
	    "grandfathered vehicle still enables ($label), stamp unchanged");
	my $fresh = vehicle($u1);
	$r = call('POST', "/vehicles/$fresh/enable", $u1, json => { addon_key => 'restauration' });
	is($r->{status}, 403, "... a fresh vehicle of the same owner is refused ($label)");
}
$srv->sqlite("DELETE FROM addon_configs WHERE addon_key = 'restauration'");
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'restauration' });
is($r->{status}, 200, 'grandfathering survives config removal');

# ---- disable and state reads ----------------------------------------------------------------

$r = call('POST', "/vehicles/$v1/disable", $u1);
is_deeply(loc422($r), [['missing', 'body']], 'disable: body required');
$r = call('POST', "/vehicles/$v1/disable", $u1, json => { addon_key => 'a b' });
is_deeply(loc422($r), [['string_pattern_mismatch', 'body', 'addon_key']], 'disable: pattern');
$r = call('POST', "/vehicles/$v1/disable", $u2, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'disable: not the owner 403');
$r = call('POST', "/vehicles/$v3/disable", $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'disable without state row: 404');
$r = call('POST', "/vehicles/$v1/disable", $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}], [200, { vehicle_id => $v1, addon_key => 'restauration',
    active => JSON::PP::false, addon_first_enabled_at => '2026-03-01T09:00:00Z' }],
    'disable: active false, first stamp kept');
like(last_audit('ADDON_DISABLED'), qr/^success\|\|own\|\{"addon_key":"restauration"\}$/, 'ADDON_DISABLED audited');
$r = call('GET', "/vehicles/$v1/restauration", $u1);
is_deeply([$r->{status}, $r->{json}{active}, $r->{json}{addon_first_enabled_at}],
    [200, JSON::PP::false, '2026-03-01T09:00:00Z'], 'state read after disable');
# No config at all now: still grandfathered.
$r = call('POST', "/vehicles/$v1/enable", $u1, json => { addon_key => 'restauration' });
is_deeply([$r->{status}, $r->{json}{active}, $r->{json}{addon_first_enabled_at}],
    [200, JSON::PP::true, '2026-03-01T09:00:00Z'], 're-enable after disable keeps the first stamp');
$r = call('GET', "/vehicles/$v1/restauration", $admin);
is($r->{status}, 200, 'admin reads another user\'s state');
$r = call('GET', "/vehicles/$v1/restauration", $u2);
is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'state read: not the owner 403');
$r = call('GET', "/vehicles/$v1/oldtimer-2", $u1);
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'state read without row: 404');
$r = call('GET', "/vehicles/$v1/vehicle_slots", $u1);
is($r->{status}, 404, 'state read of vehicle_slots: 404 (no row)');
$r = call('GET', "/vehicles/$v1/Bad", $u1);
is_deeply([$r->{status}, loc422($r)], [422, [['string_pattern_mismatch', 'path', 'addon_key']]], 'state read: key pattern 422');
$r = call('GET', "/vehicles/$vdel/restauration", $admin);
is($r->{status}, 404, 'state read on a deleted vehicle: 404');
$r = call('GET', "/vehicles/$v1/enable", $u1);
is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'GET .../enable is a state read of key "enable"');

# Nothing of the request bodies leaks into the audit trail.
is($srv->sqlite("SELECT count(*) FROM audit_events WHERE metadata_json LIKE '%\@%'"), 0, 'no @ in audit metadata');

$srv->stop;
done_testing;
