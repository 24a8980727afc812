#!/usr/bin/perl
# ltcctl: version, config checks, init, migrate, maintenance, verify, and a
# backup -> restore round trip with document files and tombstones.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(run_cgi run_ltcctl sqlite_file write_conf);
use File::Temp qw(tempdir);
use Digest::SHA qw(sha256_hex);
use Test::More;

my $data = tempdir(CLEANUP => 1);
chmod 0700, $data;
my $conf = "$data/ltc.conf";
sub conf { write_conf($conf, env => 'test', secret_key => 's' x 40, data_dir => $data, @_) }
sub ctl { run_ltcctl($conf, @_) }
sub sql { sqlite_file("$data/ltc.sqlite", $_[0]) }
sub health { run_cgi('health', env => { LTC_CONF => $conf })->{status} }

my ($rc, $out) = ctl('help');
is($rc, 0, 'help works without config');
like($out, qr/backup/, 'help lists commands');
($rc, $out) = ctl('gen-secret');
like($out, qr/^[0-9a-f]{64}$/m, 'gen-secret prints 64 hex chars');
($rc, $out) = ctl('nonsense');
is($rc, 2, 'unknown command -> exit 2');

conf(secret_key => 'tiny');
($rc, $out) = ctl('check-config');
is($rc, 2, 'check-config with a short secret -> exit 2');
like($out, qr/secret_key/, 'names the key');
unlike($out, qr/tiny/, 'never prints the value');
($rc, $out) = ctl('init');
is($rc, 2, 'init refuses without a secret');
like($out, qr/secret key missing or shorter than 32 bytes/, 'same fatal message as the CGIs');
($rc, $out) = ctl('version');
is($rc, 0, 'version works without a secret');
like($out, qr/schema \d+/, 'version prints the expected schema');

conf();
($rc, $out) = ctl('check-config');
is($rc, 0, 'check-config ok');
($rc, $out) = ctl('init');
is($rc, 0, 'init') or diag $out;
($rc, $out) = ctl('init');
is($rc, 0, 'init is idempotent');
is(sql('PRAGMA journal_mode'), 'wal', 'database in WAL mode');
is(sprintf('%o', (stat "$data/ltc.sqlite")[2] & 07777), '600', 'database mode 0600');
is(sprintf('%o', (stat "$data/storage")[2] & 07777), '700', 'storage mode 0700');
is(sql("SELECT count(*) FROM cms_articles WHERE workflow_state='published'"), 6, 'CMS seeds present');
($rc, $out) = ctl('version');
like($out, qr/database user_version (\d+)/, 'version shows the database version');
is(health(), 200, 'health after init');

($rc, $out) = ctl('migrate');
is($rc, 0, 'migrate with nothing pending');
like($out, qr/schema (\d+) -> \1/, 'migrate prints old and new version');

($rc, $out) = ctl('maintenance', 'on');
is($rc, 0, 'maintenance on');
is(health(), 503, 'health 503 in maintenance');
is((ctl('maintenance', 'status'))[1], "on\n", 'status on');
ctl('maintenance', 'off');
is(health(), 200, 'health back after maintenance off');
is(sql("SELECT count(*) FROM audit_events WHERE action='MAINTENANCE_SET' AND request_id='cli' AND actor_type='system'"), 2,
    'maintenance audited as system/cli');

# Documents: two files, one deleted after the backup (tombstone).
my %files = (aa11 => "first document bytes\n", bb22 => "second\x00binary\xff");
for my $id (keys %files) {
	my $doc = $id . ('0' x 28);
	my $key = 'documents/' . substr($doc, 0, 2) . "/$doc";
	mkdir "$data/storage/documents/" . substr($doc, 0, 2);
	open my $fh, '>:raw', "$data/storage/$key" or die; print $fh $files{$id}; close $fh;
	sql("INSERT INTO documents (id, owner_user_id, created_by_user_id, filename, content_type, size_bytes, checksum_sha256, storage_key, approval_status, scan_status, pii_status, created_at) VALUES ('$doc','u1','u1','f.pdf','application/pdf'," . length($files{$id}) . ",'" . sha256_hex($files{$id}) . "','$key','QUARANTINED','PENDING','OK','2026-01-01T00:00:00.000000Z')");
}
($rc, $out) = ctl('verify');
is($rc, 0, 'verify ok with intact files') or diag $out;

sql("INSERT INTO vip_businesses (business_id, owner_user_id, created_at) VALUES ('biz-before','u1','2026-01-01T00:00:00.000000Z')");
($rc, $out) = ctl('backup');
is($rc, 0, 'backup') or diag $out;
my ($bdir) = $out =~ m{^(/\S+)$}m;
ok($bdir && -d $bdir, 'backup directory printed')
    or BAIL_OUT('no backup directory; nothing below can run safely');
