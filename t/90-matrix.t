#!/usr/bin/perl
# The role x route matrix (api.md 1, 1.1; security.md 7).
#
# 1. api.md 1's route table, transcribed below, must equal the route
#    tables the built CGIs declare (LTC_ROUTE_TABLE=1): same routes, same
#    effective role set, same moderator detail, same consent flag.
# 2. One lighttpd, real sessions for every role, and every declared route
#    of every built CGI walked for every role: the dispatcher must answer
#    exactly what the route declares (401, moderator 403, role 403 with an
#    ACCESS_DENIED row, or "not refused" for allowed roles).
# The walk reads the binaries' tables, so routes added later are covered.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(build_dir json root);
use Test::More;

# ---- api.md 1, row by row ------------------------------------------------
# method, path under /api, role set, consent, Mod ("-" = moderator allowed).
# "none + no moderator" and "ANY except moderator" are the base set plus the
# Mod detail: the detail is what refuses the moderator.
my $SPEC = <<'END';
1   GET    /health                                                    none  n role_not_allowed
2   POST   /auth/request                                              none  n -
3   POST   /auth/verify                                               none  n -
4   POST   /auth/register                                             none  n -
5   POST   /auth/login                                                none  n -
6   POST   /auth/password                                             ANY   n -
7   GET    /auth/me                                                   ANY   n -
8   POST   /auth/logout                                               ANY   n -
9   GET    /auth/consent                                              ANY   n -
10  POST   /auth/consent                                              ANY   n -
11  GET    /consent/current                                           none  n role_not_allowed
12  GET    /consent/status                                            ANY   n role_not_allowed
13  POST   /consent/accept                                            ANY   n role_not_allowed
14  POST   /vehicles                                                  OWN   y role_not_allowed
15  GET    /vehicles                                                  OWN   y role_not_allowed
16  GET    /vehicles/{vehicle_id}                                     OWN   y role_not_allowed
17  PATCH  /vehicles/{vehicle_id}                                     OWN   y role_not_allowed
18  DELETE /vehicles/{vehicle_id}                                     OWN   y role_not_allowed
19  POST   /vehicles/{vehicle_id}/restore                             ADM   y role_not_allowed
20  GET    /vehicles/{vehicle_id}/qr.svg                              OWN   y role_not_allowed
21  GET    /vehicles/{vehicle_id}/qr.png                              OWN   y role_not_allowed
22  GET    /vehicles/{vehicle_id}/trust-summary                       OWN   y role_not_allowed
23  GET    /vehicles/{vehicle_id}/entries                             OWN   y role_not_allowed
24  POST   /vehicles/{vehicle_id}/entries                             OWN   y role_not_allowed
25  POST   /vehicles/{vehicle_id}/entries/{entry_id}/revisions        OWN   y role_not_allowed
26  GET    /vehicles/{vehicle_id}/entries/{entry_id}/history          OWN   y role_not_allowed
27  GET    /public/qr/{vehicle_id}                                    none  n role_not_allowed
28  GET    /public/site                                               none  n role_not_allowed
29  GET    /addons/config                                             ADM   n role_not_allowed
30  POST   /addons/config/{addon_key}                                 ADM   n role_not_allowed
31  POST   /addons/entitlements/{addon_key}                           ADM   n role_not_allowed
32  POST   /addons/vehicles/{vehicle_id}/enable                       OWN   y role_not_allowed
33  POST   /addons/vehicles/{vehicle_id}/disable                      OWN   y role_not_allowed
34  GET    /addons/vehicles/{vehicle_id}/{addon_key}                  OWN   y role_not_allowed
35  GET    /trust/folders                                             OWN   y role_not_allowed
36  POST   /trust/folders                                             OWN   y role_not_allowed
37  GET    /trust/folders/{folder_id}                                 OWN   y role_not_allowed
38  PATCH  /trust/folders/{folder_id}                                 OWN   y role_not_allowed
39  DELETE /trust/folders/{folder_id}                                 OWN   y role_not_allowed
40  POST   /documents/upload                                          OWN   y forbidden
41  GET    /documents                                                 OWN   y forbidden
42  GET    /documents/admin/quarantine                                ADM   n forbidden
43  GET    /documents/{doc_id}                                        OWN   y forbidden
44  GET    /documents/{doc_id}/download                               OWN   y forbidden
45  POST   /documents/{doc_id}/scan                                   ADM   n forbidden
46  POST   /documents/{doc_id}/rescan                                 ADM   n forbidden
47  POST   /documents/{doc_id}/approve                                ADM   n forbidden
48  POST   /documents/{doc_id}/reject                                 ADM   n forbidden
49  POST   /documents/{doc_id}/pii                                    OWN   y forbidden
50  DELETE /documents/{doc_id}                                        OWN   y forbidden
51  GET    /export/vehicle/{vehicle_id}                               OWN   y forbidden
52  POST   /export/vehicle/{vehicle_id}/grant                         SA    n forbidden
53  GET    /export/vehicle/{vehicle_id}/full                          SA    n forbidden
54  GET    /export/user/{user_id}                                     OWN   y role_not_allowed
55  POST   /export/user/{user_id}/grant                               SA    n role_not_allowed
56  GET    /export/user/{user_id}/full                                SA    n role_not_allowed
57  GET    /export/servicebook/{servicebook_id}                       OWN   y role_not_allowed
58  POST   /export/servicebook/{servicebook_id}/grant                 SA    n role_not_allowed
59  GET    /export/servicebook/{servicebook_id}/full                  SA    n role_not_allowed
60  GET    /export/masterclipboard/{masterclipboard_id}               MC    y role_not_allowed
61  POST   /export/masterclipboard/{masterclipboard_id}/grant         SA    n role_not_allowed
62  GET    /export/masterclipboard/{masterclipboard_id}/full          SA    n role_not_allowed
63  GET    /servicebook/{servicebook_id}/entries                      OWN   y role_not_allowed
64  POST   /servicebook/{servicebook_id}/inspection-events            OWN   y role_not_allowed
65  POST   /servicebook/{servicebook_id}/cases/{case_entry_id}/remediation OWN y role_not_allowed
66  POST   /sale/transfer/create                                      SALE  y role_not_allowed
67  POST   /sale/transfer/redeem                                      SALE  y role_not_allowed
68  POST   /sale/transfer/cancel                                      SALE  y role_not_allowed
69  POST   /sale/transfer/extend                                      SALE  y role_not_allowed
70  GET    /sale/transfer/status/{transfer_id}                        SALE  y role_not_allowed
71  POST   /transfer/create                                           OWN   y role_not_allowed
72  POST   /transfer/redeem                                           OWN   y role_not_allowed
73  POST   /transfer/cancel                                           OWN   y role_not_allowed
74  POST   /transfer/extend                                           OWN   y role_not_allowed
75  GET    /transfer/status/{transfer_id}                             OWN   y role_not_allowed
76  POST   /masterclipboard/sessions                                  MC    y role_not_allowed
77  GET    /masterclipboard/sessions/{session_id}                     MC    y role_not_allowed
78  POST   /masterclipboard/sessions/{session_id}/speech              MC    y role_not_allowed
79  POST   /masterclipboard/sessions/{session_id}/triage/items        MC    y role_not_allowed
80  PATCH  /masterclipboard/sessions/{session_id}/triage/items/{item_id} MC  y role_not_allowed
81  POST   /masterclipboard/sessions/{session_id}/board/snapshot      MC    y role_not_allowed
82  POST   /masterclipboard/sessions/{session_id}/close               MC    y role_not_allowed
83  GET    /admin/users                                               ADM   n role_not_allowed
84  GET    /admin/vip-businesses                                      ADM   n role_not_allowed
85  POST   /admin/step-up/grant                                       ADM   n role_not_allowed
86  POST   /admin/users/{user_id}/role                                ADM   n role_not_allowed
87  POST   /admin/users/{user_id}/moderator                           ADM   n role_not_allowed
88  POST   /admin/vip-businesses                                      ADM   n role_not_allowed
89  POST   /admin/vip-businesses/{business_id}/approve                SA    n role_not_allowed
90  POST   /admin/vip-businesses/{business_id}/staff/{user_id}        SA    n role_not_allowed
91  GET    /cms/blog                                                  EDIT  n -
92  GET    /cms/news                                                  EDIT  n -
93  GET    /cms/{blog|news}/{article_id}                              EDIT  n -
94  POST   /cms/{blog|news}/drafts                                    EDIT  n -
95  POST   /cms/{blog|news}/{article_id}                              EDIT  n -
96  POST   /cms/{blog|news}/{article_id}/submit                       EDIT  n -
97  POST   /cms/review/{blog|news}/{article_id}                       ADM   n role_not_allowed
98  POST   /cms/publish/{article_id}                                  SA    n role_not_allowed
99  GET    /blog                                                      none  n -
100 GET    /blog/{slug}                                               none  n -
101 GET    /news                                                      none  n -
102 GET    /news/{slug}                                               none  n -
103 POST   /support/feedback                                          none  n role_not_allowed
104 GET    /support/admin/messages                                    ADM   n role_not_allowed
105 POST   /support/admin/messages/{message_id}                       ADM   n role_not_allowed
END

