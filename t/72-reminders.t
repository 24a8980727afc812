#!/usr/bin/perl
# Reminders over HTTP (extensions.md 1.1-1.3, 1.5): the vehicle routes and
# GET /api/reminders with real logins, real lighttpd and SQLite: input
# rules, urgency at its boundaries (30 days, 1000 km, equal km, unknown
# km) by the test clock and by new entries, order, recurrence from a
# fulfilling entry and from today with month-end clamping, dismiss, 20
# concurrent "done" calls, object rules, moderator and other users, the
# move on a transfer, audit rows without the title.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(is_422);
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => '2026-03-01T09:00:00Z', busy_timeout_ms => 30000,
    session_ttl_seconds => 10 * 366 * 86400, session_idle_seconds => 10 * 366 * 86400);

sub call {
	my ($m, $path, $u, $json) = @_;
	return $srv->req($m, "/api$path", $u ? (token => $u->{token}) : (),
	    defined $json ? (json => $json) : ());
}
sub vehicle {
	my ($u, %o) = @_;
	my $r = call('POST', '/vehicles', $u, { vin => $o{vin} // 'WVWZZZ1JZ3W386752',
	    $o{nickname} ? (nickname => $o{nickname}) : () });
	die "vehicle: $r->{body}" unless $r->{status} == 200;
	return $r->{json}{id};
}
sub entry {
	my ($u, $v, %o) = @_;
	my $r = call('POST', "/vehicles/$v/entries", $u, { date => $o{date} // '2026-02-01',
	    type => $o{type} // 'Service', performed_by => 'Werkstatt', km => $o{km} });
	die "entry: $r->{body}" unless $r->{status} == 201;
	return $r->{json}{id};
}
sub create {
	my ($u, $v, %b) = @_;
	my $r = call('POST', "/vehicles/$v/reminders", $u, { title => 'Inspektion', %b });
	die "reminder: $r->{body}" unless $r->{status} == 201;
	return $r->{json};
}
sub get_one {
	my ($u, $v, $id) = @_;
	my ($x) = grep { $_->{id} eq $id } @{ call('GET', "/vehicles/$v/reminders?status=all", $u)->{json} };
	return $x;
}

my $alice = $srv->login(role => 'vip');
my $bob = $srv->login(role => 'dealer');
my $admin = $srv->login(role => 'admin');
my $va = vehicle($alice, nickname => 'Kombi');
my $vb = vehicle($bob, vin => 'WF0AXXGCDA1234567');
my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

# ---- create: shape and input rules ---------------------------------------------

my $r = call('POST', "/vehicles/$va/reminders", $alice, { title => '  TÜV, HU; \\ Prüfung ',
    note => "Zeile 1\nZeile 2", due_date => '2026-03-31', due_km => 150000, recur_months => 24 });
is($r->{status}, 201, 'create: 201') or diag($r->{body});
my $hu = $r->{json};
like($hu->{id}, $UUID, 'id is a UUIDv4');
is_deeply([sort keys %$hu], [sort qw(id vehicle_id title note due_date due_km recur_months recur_km
    status urgency km_left days_left done_entry_id created_at updated_at closed_at)], 'exactly the ReminderOut keys');
is_deeply([@$hu{qw(vehicle_id title note due_date due_km recur_months status urgency days_left created_at)}],
    [$va, 'TÜV, HU; \\ Prüfung', "Zeile 1\nZeile 2", '2026-03-31', 150000, 24, 'open', 'due_soon', 30,
     '2026-03-01T09:00:00Z'], 'stored trimmed; 30 days ahead is due_soon');
ok(!defined $hu->{km_left} && !defined $hu->{recur_km} && !defined $hu->{closed_at}, 'no km known: km_left null');
like($srv->last_audit('REMINDER_CREATED'), qr/^REMINDER_CREATED\|success\|\|own\|\Q$hu->{id}\E\|/,
    'REMINDER_CREATED audited with the reminder id');
unlike(join("\n", @{ $srv->audit_rows({ target_type => 'REMINDER' }) }), qr/T\x{dc}V|Inspektion|Pr/i,
    'audit rows hold no title');

is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'Ölwechsel' }),
    [['value_error', 'body']], 'neither due field');
