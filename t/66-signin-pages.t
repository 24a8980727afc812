#!/usr/bin/perl
# The server-rendered sign-in pages (frontend.md 3.4-3.6) through a real
# lighttpd, as a browser without JavaScript uses them: urlencoded forms,
# the session cookie, the 303 chain login -> consent -> next, the German
# error states, the next validation and logout with its CSRF token.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC;
use Encode qw(decode_utf8);
use URI::Escape qw(uri_escape_utf8);
use Test::More;

my $srv = LTC->new_lighttpd;
$srv->set_conf(dev_expose_otp => 'true', scrypt_p => 1);
my $FORM = 'application/x-www-form-urlencoded';

sub form { my (%f) = @_; join '&', map { "$_=" . uri_escape_utf8($f{$_}) } sort keys %f }
sub submit {
	my ($path, $fields, %o) = @_;
	my $r = $srv->post($path, body => form(%$fields), headers => { 'Content-Type' => $FORM,
	    Origin => $srv->base, %{ $o{headers} // {} } },
	    defined $o{cookie} ? (cookie => $o{cookie}) : ());
	$r->{html} = decode_utf8($r->{body});
	return $r;
}
sub page { my $r = $srv->get(@_); $r->{html} = decode_utf8($r->{body}); $r }
sub cookie_of {
	my ($r) = @_;
	for (@{ $r->{headers}{'set-cookie-list'} }) { return $1 if /^ltc_session=([^;]+)/ }
	return undef;
}

# ---- GET /login ---------------------------------------------------------------
my $r = page('/login?next=%2Fapp%2Fvehicle.html%3Fid%3D1');
is($r->{status}, 200, 'login: 200');
my $h = $r->{html};
like($h, qr{<h1>Anmelden</h1>}, 'login: heading');
like($h, qr{<h2 id="login-code">Mit E-Mail-Code anmelden</h2>}, 'login: code section');
like($h, qr{<h2 id="login-pw">Mit Passwort anmelden</h2>}, 'login: password section');
like($h, qr{<form method="post" action="/login/code">}, 'login: code form');
like($h, qr{<label for="code-email">E-Mail-Adresse</label>}, 'login: e-mail labelled');
like($h, qr{type="email" autocomplete="email"}, 'login: e-mail input');
like($h, qr{autocomplete="current-password"}, 'login: password input');
like($h, qr{Wir schicken dir einen sechsstelligen Code\. Ein Konto wird bei der ersten Anmeldung automatisch angelegt\.},
    'login: help text');
like($h, qr{<input type="hidden" name="next" value="/app/vehicle.html\?id=1">}, 'login: next kept');
like($h, qr{<a href="/register\?next=%2Fapp%2Fvehicle.html%3Fid%3D1">Noch kein Passwort\? Jetzt registrieren</a>},
    'login: register link with next');
for my $bad ('//evil.example/', 'https://evil.example/', '/\\evil', "/a\x01") {
	$h = page('/login?next=' . uri_escape_utf8($bad))->{html};
	unlike($h, qr{name="next"}, "login: next '$bad' dropped");
}

# ---- code flow ---------------------------------------------------------------
$r = submit('/login/code', { email => '', next => '/app/' });
is($r->{status}, 400, 'code: empty e-mail 400');
like($r->{html}, qr{Bitte eine E-Mail-Adresse eingeben\.}, 'code: empty message');
like($r->{html}, qr{role="alert"}, 'code: error summary');
$r = submit('/login/code', { email => 'kein-at', next => '/app/' });
is($r->{status}, 400, 'code: invalid e-mail 400');
like($r->{html}, qr{Bitte eine gültige E-Mail-Adresse eingeben\.}, 'code: invalid message');
like($r->{html}, qr{value="kein-at"}, 'code: value kept');

my $next = '/app/vehicle.html?id=1';
$r = submit('/login/code', { email => 'neu@example.org', next => $next });
is($r->{status}, 200, 'code: 200');
$h = $r->{html};
like($h, qr{<h1>Code eingeben</h1>}, 'code page: heading');
like($h, qr{<p role="status">Wenn die E-Mail-Adresse gültig ist, wurde ein Code gesendet\.</p>}, 'code page: status');
like($h, qr{<form method="post" action="/login/verify">}, 'code page: form');
like($h, qr{inputmode="numeric" autocomplete="one-time-code" pattern="\[0-9\]\{6\}" maxlength="6"}, 'code page: code field');
like($h, qr{<a href="/login">Neuen Code anfordern</a>}, 'code page: new code link');
my ($cid) = $h =~ /name="challenge_id" value="([^"]+)"/;
my ($otp) = $h =~ /Dev-OTP: (\d{6})/;
ok($cid && $otp, 'code page: challenge id and dev OTP');

