package LTCLoad;
# A small, bounded load generator for the reliability tests: forked
# clients on loopback, each with its own keep-alive connection, sending
# one request after another until the deadline. Every answer is noted
# (status, milliseconds, the created id), so a test can count errors
# and compare what was acknowledged with what the database holds.
use strict;
use warnings;
use File::Temp qw(tempdir);
use HTTP::Tiny;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(time);

my $JSON = JSON::PP->new->utf8->canonical;

# run(base => URL, seconds => N, clients => [ { method, path, token,
#   json => sub { $k } (the k-th body of this client), headers => {} } ])
# Returns { n, status => { code => count }, p50, p95, p99, max (ms),
#   ids => [ created ids of the 2xx answers ], other => [ first bodies
#   of non-2xx answers ] }.
sub run {
	my (%o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my $end = time + $o{seconds};
	my @pids;
	for my $i (0 .. $#{ $o{clients} }) {
		my $c = $o{clients}[$i];
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			my $http = HTTP::Tiny->new(timeout => 90, keep_alive => 1);
			open my $out, '>', "$dir/$i" or die;
			my $k = 0;
			while (time < $end) {
				my %h = (%{ $c->{headers} // {} }, 'Content-Type' => 'application/json');
				$h{Authorization} = "Bearer $c->{token}" if $c->{token};
				my $body = $c->{json} ? $JSON->encode($c->{json}->($k)) : undef;
				my $t0 = time;
				my $res = $http->request($c->{method} // 'GET', "$o{base}$c->{path}",
				    { headers => \%h, defined $body ? (content => $body) : () });
				my $ms = int((time - $t0) * 1000);
				my $id = '-';
				if ($res->{status} =~ /^2/ && ($res->{content} // '') =~ /^\{/) {
					my $j = eval { $JSON->decode($res->{content}) };
					$id = $j->{id} // '-' if ref $j eq 'HASH';
				}
				my $err = $res->{status} =~ /^2/ ? '' : substr($res->{content} // '', 0, 200);
				$err =~ s/\s+/ /g;
				printf $out "%s %d %s %s\n", $res->{status}, $ms, $id, $err;
				$k++;
			}
			close $out;
			POSIX::_exit(0);
		}
		push @pids, $pid;
	}
	waitpid($_, 0) for @pids;
	my (%st, @lat, @ids, @other);
	for my $i (0 .. $#{ $o{clients} }) {
		open my $in, '<', "$dir/$i" or next;
		while (<$in>) {
			chomp;
			my ($s, $ms, $id, $err) = split / /, $_, 4;
			$st{$s}++;
			push @lat, $ms;
			push @ids, $id if $s =~ /^2/ && $id ne '-';
			push @other, "$s $err" if $s !~ /^2/ && @other < 5;
		}
	}
	@lat = sort { $a <=> $b } @lat;
	my $pct = sub { @lat ? $lat[int($#lat * $_[0])] : 0 };
	return { n => scalar @lat, status => \%st, p50 => $pct->(0.50), p95 => $pct->(0.95),
	    p99 => $pct->(0.99), max => @lat ? $lat[-1] : 0, ids => \@ids, other => \@other };
}

# "n=.. 201=.. 503=.. p50/p95/p99/max=../../../.. ms", for a diag line.
sub summary {
	my ($r) = @_;
	return sprintf('n=%d %s p50/p95/p99/max=%d/%d/%d/%d ms', $r->{n},
	    join(' ', map { "$_=$r->{status}{$_}" } sort keys %{ $r->{status} }),
	    $r->{p50}, $r->{p95}, $r->{p99}, $r->{max});
}

1;
