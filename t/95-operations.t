#!/usr/bin/perl
# docs/operations.md, the part an operator types on a running installation:
# its ```sh blocks, in order, as one script against a real lighttpd with the
# real CGIs (first start, health check, backup, restore, purge,
# maintenance, upgrade). The guide's /srv/ltc paths point at the test's
# configuration and build. Afterwards the installation is healthy, has its
# superadmin, its backups, and is out of maintenance.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir root);
use File::Temp qw(tempdir);
use Test::More;

my $md = do { local (@ARGV, $/) = (root() . '/docs/operations.md'); <> };
my @blocks = $md =~ /^```sh\n(.*?)^```$/msg;
ok(@blocks >= 8, 'the guide has its shell blocks (' . scalar(@blocks) . ')');
my $script = join "\n", @blocks;
for my $cmd ('ltcctl init', 'ltcctl bootstrap-superadmin', 'ltcctl verify', '/api/health', 'ltcctl backup',
    'ltcctl restore', 'ltcctl purge', 'ltcctl maintenance on', 'ltcctl migrate', 'ltcctl maintenance off') {
	like($script, qr/\Q$cmd\E/, "the guide shows $cmd");
}

my $srv = LTC->new_lighttpd;
my ($conf, $bin) = ($srv->conf_file, build_dir() . '/bin');
$script =~ s{/srv/ltc/conf/ltc\.conf}{$conf}g;
$script =~ s{/srv/ltc/bin}{$bin}g;
my $dir = tempdir(CLEANUP => 1);
open my $fh, '>', "$dir/ops.sh" or die;
print $fh "set -eu\nBASE='" . $srv->base . "'\n$script\n";
close $fh;
my $out = `cd '$dir' && bash ops.sh 2>&1`;
is($? >> 8, 0, "the guide runs without an error") or diag($out);
like($out, qr/\{"ok":true\}/, 'the health check answered ok');
like($out, qr/^restored; /m, 'the restore ran');
like($out, qr/^maintenance on$/m, 'maintenance was switched on');
like($out, qr/^schema \d+ -> \d+$/m, 'migrate reported the schema');
like($out, qr/^dry run: nothing changed$/m, 'purge --dry-run only counted');

is($srv->sqlite("SELECT role FROM auth_users WHERE role = 'superadmin'"), 'superadmin', 'the first superadmin exists');
my @backups = glob($srv->data . '/backups/ltc-*');
ok(@backups >= 2, 'backups were written (backup, migrate)');
ok(!-e $srv->data . '/maintenance', 'maintenance is off again');
is($srv->get('/api/health')->{status}, 200, 'the installation is healthy afterwards');
$srv->stop;
done_testing;
