#!/usr/bin/perl
# /api/documents over HTTP (api.md 9, domain.md 5.2, 6, 14, 16, 19;
# security.md 8): policies, the upload's check order with real PDF, PNG
# and JPEG files, refusals that leave nothing behind, review and PII
# workflow, evidence downloads, soft delete with tombstone, the trust
# effect, the scanner contract with a script and with real ClamAV, a
# killed upload, ltcctl purge and verify. Real logins, real lighttpd,
# real SQLite.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(run_cgi json build_dir);
use Compress::Zlib qw(compress crc32);
use Digest::MD5 qw(md5_hex);
use Digest::SHA qw(sha256_hex);
use File::Temp qw(tempdir);
use MIME::Base64 qw(decode_base64);
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);
use Test::More;

my $srv = LTC->new_lighttpd;
my $NOW = '2026-03-01T09:00:00Z';
# The clock stands still: no rate-limit window would ever end.
$srv->set_conf(test_now => $NOW, rl_upload_limit => 100000);
my $DATA = $srv->data;
my $STORE = "$DATA/storage";

sub who { $srv->login(@_) }

# ---- files made here ------------------------------------------------------

my $PDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages "
    . "/Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
sub png_chunk { my ($t, $d) = @_; pack('N', length $d) . $t . $d . pack('N', crc32($t . $d)) }
# 1x1 RGB, one filter byte and one white pixel.
my $PNG = "\x89PNG\r\n\x1a\n" . png_chunk('IHDR', pack('NNCCCCC', 1, 1, 8, 2, 0, 0, 0))
    . png_chunk('IDAT', compress("\0\xff\xff\xff")) . png_chunk('IEND', '');
# A 1x1 baseline JFIF JPEG.
my $JPG = decode_base64('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////////////////////////////////////'
    . '//////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=');
my $HTML = "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n";
my $SVG = qq{<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n};

# ---- multipart --------------------------------------------------------------

my $B = 'ltcTestBoundary7MA4YWxk';
sub mp {
	my $s = '';
	for my $p (@_) {
		$s .= "--$B\r\nContent-Disposition: form-data; name=\"$p->{name}\"";
		$s .= "; filename=\"$p->{filename}\"" if defined $p->{filename};
		$s .= "\r\n";
		$s .= "Content-Type: $p->{type}\r\n" if defined $p->{type};
		$s .= "\r\n$p->{data}\r\n";
	}
	return $s . "--$B--\r\n";
}
sub fpart { my ($fn, $type, $data) = @_; { name => 'file', filename => $fn, type => $type, data => $data } }
sub tpart { my ($n, $v) = @_; { name => $n, data => $v } }
sub upload {
	my ($u, $body, %h) = @_;
	return $srv->req('POST', '/api/documents/upload', token => $u->{token}, body => $body,
	    headers => { 'Content-Type' => "multipart/form-data; boundary=$B", %h });
}
sub up_pdf { my ($u, @more) = @_; upload($u, mp(fpart('rechnung.pdf', 'application/pdf', $PDF), @more)) }

