#!/usr/bin/perl
# /api/support/* over HTTP (api.md 16a, domain.md 0.7, 14, 16; frontend.md
# 5.5): the contact form as JSON (201) and as a plain urlencoded form post
# (303 to the thanks page, the form again on errors), the honeypot, the rate
# limits, CSRF, the moderator block, the encrypted reply address, the admin
# inbox and its status changes, the audit rows, and what never reaches a log
# or an audit row.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(json);
use Test::More;

my $T0 = '2026-03-05T10:00:00Z';
my $srv = LTC->new_lighttpd;
# High limits while the behaviour is tested; the limits get their own part.
$srv->set_conf(test_now => $T0, rl_support_ip_limit => 100000, rl_support_user_limit => 100000,
    session_idle_seconds => 864000, session_ttl_seconds => 864000);	# the clock moves by days

my $rid_seq = 0;
sub call {
	my ($a, $method, $path, %o) = @_;
	my $rid = sprintf('t57-%d-%05d', $$, ++$rid_seq);
	my %h = (%{ $o{headers} // {} }, 'X-Request-Id' => $rid);
	my %args = (headers => \%h);
	if ($a && $o{cookie}) {
		$args{cookie} = $a->{token};
		$args{csrf} = $o{csrf} if defined $o{csrf};
	} elsif ($a) {
		$args{token} = $a->{token};
	}
	$args{json} = $o{json} if exists $o{json};
	$args{body} = $o{body} if exists $o{body};
	my $r = $srv->req($method, $path, %args);
	$r->{rid} = $rid;
	return $r;
}

# A plain form post as a browser without JavaScript sends it.
sub form {
	my ($a, %f) = @_;
	my $headers = delete $f{headers} // {};
	my $body = join '&', map { my ($k, $v) = ($_, $f{$_}); utf8::encode($v);
	    $v =~ s/([^A-Za-z0-9_.~-])/$1 eq ' ' ? '+' : sprintf('%%%02X', ord $1)/ge; "$k=$v" } sort keys %f;
	return call($a, 'POST', '/api/support/feedback', body => $body, headers => {
	    'Content-Type' => 'application/x-www-form-urlencoded', Origin => $srv->base, %$headers });
}
sub feedback { my ($a, $j, %o) = @_; call($a, 'POST', '/api/support/feedback', json => $j, %o) }

sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }
sub audit_of {
	my ($rid) = @_;
	my $out = $srv->sqlite("SELECT action, result, ifnull(reason_code,''), target_type, "
	    . "ifnull(target_id,''), scope, ifnull(metadata_json,'') FROM audit_events WHERE request_id = "
	    . sq($rid) . " ORDER BY rowid");
	return [ grep { length } split /\n/, $out ];
}
sub count { my $n = $srv->sqlite($_[0]); die "sqlite: $n\n" unless $n =~ /^\d+$/; $n + 0 }
sub detail_is {
	my ($r, $status, $detail, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	is_deeply($r->{json}, { detail => $detail }, "$name: detail $detail");
}
sub types_locs {
	my ($r) = @_;
	my $d = ref $r->{json} eq 'HASH' ? $r->{json}{detail} : undef;
	return [ map { [ $_->{type}, @{ $_->{loc} } ] } @{ ref $d eq 'ARRAY' ? $d : [] } ];
}
sub is_422 {
	my ($r, $want, $name) = @_;
	is($r->{status}, 422, "$name: 422") or diag($r->{body});
	is_deeply(types_locs($r), $want, "$name: items");
}
sub html_ok {
	my ($r, $status, $name) = @_;
	is($r->{status}, $status, "$name: $status") or diag($r->{body});
	like($r->{headers}{'content-type'} // '', qr{^text/html; charset=utf-8}, "$name: HTML");
	like($r->{headers}{'content-security-policy'} // '', qr/script-src 'self'/, "$name: HTML CSP");
	my $body = $r->{body};
	utf8::decode($body);
	return $body;
}
my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
my $msgs = sub { count('SELECT count(*) FROM support_messages') };

my $mod = $srv->login(role => 'moderator', consent => 0);
my $adm = $srv->login(role => 'admin');
my $sa = $srv->login(role => 'superadmin');
my $user = $srv->login(role => 'user');
my $nc = $srv->login(role => 'user', consent => 0);
my %other = map { $_ => $srv->login(role => $_) } qw(public vip dealer);

# ---- JSON feedback ------------------------------------------------------------

my $ADDR = 'Antwort.Bitte@Example.org';
my $TEXT = "Hallo <script>alert('x')</script>\n\"quoted\" & </textarea> ünïcödé";
my $r = feedback(undef, { topic => 'frage', message => "  $TEXT  ", reply_to => "  $ADDR " });
is($r->{status}, 201, 'anonymous JSON feedback: 201') or diag($r->{body});
is_deeply([ sort keys %{ $r->{json} } ], [qw(id status)], 'answer keys');
like($r->{json}{id}, $UUID, 'id is a UUIDv4');
is($r->{json}{status}, 'offen', 'status offen');
is($r->{headers}{'cache-control'}, 'no-store', 'no-store');
my $m1 = $r->{json}{id};
my ($topic, $msg, $enc, $kid, $uid, $st, $ca) = split /\|/, $srv->sqlite("SELECT topic, message, "
    . "ifnull(reply_to_enc,''), ifnull(reply_to_key_id,''), ifnull(user_id,'NULL'), status, created_at "
    . "FROM support_messages WHERE id = " . sq($m1)), 7;
is($topic, 'frage', 'stored topic');
utf8::decode($msg);
is($msg, $TEXT, 'stored message, trimmed, markup as sent');
ok(length $enc > 20 && $enc !~ /@|Example|Bitte/i, 'reply address stored encrypted');
like($kid, qr/^[0-9a-f]{16}$/, 'key id stored');
is($uid, 'NULL', 'no user for an anonymous sender');
is($st, 'offen', 'stored status offen');
is($ca, '2026-03-05T10:00:00.000000Z', 'created_at = now');
is_deeply(audit_of($r->{rid}), [ "SUPPORT_MESSAGE_CREATED|success||SUPPORT_MESSAGE|$m1|public|"
    . '{"has_reply_to":true,"topic":"frage"}' ], 'audit SUPPORT_MESSAGE_CREATED (no content)');

$r = feedback($user, { topic => 'fehler', message => 'Von einem Nutzer', reply_to => '' });
is($r->{status}, 201, 'user feedback: 201');
my $m2 = $r->{json}{id};
is($srv->sqlite("SELECT user_id || '|' || ifnull(reply_to_enc,'NULL') FROM support_messages WHERE id = "
    . sq($m2)), "$user->{user_id}|NULL", 'user id stored; an empty reply_to counts as absent');
like(audit_of($r->{rid})->[0], qr/\|own\|\{"has_reply_to":false,"topic":"fehler"\}$/, 'user: scope own');
$r = feedback(undef, { topic => 'sonstiges', message => 'x', reply_to => undef },
    headers => { Authorization => 'Bearer invalid-token' });
is($r->{status}, 201, 'an invalid session is anonymous, never 401');
is($srv->sqlite("SELECT ifnull(user_id,'NULL') FROM support_messages WHERE id = " . sq($r->{json}{id})), 'NULL',
    'invalid session: no user id');
is(feedback($nc, { topic => 'datenschutz', message => 'ohne Zustimmung' })->{status}, 201,
    'no consent gate');
is(feedback($adm, { topic => 'frage', message => 'admin' })->{status}, 201, 'an admin may write too');

# ---- JSON validation ------------------------------------------------------------

is_422(call(undef, 'POST', '/api/support/feedback', body => ''), [ [ 'missing', 'body' ] ], 'no body');
is_422(call(undef, 'POST', '/api/support/feedback', body => 'nope'), [ [ 'json_invalid', 'body' ] ], 'not JSON');
is_422(feedback(undef, []), [ [ 'dict_type', 'body' ] ], 'not an object');
is_422(feedback(undef, {}), [ [ 'missing', 'body', 'topic' ], [ 'missing', 'body', 'message' ] ],
    'topic and message required');
is_422(feedback(undef, { topic => 'Frage', message => "   \n ", reply_to => 'keine-adresse' }),
    [ [ 'enum', 'body', 'topic' ], [ 'string_too_short', 'body', 'message' ],
      [ 'value_error', 'body', 'reply_to' ] ], 'enum, trimmed message, implausible address');
is_422(feedback(undef, { topic => 7, message => 5, reply_to => 3 }),
    [ [ 'string_type', 'body', 'topic' ], [ 'string_type', 'body', 'message' ],
      [ 'string_type', 'body', 'reply_to' ] ], 'type errors');
is_422(feedback(undef, { topic => 'frage', message => 'ü' x 4001 }),
    [ [ 'string_too_long', 'body', 'message' ] ], 'message over 4000 code points');
is(feedback(undef, { topic => 'frage', message => "ü\tz\r\n" . ('ü' x 3995) })->{status}, 201,
    '4000 code points, multi-line');
is_422(feedback(undef, { topic => 'frage', message => "Steuer\x07zeichen" }),
    [ [ 'value_error', 'body', 'message' ] ], 'control characters refused');
is_422(feedback(undef, { topic => 'frage', message => 'x', reply_to => 'a@' . ('b' x 253) }),
    [ [ 'string_too_long', 'body', 'reply_to' ] ], 'reply_to at most 254');
is_422(feedback(undef, { topic => 'frage', message => 'x', reply_to => 'zwei@@example.org' }),
    [ [ 'value_error', 'body', 'reply_to' ] ], 'the /auth/request plausibility rule');
is_422(call(undef, 'POST', '/api/support/feedback', body => '{"topic":"frage"}',
    headers => { 'Content-Type' => 'text/plain' }), [ [ 'missing', 'body', 'message' ] ],
    'any Content-Type but urlencoded is read as JSON');

# ---- the honeypot -------------------------------------------------------------

my $before = $msgs->();
my $abefore = count("SELECT count(*) FROM audit_events WHERE action LIKE 'SUPPORT_%'");
$r = feedback(undef, { topic => 'frage', message => 'Spam', website => 'http://spam.example' });
is($r->{status}, 201, 'honeypot filled: answered like a success');
like($r->{json}{id}, $UUID, 'with a fresh id');
is($r->{json}{status}, 'offen', 'and status offen');
is($srv->sqlite("SELECT count(*) FROM support_messages WHERE id = " . sq($r->{json}{id})), 0, 'that id names nothing');
is(feedback(undef, { topic => 'frage', message => 'Spam', website => 1 })->{status}, 201, 'a non-string honeypot');
is_422(feedback(undef, { topic => 'x', message => 'Spam', website => 'y' }), [ [ 'enum', 'body', 'topic' ] ],
    '422 comes before the honeypot');
is($msgs->(), $before, 'honeypot: nothing stored');
is(count("SELECT count(*) FROM audit_events WHERE action LIKE 'SUPPORT_%'"), $abefore, 'honeypot: no audit row');
is(feedback(undef, { topic => 'frage', message => 'kein Spam', website => '  ' })->{status}, 201,
    'a blank honeypot is empty');
is($msgs->(), $before + 1, 'blank honeypot: stored');

# ---- the plain form post (no JavaScript) ----------------------------------------

$r = form(undef, topic => 'fehler', message => "Zeile eins\r\nZeile zwei <b>", reply_to => '', website => '');
is($r->{status}, 303, 'form post: 303') or diag($r->{body});
is($r->{headers}{location}, '/kontakt-danke.html', 'to the thanks page');
is($r->{body}, '', 'no body');
is($srv->sqlite("SELECT topic FROM support_messages ORDER BY seq DESC LIMIT 1"), 'fehler', 'form post stored');
$r = form(undef, topic => 'frage', message => 'Mit Sitzung', headers => { Cookie => "ltc_session=$user->{token}" });
is($r->{status}, 303, 'form post with a session cookie and no token: 303 (origin check only)');
is($srv->sqlite("SELECT ifnull(user_id,'NULL') FROM support_messages ORDER BY seq DESC LIMIT 1"),
    $user->{user_id}, 'the cookie session is the sender');
$before = $msgs->();
$r = form(undef, topic => 'frage', message => 'Bot', website => 'http://x');
is($r->{status}, 303, 'form honeypot: 303 like a success');
is($msgs->(), $before, 'form honeypot: nothing stored');

my $page = html_ok(form(undef, topic => 'quatsch', message => "<script>alert(1)</script>\n\"x\" & y",
    reply_to => '"><img src=x onerror=alert(1)>'), 400, 'form with errors');
like($page, qr{<h1>Kontakt</h1>}, 'the contact form again');
like($page, qr{role="alert"}, 'with an error summary');
like($page, qr{Bitte ein Thema wählen\.}, 'topic message');
like($page, qr{Bitte eine gültige E-Mail-Adresse eingeben\.}, 'address message');
unlike($page, qr{Bitte eine Nachricht eingeben}, 'no message error for a valid message');
like($page, qr{>\n&lt;script&gt;alert\(1\)&lt;/script&gt;\n&quot;x&quot; &amp; y</textarea>}, 'message kept, escaped');
like($page, qr{value="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"}, 'address kept, escaped');
unlike($page, qr{<script|<img|onerror=alert\(1\)>}, 'no markup of the input survives');
like($page, qr{<option value="">Bitte wählen</option>}, 'unknown topic: nothing selected');
my $h1 = () = $page =~ /<h1>/g;
is($h1, 1, 'exactly one h1');
my $sel = '<select id="kontakt-topic" name="topic" required aria-required="true" aria-invalid="true" '
    . 'aria-describedby="kontakt-topic-error">';
like($page, qr/\Q$sel\E/, 'field in error: aria-invalid, described by its message');
like($page, qr{<label for="kontakt-website">}, 'the honeypot has a label too');
$page = html_ok(form(undef, topic => 'datenschutz', message => '   '), 400, 'empty message');
like($page, qr{Bitte eine Nachricht eingeben\.}, 'empty message text');
like($page, qr{<option value="datenschutz" selected>}, 'topic kept');
$page = html_ok(form(undef, topic => 'frage', message => 'ü' x 4001), 400, 'long message');
like($page, qr{Die Nachricht darf höchstens 4000 Zeichen lang sein\.}, 'too long text');
$page = html_ok(form(undef), 400, 'empty form');
like($page, qr{Bitte ein Thema wählen\..*Bitte eine Nachricht eingeben\.}s, 'both required messages');
$r = call(undef, 'POST', '/api/support/feedback', body => 'topic=%zz&message=x',
    headers => { 'Content-Type' => 'application/x-www-form-urlencoded; charset=utf-8' });
html_ok($r, 400, 'malformed form body (Content-Type with parameter)');

# ---- CSRF and the moderator -----------------------------------------------------

$r = feedback(undef, { topic => 'frage', message => 'x' }, headers => { Origin => 'http://evil.example' });
detail_is($r, 403, 'csrf_failed', 'JSON from a foreign Origin');
like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|CSRF\|ROUTE\|\/feedback\|/, 'ACCESS_DENIED CSRF');
$r = feedback(undef, { topic => 'frage', message => 'x' }, headers => { Referer => 'http://evil.example/x' });
is($r->{status}, 403, 'foreign Referer: 403');
is(feedback(undef, { topic => 'frage', message => 'x' }, headers => { Origin => $srv->base })->{status}, 201,
    'own Origin: 201');
is(feedback($user, { topic => 'frage', message => 'x' }, cookie => 1)->{status}, 201,
    'JSON with a cookie session and no X-CSRF-Token: 201');
$page = html_ok(form(undef, topic => 'frage', message => 'x', headers => { Origin => 'http://evil.example' }),
    403, 'form from a foreign Origin');
like($page, qr{Kein Zugriff}, 'the German 403 page');
$before = $msgs->();
$r = feedback($mod, {});
detail_is($r, 403, 'role_not_allowed', 'moderator (before 422)');
like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|MODERATOR_BLOCK\|/, 'ACCESS_DENIED MODERATOR_BLOCK');
$page = html_ok(form(undef, topic => 'frage', message => 'x', headers => { Cookie => "ltc_session=$mod->{token}" }),
    403, 'moderator form post');
like($page, qr{Kein Zugriff.*Du hast keine Berechtigung für diese Seite\.}s, 'moderator: German 403 page');
is($msgs->(), $before, 'moderator: nothing stored');
is(call(undef, 'GET', '/api/support/feedback')->{status}, 405, 'GET feedback: 405');

# ---- rate limits ----------------------------------------------------------------

$srv->sqlite('DELETE FROM rate_limits');
$srv->set_conf(rl_support_ip_limit => 5, rl_support_user_limit => 100000);
my @st = map { feedback(undef, { topic => 'frage', message => "ip $_" })->{status} } 1 .. 3;
push @st, feedback(undef, {})->{status};
push @st, form(undef, topic => 'frage', message => 'form')->{status};
is_deeply(\@st, [ 201, 201, 201, 422, 303 ], 'five requests pass, a 422 among them');
$r = feedback(undef, { topic => 'frage', message => 'sechs' });
detail_is($r, 429, 'rate_limited', 'the sixth from the IP');
like($r->{headers}{'retry-after'} // '', qr/^[1-9][0-9]*$/, 'Retry-After');
is($r->{headers}{'retry-after'}, 600, 'Retry-After: the rest of the window');
my $ipkey = $srv->sqlite("SELECT key || '|' || count FROM rate_limits WHERE key LIKE 'rl:support:ip:%'");
like($ipkey, qr/^rl:support:ip:[A-Za-z0-9_-]{43}\|5$/, 'one IP key counted 5 (the 422 counted, the 429 not)');
unlike($ipkey, qr/127\.0\.0\.1/, 'no raw IP in the key');
$page = html_ok(form(undef, topic => 'frage', message => 'x'), 429, 'form post over the limit');
like($page, qr{Zu viele Anfragen\. Bitte kurz warten und erneut versuchen\.}, 'German 429 text');
detail_is(feedback($mod, {}), 403, 'role_not_allowed', 'the moderator block comes before 429');
# 429 comes before 413.
$srv->set_conf(json_max_bytes => 64);
detail_is(feedback(undef, { topic => 'frage', message => 'x' x 100 }), 429, 'rate_limited', '429 before 413');
$srv->sqlite('DELETE FROM rate_limits');
detail_is(feedback(undef, { topic => 'frage', message => 'x' x 100 }), 413, 'too_large', 'body over json_max_bytes');
html_ok(form(undef, topic => 'frage', message => 'x' x 100), 413, 'form body over the limit');
is($srv->sqlite("SELECT count FROM rate_limits WHERE key LIKE 'rl:support:ip:%'"), 2, 'the 413s were counted');
$srv->set_conf(json_max_bytes => 8388608);

# The user key: 10 per window by default, consulted after the IP key.
$srv->sqlite('DELETE FROM rate_limits');
$srv->set_conf(rl_support_ip_limit => 100000, rl_support_user_limit => undef);
@st = map { feedback($user, { topic => 'frage', message => "u $_" })->{status} } 1 .. 10;
is_deeply(\@st, [ (201) x 10 ], 'ten from one user');
$r = feedback($user, { topic => 'frage', message => 'elf' });
detail_is($r, 429, 'rate_limited', 'the eleventh from the user');
is($srv->sqlite("SELECT count FROM rate_limits WHERE key = " . sq("rl:support:user:$user->{user_id}")), 10,
    'user key at 10');
is($srv->sqlite("SELECT count FROM rate_limits WHERE key LIKE 'rl:support:ip:%'"), 11,
    'the refused request still counts against the IP key');
is(feedback(undef, { topic => 'frage', message => 'anonym' })->{status}, 201, 'anonymous from the IP: still fine');
is(feedback($sa, { topic => 'frage', message => 'anderer Nutzer' })->{status}, 201, 'another user: own key');
$srv->set_conf(rl_support_user_limit => 100000);

# ---- the admin inbox -------------------------------------------------------------

for my $rt (['GET', '/api/support/admin/messages'], ['POST', "/api/support/admin/messages/$m1"]) {
	my ($m, $p) = @$rt;
	my %b = $m eq 'POST' ? (json => {}) : ();
	detail_is(call(undef, $m, $p, %b), 401, 'unauthorized', "anonymous $m inbox");
	$r = call($mod, $m, $p, %b);
	detail_is($r, 403, 'role_not_allowed', "moderator $m inbox");
	for my $who ([$user, 'user'], map { [ $other{$_}, $_ ] } sort keys %other) {
		$r = call($who->[0], $m, $p, %b);
		detail_is($r, 403, 'forbidden', "$who->[1] $m inbox");
		like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|RBAC_DENY\|/, "$who->[1]: RBAC_DENY");
	}
}

# Older messages, so that the default limit has more than 50 to cut.
$srv->set_conf(test_now => '2026-03-06T08:00:00Z');
feedback(undef, { topic => 'frage', message => "alt $_" }) for 1 .. 30;
# Three messages at one instant and one later: newest first, ties by insert order.
$srv->set_conf(test_now => '2026-03-07T08:00:00Z');
my @tie = map { feedback(undef, { topic => 'sonstiges', message => "gleich $_" })->{json}{id} } 1 .. 3;
$srv->set_conf(test_now => '2026-03-07T09:00:00Z');
my $newest = feedback(undef, { topic => 'datenschutz', message => 'neueste', reply_to => 'n@example.org' })
    ->{json}{id};
$r = call($adm, 'GET', '/api/support/admin/messages');
is($r->{status}, 200, 'admin lists the inbox');
my @l = @{ $r->{json} };
is(scalar @l, 50, 'default limit 50');
is_deeply([ sort keys %{ $l[0] } ], [qw(created_at has_reply_to id message status topic user_id)],
    'list item keys (no reply address)');
is_deeply([ map { $_->{id} } @l[0 .. 3] ], [ $newest, reverse @tie ], 'newest first; exact ties: later insert first');
is($l[0]{created_at}, '2026-03-07T09:00:00Z', 'created_at in API form');
is($l[0]{has_reply_to}, JSON::PP::true, 'has_reply_to true');
is($l[1]{has_reply_to}, JSON::PP::false, 'has_reply_to false');
is($l[0]{user_id}, undef, 'user_id null for anonymous');
unlike($r->{body}, qr/n\@example\.org/, 'no address in the list');
my ($first) = grep { $_->{id} eq $m1 } @{ call($sa, 'GET', '/api/support/admin/messages?limit=200')->{json} };
is($first->{message}, $TEXT, 'markup comes back as the same literal string');
like(call($sa, 'GET', '/api/support/admin/messages?limit=200')->{body}, qr/Hallo <script>alert\('x'\)<\/script>/,
    'JSON escapes only what JSON needs');
my $total = $msgs->();
is(scalar @{ call($sa, 'GET', '/api/support/admin/messages?limit=200')->{json} }, $total < 200 ? $total : 200,
    'limit 200');
is_deeply([ map { $_->{id} } @{ call($adm, 'GET', '/api/support/admin/messages?limit=2&offset=1')->{json} } ],
    [ (reverse @tie)[0, 1] ], 'limit and offset');
is(scalar @{ call($adm, 'GET', '/api/support/admin/messages?offset=100000')->{json} }, 0, 'offset past the end');
is_422(call($adm, 'GET', '/api/support/admin/messages?status=open&limit=0&offset=-1'),
    [ [ 'enum', 'query', 'status' ], [ 'greater_than_equal', 'query', 'limit' ],
      [ 'greater_than_equal', 'query', 'offset' ] ], 'query checks in order');
is_422(call($adm, 'GET', '/api/support/admin/messages?limit=201'), [ [ 'less_than_equal', 'query', 'limit' ] ],
    'limit at most 200');
is_422(call($adm, 'GET', '/api/support/admin/messages?limit=abc'), [ [ 'int_type', 'query', 'limit' ] ],
    'limit must be an integer');
is_422(call($adm, 'GET', '/api/support/admin/messages?limit=%zz'), [ [ 'value_error', 'query' ] ],
    'malformed query');

# ---- status changes --------------------------------------------------------------

is_422(call($adm, 'POST', "/api/support/admin/messages/$m1"), [ [ 'missing', 'body' ] ], 'no body');
is_422(call($adm, 'POST', "/api/support/admin/messages/$m1", json => {}), [ [ 'missing', 'body', 'status' ] ],
    'status required');
is_422(call($adm, 'POST', "/api/support/admin/messages/$m1", json => { status => 'done', note => 'x' x 2001 }),
    [ [ 'enum', 'body', 'status' ], [ 'string_too_long', 'body', 'note' ] ], 'enum and note bound');
is_422(call($adm, 'POST', '/api/support/admin/messages/00000000-0000-4000-8000-000000000000', json => {}),
    [ [ 'missing', 'body', 'status' ] ], '422 before 404');
detail_is(call($adm, 'POST', '/api/support/admin/messages/00000000-0000-4000-8000-000000000000',
    json => { status => 'geloest' }), 404, 'not_found', 'unknown id');
detail_is(call($adm, 'POST', '/api/support/admin/messages/' . ('a' x 129), json => { status => 'geloest' }), 404,
    'not_found', 'over-long id');

$srv->set_conf(test_now => '2026-03-08T10:00:00Z');
$r = call($adm, 'POST', "/api/support/admin/messages/$m1",
    json => { status => 'in_pruefung', note => "  Schaue ich mir an.\n<b>Danke</b>  " });
is($r->{status}, 200, 'status change: 200') or diag($r->{body});
my $o = $r->{json};
is_deeply([ sort keys %$o ], [qw(created_at has_reply_to id message notes reply_to status topic user_id)],
    'answer keys');
is($o->{status}, 'in_pruefung', 'new status');
is($o->{reply_to}, $ADDR, 'reply address decrypted for the admin (trimmed, as sent)');
is($o->{message}, $TEXT, 'message');
is_deeply($o->{notes}, [ { created_at => '2026-03-08T10:00:00Z', by_user_id => $adm->{user_id},
    status => 'in_pruefung', note => "Schaue ich mir an.\n<b>Danke</b>" } ], 'one history row, note trimmed');
is($srv->sqlite("SELECT updated_at FROM support_messages WHERE id = " . sq($m1)), '2026-03-08T10:00:00.000000Z',
    'updated_at = now');
is_deeply(audit_of($r->{rid}), [ "SUPPORT_MESSAGE_STATUS_CHANGED|success||SUPPORT_MESSAGE|$m1|global|"
    . '{"note_provided":true,"status":"in_pruefung"}' ], 'audit SUPPORT_MESSAGE_STATUS_CHANGED');
$srv->set_conf(test_now => '2026-03-08T11:00:00Z');
$r = call($sa, 'POST', "/api/support/admin/messages/$m1", json => { status => 'in_pruefung', note => '   ' });
is($r->{status}, 200, 'the same status again');
is(scalar @{ $r->{json}{notes} }, 2, 'adds a history row');
is_deeply($r->{json}{notes}[1], { created_at => '2026-03-08T11:00:00Z', by_user_id => $sa->{user_id},
    status => 'in_pruefung', note => undef }, 'blank note -> null, by the superadmin');
like(audit_of($r->{rid})->[0], qr/\{"note_provided":false,"status":"in_pruefung"\}$/, 'note_provided false');
$r = call($adm, 'POST', "/api/support/admin/messages/$m2", json => { status => 'geloest', note => undef });
is($r->{json}{reply_to}, undef, 'no reply address: null');
is($r->{json}{user_id}, $user->{user_id}, 'sender user id');
is($r->{json}{status}, 'geloest', 'geloest');
is_deeply([ map { $_->{id} } @{ call($adm, 'GET', '/api/support/admin/messages?status=geloest')->{json} } ], [$m2],
    'status filter');
ok(!grep({ $_->{status} ne 'in_pruefung' } @{ call($adm, 'GET', '/api/support/admin/messages?status=in_pruefung')
    ->{json} }), 'filter in_pruefung');
is(call($adm, 'GET', '/api/support/admin/messages?status=in_pruefung')->{json}[0]{id}, $m1, 'm1 in review');

# ---- what never leaves its place -------------------------------------------------

my $audit = $srv->sqlite("SELECT group_concat(ifnull(metadata_json,''), ' ') FROM audit_events");
unlike($audit, qr/\@|Hallo|script|Schaue|Danke|spam/i, 'no address, message or note in any audit row');
my $log = $srv->cgi_log;
unlike($log, qr/Example\.org|example\.org|Hallo|Schaue|spam\.example|127\.0\.0\.1/i,
    'no address, text or IP in the request log');
like($log, qr{"route":"/api/support/feedback"}, 'the request log names the route template');

# ---- the binaries directly (sanitizer builds see leaks here) ------------------------

$srv->direct('support', $user, 'POST', '/feedback', { topic => 'frage', message => 'direkt', reply_to => 'd@example.org' });
$srv->direct('support', $user, 'POST', '/feedback', { topic => 'x' });
$srv->direct('support', $adm, 'GET', '/admin/messages?limit=3');
$srv->direct('support', $adm, 'POST', "/admin/messages/$m1", { status => 'geloest', note => 'fertig' });
$srv->direct('support', $adm, 'POST', '/admin/messages/nope', { status => 'geloest' });
{
	my %env = (LTC_CONF => $srv->conf_file, REQUEST_METHOD => 'POST', PATH_INFO => '/feedback',
	    CONTENT_TYPE => 'application/x-www-form-urlencoded', HTTP_HOST => '127.0.0.1');
	for my $b ('topic=frage&message=direkt+als+Formular', 'topic=nix&message=', 'topic=%zz') {
		my $d = LTC::run_cgi('support', env => \%env, body => $b);
		unlike($d->{stderr}, qr/Sanitizer|runtime error:/, "direct form '$b': no sanitizer report");
		is($d->{exit}, 0, "direct form '$b': exit 0");
	}
}

$srv->stop;
done_testing;
