/*
 * upload.h: the type rules of an upload (security.md 8.1, api.md 9.1
 * steps 6-8). Three signals name a type: the sanitised filename's
 * extension, the declared part type and what libmagic sniffs from the
 * bytes; a file is stored only when all three name the same one.
 */
#ifndef LTC_UPLOAD_H
#define LTC_UPLOAD_H

#include <stdbool.h>

enum upload_type { UT_NONE, UT_PDF, UT_PNG, UT_JPEG };

/* "application/pdf", "image/png", "image/jpeg"; NULL for UT_NONE. */
const char	*upload_type_mime(enum upload_type);
/* Text after the last '.', lowercased: pdf, png, jpg, jpeg; else UT_NONE. */
enum upload_type upload_type_of_ext(const char *filename);
/*
 * A declared Content-Type: lowercased, parameters and surrounding space
 * stripped; NULL (absent) is application/octet-stream, i.e. UT_NONE.
 */
enum upload_type upload_type_of_declared(const char *content_type);

enum sniff_status { SNIFF_OK, SNIFF_EMPTY, SNIFF_ERROR };
/*
 * libmagic's MAGIC_MIME_TYPE of the file at path (cfg.magic_file, or the
 * system database), mapped to a type; *t is UT_NONE for any other type.
 * SNIFF_EMPTY for a file of no bytes; SNIFF_ERROR if libmagic cannot
 * load or read (the caller answers 500).
 */
enum sniff_status upload_sniff(const char *path, enum upload_type *t);

#endif
