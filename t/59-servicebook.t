#!/usr/bin/perl
# Servicebook (api.md 11, domain.md 13) through a real lighttpd with real
# logins: the vehicle-bound scope (current owner and admins, deleted
# vehicles 404 for non-admins) and the free scope (admins create the first
# entry, owners of an entry read it, everyone else 403 or 404); inspection
# events, the case a NOT_OK result opens, remediations that move the case
# between DONE and IN_PROGRESS; 422 before the scope; document links;
# ordering; audit rows.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Test::More;
binmode($_, ':encoding(UTF-8)') for Test::More->builder->output, Test::More->builder->failure_output;

my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => '2026-03-01T09:00:00Z');
sub sql { $srv->sqlite(shift) }
sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }

my $owner = $srv->login(role => 'user');
my $other = $srv->login(role => 'vip');
my $admin = $srv->login(role => 'admin');
my $dealer = $srv->login(role => 'dealer');
my $mod = $srv->login(role => 'moderator', consent => 0);
my $public = $srv->login(role => 'public');
my $noconsent = $srv->login(role => 'user', consent => 0);

sub P { my ($u, $path, $body) = @_; $srv->post("/api/servicebook$path", token => $u->{token}, json => $body) }
sub G { my ($u, $path) = @_; $srv->get("/api/servicebook$path", token => $u->{token}) }
sub is_detail {
	my ($r, $status, $detail, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	is_deeply($r->{json}, { detail => $detail }, "$name: $detail");
}

my $vr = $srv->post('/api/vehicles', token => $owner->{token}, json => { vin => 'WVWZZZ1JZ3W386752' });
is($vr->{status}, 200, 'vehicle created') or diag($vr->{body});
my $vid = $vr->{json}{id};

my $dseq = 0;
sub mkdoc {
	my ($u, %o) = @_;
	my $id = sprintf('%032x', ++$dseq);
	sql("INSERT INTO documents (id, owner_user_id, created_by_user_id, vehicle_id, filename, content_type, "
	    . "size_bytes, checksum_sha256, storage_key, approval_status, scan_status, pii_status, created_at, deleted_at) "
	    . "VALUES ('$id', " . sq($u->{user_id}) . ", " . sq($u->{user_id}) . ", NULL, 'r.pdf', 'application/pdf', "
	    . "10, '" . ('ab' x 32) . "', 'k$id', 'APPROVED', 'CLEAN', 'OK', '2026-02-01T00:00:00.000000Z', "
	    . ($o{deleted} ? "'2026-02-02T00:00:00.000000Z'" : 'NULL') . ")");
	return $id;
}

subtest 'gate' => sub {
	is($srv->get("/api/servicebook/$vid/entries")->{status}, 401, 'anonymous: 401');
	is_detail(G($mod, "/$vid/entries"), 403, 'role_not_allowed', 'moderator');
	is_detail(P($mod, "/$vid/inspection-events", {}), 403, 'role_not_allowed', 'moderator POST');
	is_detail(G($public, "/$vid/entries"), 403, 'forbidden', 'role public');
	is_detail(G($noconsent, "/$vid/entries"), 403, 'consent_required', 'no consent');
	is($srv->get("/api/servicebook/$vid/nope", token => $owner->{token})->{status}, 404, 'unknown path');
	my $r = G($owner, "/$vid/inspection-events");
	is_deeply([ $r->{status}, $r->{headers}{allow} ], [ 405, 'POST' ], 'GET on inspection-events: 405');
};

my ($ins_id, $case_id);
subtest 'vehicle-bound servicebook' => sub {
	my $r = G($owner, "/$vid/entries");
	is($r->{status}, 200, 'owner, no entries yet: 200');
	is_deeply($r->{json}, { target => 'servicebook', id => $vid, entries => [] }, '... empty list');
	is_detail(G($other, "/$vid/entries"), 403, 'forbidden', 'another owner');
	is(G($admin, "/$vid/entries")->{status}, 200, 'admin: 200');

	my $doc = mkdoc($owner);
	$r = P($owner, "/$vid/inspection-events", { source => 'GPS', result_status => 'OK', km => 12345,
	    document_ids => [$doc] });
	is($r->{status}, 200, 'owner creates the first inspection (OK)') or diag($r->{body});
	my $e = $r->{json}{inspection_event};
	is($r->{json}{case}, undef, 'OK: no case');
	is_deeply([ sort keys %$e ], [ sort qw(id servicebook_id owner_id actor_role entry_type source result_status title
	    summary details occurred_at km document_ids related_entry_id related_case_id created_at updated_at) ],
	    'ServicebookEntry keys');
	is_deeply([ @$e{qw(servicebook_id owner_id actor_role entry_type source result_status title occurred_at km)} ],
	    [ $vid, $owner->{user_id}, 'user', 'INSPECTION_EVENT', 'GPS', 'OK', 'Prüf-Event (GPS)',
	      '2026-03-01T09:00:00Z', 12345 ], 'inspection fields, default title');
	is_deeply($e->{document_ids}, [$doc], 'document_ids kept');

	$srv->set_conf(test_now => '2026-03-01T09:01:00Z');
	$r = P($owner, "/$vid/inspection-events", { source => 'READOUT', result_status => 'NOT_OK',
	    title => '  Fehlerspeicher  ', summary => "P0300\nZündaussetzer", details => 'lang',
	    occurred_at => '2026-02-28T10:00:00+01:00', km => 12400 });
	is($r->{status}, 200, 'NOT_OK inspection') or diag($r->{body});
	my ($ins, $case) = @{ $r->{json} }{qw(inspection_event case)};
	($ins_id, $case_id) = ($ins->{id}, $case->{id});
	is($ins->{title}, 'Fehlerspeicher', 'title trimmed');
	is($ins->{occurred_at}, '2026-02-28T09:00:00Z', 'occurred_at normalised to UTC');
	is_deeply([ @$case{qw(entry_type source result_status title summary details occurred_at km related_entry_id
	    related_case_id owner_id)} ], [ 'CASE', 'SYSTEM', 'IN_PROGRESS', 'Maßnahmenfall',
	    "Nicht OK \x{2013} weitere Maßnahmen erforderlich", undef, '2026-02-28T09:00:00Z', 12400, $ins->{id}, undef,
	    $owner->{user_id} ], 'the case');
	is($ins->{related_case_id}, $case->{id}, 'inspection shows its final state: related_case_id');

	$r = G($owner, "/$vid/entries");
	is_deeply([ map { $_->{entry_type} } @{ $r->{json}{entries} } ], [qw(INSPECTION_EVENT INSPECTION_EVENT CASE)],
	    'created_at ascending, insert order on ties');

	is_detail(P($other, "/$vid/inspection-events", { source => 'GPS', result_status => 'OK' }), 403, 'forbidden',
	    'another owner cannot write');
	$r = P($admin, "/$vid/inspection-events", { source => 'GPS', result_status => 'OK' });
	is_deeply([ $r->{status}, $r->{json}{inspection_event}{actor_role} ], [ 200, 'admin' ], 'admin writes');

	# Remediation: OK -> DONE, then NOT_OK -> IN_PROGRESS again.
	$srv->set_conf(test_now => '2026-03-01T09:02:00Z');
	$r = P($owner, "/$vid/cases/$case_id/remediation", { result_status => 'OK' });
	is($r->{status}, 200, 'remediation OK') or diag($r->{body});
	my $rem = $r->{json}{remediation};
	is_deeply([ $r->{json}{target}, $r->{json}{id}, $r->{json}{case_id}, $r->{json}{case_status} ],
	    [ 'servicebook', $vid, $case_id, 'DONE' ], 'answer');
	is_deeply([ @$rem{qw(entry_type source result_status title related_entry_id related_case_id)} ],
	    [ 'REMEDIATION', 'OWNER', 'OK', 'Behebung', $case_id, $case_id ], 'remediation fields');
	my ($c) = grep { $_->{id} eq $case_id } @{ G($owner, "/$vid/entries")->{json}{entries} };
	is_deeply([ @$c{qw(result_status related_entry_id updated_at)} ], [ 'DONE', $rem->{id}, '2026-03-01T09:02:00Z' ],
	    'case: DONE, linked to the remediation, updated_at');
	$r = P($owner, "/$vid/cases/$case_id/remediation", { result_status => 'NOT_OK', title => 'Nachbesserung' });
	is($r->{json}{case_status}, 'IN_PROGRESS', 'a NOT_OK remediation reopens the case');
	is_detail(P($owner, "/$vid/cases/$ins_id/remediation", { result_status => 'OK' }), 404, 'case_not_found',
	    'an inspection is not a case');
	is_detail(P($owner, "/$vid/cases/unknown/remediation", { result_status => 'OK' }), 404, 'case_not_found',
	    'unknown case');
	is_detail(P($other, "/$vid/cases/$case_id/remediation", { result_status => 'OK' }), 403, 'forbidden',
	    'scope before the case lookup');

	my @a = split /\n/, sql("SELECT action || '|' || scope || '|' || ifnull(metadata_json, '') FROM audit_events "
	    . "WHERE target_type = 'SERVICEBOOK' AND target_id = '$vid' ORDER BY rowid");
	is_deeply([ map { (split /\|/)[0] } @a ], [qw(SERVICEBOOK_INSPECTION_CREATED SERVICEBOOK_INSPECTION_CREATED
	    SERVICEBOOK_CASE_OPENED SERVICEBOOK_INSPECTION_CREATED SERVICEBOOK_REMEDIATION_CREATED
	    SERVICEBOOK_REMEDIATION_CREATED)], 'audit rows');
	like($a[1], qr/^SERVICEBOOK_INSPECTION_CREATED\|own\|\{"(source|result_status)"/, 'scope own, enums only');
	like($a[3], qr/\|global\|/, 'an admin on another user\'s book: scope global');
	unlike(join("\n", @a), qr/Fehlerspeicher|P0300|Nachbesserung/, 'no free text in audit rows');

	# Deleted vehicle: 404 for non-admins, admins still read.
	my $v2 = $srv->post('/api/vehicles', token => $other->{token}, json => { vin => 'WVWZZZ1JZ3W386753' })->{json}{id};
	is(P($other, "/$v2/inspection-events", { source => 'GPS', result_status => 'OK' })->{status}, 200,
	    'second vehicle: inspection');
	sql("UPDATE vehicles SET deleted_at = '2026-03-01T08:00:00.000000Z' WHERE public_id = '$v2'");
	is_detail(G($other, "/$v2/entries"), 404, 'not_found', 'owner of a deleted vehicle');
	is_detail(G($owner, "/$v2/entries"), 404, 'not_found', 'non-owner of a deleted vehicle');
	is(G($admin, "/$v2/entries")->{status}, 200, 'admin on a deleted vehicle');
};

subtest 'free servicebook' => sub {
	my $sid = 'werkstatt:2026.A_1-x';
	is_detail(G($owner, "/$sid/entries"), 404, 'not_found', 'no entries: 404');
	is_detail(P($owner, "/$sid/inspection-events", { source => 'GPS', result_status => 'OK' }), 404, 'not_found',
	    'a non-admin cannot create the first entry');
	is_detail(G($admin, "/$sid/entries"), 404, 'not_found', 'an admin reading an empty free servicebook: 404');
	my $r = P($admin, "/$sid/inspection-events", { source => 'READOUT', result_status => 'NOT_OK' });
	is($r->{status}, 200, 'an admin creates the first entry') or diag($r->{body});
	is_detail(G($owner, "/$sid/entries"), 403, 'forbidden', 'entries exist, none owned: 403');
	is_detail(P($dealer, "/$sid/inspection-events", { source => 'GPS', result_status => 'OK' }), 403, 'forbidden',
	    'dealer without an entry: 403');
	# An entry owned by the user (e.g. written before a role change) opens the book to them.
	sql("INSERT INTO servicebook_entries (id, servicebook_id, owner_id, actor_role, entry_type, source, result_status, "
	    . "title, occurred_at, created_at, updated_at) VALUES ('own-1', '$sid', " . sq($owner->{user_id}) . ", 'user', "
	    . "'INSPECTION_EVENT', 'GPS', 'OK', 't', '2026-03-01T09:03:00.000000Z', '2026-03-01T09:03:00.000000Z', "
	    . "'2026-03-01T09:03:00.000000Z')");
	$r = G($owner, "/$sid/entries");
	is_deeply([ $r->{status}, scalar @{ $r->{json}{entries} } ], [ 200, 3 ], 'owner of one entry reads all');
	is(P($owner, "/$sid/cases/$r->{json}{entries}[1]{id}/remediation", { result_status => 'OK' })->{status}, 200,
	    '... and remediates');
	is(G($admin, "/$sid/entries")->{status}, 200, 'admin always passes');
	is_detail(G($owner, '/bad!id/entries'), 404, 'not_found', 'id outside [A-Za-z0-9._:-]');
	is_detail(G($admin, '/' . ('a' x 65) . '/entries'), 404, 'not_found', '65 characters');
	is_detail(P($admin, '/' . ('a' x 65) . '/inspection-events', { source => 'GPS', result_status => 'OK' }), 404,
	    'not_found', 'an admin cannot create under an invalid id');
};

subtest 'validation' => sub {
	my $r = $srv->post("/api/servicebook/$vid/inspection-events", token => $owner->{token}, body => '');
	is_deeply([ $r->{status}, $r->{json}{detail}[0]{type}, $r->{json}{detail}[0]{loc} ], [ 422, 'missing', ['body'] ],
	    'no body');
	$r = P($other, "/$vid/inspection-events", {});
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} } ],
	    [ [ 'missing', [ 'body', 'source' ] ], [ 'missing', [ 'body', 'result_status' ] ] ],
	    '422 before the scope (another owner gets 422, not 403)');
	my $foreign = mkdoc($other);
	my $gone = mkdoc($owner, deleted => 1);
	my $mine = mkdoc($owner);
	$r = P($owner, "/$vid/inspection-events", { source => 'OBD', result_status => 'DONE', title => '   ',
	    summary => 'x' x 2001, details => "a\x01b", occurred_at => '2026-02-30', km => 10_000_000,
	    document_ids => [ $mine, $foreign, $gone, 7, 'nope' ] });
	is_deeply([ map { [ $_->{type}, $_->{loc} ] } @{ $r->{json}{detail} } ], [
	    [ 'enum', [ 'body', 'source' ] ], [ 'enum', [ 'body', 'result_status' ] ],
	    [ 'string_too_short', [ 'body', 'title' ] ], [ 'string_too_long', [ 'body', 'summary' ] ],
	    [ 'value_error', [ 'body', 'details' ] ], [ 'datetime_format', [ 'body', 'occurred_at' ] ],
	    [ 'less_than_equal', [ 'body', 'km' ] ], [ 'value_error', [ 'body', 'document_ids', 1 ] ],
	    [ 'value_error', [ 'body', 'document_ids', 2 ] ], [ 'string_type', [ 'body', 'document_ids', 3 ] ],
	    [ 'value_error', [ 'body', 'document_ids', 4 ] ] ], 'every field, in field order');
	$r = P($owner, "/$vid/inspection-events", { source => 'GPS', result_status => 'OK', document_ids => [ (1) x 51 ] });
	is($r->{json}{detail}[0]{type}, 'too_long', '51 document ids');
	$r = P($admin, "/$vid/inspection-events", { source => 'GPS', result_status => 'OK', document_ids => [$foreign] });
	is($r->{status}, 200, 'an admin may link any document');
	$r = P($owner, "/$vid/cases/$case_id/remediation", { result_status => 'IN_PROGRESS', km => -1 });
	is_deeply([ map { $_->{loc}[1] } @{ $r->{json}{detail} } ], [qw(result_status km)], 'remediation 422');
	$r = P($owner, "/$vid/inspection-events", { source => 'GPS', result_status => 'OK', occurred_at => '2026-03-01 08:30',
	    summary => "a\r\n\tb", km => undef });
	is_deeply([ $r->{status}, $r->{json}{inspection_event}{occurred_at}, $r->{json}{inspection_event}{km} ],
	    [ 200, '2026-03-01T08:30:00Z', undef ], 'timestamp forms, multi-line summary, null km');
};

$srv->direct('servicebook', $owner, 'GET', "/$vid/entries");
$srv->stop;
unlike($srv->cgi_log, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report from any CGI');
done_testing;
