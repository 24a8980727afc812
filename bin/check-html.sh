#!/bin/sh
# check-html.sh [ROOT]: HTML is written only through the escaping writer
# (lib/http/html.h). Prints every violation; exit 1 if there is one.
#
# Page code is every C file or header under lib/, cgi-bin/ and bin/ that
# includes "http/html.h" or "http/page.h", except lib/http/html.c (the
# writer itself).
#
# In page code:
#   1. html_printf()'s format is a string literal (several adjacent
#      literals and macros of literals are fine; the compiler checks the
#      whole expression with -Wformat-nonliteral).
#   2. The format converts only %s %d %i %u %ld %li %lu %lld %lli %llu %zd
#      %zu and %% (html.h); html_printf() aborts on anything else.
#   3. An attribute value that holds a conversion is quoted: no =%.
#   4. A URL attribute (href, src, action, formaction, srcset, poster,
#      cite) does not start with a conversion: the start of every URL
#      (scheme, host, "/", "#", "?") comes from the literal, data only
#      follows it (through html_url() for components).
#   5. Nothing else writes bytes: no buf_append, buf_puts, buf_putc,
#      buf_printf, no printf family (printf, sprintf, snprintf, vprintf,
#      vsprintf, vsnprintf, vfprintf, dprintf; fprintf only to stderr),
#      no puts, putchar, fputs, fputc, putc, fwrite, write, no
#      html_vprintf and no resp_raw. resp_html is called only by
#      lib/http/page.c (page_send, page_redirect).
# Everywhere else under lib/, cgi-bin/ and bin/:
#   6. No string literal opens or closes an HTML element ("<p>", "</div",
#      "<a ", "<!DOCTYPE"): markup is written only by page code.
# Comments are ignored; the check reads tokens, so a call split over
# several lines counts like one on a line.
root=${1:-.}
cd "$root" || exit 2
LC_ALL=C
export LC_ALL
files=
for f in lib/*/*.c lib/*/*.h cgi-bin/*.c cgi-bin/*/*.c cgi-bin/*.h \
    bin/*.c bin/*.h; do
	[ -f "$f" ] && [ "$f" != lib/http/html.c ] && files="$files $f"
done
[ -n "$files" ] || exit 0
# $files unquoted on purpose: one argument per path (none has a space).
exec awk '
	BEGIN {
		banned["buf_append"]; banned["buf_puts"]; banned["buf_putc"]
		banned["buf_printf"]; banned["printf"]; banned["sprintf"]
		banned["snprintf"]; banned["vprintf"]; banned["vsprintf"]
		banned["vsnprintf"]; banned["vfprintf"]; banned["dprintf"]
		banned["puts"]; banned["putchar"]; banned["fputs"]
		banned["fputc"]; banned["putc"]; banned["fwrite"]
		banned["write"]; banned["html_vprintf"]; banned["resp_raw"]
		tags = "^<(!doctype|/?(html|head|body|title|meta|link|main|header|footer|nav|section|article|aside|div|span|p|a|h[1-6]|ul|ol|li|dl|dt|dd|form|fieldset|legend|input|label|button|select|option|textarea|table|thead|tbody|tr|th|td|strong|em|b|i|br|hr|img|script|style|iframe|noscript|small|code|pre|time)([ >/]|\\\\n|$))"
	}
	# A new file: check the one before.
	FNR == 1 {
		if (NR > 1) flush()
		file = FILENAME; incomment = 0
		page = 0
	}
	function tok(t, v) { nt++; ty[nt] = t; va[nt] = v; ln[nt] = FNR }
	function err(l, msg) { printf "check-html: %s:%d: %s\n", file, l, msg; bad = 1 }
	# Tokens of one line: identifiers, string literals (raw contents),
	# punctuation; block comments carry over between lines.
	{
		s = $0; i = 1; n = length(s)
		while (i <= n) {
			if (incomment) {
				j = index(substr(s, i), "*/")
				if (j == 0) { i = n + 1; continue }
				i += j + 1; incomment = 0; continue
			}
			c = substr(s, i, 1)
			if (c == " " || c == "\t" || c == "\r" || c == "\f") { i++; continue }
			if (c == "/" && substr(s, i + 1, 1) == "*") { incomment = 1; i += 2; continue }
			if (c == "/" && substr(s, i + 1, 1) == "/") break
			if (c == "\"" || c == "\047") {
				j = i + 1
				while (j <= n && substr(s, j, 1) != c) {
					if (substr(s, j, 1) == "\\") j++
					j++
				}
				if (c == "\"") tok("str", substr(s, i + 1, j - i - 1))
				else tok("chr", "")
				i = j + 1; continue
			}
			if (match(substr(s, i), /^[A-Za-z_][A-Za-z0-9_]*/)) {
				tok("id", substr(s, i, RLENGTH)); i += RLENGTH; continue
			}
			if (match(substr(s, i), /^[0-9][0-9A-Za-z_.]*/)) {
				tok("num", substr(s, i, RLENGTH)); i += RLENGTH; continue
			}
			tok("p", c); i++
		}
	}
	# The literal format of the html_printf call whose "(" is token k.
	function fmt_of(k,   depth, j, f, l) {
		depth = 0; l = ln[k]
		for (j = k; j <= nt; j++) {
			if (ty[j] == "p" && va[j] == "(") depth++
			else if (ty[j] == "p" && va[j] == ")") depth--
			else if (ty[j] == "p" && va[j] == "," && depth == 1) break
			if (depth == 0) return ""
		}
		j++
		if (ty[j] != "str") { err(ln[j], "html_printf: the format is not a string literal"); return "" }
		f = ""
		for (; j <= nt; j++) {
			if (ty[j] == "str") f = f va[j]
			else if (ty[j] != "id") break
		}
		return f
	}
	function check_fmt(f, l,   g, c) {
		g = f
		while (match(g, /%/)) {
			c = substr(g, RSTART)
			if (c ~ /^%(%|s|d|i|u|ld|li|lu|lld|lli|llu|zd|zu)/) {
				match(c, /^%(%|s|d|i|u|lld|lli|llu|ld|li|lu|zd|zu)/)
				g = substr(c, RLENGTH + 1)
			} else {
				err(l, "html_printf: conversion " substr(c, 1, 4) "... is not one of html.h")
				g = substr(c, 2)
			}
		}
		if (f ~ /=[ ]*%/)
			err(l, "html_printf: an attribute value from a conversion is not quoted")
		if (f ~ /(^|[^A-Za-z-])(href|src|action|formaction|srcset|poster|cite)=(\\"|\047)%/)
			err(l, "html_printf: a URL attribute starts with data")
	}
	function flush(   k, f, s, j, call) {
		for (k = 1; k <= nt; k++) {
			call = ty[k] == "id" && ty[k + 1] == "p" && va[k + 1] == "(" && \
			    !(k > 1 && ty[k - 1] == "p" && (va[k - 1] == "." || va[k - 1] == ">"))
			if (page && call) {
				if (va[k] == "html_printf") {
					f = fmt_of(k + 1)
					check_fmt(f, ln[k])
				} else if (va[k] in banned)
					err(ln[k], va[k] "() in page code bypasses the escaping writer; use html_printf()")
				else if (va[k] == "fprintf" && va[k + 2] != "stderr")
					err(ln[k], "fprintf() other than to stderr; use html_printf()")
				else if (va[k] == "resp_html" && file != "lib/http/page.c")
					err(ln[k], "resp_html() outside page.c; use page_send()")
			}
			if (!page && ty[k] == "str") {
				s = tolower(va[k])
				while ((j = index(s, "<")) > 0) {
					s = substr(s, j)
					if (s ~ tags) {
						err(ln[k], "HTML markup outside page code (include http/html.h and use html_printf())")
						break
					}
					s = substr(s, 2)
				}
			}
		}
		nt = 0
	}
	/^[ \t]*#[ \t]*include[ \t]*"http\/(html|page)\.h"/ { page = 1 }
	END { flush(); exit bad }
' $files
