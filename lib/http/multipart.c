/* multipart.c: see multipart.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/multipart.h"
#include "base/util.h"

#define DELIM_MAX	(4 + MP_BOUNDARY_MAX)	/* CRLF "--" boundary */

/*
 * Characters a backslash escapes inside a quoted parameter value; see
 * next_param().
 */
#define TSPECIALS	"()<>@,;:\\\"/[]?="

enum state {
	S_PREAMBLE,	/* before the first delimiter; discarded */
	S_DELIM_END,	/* just after a delimiter: "--", padding or CRLF */
	S_CLOSE,	/* after "<delimiter>-", wants the second '-' */
	S_PAD,		/* transport padding after a delimiter */
	S_DELIM_CR,	/* after "<delimiter>[padding]CR", wants LF */
	S_HEADERS,
	S_BODY,
	S_EPILOGUE,	/* after the close delimiter; discarded */
};

/*
 * One parse. The parser owns the read buffer, the header line, the text
 * being collected and the open temp file; res owns everything a part
 * records (names, values, tmp_path) from the moment it is set.
 */
struct parser {
	const struct mp_limits	*lim;
	struct mp_result	*res;
	char			 delim[DELIM_MAX + 1];
	size_t			 dlen;
	enum state		 st;
	struct mp_part		*cur;
	int			 fd;		/* cur's temp file, or -1 */
	struct buf		 text;		/* cur's value, text parts */
	struct buf		 line;		/* header line being read */
	size_t			 hdr_bytes;	/* cur's finished header lines */
	size_t			 pad;
	bool			 seen_cd;
	bool			 seen_ct;
};

