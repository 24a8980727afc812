/* qr.c: see qr.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "domain/qr.h"
#include "base/util.h"

#define STORED_MAX	65535	/* deflate stored block payload limit */
#define ADLER_MOD	65521

/* qr_png writes one byte per module, which needs 8 px per module. */
_Static_assert(QR_PX == 8, "qr_png assumes 8 px per module");

static QRcode *
encode(const char *text)
{
	QRcode *qr;

	if (text == NULL)
		return NULL;
	/* Version 0: the smallest that fits; NULL (ERANGE) when too long. */
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return NULL;
	if (qr->width <= 0 || qr->width > 177) {
		QRcode_free(qr);
		return NULL;
	}
	return qr;
}

/* Bit 0 of each libqrencode byte is the module colour: 1 = dark. */
static bool
dark(const QRcode *qr, int x, int y)
{
	return (qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1) != 0;
}

bool
qr_svg(const char *text, struct buf *out)
{
	QRcode *qr;
	int w, x, y, run;

	if ((qr = encode(text)) == NULL)
		return false;
	w = qr->width + 2 * QR_QUIET;

	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\">", w, w, w * QR_PX, w * QR_PX);
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
	    w, w);
	buf_puts(out, "<path fill=\"#000\" d=\"");
	/* One closed rectangle per horizontal run of dark modules. */
	for (y = 0; y < qr->width; y++) {
		for (x = 0; x < qr->width; x += run) {
			run = 1;
			if (!dark(qr, x, y))
				continue;
			while (x + run < qr->width && dark(qr, x + run, y))
				run++;
			buf_printf(out, "M%d %dh%dv1h-%dz",
			    x + QR_QUIET, y + QR_QUIET, run, run);
		}
	}
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(qr);
	return true;
}

static uint32_t crc_table[256];

static void
crc_init(void)
{
	uint32_t c, n;
	int k;

	/* CGIs are single-threaded; a lazily filled table is enough. */
	if (crc_table[1] != 0)
		return;
	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

/* CRC-32 (ISO 3309, as in PNG); start and finish with 0. */
static uint32_t
crc_update(uint32_t crc, const unsigned char *p, size_t n)
{
	crc ^= 0xffffffffU;
	while (n-- > 0)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffU;
}

static uint32_t
adler32(const unsigned char *p, size_t n)
{
	uint32_t a = 1, b = 0;

	while (n-- > 0) {
		a = (a + *p++) % ADLER_MOD;
		b = (b + a) % ADLER_MOD;
	}
	return b << 16 | a;
}

static void
put_be32(struct buf *b, uint32_t v)
{
	unsigned char p[4];

	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	buf_append(b, p, sizeof(p));
}

static void
put_le16(struct buf *b, uint16_t v)
{
	unsigned char p[2];

	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	buf_append(b, p, sizeof(p));
}

/* Length, type, data, CRC over type and data. */
static void
chunk(struct buf *out, const char *type, const void *data, size_t len)
{
	uint32_t crc;

	put_be32(out, (uint32_t)len);
	buf_append(out, type, 4);
	buf_append(out, data, len);
	crc = crc_update(0, (const unsigned char *)type, 4);
	crc = crc_update(crc, data, len);
	put_be32(out, crc);
}

/* zlib stream of stored deflate blocks: no compression, no zlib. */
static void
zlib_stored(struct buf *z, const unsigned char *p, size_t n)
{
	size_t off, len;

	/* CMF 0x78 (deflate, 32K window), FLG 0x01: 0x7801 % 31 == 0. */
	buf_putc(z, 0x78);
	buf_putc(z, 0x01);
	off = 0;
	do {
		len = n - off > STORED_MAX ? STORED_MAX : n - off;
		/* BFINAL in bit 0, BTYPE 00; the rest of the byte is padding. */
		buf_putc(z, off + len == n ? 1 : 0);
		put_le16(z, (uint16_t)len);
		put_le16(z, (uint16_t)~len);
		buf_append(z, p + off, len);
		off += len;
	} while (off < n);
	put_be32(z, adler32(p, n));
}

bool
qr_png(const char *text, struct buf *out)
{
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	struct buf raw = { 0 }, z = { 0 }, ihdr = { 0 };
	QRcode *qr;
	unsigned char *line;
	size_t stride;
	uint32_t px;
	int w, x, y, r;

	if ((qr = encode(text)) == NULL)
		return false;
	crc_init();
	w = qr->width + 2 * QR_QUIET;
	px = (uint32_t)w * QR_PX;
	/*
	 * At 8 px per module and 1 bit per pixel a module is exactly one
	 * byte: 0x00 dark, 0xff light. Each scanline starts with filter 0.
	 */
	stride = 1 + (size_t)w;
	line = xmalloc(stride);
	for (y = 0; y < w; y++) {
		memset(line, 0xff, stride);
		line[0] = 0;
		if (y >= QR_QUIET && y < QR_QUIET + qr->width)
			for (x = 0; x < qr->width; x++)
				if (dark(qr, x, y - QR_QUIET))
					line[1 + QR_QUIET + x] = 0x00;
		for (r = 0; r < QR_PX; r++)
			buf_append(&raw, line, stride);
	}
	free(line);
	QRcode_free(qr);

	put_be32(&ihdr, px);
	put_be32(&ihdr, px);
	buf_putc(&ihdr, 1);	/* bit depth */
	buf_putc(&ihdr, 0);	/* colour type: grayscale */
	buf_putc(&ihdr, 0);	/* compression: deflate */
	buf_putc(&ihdr, 0);	/* filter method */
	buf_putc(&ihdr, 0);	/* no interlace */
	zlib_stored(&z, (const unsigned char *)raw.data, raw.len);

	buf_append(out, sig, sizeof(sig));
	chunk(out, "IHDR", ihdr.data, ihdr.len);
	chunk(out, "IDAT", z.data, z.len);
	chunk(out, "IEND", NULL, 0);
	buf_free(&ihdr);
	buf_free(&z);
	buf_free(&raw);
	return true;
}
