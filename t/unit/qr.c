/*
 * t/unit/qr.c: QR SVG and PNG writers (lib/qr.c), TAP output.
 *
 * Beyond the shape checks, the PNG is taken apart with an independent
 * bitwise CRC-32, stored-block inflater and Adler-32 and compared pixel by
 * pixel with libqrencode's matrix; the SVG path is repainted onto a grid.
 * Finally both images are decoded by zbarimg (the SVG after rsvg-convert),
 * which is what a phone camera will do. Missing tools give SKIP lines.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qrencode.h>

#include "domain/qr.h"
#include "base/util.h"

#define URL	"http://127.0.0.1:8080/qr/7d1c2f0e-1a2b-4c3d-8e9f-0123456789ab"
#define PLAN	24

static int	 tests, fails;

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!cond)
		fails++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
skip(const char *why)
{
	tests++;
	printf("ok %d # SKIP %s\n", tests, why);
}

static void
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The reference matrix, straight from libqrencode. */
static QRcode *
ref(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);

	if (qr == NULL) {
		printf("Bail out! libqrencode refused the test text\n");
		exit(1);
	}
	return qr;
}

static int
ref_dark(const QRcode *qr, int x, int y)
{
	return qr->data[y * qr->width + x] & 1;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Repaint the path's "MxYhNv1h-Nz" runs; error text or NULL. */
static const char *
svg_matches(const char *svg, const QRcode *qr)
{
	const char *d, *end;
	unsigned char *grid;
	int w = qr->width + 2 * QR_QUIET, x, y, n, n2, used, i;
	const char *err = NULL;

	if ((d = strstr(svg, " d=\"")) == NULL)
		return "no d attribute";
	d += 4;
	if ((end = strchr(d, '"')) == NULL)
		return "unterminated d";
	grid = calloc((size_t)w * (size_t)w, 1);
	if (grid == NULL)
		return "calloc";
	while (d < end) {
		if (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &n2, &used) != 4 ||
		    n != n2 || n < 1 || x < 0 || y < 0 || y >= w || x + n > w) {
			err = "bad path segment";
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (grid[y * w + x + i]) {
				err = "overlapping runs";
				goto out;
			}
			grid[y * w + x + i] = 1;
		}
		d += used;
	}
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++) {
			int want = x >= QR_QUIET && x < QR_QUIET + qr->width &&
			    y >= QR_QUIET && y < QR_QUIET + qr->width &&
			    ref_dark(qr, x - QR_QUIET, y - QR_QUIET);
			if (grid[y * w + x] != want) {
				err = "module differs from libqrencode";
				goto out;
			}
		}
out:
	free(grid);
	return err;
}

/* Bitwise CRC-32, deliberately not the library's table version. */
static uint32_t
crc_bitwise(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffU;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320U & -(c & 1));
	}
	return c ^ 0xffffffffU;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

struct png_info {
	uint32_t	 width, height;
	int		 depth, ctype, interlace;
	int		 idat, blocks;
	int		 crc_ok, order_ok, zlib_ok, pixels_ok;
	const char	*why;
};

/*
 * Walk the chunks, inflate the stored blocks and compare every pixel with
 * the matrix. Fills *pi; pi->why says what failed first.
 */
static void
png_check(const unsigned char *p, size_t n, const QRcode *qr,
    struct png_info *pi)
{
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	struct buf z = { 0 }, raw = { 0 };
	const unsigned char *zp;
	size_t off = 8, zo, len, stride;
	uint32_t a = 1, b = 0, adler;
	int seen_iend = 0, final = 0, x, y, w;

