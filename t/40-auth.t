#!/usr/bin/perl
# /api/auth/* through a real lighttpd and a real SQLite file (api.md 3,
# security.md 2, 3, 5, 6, domain.md 1, 14, 16, ops.md 2.3): codes are read
# from the outbox, time is moved with test_now.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir run_cgi);
use Fcntl qw(:flock);
use POSIX qw(strftime);
use Time::HiRes qw(time);
use Test::More;

my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
my $MSG = "Wenn die E-Mail-Adresse g\x{fc}ltig ist, wurde ein Code gesendet.";

# scrypt at the cheapest accepted setting keeps the many hashes quick.
# (The keys go through set_conf: new_lighttpd's conf => {} passes them to
# devserver.sh without the LTC_ prefix, so they would not arrive.)
my $srv = LTC->new_lighttpd;
$srv->set_conf(allow_dev_headers => 'true', scrypt_p => 1, test_now => '2026-03-01T09:00:00Z');
my $data = $srv->data;

# ---- helpers ------------------------------------------------------------

my $now = 1772355600;	# 2026-03-01T09:00:00Z
sub at { $now = shift; $srv->set_conf(test_now => strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $now)) }
sub later { at($now + shift) }
# A fresh hour, so the 600 s rate-limit windows of earlier steps are over.
sub next_hour { at($now - $now % 3600 + 3600) }

my (@emails, @otps, @tokens);
my $seq = 0;
sub addr { my $e = sprintf('Person%d.%d@Example.org', $$, ++$seq); push @emails, $e, lc $e; $e }