sub call {
	my ($m, $path, $u, %o) = @_;
	return $srv->req($m, "/api/documents$path", $u ? (token => $u->{token}) : (), %o);
}
sub sql { $srv->sqlite($_[0]) }
sub audits {
	my ($action, $target) = @_;
	return sql("SELECT count(*) FROM audit_events WHERE action = '$action'"
	    . (defined $target ? " AND target_id = '$target'" : ''));
}
sub last_audit {
	my ($action) = @_;
	return sql("SELECT result || '|' || coalesce(reason_code, '') || '|' || scope || '|' || actor_type || '|' "
	    . "|| coalesce(target_id, '') || '|' || coalesce(metadata_json, '') FROM audit_events "
	    . "WHERE action = '$action' ORDER BY rowid DESC LIMIT 1");
}
sub items { [ map { join ':', $_->{type}, join(',', @{ $_->{loc} }) } @{ $_[0]{json}{detail} // [] } ] }
sub files_under {
	my ($dir) = @_;
	my @f;
	my @todo = ($dir);
	while (my $d = shift @todo) {
		opendir my $h, $d or next;
		for my $e (grep { $_ ne '.' && $_ ne '..' } readdir $h) {
			-d "$d/$e" ? push(@todo, "$d/$e") : push(@f, "$d/$e");
		}
	}
	return sort @f;
}
sub read_file { open my $fh, '<:raw', $_[0] or return ''; local $/; <$fh> }
sub stored { scalar(() = files_under("$STORE/documents")) }
sub spooled { scalar(() = files_under("$STORE/tmp")) }

my $alice = who(role => 'vip');
my $bob = who(role => 'user');
my $admin = who(role => 'admin');
my $sa = who(role => 'superadmin');

my $vseq = 0;
sub vehicle {
	my ($u, $meta, @levels) = @_;
	my $r = $srv->req('POST', '/api/vehicles', token => $u->{token}, json => {
	    vin => sprintf('WVWZZZ1JZ3W%06d', ++$vseq), defined $meta ? (meta => $meta) : () });
	die "vehicle: $r->{body}" unless $r->{status} == 200;
	my $id = $r->{json}{id};
	my @e;
	for my $l (@levels) {
		my $e = $srv->req('POST', "/api/vehicles/$id/entries", token => $u->{token}, json => {
		    date => '2026-01-15', type => 'Service', performed_by => 'Fachwerkstatt', km => 1000,
		    trust_level => $l });
		die "entry: $e->{body}" unless $e->{status} == 201;
		push @e, $e->{json}{id};
	}
	return ($id, @e);
}
my ($va, $ea) = vehicle($alice, { accident_status => 'accident_free' }, 'T2');
my ($vb, $eb) = vehicle($bob, undef, 'T1');

# ---- policies (api.md 1, 1.1, 9) ----------------------------------------------

my $DOC0 = '0' x 32;
my @ROUTES = (['POST', '/upload'], ['GET', ''], ['GET', '/admin/quarantine'], ['GET', "/$DOC0"],
    ['GET', "/$DOC0/download"], ['POST', "/$DOC0/scan"], ['POST', "/$DOC0/rescan"],
    ['POST', "/$DOC0/approve"], ['POST', "/$DOC0/reject"], ['POST', "/$DOC0/pii"], ['DELETE', "/$DOC0"]);
my %ADMIN_ONLY = map { $_ => 1 } ('/admin/quarantine', "/$DOC0/scan", "/$DOC0/rescan",
    "/$DOC0/approve", "/$DOC0/reject");
{
	for my $rt (@ROUTES) {
		my $r = call($rt->[0], $rt->[1], undef, $rt->[0] eq 'GET' ? () : (json => {}));
		is($r->{status}, 401, "anonymous $rt->[0] $rt->[1]: 401");
	}
	my $mod = who(role => 'moderator', consent => 0);
	my $n0 = sql("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = "
	    . "'MODERATOR_BLOCK' AND actor_id = '$mod->{user_id}'");
	for my $rt (@ROUTES) {
		my $r = call($rt->[0], $rt->[1], $mod, $rt->[0] eq 'GET' ? () : (json => {}));
		is($r->{status}, 403, "moderator $rt->[0] $rt->[1]: 403");
		is_deeply($r->{json}, { detail => 'forbidden' }, "moderator $rt->[1]: detail forbidden");
	}
	is(sql("SELECT count(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND reason_code = "
	    . "'MODERATOR_BLOCK' AND actor_id = '$mod->{user_id}'") - $n0, scalar @ROUTES,
	    'moderator: one ACCESS_DENIED MODERATOR_BLOCK per route');
	# Every non-admin role, even for unknown ids and empty bodies.
	for my $role (qw(public user vip dealer)) {
		my $u = who(role => $role);
		for my $rt (grep { $ADMIN_ONLY{ $_->[1] } } @ROUTES) {
			my $r = call($rt->[0], $rt->[1], $u, $rt->[0] eq 'GET' ? () : (json => {}));
			is($r->{status}, 403, "$role $rt->[0] $rt->[1]: 403");
			is_deeply($r->{json}, { detail => 'forbidden' }, "$role $rt->[1]: forbidden");
		}
		if ($role eq 'public') {
			my $r = call('GET', '', $u);
			is($r->{status}, 403, 'public: owner routes 403 too');
		}
	}
	# Consent gate on owner routes, not on admin routes.
	my $fresh = who(role => 'user', consent => 0);
	my $r = up_pdf($fresh);
	is($r->{status}, 403, 'no consent: upload 403');
	is_deeply($r->{json}, { detail => 'consent_required' }, 'detail consent_required');
	is(call('GET', '', $fresh)->{json}{detail}, 'consent_required', 'no consent: list 403');
	my $adm0 = who(role => 'admin', consent => 0);
	is(call('GET', '/admin/quarantine', $adm0)->{status}, 200, 'admin routes: no consent gate');
	is(call('POST', "/$DOC0/approve", $adm0)->{status}, 404, 'admin approve, unknown id, no consent: 404');
	is(call('GET', "/$DOC0", $adm0)->{json}{detail}, 'consent_required', 'admin GET detail: consent gate');
	is(call('GET', '/' . ('a' x 200), $alice)->{status}, 404, 'id over 128 characters: 404');
}

# ---- upload: success ------------------------------------------------------------

my %doc;	# name -> DocumentOut
{
	my $r = up_pdf($alice, tpart(vehicle_id => $va), tpart(entry_id => $ea));
	is($r->{status}, 200, 'PDF upload: 200') or diag($r->{body});
	my $d = $doc{pdf} = $r->{json};
	like($d->{id}, qr/^[0-9a-f]{32}$/, 'id: 32 lowercase hex');
	is_deeply([ sort keys %$d ], [ sort qw(id filename content_type size_bytes approval_status status scan_status
	    pii_status checksum_sha256 vehicle_id entry_id owner_user_id created_by_user_id created_at
	    approved_by_user_id approved_at rejected_by_user_id rejected_at reject_reason pii_marked_by_user_id
	    pii_marked_at pii_note deleted_at) ], 'DocumentOut keys');
	is_deeply([ @$d{qw(filename content_type size_bytes approval_status status scan_status pii_status
	    checksum_sha256 vehicle_id entry_id owner_user_id created_by_user_id created_at)} ],
	    [ 'rechnung.pdf', 'application/pdf', length $PDF, 'QUARANTINED', 'QUARANTINED', 'PENDING', 'OK',
	    sha256_hex($PDF), $va, $ea, $alice->{user_id}, $alice->{user_id}, $NOW ], 'DocumentOut values');
	ok(!defined $d->{$_}, "$_ null") for qw(approved_by_user_id approved_at rejected_by_user_id rejected_at
	    reject_reason pii_marked_by_user_id pii_marked_at pii_note deleted_at);
	my $key = sql("SELECT storage_key FROM documents WHERE id = '$d->{id}'");
	is($key, 'documents/' . substr($d->{id}, 0, 2) . "/$d->{id}", 'storage key: random id only');
	my $path = "$STORE/$key";
	is(read_file($path), $PDF, 'stored bytes identical');
	is(sprintf('%o', (stat $path)[2] & 07777), '600', 'file mode 0600');
	is(sprintf('%o', (stat "$STORE/documents/" . substr($d->{id}, 0, 2))[2] & 07777), '700', 'dir mode 0700');
	is(spooled(), 0, 'nothing left in tmp/');
	my $a = last_audit('UPLOAD_RECEIVED');
	like($a, qr/^success\|\|own\|user\|$d->{id}\|/, 'UPLOAD_RECEIVED row');
	is_deeply(json()->decode((split /\|/, $a, 6)[5]), { content_type => 'application/pdf',
	    size_bytes => length $PDF, vehicle_linked => JSON::PP::true }, 'UPLOAD_RECEIVED metadata');
	is(sql("SELECT count(*) FROM audit_events WHERE metadata_json LIKE '%rechnung%'"), 0,
	    'the filename is in no audit row');
	unlike($srv->cgi_log, qr/rechnung/, 'the filename is in no log line');

	$r = upload($alice, mp(fpart('Foto.PNG', 'IMAGE/PNG; name=x', $PNG)));
	is($r->{status}, 200, 'PNG upload (upper-case extension and type, parameters): 200') or diag($r->{body});
	$doc{png} = $r->{json};
	is($r->{json}{content_type}, 'image/png', 'PNG content type');
	ok(!defined $r->{json}{vehicle_id}, 'unlinked: vehicle_id null');
	$r = upload($alice, mp(tpart(vehicle_id => ''), tpart(entry_id => ''),
	    fpart('scan.jpeg', 'image/jpeg', $JPG), tpart(comment => 'ignored')));
	is($r->{status}, 200, 'JPEG upload, empty text parts count as absent: 200') or diag($r->{body});
	$doc{jpg} = $r->{json};
	is($r->{json}{content_type}, 'image/jpeg', 'JPEG content type');
	$r = upload($alice, mp(fpart('x.jpg', 'image/jpeg', $JPG)));
	is($r->{status}, 200, '.jpg is JPEG too');

	# Admins may upload to any vehicle: the vehicle's owner owns it.
	$r = up_pdf($admin, tpart(vehicle_id => $va));
	is($r->{status}, 200, 'admin upload to a user vehicle: 200');
	is($r->{json}{owner_user_id}, $alice->{user_id}, 'owner = the vehicle owner');
	is($r->{json}{created_by_user_id}, $admin->{user_id}, 'created_by = the admin');
	$doc{by_admin} = $r->{json};
	like(last_audit('UPLOAD_RECEIVED'), qr/^success\|\|global\|/, 'admin upload: scope global');

	# A name with path parts and a tab: only a label, never a path.
	$r = upload($alice, mp(fpart("..\\../../etc/pass\twd .pdf", 'application/pdf', $PDF)));
	is($r->{status}, 200, 'filename with ../ and a tab: 200') or diag($r->{body});
	is($r->{json}{filename}, '.._.._.._etc_pass_wd_.pdf', 'sanitised as security.md 8.3');
	ok(!-e "$DATA/etc" && !-e "$STORE/etc", 'nothing written outside storage');
	$doc{odd} = $r->{json};
	$r = upload($alice, mp(fpart('  ', 'application/pdf', $PDF)));
	is($r->{status}, 415, 'blank filename becomes upload.bin: no allowed extension');
}

# ---- upload: refusals in the order of api.md 9.1 ---------------------------------

{
	my $n_rows = sql('SELECT count(*) FROM documents');
	my $n_files = stored();
	my $refused0 = audits('UPLOAD_REFUSED');
	my $r;

	# 4. 422
	$r = $srv->req('POST', '/api/documents/upload', token => $alice->{token}, json => {});
	is($r->{status}, 422, 'JSON body: 422');
	is_deeply(items($r), ['value_error:body'], 'value_error at body');
	$r = upload($alice, mp(tpart(vehicle_id => $va)));
	is_deeply(items($r), ['missing:form,file'], 'no file part: missing at form.file');
	$r = upload($alice, mp(fpart('a.pdf', 'application/pdf', $PDF), fpart('b.pdf', 'application/pdf', $PDF)));
	is($r->{status}, 422, 'two file parts: 422');
	is_deeply(items($r), ['value_error:form,file'], 'value_error at form.file');
	$r = upload($alice, mp(tpart(file => 'not a file')));
	is_deeply(items($r), ['value_error:form,file'], 'file as a text part: value_error');
	$r = upload($alice, mp(fpart('a.pdf', 'application/pdf', $PDF), tpart(entry_id => $ea)));
	is_deeply(items($r), ['value_error:form,entry_id'], 'entry_id without vehicle_id');
	$r = upload($alice, mp(tpart(entry_id => $ea)));
	is_deeply(items($r), ['missing:form,file', 'value_error:form,entry_id'], 'both, in field order');
	my $body = mp(fpart('a.pdf', 'application/pdf', $PDF));
	$r = upload($alice, substr($body, 0, length($body) - 12));
	is($r->{status}, 422, 'truncated multipart body: 422');
	is_deeply(items($r), ['value_error:body'], 'truncated: value_error at body');
	$r = upload($alice, "--$B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\x01.pdf\"\r\n"
	    . "Content-Type: application/pdf\r\n\r\n$PDF\r\n--$B--\r\n");
	is_deeply(items($r), ['value_error:body'], 'control character in a part header: value_error at body');
	$r = $srv->req('POST', '/api/documents/upload', token => $alice->{token}, body => $body,
	    headers => { 'Content-Type' => 'multipart/form-data' });
	is_deeply(items($r), ['value_error:body'], 'no boundary: value_error at body');
	$r = upload($alice, mp(map { tpart("p$_" => 'x') } 1 .. 11));
	is_deeply(items($r), ['value_error:body'], 'more than 10 parts: value_error at body');
	is(audits('UPLOAD_REFUSED'), $refused0, '422s write no UPLOAD_REFUSED');

	# 6. extension
	my $refused = $refused0;
	for my $c (['image.svg', 'image/svg+xml', $SVG], ['page.html', 'text/html', $HTML],
	    ['rechnung', 'application/pdf', $PDF], ['clip.mp4', 'video/mp4', 'x' x 100]) {
		$r = upload($alice, mp(fpart(@$c)));
		is($r->{status}, 415, "$c->[0]: 415");
		is_deeply($r->{json}, { detail => 'ext_not_allowed' }, "$c->[0]: ext_not_allowed");
		$refused++;
	}
	like(last_audit('UPLOAD_REFUSED'), qr/^denied\|EXT_NOT_ALLOWED\|own\|user\|\|\{"size_bytes":100\}$/,
	    'UPLOAD_REFUSED EXT_NOT_ALLOWED, size only, no target');
	# 7. declared type
	for my $c (['a.pdf', 'application/octet-stream'], ['a.pdf', undef], ['a.png', 'image/svg+xml']) {
		$r = upload($alice, mp(fpart($c->[0], $c->[1], $PDF)));
		is_deeply($r->{json}, { detail => 'mime_not_allowed' }, "declared " . ($c->[1] // 'none')
		    . ': 415 mime_not_allowed');
		$refused++;
	}
	like(last_audit('UPLOAD_REFUSED'), qr/^denied\|MIME_NOT_ALLOWED\|/, 'MIME_NOT_ALLOWED audited');
	# 8. the three signals
	for my $c (['PDF renamed .png', 'scan.png', 'image/png', $PDF],
	    ['HTML declared image/png', 'scan.png', 'image/png', $HTML],
	    ['SVG renamed .png', 'logo.png', 'image/png', $SVG],
	    ['extension and type disagree', 'scan.pdf', 'image/png', $PNG],
	    ['PNG declared and named PDF', 'a.pdf', 'application/pdf', $PNG],
	    ['empty file', 'leer.pdf', 'application/pdf', ''],
	    ['JPEG as PNG', 'x.png', 'image/png', $JPG]) {
		$r = upload($alice, mp(fpart(@$c[1 .. 3])));
		is($r->{status}, 415, "$c->[0]: 415");
		is_deeply($r->{json}, { detail => 'content_type_mismatch' }, "$c->[0]: content_type_mismatch");
		$refused++;
	}
	like(last_audit('UPLOAD_REFUSED'), qr/^denied\|CONTENT_MISMATCH\|/, 'CONTENT_MISMATCH audited');
	# 5 before 6: an oversize file with a bad extension is too large.
	$srv->set_conf(upload_max_bytes => 1000);
	$r = upload($alice, mp(fpart('big.svg', 'image/svg+xml', 'x' x 1001)));
	is($r->{status}, 413, 'file over upload_max_bytes: 413');
	is_deeply($r->{json}, { detail => 'too_large' }, 'too_large');
	like(last_audit('UPLOAD_REFUSED'), qr/^denied\|TOO_LARGE\|own\|user\|\|\{"size_bytes":1001\}$/,
	    'UPLOAD_REFUSED TOO_LARGE with the size');
	$refused++;
	$r = upload($alice, mp(fpart('ok.pdf', 'application/pdf', $PDF . (' ' x (1000 - length $PDF)))));
	is($r->{status}, 200, 'exactly upload_max_bytes: 200');
	$n_rows++;
	$n_files++;
	# 3. CONTENT_LENGTH over the limit + 64 KiB: refused before the body is read.
	my $before = audits('UPLOAD_REFUSED');
	$r = upload($alice, mp(fpart('big.pdf', 'application/pdf', 'x' x (1000 + 65536))));
	is($r->{status}, 413, 'CONTENT_LENGTH over limit + 64 KiB: 413');
	is(audits('UPLOAD_REFUSED'), $before, 'the early 413 is not an UPLOAD_REFUSED');
	$srv->set_conf(upload_max_bytes => undef);

	is(audits('UPLOAD_REFUSED'), $refused, 'one UPLOAD_REFUSED per refusal of steps 5-8');
	is(sql('SELECT count(*) FROM documents'), $n_rows, 'no row for any refusal');
	is(stored(), $n_files, 'no file in documents/ for any refusal');
	is(spooled(), 0, 'no spooled file left in tmp/');

	# 9. links
	$r = up_pdf($alice, tpart(vehicle_id => '00000000-0000-4000-8000-000000000000'));
	is_deeply([ $r->{status}, $r->{json} ], [ 404, { detail => 'not_found' } ], 'unknown vehicle: 404');
	$r = up_pdf($alice, tpart(vehicle_id => 'v' x 129));
	is($r->{status}, 404, 'vehicle_id over 128 characters: 404');
	$r = up_pdf($alice, tpart(vehicle_id => $vb));
	is_deeply([ $r->{status}, $r->{json} ], [ 403, { detail => 'forbidden' } ], "another's vehicle: 403");
	$r = up_pdf($alice, tpart(vehicle_id => $va), tpart(entry_id => $eb));
	is_deeply([ $r->{status}, $r->{json} ], [ 404, { detail => 'entry_not_found' } ],
	    "an entry of another vehicle: 404 entry_not_found");
	$r = up_pdf($alice, tpart(vehicle_id => $va), tpart(entry_id => 'nope'));
	is($r->{json}{detail}, 'entry_not_found', 'unknown entry: 404 entry_not_found');
	# 8 before 9
	$r = upload($alice, mp(fpart('a.png', 'image/png', $PDF), tpart(vehicle_id => $vb)));
	is($r->{json}{detail}, 'content_type_mismatch', 'type checks come before link checks');
	# A revision that is no longer the latest still names the entry.
	my $rev = $srv->req('POST', "/api/vehicles/$va/entries/$ea/revisions", token => $alice->{token},
	    json => { date => '2026-01-16', type => 'Service', performed_by => 'Fachwerkstatt', km => 1100,
	    trust_level => 'T2' });
	is($rev->{status}, 201, 'entry revised');
	$r = up_pdf($alice, tpart(vehicle_id => $va), tpart(entry_id => $ea));
	is($r->{status}, 200, 'an older revision of the vehicle\'s entry: 200');
	$doc{old_rev} = $r->{json};
	# A deleted vehicle.
	my ($vd) = vehicle($alice);
	is($srv->req('DELETE', "/api/vehicles/$vd", token => $alice->{token}, json => { reason => 'sold' })->{status},
	    200, 'vehicle deleted');
	$r = up_pdf($admin, tpart(vehicle_id => $vd));
	is($r->{status}, 404, 'a deleted vehicle: 404, admins too');
	is(spooled(), 0, 'tmp/ still empty');
}

# ---- rate limit (domain.md 16) -----------------------------------------------------

{
	my $carol = who(role => 'vip');
	$srv->set_conf(rl_upload_limit => 2);
	is(up_pdf($carol)->{status}, 200, 'upload 1 of 2');
	is(upload($carol, 'garbage')->{status}, 422, 'upload 2 of 2 (a refusal counts too)');
	my $r = up_pdf($carol);
	is($r->{status}, 429, 'third upload in the window: 429');
	is_deeply($r->{json}, { detail => 'rate_limited' }, 'rate_limited');
	like($r->{headers}{'retry-after'}, qr/^\d+$/, 'Retry-After');
	ok($r->{headers}{'retry-after'} <= 600 && $r->{headers}{'retry-after'} >= 1, 'Retry-After within the window');
	is(sql("SELECT count FROM rate_limits WHERE key = 'rl:upload:user:$carol->{user_id}'"), 2,
	    'refused request not counted');
	$srv->set_conf(rl_upload_limit => 100000);
	is(up_pdf($alice)->{status}, 200, 'another user is not limited');
}

# ---- reads ---------------------------------------------------------------------------

{
	my $r = call('GET', '', $alice);
	is($r->{status}, 200, 'list: 200');
	my @ids = map { $_->{id} } @{ $r->{json} };
	is(scalar(grep { $_ eq $doc{pdf}{id} } @ids), 1, 'own document listed');
	my $seq_order = sql("SELECT group_concat(id, ',') FROM (SELECT id FROM documents WHERE owner_user_id = "
	    . "'$alice->{user_id}' AND deleted_at IS NULL ORDER BY created_at DESC, seq DESC)");
	is(join(',', @ids), $seq_order, 'newest first, later insert first on equal times');
	is($ids[-1], $doc{pdf}{id}, 'the first upload comes last');
	ok(!grep({ $_->{owner_user_id} ne $alice->{user_id} } @{ $r->{json} }), 'only own documents');
	is_deeply(call('GET', '', $bob)->{json}, [], "bob sees none of alice's");
	$r = call('GET', "?vehicle_id=$va", $alice);
	is($r->{status}, 200, 'list by vehicle: 200');
	ok(!grep({ ($_->{vehicle_id} // '') ne $va } @{ $r->{json} }), 'only that vehicle');
	is(call('GET', '?vehicle_id=', $alice)->{status}, 200, 'empty vehicle_id counts as absent');
	is(call('GET', "?vehicle_id=$va", $bob)->{status}, 403, "another's vehicle: 403");
	is(call('GET', '?vehicle_id=nope', $alice)->{status}, 404, 'unknown vehicle: 404');
	my $adm = call('GET', "?vehicle_id=$va", $admin);
	is(scalar @{ $adm->{json} }, scalar @{ $r->{json} }, 'admin sees the vehicle\'s documents');

	$r = call('GET', "/$doc{pdf}{id}", $alice);
	is_deeply($r->{json}, $doc{pdf}, 'owner reads metadata');
	is(call('GET', "/$doc{pdf}{id}/", $alice)->{status}, 200, 'trailing slash');
	is_deeply([ call('GET', "/$doc{pdf}{id}", $bob)->@{qw(status json)} ], [ 403, { detail => 'forbidden' } ],
	    'another user: 403');
	is(call('GET', "/$doc{pdf}{id}", $admin)->{status}, 200, 'admin reads metadata');
	is_deeply([ call('GET', "/$DOC0", $alice)->@{qw(status json)} ], [ 404, { detail => 'not_found' } ],
	    'unknown: 404');

	$r = call('GET', '/admin/quarantine', $admin);
	is($r->{status}, 200, 'quarantine: 200');
	ok(!grep({ $_->{approval_status} ne 'QUARANTINED' } @{ $r->{json} }), 'only QUARANTINED');
	ok(scalar(grep { $_->{id} eq $doc{png}{id} } @{ $r->{json} }), 'the new upload is in it');
}

# ---- download before review ---------------------------------------------------------

sub download { my ($u, $id) = @_; call('GET', "/$id/download", $u) }
{
	my $id = $doc{pdf}{id};
	my $r = download($alice, $id);
	is_deeply([ $r->{status}, $r->{json} ], [ 403, { detail => 'forbidden' } ], 'owner, quarantined: 403');
	$r = download($bob, $id);
	is($r->{status}, 403, 'another user: 403');
	$r = download($admin, $id);
	is($r->{status}, 200, 'admin downloads a quarantined file');
	is($r->{body}, $PDF, 'byte-identical');
	is($r->{headers}{'content-type'}, 'application/pdf', 'Content-Type');
	is($r->{headers}{'content-length'}, length $PDF, 'Content-Length');
	is($r->{headers}{'content-disposition'}, 'attachment; filename="rechnung.pdf"', 'Content-Disposition');
	is($r->{headers}{'x-content-type-options'}, 'nosniff', 'nosniff');
	is($r->{headers}{'content-security-policy'}, "default-src 'none'; sandbox", 'sandbox CSP');
	is($r->{headers}{'cache-control'}, 'no-store', 'no-store');
	like(last_audit('DOCUMENT_DOWNLOADED'), qr/^success\|\|global\|user\|$id\|$/, 'DOCUMENT_DOWNLOADED');
	is(download($admin, $DOC0)->{status}, 404, 'unknown: 404');
	my $h = $srv->req('HEAD', "/api/documents/$id/download", token => $admin->{token});
	is($h->{status}, 200, 'HEAD: 200');
	is($h->{body}, '', 'HEAD: no body');
}

# ---- scan (api.md 9.6) ----------------------------------------------------------------

sub scan { my ($u, $id, $s) = @_; call('POST', "/$id/scan", $u, json => { defined $s ? (scan_status => $s) : () }) }
{
	my $r = scan($admin, $doc{pdf}{id}, 'MAYBE');
	is_deeply(items($r), ['enum:body,scan_status'], 'scan: other value 422 enum');
	is_deeply(items(scan($admin, $doc{pdf}{id})), ['missing:body,scan_status'], 'scan: missing');
	is_deeply(items(call('POST', "/$doc{pdf}{id}/scan", $admin)), ['missing:body'], 'scan: no body');
	is(scan($admin, $DOC0, 'CLEAN')->{status}, 404, 'scan unknown: 404');
	is(scan($admin, $DOC0, 'X')->{status}, 422, '422 before 404');
	$r = scan($admin, $doc{pdf}{id}, 'CLEAN');
	is($r->{status}, 200, 'scan CLEAN: 200');
	is($r->{json}{scan_status}, 'CLEAN', 'scan_status CLEAN');
	is($r->{json}{approval_status}, 'QUARANTINED', 'approval unchanged');
	like(last_audit('UPLOAD_SCANNED_CLEAN'), qr/^success\|\|global\|user\|$doc{pdf}{id}\|\{"manual":true\}$/,
	    'UPLOAD_SCANNED_CLEAN manual');
	ok(sql("SELECT scanned_at FROM documents WHERE id = '$doc{pdf}{id}'") =~ /^2026-03-01T09:00:00/, 'scanned_at');

	# INFECTED rejects; the rejection is final.
	$r = scan($admin, $doc{jpg}{id}, 'INFECTED');
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status rejected_by_user_id reject_reason)} ],
	    [ 'INFECTED', 'REJECTED', $admin->{user_id}, 'infected_auto_reject' ], 'INFECTED: auto-reject by the admin');
	is($r->{json}{rejected_at}, $NOW, 'rejected_at');
	like(last_audit('UPLOAD_REJECTED'), qr/\{"auto":true\}$/, 'UPLOAD_REJECTED auto');
	$r = scan($admin, $doc{jpg}{id}, 'CLEAN');
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status reject_reason)} ],
	    [ 'CLEAN', 'REJECTED', 'infected_auto_reject' ], 'a later CLEAN changes only the scan');
	$r = call('POST', "/$doc{jpg}{id}/approve", $admin);
	is_deeply([ $r->{status}, $r->{json} ], [ 409, { detail => 'document_rejected' } ],
	    'REJECTED never approvable, even after CLEAN');
	for my $s (qw(PENDING ERROR)) {
		is(scan($admin, $doc{odd}{id}, $s)->{json}{scan_status}, $s, "scan $s");
		ok(audits("UPLOAD_SCANNED_$s", $doc{odd}{id}) == 1, "UPLOAD_SCANNED_$s audited");
	}
}

