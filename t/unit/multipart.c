/*
 * t/unit/multipart.c: TAP tests for lib/multipart.c.
 *
 * Bodies are fed through a regular file or, for short reads, a pipe with
 * a forked writer; the spool directory is checked for leftovers after
 * every failure, since security.md §8.4 wants no buffer to outlive the
 * response.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/multipart.h"
#include "base/util.h"

static int	 ntest, nfail;
static char	 root[] = "/tmp/mp-t-XXXXXX";
static char	*spool, *bodypath;

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static struct mp_limits
limits(void)
{
	struct mp_limits l = { MP_MAX_PARTS, MP_MAX_HEADER_BYTES,
	    MP_MAX_TEXT_BYTES, 1 << 20, NULL, 0 };

	l.tmp_dir = spool;
	return l;
}

/* Entries in the spool directory. */
static size_t
spool_count(void)
{
	DIR *d = opendir(spool);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		abort();
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static char *
slurp(const char *path, size_t *n)
{
	struct buf b = { NULL, 0, 0 };
	char tmp[4096];
	ssize_t r;
	int fd;

	*n = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	while ((r = read(fd, tmp, sizeof(tmp))) > 0)
		buf_append(&b, tmp, (size_t)r);
	close(fd);
	*n = b.len;
	return buf_take(&b);
}

static enum mp_status
run_n(const char *body, size_t n, size_t clen, const char *boundary,
    const struct mp_limits *l, struct mp_result *res)
{
	enum mp_status st;
	int fd;

	fd = open(bodypath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || (n > 0 && write(fd, body, n) != (ssize_t)n) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	st = multipart_parse(fd, clen, boundary, l, res);
	close(fd);
	return st;
}

static enum mp_status
run(const char *body, size_t n, const char *boundary,
    const struct mp_limits *l, struct mp_result *res)
{
	return run_n(body, n, n, boundary, l, res);
}

/* As run(), through a pipe whose writer sends piece bytes at a time. */
static enum mp_status
run_pipe(const char *body, size_t n, size_t piece, const char *boundary,
    const struct mp_limits *l, struct mp_result *res)
{
	enum mp_status st;
	size_t off, k;
	pid_t pid;
	int fds[2], status;

	if (pipe(fds) == -1 || (pid = fork()) == -1)
		abort();
	if (pid == 0) {
		close(fds[0]);
		for (off = 0; off < n; off += k) {
			k = n - off < piece ? n - off : piece;
			if (write(fds[1], body + off, k) != (ssize_t)k)
				_exit(1);
			if (piece < 8)
				usleep(50);	/* let the reader see it alone */
		}
		_exit(0);
	}
	close(fds[1]);
	st = multipart_parse(fds[0], n, boundary, l, res);
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		abort();
	return st;
}

static const struct mp_part *
part(const struct mp_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nparts; i++)
		if (str_eq(r->parts[i].name, name))
			return &r->parts[i];
	return NULL;
}

static int
file_is(const char *path, const char *want, size_t wn)
{
	size_t n;
	char *got = slurp(path, &n);
	int same = got != NULL && n == wn && memcmp(got, want, n) == 0;

	free(got);
	return same;
}

/* Same parts, same values, same spooled bytes. */
static int
same_result(const struct mp_result *a, const struct mp_result *b)
{
	size_t i, na, nb;

	if (a->status != b->status || a->nparts != b->nparts)
		return 0;
	for (i = 0; i < a->nparts; i++) {
		const struct mp_part *x = &a->parts[i], *y = &b->parts[i];
		char *fx, *fy;
		int eq;

		if (!str_eq(x->name, y->name) ||
		    !str_eq(x->filename, y->filename) ||
		    !str_eq(x->content_type, y->content_type) ||
		    x->size != y->size || x->too_long != y->too_long ||
		    x->too_large != y->too_large ||
		    x->value_len != y->value_len ||
		    (x->value == NULL) != (y->value == NULL) ||
		    (x->value != NULL &&
		    memcmp(x->value, y->value, x->value_len) != 0) ||
		    (x->tmp_path == NULL) != (y->tmp_path == NULL))
			return 0;
		if (x->tmp_path == NULL)
			continue;
		fx = slurp(x->tmp_path, &na);
		fy = slurp(y->tmp_path, &nb);
		eq = fx != NULL && fy != NULL && na == nb &&
		    memcmp(fx, fy, na) == 0;
		free(fx);
		free(fy);
		if (!eq)
			return 0;
	}
	return 1;
}

static void
t_boundary(void)
{
	char b[MP_BOUNDARY_MAX + 1], big[128];
	char seventy[MP_BOUNDARY_MAX + 1];

	memset(seventy, 'x', MP_BOUNDARY_MAX);
	seventy[MP_BOUNDARY_MAX] = '\0';

	ok(multipart_boundary("multipart/form-data; boundary=abc", b,
	    sizeof(b)) == 0 && strcmp(b, "abc") == 0, "boundary: token");
	ok(multipart_boundary("Multipart/Form-Data;BOUNDARY=\"a b:c\"", b,
	    sizeof(b)) == 0 && strcmp(b, "a b:c") == 0,
	    "boundary: quoted, case-insensitive, no OWS");
	ok(multipart_boundary("multipart/form-data; charset=utf-8; "
	    "boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW ", b,
	    sizeof(b)) == 0 && strcmp(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW")
	    == 0, "boundary: after another parameter, trailing space");
	ok(multipart_boundary("multipart/form-data; boundary=\"q\\\"x\"", b,
	    sizeof(b)) == -1, "boundary: '\"' is no bchar");
	snprintf(big, sizeof(big), "multipart/form-data; boundary=%s", seventy);
	ok(multipart_boundary(big, b, sizeof(b)) == 0 &&
	    strlen(b) == MP_BOUNDARY_MAX, "boundary: 70 characters");
	ok(multipart_boundary(big, b, MP_BOUNDARY_MAX) == -1,
	    "boundary: out too small");
	snprintf(big, sizeof(big), "multipart/form-data; boundary=%sx", seventy);
	ok(multipart_boundary(big, b, sizeof(b)) == -1,
	    "boundary: 71 characters refused");
	ok(multipart_boundary("multipart/form-data; boundary=\"\"", b,
	    sizeof(b)) == -1, "boundary: empty refused");
	ok(multipart_boundary("multipart/form-data; boundary=\"ab \"", b,
	    sizeof(b)) == -1, "boundary: trailing space refused");
	ok(multipart_boundary("multipart/form-data", b, sizeof(b)) == -1,
	    "boundary: missing");
	ok(multipart_boundary("multipart/form-data; boundary=a; boundary=b",
	    b, sizeof(b)) == -1, "boundary: duplicate refused");
	ok(multipart_boundary("multipart/mixed; boundary=abc", b,
	    sizeof(b)) == -1, "boundary: other media type refused");
	ok(multipart_boundary("multipart/form-datax; boundary=abc", b,
	    sizeof(b)) == -1, "boundary: type prefix only refused");
	ok(multipart_boundary("multipart/form-data; boundary=\"abc", b,
	    sizeof(b)) == -1, "boundary: unterminated quote refused");
	ok(multipart_boundary(NULL, b, sizeof(b)) == -1, "boundary: NULL");
}

static const char simple[] =
    "--B\r\n"
    "Content-Disposition: form-data; name=\"vehicle_id\"\r\n"
    "\r\n"
    "veh-42\r\n"
    "--B\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"R\xc3\xa4 1.pdf\"\r\n"
    "Content-Type:  application/pdf \r\n"
    "\r\n"
    "%PDF-1.4\r\nbody\r\n"
    "--B--\r\n";

static void
t_simple(void)
{
	struct mp_limits l = limits();
	struct mp_result r;
	const struct mp_part *v, *f;
	struct stat sb;
	const char *base;

	ok(run(simple, sizeof(simple) - 1, "B", &l, &r) == MP_OK &&
	    r.status == MP_OK && r.nparts == 2, "simple: two parts");
	v = part(&r, "vehicle_id");
	f = part(&r, "file");
	ok(v != NULL && v->filename == NULL && v->content_type == NULL &&
	    v->value_len == 6 && strcmp(v->value, "veh-42") == 0 &&
	    v->tmp_path == NULL && v->size == 6 && !v->too_long,
	    "simple: text part");
	ok(f != NULL && str_eq(f->filename, "R\xc3\xa4 1.pdf") &&
	    str_eq(f->content_type, "application/pdf") && f->value == NULL &&
	    f->size == 14 && f->tmp_path != NULL &&
	    file_is(f->tmp_path, "%PDF-1.4\r\nbody", 14),
	    "simple: file part spooled, raw filename, trimmed type");
	base = f != NULL && f->tmp_path != NULL ? strrchr(f->tmp_path, '/') : NULL;
	ok(base != NULL && strncmp(f->tmp_path, spool, strlen(spool)) == 0 &&
	    (size_t)(base - f->tmp_path) == strlen(spool) &&
	    strncmp(base, "/.tmp-", 6) == 0 && stat(f->tmp_path, &sb) == 0 &&
	    (sb.st_mode & 07777) == 0600, "simple: .tmp-XXXXXX in tmp_dir, 0600");
	mp_result_free(&r, true);
	ok(spool_count() == 0 && r.parts == NULL && r.nparts == 0,
	    "simple: free with unlink removes the file");

	/* The caller keeps a file: unlink_files false. */
	run(simple, sizeof(simple) - 1, "B", &l, &r);
	f = part(&r, "file");
	{
		char *keep = f != NULL && f->tmp_path != NULL ?
		    xstrdup(f->tmp_path) : NULL;

		mp_result_free(&r, false);
		ok(keep != NULL && access(keep, F_OK) == 0,
		    "simple: free without unlink keeps the file");
		if (keep != NULL)
			unlink(keep);
		free(keep);
	}
}

static void
t_quoted_boundary(void)
{
	static const char body[] =
	    "--'()+_,-./:=? z\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "1\r\n"
	    "--'()+_,-./:=? z--";
	struct mp_limits l = limits();
	struct mp_result r;
	char b[MP_BOUNDARY_MAX + 1];

	ok(multipart_boundary("multipart/form-data; boundary=\"'()+_,-./:=? z\"",
	    b, sizeof(b)) == 0 && run(body, sizeof(body) - 1, b, &l, &r) ==
	    MP_OK && r.nparts == 1 && str_eq(r.parts[0].value, "1"),
	    "quoted boundary with every bchar, no final CRLF");
	mp_result_free(&r, true);
}

/*
 * The body for the chunking tests: lookalikes of the delimiter inside
 * content, NULs, and content ending in CRLF.
 */
static size_t
tricky(struct buf *b)
{
	static const char bin[] = "\0\r\n-\r\n--\r\n--XyZ-boundar\0\r\n"
	    "--XyZ-boundarQ\n--XyZ-boundary\r--XyZ-boundary x--XyZ-boundary"
	    "\r\n\r\n";
	int i;

	buf_reset(b);
	buf_puts(b, "preamble --XyZ-boundary-- not yet\r\n--XyZ-boundary\r\n"
	    "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
	    "a\r\n--XyZ-boundarQ -- b\r\n--XyZ-boundary\t \r\n"
	    "content-disposition: FORM-DATA; NAME=file; "
	    "Filename=\"C:\\dir\\a\\\"b.pdf\"\r\n"
	    "X-Other: ignored\r\n\r\n");
	for (i = 0; i < 20; i++)
		buf_append(b, bin, sizeof(bin) - 1);
	buf_puts(b, "\r\n--XyZ-boundary\r\n"
	    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\r\n--XyZ-boundary--\r\nepilogue\r\n--XyZ-boundary\r\n");
	return 20 * (sizeof(bin) - 1);
}

static void
t_chunks(void)
{
	static const size_t pieces[] = { 1, 2, 5, 64, 4096 };
	static const size_t chunks[] = { 0, 1, 3, 77 };
	struct mp_limits l = limits();
	struct mp_result ref, r;
	struct buf b = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	const struct mp_part *f, *e;
	size_t binlen, c, i, j, bad = 0, leak = 0, kept;
	int k;

	binlen = tricky(&b);
	ok(run(b.data, b.len, "XyZ-boundary", &l, &ref) == MP_OK &&
	    ref.nparts == 3, "tricky body: three parts");
	ok(part(&ref, "note") != NULL &&
	    str_eq(part(&ref, "note")->value, "a\r\n--XyZ-boundarQ -- b"),
	    "tricky body: lookalike and '--' in a text part");
	f = part(&ref, "file");
	for (k = 0; k < 20; k++)
		buf_append(&want, "\0\r\n-\r\n--\r\n--XyZ-boundar\0\r\n"
		    "--XyZ-boundarQ\n--XyZ-boundary\r--XyZ-boundary x--XyZ-boundary"
		    "\r\n\r\n", binlen / 20);
	ok(f != NULL && str_eq(f->filename, "C:\\dir\\a\"b.pdf") &&
	    f->size == binlen && f->tmp_path != NULL &&
	    file_is(f->tmp_path, want.data, want.len),
	    "tricky body: binary file with NULs, CRLF before the delimiter, "
	    "MSIE path with escaped quote");
	e = part(&ref, "empty");
	ok(e != NULL && str_eq(e->filename, "") && e->size == 0 &&
	    e->tmp_path != NULL && file_is(e->tmp_path, "", 0),
	    "tricky body: empty file part gives an empty file");

	/* Every chunk size: the delimiter falls across every read edge. */
	kept = spool_count();
	for (c = 1; c <= b.len + 1; c++) {
		l.read_chunk = c;
		if (run(b.data, b.len, "XyZ-boundary", &l, &r) != MP_OK ||
		    !same_result(&ref, &r))
			bad++;
		mp_result_free(&r, true);
		if (spool_count() != kept)	/* ref's files stay */
			leak++;
	}
	ok(kept == 2 && bad == 0 && leak == 0,
	    "boundary split across reads: read_chunk 1..%zu all equal", b.len + 1);

	bad = 0;
	for (i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			l.read_chunk = chunks[j];
			if (run_pipe(b.data, b.len, pieces[i], "XyZ-boundary",
			    &l, &r) != MP_OK || !same_result(&ref, &r))
				bad++;
			mp_result_free(&r, true);
		}
	ok(bad == 0, "pipe with short reads: all equal");
	mp_result_free(&ref, true);
	ok(spool_count() == 0, "chunks: spool empty");
	buf_free(&b);
	buf_free(&want);
}

static void
add_text(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, "--B\r\nContent-Disposition: form-data; name=\"%s\"\r\n"
	    "\r\n%s\r\n", name, v);
}

static void
add_file(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, "--B\r\nContent-Disposition: form-data; name=\"%s\"; "
	    "filename=\"%s.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%s\r\n",
	    name, name, v);
}

static void
t_parts(void)
{
	struct mp_limits l = limits();
	struct mp_result r;
	struct buf b = { NULL, 0, 0 };
	char name[16];
	int i;

	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		if (i % 2)
			add_file(&b, name, "data");
		else
			add_text(&b, name, "v");
	}
	buf_puts(&b, "--B--\r\n");
	ok(run(b.data, b.len, "B", &l, &r) == MP_OK && r.nparts == 10 &&
	    spool_count() == 5, "10 parts accepted");
	mp_result_free(&r, true);

	buf_reset(&b);
	for (i = 0; i < 11; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		if (i % 2)
			add_file(&b, name, "data");
		else
			add_text(&b, name, "v");
	}
	buf_puts(&b, "--B--\r\n");
	ok(run(b.data, b.len, "B", &l, &r) == MP_MALFORMED &&
	    str_eq(r.why, "too_many_parts") && spool_count() == 0,
	    "11 parts malformed, spooled files already gone");
	mp_result_free(&r, true);

	buf_reset(&b);
	buf_puts(&b, "--B--\r\n");
	ok(run(b.data, b.len, "B", &l, &r) == MP_OK && r.nparts == 0,
	    "close delimiter only: zero parts");
	mp_result_free(&r, true);
	buf_free(&b);
}