sub code_of {
	my ($cid) = @_;
	my $m = $srv->outbox($cid) // return undef;
	my ($otp) = $m =~ /(?:Login-Code|Best\xc3\xa4tigungscode):\n(\d{6})\n/;
	push @otps, $otp if defined $otp;
	return $otp;
}
# Another 6-digit code, built without touching $otp numerically (JSON::PP
# would then send it as a number).
sub wrong { my $o = shift; substr($o, 0, 5) . (substr($o, 5) eq '9' ? '0' : chr(ord(substr($o, 5)) + 1)) }
sub request_code {
	my ($email) = @_;
	my $r = $srv->post('/api/auth/request', json => { email => $email });
	die "request: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json}{challenge_id};
}
sub verify {
	my ($email, $cid, $otp, %o) = @_;
	my $r = $srv->post('/api/auth/verify', json => { email => $email, challenge_id => $cid,
	    otp => $otp }, %o);
	push @tokens, $r->{json}{access_token}, $r->{json}{csrf_token} if $r->{status} == 200;
	return $r;
}
sub otp_login {
	my ($email) = @_;
	my $cid = request_code($email);
	my $r = verify($email, $cid, code_of($cid));
	die "verify: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json};
}
sub pw_login {
	my ($email, $pw, %o) = @_;
	my $r = $srv->post('/api/auth/login', json => { email => $email, password => $pw }, %o);
	push @tokens, $r->{json}{access_token}, $r->{json}{csrf_token} if $r->{status} == 200;
	return $r;
}
sub me { $srv->get('/api/auth/me', @_) }
# sqlite3 without a shell in between, so SQL may hold quotes and '$'.
sub sql {
	my ($q) = @_;
	open my $fh, '-|', 'sqlite3', '-batch', '-cmd', '.timeout 5000', "$data/ltc.sqlite", $q or die;
	local $/;
	my $out = <$fh> // '';
	close $fh;
	$out =~ s/\n\z//;
	return $out;
}
sub audit_count {
	my ($action, $extra) = @_;
	return sql("SELECT count(*) FROM audit_events WHERE action = '$action'" .
	    ($extra ? " AND $extra" : ''));
}
sub mails { opendir my $d, "$data/outbox" or return 0; scalar grep { /\.eml$/ } readdir $d }
sub add_user {
	my ($email, $pw, @role) = @_;
	my ($rc, $out) = $srv->ltcctl('user', 'add', $email, @role, defined $pw ? ('--password-stdin',
	    \"$pw\n") : ());
	die "user add: $out" if $rc;
	chomp $out;
	return $out;
}
sub is_422 {
	my ($r, $items, $name) = @_;
	is($r->{status}, 422, "$name: 422");
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} // [] } ], $items,
	    "$name: types and locs") or diag($r->{body});
	ok(!grep({ join(',', sort keys %$_) ne 'loc,msg,type' } @{ $r->{json}{detail} // [] }),
	    "$name: items have exactly type, loc, msg");
}

# ---- the login helper other tests depend on -----------------------------

my $u = $srv->login(role => 'vip');
like($u->{user_id}, $UUID, 'LTC login helper: user add + login + consent');
is($u->{role}, 'vip', 'helper: role from the account');
is(me(token => $u->{token})->{status}, 200, 'helper token authenticates');
push @emails, $u->{email};
push @tokens, $u->{token}, $u->{csrf};

# ---- OTP: request -> mail -> verify creates the account -----------------

my $e1 = addr();
my $r = $srv->post('/api/auth/request', json => { email => "  $e1 " });
is($r->{status}, 200, 'request: 200');
my $cid = $r->{json}{challenge_id};
like($cid, $UUID, 'request: challenge id is a UUID');
is_deeply([ sort keys %{ $r->{json} } ], [qw(challenge_id dev_otp message ok)], 'request: exact keys');
is($r->{json}{message}, $MSG, 'request: message');
ok($r->{json}{ok} && !defined $r->{json}{dev_otp}, 'request: ok true, dev_otp null');
is(sql("SELECT count(*) FROM auth_users"), 1, 'request creates no account');
my $mail = $srv->outbox($cid);
ok(defined $mail, 'request: mail in the outbox');
my @f = glob("$data/outbox/*-$cid.eml");
like($f[0] // '', qr{/20260301T090000Z-\Q$cid\E\.eml$}, 'outbox file name <YYYYMMDDTHHMMSSZ>-<challenge_id>.eml');
is((stat $f[0])[2] & 07777, 0600, 'outbox file mode 0600');
my ($head, $body) = split /\n\n/, $mail, 2;
my $otp = code_of($cid);
like($otp, qr/^\d{6}$/, 'mail carries a 6-digit code');
is($body, "Dein Login-Code:\n$otp\n\nWenn du das nicht angefordert hast: ignorieren.\n\nReferenz: $cid\n",
    'login mail body is byte-exact (domain.md 1.4)');
my %h = map { /^([^:]+): (.*)$/ } split /\n/, $head;
is($h{From}, 'LifeTimeCircle <noreply@localhost>', 'From: mail_from');
is($h{To}, lc $e1, 'To: the normalised address');
is($h{Subject}, '=?UTF-8?B?TGlmZVRpbWVDaXJjbGUg4oCTIExvZ2luLUNvZGU=?=', 'Subject RFC 2047, EN DASH');
like($h{Date}, qr/^Sun, 01 Mar 2026 09:00:00 \+0000$/, 'Date header');
like($h{'Message-ID'}, qr/^<[0-9a-f-]{36}\@ltc>$/, 'Message-ID <uuid@ltc>');
is($h{'MIME-Version'}, '1.0', 'MIME-Version');
is($h{'Content-Type'}, 'text/plain; charset=UTF-8', 'Content-Type');
is($h{'Content-Transfer-Encoding'}, '8bit', 'Content-Transfer-Encoding');
is(scalar(keys %h), 8, 'no other headers');
is(audit_count('AUTH_CHALLENGE_CREATED', "result = 'success' AND metadata_json = '{\"purpose\":\"login\"}'"), 1,
    'audit AUTH_CHALLENGE_CREATED success, purpose login');
is(audit_count('AUTH_CHALLENGE_DELIVERED'), 1, 'audit AUTH_CHALLENGE_DELIVERED');

$r = verify(uc $e1, $cid, $otp);
is($r->{status}, 200, 'verify: 200 (address matched after normalisation)');
my $s1 = $r->{json};
is_deeply([ sort keys %$s1 ], [qw(access_token csrf_token expires_at role token_type user_id)],
    'session answer: exact keys');
like($s1->{access_token}, qr/^[A-Za-z0-9_-]{43}$/, 'access_token: 43 base64url chars');
like($s1->{csrf_token}, qr/^[A-Za-z0-9_-]{43}$/, 'csrf_token: 43 base64url chars');
is($s1->{token_type}, 'bearer', 'token_type bearer');
is($s1->{expires_at}, '2026-03-01T17:00:00Z', 'expires_at = creation + 8 h');
is($s1->{role}, 'user', 'new account: role user');
like($s1->{user_id}, $UUID, 'user id is a UUID');
my ($ck) = grep { /^ltc_session=/ } @{ $r->{headers}{'set-cookie-list'} };
is($ck, "ltc_session=$s1->{access_token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800",
    'cookie: HttpOnly, SameSite=Lax, Path=/, Max-Age=28800, no Secure over http');
is(sql("SELECT role || ' ' || status || ' ' || (email_verified_at IS NOT NULL) || ' ' || " .
    "(password_hash IS NULL) || ' ' || length(email_key_id) FROM auth_users WHERE user_id = '$s1->{user_id}'"),
    'user active 1 1 16', 'account created: user, active, verified, no password, key id');
is(sql("SELECT used_at IS NOT NULL FROM auth_challenges WHERE challenge_id = '$cid'"), 1, 'challenge used');
is(sql("SELECT auth_method FROM auth_sessions WHERE user_id = '$s1->{user_id}'"), 'otp', 'session method otp');
is(audit_count('AUTH_CHALLENGE_VERIFIED', "target_id = '$s1->{user_id}'"), 1, 'audit AUTH_CHALLENGE_VERIFIED');
is(audit_count('SESSION_CREATED', "metadata_json = '{\"method\":\"otp\"}'"), 1, 'audit SESSION_CREATED method otp');
is(verify($e1, $cid, $otp)->{json}{detail}, 'INVALID', 'a used challenge is INVALID');

$r = me(token => $s1->{access_token});
is($r->{status}, 200, 'me: 200 with bearer');
is_deeply($r->{json}, { user_id => $s1->{user_id}, role => 'user', status => 'active',
    email_verified => JSON::PP::true, has_password => JSON::PP::false, auth => 'bearer',
    csrf_token => $s1->{csrf_token}, session_expires_at => '2026-03-01T17:00:00Z' }, 'me: exact body');
is(me(cookie => $s1->{access_token})->{json}{auth}, 'cookie', 'me: auth cookie');
$r = me(headers => { 'X-Role' => 'admin', 'X-User-Id' => 'dev-1' });
is_deeply($r->{json}, { user_id => 'dev-1', role => 'admin', status => 'active',
    email_verified => JSON::PP::false, has_password => JSON::PP::false, auth => 'dev',
    csrf_token => undef, session_expires_at => undef }, 'me: dev actor');
$r = me();
is($r->{status}, 401, 'me without actor: 401');
is_deeply($r->{json}, { detail => 'unauthorized' }, '401 body');
is($r->{headers}{'www-authenticate'}, 'Bearer', 'WWW-Authenticate: Bearer');
is(me(token => 'x' x 43)->{status}, 401, 'unknown token: 401');
is(me(headers => { Authorization => "Bearer $s1->{access_token}" }, cookie => 'nonsense')->{status}, 200,
    'Bearer wins over a bad cookie');
is(me(headers => { Authorization => "bearer $s1->{access_token}" })->{status}, 200, 'scheme case-insensitive');

# A second code for an existing account: no new account.
my $again = otp_login($e1);
is($again->{user_id}, $s1->{user_id}, 'second OTP login: same account');

# ---- register -> code -> verify: a password account ---------------------

next_hour();
my $e2 = addr();
my $pw2 = "s\x{e4}fe password";
$r = $srv->post('/api/auth/register', json => { email => $e2, password => $pw2 });
is($r->{status}, 200, 'register: 200');
is($r->{json}{message}, $MSG, 'register: same message');
my $rcid = $r->{json}{challenge_id};
($head, $body) = split /\n\n/, $srv->outbox($rcid), 2;
my $rotp = code_of($rcid);
is($body, "Dein Best\xc3\xa4tigungscode:\n$rotp\n\nMit diesem Code best\xc3\xa4tigst du deine E-Mail-Adresse " .
    "und dein Passwort.\nWenn du das nicht angefordert hast: ignorieren.\n\nReferenz: $rcid\n",
    'registration mail body is byte-exact');
like($head, qr/^Subject: =\?UTF-8\?B\?TGlmZVRpbWVDaXJjbGUg4oCTIEJlc3TDpHRpZ3VuZ3Njb2Rl\?=$/m,
    'registration subject RFC 2047');
is(sql("SELECT purpose || ' ' || (pending_password_hash LIKE '\$s1\$0f0801\$%') FROM auth_challenges " .
    "WHERE challenge_id = '$rcid'"), 'register 1', 'register challenge carries the pending scrypt hash');
is(audit_count('AUTH_CHALLENGE_CREATED', "metadata_json = '{\"purpose\":\"register\"}'"), 1,
    'audit AUTH_CHALLENGE_CREATED purpose register');
is(pw_login($e2, $pw2)->{json}{detail}, 'INVALID', 'no login before the code is confirmed');
$r = verify($e2, $rcid, $rotp);
is($r->{status}, 200, 'verify register code: 200');
my $s2 = $r->{json};
is(sql("SELECT password_hash LIKE '\$s1\$0f0801\$%' FROM auth_users WHERE user_id = '$s2->{user_id}'"), 1,
    'password hash moved onto the account');
is(audit_count('PASSWORD_SET', "metadata_json = '{\"via\":\"register\"}'"), 1, 'audit PASSWORD_SET via register');
is(me(token => $s2->{access_token})->{json}{has_password}, JSON::PP::true, 'me: has_password');
$r = pw_login("  \U$e2\E ", $pw2);
is($r->{status}, 200, 'password login: 200 (address normalised)');
is(sql("SELECT auth_method FROM auth_sessions WHERE token_hash IS NOT NULL AND user_id = '$s2->{user_id}' " .
    "ORDER BY created_at DESC, rowid DESC LIMIT 1"), 'password', 'session method password');
is(audit_count('SESSION_CREATED', "metadata_json = '{\"method\":\"password\"}'"), 2,
    'audit SESSION_CREATED method password (helper + this login)');
is(pw_login($e2, "S\x{e4}fe password")->{json}{detail}, 'INVALID', 'passwords compared exactly');

# ---- wrong codes, LOCKED, EXPIRED ---------------------------------------

next_hour();
my $e3 = addr();
otp_login($e3);
$cid = request_code($e3);
$otp = code_of($cid);
my $bad = wrong($otp);
for my $i (1 .. 5) {
	$r = verify($e3, $cid, $bad);
	is($r->{status}, 400, "wrong code $i: 400");
	is_deeply($r->{json}, { detail => 'INVALID' }, "wrong code $i: INVALID");
	is(sql("SELECT attempts FROM auth_challenges WHERE challenge_id = '$cid'"), $i,
	    "wrong code $i: attempts persisted");
}
is(audit_count('AUTH_CHALLENGE_FAILED', "reason_code = 'INVALID' AND metadata_json = '{\"attempts\":5}'"), 1,
    'audit AUTH_CHALLENGE_FAILED INVALID with attempts');
later(100);
$r = verify($e3, $cid, $otp);
is($r->{status}, 429, 'after otp_max_attempts even the right code: 429');
is_deeply($r->{json}, { detail => 'LOCKED' }, 'LOCKED');
is($r->{headers}{'retry-after'}, '500', 'Retry-After: seconds until the challenge expires');
is(sql("SELECT attempts FROM auth_challenges WHERE challenge_id = '$cid'"), 5, 'LOCKED does not count');
is(audit_count('AUTH_CHALLENGE_FAILED', "reason_code = 'LOCKED'"), 1, 'audit LOCKED');

$cid = request_code($e3);
$otp = code_of($cid);
later(601);
$r = verify($e3, $cid, $otp);
is($r->{status}, 400, 'expired code: 400');
is_deeply($r->{json}, { detail => 'EXPIRED' }, 'EXPIRED');
is(audit_count('AUTH_CHALLENGE_FAILED', "reason_code = 'EXPIRED'"), 1, 'audit EXPIRED');
$srv->set_conf(otp_max_attempts => 1);
$cid = request_code($e3);
$otp = code_of($cid);
verify($e3, $cid, wrong($otp));
is(verify($e3, $cid, $otp)->{json}{detail}, 'LOCKED', 'otp_max_attempts is configurable');
$srv->set_conf(otp_max_attempts => undef);
$cid = request_code($e3);
is(verify(addr(), $cid, code_of($cid))->{json}{detail}, 'INVALID', 'a code for another address is INVALID');
is(verify($e3, '00000000-0000-4000-8000-000000000000', '123456')->{json}{detail}, 'INVALID',
    'unknown challenge is INVALID');

# ---- 422 shapes (never 500) ---------------------------------------------

next_hour();
is_422($srv->post('/api/auth/request', json => {}), [ [ 'missing', [ 'body', 'email' ] ] ], 'request {}');
is_422($srv->post('/api/auth/request'), [ [ 'missing', ['body'] ] ], 'request without body');
is_422($srv->post('/api/auth/request', body => '{"email":'), [ [ 'json_invalid', ['body'] ] ], 'bad JSON');
is_422($srv->post('/api/auth/request', json => [1]), [ [ 'dict_type', ['body'] ] ], 'array body');
is_422($srv->post('/api/auth/request', json => { email => undef }), [ [ 'string_type', [ 'body', 'email' ] ] ],
    'email null');
is_422($srv->post('/api/auth/request', json => { email => 5 }), [ [ 'string_type', [ 'body', 'email' ] ] ],
    'email a number');
for my $bad ('ab@', '@b.de', 'a@b@c.de', 'a b@c.de', "m\x{fc}ller\@example.org", 'nobody', "a\tb\@c.de") {
	is_422($srv->post('/api/auth/request', json => { email => $bad }), [ [ 'value_error', [ 'body', 'email' ] ] ],
	    'implausible address');
}
is_422($srv->post('/api/auth/request', json => { email => ' a ' }), [ [ 'string_too_short', [ 'body', 'email' ] ] ],
    'email shorter than 3 after trimming');
is_422($srv->post('/api/auth/request', json => { email => ('a' x 310) . '@example.org' }),
    [ [ 'string_too_long', [ 'body', 'email' ] ] ], 'email longer than 320');
is_422($srv->post('/api/auth/register', json => { email => 'x', password => 'short' }),
    [ [ 'string_too_short', [ 'body', 'email' ] ], [ 'string_too_short', [ 'body', 'password' ] ] ],
    'register: both fields, in field order');
is_422($srv->post('/api/auth/register', json => { email => addr(), password => "\x{e4}" x 4 }),
    [ [ 'string_too_short', [ 'body', 'password' ] ] ], 'password length counts bytes (4 x 2 bytes)');
is($srv->post('/api/auth/register', json => { email => addr(), password => "\x{e4}" x 5 })->{status}, 200,
    'password of 5 two-byte characters = 10 bytes is accepted');
is_422($srv->post('/api/auth/register', json => { email => addr(), password => 'p' x 1025 }),
    [ [ 'string_too_long', [ 'body', 'password' ] ] ], 'password over 1024 bytes');
is_422($srv->post('/api/auth/register', json => { email => addr() }), [ [ 'missing', [ 'body', 'password' ] ] ],
    'register without password');
is_422($srv->post('/api/auth/verify', json => {}), [ map { [ 'missing', [ 'body', $_ ] ] } qw(email challenge_id otp) ],
    'verify {}: three items in field order');
is_422($srv->post('/api/auth/verify', json => { email => 'no-at-sign', challenge_id => 'short', otp => '1' }),
    [ [ 'string_too_short', [ 'body', 'challenge_id' ] ], [ 'string_too_short', [ 'body', 'otp' ] ] ],
    'verify: only lengths are checked on the address');
is_422($srv->post('/api/auth/login', json => { email => 'a@b', password => '' }),
    [ [ 'string_too_short', [ 'body', 'password' ] ] ], 'login: empty password');
is($srv->post('/api/auth/login', json => { email => 'no-at-sign', password => 'x' })->{json}{detail}, 'INVALID',
    'login: an implausible address is just INVALID');
unlike($srv->post('/api/auth/register', json => { email => 'x', password => 'secret-value-1' })->{body},
    qr/secret-value/, '422 never echoes input');

# ---- pre-session CSRF (Origin / Referer) --------------------------------

$r = $srv->post('/api/auth/login', json => {}, headers => { Origin => 'http://evil.example' });
is($r->{status}, 403, 'login with a foreign Origin: 403');
is_deeply($r->{json}, { detail => 'csrf_failed' }, 'csrf_failed (before validation)');
is($srv->post('/api/auth/request', json => {}, headers => { Referer => 'http://evil.example/x' })->{status}, 403,
    'foreign Referer without Origin: 403');
is($srv->post('/api/auth/verify', json => {}, headers => { Origin => $srv->base })->{status}, 422,
    'own Origin passes');
is($srv->post('/api/auth/register', json => {}, headers => { Referer => $srv->base . '/register' })->{status}, 422,
    'own Referer passes');
is(audit_count('ACCESS_DENIED', "reason_code = 'CSRF' AND target_id = '/login'"), 1,
    'audit ACCESS_DENIED reason CSRF');

# ---- CSRF for cookie sessions --------------------------------------------

my $cs = otp_login(addr());
my ($tok, $csrf) = @$cs{qw(access_token csrf_token)};
$r = $srv->post('/api/auth/password', cookie => $tok, json => {});
is($r->{status}, 403, 'cookie POST without X-CSRF-Token: 403');
is_deeply($r->{json}, { detail => 'csrf_failed' }, 'csrf_failed');
is(audit_count('ACCESS_DENIED', "reason_code = 'CSRF' AND target_id = '/password' AND actor_id = '$cs->{user_id}'"),
    1, 'audit ACCESS_DENIED CSRF with the actor');
is($srv->post('/api/auth/password', cookie => $tok, csrf => 'x' x 43, json => {})->{status}, 403, 'wrong token: 403');
is($srv->post('/api/auth/password', cookie => $tok, csrf => $csrf, json => {})->{status}, 422,
    'token from the login answer: passes (422 next)');
is(me(cookie => $tok)->{json}{csrf_token}, $csrf, 'me returns the same CSRF token');
is($srv->post('/api/auth/password', cookie => $tok, csrf => $csrf, json => {},
    headers => { Origin => 'http://evil.example' })->{status}, 403, 'foreign Origin: 403 even with the token');
is($srv->post('/api/auth/password', cookie => $tok, csrf => $csrf, json => {},
    headers => { 'Sec-Fetch-Site' => 'cross-site' })->{status}, 403, 'Sec-Fetch-Site cross-site: 403');
is($srv->post('/api/auth/password', cookie => $tok, csrf => $csrf, json => {},
    headers => { 'Sec-Fetch-Site' => 'same-origin', Origin => $srv->base })->{status}, 422, 'same-origin: passes');
is($srv->post('/api/auth/password', token => $tok, json => {},
    headers => { Origin => 'http://evil.example' })->{status}, 422, 'Bearer is exempt from CSRF');

# ---- sessions: idle timeout, refresh, absolute expiry ---------------------

next_hour();
my $t0 = $now;
my $is = otp_login(addr());
my $sid = sql("SELECT session_id FROM auth_sessions WHERE user_id = '$is->{user_id}'");
later(30);
is(me(token => $is->{access_token})->{status}, 200, '30 s later: 200');
is(sql("SELECT last_seen_at FROM auth_sessions WHERE session_id = '$sid'"),
    strftime('%Y-%m-%dT%H:%M:%S.000000Z', gmtime $t0), 'last_seen_at not refreshed within 60 s');
at($t0 + 20 * 60);
is(me(token => $is->{access_token})->{status}, 200, '20 min later: 200');
is(sql("SELECT last_seen_at FROM auth_sessions WHERE session_id = '$sid'"),
    strftime('%Y-%m-%dT%H:%M:%S.000000Z', gmtime $now), 'last_seen_at refreshed');
at($t0 + 45 * 60);
is(me(token => $is->{access_token})->{status}, 200, '45 min after login, 25 min idle: still valid');
at($t0 + 76 * 60);
is(me(token => $is->{access_token})->{status}, 401, '31 min idle: 401');
$is = otp_login(addr());
$srv->set_conf(session_idle_seconds => 86400);
later(8 * 3600 - 1);
is(me(token => $is->{access_token})->{status}, 200, '8 h minus 1 s: still valid');
later(1);
is(me(token => $is->{access_token})->{status}, 401, 'absolute 8 h expiry: 401');
$srv->set_conf(session_idle_seconds => undef);

# ---- logout ----------------------------------------------------------------

next_hour();
my $lo = otp_login(addr());
$r = $srv->post('/api/auth/logout', token => $lo->{access_token});
is($r->{status}, 200, 'logout: 200');
is_deeply($r->{json}, { ok => JSON::PP::true }, 'logout body');
is_deeply($r->{headers}{'set-cookie-list'}, [ 'ltc_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' ],
    'logout clears the cookie');
is(sql("SELECT revoke_reason FROM auth_sessions WHERE user_id = '$lo->{user_id}'"), 'logout', 'revoke reason logout');
is(me(token => $lo->{access_token})->{status}, 401, 'logged-out token: 401');
is(audit_count('SESSION_REVOKED', "target_id = '$lo->{user_id}' AND metadata_json = '{\"revoke_reason\":\"logout\"}'"),
    1, 'audit SESSION_REVOKED');
$r = $srv->post('/api/auth/logout', cookie => $lo->{access_token});
is($r->{status}, 401, 'logout with a dead cookie: 401');
is_deeply($r->{headers}{'set-cookie-list'}, [ 'ltc_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' ],
    '... and the 401 clears the cookie');
$r = $srv->post('/api/auth/logout');
is($r->{status}, 401, 'logout without anything: 401');
is_deeply($r->{headers}{'set-cookie-list'}, [], '... without Set-Cookie');
$lo = otp_login(addr());
is($srv->post('/api/auth/logout', cookie => $lo->{access_token})->{status}, 403, 'cookie logout needs CSRF');
is($srv->post('/api/auth/logout', cookie => $lo->{access_token}, csrf => $lo->{csrf_token})->{status}, 200,
    'cookie logout with the token: 200');
is($srv->post('/api/auth/logout', headers => { 'X-Role' => 'user', 'X-User-Id' => 'dev-2' })->{status}, 200,
    'dev actor logout: a no-op 200');

# ---- rotation ---------------------------------------------------------------

my $ro = otp_login(my $e_ro = addr());
my $ro2 = otp_login($e_ro);
$cid = request_code($e_ro);
$r = verify($e_ro, $cid, code_of($cid), token => $ro->{access_token});
is($r->{status}, 200, 'verify with a presented session: 200');
isnt($r->{json}{access_token}, $ro->{access_token}, 'a fresh token');
is(me(token => $ro->{access_token})->{status}, 401, 'the presented session is revoked (rotation)');
is(me(token => $ro2->{access_token})->{status}, 200, 'other sessions stay');
is(sql("SELECT count(*) FROM auth_sessions WHERE revoke_reason = 'rotation'"), 1, 'revoke reason rotation');
my $rp = $srv->login(role => 'user');
push @emails, $rp->{email};
$r = pw_login($rp->{email}, $rp->{password}, cookie => $rp->{token});
is($r->{status}, 200, 'password login with a cookie session (no CSRF token needed)');
is(me(token => $rp->{token})->{status}, 401, 'password login rotates the presented session');

# ---- password change and reset ----------------------------------------------

next_hour();
my $pc = $srv->login(role => 'user', password => 'first password');
push @emails, $pc->{email};
my $other = pw_login($pc->{email}, 'first password')->{json};
$r = $srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'second password',
    current_password => 'wrong password' });