is(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x' })->{json}{detail}[0]{msg}, 'Fälligkeit fehlt',
    '... msg „Fälligkeit fehlt“');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_km => 5, recur_months => 6 }),
    [['value_error', 'body', 'recur_months']], 'recur_months without due_date');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_date => '2026-05-01', recur_km => 6 }),
    [['value_error', 'body', 'recur_km']], 'recur_km without due_km');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { due_km => 5 }), [['missing', 'body', 'title']], 'title missing');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'a' x 121, due_km => 5 }),
    [['string_too_long', 'body', 'title']], 'title > 120');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => "a\nb", due_km => 5 }),
    [['value_error', 'body', 'title']], 'title single-line');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => '   ', due_km => 5 }),
    [['string_too_short', 'body', 'title']], 'title blank');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_km => 5, note => 'n' x 2001 }),
    [['string_too_long', 'body', 'note']], 'note > 2000');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_km => 10000000, recur_km => 0,
    recur_months => 121, due_date => '2026-02-30' }),
    [['date_format', 'body', 'due_date'], ['less_than_equal', 'body', 'due_km'],
     ['less_than_equal', 'body', 'recur_months'], ['greater_than_equal', 'body', 'recur_km']],
    'bounds of due_km, recur_months, recur_km and a real date');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_km => -1 }),
    [['greater_than_equal', 'body', 'due_km']], 'due_km < 0');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_km => '5' }),
    [['int_type', 'body', 'due_km']], 'due_km a string');
is_422(call('POST', "/vehicles/$va/reminders", $alice, { title => 'x', due_km => 5, colour => 1 }),
    [['extra_forbidden', 'body', 'colour']], 'unknown field');
is_422(call('POST', "/vehicles/$va/reminders", $alice, undef), [['missing', 'body']], 'no body');
is_422(call('GET', "/vehicles/$va/reminders?status=closed", $alice), [['enum', 'query', 'status']], 'status=closed');
is($srv->count('reminders'), 1, 'nothing stored by a refused create');

# ---- policies and object rules -------------------------------------------------

{
	my $mod = $srv->login(role => 'moderator', consent => 0);
	my $rid = $hu->{id};
	for my $c (['GET', "/vehicles/$va/reminders"], ['POST', "/vehicles/$va/reminders", {}],
	    ['PATCH', "/vehicles/$va/reminders/$rid", {}], ['POST', "/vehicles/$va/reminders/$rid/done", {}],
	    ['DELETE', "/vehicles/$va/reminders/$rid"], ['GET', '/reminders']) {
		my ($m, $p, $j) = @$c;
		is_deeply([@{ call($m, $p, $mod, $j) }{qw(status json)}], [403, { detail => 'role_not_allowed' }],
		    "moderator $m $p: 403 role_not_allowed");
		is(call($m, $p, undef, $j)->{status}, 401, "anonymous $m $p: 401");
		is_deeply([@{ call($m, $p, $bob, $m eq 'GET' ? undef : { title => 'x', due_km => 1 }) }{qw(status json)}],
		    [403, { detail => 'forbidden' }], "another user $m $p: 403 forbidden") unless $p eq '/reminders';
	}
	is_deeply(call('GET', '/vehicles/nope/reminders', $alice)->{json}, { detail => 'not_found' }, 'unknown vehicle: 404');
	is_deeply([@{ call('PATCH', "/vehicles/$va/reminders/nope", $alice, { title => 'y' }) }{qw(status json)}],
	    [404, { detail => 'not_found' }], 'unknown reminder: 404 not_found');
	my $other = create($bob, $vb, due_km => 100);
	is(call('DELETE', "/vehicles/$va/reminders/$other->{id}", $alice)->{status}, 404,
	    'a reminder of another vehicle: 404');
	is(call('POST', "/vehicles/$vb/reminders/$other->{id}/done", $admin, {})->{status}, 200,
	    'an admin may act on any vehicle');
	my $nc = $srv->login(role => 'user', consent => 0);
	is_deeply(call('GET', '/reminders', $nc)->{json}, { detail => 'consent_required' }, 'consent gate');
	is(get_one($alice, $va, $rid)->{title}, 'TÜV, HU; \\ Prüfung', 'nothing changed by refusals');
}

# ---- urgency at the boundaries -------------------------------------------------

my $vk = vehicle($alice, vin => 'VF1RFB00123456789');
my %u;
$u{date30} = create($alice, $vk, due_date => '2026-03-31');
$u{date31} = create($alice, $vk, due_date => '2026-04-01');
$u{today} = create($alice, $vk, due_date => '2026-03-01');
$u{yesterday} = create($alice, $vk, due_date => '2026-02-28');
$u{km_unknown} = create($alice, $vk, due_km => 0);
is_deeply([map { [$u{$_}{urgency}, $u{$_}{days_left}] } qw(date30 date31 today yesterday)],
    [['due_soon', 30], ['upcoming', 31], ['due_soon', 0], ['overdue', -1]], 'by date: 30 days due_soon, 31 upcoming, past overdue');
