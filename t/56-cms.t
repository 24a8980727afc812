#!/usr/bin/perl
# /api/cms/* and the public read /api/blog, /api/news over HTTP (api.md 15,
# 16; domain.md 17): real logins for moderator, admin and superadmin, a real
# lighttpd, the real SQLite file. Every transition allowed and refused for
# each editor role, the order of the checks, slugs, the editors' and the
# readers' order, markup that must come back as the same literal string,
# the audit rows, and the seeds.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(json);
use Test::More;

my $T0 = '2026-03-05T10:00:00Z';
my $srv = LTC->new_lighttpd;
# The test moves the clock by hours: sessions must outlive it.
$srv->set_conf(test_now => $T0, session_idle_seconds => 864000, session_ttl_seconds => 864000);
sub at { $srv->set_conf(test_now => $_[0]) }

my $rid_seq = 0;
sub call {
	my ($a, $method, $path, %o) = @_;
	my $rid = sprintf('t56-%d-%05d', $$, ++$rid_seq);
	my %h = (%{ $o{headers} // {} }, 'X-Request-Id' => $rid);
	my %args = (headers => \%h);
	$args{token} = $a->{token} if $a && !$o{cookie};
	if ($o{cookie}) {
		$args{cookie} = $a->{token};
		$args{csrf} = $o{csrf} if defined $o{csrf};
	}
	$args{json} = $o{json} if exists $o{json};
	$args{body} = $o{body} if exists $o{body};
	my $r = $srv->req($method, $path, %args);
	$r->{rid} = $rid;
	return $r;
}

sub sq { my $s = shift; $s =~ s/'/''/g; "'$s'" }
sub audit_of {
	my ($rid) = @_;
	my $out = $srv->sqlite("SELECT action, result, ifnull(reason_code,''), target_type, "
	    . "ifnull(target_id,''), ifnull(metadata_json,'') FROM audit_events WHERE request_id = "
	    . sq($rid) . " ORDER BY rowid");
	return [ grep { length } split /\n/, $out ];
}
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

my $n = 0;
sub body {
	my (%o) = @_;
	$n++;
	return { slug => "artikel-$n", title => "Titel $n", excerpt => "Kurztext Nummer $n",
	    content_md => "Absatz eins von Artikel $n.\n\n**Zwischen**\n\n- a\n- b", %o };
}

my @SUMMARY = qw(article_id content_type created_at excerpt published_at review_note reviewed_at slug
    submitted_at title updated_at workflow_state);

# ---- actors --------------------------------------------------------------

my $mod = $srv->login(role => 'moderator', consent => 0);
my $adm = $srv->login(role => 'admin');
my $sa = $srv->login(role => 'superadmin');
my %other = map { $_ => $srv->login(role => $_) } qw(public user vip dealer);
my %editor = (moderator => $mod, admin => $adm, superadmin => $sa);

# ---- seeds and the public read ---------------------------------------------

my $r = call(undef, 'GET', '/api/blog');
is($r->{status}, 200, 'GET /api/blog: 200');
is_deeply([ map { $_->{slug} } @{ $r->{json} } ],
    [qw(spring-maintenance-2026 trust-ampel-guide digital-vehicle-passport)], 'blog seeds in order');
is_deeply([ sort keys %{ $r->{json}[0] } ], [qw(excerpt published_at slug title)], 'list item keys');
is($r->{json}[0]{published_at}, '2026-03-01T09:00:00Z', 'seed published_at');
is($r->{headers}{'cache-control'}, 'no-store', 'API read: Cache-Control no-store (security.md 10)');
is_deeply([ map { $_->{slug} } @{ call(undef, 'GET', '/api/news/')->{json} } ],
    [qw(eu-digital-vehicle-passport-2027 ltc-expands-to-fleet-management trust-ampel-reaches-100k-vehicles)],
    'news seeds in order (trailing slash)');
$r = call(undef, 'GET', '/api/news/trust-ampel-reaches-100k-vehicles');
is($r->{status}, 200, 'news seed by slug');
is_deeply([ sort keys %{ $r->{json} } ], [qw(content_md excerpt published_at slug title)], 'single keys');
like($r->{json}{content_md}, qr/\A\QModeratorinnen und Moderatoren\E.*\n\n\*\*Redaktionsablauf\*\*\n\n- Entwurf/s,
    'seed content_md as in domain.md 17.3');
unlike($r->{json}{content_md}, qr/\n\z/, 'seed content has no trailing newline');
detail_is(call(undef, 'GET', '/api/blog/trust-ampel-reaches-100k-vehicles'), 404, 'not_found',
    'a news slug is not a blog article');
detail_is(call(undef, 'GET', '/api/blog/Trust-Ampel-Guide'), 404, 'not_found', 'slug match is case-sensitive');
is(call($mod, 'GET', '/api/blog')->{status}, 200, 'a moderator reads the blog');
is(call($other{user}, 'GET', '/api/news/trust-ampel-reaches-100k-vehicles')->{status}, 200, 'a user reads news');
$r = call(undef, 'HEAD', '/api/blog');
is($r->{status}, 200, 'HEAD /api/blog: 200');
is($r->{body}, '', 'HEAD: no body');
is(call(undef, 'POST', '/api/blog', json => {})->{status}, 405, 'POST /api/blog: 405');
detail_is(call(undef, 'GET', '/api/blog/a/b'), 404, 'Not Found', 'two segments: no route');
is($srv->sqlite("SELECT count(*) FROM cms_articles WHERE author_user_id = 'system' AND "
    . "reviewer_user_id = 'system' AND published_by_user_id = 'system' AND workflow_state = 'published' "
    . "AND created_at = published_at AND updated_at = published_at AND submitted_at = published_at "
    . "AND reviewed_at = published_at"), 6, 'six seeds: system author, reviewer, publisher, equal times');

# ---- the gate ----------------------------------------------------------------

my @EDIT_ROUTES = (['GET', '/api/cms/blog'], ['GET', '/api/cms/news'], ['GET', '/api/cms/blog/x'],
    ['POST', '/api/cms/news/drafts'], ['POST', '/api/cms/blog/x'], ['POST', '/api/cms/news/x/submit']);
for my $rt (@EDIT_ROUTES, ['POST', '/api/cms/review/blog/x'], ['POST', '/api/cms/publish/x']) {
	my ($m, $p) = @$rt;
	my %b = $m eq 'POST' ? (json => {}) : ();
	$r = call(undef, $m, $p, %b);
	detail_is($r, 401, 'unauthorized', "anonymous $m $p");
	for my $role (sort keys %other) {
		$r = call($other{$role}, $m, $p, %b);
		detail_is($r, 403, 'forbidden', "$role $m $p");
		like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|RBAC_DENY\|ROUTE\|/,
		    "$role $m $p: ACCESS_DENIED RBAC_DENY");
	}
}
for my $rt (['POST', '/api/cms/review/blog/x'], ['POST', '/api/cms/review/news/x'],
    ['POST', '/api/cms/publish/x']) {
	my ($m, $p) = @$rt;
	$r = call($mod, $m, $p, json => {});
	detail_is($r, 403, 'role_not_allowed', "moderator $m $p (before 404 and 422)");
	like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|MODERATOR_BLOCK\|/,
	    "moderator $m $p: ACCESS_DENIED MODERATOR_BLOCK");
}
$r = call($adm, 'POST', '/api/cms/publish/x');
detail_is($r, 403, 'forbidden', 'admin publish (before the lookup)');
like(audit_of($r->{rid})->[0] // '', qr/^ACCESS_DENIED\|denied\|RBAC_DENY\|/, 'admin publish: RBAC_DENY');
for my $who (sort keys %editor) {
	is(call($editor{$who}, 'GET', '/api/cms/blog')->{status}, 200, "$who lists the blog queue");
	detail_is(call($editor{$who}, 'GET', '/api/cms/blog/drafts'), 404, 'not_found',
	    "$who GET /cms/blog/drafts is the detail route");
}
is(call($adm, 'POST', '/api/cms/review/blog/nope', json => {})->{status}, 404, 'admin reaches review');
is(call($sa, 'POST', '/api/cms/publish/nope')->{status}, 404, 'superadmin reaches publish');

# ---- drafts: validation, slugs, conflicts -----------------------------------

is_422(call($mod, 'POST', '/api/cms/blog/drafts'), [ [ 'missing', 'body' ] ], 'no body');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', json => []), [ [ 'dict_type', 'body' ] ], 'array body');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', json => {}),
    [ [ 'missing', 'body', 'slug' ], [ 'missing', 'body', 'title' ], [ 'missing', 'body', 'excerpt' ],
      [ 'missing', 'body', 'content_md' ] ], 'every field required, in field order');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => 5, title => '  ab  ',
    excerpt => 'kurz', content_md => "   zu kurz   ")),
    [ [ 'string_type', 'body', 'slug' ], [ 'string_too_short', 'body', 'title' ],
      [ 'string_too_short', 'body', 'excerpt' ], [ 'string_too_short', 'body', 'content_md' ] ],
    'non-string slug, bounds on the trimmed values');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => undef)),
    [ [ 'string_type', 'body', 'slug' ] ], 'null slug is a type error');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', json => body(title => "zwei\nZeilen",
    excerpt => "Tab\tim Kurztext", content_md => 'x' x 12001)),
    [ [ 'value_error', 'body', 'title' ], [ 'value_error', 'body', 'excerpt' ],
      [ 'string_too_long', 'body', 'content_md' ] ], 'single-line title and excerpt; content max 12000');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => 'Bad Slug!', title => 'x')),
    [ [ 'string_too_short', 'body', 'title' ] ], '422 comes before invalid_slug');
