#!/usr/bin/perl
# ltcctl user add|role|disable|enable|show|revoke-sessions and
# bootstrap-superadmin (ops.md 7, domain.md 1.1, 1.5) against the database
# of a running server, so their effect on live sessions is visible.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Test::More;

my $srv = LTC->new_lighttpd;
# (new_lighttpd's conf => {} does not reach the CGIs; set_conf does.)
$srv->set_conf(scrypt_p => 1, test_now => '2026-03-01T09:00:00Z');
my $data = $srv->data;
my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

sub sql {
	my ($q) = @_;
	open my $fh, '-|', 'sqlite3', '-batch', '-cmd', '.timeout 5000', "$data/ltc.sqlite", $q or die;
	local $/;
	my $out = <$fh> // '';
	close $fh;
	$out =~ s/\n\z//;
	return $out;
}
my @outputs;
sub ctl { my @r = $srv->ltcctl(@_); push @outputs, $r[1]; @r }
sub login { $srv->post('/api/auth/login', json => { email => shift, password => shift }) }
sub me { $srv->get('/api/auth/me', token => shift) }
sub audit { sql("SELECT count(*) FROM audit_events WHERE action = '$_[0]' AND actor_type = 'system' AND " .
    "request_id = 'cli'" . ($_[1] ? " AND $_[1]" : '')) }

# ---- user add -------------------------------------------------------------------

my ($rc, $out) = ctl('user', 'add', '  Anna.Alt@Example.org ');
is($rc, 0, 'user add: exit 0');
like($out, qr/^[0-9a-f-]{36}\n\z/, 'user add prints only the user id');
chomp(my $anna = $out);
like($anna, $UUID, 'a UUIDv4');
is(sql("SELECT role || ' ' || status || ' ' || (email_verified_at IS NOT NULL) || ' ' || (password_hash IS NULL) || ' ' || " .
    "(email_enc IS NOT NULL) || ' ' || length(email_hmac) FROM auth_users WHERE user_id = '$anna'"), 'user active 1 1 1 43',
    'verified, active, role user, no password, e-mail encrypted, HMAC');
is(audit('USER_CREATED_CLI', "target_id = '$anna' AND metadata_json = '{\"role\":\"user\"}'"), 1,
    'audit USER_CREATED_CLI (system, cli) with the role');
($rc) = ctl('user', 'add', 'anna.alt@example.org');
is($rc, 1, 'the same (normalised) address again: exit 1');
($rc) = ctl('user', 'add', 'not-an-address');
is($rc, 2, 'an implausible address: exit 2');
($rc) = ctl('user', 'add', 'x@example.org', '--role', 'king');
is($rc, 2, 'an unknown role: exit 2');
($rc) = ctl('user', 'add');
is($rc, 2, 'no address: exit 2');
($rc) = ctl('user', 'add', 'x@example.org', '--bogus');
is($rc, 2, 'an unknown option: exit 2');
is(sql("SELECT count(*) FROM auth_users"), 1, 'refused adds create nothing');

($rc, $out) = ctl('user', 'add', 'bert@example.org', '--role', 'dealer', '--password-stdin', \"exactly10!\n");
is($rc, 0, 'user add --role --password-stdin: exit 0');
chomp(my $bert = $out);
is(sql("SELECT role || ' ' || (password_hash LIKE '\$s1\$0f0801\$%') || ' ' || (password_changed_at IS NOT NULL) " .
    "FROM auth_users WHERE user_id = '$bert'"), 'dealer 1 1', 'role and scrypt hash stored');
is(audit('PASSWORD_SET', "target_id = '$bert' AND metadata_json = '{\"via\":\"cli\"}'"), 1, 'audit PASSWORD_SET via cli');
my $r = login('bert@example.org', 'exactly10!');
is($r->{status}, 200, 'the password works (trailing newline stripped, 10 bytes accepted)');
is($r->{json}{role}, 'dealer', 'login answer carries the role');
my $bert_tok = $r->{json}{access_token};
is(login('bert@example.org', "exactly10!\n")->{status}, 400, 'the newline is not part of the password');
($rc) = ctl('user', 'add', 'carl@example.org', '--password-stdin', \"crlf-password\r\n");
is(login('carl@example.org', 'crlf-password')->{status}, 200, 'a CRLF line ending is stripped too');
($rc, $out) = ctl('user', 'add', 'dora@example.org', '--password-stdin', \"too short\n");
is($rc, 2, 'password under 10 bytes: exit 2');
($rc) = ctl('user', 'add', 'dora@example.org', '--password-stdin', \('p' x 1025 . "\n"));
is($rc, 2, 'password over 1024 bytes: exit 2');
($rc) = ctl('user', 'add', 'dora@example.org', '--password-stdin', \'');
is($rc, 2, 'no password on stdin: exit 2');
($rc) = ctl('user', 'add', 'dora@example.org', '--password-stdin', \('p' x 1024));
is($rc, 0, '1024 bytes without a newline: accepted');
is(sql("SELECT count(*) FROM auth_users WHERE email_hmac IS NOT NULL"), 4, 'four accounts');