/* One part whose header block is exactly n bytes. */
static void
header_body(struct buf *b, size_t n)
{
	static const char cd[] = "Content-Disposition: form-data; name=\"a\"\r\n";
	size_t pad = n - (sizeof(cd) - 1) - 9, i;

	buf_reset(b);
	buf_puts(b, "--B\r\n");
	buf_puts(b, cd);
	buf_puts(b, "X-Pad: ");
	for (i = 0; i < pad; i++)
		buf_putc(b, 'a');
	buf_puts(b, "\r\n\r\nv\r\n--B--\r\n");
}

static void
t_headers(void)
{
	struct mp_limits l = limits();
	struct mp_result r;
	struct buf b = { NULL, 0, 0 };

	header_body(&b, 8192);
	ok(run(b.data, b.len, "B", &l, &r) == MP_OK && r.nparts == 1,
	    "header block of 8192 bytes accepted");
	mp_result_free(&r, true);

	header_body(&b, 8193);
	ok(run(b.data, b.len, "B", &l, &r) == MP_MALFORMED &&
	    str_eq(r.why, "header_too_long"), "header block of 8193 bytes malformed");
	mp_result_free(&r, true);

	header_body(&b, 50000);
	l.read_chunk = 100;
	ok(run(b.data, b.len, "B", &l, &r) == MP_MALFORMED &&
	    str_eq(r.why, "header_too_long"),
	    "50 000-byte header line malformed while streaming");
	mp_result_free(&r, true);
	buf_free(&b);
}