$r = submit('/login/verify', { email => 'neu@example.org', challenge_id => $cid, otp => '000000', next => $next });
$r = submit('/login/verify', { email => 'neu@example.org', challenge_id => $cid, otp => '000000', next => $next })
    if $otp eq '000000';
is($r->{status}, 400, 'verify: wrong code 400');
like($r->{html}, qr{Code oder Challenge sind ungültig\.}, 'verify: INVALID message');
like($r->{html}, qr{aria-invalid="true"}, 'verify: code marked invalid');
like($r->{html}, qr{name="challenge_id" value="\Q$cid\E"}, 'verify: hidden fields kept');

$r = submit('/login/verify', { email => 'neu@example.org', challenge_id => $cid, otp => $otp, next => $next });
is($r->{status}, 303, 'verify: 303');
is($r->{headers}{location}, '/consent?next=%2Fapp%2Fvehicle.html%3Fid%3D1', 'verify: to consent first');
my $cookie = cookie_of($r);
ok($cookie, 'verify: session cookie set');
like(join(' ', @{ $r->{headers}{'set-cookie-list'} }), qr{HttpOnly}i, 'verify: cookie HttpOnly');

$r = $srv->get('/login?next=%2Fapp%2F', cookie => $cookie);
is($r->{status}, 303, 'login with a session: 303');
is($r->{headers}{location}, '/app/', 'login with a session: to next');

# ---- password flow -------------------------------------------------------------
my $u = $srv->login(role => 'user');
$r = submit('/login/password', { email => $u->{email}, password => 'falsch falsch', next => '/app/' });
is($r->{status}, 400, 'password: wrong 400');
like($r->{html}, qr{E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist noch nicht bestätigt\.},
    'password: INVALID message');
like($r->{html}, qr{value="\Q$u->{email}\E"}, 'password: e-mail prefilled');
unlike($r->{html}, qr{falsch falsch}, 'password: never the password');
$r = submit('/login/password', { email => $u->{email}, password => $u->{password}, next => '/app/documents.html' });
is($r->{status}, 303, 'password: 303');
is($r->{headers}{location}, '/app/documents.html', 'password: consent-complete goes straight to next');
$r = submit('/login/password', { email => $u->{email}, password => $u->{password}, next => '//evil.example' });
is($r->{headers}{location}, '/app/', 'password: bad next falls back to /app/');
my $m = $srv->login(role => 'moderator', consent => 0);
$r = submit('/login/password', { email => $m->{email}, password => $m->{password} });
is($r->{headers}{location}, '/app/cms.html?type=blog', 'password: moderator default');
$r = submit('/login/password', { email => $u->{email}, password => $u->{password} },
    headers => { Origin => 'https://evil.example' });
is($r->{status}, 403, 'password: foreign Origin refused');

# ---- register ------------------------------------------------------------------
$h = page('/register?next=%2Fapp%2F')->{html};
like($h, qr{<h1>Registrieren</h1>}, 'register: heading');
like($h, qr{autocomplete="new-password" minlength="10"}, 'register: password field');
like($h, qr{Mindestens 10 Zeichen\.}, 'register: hint');
like($h, qr{<label for="reg-password2">Passwort wiederholen</label>}, 'register: repeat labelled');
like($h, qr{<a href="/login\?next=%2Fapp%2F">Schon registriert\? Anmelden</a>}, 'register: login link');
for my $c ([{ email => '', password => 'x' x 10, password2 => 'x' x 10 }, 'Bitte eine E-Mail-Adresse eingeben.'],
    [{ email => 'kein-at', password => 'x' x 10, password2 => 'x' x 10 }, 'Bitte eine gültige E-Mail-Adresse eingeben.'],
    [{ email => 'r@example.org', password => 'kurz', password2 => 'kurz' }, 'Das Passwort muss mindestens 10 Zeichen lang sein.'],
    [{ email => 'r@example.org', password => 'x' x 1025, password2 => 'x' x 1025 }, 'Das Passwort ist zu lang.'],
    [{ email => 'r@example.org', password => 'x' x 10, password2 => 'y' x 10 }, 'Die Passwörter stimmen nicht überein.']) {
	$r = submit('/register', $c->[0]);
	is($r->{status}, 400, "register: 400 for '$c->[1]'");
	like($r->{html}, qr{\Q$c->[1]\E}, "register: '$c->[1]'");
}
$r = submit('/register', { email => 'r@example.org', password => 'x' x 12, password2 => 'x' x 12 });
is($r->{status}, 200, 'register: code page');
like($r->{html}, qr{<h1>Code eingeben</h1>}, 'register: code page heading');