	memset(pi, 0, sizeof(*pi));
	pi->crc_ok = pi->order_ok = 1;
	if (n < 8 || memcmp(p, sig, 8) != 0) {
		pi->why = "signature";
		pi->crc_ok = pi->order_ok = 0;
		return;
	}
	while (off < n) {
		if (n - off < 12 || (len = be32(p + off)) > n - off - 12) {
			pi->why = "truncated chunk";
			pi->order_ok = 0;
			goto out;
		}
		if (crc_bitwise(p + off + 4, len + 4) != be32(p + off + 8 + len))
			pi->crc_ok = 0;
		if (seen_iend)
			pi->order_ok = 0;
		if (memcmp(p + off + 4, "IHDR", 4) == 0) {
			if (off != 8 || len != 13)
				pi->order_ok = 0;
			else {
				pi->width = be32(p + off + 8);
				pi->height = be32(p + off + 12);
				pi->depth = p[off + 16];
				pi->ctype = p[off + 17];
				pi->interlace = p[off + 20];
			}
		} else if (memcmp(p + off + 4, "IDAT", 4) == 0) {
			pi->idat++;
			buf_append(&z, p + off + 8, len);
		} else if (memcmp(p + off + 4, "IEND", 4) == 0)
			seen_iend = 1;
		else
			pi->order_ok = 0;	/* we write no other chunk */
		off += 12 + len;
	}
	if (!seen_iend || pi->idat != 1)
		pi->order_ok = 0;

	/* zlib: header, stored blocks only, Adler-32 trailer. */
	zp = (const unsigned char *)z.data;
	if (z.len < 2 || (zp[0] & 0x0f) != 8 ||
	    ((unsigned)zp[0] << 8 | zp[1]) % 31 != 0 || (zp[1] & 0x20)) {
		pi->why = "zlib header";
		goto out;
	}
	for (zo = 2; !final; ) {
		if (z.len - zo < 5 || (zp[zo] & 0x06) != 0) {
			pi->why = "not a stored block";
			goto out;
		}
		final = zp[zo] & 1;
		len = (size_t)zp[zo + 1] | (size_t)zp[zo + 2] << 8;
		if (((zp[zo + 3] | zp[zo + 4] << 8) ^ 0xffff) != (int)len) {
			pi->why = "LEN/NLEN";
			goto out;
		}
		zo += 5;
		if (z.len - zo < len) {
			pi->why = "block overruns stream";
			goto out;
		}
		buf_append(&raw, zp + zo, len);
		zo += len;
		pi->blocks++;
	}
	if (z.len - zo != 4) {
		pi->why = "trailer";
		goto out;
	}
	for (off = 0; off < raw.len; off++) {
		a = (a + (unsigned char)raw.data[off]) % 65521;
		b = (b + a) % 65521;
	}
	adler = b << 16 | a;
	if (adler != be32(zp + zo)) {
		pi->why = "adler-32";
		goto out;
	}
	pi->zlib_ok = 1;

	/* Pixels: filter 0 per line, 0 = dark, 1 = light at depth 1. */
	w = qr->width + 2 * QR_QUIET;
	if (pi->depth != 1 || pi->ctype != 0 ||
	    pi->width != (uint32_t)w * QR_PX || pi->height != pi->width) {
		pi->why = "unexpected IHDR";
		goto out;
	}
	stride = 1 + (pi->width + 7) / 8;
	if (raw.len != stride * pi->height) {
		pi->why = "raw length";
		goto out;
	}
	for (y = 0; y < (int)pi->height; y++) {
		const unsigned char *l = (unsigned char *)raw.data + y * stride;

		if (l[0] != 0) {
			pi->why = "filter byte";
			goto out;
		}
		for (x = 0; x < (int)pi->width; x++) {
			int mx = x / QR_PX - QR_QUIET, my = y / QR_PX - QR_QUIET;
			int want = mx >= 0 && mx < qr->width && my >= 0 &&
			    my < qr->width && ref_dark(qr, mx, my);
			int lit = (l[1 + x / 8] >> (7 - x % 8)) & 1;

			if (lit == want) {	/* lit means white */
				pi->why = "pixel differs";
				goto out;
			}
		}
	}
	pi->pixels_ok = 1;
out:
	buf_free(&z);
	buf_free(&raw);
}

