#!/usr/bin/perl
# make check-html (bin/check-html.sh): passes on the tree, and catches
# each kind of violation planted in a temp copy: raw writes into a page,
# a non-literal format, a conversion html.h does not know, an unquoted
# attribute, a URL attribute that starts with data, stdout writes and
# markup outside page code. The compiler's half (format attribute with
# -Wformat-nonliteral) is checked on a small file.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use LTC qw(root);
use File::Temp qw(tempdir);
use Test::More;

my $ROOT = root();
my $CHECK = "$ROOT/bin/check-html.sh";

sub check {
	my ($dir) = @_;
	my $out = `sh '$CHECK' '$dir' 2>&1`;
	return ($? >> 8, $out);
}

my ($rc, $out) = check($ROOT);
is($rc, 0, 'the tree passes');
is($out, '', '... silently');

sub slurp { my ($f) = @_; open my $fh, '<', $f or die "$f: $!"; local $/; <$fh> }
sub spew { my ($f, $s) = @_; open my $fh, '>', $f or die "$f: $!"; print $fh $s; close $fh }

# A fresh copy of the checked directories for every plant.
sub plant {
	my ($name, $file, $edit, $want) = @_;
	my $dir = tempdir(CLEANUP => 1);
	system('cp', '-R', map("$ROOT/$_", qw(lib cgi-bin bin)), $dir) == 0 or die 'cp';
	my $src = slurp("$dir/$file");
	my $new = $edit->($src);
	isnt($new, $src, "$name: planted in $file");
	spew("$dir/$file", $new);
	my ($rc, $out) = check($dir);
	is($rc, 1, "$name: check fails");
	like($out, $want, "$name: reported") or diag($out);
	like($out, qr{^check-html: \Q$file\E:\d+: }m, "$name: names file and line");
}

# In the QR page: a handler's data written raw after the layout.
my $after_begin = sub {
	my ($code) = @_;
	return sub { my ($s) = @_; $s =~ s/(qr_show\(struct req \*r\)\n\{.*?page_begin\(&b, &o\);\n)/$1\t$code\n/s; $s };
};
plant('raw buf_puts', 'cgi-bin/site.c', $after_begin->('buf_puts(&b, jstr(j, "hint"));'),
    qr/buf_puts\(\) in page code bypasses the escaping writer/);
plant('raw buf_printf over two lines', 'cgi-bin/site.c',
    $after_begin->("buf_printf(&b,\n\t    \"<p>%s</p>\", jstr(j, \"hint\"));"),
    qr/buf_printf\(\) in page code bypasses/);
plant('non-literal format', 'cgi-bin/site.c', $after_begin->('html_printf(&b, jstr(j, "hint"));'),
    qr/the format is not a string literal/);
plant('non-literal format on the next line', 'lib/http/page.c',
    sub { my ($s) = @_; $s =~ s/(page_error_build\(struct buf \*b, int status\)\n\{.*?page_begin\(b, &o\);\n)/$1\thtml_printf(b,\n\t    text);\n/s; $s },
    qr/the format is not a string literal/);
plant('unknown conversion', 'cgi-bin/site.c', $after_begin->('html_printf(&b, "<p>%x</p>", 1u);'),
    qr/conversion %x.* is not one of html\.h/);
plant('unquoted attribute', 'cgi-bin/site.c',
    $after_begin->('html_printf(&b, "<p class=%s>", light);'), qr/not quoted/);
plant('URL attribute from data', 'cgi-bin/public.c',
    sub { my ($s) = @_; $s =~ s/(\tpage_end\(&b, &o\);)/\thtml_printf(&b, "<a href=\\"%s\\">x<\/a>", TRUST_DISCLAIMER);\n$1/; $s },
    qr/a URL attribute starts with data/);
plant('printf to stdout', 'lib/http/page.c',
    sub { my ($s) = @_; $s =~ s/(\tpage_error_build\(&b, status\);\n)/$1\tfprintf(stdout, "%s", text);\n/; $s },
    qr/fprintf\(\) other than to stderr/);
plant('resp_html outside page.c', 'cgi-bin/public.c',
    sub { my ($s) = @_; $s =~ s/\tpage_send\(r, 200, &b, "no-store"\);/\tresp_html(r, 200, b.data, b.len, NULL);/; $s },
    qr/resp_html\(\) outside page\.c/);
plant('markup outside page code', 'lib/domain/ampel.c',
    sub { my ($s) = @_; $s .= "\nvoid ampel_html(struct buf *, const char *);\nvoid\nampel_html(struct buf *b, const char *s)\n{\n\tbuf_printf(b, \"<p>%s</p>\", s);\n}\n"; $s },
    qr/HTML markup outside page code/);

# The compiler's half: with the project's flags a non-literal format and
# a wrong argument type do not compile.
like(slurp("$ROOT/Makefile"), qr/^WARN\s*\+=.*-Wformat-nonliteral.*-Wformat-security/m,
    'Makefile: -Wformat-nonliteral -Wformat-security');
my $dir = tempdir(CLEANUP => 1);
spew("$dir/t.c", "#include \"http/html.h\"\nvoid f(struct buf *, const char *);\n"
    . "void f(struct buf *b, const char *s) { html_printf(b, \"<p>%s</p>\", s); }\n");
my $cc = "cc -std=c11 -D_GNU_SOURCE -Wall -Werror -Wformat-nonliteral -Wformat-security -I'$ROOT/lib' -fsyntax-only";
is(system("$cc '$dir/t.c' 2>/dev/null"), 0, 'a literal format compiles');
spew("$dir/t.c", "#include \"http/html.h\"\nvoid f(struct buf *, const char *);\n"
    . "void f(struct buf *b, const char *s) { html_printf(b, s); }\n");
isnt(system("$cc '$dir/t.c' 2>/dev/null"), 0, 'a non-literal format does not');
spew("$dir/t.c", "#include \"http/html.h\"\nvoid f(struct buf *, int);\n"
    . "void f(struct buf *b, int n) { html_printf(b, \"<p>%s</p>\", n); }\n");
isnt(system("$cc '$dir/t.c' 2>/dev/null"), 0, 'nor a number for %s');

done_testing;
