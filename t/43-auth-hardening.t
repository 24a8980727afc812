#!/usr/bin/perl
# Hardening of the login flows (api.md 3, domain.md 16, security.md 6)
# through a real lighttpd and a real SQLite file:
# - the password-login failure limit holds under concurrency: check and
#   count are one transaction before scrypt, for /auth/login and
#   /auth/password;
# - an address that a mail header would read as several recipients is
#   not plausible (422) on /auth/request and /auth/register;
# - /auth/request takes the same steps for known, unknown and disabled
#   addresses: the same commits, files and database writes, counted with
#   strace on the CGI run directly.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir json);
use File::Temp qw(tempdir);
use POSIX qw(strftime);
use POSIX ();
use Time::HiRes qw(time sleep);
use Test::More;

my $srv = LTC->new_lighttpd;
# scrypt at the cheapest accepted setting keeps the hashes quick. A hash
# slot for each of the ten attempts that may hash and a long busy timeout
# keep a slow, loaded machine from answering busy for reasons the limit
# is not about: thirty CGIs queue for the write lock at once.
$srv->set_conf(scrypt_p => 1, scrypt_max_concurrent => 10, busy_timeout_ms => 30000,
    test_now => '2026-03-01T09:00:00Z');
my $data = $srv->data;

my $now = 1772355600;	# 2026-03-01T09:00:00Z
sub at { $now = shift; $srv->set_conf(test_now => strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $now)) }
# A fresh hour: the 600 s windows of earlier steps are over.
sub next_hour { at($now - $now % 3600 + 3600) }

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
	return sql("SELECT count(*) FROM audit_events WHERE action = '$action'" . ($extra ? " AND $extra" : ''));
}
sub add_user {
	my ($email, $pw) = @_;
	my ($rc, $out) = $srv->ltcctl('user', 'add', $email, '--password-stdin', \"$pw\n");
	die "user add: $out" if $rc;
	chomp $out;
	return $out;
}

sub concurrently { my ($n, $call) = @_; $srv->concurrently($n, $call) }

