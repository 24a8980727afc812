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
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep);
use Test::More;

our @EXPORT_OK = qw(root build_dir json run_cgi free_port);

my $ROOT = abs_path(dirname(__FILE__) . '/../..');
sub root { $ROOT }
sub build_dir { $ENV{LTC_BUILD} // "$ROOT/build" }
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
	open my $fh, '>', $conf or die;
	print $fh "$_ = $kv{$_}\n" for sort keys %kv;
	close $fh;
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
	open $fh, '>', "$run/httpd.conf" or die;
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
	my $stdin = ref $args[-1] eq 'SCALAR' ? ${ pop @args } : undef;
	my $cmd = join ' ', map { my $a = $_; $a =~ s/'/'\\''/g; "'$a'" }
	    ($self->{ltcctl} // build_dir() . '/bin/ltcctl', @args);
	local $ENV{LTC_CONF} = $self->{conf};
	# Under Apache as root the CGIs run as www-data: so must every writer.
	$cmd = "runuser -u www-data -- env LTC_CONF='$self->{conf}' $cmd"
	    if $self->{kind} eq 'apache' && $< == 0;
	my $out;
	if (defined $stdin) {
		my $dir = tempdir(CLEANUP => 1);
		open my $fh, '>', "$dir/in"; print $fh $stdin; close $fh;
		$out = `$cmd <'$dir/in' 2>&1`;
	} else {
		$out = `$cmd 2>&1`;
	}
	return wantarray ? ($? >> 8, $out) : $out;
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
	return _result($res->{status}, \%hh, $res->{content} // '');
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

sub sqlite {
	my ($self, $sql) = @_;
	my $db = -e "$self->{data}/ltc.sqlite" ? "$self->{data}/ltc.sqlite" : "$self->{data}/var/ltc.sqlite";
	my $pre = ($self->{kind} eq 'apache' && $< == 0) ? 'runuser -u www-data -- ' : '';
	my $out = `${pre}sqlite3 -batch -cmd '.timeout 5000' '$db' "$sql" 2>&1`;
	chomp $out;
	return $out;
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
