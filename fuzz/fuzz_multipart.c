/*
 * fuzz/fuzz_multipart.c: libFuzzer harness for lib/multipart.c.
 *
 * Input: byte 0 picks the boundary (bits 0-1) and the read size (bits
 * 2-4), byte 1 the limits (bits 0-3 shrink one limit each, bit 4 claims
 * one byte more than is sent); the rest is the body, served from a memfd.
 * The whole input, as a string, also goes through multipart_boundary()
 * and upload_sanitise_filename().
 *
 * Beyond memory errors, the harness traps when the parser breaks what it
 * promises: no temp file outlives a failure or mp_result_free(, true), no
 * descriptor stays open, a spooled file holds exactly size bytes, limits
 * hold.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/multipart.h"
#include "base/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

static const char *const boundaries[] = {
	"B",
	"boundary",
	"----WebKitFormBoundary7MA4YWxkTrZu0gW",
	"'()+_,-./:=? z",
};
static const size_t chunks[] = { 0, 1, 2, 3, 5, 16, 64, 4096 };

static char	 tmpdir[] = "/tmp/fz-mp-XXXXXX";
static int	 have_tmpdir;

static void
cleanup(void)
{
	rmdir(tmpdir);
}

/* Entries of a directory, "." and ".." aside; the DIR's own fd counts. */
static size_t
count(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t n = 0;

	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
check_ok(const struct mp_result *r, const struct mp_limits *l)
{
	size_t i, files = 0;
	struct stat sb;

	CHECK(r->nparts <= l->max_parts && r->why == NULL);
	for (i = 0; i < r->nparts; i++) {
		const struct mp_part *p = &r->parts[i];

		CHECK(p->name != NULL);
		if (p->filename == NULL) {
			CHECK(p->value != NULL && p->tmp_path == NULL &&
			    !p->too_large);
			CHECK(p->too_long == (p->size > l->max_text_bytes));
			CHECK(p->value_len == (p->too_long ?
			    l->max_text_bytes : p->size));
			CHECK(p->value[p->value_len] == '\0');
			continue;
		}
		CHECK(p->value == NULL && !p->too_long);
		CHECK(p->too_large == (p->size > l->max_file_bytes));
		if (p->too_large) {
			CHECK(p->tmp_path == NULL);
			continue;
		}
		CHECK(p->tmp_path != NULL && stat(p->tmp_path, &sb) == 0);
		CHECK((size_t)sb.st_size == p->size &&
		    (sb.st_mode & 07777) == 0600);
		files++;
	}
	CHECK(count(tmpdir) == files);
}

static void
strings(const uint8_t *data, size_t size)
{
	char s[512], b[MP_BOUNDARY_MAX + 1], *f;
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1, i;

	memcpy(s, data, n);
	s[n] = '\0';
	if (multipart_boundary(s, b, sizeof(b)) == 0)
		CHECK(strlen(b) >= 1 && strlen(b) <= MP_BOUNDARY_MAX);
	f = upload_sanitise_filename(s);
	n = strlen(f);
	CHECK(n >= 1 && n <= MP_FILENAME_MAX);
	for (i = 0; i < n; i++)
		CHECK(strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", f[i]) != NULL);
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_limits l;
	struct mp_result r;
	enum mp_status st;
	uint8_t b0 = 0, b1 = 0;
	size_t fds, clen, i;
	ssize_t w;
	int fd;

	if (!have_tmpdir) {
		CHECK(mkdtemp(tmpdir) != NULL);
		atexit(cleanup);
		have_tmpdir = 1;
	}
	strings(data, size);
	if (size >= 2) {
		b0 = data[0];
		b1 = data[1];
		data += 2;
		size -= 2;
	}
	l.max_file_bytes = b1 & 0x01 ? 16 : 1 << 20;
	l.max_text_bytes = b1 & 0x02 ? 8 : MP_MAX_TEXT_BYTES;
	l.max_parts = b1 & 0x04 ? 2 : MP_MAX_PARTS;
	l.max_header_bytes = b1 & 0x08 ? 64 : MP_MAX_HEADER_BYTES;
	l.tmp_dir = tmpdir;
	l.read_chunk = chunks[(b0 >> 2) & 7];
	clen = b1 & 0x10 ? size + 1 : size;

	fds = count("/proc/self/fd");
	fd = memfd_create("mp", MFD_CLOEXEC);
	CHECK(fd != -1);
	for (i = 0; i < size; i += (size_t)w) {
		w = write(fd, data + i, size - i);
		CHECK(w > 0);
	}
	CHECK(lseek(fd, 0, SEEK_SET) == 0);

	st = multipart_parse(fd, clen, boundaries[b0 & 3], &l, &r);
	close(fd);
	CHECK(st == r.status);
	if (st == MP_OK)
		check_ok(&r, &l);
	else {
		CHECK(r.why != NULL && count(tmpdir) == 0);
		for (i = 0; i < r.nparts; i++)
			CHECK(r.parts[i].tmp_path == NULL);
	}
	if (b1 & 0x10)
		CHECK(st != MP_OK);	/* the last byte never comes */
	mp_result_free(&r, true);
	CHECK(count(tmpdir) == 0);
	CHECK(count("/proc/self/fd") == fds);
	return 0;
}
