#!/usr/bin/perl
# Timeline entries over HTTP (api.md 5.10, domain.md 3.4): create, the
# input rules (date, texts, km, note, exact cost amounts, trust level),
# EntryOut, list order and paging, revisions and history, deleted
# vehicles, object-level denial and audit rows. Real logins, real SQLite.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(run_cgi json);
use Test::More;

my $srv = LTC->new_lighttpd;
my $NOW = '2026-03-01T09:00:00Z';
$srv->set_conf(test_now => $NOW);

sub who { $srv->login(@_) }

sub cgi_log { $srv->cgi_log }

sub direct { $srv->direct('vehicles', @_) }

sub call {
	my ($m, $path, $u, %o) = @_;
	my %h = %{ delete $o{headers} // {} };
	my %auth;
	%auth = (token => $u->{token}) if $u;
	return $srv->req($m, "/api/vehicles$path", %auth, headers => \%h, %o);
}

sub audits {
	my ($action, $target) = @_;
	my $w = "action = '$action'" . (defined $target ? " AND target_id = '$target'" : '');
	return $srv->sqlite("SELECT count(*) FROM audit_events WHERE $w");
}
sub audit_of {
	my ($action, $target) = @_;
	return $srv->sqlite("SELECT result || '|' || scope || '|' || actor_id || '|' || "
	    . "coalesce(metadata_json, '') FROM audit_events WHERE action = '$action' AND "
	    . "target_id = '$target' ORDER BY rowid DESC LIMIT 1");
}
sub detail_items {
	my ($r) = @_;
	return [ map { join ':', $_->{type}, join(',', @{ $_->{loc} }) } @{ $r->{json}{detail} // [] } ];
}
my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
my %E = (date => '2026-02-28', type => 'Service', performed_by => 'Eigenleistung', km => 123456);

my $owner = who(role => 'user');
my $other = who(role => 'vip');
my $admin = who(role => 'admin');
my $v = call('POST', '', $owner, json => { vin => 'WVWZZZ1JZ3W386752' })->{json}{id};
my $v2 = call('POST', '', $other, json => { vin => 'WF0AXXGCDA1234567' })->{json}{id};
my $v3 = call('POST', '', $other, json => { vin => 'VF1RFB00123456789' })->{json}{id};
ok($v && $v2 && $v3, 'vehicles created');

# ---- create and EntryOut ------------------------------------------------------

my $e1;
{
	my $r = call('POST', "/$v/entries", $owner, json => { %E, type => '  Service ', note => " Erster Eintrag\n ",
	    cost_amount => 120.5, trust_level => 'T2' });
	is($r->{status}, 201, 'create entry: 201');
	my $e = $r->{json};
	$e1 = $e->{id};
	like($e1, $UUID, 'id is a UUIDv4');
	is($e->{entry_group_id}, $e1, 'new group: entry_group_id = id');
	is_deeply($e, { id => $e1, vehicle_id => $v, entry_group_id => $e1, supersedes_entry_id => undef,
	    version => 1, revision_count => 1, is_latest => JSON::PP::true, date => '2026-02-28', type => 'Service',
	    performed_by => 'Eigenleistung', km => 123456, note => 'Erster Eintrag', cost_amount => 120.5,
	    trust_level => 'T2', created_at => $NOW, updated_at => $NOW }, 'EntryOut: every field (texts trimmed)');
	my @k = $r->{body} =~ /"([a-z_]+)":/g;
	is_deeply(\@k, [qw(id vehicle_id entry_group_id supersedes_entry_id version revision_count is_latest date
	    type performed_by km note cost_amount trust_level created_at updated_at)], 'EntryOut keys in spec order');
	like($r->{body}, qr/"supersedes_entry_id":null/, 'null written explicitly');
	like($r->{body}, qr/"cost_amount":120\.5,/, 'cost 120.5 as a JSON number');
	is($srv->sqlite("SELECT owner_user_id || '|' || created_by_user_id || '|' || cost_cents || '|' || is_latest "
	    . "FROM vehicle_entries WHERE id = '$e1'"), "$owner->{user_id}|$owner->{user_id}|12050|1", 'stored row');
	is(audit_of('ENTRY_CREATED', $e1), "success|own|$owner->{user_id}|"
	    . qq({"trust_level":"T2","vehicle_id":"$v","version":1}), 'ENTRY_CREATED: vehicle_id, version, trust_level');
	is($srv->sqlite("SELECT count(*) FROM audit_events WHERE metadata_json LIKE '%Eintrag%' "
	    . "OR metadata_json LIKE '%Eigenleistung%'"), 0, 'no free text audited');

	$r = call('POST', "/$v/entries", $owner, json => { %E, note => "   \n ", trust_level => undef, cost_amount => undef });
	is($r->{status}, 201, 'minimal entry');
	ok(!defined $r->{json}{note} && !defined $r->{json}{cost_amount} && !defined $r->{json}{trust_level},
	    'blank note, null cost and null trust level: null');
	like($r->{body}, qr/"note":null,"cost_amount":null,"trust_level":null/, 'explicit nulls');
	like(audit_of('ENTRY_CREATED', $r->{json}{id}), qr/"trust_level":null/, 'no trust level: null in the audit');

	# An admin writes: the entry still belongs to the vehicle's owner.
	$r = call('POST', "/$v/entries/", $admin, json => { %E, date => '2025-01-01' });
	is($r->{status}, 201, 'admin creates an entry (trailing slash)');
	is($srv->sqlite("SELECT owner_user_id || '|' || created_by_user_id FROM vehicle_entries WHERE id = '$r->{json}{id}'"),
	    "$owner->{user_id}|$admin->{user_id}", 'owner_user_id = vehicle owner, created_by = admin');
	like(audit_of('ENTRY_CREATED', $r->{json}{id}), qr/^success\|global\|/, 'admin on another\'s vehicle: scope global');
}

# ---- cost amounts: exact ------------------------------------------------------

{
	my @ok = (['150', 15000, '150'], ['120.5', 12050, '120.5'], ['0.99', 99, '0.99'], ['0.29', 29, '0.29'],
	    ['1.15', 115, '1.15'], ['0.1', 10, '0.1'], ['0', 0, '0'], ['-0', 0, '0'], ['5.0', 500, '5'],
	    ['120.500', 12050, '120.5'], ['1e2', 10000, '100'], ['1.5E1', 1500, '15'], ['12345e-2', 12345, '123.45'],
	    ['9999999999.99', 999999999999, '9999999999.99'],
	    ['"120.50"', 12050, '120.5'], ['"007"', 700, '7'], ['"0.05"', 5, '0.05'], ['"9999999999.99"', 999999999999, '9999999999.99'],
	    ['1234567.89', 123456789, '1234567.89'], ['0.01', 1, '0.01']);
	for my $c (@ok) {
		my ($text, $cents, $out) = @$c;
		my $body = qq({"date":"2026-01-02","type":"T","performed_by":"P","km":1,"cost_amount":$text});
		my $r = call('POST', "/$v/entries", $owner, body => $body);
		is($r->{status}, 201, "cost $text: 201") or diag($r->{body});
		is($srv->sqlite("SELECT cost_cents FROM vehicle_entries WHERE id = '$r->{json}{id}'"), $cents,
		    "cost $text stored as $cents cents");
		like($r->{body}, qr/"cost_amount":\Q$out\E,/, "cost $text answered as $out");
	}
	my @bad = (['1.005', 'decimal_places'], ['"1.005"', 'decimal_places'], ['0.001', 'decimal_places'],
	    ['1e-3', 'decimal_places'], ['-1', 'greater_than_equal'], ['-0.5', 'greater_than_equal'],
	    ['-0.001', 'decimal_places'], ['10000000000', 'less_than_equal'], ['9999999999.991', 'decimal_places'],
	    ['1e11', 'less_than_equal'], ['10000000000.00', 'less_than_equal'], ['"12a"', 'value_error'],
	    ['"-1"', 'value_error'], ['"1e2"', 'value_error'], ['""', 'value_error'], ['".5"', 'value_error'],
	    ['"5."', 'value_error'], ['" 5"', 'value_error'], ['"1,5"', 'value_error'], ['true', 'number_type'],
	    ['[1]', 'number_type'], ['{}', 'number_type'], ['"99999999999"', 'less_than_equal'],
	    ['0.30000000000000004', 'decimal_places'], ['100000000000000000000.5', 'less_than_equal']);
	for my $c (@bad) {
		my ($text, $type) = @$c;
		my $r = call('POST', "/$v/entries", $owner,
		    body => qq({"date":"2026-01-02","type":"T","performed_by":"P","km":1,"cost_amount":$text}));
		is_deeply([$r->{status}, detail_items($r)], [422, ["$type:body,cost_amount"]], "cost $text: 422 $type");
	}
	# The amount is found in the raw body even behind escapes and nesting.
	my $r = call('POST', "/$v/entries", $owner, body => qq({"note":"a \\"cost_amount\\": 7.777","x":{"cost_amount":1.111},)
	    . qq("date":"2026-01-02","type":"T","performed_by":"P","km":1,"cost\\u005famount" : 0.07 }));
	is($r->{status}, 201, 'escaped key, decoys in strings and nested objects') or diag($r->{body});
	is($srv->sqlite("SELECT cost_cents FROM vehicle_entries WHERE id = '$r->{json}{id}'"), 7, '... the top-level value (7 cents) used');
}

# ---- other field rules ----------------------------------------------------------

{
	my %cases = (
	    'date missing' => [{ %E, date => undef }, 'string_type:body,date'],
	    'date absent' => [{ map { $_ => $E{$_} } qw(type performed_by km) }, 'missing:body,date'],
	    'date Feb 30' => [{ %E, date => '2026-02-30' }, 'date_format:body,date'],
	    'date 2025-02-29' => [{ %E, date => '2025-02-29' }, 'date_format:body,date'],
	    'date short' => [{ %E, date => '2026-2-3' }, 'date_format:body,date'],
	    'date with time' => [{ %E, date => '2026-02-03T00:00:00Z' }, 'date_format:body,date'],
	    'date 1885' => [{ %E, date => '1885-12-31' }, 'date_format:body,date'],
	    'date 2101' => [{ %E, date => '2101-01-01' }, 'date_format:body,date'],
	    'date number' => [{ %E, date => 20260101 }, 'string_type:body,date'],
	    'type empty' => [{ %E, type => '   ' }, 'string_too_short:body,type'],
	    'type too long' => [{ %E, type => 't' x 65 }, 'string_too_long:body,type'],
	    'type control' => [{ %E, type => "a\nb" }, 'value_error:body,type'],
	    'type number' => [{ %E, type => 1 }, 'string_type:body,type'],
	    'performed_by missing' => [{ %E, performed_by => undef }, 'string_type:body,performed_by'],
	    'performed_by too long' => [{ %E, performed_by => 'p' x 65 }, 'string_too_long:body,performed_by'],
	    'km negative' => [{ %E, km => -1 }, 'greater_than_equal:body,km'],
	    'km too big' => [{ %E, km => 10000000 }, 'less_than_equal:body,km'],
	    'km string' => [{ %E, km => '5' }, 'int_type:body,km'],
	    'km fraction' => [{ %E, km => 5.5 }, 'int_type:body,km'],
	    'km bool' => [{ %E, km => JSON::PP::true }, 'int_type:body,km'],
	    'note too long' => [{ %E, note => 'n' x 4001 }, 'string_too_long:body,note'],
	    'note control' => [{ %E, note => "a\x01b" }, 'value_error:body,note'],
	    'trust level lowercase' => [{ %E, trust_level => 't2' }, 'enum:body,trust_level'],
	    'trust level T4' => [{ %E, trust_level => 'T4' }, 'enum:body,trust_level'],
	    'trust level number' => [{ %E, trust_level => 3 }, 'string_type:body,trust_level'],
	);
	for my $name (sort keys %cases) {
		my $r = call('POST', "/$v/entries", $owner, json => $cases{$name}[0]);
		is_deeply([$r->{status}, detail_items($r)], [422, [$cases{$name}[1]]], "$name: 422 $cases{$name}[1]");
	}
	my $r = call('POST', "/$v/entries", $owner, json => { date => 'x', type => '', performed_by => [], km => -5,
	    note => 'n' x 4001, cost_amount => 0.001, trust_level => 'T9' });
	is_deeply(detail_items($r), ['date_format:body,date', 'string_too_short:body,type', 'string_type:body,performed_by',
	    'greater_than_equal:body,km', 'string_too_long:body,note', 'decimal_places:body,cost_amount',
	    'enum:body,trust_level'], 'one item per field, in field order');
	ok(!grep({ exists $_->{input} || $_->{msg} =~ /T9/ } @{ $r->{json}{detail} }), 'values never echoed');
	$r = call('POST', "/$v/entries", $owner, json => {});
	is_deeply(detail_items($r), ['missing:body,date', 'missing:body,type', 'missing:body,performed_by', 'missing:body,km'],
	    '{}: the four required fields missing');
	$r = call('POST', "/$v/entries", $owner, body => '');
	is_deeply(detail_items($r), ['missing:body'], 'no body: missing');
	for my $ok ({ %E, km => 0, date => '1886-01-01' }, { %E, km => 9999999, date => '2100-12-31' },
	    { %E, km => 5.0, date => '2024-02-29' }, { %E, note => "Zeile 1\r\n\tZeile 2", type => 't' x 64 }) {
		$r = call('POST', "/$v/entries", $owner, json => $ok);
		is($r->{status}, 201, "bounds accepted: km $ok->{km}, date $ok->{date}");
	}
	is($r->{json}{note}, "Zeile 1\r\n\tZeile 2", 'multi-line note kept');
	$r = call('POST', '/00000000-0000-4000-8000-000000000000/entries', $owner, json => { %E, km => -1 });
	is($r->{status}, 422, '422 before 404');
	$r = call('POST', '/00000000-0000-4000-8000-000000000000/entries', $owner, json => \%E);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'unknown vehicle: 404 not_found');
}

# ---- list ---------------------------------------------------------------------

{
	my $post = sub {
		my ($date, $now) = @_;
		$srv->set_conf(test_now => $now);
		return call('POST', "/$v2/entries", $other, json => { %E, date => $date })->{json}{id};
	};
	# (clock steps stay under the 30-minute session idle timeout)
	my $a = $post->('2026-01-10', '2026-03-01T09:10:00Z');
	my $b = $post->('2026-01-12', '2026-03-01T09:05:00Z');
	my $c = $post->('2026-01-10', '2026-03-01T09:15:00Z');
	my $d = $post->('2026-01-10', '2026-03-01T09:15:00Z');	# exact tie with c: later insert first
	my $e = $post->('2025-12-31', '2026-03-01T09:02:00Z');
	$srv->set_conf(test_now => $NOW);
	my $r = call('GET', "/$v2/entries", $other);
	is($r->{status}, 200, 'list: 200');
	is_deeply([map { $_->{id} } @{ $r->{json} }], [$b, $d, $c, $a, $e],
	    'date desc, then created_at desc, exact ties: later insert first');
	is_deeply([map { $_->{id} } @{ call('GET', "/$v2/entries?limit=2&offset=1", $other)->{json} }], [$d, $c],
	    'limit and offset after ordering');
	is_deeply(call('GET', "/$v2/entries?offset=5", $other)->{json}, [], 'offset past the end: []');
	is_deeply(call('GET', "/$v3/entries", $other)->{json}, [], 'no entries: []');
	is(scalar @{ call('GET', "/$v2/entries", $admin)->{json} }, 5, 'admin lists entries');
	for my $q ('limit=0', 'limit=1001', 'offset=-1', 'limit=x') {
		$r = call('GET', "/$v2/entries?$q", $other);
		is($r->{status}, 422, "entries ?$q: 422");
	}
	$r = call('GET', '/00000000-0000-4000-8000-000000000000/entries?limit=0', $other);
	is($r->{status}, 422, 'query 422 before the vehicle 404');
	is(call('GET', "/$v2/entries", $owner)->{status}, 403, 'other owner: 403');
}

# ---- revisions and history ----------------------------------------------------------

{
	$srv->set_conf(test_now => '2026-03-01T09:20:00Z');
	my $r = call('POST', "/$v/entries/$e1/revisions", $owner, json => { %E, km => 123457, note => 'korrigiert',
	    cost_amount => '99.90', trust_level => 'T3' });
	is($r->{status}, 201, 'revision: 201');
	my $e2 = $r->{json}{id};
	isnt($e2, $e1, 'new id');
	is_deeply([@{ $r->{json} }{qw(entry_group_id supersedes_entry_id version revision_count km note cost_amount trust_level created_at)},
	    $r->{json}{is_latest} ? 1 : 0], [$e1, $e1, 2, 2, 123457, 'korrigiert', 99.9, 'T3', '2026-03-01T09:20:00Z', 1],
	    'same group, supersedes the old id, version 2, revision_count 2, fields from the body');
	is($srv->sqlite("SELECT is_latest FROM vehicle_entries WHERE id = '$e1'"), 0, 'old revision no longer latest');
	is(audit_of('ENTRY_VERSION_CREATED', $e2), "success|own|$owner->{user_id}|"
	    . qq({"trust_level":"T3","vehicle_id":"$v","version":2}), 'ENTRY_VERSION_CREATED audited');

	$srv->set_conf(test_now => '2026-03-01T09:25:00Z');
	$r = call('POST', "/$v/entries/$e2/revisions", $admin, json => { %E, trust_level => 'T1' });
	is_deeply([$r->{status}, $r->{json}{version}, $r->{json}{revision_count}], [201, 3, 3], 'admin revises: version 3');
	my $e3 = $r->{json}{id};
	is($srv->sqlite("SELECT owner_user_id || '|' || created_by_user_id FROM vehicle_entries WHERE id = '$e3'"),
	    "$owner->{user_id}|$admin->{user_id}", 'revision owned by the vehicle owner');

	for my $old ($e1, $e2) {
		$r = call('POST', "/$v/entries/$old/revisions", $owner, json => \%E);
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'entry_not_found' }], 'superseded revision: 404 entry_not_found');
	}
	my $foreign = call('GET', "/$v2/entries", $other)->{json}[0]{id};
	for my $id ('00000000-0000-4000-8000-000000000000', $foreign, 'e' x 129) {
		$r = call('POST', "/$v/entries/$id/revisions", $owner, json => \%E);
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'entry_not_found' }], 'unknown or other vehicle\'s entry: 404');
	}
	$r = call('POST', "/$v2/entries/$foreign/revisions", $owner, json => \%E);
	is_deeply($r->{json}, { detail => 'forbidden' }, 'revising in someone else\'s vehicle: 403');
	$r = call('POST', "/$v/entries/nope/revisions", $owner, json => { %E, km => 'x' });
	is($r->{status}, 422, 'revision: 422 before 404');
	is($srv->sqlite("SELECT count(*) FROM vehicle_entries WHERE entry_group_id = '$e1'"), 3, 'failed revisions wrote nothing');
	is($srv->sqlite("SELECT count(*) FROM vehicle_entries WHERE entry_group_id = '$e1' AND is_latest = 1"), 1,
	    'exactly one latest per group');

	for my $id ($e1, $e2, $e3) {
		$r = call('GET', "/$v/entries/$id/history", $owner);
		is($r->{status}, 200, 'history: 200');
		is_deeply([map { $_->{version} } @{ $r->{json} }], [1, 2, 3], 'every revision, version ascending');
		is_deeply([map { $_->{revision_count} } @{ $r->{json} }], [3, 3, 3], 'revision_count = group size');
		is_deeply([map { $_->{is_latest} ? 1 : 0 } @{ $r->{json} }], [0, 0, 1], 'only the last is latest');
		is_deeply([map { $_->{supersedes_entry_id} } @{ $r->{json} }], [undef, $e1, $e2], 'supersedes chain');
	}
	is(call('GET', "/$v/entries/$e1/history", $admin)->{status}, 200, 'admin reads history');
	for my $id ('00000000-0000-4000-8000-000000000000', $foreign, 'e' x 129) {
		$r = call('GET', "/$v/entries/$id/history", $owner);
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'entry_not_found' }], 'history of a foreign/unknown entry: 404');
	}
	is(call('GET', "/$v/entries/$e1/history", $other)->{status}, 403, 'history, other owner: 403');

	$r = call('GET', "/$v/entries", $owner);
	my ($row) = grep { $_->{entry_group_id} eq $e1 } @{ $r->{json} };
	is($row->{id}, $e3, 'list shows the latest revision of the group');
	is($row->{revision_count}, 3, '... with revision_count');
	is(scalar(grep { $_->{entry_group_id} eq $e1 } @{ $r->{json} }), 1, '... once');
	ok(!grep({ !$_->{is_latest} } @{ $r->{json} }), 'list holds only latest revisions');
	$srv->set_conf(test_now => $NOW);

	# Deleted vehicle: admins read, writes are 409; the owner gets 404.
	is(call('DELETE', "/$v", $owner, json => { reason => 'scrapped' })->{status}, 200, 'vehicle deleted');
	$r = call('POST', "/$v/entries/$e3/revisions", $admin, json => \%E);
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'vehicle_deleted' }], 'revision on a deleted vehicle: 409');
	$r = call('POST', "/$v/entries/$e1/revisions", $admin, json => \%E);
	is_deeply($r->{json}, { detail => 'entry_not_found' }, 'superseded revision on a deleted vehicle: 404 first');
	$r = call('POST', "/$v/entries", $admin, json => \%E);
	is_deeply([$r->{status}, $r->{json}], [409, { detail => 'vehicle_deleted' }], 'new entry on a deleted vehicle: 409');
	is(call('GET', "/$v/entries/$e1/history", $admin)->{status}, 200, 'admin reads the history of a deleted vehicle');
	ok(scalar @{ call('GET', "/$v/entries", $admin)->{json} } > 0, 'entries kept after the soft delete');
	for my $c (['GET', '/entries'], ['POST', '/entries', \%E], ['POST', "/entries/$e3/revisions", \%E],
	    ['GET', "/entries/$e3/history"]) {
		$r = call($c->[0], "/$v$c->[1]", $owner, $c->[2] ? (json => $c->[2]) : ());
		is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], "owner, deleted vehicle: $c->[0] $c->[1] 404");
	}
}