# ---- approve (api.md 9.8) -------------------------------------------------------------

sub approve { call('POST', "/$_[1]/approve", $_[0]) }
{
	my $id = $doc{png}{id};
	my $r = approve($admin, $id);
	is_deeply([ $r->{status}, $r->{json} ], [ 409, { detail => 'not_scanned_clean' } ], 'PENDING: 409 not_scanned_clean');
	scan($admin, $id, 'CLEAN');
	is(call('POST', "/$id/pii", $alice, json => { pii_status => 'SUSPECTED' })->{status}, 200, 'owner flags PII');
	$r = approve($admin, $id);
	is_deeply([ $r->{status}, $r->{json} ], [ 409, { detail => 'pii_not_cleared' } ], 'SUSPECTED: 409 pii_not_cleared');
	$r = call('POST', "/$id/pii", $admin, json => { pii_status => 'OK', note => "  geprüft \n " });
	is($r->{status}, 200, 'admin clears PII');
	is($r->{json}{pii_note}, 'geprüft', 'note trimmed');
	like(last_audit('DOCUMENT_PII_MARKED'), qr/\{"admin_override":true,"pii_status":"OK"\}$|\{"pii_status":"OK","admin_override":true\}$/,
	    'admin OK: admin_override');
	$r = approve($admin, $id);
	is($r->{status}, 200, 'approve: 200');
	is_deeply([ @{ $r->{json} }{qw(approval_status status approved_by_user_id approved_at)} ],
	    [ 'APPROVED', 'APPROVED', $admin->{user_id}, $NOW ], 'approved fields');
	like(last_audit('UPLOAD_APPROVED'), qr/^success\|\|global\|user\|$id\|/, 'UPLOAD_APPROVED');
	my $n = audits('UPLOAD_APPROVED', $id);
	is(approve($sa, $id)->{json}{approved_by_user_id}, $admin->{user_id}, 'already APPROVED: 200 unchanged');
	is(audits('UPLOAD_APPROVED', $id), $n, 'no second UPLOAD_APPROVED');
	is(approve($admin, $DOC0)->{status}, 404, 'approve unknown: 404');

	# The owner downloads exactly the uploaded bytes, only now.
	$r = download($alice, $id);
	is($r->{status}, 200, 'owner downloads valid evidence');
	is($r->{body}, $PNG, 'byte-identical PNG');
	is($r->{headers}{'content-disposition'}, 'attachment; filename="Foto.PNG"', 'its name');
	like(last_audit('DOCUMENT_DOWNLOADED'), qr/^success\|\|own\|user\|$id\|$/, 'owner download audited, scope own');
	is(download($bob, $id)->{status}, 403, 'another user still 403');
	# A later PII flag ends the evidence.
	call('POST', "/$id/pii", $alice, json => { pii_status => 'SUSPECTED' });
	is(download($alice, $id)->{status}, 403, 'SUSPECTED: owner 403 again');
	is(approve($admin, $id)->{json}{detail}, 'pii_not_cleared', 'approved + SUSPECTED: pii_not_cleared');
	call('POST', "/$id/pii", $admin, json => { pii_status => 'OK' });
	is(download($alice, $id)->{status}, 200, 'cleared: valid again');
	# A scan that is no longer CLEAN ends it too.
	scan($admin, $id, 'PENDING');
	is(download($alice, $id)->{status}, 403, 'approved but PENDING: 403');
	is(approve($admin, $id)->{json}{detail}, 'not_scanned_clean', 'approved + PENDING: not_scanned_clean');
	scan($admin, $id, 'CLEAN');
	# Missing file.
	my $key = sql("SELECT storage_key FROM documents WHERE id = '$id'");
	rename "$STORE/$key", "$STORE/$key.aside" or die;
	$r = download($alice, $id);
	is_deeply([ $r->{status}, $r->{json} ], [ 500, { detail => 'storage_missing' } ], 'file missing: 500 storage_missing');
	rename "$STORE/$key.aside", "$STORE/$key" or die;
}