# ---- user show ---------------------------------------------------------------------

($rc, $out) = ctl('user', 'show', 'ANNA.ALT@example.org');
is($rc, 0, 'show by address: exit 0');
like($out, qr/^user_id\s+\Q$anna\E$/m, 'show: user id');
like($out, qr/^email\s+a\*\*\*\@example\.org$/m, 'show: masked address');
like($out, qr/^role\s+user$/m, 'show: role');
like($out, qr/^status\s+active$/m, 'show: status');
like($out, qr/^created_at\s+2026-03-01T09:00:00Z$/m, 'show: dates');
like($out, qr/^password\s+not set$/m, 'show: no password');
like($out, qr/^sessions\s+0$/m, 'show: sessions');
like($out, qr/^vehicles\s+0$/m, 'show: vehicles');
($rc, $out) = ctl('user', 'show', $bert);
is($rc, 0, 'show by id');
like($out, qr/^sessions\s+1$/m, 'show: one open session');
like($out, qr/^password\s+set$/m, 'show: password set');
($rc) = ctl('user', 'show', '00000000-0000-4000-8000-000000000000');
is($rc, 1, 'show: unknown id: exit 1');
($rc) = ctl('user', 'show', 'nobody@example.org');
is($rc, 1, 'show: unknown address: exit 1');
($rc) = ctl('user', 'show');
is($rc, 2, 'show without argument: exit 2');

# ---- user role ------------------------------------------------------------------------

($rc, $out) = ctl('user', 'role', 'bert@example.org', 'vip');
is($rc, 0, 'role by address: exit 0');
is(me($bert_tok)->{json}{role}, 'vip', 'the role is read live by the next request');
is(audit('USER_ROLE_SET_CLI', "target_id = '$bert' AND metadata_json = '{\"role\":\"vip\"}'"), 1,
    'audit USER_ROLE_SET_CLI');
($rc) = ctl('user', 'role', $bert, 'emperor');
is($rc, 2, 'unknown role: exit 2');
($rc) = ctl('user', 'role', '00000000-0000-4000-8000-000000000000', 'user');
is($rc, 1, 'unknown account: exit 1');
($rc) = ctl('user', 'role', $anna, 'superadmin');
is($rc, 0, 'make a superadmin');
($rc, $out) = ctl('user', 'role', $anna, 'admin');
is($rc, 1, 'demoting the last superadmin: exit 1');
like($out, qr/last superadmin/, '... with a message');
is(sql("SELECT role FROM auth_users WHERE user_id = '$anna'"), 'superadmin', '... the role is unchanged');
($rc, $out) = ctl('user', 'disable', $anna);
is($rc, 1, 'disabling the last superadmin: exit 1');
($rc) = ctl('user', 'role', $bert, 'superadmin');
($rc) = ctl('user', 'role', $anna, 'admin');
is($rc, 0, 'with a second superadmin the first may be demoted');

# ---- disable / enable / revoke-sessions -------------------------------------------------

$r = login('carl@example.org', 'crlf-password');
my $carl_tok = $r->{json}{access_token};
my $carl = $r->{json}{user_id};
my $carl2 = login('carl@example.org', 'crlf-password')->{json}{access_token};
($rc, $out) = ctl('user', 'disable', 'carl@example.org');
is($rc, 0, 'disable: exit 0');
is(sql("SELECT status || ' ' || (disabled_at IS NOT NULL) FROM auth_users WHERE user_id = '$carl'"), 'disabled 1',
    'status disabled, disabled_at set');
is(me($carl_tok)->{status}, 401, 'disable revokes the sessions');
is(me($carl2)->{status}, 401, '... all of them');
is(sql("SELECT group_concat(DISTINCT revoke_reason) FROM auth_sessions WHERE user_id = '$carl'"), 'disabled',
    'revoke reason disabled');