is(call($mod, 'POST', '/api/cms/blog/drafts', json => body(title => 'ä' x 255, excerpt => 'ö' x 500,
    content_md => "Zeile\r\n\tmit Tab\n" . ('ü' x 11000)))->{status}, 200,
    'maximum lengths in code points; multi-line content allows \r \n \t');
for my $bad ('ab', 'a' x 161, 'mit leerzeichen', 'umlaut-ä', 'under_score', '<script>alert(1)</script>',
    '"><img src=x>', "a\x01bc", 'slash/slug', '') {
	(my $name = $bad) =~ s/[^\x20-\x7e]/?/g;
	detail_is(call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => $bad)), 400, 'invalid_slug',
	    "slug '" . substr($name, 0, 20) . "'");
}
$r = call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => "  Mein-Erster-Artikel-2026 \t"));
is($r->{status}, 200, 'draft by a moderator: 200') or diag($r->{body});
my $d1 = $r->{json};
is($d1->{slug}, 'mein-erster-artikel-2026', 'slug trimmed and lowercased');
is($d1->{workflow_state}, 'draft', 'state draft');
is($d1->{content_type}, 'blog', 'content_type');
is_deeply([ sort keys %$d1 ], [ sort @SUMMARY, 'content_md' ], 'CmsArticleDetail keys (no author ids)');
like($d1->{article_id}, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'uuid id');
is($d1->{created_at}, $T0, 'created_at = now');
is($d1->{updated_at}, $T0, 'updated_at = now');
is($d1->{$_}, undef, "$_ null") for qw(review_note submitted_at reviewed_at published_at);
is($srv->sqlite("SELECT author_user_id FROM cms_articles WHERE article_id = " . sq($d1->{article_id})),
    $mod->{user_id}, 'author = the moderator');
