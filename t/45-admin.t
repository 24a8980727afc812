#!/usr/bin/perl
# /api/admin/* over HTTP (api.md 14, domain.md 1.1, 14, 15, 18): real
# logins, a real lighttpd, the real SQLite file. Every route's success and
# error paths, the step-up life cycle (missing, invalid, another admin's,
# another scope, expired, used, kept unused by a rollback), live roles,
# the last-superadmin rule, VIP businesses and the audit rows.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(json);
use Digest::SHA qw(hmac_sha256_base64);
use Test::More;

my $NOW = '2026-03-01T09:00:00Z';
# new_lighttpd(conf => ...) exports the keys as environment names, which
# devserver.sh ignores unless they are LTC_<KEY>: set the clock in the file.
my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => $NOW);

my ($secret) = do {
	open my $fh, '<', $srv->conf_file or die;
	map { /^secret_key\s*=\s*(\S+)/ ? $1 : () } <$fh>;
};
sub hmac_b64url {
	my $h = hmac_sha256_base64($_[0], $secret);
	$h =~ tr{+/}{-_};
	return $h;
}

my $rid_seq = 0;
my $last_rid;

# One request as actor $a (a login hash, or undef for anonymous), with a
# unique X-Request-Id so its audit rows can be found.
sub call {
	my ($a, $method, $path, %o) = @_;
	$last_rid = sprintf('t45-%d-%05d', $$, ++$rid_seq);
	my %h = (%{ $o{headers} // {} }, 'X-Request-Id' => $last_rid);
	$h{'X-Admin-Step-Up'} = $o{stepup} if defined $o{stepup};
	my %args = (headers => \%h);
	$args{token} = $a->{token} if $a;
	$args{json} = $o{json} if exists $o{json};
	$args{body} = $o{body} if exists $o{body};
	my $r = $srv->req($method, $path, %args);
	$r->{rid} = $last_rid;
	return $r;
}

sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }

# Audit rows of one request: "ACTION|result|reason|target_type|target_id|meta".
sub audit_of {
	my ($rid) = @_;
	my $out = $srv->sqlite("SELECT action, result, ifnull(reason_code,''), "
	    . "target_type, ifnull(target_id,''), ifnull(metadata_json,'') FROM audit_events "
	    . "WHERE request_id = " . sq($rid) . " ORDER BY rowid");
	return [ grep { length } split /\n/, $out ];
}

sub count {
	my $n = $srv->sqlite($_[0]);
	die "sqlite: $n\n" unless $n =~ /^\d+$/;
	return $n + 0;
}

sub detail_is {
	my ($r, $status, $detail, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	is_deeply($r->{json}, { detail => $detail }, "$name: detail $detail");
}

sub types_locs {
	my ($r) = @_;
	my $d = ref $r->{json} eq 'HASH' ? $r->{json}{detail} : undef;
	return [ map { [ $_->{type}, @{ $_->{loc} } ] } @{ ref $d eq 'ARRAY' ? $d : [] } ];
}

sub is_422 {
	my ($r, $want, $name) = @_;
	is($r->{status}, 422, "$name: 422") or diag($r->{body});
	is_deeply(types_locs($r), $want, "$name: items");
	my $d = ref $r->{json} eq 'HASH' ? $r->{json}{detail} : undef;
	for my $it (@{ ref $d eq 'ARRAY' ? $d : [] }) {
		is_deeply([ sort keys %$it ], [qw(loc msg type)], "$name: item keys");
	}
}

my @tokens;
sub grant {
	my ($a, $scope, $ttl) = @_;
	my $r = call($a, 'POST', '/api/admin/step-up/grant',
	    json => { scope => $scope, defined $ttl ? (ttl_seconds => $ttl) : () });
	die "grant failed: $r->{status} $r->{body}" unless $r->{status} == 200;
	push @tokens, $r->{json}{step_up_token};
	return $r->{json}{step_up_token};
}

sub used_at {
	my ($token) = @_;
	return $srv->sqlite("SELECT ifnull(used_at,'NULL') FROM step_up_grants WHERE token_hash = "
	    . sq(hmac_b64url($token)));
}

sub role_of { $srv->sqlite("SELECT role FROM auth_users WHERE user_id = " . sq($_[0])) }

# ---- actors --------------------------------------------------------------

my $sa = $srv->login(role => 'superadmin');
my $adm = $srv->login(role => 'admin');
my $adm2 = $srv->login(role => 'admin');
my $u = $srv->login(role => 'user');
my $u2 = $srv->login(role => 'user');
my $mod = $srv->login(role => 'moderator', consent => 0);
my $vip = $srv->login(role => 'vip');
my $adm_nc = $srv->login(role => 'admin', consent => 0);

# ---- route gate ----------------------------------------------------------

for my $rt (['GET', '/api/admin/users'], ['GET', '/api/admin/vip-businesses'],
    ['POST', '/api/admin/step-up/grant'], ['POST', "/api/admin/users/$u->{user_id}/role"],
    ['POST', "/api/admin/users/$u->{user_id}/moderator"], ['POST', '/api/admin/vip-businesses'],
    ['POST', '/api/admin/vip-businesses/biz-00000000/approve'],
    ['POST', "/api/admin/vip-businesses/biz-00000000/staff/$u->{user_id}"]) {
	my ($m, $p) = @$rt;
	my %b = $m eq 'POST' ? (json => {}) : ();
	my $r = call(undef, $m, $p, %b);
	detail_is($r, 401, 'unauthorized', "anonymous $m $p");
	is($r->{headers}{'www-authenticate'}, 'Bearer', "anonymous $m $p: WWW-Authenticate");
	$r = call($mod, $m, $p, %b);
	detail_is($r, 403, 'role_not_allowed', "moderator $m $p");
	like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|MODERATOR_BLOCK\|ROUTE\|/,
	    "moderator $m $p: ACCESS_DENIED MODERATOR_BLOCK");
	for my $who ([$u, 'user'], [$vip, 'vip']) {
		$r = call($who->[0], $m, $p, %b);
		detail_is($r, 403, 'forbidden', "$who->[1] $m $p");
		like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|RBAC_DENY\|/,
		    "$who->[1] $m $p: ACCESS_DENIED RBAC_DENY");
	}
}