# ---- reject (api.md 9.9) --------------------------------------------------------------

{
	my $id = $doc{png}{id};
	my $r = call('POST', "/$id/reject", $admin, json => []);
	is_deeply(items($r), ['dict_type:body'], 'reject: body not an object: 422');
	$r = call('POST', "/$id/reject", $admin, json => { reason => 'x' x 501 });
	is_deeply(items($r), ['string_too_long:body,reason'], 'reason over 500: 422');
	is(call('POST', "/$DOC0/reject", $admin)->{status}, 404, 'reject unknown: 404');
	$r = call('POST', "/$id/reject", $admin, json => { reason => "  Unleserlich\nbitte neu  " });
	is($r->{status}, 200, 'reject APPROVED (revokes evidence): 200');
	is_deeply([ @{ $r->{json} }{qw(approval_status rejected_by_user_id reject_reason approved_by_user_id approved_at)} ],
	    [ 'REJECTED', $admin->{user_id}, "Unleserlich\nbitte neu", undef, undef ], 'reject fields, approval cleared');
	like(last_audit('UPLOAD_REJECTED'), qr/\{"reason_provided":true\}$/, 'UPLOAD_REJECTED reason_provided only');
	is(sql("SELECT count(*) FROM audit_events WHERE metadata_json LIKE '%Unleserlich%'"), 0, 'reason not audited');
	is(download($alice, $id)->{status}, 403, 'rejected: owner 403');
	my $n = audits('UPLOAD_REJECTED', $id);
	$r = call('POST', "/$id/reject", $sa, json => { reason => 'zweiter Grund' });
	is($r->{json}{reject_reason}, "Unleserlich\nbitte neu", 'already REJECTED: first reason kept');
	is($r->{json}{rejected_by_user_id}, $admin->{user_id}, 'first rejecter kept');
	is(audits('UPLOAD_REJECTED', $id), $n, 'no audit for the no-op');
	is(approve($admin, $id)->{json}{detail}, 'document_rejected', 'approve after reject: 409');
	$r = call('POST', "/$doc{by_admin}{id}/reject", $admin);
	is($r->{status}, 200, 'reject without a body');
	ok(!defined $r->{json}{reject_reason}, 'no reason: null');
	like(last_audit('UPLOAD_REJECTED'), qr/\{"reason_provided":false\}$/, 'reason_provided false');
}

