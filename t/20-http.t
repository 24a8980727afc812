#!/usr/bin/perl
# HTTP through a real lighttpd and a real Apache, each started by the test
# on a loopback port with its own data directory: the /api mapping, JSON
# 404/405/413/422 bodies, request ids, security headers, Bearer passing.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir);
use Test::More;

for my $kind (qw(lighttpd apache)) {
	subtest $kind => sub {
		my $srv = $kind eq 'lighttpd'
		    ? LTC->new_lighttpd(conf => { json_max_bytes => 1000 })
		    : LTC->new_apache(conf => { json_max_bytes => 1000 });

		my $r = $srv->get('/api/health');
		is($r->{status}, 200, 'GET /api/health 200');
		is($r->{body}, '{"ok":true}', 'body exactly {"ok":true}');
		like($r->{headers}{'x-request-id'} // '', qr/^[0-9a-f-]{36}$/, 'X-Request-Id generated');
		is($r->{headers}{'content-type'}, 'application/json; charset=utf-8', 'JSON content type');
		is($r->{headers}{'x-frame-options'}, 'DENY', 'security headers from the CGI');
		unlike($r->{headers}{'x-frame-options'}, qr/,/, 'no security header sent twice');
		is($r->{headers}{'cache-control'}, 'no-store', 'no-store');

		is($srv->get('/cgi-bin/health')->{status}, 200, '/cgi-bin/health works identically');
		is($srv->get('/api/health/')->{status}, 200, 'trailing slash ignored');

		for my $p ('/api/nope', '/api/nope/deeper', '/api', '/api/health/nope') {
			$r = $srv->get($p);
			is($r->{status}, 404, "$p -> 404");
			is($r->{body}, '{"detail":"Not Found"}', "$p -> JSON body");
		}

		$r = $srv->post('/api/health', body => '');
		is($r->{status}, 405, 'POST -> 405');
		is($r->{body}, '{"detail":"Method Not Allowed"}', '405 JSON body');
		is($r->{headers}{allow}, 'GET, HEAD', 'Allow header');

		$r = $srv->req('HEAD', '/api/health');
		is($r->{status}, 200, 'HEAD 200');
		is($r->{body}, '', 'HEAD without body');

		# lighttpd itself refuses a GET with a body (400); Apache hands it over.
		if ($kind eq 'apache') {
			$r = $srv->req('GET', '/api/health', body => 'x' x 2000);
			is($r->{status}, 413, 'GET body over json_max_bytes -> 413');
			is($r->{body}, '{"detail":"too_large"}', '413 JSON body');
		}

		for my $q ('x=%zz', 'x=%00', 'x=%C3%28') {
			$r = $srv->get("/api/health?$q");
			is($r->{status}, 422, "?$q -> 422");
			is(eval { $r->{json}{detail}[0]{loc}[0] }, 'query', '... at ["query"]');
		}

		$r = $srv->get('/api/health', headers => { 'X-Request-Id' => 'client-req-0001' });
		is($r->{headers}{'x-request-id'}, 'client-req-0001', 'valid X-Request-Id echoed');
		$r = $srv->get('/api/health', headers => { 'X-Request-Id' => 'bad id' });
		like($r->{headers}{'x-request-id'}, qr/^[0-9a-f-]{36}$/, 'invalid X-Request-Id replaced');
		$r = $srv->get('/api/health', headers => { 'X-Something' => 'v' x 20000 });
		ok($r->{status} == 200 || $r->{status} == 400 || $r->{status} == 431,
		    'overlong header value never crashes a CGI');

		$r = $srv->get('/');
		is($r->{status}, 200, 'static landing page');
		like($r->{headers}{'content-security-policy'} // '', qr/default-src 'self'/, 'static HTML CSP');
		like($r->{body}, qr/Trust-Ampel bewertet ausschließlich|Trust-Ampel bewertet ausschlie/, 'landing page carries the disclaimer');

		if (-x build_dir() . '/cgi-bin/auth' && -x build_dir() . '/bin/ltcctl') {
			my $u = eval { $srv->login(role => 'user') };
			ok($u && $u->{token}, 'real login through ' . $kind) or diag($@);
			if ($u) {
				$r = $srv->get('/api/auth/me', token => $u->{token});
				is($r->{status}, 200, 'Authorization: Bearer reaches the CGI');
				is($r->{json}{auth}, 'bearer', '... as a Bearer session');
			}
			$r = $srv->post('/api/auth/login', body => '{"email":"' . ('x' x 2000) . '"}');
			is($r->{status}, 413, 'POST body over json_max_bytes -> 413');
			is($r->{body}, '{"detail":"too_large"}', '413 JSON body');
			$r = $srv->post('/api/auth/login', body => '{"email":', headers => { 'Content-Type' => 'application/json' });
			is($r->{status}, 422, 'malformed JSON body -> 422');
			is(eval { $r->{json}{detail}[0]{type} }, 'json_invalid', '... json_invalid');
			$r = $srv->post('/api/auth/login', body => "{\"email\":\"a\\u0000b\",\"password\":\"x\"}");
			is($r->{status}, 422, 'NUL in a JSON string -> 422');
			$r = $srv->post('/api/auth/login', body => "{\"email\":\"\xff\xfe\"}");
			is($r->{status}, 422, 'invalid UTF-8 body -> 422');
		}
		$srv->stop;
	};
}
done_testing;