ok(-f "$bdir/ltc.sqlite" && -f "$bdir/MANIFEST" && -f "$bdir/META", 'database, MANIFEST, META');
my $manifest = do { local (@ARGV, $/) = ("$bdir/MANIFEST"); <> };
is(scalar(() = $manifest =~ /^[0-9a-f]{64}  storage\/documents\//mg), 2, 'both document files in MANIFEST');
like(do { local (@ARGV, $/) = ("$bdir/META"); <> }, qr/schema_version=\d+/, 'META has the schema version');
is(sprintf('%o', (stat $bdir)[2] & 07777), '700', 'backup dir mode 0700');

# A second backup hard-links unchanged files.
sleep 1;
($rc, $out) = ctl('backup');
my ($b2) = $out =~ m{^(/\S+)$}m;
$b2 //= '/nonexistent';
my $f1 = "$b2/storage/documents/aa/aa11" . ('0' x 28);
ok((stat $f1)[3] >= 2, 'unchanged file hard-linked to the previous backup');

# Changes after the backup: a new row and a deleted document (tombstone).
sql("INSERT INTO vip_businesses (business_id, owner_user_id, created_at) VALUES ('biz-after','u1','2026-01-02T00:00:00.000000Z')");
my $gone = 'bb22' . ('0' x 28);
my $ts = '2099-01-01T00:00:00.000000Z';
open my $tf, '>>', "$data/tombstones.log"; print $tf "$ts document $gone owner\n"; close $tf;

# A damaged backup is refused and changes nothing.
my $bad = tempdir(CLEANUP => 1);
die "refusing to copy an unset backup dir" unless $bdir && -f "$bdir/MANIFEST";
system('cp', '-a', "$bdir/.", "$bad/");
open my $fh, '>>:raw', "$bad/storage/documents/aa/aa11" . ('0' x 28); print $fh "tamper"; close $fh;
($rc, $out) = ctl('restore', $bad, '--yes');
is($rc, 1, 'restore of a tampered backup fails');
like($out, qr/MANIFEST/, '... naming the MANIFEST');
is(sql("SELECT count(*) FROM vip_businesses"), 2, '... and changes nothing');
is(health(), 200, '... leaving maintenance off');

($rc, $out) = ctl('restore', $bdir);
is($rc, 2, 'restore without --yes is a usage error');
($rc, $out) = ctl('restore', $bdir, '--yes');
is($rc, 0, 'restore') or diag $out;
is(sql("SELECT group_concat(business_id) FROM vip_businesses"), 'biz-before', 'database is the backup state');
is(sql("SELECT deleted_at || ' ' || delete_reason FROM documents WHERE id='$gone'"), "$ts owner",
    'newer tombstone re-applied');
ok(!-e "$data/storage/documents/bb/$gone", 'tombstoned file removed');
is(do { local (@ARGV, $/) = ("$data/storage/documents/aa/aa11" . ('0' x 28)); <> }, $files{aa11},
    'document bytes restored byte-identical');
ok((glob "$data/pre-restore-*/ltc.sqlite"), 'previous database moved aside');
is(health(), 200, 'maintenance off after a successful restore');
is(sql("SELECT count(*) FROM audit_events WHERE action='RESTORE_COMPLETED'"), 1, 'RESTORE_COMPLETED audited');

# verify findings
chmod 0644, $conf;
($rc, $out) = ctl('verify');
is($rc, 3, 'verify exit 3 on findings');
like($out, qr/config file is accessible/, 'reports config permissions');
chmod 0600, $conf;
unlink "$data/storage/documents/aa/aa11" . ('0' x 28);
($rc, $out) = ctl('verify');
like($out, qr/document file missing/, 'reports a missing document file');
unlike($out, qr/integrity_check|foreign_key_check|orphan/, '... and nothing else');
open $fh, '>', "$data/storage/documents/aa/stray" or die; print $fh "x"; close $fh;
($rc, $out) = ctl('verify');
like($out, qr/orphan file in document storage/, 'reports a file no document row references');
unlink "$data/storage/documents/aa/stray";
# The sqlite3 shell does not enforce foreign keys: a session of nobody.
sql("INSERT INTO auth_sessions (session_id, user_id, token_hash, auth_method, created_at, expires_at, last_seen_at) VALUES ('s-x','nobody','h-x','otp','2026-01-01T00:00:00.000000Z','2026-01-01T00:00:00.000000Z','2026-01-01T00:00:00.000000Z')");
($rc, $out) = ctl('verify');
is($rc, 3, 'a foreign-key violation is a finding');
like($out, qr/foreign_key_check found violations/, '... named as such');
unlike($out, qr/integrity_check/, '... while the file itself is intact');
done_testing;
