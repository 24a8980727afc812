#!/usr/bin/perl
# What the web server itself answers on the API paths, through a real
# lighttpd and a real Apache (README "Paths and dispatch", security.md
# 8.2): a group whose CGI is not installed gets the JSON 404 with the
# CGIs' headers, never the server's HTML page; a POST without
# Content-Length gets the answer of the same POST with an empty body;
# static files and the CGIs' own answers keep theirs.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir root);
use Test::More;

my @GROUPS = qw(auth consent vehicles documents export sale transfer admin cms blog news public
    addons trust servicebook masterclipboard support health reminders);
my @MISSING = grep { !-x build_dir() . "/cgi-bin/$_" } @GROUPS;
my @SECURITY = ('x-content-type-options', 'referrer-policy', 'x-frame-options',
    'cross-origin-opener-policy', 'cross-origin-resource-policy', 'permissions-policy');

# The parts of an answer that must not depend on how the length was sent.
sub answer { my ($r) = @_; join ' ', $r->{status}, $r->{headers}{'content-type'} // '-', $r->{body} }

sub post_raw {
	my ($srv, $path, $head, $body) = @_;
	return $srv->raw("POST $path HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n$head\r\n"
	    . ($body // ''));
}

for my $kind (qw(lighttpd apache)) {
	subtest $kind => sub {
		my $srv = $kind eq 'lighttpd' ? LTC->new_lighttpd : LTC->new_apache;
		my $ref = $srv->get('/api/nope');
		is($ref->{status}, 404, 'an unknown group: 404 (the reference answer)');

		# ---- groups without a CGI ---------------------------------------
		# The spec's groups without a CGI (none once all are built) and
		# names that never were one.
		my @groups = (@MISSING, 'no-such-group', 'documentz');
		for my $p ((map { ("/api/$_", "/api/$_/x/y?q=1") } @groups), '/cgi-bin/nope', '/cgi-bin/nope/x') {
			for my $m (qw(GET POST DELETE)) {
				my $r = $srv->req($m, $p, $m eq 'POST' ? (json => {}) : ());
				is($r->{status}, 404, "$m $p: 404");
				is($r->{body}, '{"detail":"Not Found"}', "$m $p: the JSON body");
				is($r->{headers}{'content-type'}, 'application/json; charset=utf-8', "$m $p: JSON");
				is($r->{headers}{$_}, $ref->{headers}{$_}, "$m $p: $_ as the CGIs send it")
				    for @SECURITY, 'cache-control';
				like($r->{headers}{'x-request-id'} // '', qr/^[0-9a-f-]{36}$/, "$m $p: a request id");
			}
		}
		my $r = $srv->req('HEAD', "/api/$groups[0]");
		is($r->{status}, 404, "HEAD /api/$groups[0]: 404");
		is($r->{body}, '', '... without a body');

		# ---- answers that stay as they are -------------------------------
		$r = $srv->get('/nope.html');
		is($r->{status}, 404, 'a missing static file: 404');
		like($r->{headers}{'content-type'}, qr{^text/html}, '... the HTML error page');
		like($r->{body}, qr/Seite nicht gefunden/, '... from htdocs/404.html');
		$r = $srv->get('/impressum/nope');
		is($r->{status}, 404, "the site CGI's own 404");
		like($r->{headers}{'content-type'}, qr{^text/html}, '... stays its HTML page');
		$r = $srv->get('/api/health/nope');
		is(answer($r), answer($ref), "a group CGI's own 404 stays its own");
		is($srv->get('/api/health')->{status}, 200, 'the real groups still work');
		is($srv->get('/api/public/site')->{status}, 200, '... every one of them');
		is($srv->get('/api/vehicles')->{status}, 401, '... with their own policies');

		# ---- POST without Content-Length ------------------------------------
		for my $p ('/api/auth/login', '/api/auth/login?next=1', '/api/auth/logout', '/api/consent/accept',
		    '/api/vehicles', '/api/vehicles/a%20b/entries', '/cgi-bin/auth/login', '/api/nope',
		    "/api/$groups[0]", '/login', '/api/health', '/api/auth/./login', '/api/auth//login',
		    '/api/vehicles/x/../y/entries', '/api/vehicles/%61b/entries', '/api/auth?x=%zz') {
			my $empty = post_raw($srv, $p, "Content-Length: 0\r\nContent-Type: application/json\r\n");
			my $none = post_raw($srv, $p, "Content-Type: application/json\r\n");
			is(answer($none), answer($empty), "POST $p without Content-Length: as with an empty body")
			    or diag($none->{body});
			is($none->{headers}{'x-frame-options'}, 'DENY', '... with the CGI headers');
		}
		$r = post_raw($srv, '/api/auth/login', "Content-Type: application/json\r\n");
		is($r->{status}, 422, 'POST /api/auth/login without a length: 422');
		is_deeply($r->{json}, { detail => [ { type => 'missing', loc => ['body'], msg => 'Field required' } ] },
		    '... missing body');
		$r = $srv->raw("POST /api/auth/login HTTP/1.0\r\nContent-Type: application/json\r\n\r\n");
		is_deeply([ $r->{status}, $r->{json}{detail}[0]{type} ], [ 422, 'missing' ],
		    'HTTP/1.0 POST without a length: the same 422');

		# A chunked body: lighttpd collects it and gives the CGI its length;
		# Apache hands it over without CONTENT_LENGTH, which counts as empty.
		my $chunked = post_raw($srv, '/api/auth/login', "Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n");
		my $want = post_raw($srv, '/api/auth/login', "Content-Length: " . ($kind eq 'lighttpd' ? 2 : 0) . "\r\n",
		    $kind eq 'lighttpd' ? '{}' : '');
		is(answer($chunked), answer($want), $kind eq 'lighttpd' ? 'a chunked body arrives whole'
		    : 'a chunked body counts as empty');
		$r = post_raw($srv, '/api/auth/login', "Transfer-Encoding: chunked\r\n", "0\r\n\r\n");
		is($r->{status}, 422, 'an empty chunked body: 422');

		# ---- lighttpd's other refusals of malformed requests ----------------
		if ($kind eq 'lighttpd') {
			$r = $srv->raw("GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n");
			is_deeply([ $r->{status}, $r->{body}, $r->{headers}{'content-type'} ],
			    [ 400, '{"detail":"bad_request"}', 'application/json; charset=utf-8' ],
			    'HTTP/1.1 without Host: 400 in JSON');
			$r = post_raw($srv, '/api/auth/login', "Transfer-Encoding: gzip\r\n");
			is_deeply([ $r->{status}, $r->{body} ], [ 501, '{"detail":"Not Implemented"}' ],
			    'an unknown transfer coding: 501 in JSON');
			$r = $srv->raw("GET /nope.html HTTP/1.1\r\nConnection: close\r\n\r\n");
			is($r->{status}, 400, 'a malformed request for a static path: 400 too');
		}
		like($srv->cgi_log, qr/"cgi":"fallback"/, 'the fallback logs its request line')
		    if $kind eq 'lighttpd';
		$srv->stop;
	};
}

done_testing;
