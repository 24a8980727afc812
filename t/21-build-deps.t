#!/usr/bin/perl
# The build on a machine without the development packages stops before
# the compiler and names the command that installs them; `make run`
# installs only what building and running need, `make test` the rest.
# Nothing is uninstalled: a fake pkg-config, id and dpkg-query stand in.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(root);
use File::Temp qw(tempdir);
use Test::More;

my $tmp = tempdir(CLEANUP => 1);
sub script { my ($name, $body) = @_; open my $fh, '>', "$tmp/$name" or die; print $fh "#!/bin/sh\n$body\n";
	close $fh; chmod 0755, "$tmp/$name"; "$tmp/$name" }
sub run { my ($cmd) = @_; my $out = `cd '@{[root()]}' && $cmd 2>&1`; return ($? >> 8, $out) }

# ---- the Makefile's check ----------------------------------------------------

my $none = script('pc-none', 'exit 1');
my ($rc, $out) = run("make -s BUILD='$tmp/build' PKG_CONFIG='$none' all");
isnt($rc, 0, 'make without the packages fails');
like($out, qr/Missing development packages: sqlite3 libcrypto jansson libmagic libqrencode/,
    'names the missing libraries');
like($out, qr/make deps-run/, 'names make deps-run');
like($out, qr/apt-get install -y build-essential pkg-config libsqlite3-dev libscrypt-dev libssl-dev libjansson-dev libmagic-dev libqrencode-dev/,
    'and the apt-get command');
unlike($out, qr/jansson\.h|error:/, 'no compiler error');
ok(!-e "$tmp/build", 'stopped before anything was compiled');

my $nojansson = script('pc-nojansson', 'for a; do [ "$a" = jansson ] && exit 1; done; exec pkg-config "$@"');
($rc, $out) = run("make -s BUILD='$tmp/build' PKG_CONFIG='$nojansson' all");
like($out, qr/Missing development packages: jansson\n/, 'one missing library is named alone');
($rc, $out) = run("PKG_CONFIG='$tmp/nowhere' sh bin/deps.sh check");
is($rc, 1, 'no pkg-config at all: exit 1');
like($out, qr/Missing development packages: pkg-config/, '... naming pkg-config');
($rc, $out) = run('sh bin/deps.sh check');
is($rc, 0, 'this machine has them') or diag($out);

# ---- the two package sets ------------------------------------------------------

script('id', 'echo 1000');
script('dpkg-query', 'exit 1');
my %set;
for my $which (qw(run test)) {
	($rc, $out) = run("PATH='$tmp':\$PATH sh bin/deps.sh $which");
	is($rc, 1, "deps.sh $which as a user with nothing installed: exit 1");
	my ($list) = $out =~ /apt-get install -y (.*)$/m;
	$set{$which} = { map { $_ => 1 } split ' ', $list // '' };
}
ok($set{run}{$_}, "run needs $_") for qw(build-essential libjansson-dev libscrypt-dev libsqlite3-dev lighttpd);
ok(!$set{run}{$_}, "run does not install $_")
    for qw(chromium wrk apache2 zbar-tools librsvg2-bin clang libclang-rt-14-dev sqlite3 curl);
ok($set{test}{$_}, "test installs $_") for keys %{ $set{run} },
    qw(chromium wrk apache2 zbar-tools librsvg2-bin clang sqlite3 curl perl time);
($rc, $out) = run('sh bin/deps.sh nonsense');
is($rc, 2, 'an unknown set: usage, exit 2');

# make run and make test name their sets.
($rc, $out) = run('make -n run');
like($out, qr/bin\/deps\.sh run/, 'make run installs the run set');
($rc, $out) = run('make -n test');
like($out, qr/bin\/deps\.sh test/, 'make test installs the test set');

done_testing;