is_deeply([@{ $u{km_unknown} }{qw(urgency km_left)}], ['upcoming', undef], 'due_km without a known km: upcoming');
entry($alice, $vk, km => 10000);
entry($alice, $vk, km => 9000, date => '2026-02-15');
$u{km1000} = create($alice, $vk, due_km => 11000);
$u{km1001} = create($alice, $vk, due_km => 11001);
$u{kmeq} = create($alice, $vk, due_km => 10000);
$u{both} = create($alice, $vk, due_km => 50000, due_date => '2026-02-01');
is_deeply([map { [$u{$_}{urgency}, $u{$_}{km_left}] } qw(km1000 km1001 kmeq both)],
    [['due_soon', 1000], ['upcoming', 1001], ['overdue', 0], ['overdue', 40000]],
    'current km = the largest of the latest entries: 1000 km left due_soon, 1001 upcoming, equal overdue, the more urgent criterion wins');
is(get_one($alice, $vk, $u{km_unknown}{id})->{urgency}, 'overdue', 'due_km 0 once a km is known: overdue');
entry($alice, $vk, km => 10001, date => '2026-01-01');
is_deeply([@{ get_one($alice, $vk, $u{km1001}{id}) }{qw(urgency km_left)}], ['due_soon', 1000],
    'a new entry moves the current km: due_soon');
$srv->set_conf(test_now => '2026-03-02T00:00:00Z');
is_deeply([@{ get_one($alice, $vk, $u{date31}{id}) }{qw(urgency days_left)}], ['due_soon', 30],
    'the test clock a day on: 31 days became 30, due_soon');
is_deeply([@{ get_one($alice, $vk, $u{today}{id}) }{qw(urgency days_left)}], ['overdue', -1], '... yesterday is overdue');
$srv->set_conf(test_now => '2026-03-01T09:00:00Z');

# ---- order -----------------------------------------------------------------------

{
	my @ids = map { $_->{id} } @{ call('GET', "/vehicles/$vk/reminders", $alice)->{json} };
	is_deeply(\@ids, [map { $u{$_}{id} } qw(both yesterday km_unknown kmeq today date30 km1000 km1001 date31)],
	    'open ones: overdue, due_soon, upcoming; by due_date with NULL last, then created_at');
}

# ---- PATCH -----------------------------------------------------------------------

$r = call('PATCH', "/vehicles/$vk/reminders/$u{date31}{id}", $alice, { title => 'Reifenwechsel', note => 'Winter' });
is_deeply([$r->{status}, @{ $r->{json} }{qw(title note due_date)}], [200, 'Reifenwechsel', 'Winter', '2026-04-01'],
    'PATCH: the fields sent, others kept');
is($srv->last_audit('REMINDER_UPDATED', 'metadata_json'), '{"changed":["title","note"],"vehicle_id":"' . $vk . '"}',
    'REMINDER_UPDATED names the fields');
$r = call('PATCH', "/vehicles/$vk/reminders/$u{date31}{id}", $alice, { note => undef, due_km => 20000, due_date => undef });
is_deeply([@{ $r->{json} }{qw(note due_date due_km urgency)}], [undef, undef, 20000, 'upcoming'], 'null clears');
is_422(call('PATCH', "/vehicles/$vk/reminders/$u{date31}{id}", $alice, { due_km => undef }), [['value_error', 'body']],
    'PATCH removing the last due field');
is_422(call('PATCH', "/vehicles/$vk/reminders/$u{date31}{id}", $alice, { recur_months => 3 }),
    [['value_error', 'body', 'recur_months']], 'PATCH recur_months without a due_date');
is_422(call('PATCH', "/vehicles/$vk/reminders/$u{date31}{id}", $alice, { title => undef }),
    [['string_type', 'body', 'title']], 'PATCH title null');

# ---- done and recurrence -------------------------------------------------------

