/*
 * docfile.h: the bytes of documents on disk (security.md 8.4, ops.md 6.2).
 *
 *   <storage_dir>/documents/<first two hex chars of id>/<id>   stored files
 *   <storage_dir>/tmp/.tmp-<random>                             upload spool
 *   <data_dir>/tombstones.log                                   deletions
 *
 * Directories are made 0700, files are 0600. A storage key is the path
 * relative to storage_dir and holds only the random id, never anything
 * of the filename. Paths returned live in the given arena.
 */
#ifndef LTC_DOCFILE_H
#define LTC_DOCFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/arena.h"

/* "documents/<xx>/<id>". */
char	*docfile_key(struct arena *, const char *id);
/* <storage_dir>/<key>; NULL for a key that could leave storage_dir. */
char	*docfile_path(struct arena *, const char *key);
/* <storage_dir>/tmp, created when missing; NULL if it cannot be. */
char	*docfile_tmp_dir(struct arena *);

/* Lowercase hex SHA-256 of a file; false if it cannot be read. */
bool	 docfile_sha256(const char *path, char out[65]);

/*
 * Makes the spooled tmp_path the stored file of key: fsync the file,
 * create the directory, rename (on another filesystem: copy into a
 * .tmp-<random> beside the target first), fsync the directory. On
 * failure nothing is left at key and tmp_path is still the caller's.
 */
bool	 docfile_store(struct arena *, const char *tmp_path, const char *key);
/* Removes key's file; true when it is gone (already missing counts). */
bool	 docfile_remove(struct arena *, const char *key);
/* Opens key's file for reading (size into *size); -1 when missing. */
int	 docfile_open(struct arena *, const char *key, int64_t *size);

/*
 * Appends "<deleted_at> document <id> <reason>" to tombstones.log and
 * syncs it. deleted_at is the row's value (storage format).
 */
bool	 docfile_tombstone(struct arena *, const char *deleted_at,
	    const char *id, const char *reason);

/*
 * Temp files (".tmp-*") in tmp/ and in the documents/<xx>/ directories
 * last modified before `before`: uploads that died. Removes them unless
 * dry_run; returns how many there were, -1 when storage is unreadable.
 */
int64_t	 docfile_sweep_tmp(struct arena *, time_t before, bool dry_run);

#endif