sub tally {
	my ($answers) = @_;
	my %t;
	$t{"$_->[0] " . ($_->[1] // '')}++ for @$answers;
	return \%t;
}

# ---- 30 concurrent wrong logins ------------------------------------------------

my $email = "target$$\@example.org";
my $uid = add_user($email, 'the right password');
my $h = sql("SELECT email_hmac FROM auth_users WHERE user_id = '$uid'");
my $ans = concurrently(30, sub { $srv->post('/api/auth/login', json => { email => $email,
    password => 'a wrong password' }) });
my $t = tally($ans);
is($t->{'400 INVALID'} // 0, 10, '30 concurrent wrong logins: exactly 10 reach the password check')
    or diag(explain($t));
note(explain($t));
is($t->{'429 RATE_LIMIT'} // 0, 20, '... the other 20 are refused with 429 RATE_LIMIT') or diag(explain($t));
ok(!grep({ $_->[0] >= 500 || $_->[0] == 0 } @$ans), '... no 5xx, no busy')
    or diag(explain($t), join('', grep { /"status":5/ } split /^/, $srv->cgi_log));
is(sql("SELECT count FROM rate_limits WHERE key = 'rl:login:email:$h'"), 10,
    'rl:login:email ends at the limit, not above it');
is(sql("SELECT max(count) FROM rate_limits WHERE key LIKE 'rl:login:ip:%'"), 10,
    'rl:login:ip ends at the limit, not above it');
is(audit_count('AUTH_LOGIN_FAILED', "reason_code = 'INVALID'"), 10, 'audit: 10 INVALID');
is(audit_count('AUTH_LOGIN_FAILED', "reason_code = 'RATE_LIMIT'"), 20, 'audit: 20 RATE_LIMIT');
is($srv->post('/api/auth/login', json => { email => $email, password => 'the right password' })->{status}, 429,
    'the right password is refused while the counters are full');

# A good login takes its up-front count back: the IP counter is unchanged.
next_hour();
my $other = "other$$\@example.org";
add_user($other, 'another right password');
$srv->post('/api/auth/login', json => { email => $other, password => 'wrong one' }) for 1 .. 3;
my $r = $srv->post('/api/auth/login', json => { email => $other, password => 'another right password' });
is($r->{status}, 200, 'a good login after three failures');
is(sql("SELECT max(count) FROM rate_limits WHERE key LIKE 'rl:login:ip:%'"), 3,
    '... leaves the IP counter at the three failures');
my $ho = sql("SELECT email_hmac FROM auth_users WHERE email_hmac <> '$h'");
is(sql("SELECT count(*) FROM rate_limits WHERE key = 'rl:login:email:$ho'"), 0,
    '... and deletes the address counter');

# ---- /auth/password: the same limit for the password proof ---------------------

next_hour();
my $tok = $srv->post('/api/auth/login', json => { email => $other, password => 'another right password' })
    ->{json}{access_token};
$ans = concurrently(20, sub { $srv->post('/api/auth/password', token => $tok,
    json => { current_password => 'not the password', new_password => 'a new password' }) });
$t = tally($ans);
is($t->{'400 INVALID'} // 0, 10, '20 concurrent wrong password proofs: exactly 10 are checked')
    or diag(explain($t));
is($t->{'429 RATE_LIMIT'} // 0, 10, '... the other 10 are refused with 429 RATE_LIMIT') or diag(explain($t));
is(sql("SELECT count FROM rate_limits WHERE key = 'rl:login:email:$ho'"), 10, '... the counter stops at 10');

next_hour();
$tok = $srv->post('/api/auth/login', json => { email => $other, password => 'another right password' })
    ->{json}{access_token};
$r = $srv->post('/api/auth/password', token => $tok,
    json => { current_password => 'another right password', new_password => 'a new password' });
is($r->{status}, 200, 'a good password change');
is(sql("SELECT count || ' ' || (SELECT max(count) FROM rate_limits WHERE key LIKE 'rl:login:ip:%' " .
    "AND window_start >= '" . strftime('%Y-%m-%dT%H', gmtime $now) . "') FROM rate_limits " .
    "WHERE key = 'rl:login:email:$ho'"), '0 0', '... takes its up-front counts back');

# ---- addresses a mail header would split ------------------------------------------

sub is_invalid_email {
	my ($route, $addr) = @_;
	my $r = $srv->post("/api/auth/$route", json => { email => $addr, password => 'some password' });
	is_deeply([ $r->{status}, [ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} // [] } ] ],
	    [ 422, [ [ 'value_error', [ 'body', 'email' ] ] ] ], "$route: '$addr' -> 422 value_error")
	    or diag($r->{body});
}

next_hour();
my $challenges = sql("SELECT count(*) FROM auth_challenges");
for my $route (qw(request register)) {
	is_invalid_email($route, 'postmaster,root,x:y;a@evil.test');
	for my $c (split //, '(),:;<>[]\\"') {
		is_invalid_email($route, "a${c}b\@example.org");
	}
	is_invalid_email($route, "a b\@example.org");
	is_invalid_email($route, "a\tb\@example.org");
}
is(sql("SELECT count(*) FROM auth_challenges"), $challenges, 'no challenge for any of them');
opendir my $od, "$data/outbox";
ok(!grep({ /\.eml$/ && do { local (@ARGV, $/) = ("$data/outbox/$_"); <> } =~ /evil\.test/ } readdir $od),
    'no mail to them');
is($srv->post('/api/auth/request', json => { email => "o'brien+tag\@example.org" })->{status}, 200,
    "other printable characters stay allowed (o'brien+tag\@...)");

# ---- the disabled branch takes the same steps -----------------------------------------

SKIP: {
	my $strace = `command -v strace 2>/dev/null`;
	chomp $strace;
	skip 'strace is not installed', 6 unless $strace;
	skip 'sanitizer build: LeakSanitizer and ptrace do not mix', 6 if $ENV{LTC_ASAN};
	skip 'ptrace is not permitted here', 6 if system("'$strace' -f -c -o /dev/null true >/dev/null 2>&1") != 0;

	next_hour();
	$srv->set_conf(rl_request_email_limit => 1000, rl_request_ip_limit => 1000);
	my $known = "known$$\@example.org";
	my $dis = "disabled$$\@example.org";
	add_user($known, 'a password here');
	add_user($dis, 'a password here');
	my ($rc) = $srv->ltcctl('user', 'disable', $dis);
	die 'disable' if $rc;

	my $dir = tempdir(CLEANUP => 1);
	my $bin = build_dir() . '/cgi-bin/auth';
	# Syscall counts of one POST /api/auth/request run directly.
	my $profile = sub {
		my ($addr) = @_;
		my $body = json()->encode({ email => $addr });
		open my $fh, '>', "$dir/in" or die;
		print $fh $body;
		close $fh;
		local %ENV = (PATH => $ENV{PATH}, LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST',
		    PATH_INFO => '/request', CONTENT_TYPE => 'application/json', CONTENT_LENGTH => length $body,
		    REMOTE_ADDR => '127.0.0.1', HTTP_HOST => '127.0.0.1');
		system("'$strace' -f -c -o '$dir/trace' '$bin' <'$dir/in' >'$dir/out' 2>/dev/null");
		my $out = do { local (@ARGV, $/) = ("$dir/out"); <> } // '';
		die "request: $out" unless $out =~ /^Status: 200/;
		my %c;
		for (split /\n/, do { local (@ARGV, $/) = ("$dir/trace"); <> }) {
			$c{$2} = $1 if /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$/;
		}
		return \%c;
	};
	my $pk = $profile->($known);
	my $pu = $profile->("unknown$$\@example.org");
	my $pd = $profile->($dis);
	is($pd->{fdatasync} // 0, $pk->{fdatasync} // 0, 'disabled vs known: the same number of commits (fdatasync)')
	    or diag(explain([ $pk, $pd ]));
	is($pu->{fdatasync} // 0, $pk->{fdatasync} // 0, 'unknown vs known: the same number of commits');
	is($pd->{openat} // 0, $pk->{openat} // 0, 'disabled vs known: the same files opened (the mail step too)');
	is($pd->{write} // 0, $pk->{write} // 0, 'disabled vs known: the same writes (the mail step too)');
	# The challenge goes in and out again, so the pages match but for one audit row.
	ok(($pd->{pwrite64} // 0) >= 0.75 * ($pk->{pwrite64} // 0),
	    "disabled vs known: database page writes within 25 % ($pd->{pwrite64} vs $pk->{pwrite64})");
	is(sql("SELECT count(*) FROM auth_challenges WHERE email_hmac = (SELECT email_hmac FROM auth_users " .
	    "WHERE status = 'disabled')"), 0, '... and still no challenge stored for the disabled account');
	$srv->set_conf(rl_request_email_limit => undef, rl_request_ip_limit => undef);
}

$srv->stop;
done_testing;