static void
t_truncated(void)
{
	static const char body[] =
	    "--B\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
	    "\r\n"
	    "0123456789abcdef\r\n"
	    "--B--\r\n";
	struct mp_limits l = limits();
	struct mp_result r;
	size_t n, full = strstr(body, "--B--") + 5 - body, bad = 0, leak = 0;

	for (n = 0; n < sizeof(body) - 1; n++) {
		enum mp_status st = run(body, n, "B", &l, &r);

		if (n < full ? st != MP_MALFORMED : st != MP_OK)
			bad++;
		if (st != MP_OK && spool_count() != 0)
			leak++;
		mp_result_free(&r, true);
	}
	ok(bad == 0 && leak == 0 && spool_count() == 0,
	    "every truncation malformed, no temp file left");

	ok(run_n(body, sizeof(body) - 1, sizeof(body) + 9, "B", &l, &r) ==
	    MP_MALFORMED && str_eq(r.why, "short_body") && spool_count() == 0,
	    "body shorter than content_length: malformed, no temp file");
	mp_result_free(&r, true);

	ok(run_n(body, 40, 40, "B", &l, &r) == MP_MALFORMED &&
	    str_eq(r.why, "truncated"), "cut in the headers: truncated");
	mp_result_free(&r, true);
}

static void
t_sizes(void)
{
	struct mp_limits l = limits();
	struct mp_result r;
	struct buf b = { NULL, 0, 0 }, big = { NULL, 0, 0 };
	const struct mp_part *f;
	size_t i;

	l.max_file_bytes = 100;
	for (i = 0; i < 100; i++)
		buf_putc(&big, (char)('a' + i % 26));
	add_file(&b, "file", big.data);
	buf_puts(&b, "--B--\r\n");
	ok(run(b.data, b.len, "B", &l, &r) == MP_OK &&
	    (f = part(&r, "file")) != NULL && !f->too_large && f->size == 100 &&
	    file_is(f->tmp_path, big.data, 100),
	    "file of exactly max_file_bytes kept");
	mp_result_free(&r, true);

	buf_reset(&b);
	buf_putc(&big, 'X');
	add_file(&b, "file", big.data);
	add_text(&b, "after", "still parsed");
	buf_puts(&b, "--B--\r\n");
	for (i = 0; i < 2; i++) {
		l.read_chunk = i == 0 ? 0 : 7;
		ok(run(b.data, b.len, "B", &l, &r) == MP_OK &&
		    (f = part(&r, "file")) != NULL && f->too_large &&
		    f->size == 101 && f->tmp_path == NULL && spool_count() == 0 &&
		    str_eq(part(&r, "after") ? part(&r, "after")->value : NULL,
		    "still parsed"),
		    "file above max_file_bytes (read_chunk %zu): too_large, "
		    "no partial file, parse goes on", l.read_chunk);
		mp_result_free(&r, true);
		ok(spool_count() == 0, "too_large: nothing left after free");
	}

	l = limits();
	l.max_text_bytes = 16;
	buf_reset(&b);
	add_text(&b, "vehicle_id", "0123456789abcdefXYZW");
	add_text(&b, "entry_id", "0123456789abcdef");
	add_text(&b, "none", "");
	buf_puts(&b, "--B--\r\n");
	ok(run(b.data, b.len, "B", &l, &r) == MP_OK &&
	    (f = part(&r, "vehicle_id")) != NULL && f->too_long &&
	    f->size == 20 && f->value_len == 16 &&
	    strcmp(f->value, "0123456789abcdef") == 0,
	    "text above max_text_bytes: too_long, first bytes kept, size all");
	ok((f = part(&r, "entry_id")) != NULL && !f->too_long &&
	    f->value_len == 16, "text of exactly max_text_bytes: not too_long");
	ok((f = part(&r, "none")) != NULL && f->value != NULL &&
	    f->value_len == 0 && f->value[0] == '\0',
	    "empty text part: empty value");
	mp_result_free(&r, true);
	buf_free(&b);
	buf_free(&big);
}

