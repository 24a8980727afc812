/*
 * multipart.h: streaming multipart/form-data parser for the document
 * upload (api.md §9.1, security.md §8 and §12). Hand-written, fuzzed in
 * fuzz/fuzz_multipart.c.
 *
 * The body is read from a descriptor in bounded chunks and never held in
 * memory as a whole: text parts are kept in memory up to a limit, file
 * parts (those with a filename parameter) are spooled to temp files.
 *
 * The grammar is RFC 2046 §5.1.1 / RFC 7578 read strictly: CRLF line ends
 * only, the delimiter is CRLF "--" boundary (the first one may open the
 * body), a delimiter line may carry transport padding (spaces, tabs), and
 * a boundary lookalike followed by anything else is malformed, because
 * RFC 2046 forbids the delimiter inside a part.
 */
#ifndef LTC_MULTIPART_H
#define LTC_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MP_BOUNDARY_MAX		70	/* RFC 2046 */
#define MP_MAX_PARTS		10	/* security.md §12 */
#define MP_MAX_HEADER_BYTES	8192	/* security.md §12, per part */
#define MP_MAX_TEXT_BYTES	4096	/* api.md §9.1 needs 128 characters */
#define MP_READ_CHUNK		65536
#define MP_FILENAME_MAX		180	/* security.md §8.3 */

struct mp_limits {
	size_t		 max_parts;
	/*
	 * A part's header lines with their CRLFs, not counting the empty
	 * line that ends them.
	 */
	size_t		 max_header_bytes;
	size_t		 max_text_bytes;	/* beyond: too_long */
	size_t		 max_file_bytes;	/* beyond: too_large */
	const char	*tmp_dir;		/* <storage_dir>/tmp */
	/* 0, or above MP_READ_CHUNK: MP_READ_CHUNK; tests use small ones */
	size_t		 read_chunk;
};

enum mp_status {
	MP_OK,
	MP_MALFORMED,	/* any syntax error or bound exceeded: 422 */
	MP_IO,		/* reading the body or writing a temp file: 500 */
};

struct mp_part {
	char	*name;		/* Content-Disposition name, as sent */
	char	*filename;	/* raw, as sent; NULL: a text part */
	char	*content_type;	/* trimmed header value; NULL if absent */
	/*
	 * Text parts: the content, NUL-terminated, value_len bytes (it may
	 * hold NULs; the caller validates). When too_long, the first
	 * max_text_bytes bytes only: still longer than any field we take.
	 */
	char	*value;
	size_t	 value_len;
	/*
	 * File parts: the spooled content (mode 0600, ".tmp-XXXXXX" in
	 * tmp_dir). NULL when too_large: the partial file is removed as
	 * soon as the limit is passed.
	 */
	char	*tmp_path;
	size_t	 size;		/* content bytes received, all of them */
	bool	 too_long;	/* text part above max_text_bytes */
	bool	 too_large;	/* file part above max_file_bytes */
};

/*
 * why, for a log line (never data): "boundary", "boundary_line",
 * "truncated", "short_body", "too_many_parts", "header_too_long",
 * "header_syntax", "header_control", "bare_lf", "duplicate_header",
 * "disposition_type", "disposition_syntax", "duplicate_param", "no_name";
 * MP_IO: "read", "tmp_create", "tmp_write", "tmp_close".
 */
struct mp_result {
	enum mp_status	 status;
	const char	*why;	/* NULL when MP_OK */
	struct mp_part	*parts;
	size_t		 nparts;
};

/*
 * Extracts the boundary of a Content-Type "multipart/form-data; ...;
 * boundary=..." (media type case-insensitive, value a token or a quoted
 * string, 1..70 characters of RFC 2046 bchars). Writes it NUL-terminated
 * into out. Returns 0, or -1 for any other type, a missing, duplicate or
 * invalid boundary, or an outlen too small.
 */
int	 multipart_boundary(const char *content_type, char *out, size_t outlen);

/*
 * Parses a body of content_length bytes read from fd; reads no further.
 * Fills res (always; free it with mp_result_free) and returns its status.
 * A too_long or too_large part does not fail the parse: the caller
 * decides, after parsing, as api.md §9.1 orders the checks.
 *
 * On MP_MALFORMED or MP_IO, every temp file has already been removed (the
 * parts' tmp_path are NULL) and the rest of the body may be left unread.
 */
enum mp_status multipart_parse(int fd, size_t content_length,
	    const char *boundary, const struct mp_limits *, struct mp_result *);

/*
 * Frees res. With unlink_files, removes the temp files still named in
 * tmp_path; a caller that keeps a file renames it, frees tmp_path and
 * sets it to NULL first.
 */
void	 mp_result_free(struct mp_result *, bool unlink_files);

/*
 * The display filename of security.md §8.3: trim; '\' and '/' become
 * '_'; every run of bytes outside [A-Za-z0-9._-] becomes one '_'; empty
 * becomes "upload.bin"; cut to 180 characters. Caller frees.
 */
char	*upload_sanitise_filename(const char *raw);

#endif