is_deeply(audit_of($r->{rid}), [ "CMS_DRAFT_CREATED|success||BLOG_POST|$d1->{article_id}|"
    . '{"content_type":"blog","workflow_state":"draft"}' ], 'audit CMS_DRAFT_CREATED');
detail_is(call($adm, 'POST', '/api/cms/blog/drafts', json => body(slug => 'MEIN-erster-artikel-2026')),
    409, 'slug_conflict', 'same slug, same type (after normalising)');
is(call($adm, 'POST', '/api/cms/news/drafts', json => body(slug => 'mein-erster-artikel-2026'))->{status},
    200, 'the same slug in the other type is free');
detail_is(call($mod, 'GET', "/api/cms/news/$d1->{article_id}"), 404, 'not_found', 'detail of the other type');
$r = call($mod, 'GET', "/api/cms/blog/$d1->{article_id}");
is($r->{status}, 200, 'detail 200');
is_deeply($r->{json}, $d1, 'detail = the draft answer');
detail_is(call(undef, 'GET', '/api/blog/mein-erster-artikel-2026'), 404, 'not_found', 'a draft is not public');

# ---- the workflow, for every editor role --------------------------------------

my $t = 0;
sub tick { $t++; my $ts = sprintf('2026-03-05T11:%02d:00Z', $t); at($ts); return $ts }

