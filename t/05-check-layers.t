#!/usr/bin/perl
# make check-layers: the tree passes, and planted violations in a copy of
# the tree are each caught (a lower layer including a higher one, a
# header named without its layer, sqlite3 outside the SQLite driver, two
# source files sharing a base name).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(root);
use File::Temp qw(tempdir);
use Test::More;

my $root = root();
my $check = "$root/bin/check-layers.sh";

sub run_check {
	my ($dir) = @_;
	my $out = `sh $check $dir 2>&1`;
	return ($? >> 8, $out);
}

my ($rc, $out) = run_check($root);
is($rc, 0, 'the tree follows the layer rules') or diag($out);

sub fresh_copy {
	my $d = tempdir(CLEANUP => 1);
	system('cp', '-R', "$root/lib", "$root/cgi-bin", "$root/bin", $d) == 0
	    or die "copy failed";
	return $d;
}

sub plant {
	my ($file, $text) = @_;
	open my $fh, '>>', $file or die "$file: $!";
	print $fh $text;
	close $fh;
}

my @cases = (
	[ 'store includes http', 'lib/store/audit.c', qq{#include "http/request.h"\n},
	    qr{lib/store/audit\.c:\d+: store must not include http/request\.h} ],
	[ 'base includes store', 'lib/base/util.c', qq{#include "store/db.h"\n},
	    qr{lib/base/util\.c:\d+: base must not include store/db\.h} ],
	[ 'domain includes http', 'lib/domain/ampel.h', qq{#include "http/response.h"\n},
	    qr{lib/domain/ampel\.h:\d+: domain must not include http/response\.h} ],
	[ 'header without its layer', 'lib/http/app.c', qq{#include "db.h"\n},
	    qr{lib/http/app\.c:\d+: "db\.h" does not name its layer} ],
	[ 'sqlite3 outside the driver', 'lib/store/audit.c',
	    qq{static int x(void *p) { return sqlite3_changes(p); }\n},
	    qr{lib/store/audit\.c:\d+:.*sqlite3 outside the SQLite driver} ],
);
for my $c (@cases) {
	my ($name, $file, $text, $want) = @$c;
	my $d = fresh_copy();
	plant("$d/$file", $text);
	my ($prc, $pout) = run_check($d);
	is($prc, 1, "$name: check fails");
	like($pout, $want, "$name: named in the output");
}

{
	my $d = fresh_copy();
	system('cp', "$d/lib/store/audit.c", "$d/lib/http/audit.c") == 0 or die;
	my ($prc, $pout) = run_check($d);
	is($prc, 1, 'shared base name: check fails');
	like($pout, qr/more than one source file is called audit\.c/,
	    'shared base name: named in the output');
}
{
	my $d = fresh_copy();
	mkdir "$d/lib/extra";
	plant("$d/lib/extra/x.c", "int x;\n");
	my ($prc, $pout) = run_check($d);
	is($prc, 1, 'unknown layer directory: check fails');
	like($pout, qr{lib/extra is not a layer}, 'unknown layer: named');
}
done_testing;
