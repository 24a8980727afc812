/*
 * util.h: growable buffers, bounded string helpers, UTF-8 checks.
 *
 * Allocation failure ends the process (a CGI lives for one request): the
 * x* wrappers log one line and exit with a 500 already impossible to send
 * cleanly, which is the documented "oom" error class.
 */
#ifndef LTC_UTIL_H
#define LTC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* write(2) until all n bytes are out (EINTR retried); false on failure. */
bool	 write_all(int fd, const void *, size_t n);

void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);
/* Hands the buffer's storage to the caller (who frees it); buffer is reset. */
char	*buf_take(struct buf *);

/* Trim ASCII whitespace (space, \t, \r, \n, \v, \f) in place; returns s. */
char	*str_trim(char *);
/* Copy of s trimmed of ASCII whitespace. Caller frees. */
char	*str_trim_dup(const char *);
void	 str_lower_ascii(char *);
void	 str_upper_ascii(char *);
bool	 str_eq(const char *, const char *);	/* NULL-safe */
bool	 str_prefix(const char *, const char *);

/* Valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF)? */
bool	 utf8_valid(const char *, size_t);
/* Number of code points of a valid UTF-8 string. */
size_t	 utf8_count(const char *, size_t);
/* Contains a byte in U+0000..U+001F or U+007F, except those in allow? */
bool	 has_control(const char *, size_t, const char *allow);

/* Value of a hexadecimal digit (either case), or -1. */
int	 hexval(char);
/*
 * Every byte one of [A-Za-z0-9._:-], the charset of technical ids (user
 * and business ids, request ids): safe in logs and audit metadata. The
 * empty string passes; callers bound the length.
 */
bool	 id_charset_ok(const char *);

/* Decimal integer parse of the whole string ("^-?[0-9]+$"). */
bool	 parse_int64(const char *, int64_t *);

#endif
