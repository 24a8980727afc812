/*
 * html.h: the one escaping writer for HTML. Every dynamic value that ends
 * up in a page goes through html_esc(); attribute values are quoted.
 */
#ifndef LTC_HTML_H
#define LTC_HTML_H

#include "base/util.h"

/* Appends s with & < > " ' escaped. */
void	 html_esc(struct buf *, const char *);
void	 html_escn(struct buf *, const char *, size_t);

#endif