is_deeply([ $r->{status}, $r->{json} ], [ 400, { detail => 'INVALID' } ], 'wrong current password: 400 INVALID');
is(sql("SELECT count FROM rate_limits WHERE key LIKE 'rl:login:email:%' AND count > 0 AND key = " .
    "'rl:login:email:' || (SELECT email_hmac FROM auth_users WHERE user_id = '$pc->{user_id}')"), 1,
    'a wrong current password counts as a login failure');
$r = $srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'second password',
    current_password => 'first password' });
is_deeply([ $r->{status}, $r->{json} ], [ 200, { ok => JSON::PP::true } ], 'password change: 200 {"ok":true}');
is(me(token => $pc->{token})->{status}, 200, 'the current session stays valid');
is(me(token => $other->{access_token})->{status}, 401, 'other sessions are revoked');
is(sql("SELECT revoke_reason FROM auth_sessions WHERE user_id = '$pc->{user_id}' AND revoked_at IS NOT NULL"),
    'password_change', 'revoke reason password_change');
is(pw_login($pc->{email}, 'first password')->{json}{detail}, 'INVALID', 'old password no longer works');
is(pw_login($pc->{email}, 'second password')->{status}, 200, 'new password works');
is(audit_count('PASSWORD_SET', "target_id = '$pc->{user_id}' AND metadata_json = '{\"via\":\"change\"}'"), 1,
    'audit PASSWORD_SET via change');
