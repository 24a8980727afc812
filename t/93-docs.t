#!/usr/bin/perl
# The manual pages docs/man/ltcctl.8 and docs/man/ltc.conf.5:
# - they render with man -l without warnings;
# - every command `ltcctl help` lists has an entry in ltcctl(8), and every
#   entry there is a command of `ltcctl help`; the exit codes agree;
# - every key of the configuration table (lib/base/config.c) has an entry
#   in ltc.conf(5) with its default and range, and the page has no key the
#   program does not know; conf/ltc.conf.example names every key;
# - make install puts both pages under PREFIX/share/man;
# - README, INSTALL and the guides in docs/ link only to files of the
#   repository that exist, and point at no document outside it.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir root);
use File::Temp qw(tempdir);
use Test::More;

my $root = root();
my %page = (ctl => "$root/docs/man/ltcctl.8", conf => "$root/docs/man/ltc.conf.5");
sub slurp { my ($f) = @_; open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!"; local $/; <$fh> }

for my $p (values %page) {
	my $warn = `man --warnings -l '$p' 2>&1 >/dev/null`;
	is($warn, '', "$p renders without warnings");
	my $text = `MANWIDTH=100 man -l '$p' 2>/dev/null`;
	like($text, qr/^NAME\s/m, "$p has a NAME section");
}

# ---- ltcctl help == ltcctl(8) COMMANDS -----------------------------------------
sub commands_of {
	my (@tags) = @_;
	my %c;
	for my $t (@tags) {
		my @w = split ' ', $t;
		next unless @w && $w[0] =~ /^[a-z][a-z-]*$/;
		if ($w[0] eq 'user') { $c{"user $_"} = 1 for split /\|/, $w[1] // '' }
		else { $c{ $w[0] } = 1 }
	}
	return \%c;
}
my $help = `'@{[build_dir()]}/bin/ltcctl' help`;
is($? >> 8, 0, 'ltcctl help exits 0');
my @help_tags = map { /^  (\S.*?)(?:\s{2,}.*)?$/ ? $1 : () } grep { /^  \S/ } split /\n/, $help;
my $from_help = commands_of(@help_tags);
ok(keys %$from_help >= 15, 'ltcctl help lists the commands') or diag($help);

my $rendered = `MANWIDTH=200 man -l '$page{ctl}' 2>/dev/null`;
my ($cmds) = $rendered =~ /^COMMANDS\n(.*?)^\S/ms;
ok(defined $cmds, 'ltcctl(8) has a COMMANDS section') or BAIL_OUT('no COMMANDS');
my @man_tags = map { /^ {7}(\S.*)$/ ? $1 : () } split /\n/, $cmds;
my $from_man = commands_of(@man_tags);
for my $c (sort keys %$from_help) {
	ok($from_man->{$c}, "ltcctl(8) documents '$c'");
}
for my $c (sort keys %$from_man) {
	ok($from_help->{$c}, "'$c' of ltcctl(8) is a command of ltcctl help");
}
my ($exit_help) = $help =~ /^exit: (.*)$/m;
my @codes_help = ($exit_help // '') =~ /(\d+) /g;
my ($exit_man) = $rendered =~ /^EXIT STATUS\n(.*?)^\S/ms;
my @codes_man = ($exit_man // '') =~ /^ {7}(\d+)\s/mg;
ok(@codes_help, 'ltcctl help names exit codes');
is("@codes_man", "@codes_help", 'ltcctl(8) EXIT STATUS lists the same codes');
unlike($help, qr/\b(?:ops|api|domain|security)\.md\b/, 'ltcctl help points at nothing outside the product');

# ---- config.c == ltc.conf(5) ------------------------------------------------------
my %key;
for (split /\n/, slurp("$root/lib/base/config.c")) {
	if (/^\s*SF?\((\w+),(?:\s*\w+,)?\s*(NULL|"[^"]*")\)/) { $key{$1} = { type => 'S', def => $2 } }
	elsif (/^\s*B\((\w+),\s*"([^"]*)"\)/) { $key{$1} = { type => 'B', def => $2 } }
	elsif (/^\s*I\((\w+),\s*"(-?\d+)",\s*(\w+),\s*(\w+)\)/) { $key{$1} = { type => 'I', def => $2, lo => $3, hi => $4 } }
}
ok(keys %key >= 70, 'the configuration table read from lib/base/config.c (' . scalar(keys %key) . ' keys)');
# An entry is a .TP paragraph whose tag is ".BR key ..."
my %doc;
my $prev = '';
for (split /\n/, slurp($page{conf})) {
	$doc{$1} = $2 if $prev eq '.TP' && /^\.BR ([a-z][a-z0-9_]*) "(.*)$/;
	$prev = $_;
}
for my $k (sort keys %key) {
	my $d = $doc{$k};
	ok(defined $d, "ltc.conf(5) documents $k") or next;
	my $x = $key{$k};
	if ($x->{type} eq 'I') {
		my $range = $x->{hi} eq 'INT64_MAX' ? ($x->{lo} eq '0' ? '0 .. ' : "\\(>= $x->{lo}") : "$x->{lo} .. $x->{hi}";
		is($d, qq{ = " "$x->{def} " "($range)"}, "$k: default $x->{def}, range $range");
	} elsif ($x->{type} eq 'B') {
		is($d, qq{ = " $x->{def}}, "$k: default $x->{def}");
	} elsif ($x->{def} eq 'NULL') {
		like($d, qr/^ \((?:unset|derived)/, "$k: no built-in value (unset or derived)");
	} elsif ($x->{def} eq '""') {
		is($d, ' = " (empty)', "$k: default empty");
	} else {
		(my $v = $x->{def}) =~ s/^"|"$//g;
		ok(index($d, $v) >= 0, "$k: default $v") or diag($d);
	}
}
for my $k (sort keys %doc) {
	ok($key{$k}, "$k of ltc.conf(5) is a configuration key");
}
my $example = slurp("$root/conf/ltc.conf.example");
for my $k (sort keys %key) {
	like($example, qr/^#? ?\Q$k\E =/m, "conf/ltc.conf.example names $k");
}

# ---- installed -------------------------------------------------------------------------
my $dest = tempdir(CLEANUP => 1);
my $log = `make -C '$root' --no-print-directory install BUILD='@{[build_dir()]}' DESTDIR='$dest' PREFIX=/srv/ltc 2>&1`;
is($? >> 8, 0, 'make install') or diag($log);
for (['man8/ltcctl.8', 'LTCCTL'], ['man5/ltc.conf.5', 'LTC.CONF']) {
	my $f = "$dest/srv/ltc/share/man/$_->[0]";
	ok(-f $f, "installed: share/man/$_->[0]");
	like(scalar `MANWIDTH=100 man -l '$f' 2>/dev/null`, qr/^\Q$_->[1]\E\(/m, "man -l reads the installed $_->[0]");
}

# ---- the guides stay inside the repository -------------------------------------------
for my $f ('README.md', 'INSTALL', map { s{^\Q$root\E/}{}r } glob("$root/docs/*.md")) {
	my $text = slurp("$root/$f");
	(my $dir = $f) =~ s{[^/]*$}{};
	unlike($text, qr{\.\./shared|shared/spec|\b(?:ops|api|domain|frontend|extensions)\.md\b|security\.md \x{a7}}, "$f: no reference to documents outside the repository");
	for my $target ($text =~ /\]\(([^)\s]+)\)/g) {
		next if $target =~ m{^(?:https?:|mailto:|#)};
		(my $path = $target) =~ s/#.*//;
		ok(-e "$root/$dir$path", "$f: link $target exists");
	}
}
like(slurp("$root/README.md"), qr/\A# [^\n]+\n\n```sh\nmake run[^\n]*\nmake test/, 'README starts with the two commands');

done_testing;