# ---- PII (api.md 9.10) ----------------------------------------------------------------

sub pii { my ($u, $id, %b) = @_; call('POST', "/$id/pii", $u, json => \%b) }
{
	my $id = $doc{odd}{id};
	is_deeply(items(pii($alice, $id, pii_status => 'MAYBE')), ['enum:body,pii_status'], 'pii: enum');
	is_deeply(items(pii($alice, $id, note => 'x')), ['missing:body,pii_status'], 'pii: missing');
	is_deeply(items(pii($alice, $id, pii_status => 'OK', note => "a\x01b")), ['value_error:body,note'],
	    'pii: control character in note');
	is(pii($alice, $DOC0, pii_status => 'SUSPECTED')->{status}, 404, 'pii unknown: 404');
	is(pii($bob, $id, pii_status => 'SUSPECTED')->{status}, 403, 'pii by another user: 403');
	my $r = pii($alice, $id, pii_status => 'OK');
	is_deeply([ $r->{status}, $r->{json} ], [ 403, { detail => 'forbidden' } ], 'owner may not set OK');
	$r = pii($alice, $id, pii_status => 'CONFIRMED', note => '  ');
	is($r->{status}, 200, 'owner confirms');
	is_deeply([ @{ $r->{json} }{qw(pii_status pii_marked_by_user_id pii_marked_at pii_note)} ],
	    [ 'CONFIRMED', $alice->{user_id}, $NOW, undef ], 'PII fields; blank note is null');
	is(sql("SELECT pii_confirmed_at FROM documents WHERE id = '$id'"), '2026-03-01T09:00:00.000000Z',
	    'pii_confirmed_at stamped');
	like(last_audit('DOCUMENT_PII_MARKED'), qr/^success\|\|own\|user\|$id\|.*"pii_status":"CONFIRMED"/, 'audited');
	like(last_audit('DOCUMENT_PII_MARKED'), qr/"admin_override":false/, 'no override');
	$r = pii($alice, $id, pii_status => 'SUSPECTED');
	is_deeply([ $r->{status}, $r->{json} ], [ 403, { detail => 'forbidden' } ], 'owner may not lower CONFIRMED');
	# Ten minutes later (sessions stay within their idle time).
	$srv->set_conf(test_now => '2026-03-01T09:10:00Z');
	is(pii($admin, $id, pii_status => 'CONFIRMED')->{status}, 200, 'CONFIRMED again');
	is(sql("SELECT pii_confirmed_at FROM documents WHERE id = '$id'"), '2026-03-01T09:00:00.000000Z',
	    'stamped once');
	is(pii($admin, $id, pii_status => 'SUSPECTED')->{json}{pii_status}, 'SUSPECTED', 'admin lowers');
	is(sql("SELECT coalesce(pii_confirmed_at, 'null') FROM documents WHERE id = '$id'"), 'null', 'stamp cleared');
	$srv->set_conf(test_now => $NOW);
	is(pii($admin, $id, pii_status => 'CONFIRMED')->{status}, 200, 'CONFIRMED (for the purge below)');
	is(pii($alice, $doc{old_rev}{id}, pii_status => 'SUSPECTED')->{status}, 200, 'owner flags another');
}

