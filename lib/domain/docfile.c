/* docfile.c: see docfile.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/config.h"
#include "base/crypto.h"
#include "base/util.h"
#include "domain/docfile.h"

#define COPY_CHUNK	65536

char *
docfile_key(struct arena *a, const char *id)
{
	return arena_printf(a, "documents/%.2s/%s", id, id);
}

char *
docfile_path(struct arena *a, const char *key)
{
	if (key == NULL || key[0] == '/' || strstr(key, "..") != NULL)
		return NULL;
	return arena_printf(a, "%s/%s", cfg.storage_dir, key);
}

static bool
mkdir_0700(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

char *
docfile_tmp_dir(struct arena *a)
{
	char *d = arena_printf(a, "%s/tmp", cfg.storage_dir);

	if (!mkdir_0700(cfg.storage_dir) || !mkdir_0700(d))
		return NULL;
	return d;
}

bool
docfile_sha256(const char *path, char out[65])
{
	unsigned char buf[COPY_CHUNK], md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	ssize_t n;
	bool ok;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	while (ok && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ok = false;
			break;
		}
		ok = EVP_DigestUpdate(ctx, buf, (size_t)n) == 1;
	}
	close(fd);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	if (ok)
		hex_encode(md, sizeof(md), out);
	return ok;
}

static bool
fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

static char *
dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	return arena_strndup(a, path, slash != NULL ? (size_t)(slash - path) :
	    0);
}

/* Copies src into a new .tmp-<random> in dir, synced; its path or NULL. */
static char *
copy_beside(struct arena *a, const char *src, const char *dir)
{
	char buf[COPY_CHUNK], rnd[HEXID_LEN], *tmp;
	bool ok = true;
	int in, out;
	ssize_t n;

	if (!hexid(rnd))
		return NULL;
	tmp = arena_printf(a, "%s/.tmp-%s", dir, rnd);
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return NULL;
	}
	while (ok && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			ok = errno == EINTR;
			continue;
		}
		ok = write_all(out, buf, (size_t)n);
	}
	close(in);
	if (ok)
		ok = fsync(out) == 0;
	if (close(out) != 0)
		ok = false;
	if (!ok) {
		unlink(tmp);
		return NULL;
	}
	return tmp;
}

bool
docfile_store(struct arena *a, const char *tmp_path, const char *key)
{
	char *dst = docfile_path(a, key), *dir, *docs, *copy;
	bool made;

	if (dst == NULL || !fsync_path(tmp_path, O_RDONLY))
		return false;
	docs = arena_printf(a, "%s/documents", cfg.storage_dir);
	dir = dir_of(a, dst);
	if (!mkdir_0700(cfg.storage_dir) || !mkdir_0700(docs))
		return false;
	made = mkdir(dir, 0700) == 0;
	if (!made && errno != EEXIST)
		return false;
	/* A new <xx> directory must itself survive a crash. */
	if (made && !fsync_path(docs, O_RDONLY | O_DIRECTORY))
		return false;
	if (rename(tmp_path, dst) != 0) {
		if (errno != EXDEV)
			return false;
		/* tmp/ on another filesystem: the temp file goes beside the target. */
		if ((copy = copy_beside(a, tmp_path, dir)) == NULL)
			return false;
		if (rename(copy, dst) != 0) {
			unlink(copy);
			return false;
		}
		unlink(tmp_path);
	}
	if (!fsync_path(dir, O_RDONLY | O_DIRECTORY)) {
		unlink(dst);
		return false;
	}
	return true;
}

bool
docfile_remove(struct arena *a, const char *key)
{
	char *path = docfile_path(a, key);

	if (path == NULL)
		return false;
	if (unlink(path) != 0 && errno != ENOENT)
		return false;
	fsync_path(dir_of(a, path), O_RDONLY | O_DIRECTORY);
	return true;
}

int
docfile_open(struct arena *a, const char *key, int64_t *size)
{
	char *path = docfile_path(a, key);
	struct stat sb;
	int fd;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -1;
	}
	*size = (int64_t)sb.st_size;
	return fd;
}

bool
docfile_tombstone(struct arena *a, const char *deleted_at, const char *id,
    const char *reason)
{
	char *path = arena_printf(a, "%s/tombstones.log", cfg.data_dir);
	char *line = arena_printf(a, "%s document %s %s\n", deleted_at, id,
	    reason);
	bool ok;
	int fd;

	/* One write of one short line to an O_APPEND file: lines never mix. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	ok = write_all(fd, line, strlen(line)) && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	return ok;
}

/* Sweeps one directory; -1 when it cannot be read (missing counts as 0). */
static int64_t
sweep_dir(struct arena *a, const char *dir, time_t before, bool dry_run)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	int64_t n = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (strncmp(e->d_name, ".tmp-", 5) != 0)
			continue;
		p = arena_printf(a, "%s/%s", dir, e->d_name);
		if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    sb.st_mtime >= before)
			continue;
		if (dry_run || unlink(p) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int64_t
docfile_sweep_tmp(struct arena *a, time_t before, bool dry_run)
{
	char *docs = arena_printf(a, "%s/documents", cfg.storage_dir);
	int64_t n, total;
	struct dirent *e;
	DIR *d;

	total = sweep_dir(a, arena_printf(a, "%s/tmp", cfg.storage_dir),
	    before, dry_run);
	if (total < 0)
		return -1;
	if ((d = opendir(docs)) == NULL)
		return errno == ENOENT ? total : -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		n = sweep_dir(a, arena_printf(a, "%s/%s", docs, e->d_name),
		    before, dry_run);
		if (n > 0)
			total += n;
	}
	closedir(d);
	return total;
}
