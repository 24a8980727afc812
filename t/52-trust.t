#!/usr/bin/perl
# GET /api/vehicles/{id}/trust-summary (api.md 5.9, domain.md 4, 5): every
# reason code the v1 rules can emit, with its light, driven through the
# real routes (entries and meta via the API, documents seeded by SQL until
# the upload route exists), every worked example of domain.md 4.5, the
# sort order, todo_codes, the evidence rule and admins reading deleted
# vehicles. Real logins, real lighttpd, real SQLite.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(run_cgi json);
use Encode qw(decode_utf8);
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(test_now => '2026-03-01T09:00:00Z');

sub who { $srv->login(@_) }

sub cgi_log { $srv->cgi_log }

sub direct { $srv->direct('vehicles', @_) }

sub call {
	my ($m, $path, $u, %o) = @_;
	my %h = %{ delete $o{headers} // {} };
	my %auth;
	%auth = (token => $u->{token}) if $u;
	return $srv->req($m, $path, %auth, headers => \%h, %o);
}

my $DISCLAIMER = 'Die Trust-Ampel bewertet ausschließlich die Dokumentations- und '
    . 'Nachweisqualität. Sie ist keine Aussage über den technischen Zustand des Fahrzeugs.';
my $GREEN = 'Dokumentation ist vollständig nachweisbar.';
# The v1 catalogue of domain.md 4.1: code => [priority, kind, hint].
my %CAT = (
    public_evidence_incomplete => [10, 'warn', 'Dokumentation vorhanden, aber Nachweise sind teilweise unvollständig.'],
    document_quarantined_not_approved => [20, 'cap', 'Dokumente sind noch nicht freigegeben. Nachweise zählen erst nach Prüfung.'],
    accident_status_unknown_cap_orange => [30, 'cap', 'Unfallstatus ist unbekannt. Trust ist begrenzt.'],
    accident_not_free_requires_completed_accident_trust => [40, 'cap', 'Bei Unfall braucht es vollständige Nachweise für eine hohe Trust-Stufe.'],
    accident_trust_missing_evidence => [50, 'warn', 'Für Unfalltrust fehlen Nachweise für eine belastbare Bewertung.'],
    pii_suspected_blocks_t3 => [60, 'block', 'Offene Datenschutz-Prüfung blockiert die höchste Trust-Stufe.'],
    pii_confirmed_blocks_t3 => [61, 'block', 'Datenschutz-Befund blockiert die höchste Trust-Stufe bis zur Bereinigung.'],
    t3_requires_document_missing => [70, 'warn', 'Für die höchste Trust-Stufe ist ein Dokument als Nachweis erforderlich.'],
    t1_physical_servicebook_not_present => [90, 'warn', 'Ein physisches Serviceheft ist nicht vorhanden. Trust bleibt begrenzt.'],
    trusted_upload_hash_missing => [100, 'warn', 'Ein Integritätssignal fehlt. Nachweise sind weniger belastbar.'],
);

my $owner = who(role => 'vip');
my $admin = who(role => 'admin');
my $vseq = 0;

# A vehicle made through the API: meta, then entries with these levels.
sub vehicle {
	my ($meta, @levels) = @_;
	my $vin = sprintf('WVWZZZ1JZ3W%06d', ++$vseq);
	my $r = call('POST', '/api/vehicles', $owner, json => { vin => $vin, defined $meta ? (meta => $meta) : () });
	die "create: $r->{body}" unless $r->{status} == 200;
	my $id = $r->{json}{id};
	for my $l (@levels) {
		my $e = call('POST', "/api/vehicles/$id/entries", $owner, json => { date => '2026-01-15',
		    type => 'Service', performed_by => 'Fachwerkstatt', km => 1000, trust_level => $l });
		die "entry: $e->{body}" unless $e->{status} == 201;
	}
	return $id;
}

my $dseq = 0;
# A document row of the vehicle (the upload route is a later issue).
sub doc {
	my ($vid, %o) = @_;
	my $id = sprintf('%08x%024x', $$, ++$dseq);
	my $sum = exists $o{checksum} && !defined $o{checksum} ? 'NULL' : "'" . ('ab' x 32) . "'";
	my $del = $o{deleted} ? "'2026-02-01T00:00:00.000000Z'" : 'NULL';
	$srv->sqlite("INSERT INTO documents (id, owner_user_id, created_by_user_id, vehicle_id, filename, "
	    . "content_type, size_bytes, checksum_sha256, storage_key, approval_status, scan_status, pii_status, "
	    . "created_at, deleted_at) VALUES ('$id', '$owner->{user_id}', '$owner->{user_id}', '$vid', "
	    . "'rechnung.pdf', 'application/pdf', 1000, $sum, 'k/$id', '" . ($o{approval} // 'QUARANTINED')
	    . "', '" . ($o{scan} // 'PENDING') . "', '" . ($o{pii} // 'OK') . "', '2026-02-01T00:00:00.000000Z', $del)");
	return $id;
}

sub summary {
	my ($vid, $u) = @_;
	my $r = call('GET', "/api/vehicles/$vid/trust-summary", $u // $owner);
	die "summary: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json};
}

# Checks one situation: light, codes (sorted), hint, other fields.
sub check {
	my ($name, $vid, $light, $codes, %f) = @_;
	my $s = summary($vid);
	is($s->{trust_light}, $light, "$name: light $light");
	is_deeply($s->{reason_codes}, $codes, "$name: reason codes");
	is($s->{hint}, @$codes ? $CAT{ $codes->[0] }[2] : $GREEN, "$name: hint of the first sorted reason");
	is_deeply($s->{reasons}, [ map { { code => $_, kind => $CAT{$_}[1], priority => $CAT{$_}[0],
	    hint => $CAT{$_}[2] } } @$codes ], "$name: reasons with kind, priority, hint");
	is_deeply($s->{todo_codes}, [ grep { defined } @$codes[0 .. 2] ], "$name: todo_codes = first three");
	is($s->{disclaimer}, $DISCLAIMER, "$name: disclaimer");
	for my $k (sort keys %f) {
		is($s->{$k}, $f{$k}, "$name: $k");
	}
	return $s;
}

my %seen;	# every code some situation produced

# ---- the worked examples of domain.md 4.5 --------------------------------------------

{
	my $r = call('GET', '/api/public/qr/00000000-0000-4000-8000-000000000000', undef);
	is_deeply([@{ $r->{json} // {} }{qw(trust_light hint history_status evidence_status verification_level
	    accident_status accident_status_label)}, exists $r->{json}{vehicle} && !defined $r->{json}{vehicle}],
	    ['orange', 'Dokumentation vorhanden, aber Nachweise sind teilweise unvollständig.', 'nicht_vorhanden',
	     'nicht_vorhanden', 'niedrig', 'unbekannt', 'Unbekannt', 1], 'example 1: unknown vehicle id (public answer)');
	$r = call('GET', '/api/vehicles/00000000-0000-4000-8000-000000000000/trust-summary', $owner);
	is_deeply([$r->{status}, $r->{json}], [404, { detail => 'not_found' }], 'owner summary of an unknown id: 404');

	my $v = vehicle({ accident_status => 'unknown' }, 'T2');
	$r = call('GET', "/api/vehicles/$v/trust-summary", $owner);
	is($r->{status}, 200, 'example 2: 200');
	is_deeply($r->{json}, {
	    trust_light => 'orange',
	    hint => 'Unfallstatus ist unbekannt. Trust ist begrenzt.',
	    reason_codes => ['accident_status_unknown_cap_orange', 't3_requires_document_missing'],
	    todo_codes => ['accident_status_unknown_cap_orange', 't3_requires_document_missing'],
	    reasons => [
		{ code => 'accident_status_unknown_cap_orange', kind => 'cap', priority => 30,
		  hint => 'Unfallstatus ist unbekannt. Trust ist begrenzt.' },
		{ code => 't3_requires_document_missing', kind => 'warn', priority => 70,
		  hint => 'Für die höchste Trust-Stufe ist ein Dokument als Nachweis erforderlich.' } ],
	    verification_level => 'mittel', accident_status => 'unbekannt', accident_status_label => 'Unbekannt',
	    history_status => 'vorhanden', evidence_status => 'vorhanden', top_trust_level => 'T2',
	    disclaimer => $DISCLAIMER }, 'example 2: accident unknown, one T2 entry: exactly the api.md 5.9 answer');
	(my $top = decode_utf8($r->{body})) =~ s/"reasons":\[.*?\](?=,"verification_level")/"reasons":[]/;
	is_deeply([$top =~ /(?:^\{|,)"([a-z_]+)":/g], [qw(trust_light hint reason_codes todo_codes reasons
	    verification_level accident_status accident_status_label history_status evidence_status top_trust_level
	    disclaimer)], 'TrustSummary keys in spec order');
	$seen{$_}++ for @{ $r->{json}{reason_codes} };

	$v = vehicle({ accident_status => 'accident_free' }, 'T3');
	check('example 3: accident_free, one T3 entry, no documents', $v, 'gruen', [],
	    verification_level => 'hoch', history_status => 'vorhanden', evidence_status => 'vorhanden',
	    accident_status => 'unfallfrei', accident_status_label => 'Unfallfrei', top_trust_level => 'T3');

	$v = vehicle({ accident_status => 'accident_free' });
	my $s = check('example 4: accident_free, no entries', $v, 'gelb', ['public_evidence_incomplete'],
	    verification_level => 'niedrig', history_status => 'nicht_vorhanden', evidence_status => 'nicht_vorhanden',
	    accident_status => 'unfallfrei');
	ok(exists $s->{top_trust_level} && !defined $s->{top_trust_level}, 'example 4: top_trust_level null');
	$seen{public_evidence_incomplete}++;

	$v = vehicle({ accident_status => 'accident_free' }, 'T3');
	doc($v);
	check('example 5: T3 and one quarantined document', $v, 'orange', ['document_quarantined_not_approved'],
	    verification_level => 'hoch');
	$seen{document_quarantined_not_approved}++;

	$v = vehicle({ accident_status => 'accident_free' }, 'T3');
	doc($v, pii => 'SUSPECTED');
	check('example 6: the quarantined document is SUSPECTED', $v, 'rot',
	    ['document_quarantined_not_approved', 'pii_suspected_blocks_t3'], verification_level => 'hoch');

	$v = vehicle({ accident_status => 'accident_free' }, 'T3');
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'SUSPECTED');
	check('example 7: approved, later flagged SUSPECTED', $v, 'rot', ['pii_suspected_blocks_t3'],
	    evidence_status => 'vorhanden');
	$seen{pii_suspected_blocks_t3}++;
}

# ---- every other reason code ----------------------------------------------------

{
	my $v = vehicle({ accident_status => 'free' }, 'T3');
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'CONFIRMED');
	check('PII confirmed', $v, 'rot', ['pii_confirmed_blocks_t3']);
	$seen{pii_confirmed_blocks_t3}++;

	$v = vehicle({ accident_status => 'Accident' }, 'T3');
	check('accident, repair not declared complete', $v, 'orange',
	    ['accident_not_free_requires_completed_accident_trust'], accident_status => 'nicht_unfallfrei',
	    accident_status_label => 'Nicht unfallfrei');
	$seen{accident_not_free_requires_completed_accident_trust}++;

	$v = vehicle({ accident_status => 'nicht_unfallfrei', accident_trust_completed => JSON::PP::false }, 'T3');
	check('accident, completed = false', $v, 'orange', ['accident_not_free_requires_completed_accident_trust']);

	$v = vehicle({ accident_status => 'not_accident_free', accident_trust_completed => JSON::PP::true }, 'T2');
	check('accident completed, top T2', $v, 'gelb',
	    ['accident_trust_missing_evidence', 't3_requires_document_missing'], verification_level => 'mittel');
	$seen{accident_trust_missing_evidence}++;
	$seen{t3_requires_document_missing}++;

	$v = vehicle({ accident_status => 'not_free', accident_trust_completed => JSON::PP::true }, 'T3');
	check('accident completed, top T3', $v, 'gruen', [], accident_status => 'nicht_unfallfrei');

	$v = vehicle({ accident_status => 'none' }, 'T1');
	check('T1 only', $v, 'gelb', ['t1_physical_servicebook_not_present'], verification_level => 'niedrig',
	    evidence_status => 'nicht_vorhanden', history_status => 'vorhanden', top_trust_level => 'T1');
	$seen{t1_physical_servicebook_not_present}++;

	$v = vehicle({ accident_status => 'unfallfrei' }, undef, undef);
	my $s = check('entries without a trust level', $v, 'gelb', ['t1_physical_servicebook_not_present'],
	    verification_level => 'niedrig', evidence_status => 'nicht_vorhanden');
	ok(!defined $s->{top_trust_level}, 'no level: top_trust_level null');

	$v = vehicle({ accident_status => 'unfallfrei' }, 'T1');
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'OK');
	check('T1 with valid evidence', $v, 'gelb', ['t1_physical_servicebook_not_present'],
	    evidence_status => 'vorhanden', verification_level => 'niedrig');

	$v = vehicle({ accident_status => 'unfallfrei' }, 'T3');
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'OK', checksum => undef);
	check('legacy approved document without checksum', $v, 'gelb', ['trusted_upload_hash_missing'],
	    evidence_status => 'vorhanden');
	$seen{trusted_upload_hash_missing}++;

	$v = vehicle({ accident_status => 'unbekannt' }, 'T3');
	check('accident status unbekannt', $v, 'orange', ['accident_status_unknown_cap_orange']);
	$seen{accident_status_unknown_cap_orange}++;
	$v = vehicle(undef, 'T3');
	check('no accident status at all', $v, 'orange', ['accident_status_unknown_cap_orange'],
	    accident_status => 'unbekannt', accident_status_label => 'Unbekannt');

	is_deeply([sort keys %seen], [sort keys %CAT], 'every emittable reason code was driven');
}

# ---- documents that do not count, evidence rule, sort and todo ------------------------

{
	my $v = vehicle({ accident_status => 'accident_free' }, 'T3');
	doc($v, deleted => 1);
	doc($v, deleted => 1, pii => 'CONFIRMED');
	doc($v, approval => 'REJECTED', scan => 'INFECTED');
	check('deleted and rejected documents ignored', $v, 'gruen', []);

	$v = vehicle({ accident_status => 'accident_free' }, 'T1');
	doc($v, approval => 'APPROVED', scan => 'PENDING');
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'OK', deleted => 1);
	check('approved but unscanned, or deleted: no evidence', $v, 'gelb', ['t1_physical_servicebook_not_present'],
	    evidence_status => 'nicht_vorhanden');

	# Another vehicle's documents never count.
	my $w = vehicle({ accident_status => 'accident_free' }, 'T3');
	doc($v, pii => 'CONFIRMED');
	check('documents of other vehicles ignored', $w, 'gruen', []);

	$v = vehicle({ accident_status => 'unknown' }, 'T2', 'T1');
	doc($v);
	doc($v, pii => 'CONFIRMED');
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'SUSPECTED', checksum => undef);
	check('many reasons: sorted by priority, todo = first three', $v, 'rot',
	    ['document_quarantined_not_approved', 'accident_status_unknown_cap_orange', 'pii_suspected_blocks_t3',
	     'pii_confirmed_blocks_t3', 't3_requires_document_missing', 'trusted_upload_hash_missing'],
	    top_trust_level => 'T2', verification_level => 'mittel');

	# Only the latest revision counts.
	$v = vehicle({ accident_status => 'accident_free' }, 'T3');
	my $e = call('GET', "/api/vehicles/$v/entries", $owner)->{json}[0]{id};
	is(summary($v)->{trust_light}, 'gruen', 'T3 entry: gruen');
	my $r = call('POST', "/api/vehicles/$v/entries/$e/revisions", $owner, json => { date => '2026-01-15',
	    type => 'Service', performed_by => 'Fachwerkstatt', km => 1000, trust_level => 'T1' });
	is($r->{status}, 201, 'revised down to T1');
	check('after the revision', $v, 'gelb', ['t1_physical_servicebook_not_present'], top_trust_level => 'T1');

	# PATCHing the meta changes the answer.
	call('PATCH', "/api/vehicles/$v", $owner, json => { meta => { accident_status => undef } });
	check('accident status removed by PATCH', $v, 'orange',
	    ['accident_status_unknown_cap_orange', 't1_physical_servicebook_not_present']);

	# Admins read the real data of a deleted vehicle; the owner gets 404.
	$v = vehicle({ accident_status => 'accident_free' }, 'T3');
	is(call('DELETE', "/api/vehicles/$v", $owner, json => { reason => 'sold' })->{status}, 200, 'vehicle deleted');
	$r = call('GET', "/api/vehicles/$v/trust-summary", $owner);
	is($r->{status}, 404, 'owner: deleted vehicle summary 404');
	my $s = summary($v, $admin);
	is_deeply([$s->{trust_light}, $s->{history_status}, $s->{top_trust_level}], ['gruen', 'vorhanden', 'T3'],
	    'admin: summary of the deleted vehicle from its real data');
	my $pub = call('GET', "/api/public/qr/$v", undef)->{json};
	is_deeply([$pub->{trust_light}, $pub->{history_status}], ['orange', 'nicht_vorhanden'],
	    'while the public answer treats it as unknown');
	$r = call('GET', "/api/vehicles/$w/trust-summary", who(role => 'dealer'));
	is_deeply([$r->{status}, $r->{json}], [403, { detail => 'forbidden' }], 'other owner: 403');
}

# ---- once more as a plain process ----------------------------------------------

{
	my $v = vehicle({ accident_status => 'unknown' }, 'T2', 'T1');
	doc($v);
	doc($v, approval => 'APPROVED', scan => 'CLEAN', pii => 'SUSPECTED', checksum => undef);
	my $r = direct($owner, 'GET', "/$v/trust-summary");
	is_deeply([$r->{status}, $r->{json}{trust_light}], [200, 'rot'], 'direct: summary');
	is(direct($admin, 'GET', "/$v/trust-summary")->{status}, 200, 'direct: admin summary');
	is(direct($owner, 'GET', '/nope/trust-summary')->{status}, 404, 'direct: unknown');
}

# LTC::stop reads the server logs, but the CGIs' stderr (sanitizer
# reports included) goes to lighttpd's breakagelog: check it here too.
unlike(cgi_log(), qr/AddressSanitizer|LeakSanitizer|runtime error:/, 'no sanitizer report in the CGI stderr log');
$srv->stop;
done_testing;