for my $who (qw(moderator admin superadmin)) {
	my $e = $editor{$who};
	my $ts = tick();
	$r = call($e, 'POST', '/api/cms/news/drafts', json => body(slug => "flow-$who"));
	is($r->{status}, 200, "$who: create draft") or diag($r->{body});
	my $id = $r->{json}{article_id};
	is($r->{json}{created_at}, $ts, "$who: created_at");

	detail_is(call($sa, 'POST', "/api/cms/publish/$id"), 409, 'review_required', "$who: publish a draft");

	$ts = tick();
	$r = call($e, 'POST', "/api/cms/news/$id/submit", json => { ignored => 1 });
	is($r->{status}, 200, "$who: submit") or diag($r->{body});
	is($r->{json}{workflow_state}, 'in_review', "$who: submit -> in_review");
	is($r->{json}{submitted_at}, $ts, "$who: submitted_at = now");
	is($r->{json}{reviewed_at}, undef, "$who: not reviewed yet");
	is_deeply(audit_of($r->{rid}), [ "CMS_SUBMITTED|success||BLOG_POST|$id|"
	    . '{"content_type":"news","workflow_state":"in_review"}' ], "$who: audit CMS_SUBMITTED");
	detail_is(call($sa, 'POST', "/api/cms/publish/$id"), 409, 'review_required',
	    "$who: publish without review");

	if ($who eq 'moderator') {
		detail_is(call($e, 'POST', "/api/cms/review/news/$id", json => {}), 403, 'role_not_allowed',
		    'moderator may not review');
		detail_is(call($e, 'POST', "/api/cms/publish/$id"), 403, 'role_not_allowed',
		    'moderator may not publish');
	}
	my $rv = $who eq 'moderator' ? $adm : $e;
	$ts = tick();
	$r = call($rv, 'POST', "/api/cms/review/news/$id", json => { review_note => "  Bitte\n<b>prüfen</b>  " });
	is($r->{status}, 200, "$who: review") or diag($r->{body});
	is($r->{json}{review_note}, "Bitte\n<b>prüfen</b>", "$who: review_note trimmed, echoed as stored");
	is($r->{json}{reviewed_at}, $ts, "$who: reviewed_at = now");
	isnt($r->{json}{submitted_at}, $ts, "$who: submitted_at kept");
	is_deeply(audit_of($r->{rid}), [ "CMS_REVIEWED|success||BLOG_POST|$id|"
	    . '{"content_type":"news","workflow_state":"in_review"}' ], "$who: audit CMS_REVIEWED (no note)");

	if ($who ne 'superadmin') {
		detail_is(call($e, 'POST', "/api/cms/publish/$id"), 403,
		    $who eq 'moderator' ? 'role_not_allowed' : 'forbidden', "$who may not publish");
		# An edit after the review sends the article back to draft.
		$ts = tick();
		$r = call($e, 'POST', "/api/cms/news/$id", json => body(slug => "flow-$who", title => "Neu $who"));
		is($r->{status}, 200, "$who: update after review") or diag($r->{body});
		is($r->{json}{workflow_state}, 'draft', "$who: back to draft");
		is($r->{json}{$_}, undef, "$who: $_ cleared") for qw(review_note reviewed_at submitted_at published_at);
		is($r->{json}{updated_at}, $ts, "$who: updated_at");
		is($srv->sqlite("SELECT ifnull(reviewer_user_id,'NULL') FROM cms_articles WHERE article_id = "
		    . sq($id)), 'NULL', "$who: reviewer cleared");
		is_deeply(audit_of($r->{rid}), [ "CMS_ARTICLE_UPDATED|success||BLOG_POST|$id|"
		    . '{"content_type":"news","workflow_state":"draft"}' ], "$who: audit CMS_ARTICLE_UPDATED");
		# A draft can be reviewed directly.
		$ts = tick();
		$r = call($adm, 'POST', "/api/cms/review/news/$id", json => { review_note => '   ' });
		is($r->{status}, 200, "$who: review a draft directly");
		is($r->{json}{workflow_state}, 'in_review', "$who: draft reviewed -> in_review");
		is($r->{json}{submitted_at}, $ts, "$who: submitted_at = now when it was null");
		is($r->{json}{review_note}, undef, "$who: blank note -> null");
	}
	$ts = tick();
	$r = call($sa, 'POST', "/api/cms/publish/$id");
	is($r->{status}, 200, "$who: published by the superadmin") or diag($r->{body});
	is($r->{json}{workflow_state}, 'published', "$who: state published");
	is($r->{json}{published_at}, $ts, "$who: published_at = now");
	is($srv->sqlite("SELECT published_by_user_id FROM cms_articles WHERE article_id = " . sq($id)),
	    $sa->{user_id}, "$who: publisher = the superadmin");
	is_deeply(audit_of($r->{rid}), [ "CMS_PUBLISHED|success||BLOG_POST|$id|"
	    . '{"content_type":"news","workflow_state":"published"}' ], "$who: audit CMS_PUBLISHED");
	is(call(undef, 'GET', "/api/news/flow-$who")->{status}, 200, "$who: now public");
	is(call(undef, 'GET', '/api/news')->{json}[0]{slug}, "flow-$who", "$who: newest first in the public list");

	# Published: read-only for everyone but a superadmin.
	if ($who ne 'superadmin') {
		detail_is(call($e, 'POST', "/api/cms/news/$id", json => body(slug => "flow-$who")), 409,
		    'published_article_read_only', "$who: update a published article");
		detail_is(call($e, 'POST', "/api/cms/news/$id", json => body(slug => 'Bad Slug')), 409,
		    'published_article_read_only', "$who: read-only comes before invalid_slug");
	}
	detail_is(call($e, 'POST', "/api/cms/news/$id/submit"), 409, 'published_article_read_only',
	    "$who: submit a published article");
	detail_is(call($who eq 'moderator' ? $adm : $e, 'POST', "/api/cms/review/news/$id", json => {}), 409,
	    'published_article_read_only', "$who: review a published article");
	detail_is(call($sa, 'POST', "/api/cms/publish/$id"), 409, 'review_required', "$who: publish twice");
}

