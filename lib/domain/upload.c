/* upload.c: see upload.h. */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <magic.h>

#include "base/config.h"
#include "base/util.h"
#include "domain/upload.h"

/*
 * libmagic reads up to this much of the file into memory (its default is
 * 7 MiB); the three types, and the lookalikes that must not pass as
 * them, are told apart by their first bytes.
 */
#define SNIFF_BYTES	(256 * 1024)

static const struct {
	enum upload_type	 t;
	const char		*mime;
} mimes[] = {
	{ UT_PDF, "application/pdf" },
	{ UT_PNG, "image/png" },
	{ UT_JPEG, "image/jpeg" },
};

const char *
upload_type_mime(enum upload_type t)
{
	size_t i;

	for (i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
		if (mimes[i].t == t)
			return mimes[i].mime;
	return NULL;
}

static enum upload_type
of_mime(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
		if (strlen(mimes[i].mime) == n &&
		    strncasecmp(mimes[i].mime, s, n) == 0)
			return mimes[i].t;
	return UT_NONE;
}

enum upload_type
upload_type_of_ext(const char *name)
{
	const char *dot = name != NULL ? strrchr(name, '.') : NULL;

	if (dot == NULL)
		return UT_NONE;
	dot++;
	if (strcasecmp(dot, "pdf") == 0)
		return UT_PDF;
	if (strcasecmp(dot, "png") == 0)
		return UT_PNG;
	if (strcasecmp(dot, "jpg") == 0 || strcasecmp(dot, "jpeg") == 0)
		return UT_JPEG;
	return UT_NONE;
}

enum upload_type
upload_type_of_declared(const char *ct)
{
	const char *s, *e;

	if (ct == NULL)
		return UT_NONE;
	for (s = ct; *s == ' ' || *s == '\t'; s++)
		continue;
	e = strchr(s, ';');
	if (e == NULL)
		e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return of_mime(s, (size_t)(e - s));
}

enum sniff_status
upload_sniff(const char *path, enum upload_type *t)
{
	const char *mime;
	struct stat sb;
	magic_t m;

	*t = UT_NONE;
	if (stat(path, &sb) != 0)
		return SNIFF_ERROR;
	if (sb.st_size == 0)
		return SNIFF_EMPTY;
	/*
	 * Compressed and archive contents are not looked into: a PDF is a
	 * PDF by its own bytes, and a gzip is never one of the three.
	 */
	m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
	    MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF);
	if (m == NULL)
		return SNIFF_ERROR;
	if (magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &(size_t){ SNIFF_BYTES }) !=
	    0) {
		magic_close(m);
		return SNIFF_ERROR;
	}
	if (magic_load(m, cfg.magic_file != NULL && cfg.magic_file[0] != '\0' ?
	    cfg.magic_file : NULL) != 0 || (mime = magic_file(m, path)) == NULL) {
		magic_close(m);
		return SNIFF_ERROR;
	}
	*t = of_mime(mime, strlen(mime));
	magic_close(m);
	return SNIFF_OK;
}