# Superadmin-only routes refuse an admin before the step-up check.
for my $p ('/api/admin/vip-businesses/biz-00000000/approve',
    "/api/admin/vip-businesses/biz-00000000/staff/$u->{user_id}") {
	my $r = call($adm, 'POST', $p, json => {}, stepup => 'whatever');
	detail_is($r, 403, 'forbidden', "admin on SA route $p");
	my $rows = audit_of($r->{rid});
	is(scalar @$rows, 1, 'admin on SA route: one audit row');
	like($rows->[0] // '', qr/^ACCESS_DENIED\|denied\|RBAC_DENY\|/, 'admin on SA route: RBAC_DENY, no step-up row');
}

# Dispatch: trailing slash, 405 with Allow, /cgi-bin spelling.
is(call($adm, 'GET', '/api/admin/users/')->{status}, 200, 'trailing slash ignored');
{
	my $r = call($adm, 'GET', '/api/admin/step-up/grant');
	detail_is($r, 405, 'Method Not Allowed', 'GET on the grant route');
	is($r->{headers}{allow}, 'POST', 'Allow: POST');
	detail_is(call($adm, 'GET', '/api/admin/nope'), 404, 'Not Found', 'unknown admin path');
	is(call($adm, 'GET', '/cgi-bin/admin/users')->{status}, 200, '/cgi-bin/admin/users works too');
}

# No consent gate on admin routes.
is(call($adm_nc, 'GET', '/api/admin/users')->{status}, 200, 'admin without consent may list users');

# ---- 14.3 step-up grant --------------------------------------------------

{
	my $r = call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'role_grant' });
	is($r->{status}, 200, 'grant 200') or diag($r->{body});
	my $j = $r->{json};
	is_deeply([ sort keys %$j ], [ sort qw(ok scope step_up_token token expires_at ttl_seconds one_time header) ],
	    'grant: exact keys');
	like($j->{step_up_token}, qr/^[A-Za-z0-9_-]{43}$/, 'grant: 43-char base64url token');
	is($j->{token}, $j->{step_up_token}, 'grant: token == step_up_token');
	ok($j->{ok} && $j->{one_time}, 'grant: ok and one_time are true');
	is($j->{scope}, 'role_grant', 'grant: scope');
	is($j->{ttl_seconds}, 600, 'grant: default ttl 600');
	is($j->{expires_at}, '2026-03-01T09:10:00Z', 'grant: expires_at = now + 600 s');
	is($j->{header}, 'X-Admin-Step-Up', 'grant: header name');
	my $hash = hmac_b64url($j->{step_up_token});
	is($srv->sqlite("SELECT actor_user_id || '|' || scope || '|' || ifnull(used_at,'NULL') FROM step_up_grants "
	    . "WHERE token_hash = " . sq($hash)), "$adm->{user_id}|role_grant|NULL",
	    'grant stored as HMAC, bound to admin and scope, unused');
	is(count("SELECT count(*) FROM step_up_grants WHERE token_hash = " . sq($j->{step_up_token})), 0,
	    'raw token is not stored');
	is_deeply(audit_of($r->{rid}),
	    ["ADMIN_STEP_UP_GRANTED|success||USER|$adm->{user_id}|{\"scope\":\"role_grant\",\"ttl_seconds\":600}"],
	    'grant audited with scope and ttl');
	is(count("SELECT count(*) FROM audit_events WHERE ifnull(metadata_json,'') || ifnull(target_id,'') LIKE "
	    . sq("%$j->{step_up_token}%")), 0, 'token never in audit rows');

	$r = call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => "  Moderator_ACCREDIT ", ttl_seconds => 60 });
	is($r->{status}, 200, 'grant with untrimmed mixed-case scope');
	is($r->{json}{scope}, 'moderator_accredit', 'scope trimmed and lowercased');
	is($r->{json}{expires_at}, '2026-03-01T09:01:00Z', 'ttl 60 honoured');
	is($r->{json}{ttl_seconds}, 60, 'ttl_seconds echoed');
	$r = call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'vip_business_staff', ttl_seconds => 120.0 });
	is($r->{json}{ttl_seconds}, 120, 'ttl 120.0 is an integer');

	detail_is(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'superpowers' }),
	    400, 'invalid_step_up_scope', 'unknown scope');
	detail_is(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'role grant' }),
	    400, 'invalid_step_up_scope', 'scope with a space');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => {}), [[qw(missing body scope)]], 'scope missing');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => undef }), [[qw(string_type body scope)]],
	    'scope null');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => '' }),
	    [[qw(string_too_short body scope)]], 'scope empty');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'x' x 65 }),
	    [[qw(string_too_long body scope)]], 'scope 65 chars');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'role_grant', ttl_seconds => 59 }),
	    [[qw(greater_than_equal body ttl_seconds)]], 'ttl 59');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 'role_grant', ttl_seconds => 601 }),
	    [[qw(less_than_equal body ttl_seconds)]], 'ttl 601');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', json => { scope => 7, ttl_seconds => '600' }),
	    [[qw(string_type body scope)], [qw(int_type body ttl_seconds)]], 'both fields wrong, in field order');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant'), [[qw(missing body)]], 'no body');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', body => '[]'), [[qw(dict_type body)]], 'array body');
	is_422(call($adm, 'POST', '/api/admin/step-up/grant', body => '{"scope":'), [[qw(json_invalid body)]], 'bad JSON');
	is(count("SELECT count(*) FROM step_up_grants"), 3, 'refused grants store nothing');
}