# ---- every entry route once more as a plain process ----------------------------

{
	my $r = direct($other, 'POST', "/$v2/entries", { %E, cost_amount => 12.34, note => "a\nb", trust_level => 'T2' });
	is_deeply([$r->{status}, $r->{json}{cost_amount}], [201, 12.34], 'direct: create');
	my $id = $r->{json}{id};
	is(direct($other, 'POST', "/$v2/entries", { %E, cost_amount => 1.234, km => -1 })->{status}, 422, 'direct: 422');
	is(direct($other, 'GET', "/$v2/entries?limit=3")->{status}, 200, 'direct: list');
	$r = direct($other, 'POST', "/$v2/entries/$id/revisions", { %E, cost_amount => '5' });
	is($r->{status}, 201, 'direct: revision');
	is(direct($other, 'POST', "/$v2/entries/$id/revisions", \%E)->{status}, 404, 'direct: superseded');
	is(direct($other, 'GET', "/$v2/entries/$id/history")->{status}, 200, 'direct: history');
	is(direct($other, 'GET', "/$v2/entries/nope/history")->{status}, 404, 'direct: history 404');
	is(direct($owner, 'GET', "/$v2/entries")->{status}, 403, 'direct: foreign');
	is(direct($admin, 'POST', "/$v/entries", \%E)->{status}, 409, 'direct: deleted vehicle');
}

# LTC::stop reads the server logs, but the CGIs' stderr (sanitizer
# reports included) goes to lighttpd's breakagelog: check it here too.
unlike(cgi_log(), qr/AddressSanitizer|LeakSanitizer|runtime error:/, 'no sanitizer report in the CGI stderr log');
$srv->stop;
done_testing;