# ---- trust effect (domain.md 4.5, 5.2) ------------------------------------------------------

sub summary { $srv->req('GET', "/api/vehicles/$_[0]/trust-summary", token => $alice->{token})->{json} }
sub public_qr { $srv->req('GET', "/api/public/qr/$_[0]")->{json} }
{
	my ($v) = vehicle($alice, { accident_status => 'accident_free' }, 'T3');
	my $s = summary($v);
	is_deeply([ @$s{qw(trust_light hint)} ], [ 'gruen', 'Dokumentation ist vollständig nachweisbar.' ],
	    'T3, no documents: gruen') or diag(json()->encode($s));
	my $d = up_pdf($alice, tpart(vehicle_id => $v))->{json};
	$s = summary($v);
	is_deeply([ @$s{qw(trust_light hint)} ], [ 'orange',
	    'Dokumente sind noch nicht freigegeben. Nachweise zählen erst nach Prüfung.' ], 'quarantined: orange');
	is(public_qr($v)->{trust_light}, 'orange', 'public QR follows');
	pii($alice, $d->{id}, pii_status => 'SUSPECTED');
	$s = summary($v);
	is_deeply([ $s->{trust_light}, $s->{hint}, $s->{reason_codes} ], [ 'rot',
	    'Dokumente sind noch nicht freigegeben. Nachweise zählen erst nach Prüfung.',
	    [ 'document_quarantined_not_approved', 'pii_suspected_blocks_t3' ] ], 'quarantined + SUSPECTED: rot');
	pii($admin, $d->{id}, pii_status => 'OK');
	scan($admin, $d->{id}, 'CLEAN');
	approve($admin, $d->{id});
	is(summary($v)->{trust_light}, 'gruen', 'approved: gruen again');
	pii($alice, $d->{id}, pii_status => 'SUSPECTED');
	$s = summary($v);
	is_deeply([ $s->{trust_light}, $s->{hint}, $s->{reason_codes} ], [ 'rot',
	    'Offene Datenschutz-Prüfung blockiert die höchste Trust-Stufe.', [ 'pii_suspected_blocks_t3' ] ],
	    'approved, later SUSPECTED: rot');
	is(public_qr($v)->{trust_light}, 'rot', 'public QR: rot');

	# Valid evidence alone makes evidence_status "vorhanden" (T1 entry).
	my ($w) = vehicle($alice, { accident_status => 'accident_free' }, 'T1');
	is(summary($w)->{evidence_status}, 'nicht_vorhanden', 'T1, no document: nicht_vorhanden');
	my $e = up_pdf($alice, tpart(vehicle_id => $w))->{json};
	scan($admin, $e->{id}, 'CLEAN');
	approve($admin, $e->{id});
	is(summary($w)->{evidence_status}, 'vorhanden', 'T1 + valid evidence: vorhanden');
	is(public_qr($w)->{evidence_status}, 'vorhanden', 'public QR too');
	is(call('DELETE', "/$e->{id}", $alice)->{status}, 200, 'evidence deleted');
	is(summary($w)->{evidence_status}, 'nicht_vorhanden', 'deleted documents do not count');
}

# ---- delete (api.md 9.11) ---------------------------------------------------------------------

{
	my $d = up_pdf($alice, tpart(vehicle_id => $va))->{json};
	my $key = sql("SELECT storage_key FROM documents WHERE id = '$d->{id}'");
	ok(-e "$STORE/$key", 'file there');
	is(call('DELETE', "/$d->{id}", $bob)->{status}, 403, 'another user: 403');
	is(call('DELETE', "/$DOC0", $alice)->{status}, 404, 'unknown: 404');
	my $r = call('DELETE', "/$d->{id}", $alice);
	is($r->{status}, 200, 'owner deletes');
	is_deeply($r->{json}, { ok => JSON::PP::true, id => $d->{id}, deleted_at => $NOW }, 'answer');
	ok(!-e "$STORE/$key", 'file removed');
	is(sql("SELECT deleted_by_user_id || '|' || delete_reason || '|' || deleted_at FROM documents WHERE id = '$d->{id}'"),
	    "$alice->{user_id}|owner|2026-03-01T09:00:00.000000Z", 'deletion fields; row kept');
	my $tomb = do { local (@ARGV, $/) = ("$DATA/tombstones.log"); <> };
	like($tomb, qr/^2026-03-01T09:00:00\.000000Z document $d->{id} owner$/m, 'tombstone line');
	like(last_audit('DOCUMENT_DELETED'), qr/^success\|\|own\|user\|$d->{id}\|\{"delete_reason":"owner"\}$/,
	    'DOCUMENT_DELETED');
	is(call('DELETE', "/$d->{id}", $alice)->{status}, 404, 'already deleted: 404');
	is(call('DELETE', "/$d->{id}", $admin)->{status}, 404, 'already deleted: 404 for admins too');
	is(call('GET', "/$d->{id}", $alice)->{status}, 404, 'owner: deleted is 404');
	$r = call('GET', "/$d->{id}", $admin);
	is($r->{json}{deleted_at}, $NOW, 'admin reads the tombstone');
	is(download($admin, $d->{id})->{status}, 404, 'download of a deleted document: 404 for admins');
	is(scan($admin, $d->{id}, 'CLEAN')->{json}{detail}, 'document_deleted', 'scan: 409 document_deleted');
	is(approve($admin, $d->{id})->{json}{detail}, 'document_deleted', 'approve: 409 document_deleted');
	is(call('POST', "/$d->{id}/reject", $admin)->{json}{detail}, 'document_deleted', 'reject: 409');
	is(pii($admin, $d->{id}, pii_status => 'OK')->{json}{detail}, 'document_deleted', 'pii admin: 409');
	is(pii($alice, $d->{id}, pii_status => 'SUSPECTED')->{status}, 404, 'pii owner: 404');
	ok(!grep({ $_->{id} eq $d->{id} } @{ call('GET', '', $alice)->{json} }), 'not listed');
	my $e = up_pdf($alice)->{json};
	is(call('DELETE', "/$e->{id}", $admin)->{status}, 200, 'admin deletes');
	like(last_audit('DOCUMENT_DELETED'), qr/"delete_reason":"admin"/, 'reason admin');
	like(last_audit('DOCUMENT_DELETED'), qr/^success\|\|global\|/, 'scope global');
}

# ---- the scanner contract (security.md 8.5) ------------------------------------------------

