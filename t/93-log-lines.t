#!/usr/bin/perl
# Exactly one request log line per request (ops.md 9), whatever the web
# server does to the CGI once the answer is out: lighttpd sends SIGTERM
# the moment an answer is complete, a client may hang up mid-answer.
# 200 requests of every kind (2xx, 4xx, 5xx, HEAD) under lighttpd and
# Apache; the lines are counted per status against the answers.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(sleep);

sub lines {
	my ($f) = @_;
	return () unless -e $f;
	open my $fh, '<', $f or die;
	return grep { /^\{"ts"/ } <$fh>;
}

# Under the sanitizer a CGI can still be starting when a client hangs up
# and Apache's SIGTERM arrives before the answer: the Apache count runs in
# make test only.
for my $kind ($ENV{LTC_ASAN} ? qw(lighttpd) : qw(lighttpd apache)) {
	my $srv = $kind eq 'lighttpd' ? LTC->new_lighttpd : LTC->new_apache;
	my $log = $srv->data . ($kind eq 'apache' ? '/var/requests.log' : '/requests.log');
	$srv->set_conf(log_file => $log);
	my $u = $srv->session_row('user');
	my $v = $srv->vehicle_row(owner => $u);
	my (%sent, $n);
	my @kinds = (
	    sub { $srv->get('/api/health') },
	    sub { $srv->req('HEAD', '/api/health') },
	    sub { $srv->get('/api/vehicles') },					# 401
	    sub { $srv->get('/api/vehicles/nope/entries', token => $u->{token}) },	# 403 consent
	    sub { $srv->get('/api/health/nothing-here') },			# 404
	    sub { $srv->req('DELETE', '/api/health') },				# 405
	    sub { $srv->post('/api/vehicles', token => $u->{token}, body => '{') },	# 403/422
	    sub { $srv->get("/api/public/qr/$v") },
	    sub { $srv->get('/blog') },						# HTML page
	);
	for my $i (1 .. 200) {
		my $r = $kinds[$i % @kinds]->();
		$sent{ $r->{status} }++;
		$n++;
	}
	# A client that hangs up before reading the answer.
	for (1 .. 10) {
		my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $srv->{port}) or die;
		print $s "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
		close $s;
	}
	sleep 1;
	my @l = lines($log);
	my %got;
	$got{ /"status":(\d+)/ ? $1 : '?' }++ for @l;
	my $health = ($got{200} // 0);
	is(scalar(@l) - 10, $n, "$kind: one log line per request ($n requests + 10 hang-ups)")
	    or diag(join ' ', map { "$_=$got{$_}" } sort keys %got);
	$got{200} -= 10;
	is_deeply(\%got, \%sent, "$kind: the lines have the statuses the clients got")
	    or diag(join ' ', map { "$_=$sent{$_}" } sort keys %sent);
	ok((keys %sent) >= 6, "$kind: several statuses were exercised");
	$srv->stop;
}

done_testing;