{
	my $e = entry($alice, $vk, km => 20000, date => '2026-01-31', type => 'Ölwechsel');
	my $oil = create($alice, $vk, title => 'Ölwechsel', due_date => '2026-01-31', due_km => 19000,
	    recur_months => 1, recur_km => 15000, note => 'Longlife');
	is(call('POST', "/vehicles/$vk/reminders/$oil->{id}/done", $alice, { entry_id => 'nope' })->{json}{detail},
	    'entry_not_found', 'done with an unknown entry: 404 entry_not_found');
	my $eb = entry($bob, $vb, km => 1);
	is(call('POST', "/vehicles/$vk/reminders/$oil->{id}/done", $alice, { entry_id => $eb })->{json}{detail},
	    'entry_not_found', '... with an entry of another vehicle');
	$r = call('POST', "/vehicles/$vk/reminders/$oil->{id}/done", $alice, { entry_id => $e });
	is($r->{status}, 200, 'done with the fulfilling entry: 200') or diag($r->{body});
	is_deeply([@{ $r->{json}{closed} }{qw(status urgency done_entry_id closed_at)}],
	    ['done', undef, $e, '2026-03-01T09:00:00Z'], 'closed: done, no urgency, the entry');
	my $n = $r->{json}{next};
	is_deeply([@$n{qw(title note due_date due_km recur_months recur_km status)}],
	    ['Ölwechsel', 'Longlife', '2026-02-28', 35000, 1, 15000, 'open'],
	    'successor: 31 January + 1 month = 28 February, entry km + 15000');
	is(call('POST', "/vehicles/$vk/reminders/$oil->{id}/done", $alice, {})->{json}{detail}, 'reminder_closed',
	    'done again: 409 reminder_closed');
	is(call('PATCH', "/vehicles/$vk/reminders/$oil->{id}", $alice, { title => 'x' })->{json}{detail},
	    'reminder_closed', 'PATCH a closed one: 409');
	is(call('DELETE', "/vehicles/$vk/reminders/$oil->{id}", $alice)->{json}{detail}, 'reminder_closed',
	    'DELETE a done one: 409');
	is($srv->audits('REMINDER_DONE', $oil->{id}), 1, 'REMINDER_DONE audited once');

	$srv->set_conf(test_now => '2028-01-31T10:00:00Z');
	$r = call('POST', "/vehicles/$vk/reminders/$n->{id}/done", $alice, undef);
	is_deeply([@{ $r->{json}{next} }{qw(due_date due_km)}], ['2028-02-29', 35000],
	    'from today (a leap year: 31 January + 1 month = 29 February), current km 20000 + 15000') or diag($r->{body});
	$srv->set_conf(test_now => '2026-03-01T09:00:00Z');

	my $plain = create($alice, $vk, due_km => 30000);
	$r = call('POST', "/vehicles/$vk/reminders/$plain->{id}/done", $alice, {});
	ok($r->{status} == 200 && exists $r->{json}{next} && !defined $r->{json}{next}, 'no interval: next null');

	my $nokm = vehicle($alice, vin => 'ZFA31200000123456');
	my $kmr = create($alice, $nokm, due_km => 5000, recur_km => 1000);
	is(call('POST', "/vehicles/$nokm/reminders/$kmr->{id}/done", $alice, {})->{json}{next}{due_km}, 6000,
	    'km unknown: the old due_km is the base');
}

# ---- dismiss ---------------------------------------------------------------------