# extensions.md 1.3: the reminder routes.
my $SPEC_REMINDERS = <<'END';
x1.3a GET    /vehicles/{vehicle_id}/reminders                         OWN   y role_not_allowed
x1.3b POST   /vehicles/{vehicle_id}/reminders                         OWN   y role_not_allowed
x1.3c PATCH  /vehicles/{vehicle_id}/reminders/{reminder_id}           OWN   y role_not_allowed
x1.3d POST   /vehicles/{vehicle_id}/reminders/{reminder_id}/done      OWN   y role_not_allowed
x1.3e DELETE /vehicles/{vehicle_id}/reminders/{reminder_id}           OWN   y role_not_allowed
x1.3f GET    /reminders                                               OWN   y role_not_allowed
END

# Role sets of api.md 1. "other" is an unknown role string: ANY admits it,
# every narrower set refuses it (api.md 1.1).
my @AUTH = qw(public user vip dealer moderator admin superadmin other);
my %SET = (
	none => [ 'anonymous', @AUTH ],
	ANY  => [@AUTH],
	OWN  => [qw(user vip dealer admin superadmin)],
	ADM  => [qw(admin superadmin)],
	SA   => [qw(superadmin)],
	EDIT => [qw(moderator admin superadmin)],
	SALE => [qw(vip dealer)],
	MC   => [qw(dealer admin superadmin)],
);
# The kept-for-compatibility 401 shape (README "Error bodies").
my %LEGACY_401 = map { $_ => 1 } ('auth GET /consent', 'auth POST /consent');