static int
have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Write data to a fresh temp file with suffix; path in path[]. */
static int
write_tmp(const struct buf *b, const char *suffix, char *path, size_t sz)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd;

	if (dir == NULL || *dir == '\0' || strchr(dir, '\'') != NULL)
		dir = "/tmp";
	snprintf(path, sz, "%s/ltc-qr-XXXXXX%s", dir, suffix);
	if ((fd = mkstemps(path, (int)strlen(suffix))) == -1)
		return 0;
	if ((f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(path);
		return 0;
	}
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len) {
		fclose(f);
		unlink(path);
		return 0;
	}
	return fclose(f) == 0;
}

/* zbarimg's decoded text of an image file, trailing newline dropped. */
static char *
zbar(const char *path)
{
	struct buf out = { 0 };
	char cmd[1200], chunk[4096];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "zbarimg --quiet --raw '%s' 2>/dev/null",
	    path);
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(&out, chunk, n);
	if (pclose(p) != 0) {
		buf_free(&out);
		return NULL;
	}
	if (out.len > 0 && out.data[out.len - 1] == '\n')
		out.data[--out.len] = '\0';
	return buf_take(&out);
}

static void
zbar_check(const struct buf *img, const char *suffix, const char *want,
    const char *what)
{
	char path[1100], png[1100], cmd[2400], *got;
	const char *img_path;
	int rasterise = strcmp(suffix, ".svg") == 0;

	if (!have("zbarimg")) {
		skip("zbarimg not installed");
		return;
	}
	if (rasterise && !have("rsvg-convert")) {
		skip("rsvg-convert not installed");
		return;
	}
	if (!write_tmp(img, suffix, path, sizeof(path))) {
		ok(0, "%s: temp file", what);
		return;
	}
	img_path = path;
	png[0] = '\0';
	if (rasterise) {
		struct buf empty = { 0 };

		if (!write_tmp(&empty, ".png", png, sizeof(png))) {
			unlink(path);
			ok(0, "%s: temp file", what);
			return;
		}
		snprintf(cmd, sizeof(cmd),
		    "rsvg-convert -f png -o '%s' '%s' 2>/dev/null", png, path);
		if (system(cmd) != 0) {
			unlink(path);
			unlink(png);
			ok(0, "%s: rsvg-convert failed", what);
			return;
		}
		img_path = png;
	}
	got = zbar(img_path);
	ok(got != NULL && strcmp(got, want) == 0, "%s", what);
	if (got == NULL || strcmp(got, want) != 0)
		diag("zbarimg gave: %s", got == NULL ? "(nothing)" : got);
	free(got);
	unlink(path);
	if (png[0] != '\0')
		unlink(png);
}