{
	my $d = create($alice, $vk, due_km => 12345);
	$r = call('DELETE', "/vehicles/$vk/reminders/$d->{id}", $alice);
	is_deeply([$r->{status}, @{ $r->{json} }{qw(status urgency)}], [200, 'dismissed', undef], 'DELETE: dismissed');
	$r = call('DELETE', "/vehicles/$vk/reminders/$d->{id}", $alice);
	is_deeply([$r->{status}, $r->{json}{status}], [200, 'dismissed'], 'DELETE again: 200 (idempotent)');
	is($srv->audits('REMINDER_DISMISSED', $d->{id}), 1, 'REMINDER_DISMISSED once');
	my @open = map { $_->{id} } @{ call('GET', "/vehicles/$vk/reminders", $alice)->{json} };
	ok(!grep({ $_ eq $d->{id} } @open), 'default status=open leaves it out');
	my $all = call('GET', "/vehicles/$vk/reminders?status=all", $alice)->{json};
	my @closed = grep { $_->{status} ne 'open' } @$all;
	is_deeply([map { $_->{closed_at} } @closed], [sort { $b cmp $a } map { $_->{closed_at} } @closed],
	    'status=all: closed ones newest closed_at first');
	ok((grep { $_->{id} eq $d->{id} } @closed), '... the dismissed one among them');
	ok(!grep({ $_->{status} eq 'open' } @$all[ scalar(@$all) - @closed .. $#$all ]), '... all closed ones last');
}

# ---- 20 concurrent done ---------------------------------------------------------

{
	my $c = create($alice, $vk, due_km => 60000, recur_km => 10000);
	my $ans = $srv->concurrently(20, sub { call('POST', "/vehicles/$vk/reminders/$c->{id}/done", $alice, {}) });
	my %t;
	$t{"$_->[0] " . ($_->[1] // '')}++ for @$ans;
	is_deeply(\%t, { '200 ' => 1, '409 reminder_closed' => 19 }, '20 concurrent done: exactly one 200, 19 reminder_closed');
	is($srv->sqlite("SELECT group_concat(status || ':' || due_km) FROM reminders WHERE vehicle_id = '$vk' "
	    . "AND recur_km = 10000"), 'done:60000,open:30000', '... and one successor (current km 20000 + 10000)');
}

# ---- GET /api/reminders -------------------------------------------------------

{
	$r = call('GET', '/reminders', $alice);
	is($r->{status}, 200, 'GET /api/reminders: 200');
	my @items = @{ $r->{json}{items} };
	ok(!grep({ $_->{status} ne 'open' } @items), 'only open ones');
	my %veh = map { $_->{vehicle_id} => $_->{vehicle_label} } @items;
	is($veh{$va}, 'Kombi', 'vehicle_label: the nickname');
	is($veh{$vk}, 'VF1***6789', '... or the masked VIN');
	my %c;
	$c{$_->{urgency}}++ for @items;
	is_deeply($r->{json}{counts}, { overdue => $c{overdue} // 0, due_soon => $c{due_soon} // 0,
	    upcoming => $c{upcoming} // 0 }, 'counts by urgency');
	is_deeply([map { $_->{urgency} } @items], [sort { my %o = (overdue => 0, due_soon => 1, upcoming => 2);
	    $o{$a} <=> $o{$b} } map { $_->{urgency} } @items], 'ordered by urgency');
	ok(!grep({ $_->{vehicle_id} eq $vb } @items), 'no reminder of another owner');
	create($admin, $vb, due_km => 7);
	is_deeply(call('GET', '/reminders', $admin)->{json}, { items => [], counts => { overdue => 0, due_soon => 0,
	    upcoming => 0 } }, 'an admin: only their own vehicles (none)');
	my $gone = vehicle($alice, vin => 'JMZGG14F201234567');
	create($alice, $gone, due_km => 7);
	is(call('DELETE', "/vehicles/$gone", $alice, { reason => 'sold' })->{status}, 200, 'vehicle deleted');
	ok(!grep({ $_->{vehicle_id} eq $gone } @{ call('GET', '/reminders', $alice)->{json}{items} }),
	    'a deleted vehicle\'s reminders are left out');
	is(call('GET', "/vehicles/$gone/reminders", $alice)->{status}, 404, 'deleted vehicle: 404 for the owner');
	is(call('GET', "/vehicles/$gone/reminders", $admin)->{status}, 200, '... read by an admin');
	is_deeply(call('POST', "/vehicles/$gone/reminders", $admin, { title => 'x', due_km => 1 })->{json},
	    { detail => 'vehicle_deleted' }, '... an admin write: 409 vehicle_deleted');
}

# ---- a transfer moves the open reminders ------------------------------------------

{
	my $carol = $srv->login(role => 'user');
	my $vt = vehicle($alice, vin => 'WVWZZZ1KZ6W123456');
	my $open = create($alice, $vt, due_km => 1000, title => 'Zahnriemen');
	my $done = create($alice, $vt, due_km => 2000);
	call('DELETE', "/vehicles/$vt/reminders/$done->{id}", $alice);
	$r = call('POST', '/transfer/create', $alice, { vehicle_id => $vt });
	is($r->{status}, 200, 'transfer created') or diag($r->{body});
	$r = call('POST', '/transfer/redeem', $carol, { transfer_token => $r->{json}{transfer_token} });
	is($r->{status}, 200, 'redeemed') or diag($r->{body});
	is($srv->sqlite("SELECT owner_user_id FROM reminders WHERE id = '$open->{id}'"), $carol->{user_id},
	    'the open reminder moved to the new owner');
	is($srv->sqlite("SELECT owner_user_id FROM reminders WHERE id = '$done->{id}'"), $alice->{user_id},
	    'a closed one stays as it was');
	ok((grep { $_->{id} eq $open->{id} } @{ call('GET', '/reminders', $carol)->{json}{items} }),
	    'the new owner sees it');
	ok(!(grep { $_->{id} eq $open->{id} } @{ call('GET', '/reminders', $alice)->{json}{items} }),
	    'the old owner no longer');
	is(call('GET', "/vehicles/$vt/reminders", $alice)->{status}, 403, 'the old owner: 403 on the vehicle');
}

$srv->stop;
done_testing;
