#!/usr/bin/perl
# The web server's own refusals (README "Error bodies") through a real
# lighttpd and a real Apache: JSON with the spec's details on /api, the
# German HTML pages elsewhere, and a raw \xff byte in the path answered
# (lighttpd: 400) instead of a dropped connection.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Test::More;

sub raw { my ($srv, $line, $head) = @_;
	$srv->raw("$line\r\n" . ($head // "Host: 127.0.0.1\r\n") . "Connection: close\r\n\r\n") }

sub is_json {
	my ($r, $status, $detail, $name) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	is($r->{status}, $status, "$name: $status");
	like($r->{headers}{'content-type'} // '', qr{^application/json}, "$name: JSON");
	is_deeply($r->{json}, { detail => $detail }, "$name: {\"detail\":\"$detail\"}") or diag($r->{body});
}

sub is_html {
	my ($r, $status, $name) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	is($r->{status}, $status, "$name: $status");
	like($r->{headers}{'content-type'} // '', qr{^text/html}, "$name: HTML");
	like($r->{body}, qr/<html lang="de">/, "$name: the German page");
}

for my $kind (qw(lighttpd apache)) {
	my $srv = $kind eq 'lighttpd' ? LTC->new_lighttpd : LTC->new_apache;
	my $big = "Content-Length: 999999999\r\nHost: 127.0.0.1\r\n";
	is_json(raw($srv, 'POST /api/vehicles HTTP/1.1', $big), 413, 'too_large', "$kind: body over the server limit on /api");
	is_html(raw($srv, 'POST /login HTTP/1.1', $big), 413, "$kind: body over the server limit on a page");
	my $hdr = "Host: 127.0.0.1\r\nX-Big: " . ('a' x 65536) . "\r\n";
	is_json(raw($srv, 'GET /api/health HTTP/1.1', $hdr), $kind eq 'lighttpd' ? 431 : 400,
	    $kind eq 'lighttpd' ? 'headers_too_large' : 'bad_request', "$kind: 64 KB header on /api");
	is_json(raw($srv, 'GET  /api/health'), 400, 'bad_request', "$kind: malformed request line");
	is_json(raw($srv, 'GET /api/health/' . ('a' x 5000) . ' HTTP/1.1'), $kind eq 'lighttpd' ? 404 : 403,
	    $kind eq 'lighttpd' ? 'Not Found' : 'forbidden', "$kind: 5 KB path");
	my $r = raw($srv, "GET /api/vehicles/\xff HTTP/1.1");
	ok($r->{status} >= 400 && $r->{status} < 500, "$kind: raw \\xff in an /api path is answered ($r->{status})");
	like($r->{headers}{'content-type'} // '', qr{^application/json}, "$kind: ... in JSON");
	if ($kind eq 'lighttpd') {
		is_json($r, 400, 'bad_request', 'lighttpd: raw \xff in an /api path');
		is_html(raw($srv, "GET /blog/\xff HTTP/1.1"), 400, 'lighttpd: raw \xff in a page path');
		is_json(raw($srv, 'GET /api/health HTTP/1.1', ''), 400, 'bad_request', 'lighttpd: no Host');
	}
	is($srv->get('/api/health')->{status}, 200, "$kind: normal requests still served");
	$srv->stop;
}

done_testing;