my $tools = tempdir(CLEANUP => 1);
my $script = "$tools/scan.sh";
{
	open my $fh, '>', $script or die;
	print $fh <<"SH";
#!/bin/sh
# mode, then the path the server appends
tr '\\0' ' ' < /proc/\$\$/environ > '$tools/env'
echo "\$#|\$2|\$(wc -c)" > '$tools/args'
case "\$1" in
sleep) sleep 30 & echo \$! > '$tools/child'; wait ;;
*) exit "\$1" ;;
esac
SH
	close $fh;
	chmod 0755, $script;
}
{
	my $id = $doc{by_admin}{id};
	my $r = call('POST', "/$DOC0/rescan", $admin);
	is($r->{status}, 404, 'rescan unknown: 404');
	$r = call('POST', "/$doc{pdf}{id}/rescan", $admin);
	is_deeply([ $r->{status}, $r->{json} ], [ 409, { detail => 'scanner_not_configured' } ],
	    'no scanner: 409 scanner_not_configured');

	$srv->set_conf(scanner_command => "$script 0");
	$r = up_pdf($alice);
	is($r->{json}{scan_status}, 'CLEAN', 'scanner exit 0: CLEAN on upload');
	is($r->{json}{approval_status}, 'QUARANTINED', 'still quarantined');
	my $key = sql("SELECT storage_key FROM documents WHERE id = '$r->{json}{id}'");
	is(read_file("$tools/args"), "2|$STORE/$key|0\n", 'argv: the command\'s words plus the absolute path; '
	    . 'stdin empty');
	is(read_file("$tools/env"), 'PATH=/usr/bin:/bin ', 'environment: PATH only');
	like(last_audit('UPLOAD_SCANNED_CLEAN'), qr/^success\|\|global\|system\|$r->{json}{id}\|\{"manual":false\}$/,
	    'UPLOAD_SCANNED_CLEAN by system');

	$srv->set_conf(scanner_command => "$script 1");
	$r = up_pdf($alice);
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status rejected_by_user_id reject_reason)} ],
	    [ 'INFECTED', 'REJECTED', 'system', 'infected_auto_reject' ], 'exit 1: INFECTED, auto-rejected by system');
	my $inf = $r->{json}{id};
	is(audits('UPLOAD_SCANNED_INFECTED', $inf), 1, 'UPLOAD_SCANNED_INFECTED');
	is(audits('UPLOAD_REJECTED', $inf), 1, 'UPLOAD_REJECTED auto');
	is(download($alice, $inf)->{status}, 403, 'infected: owner 403');
	is(download($admin, $inf)->{status}, 200, 'infected: admin may download');

	$srv->set_conf(scanner_command => "$script 2");
	$r = up_pdf($alice);
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status)} ], [ 'PENDING', 'QUARANTINED' ],
	    'exit 2: unchanged');
	like(last_audit('UPLOAD_SCAN_FAILED'), qr/^error\|\|global\|system\|$r->{json}{id}\|/, 'UPLOAD_SCAN_FAILED error');
	my $pending = $r->{json}{id};

	$srv->set_conf(scanner_command => "$script sleep", scanner_timeout_seconds => 1);
	my $t0 = time;
	$r = up_pdf($alice);
	my $took = time - $t0;
	is($r->{json}{scan_status}, 'PENDING', 'timeout: unchanged');
	ok($took < 10, sprintf('timeout after about 1 s (%.1f s)', $took));
	my $child = read_file("$tools/child");
	chomp $child;
	my $state = read_file("/proc/$child/stat") =~ /^\d+ \(.*?\) (\S)/ ? $1 : 'gone';
	ok($child && $state =~ /^(gone|Z)$/, "the scanner's own child was killed too ($state)");

	$srv->set_conf(scanner_command => '/nonexistent/scanner', scanner_timeout_seconds => undef);
	$r = up_pdf($alice);
	is_deeply([ $r->{status}, $r->{json}{scan_status} ], [ 200, 'PENDING' ], 'scanner does not start: PENDING');
	$srv->set_conf(scanner_command => 'scan.sh 0');
	is(up_pdf($alice)->{json}{scan_status}, 'PENDING', 'a relative command never runs (no PATH search)');

	# rescan
	$srv->set_conf(scanner_command => "$script 2");
	$r = call('POST', "/$pending/rescan", $admin);
	is_deeply([ $r->{status}, $r->{json} ], [ 503, { detail => 'scanner_unavailable' } ],
	    'rescan, exit 2: 503 scanner_unavailable');
	like(last_audit('UPLOAD_SCAN_FAILED'), qr/^error\|\|global\|user\|$pending\|/, 'UPLOAD_SCAN_FAILED by the admin');
	is(sql("SELECT scan_status FROM documents WHERE id = '$pending'"), 'PENDING', 'nothing changed');
	$srv->set_conf(scanner_command => "$script 0");
	$r = call('POST', "/$pending/rescan", $admin);
	is_deeply([ $r->{status}, $r->{json}{scan_status} ], [ 200, 'CLEAN' ], 'rescan, exit 0: CLEAN');
	$srv->set_conf(scanner_command => "$script 1");
	$r = call('POST', "/$pending/rescan", $admin);
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status rejected_by_user_id)} ],
	    [ 'INFECTED', 'REJECTED', $admin->{user_id} ], 'rescan, exit 1: rejected by the admin');
	my $gone = up_pdf($alice)->{json}{id};
	call('DELETE', "/$gone", $alice);
	is(call('POST', "/$gone/rescan", $admin)->{json}{detail}, 'document_deleted', 'rescan deleted: 409');
	$srv->set_conf(scanner_command => undef);
}

# ---- real ClamAV -------------------------------------------------------------------------------

SKIP: {
	skip 'clamscan is not installed (Debian package clamav)', 6 unless -x '/usr/bin/clamscan';
	# A one-signature database for a file made here: no download, no freshclam.
	my $db = tempdir(CLEANUP => 1);
	my $bad = $PDF . "% ltc test signature payload $$\n";
	open my $fh, '>', "$db/ltc.hdb" or die;
	print $fh md5_hex($bad) . ':' . length($bad) . ":Ltc.Test.Signature\n";
	close $fh;
	$srv->set_conf(scanner_command => "/usr/bin/clamscan --no-summary -d $db");
	my $r = upload($alice, mp(fpart('infiziert.pdf', 'application/pdf', $bad)));
	is($r->{status}, 200, 'clamscan: upload answered');
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status reject_reason)} ],
	    [ 'INFECTED', 'REJECTED', 'infected_auto_reject' ], 'clamscan: signature hit, auto-rejected');
	$r = up_pdf($alice);
	is_deeply([ @{ $r->{json} }{qw(scan_status approval_status)} ], [ 'CLEAN', 'QUARANTINED' ],
	    'clamscan: clean file CLEAN');
	my $clean = $r->{json}{id};
	$r = call('POST', "/$clean/rescan", $admin);
	is($r->{json}{scan_status}, 'CLEAN', 'clamscan: rescan CLEAN');
	$srv->set_conf(scanner_command => "/usr/bin/clamscan --no-summary -d $db/missing");
	$r = call('POST', "/$clean/rescan", $admin);
	is($r->{status}, 503, 'clamscan without its database (exit 2): 503');
	is(sql("SELECT scan_status FROM documents WHERE id = '$clean'"), 'CLEAN', 'unchanged');
	$srv->set_conf(scanner_command => undef);
}

# ---- kill -9 while the upload CGI writes ------------------------------------------------------

sub ltcctl { $srv->ltcctl(@_) }
{
	my $rows = sql('SELECT count(*) FROM documents');
	my $files = stored();
	my $body = mp(fpart('gross.pdf', 'application/pdf', $PDF . ('0' x 400000)));
	pipe(my $rd, my $wr) or die;
	my $pid = fork // die;
	if ($pid == 0) {
		close $wr;
		open STDIN, '<&', $rd or die;
		open STDOUT, '>', '/dev/null';
		open STDERR, '>', '/dev/null';
		%ENV = (%ENV, LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST', PATH_INFO => '/upload',
		    CONTENT_TYPE => "multipart/form-data; boundary=$B", CONTENT_LENGTH => length($body),
		    HTTP_AUTHORIZATION => "Bearer $alice->{token}", REMOTE_ADDR => '127.0.0.1');
		exec build_dir() . '/cgi-bin/documents' or exit 127;
	}
	close $rd;
	syswrite $wr, substr($body, 0, 200000);
	my $tmp;
	for (1 .. 200) {
		($tmp) = files_under("$STORE/tmp");
		last if $tmp && -s $tmp > 100000;
		sleep 0.05;
	}
	ok($tmp && -s $tmp > 100000, 'the CGI is spooling the body into tmp/');
	kill 'KILL', $pid;
	waitpid $pid, 0;
	is($? & 127, 9, 'upload CGI killed with SIGKILL');
	close $wr;
	is(sql('SELECT count(*) FROM documents'), $rows, 'no row');
	is(stored(), $files, 'no file outside tmp/');
	ok(-e $tmp, 'the temp file is left in tmp/');
	my ($rc, $out) = ltcctl('purge');
	like($out, qr/^upload_temp_files 0$/m, 'a fresh temp file is kept (an upload may still be running)');
	ok(-e $tmp, 'still there');
	utime time - 7200, time - 7200, $tmp;
	($rc, $out) = ltcctl('purge', '--dry-run');
	like($out, qr/^upload_temp_files 1$/m, 'dry run counts it');
	ok(-e $tmp, 'dry run keeps it');
	($rc, $out) = ltcctl('purge');
	is($rc, 0, 'purge: exit 0') or diag($out);
	like($out, qr/^upload_temp_files 1$/m, 'purge removed one temp file');
	ok(!-e $tmp, 'the next purge removes the temp file');
}