# A superadmin's edit keeps the state, also of a published article.
my ($pub_id) = map { $_->{article_id} } grep { $_->{slug} eq 'flow-moderator' }
    @{ call($sa, 'GET', '/api/cms/news')->{json} };
my $before = call($sa, 'GET', "/api/cms/news/$pub_id")->{json};
my $ts = tick();
$r = call($sa, 'POST', "/api/cms/news/$pub_id", json => body(slug => 'flow-moderator-neu', title => 'SA-Titel'));
is($r->{status}, 200, 'superadmin edits a published article');
is($r->{json}{workflow_state}, 'published', 'it stays published');
is($r->{json}{published_at}, $before->{published_at}, 'published_at kept');
is($r->{json}{reviewed_at}, $before->{reviewed_at}, 'reviewed_at kept');
is($r->{json}{updated_at}, $ts, 'updated_at = now');
is(call(undef, 'GET', '/api/news/flow-moderator-neu')->{json}{title}, 'SA-Titel', 'public read shows the edit');
detail_is(call(undef, 'GET', '/api/news/flow-moderator'), 404, 'not_found', 'the old slug is gone');
# A superadmin's edit of an article in review keeps it in review.
$r = call($sa, 'POST', '/api/cms/blog/drafts', json => body(slug => 'sa-in-review'));
my $sid = $r->{json}{article_id};
call($sa, 'POST', "/api/cms/blog/$sid/submit");
call($sa, 'POST', "/api/cms/review/blog/$sid", json => { review_note => 'ok' });
$r = call($sa, 'POST', "/api/cms/blog/$sid", json => body(slug => 'sa-in-review'));
is($r->{json}{workflow_state}, 'in_review', 'superadmin edit in review: stays in_review');
is($r->{json}{review_note}, 'ok', 'review kept');
# Submitting again clears the review.
$r = call($mod, 'POST', "/api/cms/blog/$sid/submit");
is($r->{json}{review_note}, undef, 'resubmit clears the review note');
is($r->{json}{reviewed_at}, undef, 'resubmit clears reviewed_at');
detail_is(call($sa, 'POST', "/api/cms/publish/$sid"), 409, 'review_required', 'publish after resubmit');