static enum mp_status
fail(struct parser *p, enum mp_status st, const char *why)
{
	p->res->status = st;
	p->res->why = why;
	return st;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

static bool
is_tchar(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 2046 bchars; a space may not end the boundary. */
static bool
boundary_valid(const char *b, size_t n)
{
	size_t i;

	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (!is_alnum(c) && (c == '\0' || !strchr("'()+_,-./:=? ", c)))
			return false;
	}
	return true;
}

static const char *
skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static const char *
token_end(const char *s)
{
	while (is_tchar((unsigned char)*s))
		s++;
	return s;
}

static bool
key_is(const char *k, size_t klen, const char *want)
{
	return klen == strlen(want) && strncasecmp(k, want, klen) == 0;
}

/*
 * Reads one "; key=value" parameter from *sp: the key is left in place
 * (k, klen), the value, unquoted, in val. Advances *sp. Returns 1 for a
 * parameter, 0 at the end of the string, -1 for a syntax error.
 */
static int
next_param(const char **sp, const char **k, size_t *klen, struct buf *val)
{
	const char *s = skip_ows(*sp), *e;

	if (*s == '\0')
		return 0;
	if (*s != ';')
		return -1;
	s = skip_ows(s + 1);
	if (*s == '\0') {
		*sp = s;	/* a trailing ';' */
		return 0;
	}
	e = token_end(s);
	if (e == s)
		return -1;
	*k = s;
	*klen = (size_t)(e - s);
	s = skip_ows(e);
	if (*s != '=')
		return -1;
	s = skip_ows(s + 1);
	buf_reset(val);
	if (*s == '"') {
		for (s++; *s != '"'; s++) {
			if (*s == '\0')
				return -1;
			/*
			 * MSIE sends Windows paths unescaped ("C:\dir\f.pdf").
			 * Like Go's mime package, a backslash escapes only a
			 * tspecial and is a literal backslash otherwise, so
			 * conforming senders and MSIE both come out right.
			 */
			if (*s == '\\' && s[1] != '\0' && strchr(TSPECIALS, s[1]))
				s++;
			buf_putc(val, *s);
		}
		s++;
	} else {
		e = token_end(s);
		if (e == s)
			return -1;
		buf_append(val, s, (size_t)(e - s));
		s = e;
	}
	*sp = s;
	return 1;
}

int
multipart_boundary(const char *ct, char *out, size_t outlen)
{
	static const char type[] = "multipart/form-data";
	char b[MP_BOUNDARY_MAX + 1];
	struct buf val = { NULL, 0, 0 };
	const char *s, *k;
	size_t klen, blen = 0;
	int r;

	if (ct == NULL)
		return -1;
	s = skip_ows(ct);
	if (strncasecmp(s, type, sizeof(type) - 1) != 0)
		return -1;
	/* "multipart/form-dataX" fails in next_param: not ';'. */
	s += sizeof(type) - 1;
	while ((r = next_param(&s, &k, &klen, &val)) == 1) {
		if (!key_is(k, klen, "boundary"))
			continue;
		if (blen > 0 || !boundary_valid(val.data, val.len)) {
			r = -1;
			break;
		}
		memcpy(b, val.data, val.len);
		blen = val.len;
	}
	buf_free(&val);
	if (r != 0 || blen == 0 || blen >= outlen)
		return -1;
	memcpy(out, b, blen);
	out[blen] = '\0';
	return 0;
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static enum mp_status
disposition(struct parser *p, const char *s)
{
	struct buf val = { NULL, 0, 0 };
	enum mp_status st = MP_OK;
	const char *k, *e;
	size_t klen;
	int r;

	e = token_end(s);
	if (!key_is(s, (size_t)(e - s), "form-data"))
		return fail(p, MP_MALFORMED, "disposition_type");
	s = e;
	while ((r = next_param(&s, &k, &klen, &val)) == 1) {
		char **dst;

		if (key_is(k, klen, "name"))
			dst = &p->cur->name;
		else if (key_is(k, klen, "filename"))
			dst = &p->cur->filename;
		else
			continue;	/* filename* is not for form-data */
		if (*dst != NULL) {
			st = fail(p, MP_MALFORMED, "duplicate_param");
			goto out;
		}
		*dst = xstrndup(val.data != NULL ? val.data : "", val.len);
	}
	if (r < 0)
		st = fail(p, MP_MALFORMED, "disposition_syntax");
out:
	buf_free(&val);
	return st;
}

/* One header line in p->line, CRLF included. */
static enum mp_status
header_line(struct parser *p)
{
	char *s = p->line.data, *e, *v, *end;
	size_t n = p->line.len;

	if (n < 2 || s[n - 2] != '\r')
		return fail(p, MP_MALFORMED, "bare_lf");
	n -= 2;
	s[n] = '\0';
	/* NUL, bare CR, DEL...: nothing we could pass on safely. */
	if (has_control(s, n, "\t"))
		return fail(p, MP_MALFORMED, "header_control");
	/* Also refuses obsolete line folding: a line starting with SP/HT. */
	e = (char *)token_end(s);
	if (e == s || *e != ':')
		return fail(p, MP_MALFORMED, "header_syntax");
	v = (char *)skip_ows(e + 1);
	for (end = s + n; end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
		continue;
	*end = '\0';
	if (key_is(s, (size_t)(e - s), "Content-Disposition")) {
		if (p->seen_cd)
			return fail(p, MP_MALFORMED, "duplicate_header");
		p->seen_cd = true;
		return disposition(p, v);
	}
	if (key_is(s, (size_t)(e - s), "Content-Type")) {
		if (p->seen_ct)
			return fail(p, MP_MALFORMED, "duplicate_header");
		p->seen_ct = true;
		p->cur->content_type = xstrdup(v);
	}
	return MP_OK;
}

static enum mp_status
part_begin(struct parser *p)
{
	if (p->res->nparts >= p->lim->max_parts)
		return fail(p, MP_MALFORMED, "too_many_parts");
	p->cur = &p->res->parts[p->res->nparts++];
	p->hdr_bytes = 0;
	p->seen_cd = p->seen_ct = false;
	buf_reset(&p->line);
	return MP_OK;
}

/* The empty line after the headers: decide where the content goes. */
static enum mp_status
headers_done(struct parser *p)
{
	struct mp_part *pt = p->cur;

	if (pt->name == NULL)
		return fail(p, MP_MALFORMED, "no_name");
	if (pt->filename == NULL)
		return MP_OK;
	/*
	 * mkstemp creates the file 0600 (POSIX.1-2008); O_CLOEXEC because
	 * the upload may fork a scanner later.
	 */
	pt->tmp_path = xasprintf("%s/.tmp-XXXXXX", p->lim->tmp_dir);
	p->fd = mkostemp(pt->tmp_path, O_CLOEXEC);
	if (p->fd == -1) {
		free(pt->tmp_path);
		pt->tmp_path = NULL;
		return fail(p, MP_IO, "tmp_create");
	}
	return MP_OK;
}

static void
drop_file(struct parser *p)
{
	struct mp_part *pt = p->cur;

	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	if (pt->tmp_path != NULL) {
		unlink(pt->tmp_path);
		free(pt->tmp_path);
		pt->tmp_path = NULL;
	}
}

/* n bytes of the current part's content. */
static enum mp_status
body_data(struct parser *p, const char *d, size_t n)
{
	struct mp_part *pt = p->cur;
	size_t room;

	if (n == 0)
		return MP_OK;
	if (pt->filename == NULL) {
		pt->size += n;
		room = p->lim->max_text_bytes - p->text.len;
		if (n > room) {
			pt->too_long = true;
			n = room;
		}
		buf_append(&p->text, d, n);
		return MP_OK;
	}
	if (!pt->too_large && n > p->lim->max_file_bytes - pt->size) {
		/*
		 * The caller answers 413 after the parse; nothing of this
		 * file will be kept, so it leaves the disk now.
		 */
		pt->too_large = true;
		drop_file(p);
	}
	pt->size += n;
	if (pt->too_large)
		return MP_OK;
	if (!write_all(p->fd, d, n))
		return fail(p, MP_IO, "tmp_write");
	return MP_OK;
}

/* The delimiter after the current part's content was found. */
static enum mp_status
part_done(struct parser *p)
{
	struct mp_part *pt = p->cur;
	int fd;

	if (pt->filename == NULL) {
		pt->value_len = p->text.len;
		pt->value = buf_take(&p->text);
		return MP_OK;
	}
	if (p->fd != -1) {
		fd = p->fd;
		p->fd = -1;
		if (close(fd) == -1)
			return fail(p, MP_IO, "tmp_close");
	}
	return MP_OK;
}

/*
 * Consumes what it can of d[0..n) and sets *used. What is left is the
 * tail that may begin a delimiter, for the next read to complete.
 */
static enum mp_status
feed(struct parser *p, const char *d, size_t n, size_t *used)
{
	enum mp_status st = MP_OK;
	const char *m;
	size_t i = 0, take, len;
	unsigned char c;

	while (i < n && st == MP_OK) {
		switch (p->st) {
		case S_PREAMBLE:
		case S_BODY:
			m = memmem(d + i, n - i, p->delim, p->dlen);
			if (m == NULL) {
				take = n - i >= p->dlen ? n - i - (p->dlen - 1) : 0;
				if (p->st == S_BODY)
					st = body_data(p, d + i, take);
				i += take;
				goto out;
			}
			take = (size_t)(m - (d + i));
			if (p->st == S_BODY) {
				st = body_data(p, d + i, take);
				if (st == MP_OK)
					st = part_done(p);
			}
			i += take + p->dlen;
			p->st = S_DELIM_END;
			break;
		case S_DELIM_END:
			c = (unsigned char)d[i++];
			p->pad = 0;
			if (c == '-')
				p->st = S_CLOSE;
			else if (c == ' ' || c == '\t')
				p->st = S_PAD;
			else if (c == '\r')
				p->st = S_DELIM_CR;
			else
				st = fail(p, MP_MALFORMED, "boundary_line");
			break;
		case S_CLOSE:
			if (d[i++] == '-')
				p->st = S_EPILOGUE;
			else
				st = fail(p, MP_MALFORMED, "boundary_line");
			break;
		case S_PAD:
			/* Padding is header-like overhead: same bound. */
			c = (unsigned char)d[i++];
			if (c == '\r')
				p->st = S_DELIM_CR;
			else if ((c != ' ' && c != '\t') ||
			    ++p->pad > p->lim->max_header_bytes)
				st = fail(p, MP_MALFORMED, "boundary_line");
			break;
		case S_DELIM_CR:
			if (d[i++] != '\n')
				st = fail(p, MP_MALFORMED, "boundary_line");
			else {
				st = part_begin(p);
				p->st = S_HEADERS;
			}
			break;
		case S_HEADERS:
			m = memchr(d + i, '\n', n - i);
			take = m != NULL ? (size_t)(m - (d + i)) + 1 : n - i;
			len = p->line.len + take;
			/*
			 * Checked before buffering, so the line never grows past
			 * the bound. Only the empty line ending the block (two
			 * bytes) is free.
			 */
			if (len > 2 && len > p->lim->max_header_bytes - p->hdr_bytes) {
				st = fail(p, MP_MALFORMED, "header_too_long");
				break;
			}
			buf_append(&p->line, d + i, take);
			i += take;
			if (m == NULL)
				break;
			if (p->line.len == 2 && p->line.data[0] == '\r') {
				st = headers_done(p);
				p->st = S_BODY;
			} else {
				p->hdr_bytes += p->line.len;
				st = header_line(p);
			}
			buf_reset(&p->line);
			break;
		case S_EPILOGUE:
			i = n;
			break;
		}
	}
out:
	*used = i;
	return st;
}

/* Reads up to n bytes; 0 only at end of input. */
static ssize_t
read_some(int fd, char *d, size_t n)
{
	ssize_t r;

	do
		r = read(fd, d, n);
	while (r == -1 && errno == EINTR);
	return r;
}

enum mp_status
multipart_parse(int fd, size_t content_length, const char *boundary,
    const struct mp_limits *lim, struct mp_result *res)
{
	struct parser p;
	enum mp_status st;
	size_t blen, chunk, cap, len, off = 0, used, want, i;
	size_t left = content_length;
	char *buf = NULL;
	ssize_t r;

	memset(res, 0, sizeof(*res));
	res->parts = xcalloc(lim->max_parts, sizeof(*res->parts));
	memset(&p, 0, sizeof(p));
	p.lim = lim;
	p.res = res;
	p.fd = -1;
	p.st = S_PREAMBLE;

	blen = strnlen(boundary, MP_BOUNDARY_MAX + 1);
	if (!boundary_valid(boundary, blen)) {
		st = fail(&p, MP_MALFORMED, "boundary");
		goto out;
	}
	memcpy(p.delim, "\r\n--", 4);
	memcpy(p.delim + 4, boundary, blen);
	p.dlen = 4 + blen;

	chunk = lim->read_chunk;
	if (chunk == 0 || chunk > MP_READ_CHUNK)
		chunk = MP_READ_CHUNK;
	/* Room for a chunk after the tail feed() leaves (< DELIM_MAX). */
	cap = chunk + DELIM_MAX;
	buf = xmalloc(cap);
	/*
	 * The first delimiter may open the body without the CRLF all others
	 * carry; supplying it lets one search serve both.
	 */
	memcpy(buf, "\r\n", 2);
	len = 2;
	for (;;) {
		st = feed(&p, buf + off, len - off, &used);
		if (st != MP_OK)
			goto out;
		off += used;
		if (left == 0)
			break;
		memmove(buf, buf + off, len - off);
		len -= off;
		off = 0;
		want = left < chunk ? left : chunk;
		r = read_some(fd, buf + len, want);
		if (r == -1) {
			st = fail(&p, MP_IO, "read");
			goto out;
		}
		if (r == 0) {
			st = fail(&p, MP_MALFORMED, "short_body");
			goto out;
		}
		len += (size_t)r;
		left -= (size_t)r;
	}
	st = MP_OK;
	if (p.st != S_EPILOGUE)
		st = fail(&p, MP_MALFORMED, "truncated");
out:
	if (p.fd != -1)
		close(p.fd);
	if (st != MP_OK) {
		for (i = 0; i < res->nparts; i++) {
			if (res->parts[i].tmp_path == NULL)
				continue;
			unlink(res->parts[i].tmp_path);
			free(res->parts[i].tmp_path);
			res->parts[i].tmp_path = NULL;
		}
	}
	buf_free(&p.text);
	buf_free(&p.line);
	free(buf);
	res->status = st;
	return st;
}

void
mp_result_free(struct mp_result *res, bool unlink_files)
{
	size_t i;

	for (i = 0; i < res->nparts; i++) {
		struct mp_part *pt = &res->parts[i];

		if (unlink_files && pt->tmp_path != NULL)
			unlink(pt->tmp_path);
		free(pt->name);
		free(pt->filename);
		free(pt->content_type);
		free(pt->value);
		free(pt->tmp_path);
	}
	free(res->parts);
	memset(res, 0, sizeof(*res));
}

static bool
filename_char(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '-';
}

char *
upload_sanitise_filename(const char *raw)
{
	char *t, *out;
	size_t i, o = 0;
	bool run = false;

	t = str_trim_dup(raw != NULL ? raw : "");
	out = xmalloc(strlen(t) + sizeof("upload.bin"));
	for (i = 0; t[i] != '\0'; i++) {
		unsigned char c = (unsigned char)t[i];

		/*
		 * Step 2 comes before step 3, and its '_' is an allowed
		 * character: it ends a run rather than joining one.
		 */
		if (c == '\\' || c == '/') {
			out[o++] = '_';
			run = false;
		} else if (filename_char(c)) {
			out[o++] = (char)c;
			run = false;
		} else if (!run) {
			out[o++] = '_';
			run = true;
		}
	}
	free(t);
	if (o == 0) {
		memcpy(out, "upload.bin", sizeof("upload.bin"));
		return out;
	}
	/* Only ASCII is left, so bytes are characters. */
	if (o > MP_FILENAME_MAX)
		o = MP_FILENAME_MAX;
	out[o] = '\0';
	return out;
}