# ---- 14.4 role: validation and pre-step-up checks -------------------------

my $role_url = sub { "/api/admin/users/$_[0]/role" };
{
	is_422(call($adm, 'POST', $role_url->($u->{user_id}), json => {}), [[qw(missing body role)]], 'role missing');
	is_422(call($adm, 'POST', $role_url->($u->{user_id}), json => { role => '', reason => 5 }),
	    [[qw(string_too_short body role)], [qw(string_type body reason)]], 'role empty, reason not a string');
	is_422(call($adm, 'POST', $role_url->($u->{user_id}), json => { role => 'u' x 33, reason => 'r' x 201 }),
	    [[qw(string_too_long body role)], [qw(string_too_long body reason)]], 'role 33, reason 201');
	is_422(call($adm, 'POST', $role_url->($u->{user_id}), json => { role => "vip\n" }),
	    [[qw(value_error body role)]], 'control character in role');
	is_422(call($adm, 'POST', $role_url->($u->{user_id})), [[qw(missing body)]], 'role: no body');

	# 400 and 403 superadmin_required come before the step-up check.
	my $r = call($adm, 'POST', $role_url->($u->{user_id}), json => { role => 'king' });
	detail_is($r, 400, 'invalid_role', 'unknown role');
	is_deeply(audit_of($r->{rid}), [], 'invalid_role: no audit row');
	$r = call($adm, 'POST', $role_url->('00000000-0000-4000-8000-000000000000'), json => { role => 'Super Admin' });
	detail_is($r, 400, 'invalid_role', 'invalid_role before 404');
	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => { role => ' SuperAdmin ' });
	detail_is($r, 403, 'superadmin_required', 'admin may not grant superadmin');
	is_deeply(audit_of($r->{rid}), [], 'superadmin_required (step 3): no step-up row');
	is(role_of($u->{user_id}), 'user', 'role unchanged');
}

# ---- step-up check ----------------------------------------------------------

{
	my $body = { role => 'dealer' };
	my $r = call($adm, 'POST', $role_url->($u->{user_id}), json => $body);
	detail_is($r, 403, 'admin_step_up_required', 'no step-up header');
	is_deeply(audit_of($r->{rid}),
	    ["ADMIN_STEP_UP_FAILED|denied|STEP_UP_MISSING|USER|$adm->{user_id}|{\"scope\":\"role_grant\"}"],
	    'missing: ADMIN_STEP_UP_FAILED STEP_UP_MISSING (committed)');
	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => $body, stepup => '');
	detail_is($r, 403, 'admin_step_up_required', 'empty step-up header');

	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => $body, stepup => 'A' x 43);
	detail_is($r, 403, 'admin_step_up_invalid', 'unknown token');
	is_deeply(audit_of($r->{rid}),
	    ["ADMIN_STEP_UP_FAILED|denied|STEP_UP_INVALID|USER|$adm->{user_id}|{\"scope\":\"role_grant\"}"],
	    'invalid: ADMIN_STEP_UP_FAILED STEP_UP_INVALID');

	# The step-up check comes before the 404.
	$r = call($adm, 'POST', $role_url->('00000000-0000-4000-8000-000000000000'), json => $body);
	detail_is($r, 403, 'admin_step_up_required', 'step-up before user_not_found');

	my $t2 = grant($adm2, 'role_grant');
	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => $body, stepup => $t2);
	detail_is($r, 403, 'admin_step_up_invalid', "another admin's token");
	is(used_at($t2), 'NULL', "another admin's token is not consumed");

	my $tm = grant($adm, 'moderator_accredit');
	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => $body, stepup => $tm);
	detail_is($r, 403, 'admin_step_up_invalid', 'token of another scope');
	is(used_at($tm), 'NULL', 'other-scope token not consumed');
	is(role_of($u->{user_id}), 'user', 'nothing changed by refused calls');

	# Expiry follows the (test) clock: valid before, invalid at expires_at.
	my $te = grant($adm, 'role_grant', 60);
	my $te2 = grant($adm, 'role_grant', 60);
	$srv->set_conf(test_now => '2026-03-01T09:00:59Z');
	$r = call($adm, 'POST', $role_url->($u2->{user_id}), json => { role => 'user' }, stepup => $te2);
	is($r->{status}, 200, 'token valid 59 s after a 60 s grant') or diag($r->{body});
	$srv->set_conf(test_now => '2026-03-01T09:01:00Z');
	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => $body, stepup => $te);
	detail_is($r, 403, 'admin_step_up_invalid', 'expired token');
	is(used_at($te), 'NULL', 'expired token stays unused');
	$srv->set_conf(test_now => $NOW);

	# The other admin's token still works for its owner.
	$r = call($adm2, 'POST', $role_url->($u2->{user_id}), json => { role => 'user' }, stepup => $t2);
	is($r->{status}, 200, "the other admin's token works for that admin") or diag($r->{body});
	isnt(used_at($t2), 'NULL', 'and is consumed then');
}

