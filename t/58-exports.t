#!/usr/bin/perl
# Exports (api.md 10, domain.md 10) through a real lighttpd with real
# logins: the four redacted views and their scopes; grants (superadmin
# only, TTL clamped per kind, one-time token stored as an HMAC, bound to
# kind, target and granter); full exports decrypted here with Python's
# cryptography Fernet and compared field by field with the redacted views;
# every token refusal (missing, unknown, other kind, other target, other
# granter, expired, reused) with its audit reason; exactly one winner of
# 20 concurrent uses; `ltcctl export-decrypt` with the current and the
# previous secret; and no export answer carrying the VIN, an e-mail
# address or free text.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Digest::SHA qw(hmac_sha256_hex hmac_sha256);
use MIME::Base64 qw(encode_base64url);
use File::Temp qw(tempdir);
use HTTP::Tiny;
use Encode qw(encode_utf8);
use Test::More;
binmode($_, ':encoding(UTF-8)') for Test::More->builder->output, Test::More->builder->failure_output;

my $srv = LTC->new_lighttpd;
my $NOW = '2026-03-01T09:00:00Z';
$srv->set_conf(test_now => $NOW);
sub sql { $srv->sqlite(shift) }
sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }
my $secret = do {
	open my $fh, '<', $srv->conf_file or die;
	my ($s) = map { /^secret_key\s*=\s*(.*?)\s*$/ ? $1 : () } <$fh>;
	$s;
};
ok(length($secret // '') >= 32, 'test server has a secret');

my $owner = $srv->login(role => 'user');
my $other = $srv->login(role => 'vip');
my $admin = $srv->login(role => 'admin');
my $sa = $srv->login(role => 'superadmin');
my $sa2 = $srv->login(role => 'superadmin');
my $sa_nc = $srv->login(role => 'superadmin', consent => 0);
my $dealer = $srv->login(role => 'dealer');
my $dealer2 = $srv->login(role => 'dealer');
my $mod = $srv->login(role => 'moderator', consent => 0);
my $noconsent = $srv->login(role => 'user', consent => 0);
my @EMAILS = map { $_->{email} } ($owner, $other, $admin, $sa, $sa2, $dealer, $dealer2);

# Everything an export answer must never carry (raw bytes).
my $VIN = 'WVWZZZ1JZ3W386752';
my @SECRET_TEXT = ($VIN, 'Familienkutsche', 'Geheime Notiz 4711', 'Zweite Notiz', 'rechnung_privat',
    'PII Hinweis', 'Fehlertitel', 'Fehlerdetails', 'Sprachinhalt', 'Triage-Details', 'Tafelnotiz', 'VIN-EXT-99');
my @answers;		# every export answer body, for the raw-byte check

sub as { (token => $_[0]{token}) }
sub EG {
	my ($u, $path, %h) = @_;
	my $r = $srv->get("/api/export$path", $u ? as($u) : (), headers => \%h);
	push @answers, $r->{body};
	return $r;
}
sub grant {
	my ($u, $kind, $id, $q) = @_;
	my $r = $srv->post("/api/export/$kind/$id/grant" . (defined $q ? "?$q" : ''), $u ? as($u) : ());
	push @answers, $r->{body};
	return $r;
}
sub full { my ($u, $kind, $id, $tok) = @_; EG($u, "/$kind/$id/full", defined $tok ? ('X-Export-Token' => $tok) : ()) }
sub is_detail {
	my ($r, $status, $detail, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	is_deeply($r->{json}, { detail => $detail }, "$name: $detail");
}
sub last_audit {
	return sql("SELECT action || '|' || result || '|' || ifnull(reason_code, '') || '|' || ifnull(target_id, '') "
	    . "FROM audit_events WHERE target_type = 'EXPORT_JOB' ORDER BY rowid DESC LIMIT 1");
}
# Opens a Fernet token with Python's cryptography and key base64url(SHA-256(secret)).
sub fernet_open {
	my ($token, $key_secret) = @_;
	my $dir = tempdir(CLEANUP => 1);
	open my $fh, '>', "$dir/t" or die; print $fh $token; close $fh;
	local $ENV{LTC_T_SECRET} = $key_secret // $secret;
	my $out = `python3 -c 'import base64, hashlib, os, sys
from cryptography.fernet import Fernet
k = base64.urlsafe_b64encode(hashlib.sha256(os.environ["LTC_T_SECRET"].encode()).digest())
sys.stdout.buffer.write(Fernet(k).decrypt(open(sys.argv[1], "rb").read().strip()))' '$dir/t' 2>&1`;
	return $? == 0 ? $out : undef;
}

# ---- data ---------------------------------------------------------------------

my $r = $srv->post('/api/vehicles', as($owner), json => { vin => $VIN, nickname => 'Familienkutsche',
    meta => { make => 'VW', model => 'Golf', year => 2004, accident_status => 'unfallfrei' } });
is($r->{status}, 200, 'vehicle') or diag($r->{body});
my $vid = $r->{json}{id};
$r = $srv->post("/api/vehicles/$vid/entries", as($owner), json => { date => '2026-02-01', type => 'Service',
    performed_by => 'Werkstatt', km => 120000, note => 'Geheime Notiz 4711', cost_amount => 120.5, trust_level => 'T3' });
is($r->{status}, 201, 'entry') or diag($r->{body});
my $eid = $r->{json}{id};
$r = $srv->post("/api/vehicles/$vid/entries/$eid/revisions", as($owner), json => { date => '2026-02-01',
    type => 'Service', performed_by => 'Werkstatt', km => 120001, note => 'Zweite Notiz', cost_amount => 99 });
is($r->{status}, 201, 'revision') or diag($r->{body});
$r = $srv->post("/api/vehicles/$vid/entries", as($owner), json => { date => '2026-01-15', type => 'TÜV',
    performed_by => 'Prüfstelle', km => 119000 });
my $dseq = 0;
sub mkdoc {
	my ($u, $veh, $appr, $scan, $pii, %o) = @_;
	my $id = sprintf('%032x', ++$dseq);
	my $out = sql("INSERT INTO documents (id, owner_user_id, created_by_user_id, vehicle_id, entry_id, filename, "
	    . "content_type, size_bytes, checksum_sha256, storage_key, approval_status, scan_status, pii_status, pii_note, "
	    . "created_at, deleted_at) VALUES ('$id', " . sq($u->{user_id}) . ", " . sq($u->{user_id}) . ", "
	    . (defined $veh ? sq($veh) : 'NULL') . ", " . sq($eid) . ", 'rechnung_privat_$dseq.pdf', 'application/pdf', "
	    . "1234, '" . ('cd' x 32) . "', 'store/$id', '$appr', '$scan', '$pii', "
	    . ($pii eq 'OK' ? 'NULL' : "'PII Hinweis'") . ", '2026-02-0${dseq}T00:00:00.000000Z', "
	    . ($o{deleted} ? "'2026-02-10T00:00:00.000000Z'" : 'NULL') . ")");
	die $out if $out ne '';
	return $id;
}
my $d_ok = mkdoc($owner, $vid, 'APPROVED', 'CLEAN', 'OK');
my $d_quar = mkdoc($owner, $vid, 'QUARANTINED', 'PENDING', 'OK');
my $d_pii = mkdoc($owner, $vid, 'APPROVED', 'CLEAN', 'SUSPECTED');
my $d_del = mkdoc($owner, $vid, 'APPROVED', 'CLEAN', 'OK', deleted => 1);
my $d_ok2 = mkdoc($owner, $vid, 'APPROVED', 'CLEAN', 'OK');

$r = $srv->post("/api/servicebook/$vid/inspection-events", as($owner), json => { source => 'READOUT',
    result_status => 'NOT_OK', title => 'Fehlertitel', details => 'Fehlerdetails', km => 120002,
    document_ids => [ $d_ok, $d_quar, $d_pii ] });
is($r->{status}, 200, 'servicebook inspection') or diag($r->{body});

my $kseq = 0;
sub mcw {
	my ($m, $path, $body) = @_;
	my $x = $srv->req($m, "/api/masterclipboard$path", as($dealer), json => $body,
	    headers => { 'Idempotency-Key' => 'e' . ++$kseq });
	die "mc $path: $x->{status} $x->{body}" if $x->{status} >= 300;
	return $x->{json};
}
my $mcs = mcw('POST', '/sessions', { vehicle_public_id => 'VIN-EXT-99' })->{session_id};
mcw('POST', "/sessions/$mcs/speech", { source => 'mic', content_redacted => 'Sprachinhalt eins' });
mcw('POST', "/sessions/$mcs/speech", { source => 'text', content_redacted => 'Sprachinhalt zwei' });
my $items = mcw('POST', "/sessions/$mcs/triage/items", { items => [
    { kind => 'defect', title => 'Bremse', details_redacted => 'Triage-Details', severity => 'high', status => 'open',
      evidence_refs => [ "doc:$d_ok", "doc:$d_quar", 'photo:7', "doc:$d_del" ] },
    { kind => 'task', title => 'Öl', severity => 'low', status => 'done' } ] })->{created_ids};
mcw('POST', "/sessions/$mcs/board/snapshot", { ordered_item_ids => [ reverse @$items ], notes_redacted => 'Tafelnotiz' });

# ---- gate ------------------------------------------------------------------------

subtest 'gate' => sub {
	is(EG(undef, "/vehicle/$vid")->{status}, 401, 'anonymous: 401');
	is(grant(undef, 'vehicle', $vid)->{status}, 401, 'anonymous grant: 401');
	is_detail(EG($mod, "/vehicle/$vid"), 403, 'forbidden', 'moderator on vehicle: forbidden');
	is_detail(grant($mod, 'vehicle', $vid), 403, 'forbidden', 'moderator vehicle grant');
	for my $k ([ user => $owner->{user_id} ], [ servicebook => $vid ], [ masterclipboard => $mcs ]) {
		is_detail(EG($mod, "/$k->[0]/$k->[1]"), 403, 'role_not_allowed', "moderator on $k->[0]");
		is_detail(grant($mod, @$k), 403, 'role_not_allowed', "moderator $k->[0] grant");
		is_detail(full($mod, @$k, 'x'), 403, 'role_not_allowed', "moderator $k->[0] full");
		is_detail(grant($admin, @$k), 403, 'forbidden', "admin $k->[0] grant: SA only");
		is_detail(full($admin, @$k, 'x'), 403, 'forbidden', "admin $k->[0] full");
	}
	is_detail(grant($owner, 'vehicle', $vid), 403, 'forbidden', 'owner grant');
	is_detail(EG($owner, "/masterclipboard/$mcs"), 403, 'forbidden', 'user on masterclipboard redacted: MC only');
	is_detail(EG($noconsent, "/vehicle/$vid"), 403, 'consent_required', 'redacted read needs consent');
	is(grant($sa_nc, 'user', $sa_nc->{user_id})->{status}, 200, 'grant needs no consent');
	is_detail(full($sa_nc, 'user', $sa_nc->{user_id}), 400, 'missing_export_token', 'full needs no consent');
	$r = $srv->get("/api/export/vehicle/$vid/grant", as($sa));
	is_deeply([ $r->{status}, $r->{headers}{allow} ], [ 405, 'POST' ], 'GET on grant: 405');
	is($srv->post("/api/export/vehicle/$vid", as($sa))->{status}, 405, 'POST on the redacted read: 405');
};

# ---- redacted views ---------------------------------------------------------------------

my %red;
subtest 'redacted vehicle' => sub {
	$r = EG($owner, "/vehicle/$vid");
	is($r->{status}, 200, 'owner: 200') or diag($r->{body});
	my $d = $r->{json}{data};
	$red{vehicle} = $d;
	is_deeply([ keys %{ $r->{json} } ], ['data'], 'answer: {"data": ...}');
	is_deeply([ sort keys %$d ], [ sort qw(target id vehicle_id public_id _redacted exported_at vehicle vin_hmac trust
	    entries documents) ], 'data keys');
	is_deeply([ @$d{qw(target id vehicle_id public_id exported_at)} ], [ 'vehicle', $vid, $vid, $vid, $NOW ], 'ids');
	is($d->{_redacted}, JSON::PP::true, '_redacted');
	is($d->{vin_hmac}, hmac_sha256_hex($VIN, $secret), 'vin_hmac = HMAC-SHA256(secret, VIN), hex');
	is_deeply($d->{vehicle}, { public_id => $vid, vin_prefix3 => 'WVW', vin_last4 => '6752', vin_masked => 'WVW***6752',
	    vehicle_class => undef, make => 'VW', model => 'Golf', year => 2004, drivetrain => undef,
	    accident_status => 'unfallfrei', created_at => $NOW }, 'vehicle object');
	is_deeply([ sort keys %{ $d->{trust} } ], [ sort qw(trust_light verification_level history_status evidence_status
	    accident_status top_trust_level) ], 'trust keys');
	my $ts = $srv->get("/api/vehicles/$vid/trust-summary", as($owner))->{json};
	is($d->{trust}{$_}, $ts->{$_}, "trust $_ as in the trust summary") for qw(trust_light verification_level
	    history_status evidence_status top_trust_level);
	my $list = $srv->get("/api/vehicles/$vid/entries", as($owner))->{json};
	is_deeply([ map { $_->{id} } @{ $d->{entries} } ], [ map { $_->{id} } @$list ], 'entries: latest, as GET …/entries');
	is_deeply([ sort keys %{ $d->{entries}[0] } ], [ sort qw(id entry_group_id version date type performed_by km
	    cost_amount trust_level created_at) ], 'entry keys: no note');
	is_deeply([ @{ $d->{entries}[0] }{qw(version km cost_amount)} ], [ 2, 120001, 99 ], 'the revision');
	is_deeply([ map { $_->{id} } @{ $d->{documents} } ], [ $d_ok, $d_ok2 ], 'documents: valid evidence only, by time');
	is_deeply($d->{documents}[0], { id => $d_ok, entry_id => $eid, content_type => 'application/pdf',
	    size_bytes => 1234, checksum_sha256 => 'cd' x 32, created_at => '2026-02-01T00:00:00Z',
	    approval_status => 'APPROVED' }, 'document keys: no filename');
	like(last_audit(), qr/^EXPORT_REDACTED_REQUESTED\|success\|\|\Q$vid\E$/, 'EXPORT_REDACTED_REQUESTED');

	is_detail(EG($other, "/vehicle/$vid"), 403, 'forbidden', 'another owner');
	is(last_audit(), "EXPORT_DENIED|denied|RBAC_DENY|$vid", '... EXPORT_DENIED RBAC_DENY');
	is(EG($admin, "/vehicle/$vid")->{status}, 200, 'admin: 200');
	is_detail(EG($owner, '/vehicle/00000000-0000-4000-8000-000000000000'), 404, 'not_found', 'unknown');
	my $v2 = $srv->post('/api/vehicles', as($other), json => { vin => 'WVWZZZ1JZ3W386753' })->{json}{id};
	sql("UPDATE vehicles SET deleted_at = '2026-03-01T08:00:00.000000Z' WHERE public_id = '$v2'");
	is_detail(EG($other, "/vehicle/$v2"), 404, 'not_found', 'deleted: 404 for the owner');
	is(EG($admin, "/vehicle/$v2")->{status}, 200, 'deleted: admins still export');
	is(grant($sa, 'vehicle', $v2)->{status}, 200, 'deleted: grant still works');
};

subtest 'redacted user' => sub {
	$r = EG($owner, "/user/$owner->{user_id}");
	is($r->{status}, 200, 'self: 200');
	my $stored = sql("SELECT email_hmac || '|' || created_at FROM auth_users WHERE user_id = " . sq($owner->{user_id}));
	my ($eh) = split /\|/, $stored;
	is_deeply($r->{json}, { data => { target => 'user', id => $owner->{user_id}, _redacted => JSON::PP::true,
	    exported_at => $NOW, user => { user_id => $owner->{user_id}, _redacted => JSON::PP::true, role => 'user',
	    status => 'active', created_at => $r->{json}{data}{user}{created_at}, email_hmac => $eh,
	    user_id_hmac => hmac_sha256_hex($owner->{user_id}, $secret) } } }, 'shape, email_hmac as stored');
	$red{user} = $r->{json}{data};
	my $n = sql("SELECT count(*) FROM audit_events");
	is_detail(EG($owner, "/user/$other->{user_id}"), 403, 'forbidden', 'a foreign id');
	is_detail(EG($owner, '/user/no-such-user'), 403, 'forbidden', 'an unknown foreign id: 403 without a lookup');
	is(EG($admin, "/user/$other->{user_id}")->{status}, 200, 'admin: any id');
	is_detail(EG($admin, '/user/no-such-user'), 404, 'not_found', 'admin: unknown id');
	is(EG($dealer, "/user/$dealer->{user_id}")->{status}, 200, 'dealer: self');
};

subtest 'redacted servicebook' => sub {
	$r = EG($owner, "/servicebook/$vid");
	is($r->{status}, 200, 'owner: 200') or diag($r->{body});
	my $j = $r->{json};
	is_deeply([ sort keys %$j ], [qw(data entries id target)], 'top-level keys');
	is_deeply([ @$j{qw(target id)} ], [ 'servicebook', $vid ], 'top-level target and id');
	my $s = $j->{data}{servicebook};
	is_deeply($j->{entries}, $s->{entries}, 'the same rows twice');
	is($s->{servicebook_id_hmac}, hmac_sha256_hex($vid, $secret), 'servicebook_id_hmac');
	is(scalar @{ $s->{entries} }, 2, 'inspection and case');
	is_deeply([ sort keys %{ $s->{entries}[0] } ], [ sort qw(id entry_type source result_status occurred_at km
	    document_ids related_entry_id related_case_id owner_id actor_role created_at updated_at) ], 'row keys');
	is_deeply($s->{entries}[0]{document_ids}, [$d_ok], 'document_ids: valid evidence only');
	$red{servicebook} = $j->{data};
	is_detail(EG($other, "/servicebook/$vid"), 403, 'forbidden', 'another owner');
	is(EG($admin, "/servicebook/$vid")->{status}, 200, 'admin');
	my $v3 = $srv->post('/api/vehicles', as($other), json => { vin => 'WVWZZZ1JZ3W386754' })->{json}{id};
	is_detail(EG($other, "/servicebook/$v3"), 404, 'not_found', 'a servicebook without entries');
	is_detail(grant($sa, 'servicebook', $v3), 404, 'not_found', 'grant: no entries');
};

subtest 'redacted masterclipboard' => sub {
	$r = EG($dealer, "/masterclipboard/$mcs");
	is($r->{status}, 200, 'same org: 200') or diag($r->{body});
	is_deeply($r->{json}{meta}, { export_type => 'masterclipboard', mode => 'redacted', generated_at => $NOW }, 'meta');
	my $d = $r->{json}{data};
	is_deeply([ sort keys %$d ], [ sort qw(_redacted id vehicle_public_id_hmac is_closed created_at closed_at
	    speech_chunk_count triage_items board_snapshots) ], 'data keys');
	is($d->{vehicle_public_id_hmac}, hmac_sha256_hex('VIN-EXT-99', $secret), 'vehicle_public_id_hmac');
	is($d->{speech_chunk_count}, 2, 'speech_chunk_count');
	is_deeply([ sort keys %{ $d->{triage_items}[0] } ], [ sort qw(id kind title severity status evidence_refs created_at
	    updated_at) ], 'item keys: no details');
	is_deeply($d->{triage_items}[0]{evidence_refs}, ["doc:$d_ok"], 'evidence_refs: doc:<valid evidence> only');
	is_deeply($d->{board_snapshots}, [ { id => $d->{board_snapshots}[0]{id}, ordered_item_ids => [ reverse @$items ],
	    created_at => $NOW } ], 'snapshot: no notes');
	$red{masterclipboard} = $d;
	is_detail(EG($dealer2, "/masterclipboard/$mcs"), 403, 'forbidden', 'another org: standard shape');
	is(EG($admin, "/masterclipboard/$mcs")->{status}, 200, 'admin: any org');
	is_detail(EG($dealer, '/masterclipboard/unknown'), 404, 'not_found', 'unknown');
};

# ---- grants ----------------------------------------------------------------------------

subtest 'grants' => sub {
	$r = grant($sa, 'vehicle', $vid);
	is($r->{status}, 200, 'grant: 200') or diag($r->{body});
	my $g = $r->{json};
	is_deeply([ sort keys %$g ], [ sort qw(vehicle_id export_token token expires_at ttl_seconds one_time header) ], 'keys');
	like($g->{export_token}, qr/^[A-Za-z0-9_-]{43}$/, '43 base64url characters');
	is_deeply([ @$g{qw(vehicle_id token ttl_seconds expires_at header)} ],
	    [ $vid, $g->{export_token}, 300, '2026-03-01T09:05:00Z', 'X-Export-Token' ], 'default TTL 300');
	is($g->{one_time}, JSON::PP::true, 'one_time');
	my $hash = encode_base64url(hmac_sha256($g->{token}, $secret));
	is(sql("SELECT kind || '|' || target_id || '|' || created_by_user_id FROM export_grants WHERE token_hash = '$hash'"),
	    "vehicle|$vid|$sa->{user_id}", 'stored as base64url HMAC, bound to kind, target, granter');
	is(sql("SELECT count(*) FROM export_grants WHERE token_hash = " . sq($g->{token})), 0, 'the raw token is not stored');
	like(last_audit(), qr/^EXPORT_GRANT_CREATED\|success\|\|/, 'EXPORT_GRANT_CREATED');
	like(sql("SELECT metadata_json FROM audit_events WHERE action = 'EXPORT_GRANT_CREATED' ORDER BY rowid DESC LIMIT 1"),
	    qr/"ttl_seconds":\s*300/, '... with ttl_seconds');
	isnt(grant($sa, 'vehicle', $vid)->{json}{token}, $g->{token}, 'every grant is a new token');

	my %cases = ('' => 300, 'ttl_seconds=5' => 30, 'ttl_seconds=99999' => 3600, 'ttl_seconds=-7' => 30,
	    'ttl_seconds=1200' => 1200, 'ttl_seconds=30' => 30, 'ttl_seconds=3600' => 3600);
	for my $q (sort keys %cases) {
		is(grant($sa, 'user', $owner->{user_id}, $q)->{json}{ttl_seconds}, $cases{$q}, "user ?$q -> $cases{$q}");
	}
	my %mc = ('' => 900, 'ttl_seconds=10' => 60, 'ttl_seconds=5000' => 3600, 'ttl_seconds=120' => 120);
	for my $q (sort keys %mc) {
		is(grant($sa, 'masterclipboard', $mcs, $q)->{json}{ttl_seconds}, $mc{$q}, "masterclipboard ?$q -> $mc{$q}");
	}
	$r = grant($sa, 'vehicle', $vid, 'ttl_seconds=abc');
	is_deeply([ $r->{status}, $r->{json}{detail}[0]{type}, $r->{json}{detail}[0]{loc} ],
	    [ 422, 'int_type', [ 'query', 'ttl_seconds' ] ], 'not an integer: 422');
	is(grant($sa, 'vehicle', 'nope', 'ttl_seconds=x')->{status}, 422, '422 before 404');
	$srv->set_conf(export_ttl_seconds => 45);
	is(grant($sa, 'vehicle', $vid, 'ttl_seconds=1000')->{json}{ttl_seconds}, 45, 'export_ttl_seconds replaces the query');
	is(grant($sa, 'masterclipboard', $mcs)->{json}{ttl_seconds}, 60, '... then clamped (masterclipboard 60..3600)');
	$srv->set_conf(export_ttl_seconds => 7200);
	is(grant($sa, 'servicebook', $vid)->{json}{ttl_seconds}, 3600, '7200 clamped to 3600');
	$srv->set_conf(export_ttl_seconds => undef);

	is_detail(grant($sa, 'vehicle', '00000000-0000-4000-8000-000000000000'), 404, 'not_found', 'unknown vehicle');
	is_detail(grant($sa, 'user', 'no-such-user'), 404, 'not_found', 'unknown user');
	is_detail(grant($sa, 'servicebook', 'free-empty'), 404, 'not_found', 'servicebook without entries');
	$r = grant($sa, 'masterclipboard', 'not-a-session');
	is($r->{status}, 200, 'masterclipboard: no existence check');
	is_deeply([ @{ $r->{json} }{qw(mode note)} ], [ 'full_encrypted',
	    'Token ist one-time + TTL. Nicht loggen, nicht speichern in Klartext.' ], 'masterclipboard answer: mode, note');
	ok(!exists $r->{json}{masterclipboard_id}, 'masterclipboard answer: no id key');
	unlike(sql("SELECT group_concat(ifnull(metadata_json, '') || ifnull(target_id, ''), ' ') FROM audit_events"),
	    qr/\Q$g->{token}\E/, 'no token in any audit row');
};

# ---- full exports ----------------------------------------------------------------------

sub plain_of {
	my ($r) = @_;
	my $p = fernet_open($r->{json}{ciphertext});
	ok(defined $p, 'Python Fernet opens the ciphertext') or return;
	is(LTC::json()->encode(LTC::json()->decode($p)), $p, 'plaintext is canonical JSON (sorted keys, no whitespace)');
	return LTC::json()->decode($p);
}

my %plain;
subtest 'full vehicle' => sub {
	my $tok = grant($sa, 'vehicle', $vid)->{json}{token};
	is_detail(full($sa, 'vehicle', $vid), 400, 'missing_export_token', 'no header');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_MISSING|$vid", '... TOKEN_MISSING');
	is_detail(full($sa, 'vehicle', $vid, '   '), 400, 'missing_export_token', 'blank header');
	is_detail(full($sa, 'vehicle', '00000000-0000-4000-8000-000000000000', $tok), 404, 'not_found', 'unknown target');
	is_detail(full($sa, 'vehicle', $vid, 'A' x 43), 403, 'forbidden', 'unknown token');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_INVALID|$vid", '... TOKEN_INVALID');
	my $utok = grant($sa, 'user', $owner->{user_id})->{json}{token};
	is_detail(full($sa, 'vehicle', $vid, $utok), 403, 'forbidden', 'a user token on a vehicle (other kind)');
	my $v2 = $srv->post('/api/vehicles', as($other), json => { vin => 'WVWZZZ1JZ3W386755' })->{json}{id};
	is_detail(full($sa, 'vehicle', $v2, $tok), 403, 'forbidden', 'another target');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_INVALID|$v2", '... TOKEN_INVALID');
	is_detail(full($sa2, 'vehicle', $vid, $tok), 403, 'forbidden', 'another superadmin (other granter)');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_INVALID|$vid", '... TOKEN_INVALID');
	is(sql("SELECT count(*) FROM export_grants WHERE used_at IS NOT NULL AND target_id = '$vid'"), 0,
	    'refusals consume nothing');

	$r = full($sa, 'vehicle', $vid, $tok);
	is($r->{status}, 200, 'full: 200') or diag($r->{body});
	is_deeply([ sort keys %{ $r->{json} } ], [qw(alg ciphertext one_time vehicle_id)], 'answer keys');
	is_deeply([ @{ $r->{json} }{qw(vehicle_id alg)} ], [ $vid, 'fernet' ], 'vehicle_id, alg');
	like($r->{json}{ciphertext}, qr/^gAAAAA[A-Za-z0-9_-]+=*$/, 'a Fernet token, base64url with padding');
	is(length($r->{json}{ciphertext}) % 4, 0, '... padded to a multiple of 4');
	is(last_audit(), "EXPORT_FULL_READY|success||$vid", 'EXPORT_FULL_READY');
	my $p = plain_of($r) or return;
	$plain{vehicle} = $p;
	is_deeply([ sort keys %$p ], [qw(data exported_at id target vehicle)], 'plaintext members');
	is_deeply([ @$p{qw(target id exported_at)} ], [ 'vehicle', $vid, $NOW ], 'target, id, exported_at');
	is_deeply($p->{data}{vehicle}, $p->{vehicle}, 'data.vehicle = vehicle');
	my ($V, $R) = ($p->{vehicle}, $red{vehicle});
	is($V->{$_}, $R->{vehicle}{$_}, "vehicle $_ as redacted") for qw(public_id vin_prefix3 vin_last4 vin_masked created_at);
	is($V->{vin_hmac}, $R->{vin_hmac}, 'vin_hmac as redacted');
	is_deeply([ @$V{qw(owner_user_id deleted_at delete_comment)} ], [ $owner->{user_id}, undef, undef ], 'stored columns');
	is($V->{meta}{nickname}, 'Familienkutsche', 'the full export holds the meta with the nickname');
	ok(!exists $V->{id} && !exists $V->{vin}, 'no internal id, no raw VIN');
	is(scalar @{ $V->{entries} }, 3, 'every revision');
	for my $e (@{ $R->{entries} }) {
		my ($f) = grep { $_->{id} eq $e->{id} } @{ $V->{entries} };
		is_deeply({ map { $_ => $f->{$_} } keys %$e }, $e, "entry $e->{id}: redacted fields equal");
	}
	is_deeply([ map { $_->{version} } grep { $_->{entry_group_id} eq $eid } @{ $V->{entries} } ], [ 1, 2 ],
	    'ordered by group, then version');
	my ($v1) = grep { $_->{id} eq $eid } @{ $V->{entries} };
	is_deeply([ @$v1{qw(note is_latest revision_count owner_user_id created_by_user_id cost_amount)} ],
	    [ 'Geheime Notiz 4711', JSON::PP::false, 2, $owner->{user_id}, $owner->{user_id}, 120.5 ], 'full entry fields');
	is_deeply([ map { $_->{id} } @{ $V->{documents} } ], [ $d_ok, $d_quar, $d_pii, $d_ok2 ],
	    'every non-deleted linked document');
	for my $d (@{ $R->{documents} }) {
		my ($f) = grep { $_->{id} eq $d->{id} } @{ $V->{documents} };
		is_deeply({ map { $_ => $f->{$_} } keys %$d }, $d, "document $d->{id}: redacted fields equal");
	}
	my ($fd) = grep { $_->{id} eq $d_pii } @{ $V->{documents} };
	is_deeply([ @$fd{qw(filename status pii_note pii_confirmed_at)} ], [ 'rechnung_privat_3.pdf', 'APPROVED',
	    'PII Hinweis', undef ], 'DocumentOut with filename, status, pii_confirmed_at');
	ok(!exists $fd->{storage_key}, 'no storage key');
	is_deeply([ @$V{qw(trust_folders addon_states)} ], [ [], [] ], 'folders and add-on states');

	is_detail(full($sa, 'vehicle', $vid, $tok), 403, 'forbidden', 'reused');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_USED|$vid", '... TOKEN_USED');
	my $exp = grant($sa, 'vehicle', $vid)->{json}{token};
	$srv->set_conf(test_now => '2026-03-01T09:05:00Z');
	is_detail(full($sa, 'vehicle', $vid, $exp), 403, 'forbidden', 'expired (now = expires_at)');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_EXPIRED|$vid", '... TOKEN_EXPIRED');
	$srv->set_conf(test_now => $NOW);
	my $ok = grant($sa, 'vehicle', $vid)->{json}{token};
	$srv->set_conf(test_now => '2026-03-01T09:04:59Z');
	is(full($sa, 'vehicle', $vid, $ok)->{status}, 200, 'one second before expiry: 200');
	$srv->set_conf(test_now => $NOW);
};

subtest 'full user and servicebook' => sub {
	my $tok = grant($sa, 'user', $owner->{user_id})->{json}{token};
	$r = full($sa, 'user', $owner->{user_id}, $tok);
	is($r->{status}, 200, 'user full: 200') or diag($r->{body});
	is_deeply([ sort keys %{ $r->{json} } ], [qw(alg ciphertext one_time user_id)], 'answer keys');
	my $p = plain_of($r) or return;
	$plain{user} = $p;
	my ($U, $R) = ($p->{user}, $red{user}{user});
	is_deeply($p->{data}{user}, $U, 'data.user = user');
	is($U->{$_}, $R->{$_}, "user $_ as redacted") for qw(user_id role status created_at email_hmac user_id_hmac);
	is($U->{has_password}, JSON::PP::true, 'has_password');
	is_deeply([ sort map { $_->{doc_type} } @{ $U->{consents} } ], [qw(privacy terms)], 'consents');
	is_deeply($U->{vehicle_ids}, [$vid], 'vehicle_ids');
	ok(!grep({ exists $U->{$_} } qw(email email_enc password_hash)), 'no address, no hashes');
	is_detail(full($sa, 'user', 'no-such-user', $tok), 404, 'not_found', 'unknown user');

	$tok = grant($sa, 'servicebook', $vid)->{json}{token};
	$r = full($sa, 'servicebook', $vid, $tok);
	is($r->{status}, 200, 'servicebook full: 200') or diag($r->{body});
	is($r->{json}{servicebook_id}, $vid, 'servicebook_id');
	$p = plain_of($r) or return;
	$plain{servicebook} = $p;
	my $S = $p->{servicebook};
	is_deeply($p->{data}{servicebook}, $S, 'data.servicebook = servicebook');
	my $RS = $red{servicebook}{servicebook};
	is(scalar @{ $S->{entries} }, scalar @{ $RS->{entries} }, 'same rows');
	for my $i (0 .. $#{ $RS->{entries} }) {
		my ($re, $fe) = ($RS->{entries}[$i], $S->{entries}[$i]);
		is_deeply({ map { $_ => $fe->{$_} } grep { $_ ne 'document_ids' } keys %$re },
		    { map { $_ => $re->{$_} } grep { $_ ne 'document_ids' } keys %$re }, "row $i: redacted fields equal");
	}
	is_deeply($S->{entries}[0]{document_ids}, [ $d_ok, $d_quar, $d_pii ], 'full: every linked id');
	is($S->{entries}[0]{title}, 'Fehlertitel', 'full: the title');
	my $free = full($sa, 'servicebook', 'free-empty', $tok);
	is_detail($free, 404, 'not_found', 'servicebook without entries');
};

subtest 'full masterclipboard' => sub {
	my $tok = grant($sa, 'masterclipboard', $mcs)->{json}{token};
	is_detail(full($sa, 'masterclipboard', $mcs), 400, 'missing_export_token', 'no header');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_MISSING|$mcs", '... TOKEN_MISSING');
	is_detail(full($sa, 'masterclipboard', $mcs, 'B' x 43), 403, 'export_token_invalid', 'unknown token');
	my $vtok = grant($sa, 'vehicle', $vid)->{json}{token};
	is_detail(full($sa, 'masterclipboard', $mcs, $vtok), 403, 'export_token_invalid', 'a vehicle token (other kind)');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_INVALID|$mcs", '... TOKEN_INVALID');
	is_detail(full($sa, 'masterclipboard', 'other-session', $tok), 403, 'export_token_target_mismatch', 'other target');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_INVALID|other-session", '... TOKEN_INVALID');
	is_detail(full($sa2, 'masterclipboard', $mcs, $tok), 403, 'export_token_invalid', 'other granter');
	my $old = grant($sa, 'masterclipboard', $mcs, 'ttl_seconds=60')->{json}{token};
	$srv->set_conf(test_now => '2026-03-01T09:01:00Z');
	is_detail(full($sa, 'masterclipboard', 'other-session', $old), 403, 'export_token_expired',
	    'expired comes before the target check');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_EXPIRED|other-session", '... TOKEN_EXPIRED');
	$srv->set_conf(test_now => $NOW);

	$r = full($sa, 'masterclipboard', $mcs, $tok);
	is($r->{status}, 200, 'full: 200') or diag($r->{body});
	is_deeply($r->{json}{meta}, { export_type => 'masterclipboard', mode => 'full_encrypted', generated_at => $NOW,
	    cipher => 'fernet' }, 'meta');
	is_deeply([ sort keys %{ $r->{json} } ], [qw(ciphertext meta)], 'answer keys');
	my $p = plain_of($r) or return;
	$plain{masterclipboard} = $p;
	my ($C, $R) = ($p->{masterclipboard}, $red{masterclipboard});
	is_deeply($p->{data}{masterclipboard}, $C, 'data.masterclipboard = masterclipboard');
	is_deeply([ @$C{qw(id org_id created_by_user_id vehicle_public_id)} ],
	    [ $mcs, $dealer->{user_id}, $dealer->{user_id}, 'VIN-EXT-99' ], 'session fields');
	is($C->{$_}, $R->{$_}, "$_ as redacted") for qw(id created_at closed_at is_closed);
	is(scalar @{ $C->{speech_chunks} }, $R->{speech_chunk_count}, 'speech chunks: as counted');
	is($C->{speech_chunks}[0]{content_redacted}, 'Sprachinhalt eins', 'speech content in the full export');
	for my $i (0 .. $#{ $R->{triage_items} }) {
		my ($re, $fe) = ($R->{triage_items}[$i], $C->{triage_items}[$i]);
		is_deeply({ map { $_ => $fe->{$_} } grep { $_ ne 'evidence_refs' } keys %$re },
		    { map { $_ => $re->{$_} } grep { $_ ne 'evidence_refs' } keys %$re }, "item $i: redacted fields equal");
	}
	is_deeply($C->{triage_items}[0]{evidence_refs}, [ "doc:$d_ok", "doc:$d_quar", 'photo:7', "doc:$d_del" ],
	    'full: every evidence ref');
	is($C->{board_snapshots}[0]{notes_redacted}, 'Tafelnotiz', 'full: board notes');
	is_detail(full($sa, 'masterclipboard', $mcs, $tok), 409, 'export_token_already_used', 'reused: 409');
	is(last_audit(), "EXPORT_DENIED|denied|TOKEN_USED|$mcs", '... TOKEN_USED');

	my $ghost = grant($sa, 'masterclipboard', 'no-such-session')->{json}{token};
	is_detail(full($sa, 'masterclipboard', 'no-such-session', $ghost), 404, 'not_found', 'session missing: 404');
	is_detail(full($sa, 'masterclipboard', 'no-such-session', $ghost), 409, 'export_token_already_used',
	    '... and the token was consumed');
};

# ---- exactly one of 20 concurrent uses --------------------------------------------------

subtest 'concurrent use' => sub {
	my $tok = grant($sa, 'vehicle', $vid)->{json}{token};
	my $dir = tempdir(CLEANUP => 1);
	my @pids;
	for my $i (1 .. 20) {
		my $pid = fork // die;
		if ($pid == 0) {
			my $x = HTTP::Tiny->new(timeout => 60)->get($srv->base . "/api/export/vehicle/$vid/full",
			    { headers => { Authorization => "Bearer $sa->{token}", 'X-Export-Token' => $tok } });
			open my $fh, '>', "$dir/$i" or POSIX::_exit(1);
			print $fh "$x->{status} $x->{content}";
			close $fh;
			POSIX::_exit(0);
		}
		push @pids, $pid;
	}
	waitpid($_, 0) for @pids;
	my @st = map { my $f = "$dir/$_"; open my $fh, '<', $f or die; local $/; my $s = <$fh>; $s } 1 .. 20;
	push @answers, @st;
	my @codes = map { (split / /, $_, 2)[0] } @st;
	is(scalar(grep { $_ == 200 } @codes), 1, 'exactly one 200') or diag("@codes");
	is(scalar(grep { $_ == 403 } @codes), 19, 'nineteen 403') or diag("@codes");
	is(sql("SELECT count(*) FROM audit_events WHERE action = 'EXPORT_FULL_READY' AND request_id IN (SELECT request_id "
	    . "FROM audit_events WHERE action = 'EXPORT_FULL_READY') AND created_at >= '2026-03-01'"),
	    sql("SELECT count(*) FROM audit_events WHERE action = 'EXPORT_FULL_READY'"), 'audit consistent');
};

# ---- ltcctl export-decrypt --------------------------------------------------------------

subtest 'ltcctl export-decrypt' => sub {
	my $tok = grant($sa, 'user', $other->{user_id})->{json}{token};
	$r = full($sa, 'user', $other->{user_id}, $tok);
	my $py = fernet_open($r->{json}{ciphertext});
	my $dir = tempdir(CLEANUP => 1);
	open my $fh, '>', "$dir/answer.json" or die; print $fh $r->{body}; close $fh;
	my ($rc, $out) = $srv->ltcctl('export-decrypt', "$dir/answer.json");
	is($rc, 0, 'the JSON answer from a file: exit 0');
	is($out, "$py\n", '... prints the plaintext');
	($rc, $out) = $srv->ltcctl('export-decrypt', \"$r->{json}{ciphertext}\n");
	is_deeply([ $rc, $out ], [ 0, "$py\n" ], 'the bare token from stdin');
	(my $nopad = $r->{json}{ciphertext}) =~ s/=+$//;
	($rc, $out) = $srv->ltcctl('export-decrypt', \$nopad);
	is_deeply([ $rc, $out ], [ 0, "$py\n" ], 'without padding');
	(my $bad = $r->{json}{ciphertext}) =~ s/^(.{60})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
	($rc, $out) = $srv->ltcctl('export-decrypt', \$bad);
	is($rc, 1, 'an altered token: exit 1');
	unlike($out, qr/\Q$other->{user_id}\E/, '... and no plaintext');
	($rc, $out) = $srv->ltcctl('export-decrypt', \'{"nothing": 1}');
	is($rc, 1, 'JSON without ciphertext: exit 1');
	($rc) = $srv->ltcctl('export-decrypt', 'a', 'b');
	is($rc, 2, 'two files: usage');
	like(scalar $srv->ltcctl('help'), qr/export-decrypt/, 'listed in help');

	# After a rotation the old secret opens the token as secret_key_previous.
	my $new = 'n' x 40 . 'ew-secret-for-rotation';
	$srv->set_conf(secret_key => $new, secret_key_previous => $secret);
	($rc, $out) = $srv->ltcctl('export-decrypt', "$dir/answer.json");
	is_deeply([ $rc, $out ], [ 0, "$py\n" ], 'previous secret after a rotation');
	$srv->set_conf(secret_key_previous => undef);
	($rc) = $srv->ltcctl('export-decrypt', "$dir/answer.json");
	is($rc, 1, 'neither secret: exit 1');
	$srv->set_conf(secret_key => $secret);
};

# ---- what no export may carry -----------------------------------------------------------

subtest 'no VIN, e-mail or free text' => sub {
	ok(scalar @answers > 50, scalar(@answers) . ' export answers collected');
	my $all = encode_utf8(join "\n", @answers);
	for my $s (@SECRET_TEXT) {
		unlike($all, qr/\Q${\ encode_utf8($s)}\E/i, "no answer contains '$s'");
	}
	for my $e (@EMAILS) {
		unlike($all, qr/\Q$e\E/i, "no answer contains $e");
	}
	unlike($all, qr/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/i, 'no e-mail address at all');
	my $plains = encode_utf8(join "\n", map { LTC::json()->encode($_) } values %plain);
	unlike($plains, qr/\Q$VIN\E/, 'no decrypted full export contains the VIN');
	unlike($plains, qr/@/, 'no decrypted full export contains an e-mail address');
	like($plains, qr/Geheime Notiz 4711/, 'the full export does hold the notes (security.md 11)');
	unlike(sql("SELECT group_concat(ifnull(metadata_json, ''), ' ') FROM audit_events WHERE target_type = 'EXPORT_JOB'"),
	    qr/$VIN|@|Notiz/, 'no VIN, address or note in export audit rows');
	unlike($srv->cgi_log, qr/\Q$VIN\E|Notiz|gAAAAA/, 'the request log carries neither VIN, note nor token');
};

$srv->direct('export', $owner, 'GET', "/vehicle/$vid");
$srv->direct('export', $sa, 'GET', "/vehicle/$vid/full");
$srv->stop;
unlike($srv->cgi_log, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report from any CGI');
done_testing;