# ---- update: order of the checks, slugs ------------------------------------

detail_is(call($mod, 'POST', '/api/cms/blog/00000000-0000-4000-8000-000000000000', json => body()), 404,
    'not_found', 'update unknown id');
is_422(call($mod, 'POST', '/api/cms/blog/00000000-0000-4000-8000-000000000000', json => {}),
    [ [ 'missing', 'body', 'slug' ], [ 'missing', 'body', 'title' ], [ 'missing', 'body', 'excerpt' ],
      [ 'missing', 'body', 'content_md' ] ], '422 comes before 404');
detail_is(call($mod, 'POST', "/api/cms/news/$d1->{article_id}", json => body()), 404, 'not_found',
    'update through the other type');
detail_is(call($mod, 'POST', "/api/cms/news/$d1->{article_id}/submit"), 404, 'not_found',
    'submit through the other type');
detail_is(call($adm, 'POST', "/api/cms/review/news/$d1->{article_id}", json => {}), 404, 'not_found',
    'review through the other type');
is_422(call($adm, 'POST', "/api/cms/review/blog/$d1->{article_id}"), [ [ 'missing', 'body' ] ],
    'review needs a body');
is_422(call($adm, 'POST', "/api/cms/review/blog/$d1->{article_id}", json => { review_note => 'x' x 1201 }),
    [ [ 'string_too_long', 'body', 'review_note' ] ], 'review note at most 1200');
is_422(call($adm, 'POST', "/api/cms/review/blog/$d1->{article_id}", json => { review_note => 7 }),
    [ [ 'string_type', 'body', 'review_note' ] ], 'review note must be a string');
detail_is(call($mod, 'POST', "/api/cms/blog/$d1->{article_id}", json => body(slug => 'spring-maintenance-2026')),
    409, 'slug_conflict', 'update to a slug of another article');
detail_is(call($mod, 'POST', "/api/cms/blog/$d1->{article_id}", json => body(slug => 'x')), 400,
    'invalid_slug', 'update with an invalid slug');