# ---- rollback keeps the token unused ------------------------------------

{
	my $t = grant($adm, 'role_grant');
	my $r = call($adm, 'POST', $role_url->('00000000-0000-4000-8000-000000000000'), json => { role => 'vip' },
	    stepup => $t);
	detail_is($r, 404, 'user_not_found', 'unknown user');
	is(used_at($t), 'NULL', '404 rolled back: token unused');
	is_deeply(audit_of($r->{rid}), [], '404: no consumed row survives');
	$r = call($adm, 'POST', $role_url->('x' x 129), json => { role => 'vip' }, stepup => $t);
	detail_is($r, 404, 'user_not_found', 'overlong user id');

	# 403 superadmin_required on a superadmin target: also rolled back.
	$r = call($adm, 'POST', $role_url->($sa->{user_id}), json => { role => 'user' }, stepup => $t);
	detail_is($r, 403, 'superadmin_required', 'admin cannot touch a superadmin');
	is(used_at($t), 'NULL', 'superadmin_required rolled back: token unused');
	$r = call($adm, 'POST', "/api/admin/users/$sa->{user_id}/moderator", json => {},
	    stepup => grant($adm, 'moderator_accredit'));
	detail_is($r, 403, 'superadmin_required', 'admin cannot accredit a superadmin');
	is(role_of($sa->{user_id}), 'superadmin', 'superadmin untouched');

	is(call($u, 'GET', '/api/auth/me')->{json}{role}, 'user', 'before: /api/auth/me says user');
	# Success with the very token that survived the failures.
	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => { role => ' VIP ', reason => 'Kunde hat bezahlt' },
	    stepup => $t);
	is($r->{status}, 200, 'role set') or diag($r->{body});
	my $j = $r->{json};
	is_deeply([ sort keys %$j ], [qw(at new_role ok old_role user_id)], 'role answer keys');
	is_deeply([ @$j{qw(user_id old_role new_role at)} ], [ $u->{user_id}, 'user', 'vip', $NOW ], 'role answer');
	ok($j->{ok}, 'ok true');
	like(used_at($t), qr/^2026-03-01T09:00:00/, 'token consumed in the action');
	is(role_of($u->{user_id}), 'vip', 'role stored');
	is_deeply(audit_of($r->{rid}), [
	    "ADMIN_STEP_UP_CONSUMED|success||USER|$adm->{user_id}|{\"scope\":\"role_grant\",\"ttl_seconds\":600}",
	    "ADMIN_ROLE_SET|success||USER|$u->{user_id}|{\"new_role\":\"vip\",\"old_role\":\"user\",\"reason_provided\":true}",
	], 'consumed + ADMIN_ROLE_SET with reason_provided only');
	is(count("SELECT count(*) FROM audit_events WHERE metadata_json LIKE '%bezahlt%'"), 0, 'reason text never audited');

	$r = call($adm, 'POST', $role_url->($u->{user_id}), json => { role => 'vip' }, stepup => $t);
	detail_is($r, 403, 'admin_step_up_invalid', 'used token');
	is_deeply(audit_of($r->{rid}),
	    ["ADMIN_STEP_UP_FAILED|denied|STEP_UP_INVALID|USER|$adm->{user_id}|{\"scope\":\"role_grant\"}"],
	    'used token audited as invalid');
}

# ---- live roles --------------------------------------------------------------