isnt(sql("SELECT password_changed_at FROM auth_users WHERE user_id = '$pc->{user_id}'"), '', 'password_changed_at set');

# Code proof.
$cid = request_code($pc->{email});
$otp = code_of($cid);
$r = $srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'third password',
    challenge_id => $cid, otp => wrong($otp) });
is($r->{json}{detail}, 'INVALID', 'code proof, wrong code: INVALID');
is(sql("SELECT attempts FROM auth_challenges WHERE challenge_id = '$cid'"), 1, '... attempts persisted');
$r = $srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'third password',
    challenge_id => $cid, otp => $otp });
is($r->{status}, 200, 'code proof: 200');
is(sql("SELECT used_at IS NOT NULL FROM auth_challenges WHERE challenge_id = '$cid'"), 1, 'the code is used up');
is($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'fourth password',
    challenge_id => $cid, otp => $otp })->{json}{detail}, 'INVALID', 'a used code: INVALID');
is(pw_login($pc->{email}, 'third password')->{status}, 200, 'password set by code proof works');
$cid = request_code(my $e_foreign = addr());
is($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'fourth password',
    challenge_id => $cid, otp => code_of($cid) })->{json}{detail}, 'INVALID', "another address's code: INVALID");
$r = $srv->post('/api/auth/register', json => { email => $pc->{email}, password => 'register password' });
$cid = $r->{json}{challenge_id};
is($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'fourth password',
    challenge_id => $cid, otp => code_of($cid) })->{json}{detail}, 'INVALID', 'a register code: INVALID');
