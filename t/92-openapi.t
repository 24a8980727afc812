#!/usr/bin/perl
# The API description against the code (docs/openapi.yaml):
# 1. it is assembled from docs/openapi/*.yaml by bin/gen-openapi and up to
#    date (also htdocs/src/api.html); the assembler refuses a repeated
#    path+method, a repeated component and foreign top-level keys;
# 2. it describes exactly the routes of every CGI's route table
#    (LTC_ROUTE_TABLE=1): every route, nothing else, the same roles, the
#    moderator detail and the consent flag;
# 3. it passes the OpenAPI linter (@redocly/cli, rules in docs/redocly.yaml)
#    and a full YAML parser reads what the assembler meant;
# 4. lighttpd and Apache serve it as /api/openapi.yaml, and the reference
#    page /api.html loads nothing from elsewhere;
# 5. the answer validator (t/doc/validate.mjs, run by `make test` over every
#    recorded answer) refuses answers the document does not describe.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir json root doc_tools);
use File::Temp qw(tempdir);
use Test::More;

my $root = root();
my $gen = "$root/bin/gen-openapi";

# ---- 1. assembled and up to date -------------------------------------------------
my $out = `perl '$gen' --check '$root' 2>&1`;
is($? >> 8, 0, 'docs/openapi.yaml and htdocs/src/api.html are up to date (bin/gen-openapi)') or diag($out);
my $doc = eval { json()->decode(scalar `perl '$gen' --json '$root'`) };
ok(ref $doc eq 'HASH' && $doc->{openapi} =~ /^3\.1\./, 'the document is OpenAPI 3.1') or BAIL_OUT('no document');

sub assemble {
	my (%files) = @_;
	my $dir = tempdir(CLEANUP => 1);
	mkdir "$dir/docs"; mkdir "$dir/docs/openapi"; mkdir "$dir/htdocs"; mkdir "$dir/htdocs/src";
	system('cp', "$root/docs/openapi/base.yaml", "$dir/docs/openapi/") == 0 or die;
	for my $f (keys %files) {
		open my $fh, '>', "$dir/docs/openapi/$f" or die;
		print $fh $files{$f};
		close $fh;
	}
	my $o = `perl '$gen' '$dir' 2>&1`;
	return ($? >> 8, $o, $dir);
}
my $op = sub {
	my ($id) = @_;
	return "      operationId: $id\n      summary: s\n      x-roles: [user]\n      responses:\n"
	    . "        '200':\n          description: ok\n";
};
my $pp = "    parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n";
my ($rc, $msg, $dir) = assemble('a.yaml' => "paths:\n  /api/x/{id}:\n$pp    get:\n" . $op->('xGet'),
    'b.yaml' => "paths:\n  /api/x/{id}:\n$pp    post:\n" . $op->('xPost'));
is($rc, 0, 'two fragments may describe different methods of one path') or diag($msg);
my $merged = `perl '$gen' --json '$dir'`;
like($merged, qr/"xGet".*"xPost"|"xPost".*"xGet"/s, 'both operations are in the merged document');
($rc, $msg) = assemble('a.yaml' => "paths:\n  /api/x/{id}:\n    get:\n" . $op->('one'),
    'b.yaml' => "paths:\n  /api/x/{id}:\n    get:\n" . $op->('two'));
isnt($rc, 0, 'the same path and method in two fragments is refused');
like($msg, qr{b\.yaml: duplicate operation GET /api/x/\{id\} \(also in a\.yaml\)}, 'the message names both fragments');
($rc, $msg) = assemble('a.yaml' => "paths:\n  /api/x/{id}:\n$pp    get:\n" . $op->('one'),
    'b.yaml' => "paths:\n  /api/x/{id}:\n    parameters: []\n    post:\n" . $op->('two'));
like($msg, qr{b\.yaml: duplicate 'parameters' of /api/x/\{id\}}, 'different path-level parameters are refused');
($rc, $msg) = assemble('a.yaml' => "components:\n  schemas:\n    Error: {type: object}\n");
like($msg, qr{duplicate components/schemas/Error}, 'a component name given twice is refused');
($rc, $msg) = assemble('a.yaml' => "info: {title: x}\npaths: {}\n");
like($msg, qr{top-level key 'info'}, 'a fragment holds only paths and components');
($rc, $msg) = assemble('a.yaml' => "paths:\n  /api/y:\n    get:\n      summary: s\n      responses: {}\n");
like($msg, qr{GET /api/y \(a\.yaml\): no operationId}, 'an operation without operationId is refused');
like($msg, qr{no x-roles}, 'an operation without x-roles is refused');