# ---- consent ----------------------------------------------------------------------
$r = $srv->get('/consent?next=%2Fapp%2F');
is($r->{status}, 303, 'consent without a session: 303');
is($r->{headers}{location}, '/login?next=/consent%3Fnext%3D%252Fapp%252F', 'consent: to login, next kept');
$r = page('/consent?next=' . uri_escape_utf8($next), cookie => $cookie);
is($r->{status}, 200, 'consent: 200');
$h = $r->{html};
like($h, qr{<h1>Zustimmung</h1>}, 'consent: heading');
like($h, qr{<li>AGB, Version v1: noch nicht akzeptiert</li>}, 'consent: terms state');
like($h, qr{<li>Datenschutzerklärung, Version v1: noch nicht akzeptiert</li>}, 'consent: privacy state');
like($h, qr{<legend>Erforderliche Zustimmungen</legend>}, 'consent: fieldset');
like($h, qr{<label for="consent-terms">Ich akzeptiere die Allgemeinen Geschäftsbedingungen \(AGB\), Version v1\.</label>},
    'consent: terms label');
like($h, qr{<label for="consent-privacy">Ich habe die Datenschutzerklärung, Version v1, gelesen und stimme ihr zu\.</label>},
    'consent: privacy label');
like($h, qr{Beide Dokumente müssen bestätigt werden, bevor der Zielbereich freigeschaltet wird\.}, 'consent: hint');
my ($token) = $h =~ /name="csrf_token" value="([^"]+)"/;
ok($token, 'consent: CSRF token in the form');
$r = submit('/consent', { terms => '1', privacy => '1', next => $next }, cookie => $cookie);
is($r->{status}, 403, 'consent without csrf_token: 403');
$r = submit('/consent', { terms => '1', csrf_token => $token, next => $next }, cookie => $cookie);
is($r->{status}, 400, 'consent: one box 400');
like($r->{html}, qr{Bitte AGB und Datenschutzerklärung bestätigen\.}, 'consent: error');
like($r->{html}, qr{id="consent-privacy" name="privacy" type="checkbox" value="1" required aria-invalid="true"},
    'consent: the missing box marked');
unlike($r->{html}, qr{id="consent-terms"[^>]*aria-invalid}, 'consent: the ticked box not marked');
$r = submit('/consent', { terms => '1', privacy => '1', csrf_token => $token, next => $next }, cookie => $cookie);
is($r->{status}, 303, 'consent: 303');
is($r->{headers}{location}, $next, 'consent: on to next');
like(page('/consent', cookie => $cookie)->{html}, qr{Du hast den aktuellen Fassungen bereits zugestimmt\.},
    'consent: already complete');
$r = page('/consent', token => $m->{token});
like($r->{html}, qr{Für die Redaktion ist keine Zustimmung erforderlich\.}, 'consent: moderator note');

# ---- logout --------------------------------------------------------------------
$r = submit('/logout', {}, cookie => $cookie);
is($r->{status}, 403, 'logout without csrf_token: 403 page');
like($r->{html}, qr{<h1>Kein Zugriff</h1>}, 'logout: the German 403 page');
my $csrf = $srv->get('/api/auth/me', cookie => $cookie)->{json}{csrf_token};
$r = submit('/logout', { csrf_token => $csrf }, cookie => $cookie);
is($r->{status}, 303, 'logout: 303');
is($r->{headers}{location}, '/', 'logout: to /');
like(join(' ', @{ $r->{headers}{'set-cookie-list'} }), qr{ltc_session=;}, 'logout: cookie cleared');
is($srv->get('/api/auth/me', cookie => $cookie)->{status}, 401, 'logout: session revoked');
$r = submit('/logout', {});
is($r->{status}, 303, 'logout without a session: 303 /');

done_testing;