# ---- purge (ops.md 6.4, domain.md 19) ---------------------------------------------------------

{
	my $pii_id = $doc{odd}{id};	# CONFIRMED at $NOW
	my $rej_id = $doc{jpg}{id};	# REJECTED at $NOW
	my $pkey = sql("SELECT storage_key FROM documents WHERE id = '$pii_id'");
	my $rkey = sql("SELECT storage_key FROM documents WHERE id = '$rej_id'");
	sql("INSERT INTO auth_challenges (challenge_id, purpose, email_hmac, otp_hash, created_at, expires_at) "
	    . "VALUES ('old-challenge', 'login', 'x', 'y', '2026-02-15T00:00:00.000000Z', '2026-02-15T00:10:00.000000Z')");
	my ($rc, $out) = ltcctl('purge');
	like($out, qr/^documents_pii_auto_delete 0$/m, 'not yet 30 days: nothing');
	like($out, qr/^challenges 0$/m, 'a challenge of two weeks ago is kept (30 days after creation)');
	my $runs0 = audits('PURGE_RUN');
	ltcctl('purge', '--dry-run');
	is(audits('PURGE_RUN'), $runs0, 'no PURGE_RUN for a dry run');
	$srv->set_conf(test_now => '2026-03-31T09:00:01Z');
	($rc, $out) = ltcctl('purge', '--dry-run');
	like($out, qr/^documents_pii_auto_delete 1$/m, 'dry run: one PII document due');
	ok(-e "$STORE/$pkey", 'dry run removes nothing');
	is(sql("SELECT coalesce(deleted_at, 'live') FROM documents WHERE id = '$pii_id'"), 'live', 'dry run: row live');
	my $runs = audits('PURGE_RUN');
	($rc, $out) = ltcctl('purge');
	is($rc, 0, 'purge: exit 0') or diag($out);
	like($out, qr/^documents_pii_auto_delete 1$/m, 'PII-confirmed document purged');
	like($out, qr/^challenges 1$/m, 'the old challenge purged');
	is(sql("SELECT count(*) FROM auth_challenges WHERE challenge_id = 'old-challenge'"), 0, 'its row is gone');
	like($out, qr/^documents_rejected_retention (\d+)$/m, 'rejected documents counted');
	my ($nrej) = $out =~ /^documents_rejected_retention (\d+)$/m;
	ok($nrej >= 3, "rejected documents purged ($nrej)");
	is(sql("SELECT delete_reason || '|' || deleted_by_user_id || '|' || deleted_at FROM documents WHERE id = '$pii_id'"),
	    'pii_auto_delete|system|2026-03-31T09:00:01.000000Z', 'PII document tombstoned');
	is(sql("SELECT delete_reason FROM documents WHERE id = '$rej_id'"), 'rejected_retention', 'rejected tombstoned');
	ok(!-e "$STORE/$pkey" && !-e "$STORE/$rkey", 'their files are gone');
	my $tomb = read_file("$DATA/tombstones.log");
	like($tomb, qr/^2026-03-31T09:00:01\.000000Z document $pii_id pii_auto_delete$/m, 'tombstone: pii_auto_delete');
	like($tomb, qr/^2026-03-31T09:00:01\.000000Z document $rej_id rejected_retention$/m, 'tombstone: rejected');
	like(sql("SELECT actor_type || '|' || request_id || '|' || metadata_json FROM audit_events WHERE action = "
	    . "'DOCUMENT_PURGED' AND target_id = '$pii_id'"), qr/^system\|cli\|\{"delete_reason":"pii_auto_delete"\}$/,
	    'DOCUMENT_PURGED');
	is(audits('PURGE_RUN'), $runs + 1, 'PURGE_RUN');
	like(sql("SELECT metadata_json FROM audit_events WHERE action = 'PURGE_RUN' ORDER BY rowid DESC LIMIT 1"),
	    qr/"documents_pii_auto_delete":1/, 'PURGE_RUN carries the counts');
	($rc, $out) = ltcctl('purge');
	like($out, qr/^documents_pii_auto_delete 0$/m, 'idempotent');
	like($out, qr/^documents_rejected_retention 0$/m, 'idempotent (rejected)');
	# A SUSPECTED document is never purged.
	is(sql("SELECT coalesce(deleted_at, 'live') FROM documents WHERE id = '$doc{old_rev}{id}'"), 'live',
	    'SUSPECTED document kept');
	$srv->set_conf(test_now => $NOW);
}

# ---- verify (ops.md 7) ----------------------------------------------------------------------------

{
	my ($rc, $out) = ltcctl('verify');
	is($rc, 0, 'verify: clean storage, exit 0') or diag($out);
	my $a = sql("SELECT id || '|' || storage_key FROM documents WHERE id = '$doc{pdf}{id}'");
	my ($aid, $akey) = split /\|/, $a;
	my $path = "$STORE/$akey";
	open my $fh, '+<:raw', $path or die;
	seek $fh, 10, 0;
	read $fh, my $c, 1;
	seek $fh, 10, 0;
	print $fh chr(ord($c) ^ 1);
	close $fh;
	($rc, $out) = ltcctl('verify');
	is($rc, 3, 'flipped byte: exit 3');
	like($out, qr/^finding: document file checksum mismatch: $aid$/m, 'mismatch reported with the id');
	my $b = sql("SELECT id || '|' || storage_key FROM documents WHERE id = '$doc{png}{id}' AND deleted_at IS NULL");
	if (!$b) {
		$b = sql("SELECT id || '|' || storage_key FROM documents WHERE deleted_at IS NULL AND id <> '$aid' LIMIT 1");
	}
	my ($bid, $bkey) = split /\|/, $b;
	unlink "$STORE/$bkey" or die;
	open $fh, '>', "$STORE/documents/zz-extra" or die;
	print $fh 'x';
	close $fh;
	($rc, $out) = ltcctl('verify');
	is($rc, 3, 'missing file: exit 3');
	like($out, qr/^finding: document file missing: $bid$/m, 'missing file reported');
	like($out, qr/^finding: document file checksum mismatch: $aid$/m, 'and the mismatch still');
	like($out, qr/^finding: orphan file in document storage: documents\/zz-extra$/m, 'extra file reported');
}

# ---- sanitizer run of the binary itself -----------------------------------------------------------

{
	my $body = mp(fpart('direkt.pdf', 'application/pdf', $PDF));
	my $r = run_cgi('documents', body => $body, env => { LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST',
	    PATH_INFO => '/upload', CONTENT_TYPE => "multipart/form-data; boundary=$B",
	    HTTP_AUTHORIZATION => "Bearer $alice->{token}" });
	is($r->{status}, 200, 'direct upload: 200');
	unlike($r->{stderr}, qr/Sanitizer|runtime error:/, 'direct upload: no sanitizer report') or diag($r->{stderr});
	is($r->{exit}, 0, 'direct upload: exit 0');
	my $id = $r->{json}{id};
	$srv->direct('documents', $admin, 'GET', "/$id/download");
	$srv->direct('documents', $alice, 'GET', '/');
	$srv->direct('documents', $admin, 'GET', '/admin/quarantine');
	$srv->direct('documents', $admin, 'POST', "/$id/scan", { scan_status => 'INFECTED' });
	$srv->direct('documents', $alice, 'POST', "/$id/pii", { pii_status => 'SUSPECTED' });
	$srv->direct('documents', $alice, 'DELETE', "/$id");
	$r = run_cgi('documents', body => mp(fpart('a.svg', 'image/svg+xml', $SVG)), env => {
	    LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST', PATH_INFO => '/upload',
	    CONTENT_TYPE => "multipart/form-data; boundary=$B", HTTP_AUTHORIZATION => "Bearer $alice->{token}" });
	is($r->{status}, 415, 'direct refused upload: 415');
	unlike($r->{stderr}, qr/Sanitizer|runtime error:/, 'direct refusal: no sanitizer report') or diag($r->{stderr});
}

$srv->stop;
done_testing;