# ---- 2. the document == the route tables --------------------------------------------
my %ops;
my @METHODS = qw(get put post delete patch);
for my $p (keys %{ $doc->{paths} }) {
	for my $m (grep { $doc->{paths}{$p}{$_} } @METHODS) {
		$ops{ uc($m) . " $p" } = $doc->{paths}{$p}{$m};
	}
}
my %seen;
my $cgidir = build_dir() . '/cgi-bin';
my @groups;
for my $src (sort glob("$root/cgi-bin/*.c")) {
	my ($g) = $src =~ m{/([^/]+)\.c$};
	next if $g eq 'site' || $g eq 'fallback';   # HTML pages, the server's error handler
	push @groups, $g;
	my $bin = "$cgidir/$g";
	ok(-x $bin, "$g: built") or next;
	my $t = eval { json()->decode(scalar do { local $ENV{LTC_ROUTE_TABLE} = 1; `'$bin'` }) };
	ok(ref $t eq 'ARRAY' && @$t, "$g: route table") or next;
	for my $rt (@$t) {
		my $path = $rt->{pattern} eq '/' ? "/api/$g" : "/api/$g$rt->{pattern}";
		my $key = "$rt->{method} $path";
		my $o = $ops{$key};
		ok($o, "$key is documented") or next;
		$seen{$key} = 1;
		# The table's role set: "anonymous" = no sign-in needed; the
		# moderator detail refuses moderators whatever the list says;
		# "other" (an unknown role string) is not a role to document.
		my %roles = map { $_ => 1 } @{ $rt->{roles} };
		delete $roles{moderator} if defined $rt->{mod_detail};
		delete $roles{other};
		my $xr = join ',', sort @{ $o->{'x-roles'} // [] };
		if ($roles{anonymous}) {
			is($xr, 'public', "$key: x-roles [public] (no sign-in needed)");
			is($o->{'x-moderator-detail'}, $rt->{mod_detail}, "$key: x-moderator-detail "
			    . ($rt->{mod_detail} // 'absent'));
		} else {
			is($xr, join(',', sort keys %roles), "$key: x-roles");
			if (defined $rt->{mod_detail}) {
				my $d403 = $o->{responses}{403} // {};
				my $desc = $d403->{description} // ($d403->{'$ref'} ? resolve($d403->{'$ref'})->{description} : '');
				like($desc // '', qr/\b\Q$rt->{mod_detail}\E\b/,
				    "$key: the 403 names the moderator detail $rt->{mod_detail}");
			}
		}
		ok(!!$o->{'x-consent'} == !!$rt->{consent}, "$key: x-consent " . ($rt->{consent} ? 'true' : 'absent'))
		    if exists $o->{'x-consent'} || $rt->{consent};
		# path parameters are named as in the table
		my @tp = $rt->{pattern} =~ /\{(\w+)\}/g;
		my @params = map { $_->{'$ref'} ? resolve($_->{'$ref'}) : $_ }
		    @{ $doc->{paths}{$path}{parameters} // [] }, @{ $o->{parameters} // [] };
		my %in_path = map { $_->{name} => 1 } grep { ($_->{in} // '') eq 'path' } @params;
		is(join(',', sort keys %in_path), join(',', sort @tp), "$key: path parameters");
		ok(exists $o->{responses}{ $rt->{method} eq 'POST' && grep({ $_ eq $key } @{ created() }) ? 201 : 200 }
		    || grep({ /^2/ } keys %{ $o->{responses} }), "$key: a success answer is documented");
		ok(has_example($o), "$key: an example answer");
	}
}
my %grp = map { $_ => 1 } @groups;
for my $key (sort keys %ops) {
	my ($g) = $key =~ m{^\S+ /api/([^/]+)};
	ok($seen{$key}, "$key: documented route exists in the $g route table")
	    if $grp{$g} || !-e "$root/cgi-bin/$g.c";
}

sub resolve {
	my ($ref) = @_;
	my $x = $doc;
	for (split m{/}, substr($ref, 2)) { s/~1/\//g; s/~0/~/g; $x = $x->{$_} }
	return $x;
}
sub created { [] }
sub has_example {
	my ($o) = @_;
	for my $st (grep { /^2/ } keys %{ $o->{responses} }) {
		my $r = $o->{responses}{$st};
		$r = resolve($r->{'$ref'}) if $r->{'$ref'};
		for my $mt (values %{ $r->{content} // {} }) {
			return 1 if exists $mt->{example} || exists $mt->{examples} || $mt->{schema}{contentEncoding};
		}
		return 1 unless $r->{content};   # 303 and other answers without a body
	}
	return 0;
}

# ---- 3. lint, and a full YAML parser agrees with the assembler -------------------------
my $tools = doc_tools();
ok($tools, 'the npm packages of the doc checks are installed (t/doc, npm ci)') or BAIL_OUT('no npm packages');
my $lint = `cd '$root' && '$tools/node_modules/.bin/redocly' lint --config docs/redocly.yaml docs/openapi.yaml 2>&1`;
is($? >> 8, 0, 'redocly lint passes') or diag($lint);
my $parsed = eval { json()->decode(scalar `node '$tools/yaml2json.mjs' '$root/docs/openapi.yaml'`) };
is_deeply($parsed, $doc, 'docs/openapi.yaml read by the npm yaml parser == what bin/gen-openapi assembled');

# ---- 5. the validator refuses what the document does not say ----------------------------
{
	my $d = tempdir(CLEANUP => 1);
	open my $fh, '>', "$d/a.jsonl" or die;
	print $fh json()->encode($_), "\n" for
	    { method => 'GET', path => '/api/health', status => 200, body => { ok => JSON::PP::true } },
	    { method => 'GET', path => '/api/nothing-here', status => 404, body => { detail => 'Not Found' } };
	close $fh;
	my $o = `node '$tools/validate.mjs' '$root/docs/openapi.yaml' '$d/a.jsonl' 2>&1`;
	is($? >> 8, 0, 'validator: a documented answer passes') or diag($o);
	like($o, qr/answers checked: 1, of unknown routes: 1/, 'validator: unknown routes are counted, not judged');
	open $fh, '>', "$d/b.jsonl" or die;
	print $fh json()->encode($_), "\n" for
	    { method => 'GET', path => '/api/health', status => 200, body => { ok => JSON::PP::false } },
	    { method => 'GET', path => '/api/vehicles/abc/', status => 418, body => { detail => 'x' } },
	    { method => 'GET', path => '/api/consent/current', status => 200, body => { required => 'x' } };
	close $fh;
	$o = `node '$tools/validate.mjs' '$root/docs/openapi.yaml' '$d/b.jsonl' 2>&1`;
	is($? >> 8, 1, 'validator: undocumented answers fail');
	like($o, qr{GET /api/health 200: body does not match}, 'validator: a wrong body');
	like($o, qr{GET /api/vehicles/\{vehicle_id\}: status 418 is not documented}, 'validator: an undocumented status');
	like($o, qr{GET /api/consent/current 200: body does not match}, 'validator: a wrong type');
}

# ---- 4. served ------------------------------------------------------------------------------
my $want = do { local (@ARGV, $/) = ("$root/docs/openapi.yaml"); <> };
for my $kind (qw(lighttpd apache)) {
	my $srv = $kind eq 'lighttpd' ? LTC->new_lighttpd : LTC->new_apache;
	my $r = $srv->get('/api/openapi.yaml');
	is($r->{status}, 200, "$kind: GET /api/openapi.yaml 200");
	like($r->{headers}{'content-type'} // '', qr{^application/yaml}, "$kind: served as application/yaml");
	ok($r->{body} eq $want, "$kind: the bytes of docs/openapi.yaml");
	$r = $srv->get('/api/openapi.yaml/x');
	is($r->{status}, 404, "$kind: nothing below it");
	$r = $srv->get('/api.html');
	is($r->{status}, 200, "$kind: GET /api.html 200");
	like($r->{body}, qr{<code>POST /api/vehicles</code>}, "$kind: the reference lists the routes");
	unlike($r->{body}, qr{<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//}i,
	    "$kind: the reference loads nothing from another site");
	like($r->{headers}{'content-security-policy'} // '', qr/default-src 'self'/, "$kind: with the site's CSP");
	$srv->stop;
}

done_testing;
