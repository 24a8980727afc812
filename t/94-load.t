#!/usr/bin/perl
# Writes under contention (README "Error bodies": busy is a last resort,
# never a load answer): 32 concurrent writers, each on its own vehicle
# and all on one vehicle, then readers beside writers, and a write lock
# held by another process for longer than the busy timeout. Asserts no
# error answer, no lost write (every 201 is in the database, nothing
# else is) and that a read never waits for the lock.
#
# Bounded: SOAK_SECONDS per phase (default 4; `make soak` sets 60).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use LTCLoad;
use POSIX ();
use Test::More;

# Throughput and latency bounds mean nothing at the sanitizer's slowdown.
plan skip_all => 'timing-bound load test; not run under ASan (make test runs it)' if $ENV{LTC_ASAN};
use Time::HiRes qw(time sleep);

my $SECS = $ENV{SOAK_SECONDS} // 4;
my $W = $ENV{SOAK_WRITERS} // 32;
my $srv = LTC->new_lighttpd;

# A user with an accepted consent and an open session (fixture rows; a
# second call with user_id opens another session of the same user).
sub user {
	my (%o) = @_;
	my $u = $srv->session_row('user', %o);
	my $c = $srv->get('/api/consent/current')->{json}{required};
	my $a = $srv->post('/api/consent/accept', token => $u->{token}, json => {
	    consents => [ map { { %$_, accepted_at => '2026-01-01T00:00:00Z', source => 'api' } } @$c ] });
	die "consent: $a->{status} $a->{body}\n" . `tail -c 1500 $srv->{data}/run/lighttpd-error.log $srv->{data}/server.log` if $a->{status} != 200 && !$o{user_id};
	return $u;
}

sub entry_body {
	my ($tag) = @_;
	return sub { { date => '2026-02-28', type => 'Service', performed_by => 'Eigenleistung',
	    km => 1000 + $_[0], note => "$tag-$_[0]" } };
}

# Every acknowledged entry is there, and only those.
sub no_lost_writes {
	my ($r, $where, $name) = @_;
	my %db = map { $_ => 1 } split /\n/, $srv->sqlite("SELECT id FROM vehicle_entries WHERE $where");
	my @lost = grep { !$db{$_} } @{ $r->{ids} };
	is(scalar @lost, 0, "$name: every 201 is in the database");
	is(scalar keys %db, scalar @{ $r->{ids} }, "$name: nothing beyond the 201s");
}

sub no_errors {
	my ($r, $name) = @_;
	diag("$name: " . LTCLoad::summary($r));
	my $bad = $r->{n} - ($r->{status}{201} // 0) - ($r->{status}{200} // 0);
	is($bad, 0, "$name: no error answer") or diag(join "\n", @{ $r->{other} });
	ok($r->{n} >= $W, "$name: every client got answers");
}

# ---- 32 writers, own user and vehicle each ------------------------------------

{
	my @c;
	for my $i (1 .. $W) {
		my $u = user();
		my $v = $srv->vehicle_row(owner => $u);
		push @c, { method => 'POST', path => "/api/vehicles/$v/entries", token => $u->{token},
		    json => entry_body("own$i") };
	}
	my $r = LTCLoad::run(base => $srv->base, seconds => $SECS, clients => \@c);
	no_errors($r, "$W writers, own vehicle each");
	no_lost_writes($r, "note LIKE 'own%'", 'own vehicles');
}

# ---- 32 writers on one vehicle ----------------------------------------------------

my ($owner, $v1);
{
	$owner = user();
	$v1 = $srv->vehicle_row(owner => $owner);
	my @c = map { { method => 'POST', path => "/api/vehicles/$v1/entries",
	    token => ($_ == 1 ? $owner : user(user_id => $owner->{user_id}))->{token},
	    json => entry_body("one$_") } } 1 .. $W;
	my $r = LTCLoad::run(base => $srv->base, seconds => $SECS, clients => \@c);
	no_errors($r, "$W writers, one vehicle");
	no_lost_writes($r, "vehicle_id = '$v1'", 'one vehicle');
}

# ---- readers beside writers ---------------------------------------------------------

{
	my (@c, @readers);
	for my $i (1 .. $W / 2) {
		my $u = user();
		my $v = $srv->vehicle_row(owner => $u);
		push @c, { method => 'POST', path => "/api/vehicles/$v/entries", token => $u->{token},
		    json => entry_body("mix$i") };
		push @readers, { method => 'GET', path => "/api/vehicles/$v1/entries?limit=20",
		    token => $owner->{token} };
	}
	my $pid = fork // die;
	if ($pid == 0) {
		my $r = LTCLoad::run(base => $srv->base, seconds => $SECS, clients => \@readers);
		open my $fh, '>', $srv->data . '/readers.json' or die;
		print $fh LTC::json()->encode($r);
		close $fh;
		POSIX::_exit(0);
	}
	my $w = LTCLoad::run(base => $srv->base, seconds => $SECS, clients => \@c);
	waitpid $pid, 0;
	my $rd = LTC::json()->decode(do { local (@ARGV, $/) = ($srv->data . '/readers.json'); <> });
	no_errors($w, 'writers beside readers');
	no_errors($rd, 'readers beside writers');
	no_lost_writes($w, "note LIKE 'mix%'", 'writers beside readers');
}

# ---- a write lock held longer than the busy timeout ---------------------------------

{
	my $u = user();
	my $v = $srv->vehicle_row(owner => $u);
	# A session last seen minutes ago: this read would refresh it.
	my $old = LTC::store_ts(time - 600);
	$srv->sqlite("UPDATE auth_sessions SET last_seen_at = '$old' WHERE user_id = '$u->{user_id}'");
	my $db = $srv->data . '/var/ltc.sqlite';
	$db = $srv->data . '/ltc.sqlite' unless -e $db;
	my $hold = 6.5;		# > busy_timeout_ms (5 s)
	open my $lock, '|-', 'sqlite3', '-batch', $db or die;
	select((select($lock), $| = 1)[0]);
	print $lock "BEGIN IMMEDIATE;\nUPDATE auth_users SET updated_at = updated_at;\n";
	sleep 0.3;
	my $t0 = time;
	my $r = $srv->get("/api/vehicles/$v/entries", token => $u->{token});
	my $read_s = time - $t0;
	is($r->{status}, 200, 'read while another process holds the write lock');
	cmp_ok($read_s, '<', 1, 'the read does not wait for the lock') or diag("read took $read_s s");
	my $pid = fork // die;
	if ($pid == 0) {
		sleep $hold;
		print $lock "COMMIT;\n";
		close $lock;
		POSIX::_exit(0);
	}
	$t0 = time;
	$r = $srv->post("/api/vehicles/$v/entries", token => $u->{token}, json => entry_body('held')->(0));
	my $write_s = time - $t0;
	waitpid $pid, 0;
	close $lock;
	is($r->{status}, 201, 'a write queues behind the held lock instead of failing') or diag($r->{body});
	cmp_ok($write_s, '>', $hold - 1.5, 'it waited for the lock');
	diag(sprintf 'lock held %.1f s: read %.2f s, write %.2f s', $hold, $read_s, $write_s);
}

diag(`tail -c 1500 $srv->{data}/run/lighttpd-error.log $srv->{data}/server.log`) unless Test::More->builder->is_passing;
$srv->stop;
done_testing;