int
main(void)
{
	struct buf svg = { 0 }, png = { 0 }, big = { 0 }, b = { 0 };
	struct png_info pi;
	QRcode *qr, *qrbig;
	char want[64], *long_text, *too_long;
	const char *why;
	size_t i;
	int w;

	printf("1..%d\n", PLAN);
	qr = ref(URL);
	w = qr->width + 2 * QR_QUIET;
	diag("URL: version %d, %d modules", qr->version, qr->width);

	/* SVG */
	ok(qr_svg(URL, &svg), "qr_svg encodes the URL");
	ok(svg.data != NULL && strncmp(svg.data, "<svg", 4) == 0,
	    "SVG starts with <svg");
	snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", w, w);
	ok(svg.data != NULL && strstr(svg.data, want) != NULL,
	    "SVG has %s (modules + 8)", want);
	ok(svg.data != NULL && strcasestr(svg.data, "style") == NULL &&
	    strstr(svg.data, "<style") == NULL, "SVG has no style");
	ok(svg.data != NULL && count(svg.data, "<svg") == 1 &&
	    count(svg.data, "</svg>") == 1 && count(svg.data, "<path") == 1 &&
	    svg.len >= 7 && strcmp(svg.data + svg.len - 7, "</svg>\n") == 0,
	    "SVG: one <svg>, one <path>, ends with </svg>");
	ok(svg.data != NULL && strstr(svg.data, "<rect ") != NULL &&
	    strstr(svg.data, "fill=\"#fff\"") != NULL &&
	    strstr(svg.data, "<path fill=\"#000\"") != NULL,
	    "SVG: white rect, black path, by attribute");
	why = svg.data != NULL ? svg_matches(svg.data, qr) : "no svg";
	ok(why == NULL, "SVG path paints exactly the dark modules%s%s",
	    why ? ": " : "", why ? why : "");

	/* PNG */
	ok(qr_png(URL, &png), "qr_png encodes the URL");
	png_check((unsigned char *)png.data, png.len, qr, &pi);
	ok(png.len >= 8 && memcmp(png.data, "\x89PNG\r\n\x1a\n", 8) == 0,
	    "PNG signature");
	ok(pi.width == (uint32_t)w * 8 && pi.height == (uint32_t)w * 8,
	    "IHDR %ux%u = (%d + 8) * 8", pi.width, pi.height, qr->width);
	ok(pi.depth == 1 && pi.ctype == 0 && pi.interlace == 0,
	    "IHDR: 1-bit grayscale, not interlaced");
	ok(pi.crc_ok && pi.order_ok, "chunks IHDR, IDAT, IEND with valid CRC");
	ok(pi.zlib_ok, "IDAT: stored blocks, Adler-32 matches%s%s",
	    pi.why ? ": " : "", pi.why ? pi.why : "");
	ok(pi.pixels_ok, "PNG pixels match libqrencode's matrix, 8 px/module");

	/* Real decoders. */
	zbar_check(&png, ".png", URL, "zbarimg decodes the PNG to the URL");
	zbar_check(&svg, ".svg", URL,
	    "zbarimg decodes the rasterised SVG to the URL");

	/* A bigger code: raw data > 65535 bytes, several stored blocks. */
	long_text = xmalloc(1501);
	for (i = 0; i < 1500; i++)
		long_text[i] = "0123456789abcdefghijklmnopqrstuvwxyz-/"[i % 38];
	long_text[1500] = '\0';
	qrbig = ref(long_text);
	diag("1500 bytes: version %d, %d modules", qrbig->version,
	    qrbig->width);
	ok(qr_png(long_text, &big), "qr_png encodes 1500 bytes");
	png_check((unsigned char *)big.data, big.len, qrbig, &pi);
	ok(pi.crc_ok && pi.order_ok && pi.zlib_ok && pi.blocks > 1 &&
	    pi.pixels_ok, "big PNG valid, %d stored blocks%s%s", pi.blocks,
	    pi.why ? ": " : "", pi.why ? pi.why : "");
	zbar_check(&big, ".png", long_text, "zbarimg decodes the big PNG");

	/* Failure leaves the buffer alone. */
	too_long = xmalloc(4001);
	memset(too_long, 'a', 4000);
	too_long[4000] = '\0';
	buf_puts(&b, "keep");
	ok(!qr_svg(too_long, &b) && b.len == 4 && strcmp(b.data, "keep") == 0,
	    "qr_svg: 4000 bytes too long -> false, buffer untouched");
	ok(!qr_png(too_long, &b) && b.len == 4,
	    "qr_png: 4000 bytes too long -> false, buffer untouched");
	ok(!qr_svg(NULL, &b) && !qr_png(NULL, &b) && b.len == 4,
	    "NULL text -> false");

	/* Appends, does not replace. */
	ok(qr_svg(URL, &b) && strncmp(b.data, "keep<svg", 8) == 0 &&
	    strcmp(b.data + 4, svg.data) == 0, "qr_svg appends, deterministic");
	buf_reset(&b);
	ok(qr_png(URL, &b) && b.len == png.len &&
	    memcmp(b.data, png.data, png.len) == 0, "qr_png deterministic");

	free(long_text);
	free(too_long);
	QRcode_free(qr);
	QRcode_free(qrbig);
	buf_free(&svg);
	buf_free(&png);
	buf_free(&big);
	buf_free(&b);

	if (tests != PLAN) {
		diag("ran %d tests, planned %d", tests, PLAN);
		return 1;
	}
	return fails ? 1 : 0;
}