my (%spec, $nrows);
for my $line (split /\n/, $SPEC . $SPEC_REMINDERS) {
	my ($n, $method, $path, $set, $consent, $mod) = split ' ', $line;
	$nrows++ if $n =~ /^\d+$/;
	die "row $n: unknown role set $set" unless $SET{$set};
	# {blog|news} stands for the two literal segments.
	my @paths = $path =~ /\{blog\|news\}/ ? map { (my $p = $path) =~ s/\{blog\|news\}/$_/; $p } qw(blog news)
	    : ($path);
	for my $p (@paths) {
		my ($group, $rest) = $p =~ m{^/([^/]+)(/.*)?$} or die "row $n: bad path";
		my $key = "$method " . ($rest // '/');
		die "row $n: duplicate $group $key" if $spec{$group}{$key};
		$spec{$group}{$key} = { row => $n, roles => $SET{$set}, consent => $consent eq 'y',
		    mod => $mod eq '-' ? undef : $mod };
	}
}
is($nrows, 105, 'api.md 1 transcribed: 105 rows');

# Roles that get through the role gate: the moderator detail refuses the
# moderator whatever the role list says (gate.c checks it first).
sub effective {
	my ($roles, $mod) = @_;
	return join ',', sort grep { !(defined $mod && $_ eq 'moderator') } @$roles;
}

# ---- 1. declared tables == api.md 1 ----------------------------------------

my $cgidir = build_dir() . '/cgi-bin';
my %tables;
# Only the project's CGIs: the ones `make` builds from cgi-bin/*.c.
for my $src (sort glob(root() . '/cgi-bin/*.c')) {
	my ($g) = $src =~ m{/([^/]+)\.c$};
	# HTML pages (frontend.md) and the web server's error handler: no API routes
	next if $g eq 'site' || $g eq 'fallback';
	my $bin = "$cgidir/$g";
	next unless -x $bin;
	my $out = do { local $ENV{LTC_ROUTE_TABLE} = 1; `'$bin'` };
	my $t = eval { json()->decode($out) };
	ok(ref $t eq 'ARRAY' && @$t, "$g: route table dumped") or next;
	$tables{$g} = $t;
}
ok(scalar keys %tables, 'at least one CGI built') or BAIL_OUT('nothing built in ' . $cgidir);

for my $g (sort keys %spec) {
	note("group '$g' not built yet: its routes are not checked") unless $tables{$g};
}
for my $g (sort keys %tables) {
	my $want = $spec{$g};
	ok($want, "$g: is a group of api.md 1") or next;
	my %have;
	for my $rt (@{ $tables{$g} }) {
		my $key = "$rt->{method} $rt->{pattern}";
		is($rt->{group}, $g, "$g: $key declares its group");
		ok(!$have{$key}++, "$g: $key declared once");
		my $s = $want->{$key};
		ok($s, "$g: $key is in api.md 1") or next;
		is(effective($rt->{roles}, $rt->{mod_detail}), effective($s->{roles}, $s->{mod}),
		    "$g: $key role set (row $s->{row})");
		is($rt->{mod_detail}, $s->{mod}, "$g: $key moderator detail");
		ok(!!$rt->{consent} == !!$s->{consent}, "$g: $key consent " . ($s->{consent} ? 'y' : 'n'));
	}
	for my $key (sort keys %$want) {
		ok($have{$key}, "$g: api.md row $want->{$key}{row} '$key' is routed");
	}
}

# ---- 2. the walk -------------------------------------------------------------

my $srv = LTC->new_lighttpd;
my @ROLES = qw(public user vip dealer moderator admin superadmin);
my %actor;
for my $role (@ROLES) {
	# A moderator may not call /api/consent/*: its consent is recorded directly.
	$actor{$role} = $srv->login(role => $role, consent => $role ne 'moderator');
}
{
	my $uid = $actor{moderator}{user_id};
	for my $d (['terms', 'terms_version'], ['privacy', 'privacy_version']) {
		my ($v) = map { /^\Q$d->[1]\E\s*=\s*(\S+)/ ? $1 : () } do { open my $fh, '<', $srv->conf_file; <$fh> };
		$srv->sqlite("INSERT INTO consent_acceptances (user_id, doc_type, doc_version, accepted_at, source, "
		    . "created_at) VALUES ('$uid', '$d->[0]', '" . ($v // 'v1') . "', '2026-01-01T00:00:00.000000Z', "
		    . "'api', '2026-01-01T00:00:00.000000Z')");
	}
}
is($srv->get('/api/auth/me', token => $actor{$_}{token})->{json}{role}, $_, "session for $_") for @ROLES;

my $DUMMY = '00000000-0000-4000-8000-000000000000';
sub concrete {
	my ($g, $pattern) = @_;
	(my $p = $pattern) =~ s/\{(\w+)\}/$1 eq 'folder_id' ? '1' : $DUMMY/ge;
	return $p eq '/' ? "/api/$g" : "/api/$g$p";
}

my @walk;
for my $g (sort keys %tables) {
	push @walk, map { { %$_, group => $g } } @{ $tables{$g} };
}
# Logging out ends the session the rest of the walk uses: do it last.
@walk = sort { ($a->{pattern} =~ m{/logout$} ? 1 : 0) <=> ($b->{pattern} =~ m{/logout$} ? 1 : 0) } @walk;

my $seq = 0;
my @results;
for my $rt (@walk) {
	my $path = concrete($rt->{group}, $rt->{pattern});
	my $unsafe = $rt->{method} =~ /^(POST|PUT|PATCH|DELETE)$/;
	for my $role ('anonymous', @ROLES) {
		my $rid = sprintf('t90-%d-%05d', $$, ++$seq);
		my $r = $srv->req($rt->{method}, $path, headers => { 'X-Request-Id' => $rid },
		    $role eq 'anonymous' ? () : (token => $actor{$role}{token}), $unsafe ? (json => {}) : ());
		push @results, { rt => $rt, path => $path, role => $role, rid => $rid, r => $r };
	}
}

# Every ACCESS_DENIED row of the walk, by request id.
my %denied;
for my $line (split /\n/, $srv->sqlite("SELECT request_id || '|' || ifnull(reason_code, '') || '|' || "
    . "ifnull(target_id, '') FROM audit_events WHERE action = 'ACCESS_DENIED' AND request_id LIKE 't90-%'")) {
	my ($rid, $reason, $target) = split /\|/, $line, 3;
	push @{ $denied{$rid} }, [ $reason, $target ];
}

my $MOD_OK = qr{^/api/(?:auth|blog|news|cms/blog|cms/news)(?:/|$)};
for my $x (@results) {
	my ($rt, $role, $r, $rid) = @$x{qw(rt role r rid)};
	my $name = "$role $rt->{method} $x->{path}";
	my %roles = map { $_ => 1 } @{ $rt->{roles} };
	my $d = $r->{json} && ref $r->{json} eq 'HASH' ? $r->{json}{detail} : undef;
	my $rows = $denied{$rid} // [];
	is($r->{headers}{'x-request-id'}, $rid, "$name: request id echoed");
	if ($role eq 'anonymous') {
		if ($roles{anonymous}) {
			isnt($r->{status}, 401, "$name: anonymous allowed, not 401");
			ok(!($r->{status} == 403 && defined $d && !ref $d && $d =~ /^(forbidden|role_not_allowed)$/),
			    "$name: no role 403") or diag($r->{body});
		} else {
			is($r->{status}, 401, "$name: 401");
			if ($LEGACY_401{"$rt->{group} $rt->{method} $rt->{pattern}"}) {
				is_deeply($r->{json}, { detail => { code => 'unauthenticated' } }, "$name: legacy 401 body");
			} else {
				is_deeply($r->{json}, { detail => 'unauthorized' }, "$name: 401 body");
				is($r->{headers}{'www-authenticate'}, 'Bearer', "$name: WWW-Authenticate");
			}
		}
		is(scalar @$rows, 0, "$name: no ACCESS_DENIED row");
		next;
	}
	if ($role eq 'moderator' && $x->{path} !~ $MOD_OK) {
		is($r->{status}, 403, "$name: moderator confined (security.md 7.2)");
	}
	if ($role eq 'moderator' && defined $rt->{mod_detail}) {
		is($r->{status}, 403, "$name: 403");
		is_deeply($r->{json}, { detail => $rt->{mod_detail} }, "$name: detail $rt->{mod_detail}");
		is_deeply($rows, [ [ 'MODERATOR_BLOCK', $rt->{pattern} ] ], "$name: ACCESS_DENIED MODERATOR_BLOCK");
	} elsif (!$roles{$role}) {
		is($r->{status}, 403, "$name: 403");
		is_deeply($r->{json}, { detail => 'forbidden' }, "$name: detail forbidden");
		is_deeply($rows, [ [ 'RBAC_DENY', $rt->{pattern} ] ], "$name: ACCESS_DENIED RBAC_DENY");
	} else {
		ok($r->{status} != 401 && $r->{status} != 500, "$name: allowed (status $r->{status})")
		    or diag($r->{body});
		ok(!($r->{status} == 403 && defined $d && !ref $d && $d =~ /^(role_not_allowed|consent_required)$/),
		    "$name: not refused by the gate") or diag($r->{body});
		is(scalar @$rows, 0, "$name: no ACCESS_DENIED row");
	}
}

# ---- consent gate ------------------------------------------------------------

my ($gated) = grep { $_->{consent} && grep { $_ eq 'user' } @{ $_->{roles} } } @walk;
if ($gated) {
	my $fresh = $srv->login(role => 'user', consent => 0);
	my $path = concrete($gated->{group}, $gated->{pattern});
	my $rid = "t90-consent-$$";
	my $r = $srv->req($gated->{method}, $path, token => $fresh->{token}, headers => { 'X-Request-Id' => $rid },
	    $gated->{method} =~ /^(POST|PUT|PATCH|DELETE)$/ ? (json => {}) : ());
	is($r->{status}, 403, "not consented: $gated->{method} $path 403");
	is_deeply($r->{json}, { detail => 'consent_required' }, 'detail consent_required');
	is($srv->sqlite("SELECT action || '|' || reason_code FROM audit_events WHERE request_id = '$rid'"),
	    'CONSENT_REQUIRED_BLOCK|CONSENT_MISSING', 'CONSENT_REQUIRED_BLOCK audited');
} else {
	note('no consent-gated route for role user is built yet');
}

$srv->stop;
# Under lighttpd the CGIs' stderr goes to run/cgi-stderr.log, which
# LTC::stop does not read.
my $cgi_log = do { local (@ARGV, $/) = ($srv->data . '/run/cgi-stderr.log'); -e $ARGV[0] ? <> : '' };
unlike($cgi_log, qr/(AddressSanitizer|LeakSanitizer|runtime error:)/, 'no sanitizer report from any CGI');
done_testing;