is(login('carl@example.org', 'crlf-password')->{json}{detail}, 'INVALID', 'a disabled account cannot log in');
is(audit('USER_DISABLED', "target_id = '$carl'"), 1, 'audit USER_DISABLED');
($rc) = ctl('user', 'enable', $carl);
is($rc, 0, 'enable: exit 0');
is(sql("SELECT status || ' ' || (disabled_at IS NULL) FROM auth_users WHERE user_id = '$carl'"), 'active 1', 'active again');
is(audit('USER_ENABLED', "target_id = '$carl'"), 1, 'audit USER_ENABLED');
$r = login('carl@example.org', 'crlf-password');
is($r->{status}, 200, 'enabled: login works');
($rc, $out) = ctl('user', 'revoke-sessions', 'carl@example.org');
is($rc, 0, 'revoke-sessions: exit 0');
like($out, qr/sessions revoked: 1$/m, 'revoke-sessions reports the count');
is(me($r->{json}{access_token})->{status}, 401, 'revoke-sessions ends the session');
is(sql("SELECT revoke_reason FROM auth_sessions WHERE user_id = '$carl' AND revoke_reason <> 'disabled'"), 'admin',
    'revoke reason admin');
is(audit('SESSION_REVOKED', "target_id = '$carl'"), 1, 'audit SESSION_REVOKED');
($rc) = ctl('user', 'disable');
is($rc, 2, 'disable without argument: exit 2');
($rc) = ctl('user', 'frobnicate', $carl);
is($rc, 2, 'unknown subcommand: exit 2');

# ---- bootstrap-superadmin ---------------------------------------------------------------

($rc, $out) = ctl('bootstrap-superadmin', 'eve@example.org');
is($rc, 1, 'bootstrap while a superadmin exists: exit 1');
is(sql("SELECT count(*) FROM auth_users WHERE role = 'superadmin'"), 1, '... nothing changed');
sql("UPDATE auth_users SET role = 'admin' WHERE role = 'superadmin'");
($rc, $out) = ctl('bootstrap-superadmin', 'Eve@Example.org');
is($rc, 0, 'bootstrap without a superadmin: exit 0');
chomp(my $eve = $out);
like($eve, $UUID, 'prints the new account id');
is(sql("SELECT role || ' ' || status || ' ' || (email_verified_at IS NOT NULL) FROM auth_users WHERE user_id = '$eve'"),
    'superadmin active 1', 'a verified, active superadmin');
is(audit('BOOTSTRAP_SUPERADMIN', "target_id = '$eve'"), 1, 'audit BOOTSTRAP_SUPERADMIN');
is(audit('USER_CREATED_CLI', "target_id = '$eve'"), 1, 'audit USER_CREATED_CLI');
($rc) = ctl('bootstrap-superadmin', 'dora@example.org');
is($rc, 1, 'a second bootstrap: exit 1');
sql("UPDATE auth_users SET role = 'user' WHERE user_id = '$eve'");
($rc, $out) = ctl('bootstrap-superadmin', 'dora@example.org');
is($rc, 0, 'bootstrap of an existing account');
is(sql("SELECT role FROM auth_users WHERE user_id = '" . ($out =~ s/\n//r) . "'"), 'superadmin',
    '... it becomes superadmin');
($rc) = ctl('bootstrap-superadmin');
is($rc, 2, 'bootstrap without an address: exit 2');

# ---- help, privacy -----------------------------------------------------------------------

($rc, $out) = ctl('help');
like($out, qr/user add EMAIL/, 'help lists user add');
like($out, qr/bootstrap-superadmin EMAIL/, 'help lists bootstrap-superadmin');
my $all = join '', @outputs;
for my $e ('anna.alt@example.org', 'bert@example.org', 'carl@example.org', 'dora@example.org', 'eve@example.org') {
	ok(index(lc $all, $e) < 0, "ltcctl never printed $e");
}
my $db = join '', map { my $f = "$data/ltc.sqlite$_"; -e $f ? do { local (@ARGV, $/) = ($f); <> } : '' } ('', '-wal');
ok(!grep({ index(lc $db, $_) >= 0 } 'anna.alt@example.org', 'bert@example.org', 'carl@example.org',
    'dora@example.org', 'eve@example.org'), 'no address in the database bytes');
unlike(sql("SELECT * FROM audit_events"), qr/\@|exactly10/, 'audit rows carry no address or password');
unlike($all, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report from ltcctl');
my $cgilog = do { local (@ARGV, $/) = ("$data/run/cgi-stderr.log"); <> } // '';
unlike($cgilog, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report in the CGI log');

$srv->stop;
done_testing;
