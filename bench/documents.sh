# Sourced by bench/run.sh after auth.sh: a 5 MiB PDF upload and its
# download at 1 and 8 connections, and the peak RSS of the upload CGI for
# 1 and 10 MiB uploads (streamed to a temp file, so it must not grow with
# the upload) and of a 10 MiB download (streamed from the file).
[ -x "$BUILD/cgi-bin/documents" ] && [ -n "${TOKEN:-}" ] || return 0
echo "== documents"
# The bench uploads far more than the per-user limit allows.
echo "rl_upload_limit = 1000000000" >> "$DATA/ltc.conf"
DB_=ltcBenchBoundary
# mpbody MIB NAME TYPE OUT: a multipart body with one PDF file of MIB MiB.
mpbody() {
	{
		printf -- '--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n' "$DB_" "$2"
		printf 'Content-Type: %s\r\n\r\n%%PDF-1.4\n' "$3"
		head -c $(( $1 * 1048576 - 20 )) /dev/zero | tr '\0' 'x'
		printf '\n%%%%EOF\n\r\n--%s--\r\n' "$DB_"
	} > "$4"
}
mpbody 5 bench.pdf application/pdf "$DATA/up5.body"
mpbody 1 bench.pdf application/pdf "$DATA/up1.body"
mpbody 10 bench.pdf application/pdf "$DATA/up10.body"
mpbody 10 bench.svg image/svg+xml "$DATA/up10svg.body"
cat > "$DATA/upload.lua" <<LUA
local f = io.open("$DATA/up5.body", "rb")
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=$DB_"
LUA
for c in 1 8; do
	run upload_5MiB "$B/api/documents/upload" $c "$DATA/upload.lua"
done
n=$(sqlite3 "$DATA/ltc.sqlite" "SELECT count(*) FROM documents")
echo "uploads stored: $n ($(du -sm "$DATA/storage/documents" | cut -f1) MiB); tmp/ files left: $(ls -A "$DATA/storage/tmp" | wc -l)"
# One valid-evidence document for the owner's downloads.
DOC=$(sqlite3 "$DATA/ltc.sqlite" "SELECT id FROM documents ORDER BY seq LIMIT 1")
sqlite3 "$DATA/ltc.sqlite" ".timeout 10000" "UPDATE documents SET scan_status = 'CLEAN', \
    approval_status = 'APPROVED' WHERE id = '$DOC'"
for c in 1 8; do
	run download_5MiB "$B/api/documents/$DOC/download" $c "$DATA/bearer.lua"
done
# The CGI itself, its stdin the body, as the web server runs it.
cgi_rss() { # body-file path method
	env -i LTC_CONF="$DATA/ltc.conf" REQUEST_METHOD="$3" PATH_INFO="$2" \
	    CONTENT_TYPE="multipart/form-data; boundary=$DB_" CONTENT_LENGTH=$(stat -c %s "$1") \
	    HTTP_AUTHORIZATION="Bearer $TOKEN" REMOTE_ADDR=127.0.0.1 \
	    /usr/bin/time -v "$BUILD/cgi-bin/documents" < "$1" 2>&1 >/dev/null |
	    awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}'
}
printf '%-44s %6s KiB\n' "peak RSS upload 1 MiB" "$(cgi_rss "$DATA/up1.body" /upload POST)"
printf '%-44s %6s KiB\n' "peak RSS upload 10 MiB" "$(cgi_rss "$DATA/up10.body" /upload POST)"
printf '%-44s %6s KiB\n' "peak RSS upload 10 MiB refused before libmagic" \
    "$(cgi_rss "$DATA/up10svg.body" /upload POST)"
BIG=$(sqlite3 "$DATA/ltc.sqlite" "SELECT id FROM documents WHERE size_bytes > 10000000 LIMIT 1")
sqlite3 "$DATA/ltc.sqlite" ".timeout 10000" "UPDATE documents SET scan_status = 'CLEAN', \
    approval_status = 'APPROVED' WHERE id = '$BIG'"
printf '%-44s %6s KiB\n' "peak RSS download 10 MiB" "$(cgi_rss /dev/null "/$BIG/download" GET)"