{
	my $me = call($u, 'GET', '/api/auth/me');
	is($me->{json}{role}, 'vip', 'promoted user is vip on its next /api/auth/me') or diag($me->{body});
	# Same role again: allowed and audited.
	my $r = call($adm, 'POST', $role_url->($u->{user_id}), json => { role => 'vip', reason => undef },
	    stepup => grant($adm, 'role_grant'));
	is($r->{status}, 200, 'same role again');
	is_deeply([ @{ $r->{json} }{qw(old_role new_role)} ], [qw(vip vip)], 'old_role == new_role');
	like(audit_of($r->{rid})->[1] // '', qr/^ADMIN_ROLE_SET\|success\|.*"reason_provided":false/,
	    'same role audited, reason null -> reason_provided false');

	detail_is(call($u2, 'GET', '/api/admin/users'), 403, 'forbidden', 'user cannot list users');
	$r = call($adm, 'POST', $role_url->($u2->{user_id}), json => { role => 'admin', reason => '   ' },
	    stepup => grant($adm, 'role_grant'));
	is($r->{status}, 200, 'promote u2 to admin');
	like(audit_of($r->{rid})->[1] // '', qr/"reason_provided":false/, 'blank reason is not provided');
	is(call($u2, 'GET', '/api/admin/users')->{status}, 200, 'same session is admin on its next request');
	is(call($u2, 'GET', '/api/auth/me')->{json}{role}, 'admin', '/api/auth/me says admin');
	$r = call($adm, 'POST', $role_url->($u2->{user_id}), json => { role => 'user' }, stepup => grant($adm, 'role_grant'));
	is($r->{status}, 200, 'demote u2 again');
	detail_is(call($u2, 'GET', '/api/admin/users'), 403, 'forbidden', 'demotion applies on the next request');
}

# ---- 14.5 moderator ----------------------------------------------------------

{
	my $url = "/api/admin/users/$u2->{user_id}/moderator";
	is_422(call($adm, 'POST', $url), [[qw(missing body)]], 'moderator: body required');
	is_422(call($adm, 'POST', $url, body => '"x"'), [[qw(dict_type body)]], 'moderator: body must be an object');
	is_422(call($adm, 'POST', $url, json => { reason => 'r' x 201 }), [[qw(string_too_long body reason)]],
	    'moderator: reason 201');
	detail_is(call($adm, 'POST', $url, json => {}), 403, 'admin_step_up_required', 'moderator: no step-up');
	my $tr = grant($adm, 'role_grant');
	detail_is(call($adm, 'POST', $url, json => {}, stepup => $tr), 403, 'admin_step_up_invalid',
	    'moderator: role_grant token refused');
	my $t = grant($adm, 'moderator_accredit');
	detail_is(call($adm, 'POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/moderator', json => {},
	    stepup => $t), 404, 'user_not_found', 'moderator: unknown user');
	is(used_at($t), 'NULL', 'moderator 404: token unused');
	my $r = call($adm, 'POST', $url, json => { reason => 'Redaktion' }, stepup => $t);
	is($r->{status}, 200, 'accredited') or diag($r->{body});
	is_deeply([ @{ $r->{json} }{qw(ok user_id old_role new_role at)} ], [ JSON::PP::true, $u2->{user_id}, 'user',
	    'moderator', $NOW ], 'moderator answer');
	is_deeply(audit_of($r->{rid}), [
	    "ADMIN_STEP_UP_CONSUMED|success||USER|$adm->{user_id}|{\"scope\":\"moderator_accredit\",\"ttl_seconds\":600}",
	    "ADMIN_MODERATOR_ACCREDIT|success||USER|$u2->{user_id}|{\"new_role\":\"moderator\",\"old_role\":\"user\",\"reason_provided\":true}",
	], 'ADMIN_MODERATOR_ACCREDIT audited');
	detail_is(call($u2, 'GET', '/api/admin/users'), 403, 'role_not_allowed', 'new moderator is blocked as moderator');
	is(call($u2, 'GET', '/api/auth/me')->{json}{role}, 'moderator', 'auth/me: moderator');
}

# ---- last superadmin -------------------------------------------------------

{
	my $t = grant($sa, 'role_grant');
	my $r = call($sa, 'POST', $role_url->($sa->{user_id}), json => { role => 'admin' }, stepup => $t);
	detail_is($r, 409, 'last_superadmin', 'the only superadmin cannot step down');
	is(used_at($t), 'NULL', '409 rolled back: token unused');
	is(role_of($sa->{user_id}), 'superadmin', 'still superadmin');
	detail_is(call($sa, 'POST', "/api/admin/users/$sa->{user_id}/moderator", json => {},
	    stepup => grant($sa, 'moderator_accredit')), 409, 'last_superadmin', 'nor become moderator');

	# A disabled superadmin does not count.
	my $dis = $srv->login(role => 'superadmin');
	$srv->sqlite("UPDATE auth_users SET status = 'disabled' WHERE user_id = " . sq($dis->{user_id}));
	detail_is(call($sa, 'POST', $role_url->($sa->{user_id}), json => { role => 'admin' }, stepup => $t),
	    409, 'last_superadmin', 'disabled superadmin does not count');

	# A superadmin may grant superadmin; then the first one may step down.
	$r = call($sa, 'POST', $role_url->($vip->{user_id}), json => { role => 'superadmin' }, stepup => $t);
	is($r->{status}, 200, 'superadmin grants superadmin') or diag($r->{body});
	is(role_of($vip->{user_id}), 'superadmin', 'vip is superadmin now');
	$r = call($sa, 'POST', $role_url->($sa->{user_id}), json => { role => 'admin' }, stepup => grant($sa, 'role_grant'));
	is($r->{status}, 200, 'first superadmin steps down while another remains') or diag($r->{body});
	detail_is(call($vip, 'POST', $role_url->($vip->{user_id}), json => { role => 'user' },
	    stepup => grant($vip, 'role_grant')), 409, 'last_superadmin', 'the remaining one cannot step down');
	# The former superadmin is an admin now: it cannot touch the superadmin.
	detail_is(call($sa, 'POST', $role_url->($vip->{user_id}), json => { role => 'user' },
	    stepup => grant($sa, 'role_grant')), 403, 'superadmin_required', 'demoted admin cannot touch superadmin');
	# Restore: the remaining superadmin promotes the first one again.
	$r = call($vip, 'POST', $role_url->($sa->{user_id}), json => { role => 'superadmin' },
	    stepup => grant($vip, 'role_grant'));
	is($r->{status}, 200, 'superadmin restored');
}

# ---- 14.1 user list --------------------------------------------------------

{
	my $r = call($adm, 'GET', '/api/admin/users');
	is($r->{status}, 200, 'user list');
	my $list = $r->{json};
	is(scalar @$list, count('SELECT count(*) FROM auth_users'), 'every account listed');
	is_deeply([ sort keys %{ $list->[0] } ], [qw(created_at email_verified role status user_id)], 'item keys: no PII');
	unlike($r->{body}, qr/\@/, 'no e-mail address in the answer');
	my %pos;
	@pos{ map { $_->{user_id} } @$list } = 0 .. $#$list;
	ok($pos{ $adm_nc->{user_id} } < $pos{ $mod->{user_id} } && $pos{ $mod->{user_id} } < $pos{ $u->{user_id} }
	    && $pos{ $u->{user_id} } < $pos{ $sa->{user_id} }, 'newest first');
	my ($item) = grep { $_->{user_id} eq $u->{user_id} } @$list;
	is($item->{role}, 'vip', 'live role in list');
	is($item->{status}, 'active', 'status');
	ok(JSON::PP::is_bool($item->{email_verified}) && $item->{email_verified}, 'email_verified true');
	like($item->{created_at}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'created_at API format');

	my $one = call($adm, 'GET', '/api/admin/users?limit=1&offset=1')->{json};
	is_deeply($one, [ $list->[1] ], 'limit/offset page');
	is_deeply(call($adm, 'GET', '/api/admin/users?offset=100000')->{json}, [], 'offset past the end');
	is_422(call($adm, 'GET', '/api/admin/users?limit=0'), [[qw(greater_than_equal query limit)]], 'limit 0');
	is_422(call($adm, 'GET', '/api/admin/users?limit=201&offset=-1'),
	    [[qw(less_than_equal query limit)], [qw(greater_than_equal query offset)]], 'limit 201, offset -1');
	is_422(call($adm, 'GET', '/api/admin/users?limit=1.5'), [[qw(int_type query limit)]], 'limit 1.5');

	my $e = $u->{email};
	(my $messy = "  \U$e\E ") =~ s/([^A-Za-z0-9._-])/sprintf('%%%02X', ord $1)/ge;
	$r = call($adm, 'GET', "/api/admin/users?email=$messy");
	is_deeply([ map { $_->{user_id} } @{ $r->{json} } ], [ $u->{user_id} ], 'email lookup normalises (trim, lowercase)');
	is(scalar @{ call($adm, 'GET', '/api/admin/users?email=nobody%40example.org')->{json} }, 0, 'unknown address: []');
	for my $bad ('not-an-address', 'a%40b%40example.org', '%40example.org', 'me%40', 'a%20b%40example.org',
	    'm%C3%BCller%40example.org', '') {
		$r = call($adm, 'GET', "/api/admin/users?email=$bad");
		is($r->{status}, 200, "implausible email '$bad': 200");
		is_deeply($r->{json}, [], "implausible email '$bad': empty list");
	}
}

# ---- 14.6 .. 14.8 VIP businesses -------------------------------------------

my $owner = $srv->login(role => 'vip');
my ($s1, $s2, $s3) = map { $srv->login(role => 'user') } 1 .. 3;
{
	my $url = '/api/admin/vip-businesses';
	is_422(call($adm, 'POST', $url, json => {}), [[qw(missing body owner_user_id)]], 'create: owner missing');
	is_422(call($adm, 'POST', $url, json => { owner_user_id => 'short', business_id => 'bad id!!', reason => 'r' x 201 }),
	    [[qw(string_too_short body owner_user_id)], [qw(string_pattern_mismatch body business_id)],
	    [qw(string_too_long body reason)]], 'create: three errors in field order');
	is_422(call($adm, 'POST', $url, json => { owner_user_id => $owner->{user_id}, business_id => '   abc1234  ' }),
	    [[qw(string_too_short body business_id)]], 'business_id length after trimming');
	is_422(call($adm, 'POST', $url, json => { owner_user_id => $owner->{user_id}, business_id => 'b' x 65 }),
	    [[qw(string_too_long body business_id)]], 'business_id 65');
	is_422(call($adm, 'POST', $url), [[qw(missing body)]], 'create: no body');
	detail_is(call($adm, 'POST', $url, json => { owner_user_id => '00000000-0000-4000-8000-000000000000' }),
	    404, 'user_not_found', 'create: unknown owner');

	my $r = call($adm, 'POST', $url, json => { owner_user_id => $owner->{user_id}, business_id => '  Biz:0001.test_a-b ',
	    reason => 'Vertrag unterschrieben' });
	is($r->{status}, 200, 'business created') or diag($r->{body});
	is_deeply($r->{json}, { ok => JSON::PP::true, business_id => 'Biz:0001.test_a-b', owner_user_id => $owner->{user_id},
	    approved => JSON::PP::false, created_at => $NOW, approved_at => undef, approved_by_user_id => undef },
	    'create answer (business_id trimmed)');
	is_deeply(audit_of($r->{rid}),
	    ["VIP_BUSINESS_CREATED|success||ORG|Biz:0001.test_a-b|{\"reason_provided\":true,\"staff_count\":0}"],
	    'VIP_BUSINESS_CREATED audited');

	# Idempotent: an existing id returns the row unchanged, no check, no audit.
	$r = call($adm, 'POST', $url, json => { owner_user_id => '00000000-0000-4000-8000-000000000000',
	    business_id => 'Biz:0001.test_a-b' });
	is($r->{status}, 200, 'create again: 200 even with an unknown owner');
	is($r->{json}{owner_user_id}, $owner->{user_id}, 'existing row unchanged');
	is_deeply(audit_of($r->{rid}), [], 'idempotent create: no audit');
	is(count("SELECT count(*) FROM vip_businesses"), 1, 'one business row');

	$r = call($sa, 'POST', $url, json => { owner_user_id => $owner->{user_id} });
	is($r->{status}, 200, 'create without business_id');
	like($r->{json}{business_id}, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
	    'generated id is a UUIDv4');
	my $b2 = $r->{json}{business_id};
	like(audit_of($r->{rid})->[0] // '', qr/"reason_provided":false/, 'no reason: reason_provided false');

	# Approve (SA + step-up vip_business_approve, no body).
	my $appr = '/api/admin/vip-businesses/Biz:0001.test_a-b/approve';
	detail_is(call($sa, 'POST', $appr), 403, 'admin_step_up_required', 'approve: no step-up');
	detail_is(call($sa, 'POST', $appr, stepup => grant($sa, 'vip_business_staff')), 403, 'admin_step_up_invalid',
	    'approve: staff-scope token');
	my $t = grant($sa, 'vip_business_approve');
	detail_is(call($sa, 'POST', '/api/admin/vip-businesses/nope-nope-nope/approve', stepup => $t),
	    404, 'business_not_found', 'approve: unknown business');
	is(used_at($t), 'NULL', 'approve 404: token unused');
	$r = call($sa, 'POST', $appr, stepup => $t, body => 'ignored, not JSON');
	is($r->{status}, 200, 'approved (any body ignored)') or diag($r->{body});
	is_deeply($r->{json}, { ok => JSON::PP::true, business_id => 'Biz:0001.test_a-b', owner_user_id => $owner->{user_id},
	    approved => JSON::PP::true, created_at => $NOW, approved_at => $NOW, approved_by_user_id => $sa->{user_id} },
	    'approve answer');
	is_deeply(audit_of($r->{rid}), [
	    "ADMIN_STEP_UP_CONSUMED|success||USER|$sa->{user_id}|{\"scope\":\"vip_business_approve\",\"ttl_seconds\":600}",
	    "VIP_BUSINESS_APPROVED|success||ORG|Biz:0001.test_a-b|{\"staff_count\":0}",
	], 'VIP_BUSINESS_APPROVED audited');
	$srv->set_conf(test_now => '2026-03-01T10:00:00Z');
	my $sa_b = $srv->login(role => 'superadmin');
	$r = call($sa_b, 'POST', $appr, stepup => grant($sa_b, 'vip_business_approve'));
	is($r->{status}, 200, 'approve again');
	is_deeply([ @{ $r->{json} }{qw(approved_at approved_by_user_id)} ], [ $NOW, $sa->{user_id} ],
	    'first approval time and approver kept');
	is(count("SELECT count(*) FROM audit_events WHERE action = 'VIP_BUSINESS_APPROVED'"), 2,
	    'every successful approve is audited');
	$srv->set_conf(test_now => $NOW);

	# Staff (SA + step-up vip_business_staff).
	my $staff = sub { "/api/admin/vip-businesses/$_[0]/staff/$_[1]" };
	my $B = 'Biz:0001.test_a-b';
	is_422(call($sa, 'POST', $staff->($B, $s1->{user_id})), [[qw(missing body)]], 'staff: body required');
	is_422(call($sa, 'POST', $staff->($B, $s1->{user_id}), json => { reason => [] }),
	    [[qw(string_type body reason)]], 'staff: reason not a string');
	detail_is(call($sa, 'POST', $staff->($B, $s1->{user_id}), json => {}), 403, 'admin_step_up_required',
	    'staff: no step-up');
	$t = grant($sa, 'vip_business_staff');
	detail_is(call($sa, 'POST', $staff->('nope-nope-nope', $s1->{user_id}), json => {}, stepup => $t),
	    404, 'business_not_found', 'staff: unknown business');
	detail_is(call($sa, 'POST', $staff->($B, '00000000-0000-4000-8000-000000000000'), json => {}, stepup => $t),
	    404, 'user_not_found', 'staff: unknown user');
	detail_is(call($sa, 'POST', $staff->('nope-nope-nope', '00000000-0000-4000-8000-000000000000'), json => {},
	    stepup => $t), 404, 'business_not_found', 'staff: business checked before user');
	detail_is(call($sa, 'POST', $staff->($b2, $s1->{user_id}), json => {}, stepup => $t),
	    400, 'business_not_approved', 'staff: business not approved');
	is(used_at($t), 'NULL', 'staff 404/400: token unused');

	$r = call($sa, 'POST', $staff->($B, $owner->{user_id}), json => {}, stepup => $t);
	is($r->{status}, 200, 'owner as staff: 200') or diag($r->{body});
	is_deeply($r->{json}, { ok => JSON::PP::true, business_id => $B, user_id => $owner->{user_id}, at => $NOW },
	    'staff answer');
	like(audit_of($r->{rid})->[1] // '', qr/^VIP_BUSINESS_STAFF_ADD_NOOP\|success\|\|ORG\|\Q$B\E\|/,
	    'owner: VIP_BUSINESS_STAFF_ADD_NOOP');
	is(count("SELECT count(*) FROM vip_business_staff"), 0, 'owner is not added as staff');

	$r = call($sa, 'POST', $staff->($B, $s1->{user_id}), json => { reason => 'Werkstattleiter' },
	    stepup => grant($sa, 'vip_business_staff'));
	is($r->{status}, 200, 'staff 1 added');
	is_deeply(audit_of($r->{rid})->[1],
	    "VIP_BUSINESS_STAFF_ADDED|success||ORG|$B|{\"reason_provided\":true,\"staff_count\":1}",
	    'VIP_BUSINESS_STAFF_ADDED audited with count');
	$r = call($sa, 'POST', $staff->($B, $s1->{user_id}), json => {}, stepup => grant($sa, 'vip_business_staff'));
	is($r->{status}, 200, 'staff 1 again: 200');
	like(audit_of($r->{rid})->[1] // '', qr/^VIP_BUSINESS_STAFF_ADD_NOOP\|.*"staff_count":1/, 'existing staff: no-op');
	$srv->set_conf(test_now => '2026-03-01T09:00:00.5Z');
	is(call($sa, 'POST', $staff->($B, $s2->{user_id}), json => {}, stepup => grant($sa, 'vip_business_staff'))->{status},
	    200, 'staff 2 added');
	$srv->set_conf(test_now => $NOW);
	$t = grant($sa, 'vip_business_staff');
	detail_is(call($sa, 'POST', $staff->($B, $s3->{user_id}), json => {}, stepup => $t), 409, 'staff_limit_reached',
	    'third staff refused');
	is(used_at($t), 'NULL', '409 rolled back: token unused');
	is(call($sa, 'POST', $staff->($B, $owner->{user_id}), json => {}, stepup => $t)->{status}, 200,
	    'owner still a no-op at the limit');
	is(call($sa, 'POST', $staff->($B, $s2->{user_id}), json => {}, stepup => grant($sa, 'vip_business_staff'))->{status},
	    200, 'existing staff still a no-op at the limit');
	is(count("SELECT count(*) FROM vip_business_staff WHERE business_id = " . sq($B)), 2, 'two staff rows');

	# 14.2 list: newest first, staff in the order added.
	$r = call($adm, 'GET', '/api/admin/vip-businesses');
	is($r->{status}, 200, 'business list');
	is_deeply([ map { $_->{business_id} } @{ $r->{json} } ], [ $b2, $B ], 'newest first');
	is_deeply($r->{json}[1], { business_id => $B, owner_user_id => $owner->{user_id}, approved => JSON::PP::true,
	    created_at => $NOW, approved_at => $NOW, approved_by_user_id => $sa->{user_id},
	    staff_user_ids => [ $s1->{user_id}, $s2->{user_id} ], staff_count => 2 }, 'list item');
	is_deeply([ @{ $r->{json}[0] }{qw(approved staff_count)} ], [ JSON::PP::false, 0 ], 'pending business');
	is_deeply($r->{json}[0]{staff_user_ids}, [], 'no staff: empty array');
}

# ---- nothing secret in audit rows or logs ----------------------------------

is(count("SELECT count(*) FROM audit_events WHERE instr(metadata_json, '\@') > 0 "
    . "OR instr(metadata_json, char(34) || 'reason' || char(34)) > 0"), 0,
    'no address and no reason key in any audit row');
for my $txt ('Kunde hat bezahlt', 'Redaktion', 'Vertrag unterschrieben', 'Werkstattleiter') {
	is(count("SELECT count(*) FROM audit_events WHERE ifnull(metadata_json,'') LIKE " . sq("%$txt%")), 0,
	    "reason '$txt' not audited");
}
ok(@tokens > 10, 'grants were issued');
my $toks = join '|', map { quotemeta } @tokens;
is(count("SELECT count(*) FROM audit_events WHERE "
    . join(' OR ', map { "instr(ifnull(metadata_json,'') || ifnull(target_id,''), " . sq($_) . ") > 0" } @tokens)),
    0, 'no step-up token in any audit row');
my $logs = $srv->log . do { local (@ARGV, $/) = ($srv->data . '/run/cgi-stderr.log'); -e $ARGV[0] ? <> : '' };
ok(length $logs, 'request logs were written');
unlike($logs, qr/$toks/, 'no step-up token in the logs');
unlike($logs, qr/\Q$u->{email}\E|\Q$owner->{email}\E|Kunde hat bezahlt|Werkstattleiter/i,
    'no address or reason in the logs');

$srv->stop;
# Under lighttpd the CGIs' stderr goes to run/cgi-stderr.log, which
# LTC::stop does not read.
my $cgi_log = do { local (@ARGV, $/) = ($srv->data . '/run/cgi-stderr.log'); -e $ARGV[0] ? <> : '' };
unlike($cgi_log, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report from the CGIs');
done_testing;
