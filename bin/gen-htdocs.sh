#!/bin/sh
# gen-htdocs.sh MKPAGE SRC OUT: the document root the web server serves
# (make: build/htdocs), with every page in the one layout of
# lib/http/page.c, written by MKPAGE (bin/mkpage.c).
#
#   SRC/src/NAME.html   a static page is one body file: "key: value" lines,
#                       an empty line, then the HTML inside <main> (with the
#                       page's one <h1>). Keys:
#                         title  the page title, "<title> – LifeTimeCircle"
#                                (required)
#                         nav    the main-navigation href marked as the
#                                current page (optional)
#                       It becomes OUT/NAME.html.
#   OUT/404.html, 50x.html   the site CGI's own error pages (page_error_build).
#   OUT/NNN.html, OUT/errors/api-NNN.html   the web server's own refusals
#                       (lighttpd server.errorfile-prefix, Apache
#                       ErrorDocument): the German page, and the JSON body
#                       for /api (README "Error bodies").
#   everything else in SRC (assets/, .htaccess) is copied as it is.
#
# OUT is written as OUT.tmp and then renamed, so it is never half built.
set -eu
[ $# -eq 3 ] || { echo "usage: gen-htdocs.sh MKPAGE SRC OUT" >&2; exit 2; }
mkpage=$1 src=$2 out=$3
tmp=$out.tmp

fail() {
	echo "gen-htdocs: $*" >&2
	rm -rf "$tmp"
	exit 1
}

rm -rf "$tmp"
mkdir -p "$tmp"
cp -R "$src/." "$tmp/"
rm -rf "$tmp/src"

for f in "$src"/src/*.html; do
	[ -f "$f" ] || continue
	name=${f##*/}
	case $name in
	404.html|50x.html|4[0-9][0-9].html|5[0-9][0-9].html)
		fail "$f: the error pages come from page.c" ;;
	esac
	title= nav=
	# The header: every line before the first empty one.
	hdr=$(awk 'NF == 0 { exit } { print }' "$f")
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		key=${line%%:*}
		val=$(printf '%s\n' "${line#*:}" | sed 's/^[[:space:]]*//;s/[[:space:]]*$//')
		case $key in
		title) title=$val ;;
		nav) nav=$val ;;
		*) fail "$f: unknown header line \"$line\"" ;;
		esac
	done <<EOF
$hdr
EOF
	[ -n "$title" ] || fail "$f: no \"title:\" line before the empty line"
	{
		"$mkpage" head "$title" ${nav:+"$nav"}
		awk 'body { print } NF == 0 { body = 1 }' "$f"
		"$mkpage" foot
	} > "$tmp/$name" || fail "$f: mkpage failed"
done
"$mkpage" error 404 > "$tmp/404.html" || fail "mkpage error 404"
"$mkpage" error 500 > "$tmp/50x.html" || fail "mkpage error 500"
mkdir -p "$tmp/errors"
for st in 400 403 404 411 413 414 431 500 502 503; do
	"$mkpage" error $st > "$tmp/$st.html" || fail "mkpage error $st"
	"$mkpage" api-error $st > "$tmp/errors/api-$st.html" || fail "mkpage api-error $st"
done

rm -rf "$out"
mv "$tmp" "$out"