struct bad {
	const char	*why;
	const char	*body;
	size_t		 len;
};

#define BAD(w, s)	{ w, s, sizeof(s) - 1 }

static void
t_malformed(void)
{
	static const struct bad bad[] = {
		BAD("no_name", "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n"
		    "--B--\r\n"),
		BAD("no_name", "--B\r\n\r\nx\r\n--B--\r\n"),
		BAD("no_name", "--B\r\nContent-Disposition: form-data; "
		    "filename=\"a.pdf\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("disposition_type", "--B\r\nContent-Disposition: "
		    "attachment; name=\"a\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("disposition_syntax", "--B\r\nContent-Disposition: "
		    "form-data; name=\"a\r\n\r\nx\r\n--B--\r\n"),
		BAD("disposition_syntax", "--B\r\nContent-Disposition: "
		    "form-data; name=\"a\" filename=\"b\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("disposition_syntax", "--B\r\nContent-Disposition: "
		    "form-data; name=\r\n\r\nx\r\n--B--\r\n"),
		BAD("duplicate_param", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"; NAME=\"b\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("duplicate_header", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\ncontent-disposition: form-data; name=\"a\"\r\n"
		    "\r\nx\r\n--B--\r\n"),
		BAD("duplicate_header", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\nContent-Type: a/b\r\nContent-Type: a/b\r\n"
		    "\r\nx\r\n--B--\r\n"),
		BAD("header_control", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\0b\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("header_control", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\rb\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("header_syntax", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\n folded\r\n\r\nx\r\n--B--\r\n"),
		BAD("header_syntax", "--B\r\nContent-Disposition form-data\r\n"
		    "\r\nx\r\n--B--\r\n"),
		BAD("bare_lf", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"\n\r\nx\r\n--B--\r\n"),
		BAD("boundary_line", "--B\nContent-Disposition: form-data; "
		    "name=\"a\"\n\nx\n--B--\n"),
		BAD("boundary_line", "--Bx\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\n\r\nx\r\n--B--\r\n"),
		BAD("boundary_line", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\n\r\nx\r\n--B-x\r\n"),
		BAD("boundary_line", "--B \r\r\n"),
		BAD("truncated", "just some text"),
		BAD("truncated", ""),
		BAD("truncated", "--B\r\nContent-Disposition: form-data; "
		    "name=\"a\"\r\n\r\nx\r\n--B\r\n"),
	};
	struct mp_limits l = limits();
	struct mp_result r;
	char longb[MP_BOUNDARY_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum mp_status st = run(bad[i].body, bad[i].len, "B", &l, &r);

		ok(st == MP_MALFORMED && str_eq(r.why, bad[i].why) &&
		    spool_count() == 0,
		    "malformed #%zu: %s (got %s)", i, bad[i].why,
		    r.why != NULL ? r.why : "ok");
		mp_result_free(&r, true);
	}

	memset(longb, 'b', sizeof(longb) - 1);
	longb[sizeof(longb) - 1] = '\0';
	ok(run(simple, sizeof(simple) - 1, longb, &l, &r) == MP_MALFORMED &&
	    str_eq(r.why, "boundary"), "parse refuses a 71-byte boundary");
	mp_result_free(&r, true);
	ok(run(simple, sizeof(simple) - 1, "", &l, &r) == MP_MALFORMED &&
	    str_eq(r.why, "boundary"), "parse refuses an empty boundary");
	mp_result_free(&r, true);
}

static void
t_misc(void)
{
	static const char pad[] =
	    "pre\r\n--B \t \r\n"
	    "Content-Disposition:form-data;name=entry_id\r\n"
	    "Content-Type:\r\n\r\n"
	    "abc\r\n\r\n"
	    "--B--epilogue\r\n--B\r\ngarbage";
	struct mp_limits l = limits();
	struct mp_result r;
	int fd;

	ok(run(pad, sizeof(pad) - 1, "B", &l, &r) == MP_OK && r.nparts == 1 &&
	    str_eq(r.parts[0].name, "entry_id") &&
	    str_eq(r.parts[0].content_type, "") &&
	    r.parts[0].value_len == 5 && strcmp(r.parts[0].value, "abc\r\n") == 0,
	    "preamble, padding, token name, empty type, CRLF content, epilogue");
	mp_result_free(&r, true);

	l.tmp_dir = "/nonexistent/ltc-spool";
	ok(run(simple, sizeof(simple) - 1, "B", &l, &r) == MP_IO &&
	    str_eq(r.why, "tmp_create"), "unusable tmp_dir: MP_IO");
	mp_result_free(&r, true);

	l = limits();
	fd = open(spool, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ok(fd != -1 && multipart_parse(fd, 100, "B", &l, &r) == MP_IO &&
	    str_eq(r.why, "read"), "read error: MP_IO");
	mp_result_free(&r, true);
	close(fd);
}

static void
sanitised(const char *raw, const char *want)
{
	char *got = upload_sanitise_filename(raw);

	ok(strcmp(got, want) == 0, "sanitise \"%.40s\" -> \"%.40s\" (got \"%.40s\")",
	    raw, want, got);
	free(got);
}

static void
t_sanitise(void)
{
	char raw[301], want[181];

	sanitised("../../etc/passwd", ".._.._etc_passwd");
	sanitised("Rechnung M\xc3\xa4rz 2026.pdf", "Rechnung_M_rz_2026.pdf");
	sanitised("", "upload.bin");
	sanitised(" \t ", "upload.bin");
	sanitised("  report.pdf\t ", "report.pdf");
	sanitised("C:\\Users\\me\\f.pdf", "C__Users_me_f.pdf");
	sanitised("a  \\ b", "a___b");
	sanitised("x<>:\"|?*y", "x_y");
	sanitised("\xe2\x82\xac\xe2\x82\xac.pdf", "_.pdf");
	sanitised("%22evil%22.png", "_22evil_22.png");
	sanitised("ok-Name_1.2.JPEG", "ok-Name_1.2.JPEG");

	memset(raw, 'a', 296);
	memcpy(raw + 296, ".pdf", 5);
	memset(want, 'a', 180);
	want[180] = '\0';
	sanitised(raw, want);
}

int
main(void)
{
	int base, after;

	base = open("/dev/null", O_RDONLY);
	close(base);
	if (mkdtemp(root) == NULL)
		abort();
	spool = xasprintf("%s/tmp", root);
	bodypath = xasprintf("%s/body", root);
	if (mkdir(spool, 0700) == -1)
		abort();

	t_boundary();
	t_simple();
	t_quoted_boundary();
	t_chunks();
	t_parts();
	t_headers();
	t_truncated();
	t_sizes();
	t_malformed();
	t_misc();
	t_sanitise();

	after = open("/dev/null", O_RDONLY);
	close(after);
	ok(after == base, "no descriptor leaked");
	ok(spool_count() == 0, "spool empty at the end");

	unlink(bodypath);
	rmdir(spool);
	rmdir(root);
	free(spool);
	free(bodypath);
	printf("1..%d\n", ntest);
	return nfail == 0 ? 0 : 1;
}