$cid = request_code($pc->{email});
$otp = code_of($cid);
later(601);
is($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'fourth password',
    challenge_id => $cid, otp => $otp })->{json}{detail}, 'EXPIRED', 'an expired code: EXPIRED');
$pc = $srv->login(email => $pc->{email} =~ s/@/+x@/r, password => 'first password');
push @emails, $pc->{email};
is_422($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'fourth password' }),
    [ [ 'value_error', ['body'] ] ], 'no proof at all: 422 at body');
is_422($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'fourth password',
    challenge_id => '12345678' }), [ [ 'value_error', ['body'] ] ], 'challenge without otp: 422 at body');
is_422($srv->post('/api/auth/password', token => $pc->{token}, json => { new_password => 'short',
    current_password => '' }), [ [ 'string_too_short', [ 'body', 'new_password' ] ],
    [ 'string_too_short', [ 'body', 'current_password' ] ] ], 'password lengths');
$r = $srv->post('/api/auth/password', headers => { 'X-Role' => 'user', 'X-User-Id' => 'dev-3' },
    json => { new_password => 'fourth password', current_password => 'whatever1' });
is_deeply([ $r->{status}, $r->{json} ], [ 400, { detail => 'INVALID' } ], 'dev actor: 400 INVALID');
is($srv->post('/api/auth/password', json => { new_password => 'x' })->{status}, 401, 'no actor: 401 before 422');

