#!/usr/bin/perl
# Runs every C unit test (build/t/*.t) and reports each as a subtest.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir);
use Test::More;
use TAP::Parser;

my @bins = sort glob(build_dir() . '/t/*.t');
ok(@bins >= 3, 'C unit tests are built') or diag('run make first');
for my $bin (@bins) {
	my $name = $bin =~ s{.*/}{}r;
	subtest $name => sub {
		my $p = TAP::Parser->new({ exec => [$bin] });
		my $out = '';
		while (my $res = $p->next) {
			$out .= $res->as_string . "\n";
			if ($res->is_test) {
				ok($res->is_ok, $res->description // '') or diag($out);
			}
		}
		ok(!$p->has_problems, "$name: clean TAP, exit " . ($p->exit // 0))
		    or diag($out);
	};
}
done_testing;
