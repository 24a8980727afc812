package LTC;
# Test harness: real CGI binaries, a real lighttpd or Apache on loopback,
# a real SQLite file. Every server gets its own data directory and port.
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempdir);
use File::Basename qw(dirname);
use Cwd qw(abs_path);
use HTTP::Tiny;
use IO::Socket::INET;
use JSON::PP;
use Digest::SHA qw(hmac_sha256);
use MIME::Base64 qw(encode_base64url);
use POSIX qw(:sys_wait_h strftime);
use Time::HiRes qw(sleep);
use Time::Local qw(timegm);
use Test::More;

our @EXPORT_OK = qw(root build_dir json run_cgi free_port sq uuid write_conf run_ltcctl
    sqlite_file api_ts store_ts items is_422 e2e_run record_answer doc_tools);

my $ROOT = abs_path(dirname(__FILE__) . '/../..');
sub root { $ROOT }
sub build_dir { $ENV{LTC_BUILD} // "$ROOT/build" }

# Runs the browser script t/e2e/$script (Debian's Chromium through
# playwright-core, npm packages pinned in t/e2e/package-lock.json and
# installed with `npm ci` when missing) against $srv and relays its TAP:
# its test points become ours, its comments diag. Screenshots go to
# $LTC_TEST_OUT/$subdir (default t/out/$subdir).
sub e2e_run {
	my ($srv, $script, $subdir) = @_;
	my $e2e = "$ROOT/t/e2e";
	my $chromium = $ENV{LTC_CHROMIUM} // '/usr/bin/chromium';
	ok(-x $chromium, "Chromium at $chromium (Debian package chromium)") or BAIL_OUT('no chromium');
	my $node = `command -v node 2>/dev/null`;
	chomp $node;
	ok($node ne '', 'node is installed (Debian packages nodejs, npm)') or BAIL_OUT('no node');
	# Browser tests run side by side under prove -j2: one npm ci at a time.
	open(my $lock, '>', "$e2e/.npm-ci.lock") or die "lock: $!";
	flock($lock, 2) or die "flock: $!";
	unless (-f "$e2e/node_modules/playwright-core/package.json" && -f "$e2e/node_modules/axe-core/axe.min.js") {
		my $log = `cd '$e2e' && npm ci --no-audit --no-fund --loglevel=error 2>&1`;
		is($? >> 8, 0, 'npm ci installs the browser test packages') or diag($log);
	}
	close $lock;
	ok(-f "$e2e/node_modules/playwright-core/package.json", 'playwright-core is there') or BAIL_OUT('no playwright-core');
	my $out = ($ENV{LTC_TEST_OUT} // "$ROOT/t/out") . "/$subdir";
	system('mkdir', '-p', $out);
	unlink glob("$out/*.png");
	local $ENV{LTC_E2E_BASE} = $srv->base;
	local $ENV{LTC_E2E_DATA} = $srv->data;
	local $ENV{LTC_E2E_CONF} = $srv->conf_file;
	local $ENV{LTC_E2E_LTCCTL} = build_dir() . '/bin/ltcctl';
	local $ENV{LTC_E2E_OUT} = $out;
	local $ENV{LTC_CHROMIUM} = $chromium;
	my $pid = open(my $tap, '-|') // die "fork: $!";
	if ($pid == 0) {
		open STDERR, '>&', \*STDOUT;
		chdir $e2e or die;
		exec 'timeout', '600', 'node', $script or exit 127;
	}
	my ($points, $plan) = (0, undef);
	my $tb = Test::More->builder;
	while (my $line = <$tap>) {
		chomp $line;
		if ($line =~ /^(not )?ok \d+ - (.*?)(?: # SKIP (.*))?$/) {
			$points++;
			my ($bad, $name, $why) = ($1, $2, $3);
			$name =~ s/\\#/#/g;
			if (defined $why) {
				$tb->skip("$name: $why");
			} else {
				ok(!$bad, $name);
			}
		} elsif ($line =~ /^1\.\.(\d+)$/) {
			$plan = $1;
		} elsif ($line =~ /^# (.*)$/) {
			diag($1);
		} elsif ($line ne '') {
			diag($line);
		}
	}
	close $tap;
	my $rc = $? >> 8;
	ok(defined $plan && $plan == $points, "the browser script ran to its end ($points test points)");
	ok($rc == 0, 'the browser script exits 0') or diag("exit $rc");
}
my $JSON = JSON::PP->new->utf8->canonical->allow_nonref;
sub json { $JSON }

sub free_port {
	for (1 .. 50) {
		my $p = 20000 + int(rand(30000));
		my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $p,
		    Proto => 'tcp', ReuseAddr => 1);
		if ($s) { close $s; return $p }
	}
	die "no free port";
}

# ---- small helpers -----------------------------------------------------------

# An SQL string literal that survives any quoting (JSON has '"', a
# make or model may hold anything): hex, cast back to text. undef is NULL.
sub sq {
	my ($s) = @_;
	return 'NULL' unless defined $s;
	utf8::encode($s) if utf8::is_utf8($s);
	return "CAST(X'" . unpack('H*', $s) . "' AS TEXT)";
}

# A fresh UUIDv4-shaped id, unique within this process.
my $uuid_seq = 0;
sub uuid {
	$uuid_seq++;
	return sprintf('%08x-%04x-4%03x-8%03x-%012x', 0x7e570000 + $uuid_seq, $$ & 0xffff,
	    $uuid_seq & 0xfff, ($uuid_seq >> 12) & 0xfff, $uuid_seq * 104729);
}

# Timestamps: the API's (second precision) and the stored one (microseconds).
sub api_ts { strftime('%Y-%m-%dT%H:%M:%SZ', gmtime($_[0])) }
sub store_ts { strftime('%Y-%m-%dT%H:%M:%S.000000Z', gmtime($_[0])) }

# Writes an ltc.conf ("key = value", sorted; an undef value leaves the
# key out), mode 0600.
sub write_conf {
	my ($path, %kv) = @_;
	open my $fh, '>', "$path.tmp" or die "$path: $!";
	for (sort keys %kv) { print $fh "$_ = $kv{$_}\n" if defined $kv{$_} }
	close $fh;
	chmod 0600, "$path.tmp";
	rename "$path.tmp", $path or die "$path: $!";
}

# Runs a command without a shell: (exit code, stdout and stderr). A
# last argument \"text" is its stdin.
sub _capture {
	my (@cmd) = @_;
	my $stdin = ref $cmd[-1] eq 'SCALAR' ? ${ pop @cmd } : undef;
	my $dir = tempdir(CLEANUP => 1);
	open my $in, '>', "$dir/in" or die;
	print $in $stdin // '';
	close $in;
	my $pid = open(my $out, '-|') // die "fork: $!";
	if ($pid == 0) {
		open STDIN, '<', "$dir/in" or die;
		open STDERR, '>&', \*STDOUT or die;
		exec @cmd or exit 127;
	}
	local $/;
	my $o = <$out> // '';
	close $out;
	return ($? >> 8, $o);
}

# ltcctl against a config file, without a server: (exit code, output).
# A last argument \"text" is its stdin.
sub run_ltcctl {
	my ($conf, @args) = @_;
	local $ENV{LTC_CONF} = $conf;
	return _capture(build_dir() . '/bin/ltcctl', @args);
}

# sqlite3 on a database file, without a shell in between: SQL may hold
# any quote or '$'. Output (errors included) without the last newline.
sub sqlite_file {
	my ($db, $sql, @prefix) = @_;
	my (undef, $o) = _capture(@prefix, 'sqlite3', '-batch', '-cmd', '.timeout 5000', $db, $sql);
	$o =~ s/\n\z//;
	return $o;
}

# The 422 items of an answer as [type, loc...] lists.
sub items {
	my ($r) = @_;
	my $d = ref $r->{json} eq 'HASH' ? $r->{json}{detail} : undef;
	return [ map { [ $_->{type}, @{ $_->{loc} } ] } @{ ref $d eq 'ARRAY' ? $d : [] } ];
}

# A 422 with exactly these items ([type, loc...]), each with exactly
# type, loc and msg.
sub is_422 {
	my ($r, $want, $name) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	is($r->{status}, 422, "$name: 422") or diag($r->{body});
	is_deeply(items($r), $want, "$name: items");
	my $d = ref $r->{json} eq 'HASH' ? $r->{json}{detail} : undef;
	ok(!grep({ join(',', sort keys %$_) ne 'loc,msg,type' } @{ ref $d eq 'ARRAY' ? $d : [] }),
	    "$name: items have exactly type, loc, msg");
}

# Parses a CGI or HTTP response head+body into a hash.
sub _parse_cgi {
	my ($out) = @_;
	my ($head, $body) = split /\r?\n\r?\n/, $out, 2;
	$body //= '';
	my %h;
	my $status = 200;
	for my $line (split /\r?\n/, $head // '') {
		my ($k, $v) = $line =~ /^([^:]+):\s*(.*)$/ or next;
		$k = lc $k;
		if ($k eq 'status') { ($status) = $v =~ /^(\d+)/; next }
		$h{$k} = exists $h{$k} ? "$h{$k}, $v" : $v;
	}
	return _result($status, \%h, $body);
}

sub _result {
	my ($status, $h, $body) = @_;
	my $r = { status => $status, headers => $h, body => $body };
	if (($h->{'content-type'} // '') =~ m{application/json}) {
		$r->{json} = eval { $JSON->decode($body) };
	}
	return $r;
}

# With RECORD_API_ANSWERS=FILE, every JSON answer of an /api route (through
# a server or a CGI run directly) is appended to FILE as one JSON line
# {method, path, status, body}; t/doc/validate.mjs checks them against the
# documented response schemas of docs/openapi.yaml (`make test` does).
sub record_answer {
	my ($method, $path, $r, $file) = @_;
	$file //= $ENV{RECORD_API_ANSWERS};
	return unless defined $file && $file ne '' && defined $r->{json};
	$path =~ s/[?#].*//s;
	return unless $path =~ m{^/api(?:/|$)};
	my $line = $JSON->encode({ method => uc $method, path => $path, status => 0 + $r->{status},
	    body => $r->{json} });
	open my $fh, '>>', $file or return;
	flock $fh, 2;
	print $fh "$line\n";
	close $fh;
}

# The npm packages of the documentation checks (t/doc: the OpenAPI linter,
# ajv, yaml; versions pinned in t/doc/package-lock.json), installed with
# `npm ci` once, under a lock so parallel tests wait for each other.
# Returns the directory, or undef (with a diagnostic) when that fails.
sub doc_tools {
	my $dir = "$ROOT/t/doc";
	open my $lock, '>', "$dir/.npm-lock" or return undef;
	flock $lock, 2;
	unless (-f "$dir/node_modules/.bin/redocly" && -f "$dir/node_modules/ajv/package.json"
	    && -f "$dir/node_modules/yaml/package.json" && -f "$dir/node_modules/ajv-formats/package.json") {
		my $log = `cd '$dir' && npm ci --no-audit --no-fund --loglevel=error 2>&1`;
		if ($? != 0) { diag("npm ci in t/doc failed:\n$log"); return undef }
	}
	close $lock;
	return $dir;
}

# Runs a CGI binary directly (the cgit way): env hash, optional stdin body.
sub run_cgi {
	my ($group, %o) = @_;
	my $bin = build_dir() . "/cgi-bin/$group";
	my $body = $o{body} // '';
	my %env = (REQUEST_METHOD => 'GET', PATH_INFO => '', QUERY_STRING => '',
	    REMOTE_ADDR => '127.0.0.1', SERVER_PROTOCOL => 'HTTP/1.1',
	    %{ $o{env} // {} });
	$env{CONTENT_LENGTH} //= length($body) if length $body;
	my $dir = tempdir(CLEANUP => 1);
	open my $fh, '>:raw', "$dir/in" or die;
	print $fh $body;
	close $fh;
	my $pid = open(my $out, '-|') // die "fork: $!";
	if ($pid == 0) {
		%ENV = (%ENV, %env);
		delete $ENV{$_} for grep { !defined $env{$_} && /^(HTTP_|CONTENT_)/ } keys %ENV;
		open STDIN, '<', "$dir/in" or die;
		open STDERR, '>>', "$dir/err" or die;
		exec $bin or die "exec $bin: $!";
	}
	local $/;
	binmode $out;
	my $all = <$out>;
	close $out;
	my $rc = $? >> 8;
	my $r = _parse_cgi($all // '');
	$r->{exit} = $rc;
	record_answer($env{REQUEST_METHOD}, "/api/$group$env{PATH_INFO}", $r)
	    if $group ne 'site' && $group ne 'fallback';
	$r->{stderr} = do { local (@ARGV, $/) = ("$dir/err"); -e "$dir/err" ? <> : '' };
	return $r;
}

# ---- servers -------------------------------------------------------------

sub new_lighttpd {
	my ($class, %o) = @_;
	my $self = bless { kind => 'lighttpd' }, $class;
	$self->{port} = free_port();
	$self->{data} = tempdir('ltc-t-XXXXXX', TMPDIR => 1, CLEANUP => 1);
	$self->{base} = "http://127.0.0.1:$self->{port}";
	# Config keys reach the dev config as LTC_<KEY> (bin/devserver.sh).
	my %env = (LTC_ENV => 'test',
	    map { ('LTC_' . uc($_) => $o{conf}{$_}) } keys %{ $o{conf} // {} });
	my $pid = fork // die;
	if ($pid == 0) {
		$ENV{$_} = $env{$_} for keys %env;
		open STDOUT, '>>', "$self->{data}/server.log";
		open STDERR, '>>', "$self->{data}/server.log";
		setpgrp(0, 0);
		exec 'sh', "$ROOT/bin/devserver.sh", $self->{port}, $self->{data} or exit 127;
	}
	$self->{pid} = $pid;
	$self->{conf} = "$self->{data}/ltc.conf";
	$self->_wait_up;
	return $self;
}

sub new_apache {
	my ($class, %o) = @_;
	my $self = bless { kind => 'apache' }, $class;
	$self->{port} = free_port();
	$self->{data} = tempdir('ltc-a-XXXXXX', TMPDIR => 1, CLEANUP => 1);
	chmod 0755, $self->{data};
	$self->{base} = "http://127.0.0.1:$self->{port}";
	my $run = "$self->{data}/run";
	mkdir $run;
	my $conf = "$self->{data}/ltc.conf";
	my $secret = `"@{[build_dir()]}/bin/ltcctl" gen-secret`;
	chomp $secret;
	my %kv = (env => 'test', secret_key => $secret, data_dir => "$self->{data}/var",
	    public_base_url => $self->{base}, %{ $o{conf} // {} });
	write_conf($conf, %kv);
	$self->{conf} = $conf;
	system("LTC_CONF=$conf '@{[build_dir()]}/bin/ltcctl' init >/dev/null") == 0 or die "init";
	my ($user, $group) = ($<) == 0 ? ('www-data', 'www-data') : (scalar getpwuid($<), scalar getgrgid($());
	my ($cgibin, $htdocs) = (build_dir() . '/cgi-bin', build_dir() . '/htdocs');
	if ($< == 0) {
		# The CGIs run as www-data, which may not traverse the checkout
		# (e.g. under /root): serve copies from the test's own directory.
		system('cp', '-a', $cgibin, "$self->{data}/cgi-bin") == 0 or die;
		system('cp', '-a', $htdocs, "$self->{data}/htdocs") == 0 or die;
		mkdir "$self->{data}/bin";
		system('cp', build_dir() . '/bin/ltcctl', "$self->{data}/bin/ltcctl") == 0 or die;
		($cgibin, $htdocs) = ("$self->{data}/cgi-bin", "$self->{data}/htdocs");
		$self->{ltcctl} = "$self->{data}/bin/ltcctl";
		system('chown', '-R', 'www-data:www-data', $self->{data}) == 0 or die;
	}
	my $tpl = do { local (@ARGV, $/) = ("$ROOT/conf/apache-test.conf.in"); <> };
	my %sub = (PORT => $self->{port}, RUNDIR => $run, HTDOCS => $htdocs,
	    CGIBIN => $cgibin, CONF => $conf, USER => $user,
	    GROUP => $group, LIMITBODY => 10551296);
	$tpl =~ s/\@(\w+)\@/exists $sub{$1} ? $sub{$1} : "\@$1\@"/ge;
	open my $fh, '>', "$run/httpd.conf" or die;
	print $fh $tpl;
	close $fh;
	$self->{httpd_conf} = "$run/httpd.conf";
	my $pid = fork // die;
	if ($pid == 0) {
		open STDOUT, '>>', "$self->{data}/server.log";
		open STDERR, '>>', "$self->{data}/server.log";
		setpgrp(0, 0);
		exec 'apache2', '-f', "$run/httpd.conf", '-DFOREGROUND' or exit 127;
	}
	$self->{pid} = $pid;
	$self->_wait_up;
	return $self;
}

sub _wait_up {
	my ($self) = @_;
	for (1 .. 200) {
		my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port},
		    Proto => 'tcp');
		if ($s) { close $s; return }
		if (waitpid($self->{pid}, WNOHANG) > 0) {
			diag($self->log);
			die "$self->{kind} exited";
		}
		sleep 0.05;
	}
	diag($self->log);
	die "$self->{kind} did not start";
}

sub log {
	my ($self) = @_;
	my $s = '';
	for my $f ("$self->{data}/server.log", "$self->{data}/run/lighttpd-error.log",
	    "$self->{data}/run/cgi-stderr.log", "$self->{data}/run/apache-error.log") {
		next unless -e $f;
		$s .= do { local (@ARGV, $/) = ($f); <> };
	}
	return $s;
}

sub stop {
	my ($self) = @_;
	return unless $self->{pid};
	kill 'TERM', -$self->{pid};
	kill 'TERM', $self->{pid};
	for (1 .. 100) { last if waitpid($self->{pid}, WNOHANG) != 0; sleep 0.05 }
	kill 'KILL', -$self->{pid};
	delete $self->{pid};
	# Any sanitizer report from a CGI lands in the server's error log.
	my $log = $self->log;
	unless ($self->{no_sanitizer_check}) {
		ok($log !~ /(AddressSanitizer|LeakSanitizer|runtime error:)/,
		    "$self->{kind}: no sanitizer report in the server log")
		    or diag(substr($log, 0, 4000));
	}
}

sub DESTROY { my $s = shift; if ($s->{pid}) { kill 'KILL', -$s->{pid}; kill 'KILL', $s->{pid} } }

sub base { $_[0]{base} }
sub data { $_[0]{data} }
sub conf_file { $_[0]{conf} }

# Rewrites (or adds) keys in the server's ltc.conf; CGIs read it per request.
sub set_conf {
	my ($self, %kv) = @_;
	my @lines = do { open my $fh, '<', $self->{conf} or die; <$fh> };
	for my $k (keys %kv) {
		@lines = grep { !/^\Q$k\E\s*=/ } @lines;
		push @lines, "$k = $kv{$k}\n" if defined $kv{$k};
	}
	open my $fh, '>', "$self->{conf}.tmp" or die;
	print $fh @lines;
	close $fh;
	rename "$self->{conf}.tmp", $self->{conf} or die;
	chmod 0600, $self->{conf};
	if ($self->{kind} eq 'apache' && $< == 0) { system('chown', 'www-data', $self->{conf}) }
}

sub ltcctl {
	my ($self, @args) = @_;
	local $ENV{LTC_CONF} = $self->{conf};
	# Under Apache as root the CGIs run as www-data: so must every writer.
	my @pre = ($self->{kind} eq 'apache' && $< == 0)
	    ? ('runuser', '-u', 'www-data', '--', 'env', "LTC_CONF=$self->{conf}") : ();
	my ($rc, $out) = _capture(@pre, $self->{ltcctl} // build_dir() . '/bin/ltcctl', @args);
	return wantarray ? ($rc, $out) : $out;
}

my $http = HTTP::Tiny->new(timeout => 60, max_redirect => 0);

# $srv->req(METHOD, PATH, json => {...} | body => '...', headers => {...},
#   token => BEARER, cookie => TOKEN, csrf => TOKEN)
sub req {
	my ($self, $method, $path, %o) = @_;
	my %h = %{ $o{headers} // {} };
	$h{Authorization} = "Bearer $o{token}" if defined $o{token};
	if (defined $o{cookie}) {
		$h{Cookie} = "ltc_session=$o{cookie}";
		$h{'X-CSRF-Token'} = $o{csrf} if defined $o{csrf};
	}
	my $content = $o{body};
	if (exists $o{json}) {
		$content = $JSON->encode($o{json});
		$h{'Content-Type'} //= 'application/json';
	}
	$content = '' if !defined $content && $method =~ /^(POST|PUT|PATCH|DELETE)$/;
	my $res = $http->request($method, $self->{base} . $path,
	    { headers => \%h, defined $content ? (content => $content) : () });
	my %hh;
	for my $k (keys %{ $res->{headers} }) {
		my $v = $res->{headers}{$k};
		$hh{lc $k} = ref $v ? join(', ', @$v) : $v;
	}
	$hh{'set-cookie-list'} = ref $res->{headers}{'set-cookie'} ? $res->{headers}{'set-cookie'}
	    : defined $res->{headers}{'set-cookie'} ? [ $res->{headers}{'set-cookie'} ] : [];
	my $r = _result($res->{status}, \%hh, $res->{content} // '');
	record_answer($method, $path, $r);
	return $r;
}

# One request written as is on a fresh connection (requests HTTP::Tiny
# cannot send: no Content-Length, a missing Host, ...); the answer is
# read to the end, a chunked body decoded.
sub raw {
	my ($self, $request) = @_;
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port},
	    Proto => 'tcp', Timeout => 60) or die "connect: $!";
	binmode $s;
	print $s $request;
	local $/;
	my $all = <$s> // '';
	close $s;
	my ($head, $body) = split /\r\n\r\n/, $all, 2;
	my ($status) = ($head // '') =~ m{^HTTP/1\.[01] (\d{3})};
	my %h;
	for my $line (split /\r\n/, $head // '') {
		my ($k, $v) = $line =~ /^([^:]+):\s*(.*)$/ or next;
		$k = lc $k;
		$h{$k} = exists $h{$k} ? "$h{$k}, $v" : $v;
	}
	$body //= '';
	if (($h{'transfer-encoding'} // '') =~ /chunked/i) {
		my $d = '';
		while ($body =~ s/^([0-9a-fA-F]+)[^\r]*\r\n//) {
			my $n = hex $1;
			last if $n == 0;
			$d .= substr($body, 0, $n, '');
			$body =~ s/^\r\n//;
		}
		$body = $d;
	}
	return _result($status // 0, \%h, $body);
}

sub get    { my ($s, $p, %o) = @_; $s->req('GET', $p, %o) }
sub post   { my ($s, $p, %o) = @_; $s->req('POST', $p, %o) }

# Newest mail in the outbox for the given challenge id (or the newest).
sub outbox {
	my ($self, $challenge) = @_;
	my $dir = "$self->{data}/outbox";
	$dir = "$self->{data}/var/outbox" unless -d $dir;
	opendir my $d, $dir or return;
	my @f = sort grep { /\.eml$/ } readdir $d;
	@f = grep { /\Q$challenge\E/ } @f if $challenge;
	return unless @f;
	return do { local (@ARGV, $/) = ("$dir/$f[-1]"); <> };
}

# SQL on the server's database (no shell in between, see sqlite_file).
sub sqlite {
	my ($self, $sql) = @_;
	my $db = -e "$self->{data}/ltc.sqlite" ? "$self->{data}/ltc.sqlite" : "$self->{data}/var/ltc.sqlite";
	# Under Apache as root the CGIs run as www-data: so must every writer.
	my @pre = ($self->{kind} eq 'apache' && $< == 0) ? qw(runuser -u www-data --) : ();
	return sqlite_file($db, $sql, @pre);
}

# SELECT count(*) FROM <what> ("table" or "table WHERE ..."), a number.
sub count {
	my ($self, $what) = @_;
	my $n = $self->sqlite("SELECT count(*) FROM $what");
	die "count $what: $n\n" unless $n =~ /^\d+$/;
	return $n + 0;
}

sub _where {
	my ($w) = @_;
	$w = { action => $w } unless ref $w;
	my @c = map { defined $w->{$_} ? "$_ = " . sq($w->{$_}) : "$_ IS NULL" } sort keys %$w;
	return @c ? 'WHERE ' . join(' AND ', @c) : '';
}

# Audit rows matching a where hash ({ action => ..., target_id => ... };
# undef is IS NULL; a plain string is the action) as "col|col|..."
# strings, NULL as '', oldest first.
sub audit_rows {
	my ($self, $where, @cols) = @_;
	@cols = qw(action result reason_code scope target_id metadata_json) unless @cols;
	my $out = $self->sqlite('SELECT ' . join(" || '|' || ", map { "coalesce($_, '')" } @cols)
	    . ' FROM audit_events ' . _where($where) . ' ORDER BY rowid');
	return [ grep { length } split /\n/, $out ];
}

# The newest of those rows, or undef.
sub last_audit {
	my ($self, $where, @cols) = @_;
	return $self->audit_rows($where, @cols)->[-1];
}

# How many audit rows of this action (and target) there are.
sub audits {
	my ($self, $action, $target) = @_;
	return $self->count('audit_events ' . _where({ action => $action,
	    defined $target ? (target_id => $target) : () }));
}

sub secret {
	my ($self) = @_;
	open my $fh, '<', $self->{conf} or die "$self->{conf}: $!";
	my ($s) = map { /^secret_key\s*=\s*(\S+)/ ? $1 : () } <$fh>;
	return $s;
}

# The server clock (test_now) at an epoch second.
sub set_now {
	my ($self, $t) = @_;
	$self->set_conf(test_now => api_ts($t));
}

# test_now of the config as an epoch second, else the real clock.
sub now {
	my ($self) = @_;
	open my $fh, '<', $self->{conf} or die;
	my ($y, $mo, $d, $h, $mi, $s) = map { /^test_now\s*=\s*(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)Z/ ? ($1, $2, $3, $4, $5, $6) : () } <$fh>;
	return defined $y ? timegm($s, $mi, $h, $d, $mo - 1, $y) : time;
}

# ---- rows written directly (fixtures) -------------------------------------------

my $FIXTURE_TS = '2026-02-01T09:00:00.000000Z';

sub _insert {
	my ($self, $table, %row) = @_;
	my @k = sort keys %row;
	my $out = $self->sqlite("INSERT INTO $table (" . join(', ', @k) . ') VALUES ('
	    . join(', ', map { sq($row{$_}) } @k) . ');');
	die "fixture $table: $out" if $out ne '';
}

sub _uid { my ($o) = @_; ref $o ? $o->{user_id} : $o }

# An active account of a role with an open session, written directly
# (the token is stored as base64url(HMAC(secret, token)), security.md
# 2.1), valid at the server clock. Returns { token, user_id }.
sub session_row {
	my ($self, $role, %o) = @_;
	my ($uid, $sid) = ($o{user_id} // uuid(), uuid());
	my $token = "tok-$role-" . uuid() . '-' . ('z' x 16);
	my $now = $self->now;
	$self->_insert('auth_users', user_id => $uid, email_hmac => "eh-$uid", role => $role,
	    status => 'active', email_verified_at => $FIXTURE_TS, created_at => $FIXTURE_TS,
	    updated_at => $FIXTURE_TS) unless $o{user_id};
	$self->_insert('auth_sessions', session_id => $sid, user_id => $uid,
	    token_hash => encode_base64url(hmac_sha256($token, $self->secret)), auth_method => 'password',
	    created_at => store_ts($now - 60), expires_at => store_ts($now + 8 * 3600 - 60),
	    last_seen_at => store_ts($now - 60));
	return { token => $token, user_id => $uid };
}

# A vehicle row; returns its public id. owner: a user id or a login hash;
# meta: a hash (stored as JSON) or text; deleted: soft-deleted ("sold").
sub vehicle_row {
	my ($self, %o) = @_;
	my $id = $o{id} // uuid();
	my $meta = ref $o{meta} ? $JSON->encode($o{meta}) : $o{meta};
	$self->_insert('vehicles', public_id => $id, owner_user_id => _uid($o{owner}) // uuid(),
	    vin_prefix3 => $o{vin3} // 'WVW', vin_last4 => $o{vin4} // '0001',
	    vin_hmac => $o{vin_hmac} // ('ab' x 32), meta_json => $meta,
	    created_at => $o{created_at} // $FIXTURE_TS, updated_at => $o{created_at} // $FIXTURE_TS,
	    deleted_at => $o{deleted} ? $FIXTURE_TS : undef, delete_reason => $o{deleted} ? 'sold' : undef);
	return $id;
}

# A timeline entry of a vehicle; returns its id. level: T1/T2/T3 or
# undef; latest: 0 for an older version of group.
sub entry_row {
	my ($self, %o) = @_;
	my $id = $o{id} // uuid();
	my $owner = _uid($o{owner}) // $self->sqlite('SELECT owner_user_id FROM vehicles WHERE public_id = '
	    . sq($o{vehicle}));
	$self->_insert('vehicle_entries', id => $id, vehicle_id => $o{vehicle}, owner_user_id => $owner,
	    created_by_user_id => $owner, entry_group_id => $o{group} // uuid(), version => $o{version} // 1,
	    is_latest => $o{latest} // 1, entry_date => $o{date} // '2025-05-01',
	    entry_type => $o{type} // 'Service', performed_by => $o{performed_by} // 'Fachwerkstatt',
	    km => $o{km} // 123456, exists $o{note} ? (note => $o{note}) : (note => 'Notiz-Geheim'),
	    exists $o{cost_cents} ? (cost_cents => $o{cost_cents}) : (cost_cents => 12050),
	    trust_level => $o{level}, created_at => $FIXTURE_TS, updated_at => $FIXTURE_TS);
	return $id;
}

# A document row (no file behind it); returns its id.
sub document_row {
	my ($self, %o) = @_;
	my $id = $o{id} // unpack('H*', pack('N4', time, $$, ++$uuid_seq, 0x5eed));
	my $owner = _uid($o{owner}) // $self->sqlite('SELECT owner_user_id FROM vehicles WHERE public_id = '
	    . sq($o{vehicle}));
	$self->_insert('documents', id => $id, owner_user_id => $owner, created_by_user_id => $owner,
	    vehicle_id => $o{vehicle}, filename => $o{filename} // 'rechnung_geheim.pdf',
	    content_type => 'application/pdf', size_bytes => 4242,
	    checksum_sha256 => exists $o{checksum} ? $o{checksum} : ('cd' x 32), storage_key => "k/$id",
	    approval_status => $o{approval} // 'QUARANTINED', scan_status => $o{scan} // 'PENDING',
	    pii_status => $o{pii} // 'OK', created_at => $FIXTURE_TS,
	    deleted_at => $o{deleted} ? $FIXTURE_TS : undef);
	return $id;
}

# stderr of the CGIs under lighttpd: request log lines, sanitizer reports.
sub cgi_log {
	my ($self) = @_;
	my $f = "$self->{data}/run/cgi-stderr.log";
	return -e $f ? do { local (@ARGV, $/) = ($f); <> } : '';
}

# Runs a group's binary directly (the cgit way) with the session of a real
# login: lighttpd may end a CGI before its exit-time leak check runs, so
# this is where a sanitizer build shows leaks. Asserts a clean exit.
sub direct {
	my ($self, $group, $u, $m, $path, $json) = @_;
	my ($p, $q) = split /\?/, $path, 2;
	my %env = (LTC_CONF => $self->{conf}, REQUEST_METHOD => $m, PATH_INFO => $p,
	    QUERY_STRING => $q // '', HTTP_HOST => '127.0.0.1',
	    HTTP_AUTHORIZATION => "Bearer $u->{token}");
	my $r = run_cgi($group, env => \%env, defined $json ? (body => $JSON->encode($json)) : ());
	unlike($r->{stderr}, qr/Sanitizer|runtime error:/, "direct $m $path: no sanitizer report")
	    or diag($r->{stderr});
	is($r->{exit}, 0, "direct $m $path: exit 0");
	return $r;
}

# Runs n calls at once (forked children released together, each its own
# request); returns [status, detail] per call, in call order.
sub concurrently {
	my ($self, $n, $call) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my $go = Time::HiRes::time() + 1;
	my @pids;
	for my $i (1 .. $n) {
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			sleep(0.001) while Time::HiRes::time() < $go;
			my $r = $call->($i);
			if (open my $fh, '>', "$dir/$i") {
				print $fh $JSON->encode([ $r->{status} + 0,
				    $r->{json} ? $r->{json}{detail} : undef ]);
				close $fh;
			}
			# No destructors: the server object would stop the server.
			POSIX::_exit(0);
		}
		push @pids, $pid;
	}
	waitpid($_, 0) for @pids;
	return [ map { my $f = "$dir/$_"; -e $f ? $JSON->decode(do { local (@ARGV, $/) = ($f); <> })
	    : [ 0, 'no answer' ] } 1 .. $n ];
}

my $seq = 0;

# A real login: `ltcctl user add` creates a verified account with a
# password, POST /api/auth/login opens the session, and (unless
# consent => 0) POST /api/consent/accept records the current versions.
# Returns { user_id, token, csrf, role, email, password }.
sub login {
	my ($self, %o) = @_;
	my $role = $o{role} // 'user';
	my $email = $o{email} // sprintf('%s%d.%d@example.org', $role, $$, ++$seq);
	my $password = $o{password} // 'correct horse battery';
	my ($rc, $out) = $self->ltcctl('user', 'add', $email, '--role', $role,
	    '--password-stdin', \"$password\n");
	die "ltcctl user add failed ($rc): $out" if $rc != 0;
	my $r = $self->post('/api/auth/login', json => { email => $email, password => $password });
	die "login failed: $r->{status} $r->{body}" if $r->{status} != 200;
	my $u = { user_id => $r->{json}{user_id}, token => $r->{json}{access_token},
	    csrf => $r->{json}{csrf_token}, role => $r->{json}{role}, email => $email,
	    password => $password };
	if ($o{consent} // 1) {
		my $c = $self->get('/api/consent/current')->{json}{required};
		my $a = $self->post('/api/consent/accept', token => $u->{token}, json => {
		    consents => [ map { { %$_, accepted_at => '2026-01-01T00:00:00Z', source => 'api' } } @$c ] });
		die "consent failed: $a->{status} $a->{body}" if $a->{status} != 200;
	}
	return $u;
}

1;