# Reset through a register code revokes every session.
my $rs = $srv->login(role => 'dealer', password => 'old password');
push @emails, $rs->{email};
my $rs2 = pw_login($rs->{email}, 'old password')->{json};
$r = $srv->post('/api/auth/register', json => { email => $rs->{email}, password => 'new password' });
$cid = $r->{json}{challenge_id};
$r = verify($rs->{email}, $cid, code_of($cid), token => $rs->{token});
is($r->{status}, 200, 'reset via register code: 200');
is($r->{json}{role}, 'dealer', 'the existing account (and role) is kept');
is($r->{json}{user_id}, $rs->{user_id}, 'same account');
is(me(token => $rs->{token})->{status}, 401, 'reset revokes the presented session');
is(me(token => $rs2->{access_token})->{status}, 401, 'reset revokes every other session');
is(me(token => $r->{json}{access_token})->{status}, 200, 'the new session works');
is(sql("SELECT group_concat(revoke_reason) FROM auth_sessions WHERE user_id = '$rs->{user_id}' AND " .
    "revoked_at IS NOT NULL"), 'password_reset,password_reset', 'revoke reason password_reset');
is(audit_count('PASSWORD_SET', "target_id = '$rs->{user_id}' AND metadata_json = '{\"via\":\"reset\"}'"), 1,
    'audit PASSWORD_SET via reset');
is(pw_login($rs->{email}, 'new password')->{status}, 200, 'the reset password works');

# ---- disabled accounts and anti-enumeration -----------------------------------

next_hour();
my $dis = $srv->login(role => 'user');
push @emails, $dis->{email};
$cid = request_code($dis->{email});
my $dotp = code_of($cid);
my ($rc, $out) = $srv->ltcctl('user', 'disable', $dis->{email});
is($rc, 0, 'ltcctl user disable');
is(me(token => $dis->{token})->{status}, 401, 'disabled: its session is revoked');
is(sql("SELECT revoke_reason FROM auth_sessions WHERE user_id = '$dis->{user_id}'"), 'disabled',
    'revoke reason disabled');
$r = pw_login($dis->{email}, $dis->{password});
is_deeply([ $r->{status}, $r->{json} ], [ 400, { detail => 'INVALID' } ], 'disabled: password login INVALID');
$r = verify($dis->{email}, $cid, $dotp);
is_deeply([ $r->{status}, $r->{json} ], [ 400, { detail => 'INVALID' } ], 'disabled: the right code is INVALID');
is(sql("SELECT used_at IS NOT NULL FROM auth_challenges WHERE challenge_id = '$cid'"), 1, '... and consumed');

my $known = $srv->login(role => 'user');
push @emails, $known->{email};
my %ans;
my $nmail = mails();
for ([ known => $known->{email} ], [ unknown => addr() ], [ disabled => $dis->{email} ]) {
	my ($k, $e) = @$_;
	for my $route (qw(request register)) {
		my $rr = $srv->post("/api/auth/$route", json => { email => $e, password => 'some password' });
		$ans{"$k $route"} = $rr;
	}
}
for my $k (sort keys %ans) {
	my $x = $ans{$k};
	like($x->{json}{challenge_id}, $UUID, "$k: a challenge id");
	is_deeply([ $x->{status}, { %{ $x->{json} }, challenge_id => 'X' }, $x->{headers}{'set-cookie-list'} ],
	    [ 200, { ok => JSON::PP::true, challenge_id => 'X', message => $MSG, dev_otp => undef }, [] ],
	    "$k: the same answer for every address");
}
is(mails() - $nmail, 4, 'mail only for the known and the unknown address');
is(sql("SELECT count(*) FROM auth_challenges WHERE challenge_id IN ('$ans{'disabled request'}{json}{challenge_id}', " .
    "'$ans{'disabled register'}{json}{challenge_id}')"), 0, 'disabled: no challenge stored');
is(audit_count('AUTH_CHALLENGE_CREATED', "reason_code = 'ACCOUNT_DISABLED'"), 2, 'audit ACCOUNT_DISABLED');
($rc) = $srv->ltcctl('user', 'enable', $dis->{user_id});
is(pw_login($dis->{email}, $dis->{password})->{status}, 200, 'enabled again: login works');

# ---- rate limits ----------------------------------------------------------------

next_hour();
my $rl = addr();
for my $i (1 .. 5) {
	my $route = $i % 2 ? 'request' : 'register';
	$r = $srv->post("/api/auth/$route", json => { email => $rl, password => 'some password' });
	ok($r->{status} == 200 && sql("SELECT count(*) FROM auth_challenges WHERE challenge_id = " .
	    "'$r->{json}{challenge_id}'") == 1, "request/register $i of 5 for one address: a real challenge");
}
$nmail = mails();
$r = $srv->post('/api/auth/request', json => { email => $rl });
is($r->{status}, 200, '6th request for the address: still 200');
is_deeply({ %{ $r->{json} }, challenge_id => 'X' }, { ok => JSON::PP::true, challenge_id => 'X', message => $MSG,
    dev_otp => undef }, '... the normal-looking answer');
is(sql("SELECT count(*) FROM auth_challenges WHERE challenge_id = '$r->{json}{challenge_id}'"), 0,
    '... its challenge id is never stored');
is(mails(), $nmail, '... no mail');
is(audit_count('AUTH_CHALLENGE_CREATED', "reason_code = 'RATE_LIMIT'"), 1, 'audit RATE_LIMIT');

# No scrypt work for a limited register: with the only hash slot held, an
# unlimited register waits 5 s and answers 503; the limited one answers at once.
$srv->set_conf(scrypt_max_concurrent => 1);
open my $slot, '>>', "$data/locks/scrypt.0" or die;
flock($slot, LOCK_EX) or die;
my $t = time;
$r = $srv->post('/api/auth/register', json => { email => addr(), password => 'some password' });
my $took = time - $t;
is_deeply([ $r->{status}, $r->{json} ], [ 503, { detail => 'busy' } ], 'no free scrypt slot: 503 busy');
is($r->{headers}{'retry-after'}, '1', '... Retry-After: 1');
ok($took >= 4.9 && $took < 9, sprintf('... after waiting about 5 s (%.1f s)', $took));
$t = time;
$r = $srv->post('/api/auth/register', json => { email => $rl, password => 'some password' });
is($r->{status}, 200, 'rate-limited register: 200 ...');
ok(time - $t < 2, '... without waiting for a hash slot (no scrypt work)');
is(pw_login($known->{email}, 'whatever password')->{status}, 503, 'login without a slot: 503 too');
close $slot;
$srv->set_conf(scrypt_max_concurrent => undef);
is(pw_login($known->{email}, $known->{password})->{status}, 200, 'slot free again: login works');

