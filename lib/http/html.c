/*
 * html.c: see html.h. The only file that appends raw bytes to a page;
 * everything it appends is either the caller's literal format or data
 * run through esc() or the number formatter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "http/html.h"

static void
esc(struct buf *b, const char *s)
{
	size_t i, start = 0;

	if (s == NULL)
		return;
	for (i = 0; s[i] != '\0'; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, i - start);
}

/* A conversion html.h does not allow: a bug in the calling page code. */
static void
bad_format(const char *fmt)
{
	fprintf(stderr, "html_printf: unsupported conversion in \"%s\"\n",
	    fmt);
	abort();
}

void
html_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *lit = fmt;
	char num[32];

	while ((p = strchr(p, '%')) != NULL) {
		enum { L_INT, L_LONG, L_LLONG, L_SIZE } len = L_INT;

		buf_append(b, lit, (size_t)(p - lit));
		p++;
		if (*p == 'l' && p[1] == 'l') {
			len = L_LLONG;
			p += 2;
		} else if (*p == 'l') {
			len = L_LONG;
			p++;
		} else if (*p == 'z') {
			len = L_SIZE;
			p++;
		}
		switch (*p) {
		case '%':
		case 's':
			if (len != L_INT)
				bad_format(fmt);
			if (*p == '%')
				buf_putc(b, '%');
			else
				esc(b, va_arg(ap, const char *));
			break;
		case 'd':
		case 'i':
			if (len == L_INT)
				snprintf(num, sizeof(num), "%d",
				    va_arg(ap, int));
			else if (len == L_LONG)
				snprintf(num, sizeof(num), "%ld",
				    va_arg(ap, long));
			else if (len == L_LLONG)
				snprintf(num, sizeof(num), "%lld",
				    va_arg(ap, long long));
			else
				snprintf(num, sizeof(num), "%zd",
				    va_arg(ap, ssize_t));
			buf_puts(b, num);
			break;
		case 'u':
			if (len == L_INT)
				snprintf(num, sizeof(num), "%u",
				    va_arg(ap, unsigned int));
			else if (len == L_LONG)
				snprintf(num, sizeof(num), "%lu",
				    va_arg(ap, unsigned long));
			else if (len == L_LLONG)
				snprintf(num, sizeof(num), "%llu",
				    va_arg(ap, unsigned long long));
			else
				snprintf(num, sizeof(num), "%zu",
				    va_arg(ap, size_t));
			buf_puts(b, num);
			break;
		default:
			bad_format(fmt);
		}
		lit = ++p;
	}
	buf_puts(b, lit);
}

void
html_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *
html_url(struct arena *a, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if (s == NULL)
		s = "";
	o = out = arena_alloc(a, strlen(s) * 3 + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hx[*p >> 4];
			*o++ = hx[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int
html_fwrite(const struct buf *b, FILE *f)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}
