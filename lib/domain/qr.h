/*
 * qr.h: QR code images of a vehicle's public URL (api.md §5.8).
 *
 * Both writers encode text with libqrencode (error correction M, 8-bit
 * mode, version chosen to fit), draw black modules on white with a
 * 4-module quiet zone and append the image to out. On failure (NULL text,
 * text too long for version 40-M, encoder error) they return false and
 * leave out untouched. The caller owns out and frees it with buf_free.
 */
#ifndef LTC_QR_H
#define LTC_QR_H

#include <stdbool.h>

struct buf;

#define QR_QUIET	4	/* quiet zone, modules per side */
#define QR_PX		8	/* pixels per module (PNG, SVG width/height) */

/*
 * One <svg> with viewBox "0 0 W W" (W = modules + 2 * QR_QUIET), a white
 * <rect> and all dark modules in one <path>. Attributes only, no CSS
 * (security.md §10).
 */
bool	 qr_svg(const char *text, struct buf *out);

/*
 * PNG, 1-bit grayscale, QR_PX pixels per module. Written by hand with
 * stored deflate blocks: no zlib dependency.
 */
bool	 qr_png(const char *text, struct buf *out);

#endif