# The per-IP key, consulted only when the address key passed.
next_hour();
$srv->set_conf(rl_request_ip_limit => 3);
my @ipr = map { $srv->post('/api/auth/request', json => { email => addr() })->{json}{challenge_id} } 1 .. 4;
is(sql("SELECT count(*) FROM auth_challenges WHERE challenge_id IN (" . join(',', map { "'$_'" } @ipr) . ")"), 3,
    'rl:req:ip: the 4th address from one IP gets the fake answer');
later(600);
$cid = request_code(addr());
is(sql("SELECT count(*) FROM auth_challenges WHERE challenge_id = '$cid'"), 1, 'a new window: real again');
$srv->set_conf(rl_request_ip_limit => undef);

# verify: 429 RATE_LIMIT per IP, every syntactically valid attempt counts.
next_hour();
$srv->set_conf(rl_verify_ip_limit => 3);
my $ve = addr();
$cid = request_code($ve);
$otp = code_of($cid);
verify($ve, $cid, '000000') for 1 .. 3;
$r = verify($ve, $cid, $otp);
is($r->{status}, 429, 'verify over rl:verify:ip: 429');
is_deeply($r->{json}, { detail => 'RATE_LIMIT' }, 'RATE_LIMIT');
is($r->{headers}{'retry-after'}, '600', 'Retry-After: until the window ends');
is(audit_count('AUTH_CHALLENGE_FAILED', "reason_code = 'RATE_LIMIT'"), 1, 'audit RATE_LIMIT');
later(600);
is(verify($ve, $cid, $otp)->{status}, 200, 'window over: verify works');
$srv->set_conf(rl_verify_ip_limit => undef);

# login: 10 failures per address and per IP, checked before any scrypt work.
next_hour();
my $lu = $srv->login(role => 'user');
push @emails, $lu->{email};
for my $i (1 .. 10) {
	$r = pw_login($lu->{email}, "wrong password $i");
	die "failure $i: $r->{status}" unless $r->{status} == 400;
}
$r = pw_login($lu->{email}, $lu->{password});
is($r->{status}, 429, '10 failures: even the right password gets 429');
is_deeply($r->{json}, { detail => 'RATE_LIMIT' }, 'RATE_LIMIT');
like($r->{headers}{'retry-after'}, qr/^\d+$/, 'Retry-After');
is(pw_login($known->{email}, $known->{password})->{status}, 429, 'the per-IP counter stops other addresses too');
is(audit_count('AUTH_LOGIN_FAILED', "reason_code = 'RATE_LIMIT'"), 2, 'audit AUTH_LOGIN_FAILED RATE_LIMIT');
ok(audit_count('AUTH_LOGIN_FAILED', "reason_code = 'INVALID'") >= 10, 'audit AUTH_LOGIN_FAILED INVALID');
later(600);
is(pw_login($lu->{email}, $lu->{password})->{status}, 200, 'window over: login works');
is(sql("SELECT count(*) FROM rate_limits WHERE key = 'rl:login:email:' || (SELECT email_hmac FROM auth_users " .
    "WHERE user_id = '$lu->{user_id}')"), 0, 'a successful login deletes rl:login:email');
is(pw_login('nobody@example.org', 'whatever')->{json}{detail}, 'INVALID', 'unknown address: INVALID');

# ---- re-hash of weaker stored parameters -----------------------------------------

next_hour();
my $rh = $srv->login(role => 'user');
push @emails, $rh->{email};
like(sql("SELECT password_hash FROM auth_users WHERE user_id = '$rh->{user_id}'"), qr/^\$s1\$0f0801\$/,
    'stored with N=2^15, r=8, p=1');
$srv->set_conf(scrypt_p => 2);
is(pw_login($rh->{email}, $rh->{password})->{status}, 200, 'login with stronger configured parameters');
like(sql("SELECT password_hash FROM auth_users WHERE user_id = '$rh->{user_id}'"), qr/^\$s1\$0f0802\$/,
    'the password was re-hashed with the configured parameters');
is(pw_login($rh->{email}, $rh->{password})->{status}, 200, 'the re-hashed password works');
$srv->set_conf(scrypt_p => 1);
my $ph = sql("SELECT password_hash FROM auth_users WHERE user_id = '$rh->{user_id}'");
pw_login($rh->{email}, $rh->{password});
is(sql("SELECT password_hash FROM auth_users WHERE user_id = '$rh->{user_id}'"), $ph, 'a stronger hash is kept');
# A tampered row with absurd parameters is a failed check, not a 128 GiB allocation.
sql("UPDATE auth_users SET password_hash = '\$s1\$1e0801\$" . substr($ph, 11) . "' WHERE user_id = '$rh->{user_id}'");
$t = time;
$r = pw_login($rh->{email}, $rh->{password});
is_deeply([ $r->{status}, $r->{json} ], [ 400, { detail => 'INVALID' } ], 'tampered N=2^30: INVALID');
ok(time - $t < 3, '... at once');

# ---- bootstrap superadmin ----------------------------------------------------------

next_hour();
my $boss = addr();
$srv->set_conf(bootstrap_superadmin_email => "  \U$boss\E ");
$r = verify($boss, $cid = request_code($boss), code_of($cid));
is($r->{json}{role}, 'superadmin', 'bootstrap address: the first verify makes a superadmin');
is(sql("SELECT role FROM auth_users WHERE user_id = '$r->{json}{user_id}'"), 'superadmin', 'stored role');
is(audit_count('BOOTSTRAP_SUPERADMIN', "actor_type = 'system' AND target_id = '$r->{json}{user_id}'"), 1,
    'audit BOOTSTRAP_SUPERADMIN as system');
my $boss2 = $srv->login(role => 'user', password => 'boss password two');
push @emails, $boss2->{email};
$srv->set_conf(bootstrap_superadmin_email => $boss2->{email});
is(pw_login($boss2->{email}, 'boss password two')->{json}{role}, 'user', 'once a superadmin exists: no effect');
sql("UPDATE auth_users SET role = 'admin' WHERE role = 'superadmin'");
is(pw_login($boss2->{email}, 'boss password two')->{json}{role}, 'superadmin',
    'password login applies the rule too (no active superadmin left)');
$srv->set_conf(bootstrap_superadmin_email => undef);

# ---- cookie Secure ------------------------------------------------------------------

