#!/usr/bin/perl
# The app's ES modules under node's own test runner: markdown.js against
# the shared markdown-light corpus t/data/mdlite-cases.json (the C
# renderer is checked against the same file), format.js, api.js.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(root);
use Test::More;

my $node = `command -v node 2>/dev/null`;
chomp $node;
ok($node ne '', 'node is installed (Debian package nodejs)') or BAIL_OUT('no node');

my $root = root();
my $out = `cd '$root' && node --test --test-reporter=tap t/js/ 2>&1`;
my $rc = $? >> 8;
my ($pass) = $out =~ /^# pass (\d+)/m;
my ($fail) = $out =~ /^# fail (\d+)/m;
is($rc, 0, 'node --test t/js/ exits 0') or diag($out);
ok(($pass // 0) >= 40, "node tests passed: " . ($pass // 0));
is($fail // -1, 0, 'no node test failed');
for my $line ($out =~ /^(not ok .*)$/mg) { diag($line) }
done_testing;