is(call($mod, 'POST', "/api/cms/blog/$d1->{article_id}", json => body(slug => 'Mein-Erster-Artikel-2026'))
    ->{status}, 200, 'keeping the own slug is no conflict');
# Publish works for either type (no type in its path).
$r = call($adm, 'POST', "/api/cms/review/blog/$d1->{article_id}", json => { review_note => undef });
is($r->{json}{review_note}, undef, 'null note');
at('2026-03-06T08:00:00Z');
is(call($sa, 'POST', "/api/cms/publish/$d1->{article_id}")->{json}{workflow_state}, 'published',
    'publish a blog article');

# ---- the editors' order ------------------------------------------------------

# Two drafts at the same instant: the later insert comes first among equals.
at('2026-03-06T09:00:00Z');
my @same = map { call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => "gleichzeitig-$_"))->{json}
    {article_id} } 1 .. 2;
$r = call($mod, 'GET', '/api/cms/blog');
is($r->{status}, 200, 'blog queue');
my @q = @{ $r->{json} };
is_deeply([ sort keys %{ $q[0] } ], [ sort @SUMMARY ], 'CmsArticleSummary keys (no content, no ids of people)');
my @pub = grep { defined $_->{published_at} } @q;
my @unpub = grep { !defined $_->{published_at} } @q;
is_deeply([ map { $_->{slug} } @q[0 .. $#pub] ], [ map { $_->{slug} } @pub ], 'published first, nulls last');
is_deeply([ map { $_->{published_at} } @pub ], [ sort { $b cmp $a } map { $_->{published_at} } @pub ],
    'published_at descending');
is($pub[0]{slug}, 'mein-erster-artikel-2026', 'the newest publication first');
is_deeply([ map { $_->{updated_at} } @unpub ], [ sort { $b cmp $a } map { $_->{updated_at} } @unpub ],
    'unpublished by updated_at descending');
is_deeply([ map { $_->{article_id} } @unpub[0, 1] ], [ reverse @same ], 'exact ties: later insert first');
ok(!grep({ $_->{content_type} ne 'blog' } @q), 'only blog articles');
is(scalar(grep { $_->{workflow_state} ne 'published' } @q) >= 3, 1, 'drafts and in-review articles are listed');

# ---- the public read shows published articles only --------------------------

my @public = @{ call(undef, 'GET', '/api/blog')->{json} };
is_deeply([ map { $_->{slug} } @public ], [ qw(mein-erster-artikel-2026 spring-maintenance-2026 trust-ampel-guide
    digital-vehicle-passport) ], 'public blog: published only, newest first');
detail_is(call(undef, 'GET', '/api/blog/sa-in-review'), 404, 'not_found', 'in review is not public');
detail_is(call(undef, 'GET', '/api/blog/gleichzeitig-1'), 404, 'not_found', 'a draft is not public');

# A slug longer than a path id (160 > 128) is still found.
my $long = 'l' x 160;
$r = call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => $long));
my $lid = $r->{json}{article_id};
call($adm, 'POST', "/api/cms/review/blog/$lid", json => {});
call($sa, 'POST', "/api/cms/publish/$lid");
is(call(undef, 'GET', "/api/blog/$long")->{status}, 200, 'a 160-character slug is readable');

# ---- markup comes back as the same literal strings ---------------------------

my %evil = (
	slug => 'xss-test',
	title => '<script>alert("t")</script> & \'quote\'',
	excerpt => '"><img src=x onerror=alert(1)> </textarea>',
	content_md => "<script>alert(1)</script>\n\n**<img src=x onerror=alert(2)>**\n\n"
	    . "- [link](javascript:alert(3))\n- \" onmouseover=\"alert(4)",
);
$r = call($mod, 'POST', '/api/cms/news/drafts', json => \%evil);
is($r->{status}, 200, 'draft with markup everywhere');
my $xid = $r->{json}{article_id};
is($r->{json}{$_}, $evil{$_}, "$_ comes back unchanged") for qw(slug title excerpt content_md);
like($r->{body}, qr/"title":"<script>alert\(\\"t\\"\)<\/script>/, 'JSON escapes only what JSON needs');
call($adm, 'POST', "/api/cms/review/news/$xid", json => { review_note => '<b onclick="x()">n</b>' });
$r = call($sa, 'POST', "/api/cms/publish/$xid");
is($r->{json}{review_note}, '<b onclick="x()">n</b>', 'review note unchanged');
$r = call(undef, 'GET', '/api/news/xss-test');
is($r->{json}{$_}, $evil{$_}, "public $_ unchanged") for qw(slug title excerpt content_md);
is($r->{headers}{'content-type'}, 'application/json; charset=utf-8', 'JSON, never HTML');
like($r->{headers}{'content-security-policy'}, qr/^default-src 'none'/, 'JSON CSP');
is(call(undef, 'GET', '/api/news')->{json}[0]{title}, $evil{title}, 'public list title unchanged');
my $meta = $srv->sqlite("SELECT group_concat(ifnull(metadata_json,''), ' ') FROM audit_events WHERE target_id = "
    . sq($xid));
like($meta, qr/content_type/, 'audit metadata present');
unlike($meta, qr/[<>]|script|img|alert|onclick/, 'no title, excerpt, content or note in audit metadata');
is_422(call($mod, 'POST', '/api/cms/blog/drafts', body => '{"slug":"a\\u0000b","title":"abc","excerpt":"12345678",'
    . '"content_md":"1234567890123456"}'), [ [ 'json_invalid', 'body' ] ], 'an encoded NUL is invalid JSON');

# ---- CSRF with a cookie session ------------------------------------------------

$r = call($mod, 'POST', '/api/cms/blog/drafts', cookie => 1, json => body());
detail_is($r, 403, 'csrf_failed', 'cookie POST without X-CSRF-Token');
is((grep { /^ACCESS_DENIED\|denied\|CSRF\|/ } @{ audit_of($r->{rid}) }) ? 1 : 0, 1, 'ACCESS_DENIED CSRF');
is(call($mod, 'POST', '/api/cms/blog/drafts', cookie => 1, csrf => $mod->{csrf}, json => body())->{status}, 200,
    'cookie POST with the token');
is(call($mod, 'GET', '/api/cms/blog', cookie => 1)->{status}, 200, 'cookie GET needs no token');

# ---- a failed write leaves nothing behind ----------------------------------------

my $count = $srv->sqlite('SELECT count(*) FROM cms_articles');
my $acount = $srv->sqlite("SELECT count(*) FROM audit_events WHERE action LIKE 'CMS_%'");
call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => 'spring-maintenance-2026'));
call($mod, 'POST', '/api/cms/blog/drafts', json => body(slug => '!'));
is($srv->sqlite('SELECT count(*) FROM cms_articles'), $count, 'refused drafts store nothing');
is($srv->sqlite("SELECT count(*) FROM audit_events WHERE action LIKE 'CMS_%'"), $acount, 'and audit nothing');

# ---- the binaries directly (sanitizer builds see leaks here) -------------------

$srv->direct('cms', $sa, 'GET', '/blog');
$srv->direct('cms', $sa, 'GET', "/news/$xid");
$srv->direct('cms', $mod, 'POST', '/blog/drafts', body());
$srv->direct('cms', $mod, 'POST', '/blog/drafts', { slug => 1 });
$srv->direct('cms', $adm, 'POST', "/review/blog/$sid", { review_note => 'x' });
$srv->direct('cms', $sa, 'POST', "/publish/$sid");
$srv->direct('cms', $sa, 'POST', "/publish/$sid");
$srv->direct('blog', $mod, 'GET', '/');
$srv->direct('news', $mod, 'GET', '/xss-test');
$srv->direct('news', $mod, 'GET', '/nope');

$srv->stop;
done_testing;