my $sec = $srv->login(role => 'user');
push @emails, $sec->{email};
$srv->set_conf(public_base_url => 'https://serviceheft.example.de');
$r = pw_login($sec->{email}, $sec->{password});
like($r->{headers}{'set-cookie'}, qr/; Max-Age=28800; Secure$/, 'public_base_url https: Secure');
$srv->set_conf(public_base_url => $srv->base);
my $body_json = LTC::json()->encode({ email => $sec->{email}, password => $sec->{password} });
$r = run_cgi('auth', body => $body_json, env => { LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST',
    PATH_INFO => '/login', HTTPS => 'on' });
is($r->{status}, 200, 'CGI login with HTTPS=on');
like($r->{headers}{'set-cookie'}, qr/; Secure$/, 'HTTPS=on: Secure');
push @tokens, $r->{json}{access_token};
$r = run_cgi('auth', env => { LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST', PATH_INFO => '/logout',
    HTTPS => 'on', HTTP_AUTHORIZATION => "Bearer $r->{json}{access_token}" });
is($r->{headers}{'set-cookie'}, 'ltc_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure',
    'HTTPS=on: the clearing cookie is Secure too');

# ---- dev_otp, mail delivery by command, prod ------------------------------------

next_hour();
$srv->set_conf(dev_expose_otp => 'true');
$r = $srv->post('/api/auth/request', json => { email => my $de = addr() });
like($r->{json}{dev_otp}, qr/^\d{6}$/, 'dev_expose_otp outside prod: dev_otp');
is($r->{json}{dev_otp}, code_of($r->{json}{challenge_id}), '... the mailed code');
$srv->ltcctl('user', 'disable', $dis->{email});
is($srv->post('/api/auth/request', json => { email => $dis->{email} })->{json}{dev_otp}, undef,
    '... but null in the fake answers');

my $script = "$data/mailer.sh";
open my $fh, '>', $script or die;
print $fh "#!/bin/sh\ncat > \"$data/mail-stdin\"\necho \"\$@\" > \"$data/mail-args\"\nenv > \"$data/mail-env\"\n" .
    "test -e \"$data/mail-fail\" && exit 3\nexit 0\n";
close $fh;
chmod 0755, $script;
$srv->set_conf(mail_command => "$script -t  -i");
$nmail = mails();
my $delivered = audit_count('AUTH_CHALLENGE_DELIVERED');
$r = $srv->post('/api/auth/request', json => { email => my $me = addr() });
is($r->{status}, 200, 'mail_command: 200');
my $piped = do { local (@ARGV, $/) = ("$data/mail-stdin"); <> } // '';
like($piped, qr/^From: .*\nTo: \Q${\ lc $me}\E\n.*\n\nDein Login-Code:\n\d{6}\n/s, 'mail_command gets the message on stdin');
is(do { local (@ARGV, $/) = ("$data/mail-args"); <> }, "-t -i\n", 'argv split on spaces, no shell');
my @env = grep { !/^(PWD|OLDPWD|SHLVL|_)=/ } split /\n/, do { local (@ARGV, $/) = ("$data/mail-env"); <> };
is_deeply(\@env, ['PATH=/usr/bin:/bin'], 'restricted environment: PATH only');
is(mails(), $nmail, 'no outbox file with a mail_command');
is(audit_count('AUTH_CHALLENGE_DELIVERED'), $delivered + 1, 'audit AUTH_CHALLENGE_DELIVERED');
open $fh, '>', "$data/mail-fail"; close $fh;
$r = $srv->post('/api/auth/request', json => { email => addr() });
is($r->{status}, 200, 'failing mail_command: still 200');
like($r->{json}{dev_otp}, qr/^\d{6}$/, '... same answer');
is(audit_count('AUTH_CHALLENGE_DELIVERY_FAILED', "result = 'error'"), 1, 'audit AUTH_CHALLENGE_DELIVERY_FAILED error');
open $fh, '>', $script or die;
print $fh "#!/bin/sh\nexec sleep 30\n";
close $fh;
$srv->set_conf(mail_command => $script, mail_timeout_seconds => 1);
$t = time;
$r = $srv->post('/api/auth/request', json => { email => addr() });
ok($r->{status} == 200 && time - $t < 5, 'a hanging mail_command is killed after mail_timeout_seconds');
is(audit_count('AUTH_CHALLENGE_DELIVERY_FAILED'), 2, '... and counts as failed');
$srv->set_conf(mail_command => undef, mail_timeout_seconds => undef);

$srv->set_conf(env => 'prod');
$nmail = mails();
$r = $srv->post('/api/auth/request', json => { email => addr() });
is($r->{status}, 200, 'prod without mail_command: 200');
is($r->{json}{dev_otp}, undef, 'prod: dev_otp null even with dev_expose_otp');
is(mails(), $nmail, 'prod: no outbox file');
is(audit_count('AUTH_CHALLENGE_DELIVERY_FAILED'), 3, 'prod: audit AUTH_CHALLENGE_DELIVERY_FAILED');
$srv->set_conf(env => 'test', dev_expose_otp => undef);
my $cgilog = do { local (@ARGV, $/) = ("$data/run/cgi-stderr.log"); <> } // '';
like($cgilog, qr/^ltc: ERROR mail: mail_command not configured$/m, 'prod: the log line');

# ---- no PII or secrets at rest, in audit rows or in logs ---------------------------

my $audit = sql("SELECT * FROM audit_events");
my $db = join '', map { my $f = "$data/ltc.sqlite$_"; -e $f ? do { local (@ARGV, $/) = ($f); <> } : '' }
    ('', '-wal');
my @secrets = grep { defined && length } @tokens;
ok(@emails > 20 && @otps > 20 && @secrets > 20, 'collected addresses, codes and tokens to look for');
my %seen;
for my $e (grep { !$seen{$_}++ } @emails) {
	ok(index($db, $e) < 0, "database bytes never hold $e") or last;
}
for my $x (grep { defined } @emails, @secrets) {
	ok(index($audit, $x) < 0 && index($cgilog, $x) < 0, 'audit rows and logs hold no address or token') or last;
}
ok(!grep({ $audit =~ /\b\Q$_\E\b/ } @otps), 'audit rows hold no code');
unlike($audit, qr/\@/, 'no "@" anywhere in the audit table');
unlike($cgilog, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report in the CGI log');
is(sql("SELECT count(*) FROM audit_events WHERE request_id = '' OR actor_type NOT IN ('public','user','dev','system')"),
    0, 'every audit row has a request id and an actor type');

$srv->stop;
done_testing;
