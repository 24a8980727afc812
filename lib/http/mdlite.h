/*
 * mdlite.h: the markdown-light renderer of domain.md 17.2 for an
 * article's content_md. Four rules and nothing else:
 *
 *   1. "\r\n" becomes "\n"; blocks are separated by one or more blank
 *      lines (empty or only spaces and tabs); each block is trimmed and
 *      empty blocks are dropped.
 *   2. A block of exactly one line "**text**" (text not empty) is
 *      <h2>text</h2>.
 *   3. A block whose every line starts with "- " is a <ul>, one <li>
 *      per line with the "- " removed.
 *   4. Any other block is a <p>, its lines joined with one space.
 *
 * No HTML of the source ever passes through: every byte of text goes
 * through the escaping writer (html.h) as a %s argument. The only markup
 * written is h2, ul, li and p elements without attributes.
 */
#ifndef LTC_MDLITE_H
#define LTC_MDLITE_H

#include <stddef.h>

#include "base/util.h"

/* Appends the rendering of md (n bytes) to out, one element per line. */
void	 mdlite_render(struct buf *out, const char *md, size_t n);

#endif
