/*
 * ltcctl backup, restore and verify (ops.md 6.1, 6.3, 7).
 *
 * A backup directory holds ltc.sqlite (SQLite online backup API), the
 * non-deleted document files under storage/, MANIFEST ("<sha256>  <path>"
 * per file) and META. Document files identical to the previous backup's
 * are hard-linked instead of copied.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "store/audit.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "ltcctl.h"
#include "store/migrate.h"
#include "store/document.h"
#include "domain/docfile.h"

/* SHA-256 of a file as 64 hex chars; false if unreadable. */
static bool
file_sha256(const char *path, char out[65])
{
	unsigned char buf[65536], md[32];
	EVP_MD_CTX *ctx;
	unsigned int mdlen;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	close(fd);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (n < 0)
		return false;
	hex_encode(md, sizeof(md), out);
	return true;
}

static int
mkdirs(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, mode) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static bool
copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in, out;
	ssize_t n;
	bool ok = true;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return false;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return false;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			ok = false;
			break;
		}
	if (n < 0 || fsync(out) != 0)
		ok = false;
	close(in);
	if (close(out) != 0)
		ok = false;
	return ok;
}

static char *
parent_of(const char *path)
{
	char *p = xstrdup(path), *slash = strrchr(p, '/');

	if (slash != NULL)
		*slash = '\0';
	return p;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of backup_dir entries "ltc-*"; caller frees each and list. */
static char **
list_backups(size_t *n)
{
	DIR *d = opendir(cfg.backup_dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "ltc-", 4) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

static void
rm_rf(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *c;

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			c = xasprintf("%s/%s", path, e->d_name);
			rm_rf(c);
			free(c);
		}
		closedir(d);
	}
	rmdir(path);
}

int
ctl_backup_to(struct db *db, const char *dest, char *made, size_t madelen)
{
	char ts[17], sha[65], *dir, *dbfile, *prev = NULL, *path;
	struct db_stmt *st;
	struct buf manifest = { 0 };
	size_t nb, i, files = 0;
	char **names;
	FILE *f;
	int rc = -1;

	ts_compact(clock_now(), ts);
	names = list_backups(&nb);
	if (nb > 0)
		prev = xasprintf("%s/%s", cfg.backup_dir, names[nb - 1]);
	if (dest != NULL)
		dir = xstrdup(dest);
	else {
		mkdirs(cfg.backup_dir, 0700);
		dir = xasprintf("%s/ltc-%s", cfg.backup_dir, ts);
		/* Two backups within one second: keep both. */
		for (i = 1; access(dir, F_OK) == 0 && i < 100; i++) {
			free(dir);
			dir = xasprintf("%s/ltc-%s-%zu", cfg.backup_dir, ts, i);
		}
	}
	if (mkdirs(dir, 0700) != 0) {
		fprintf(stderr, "ltcctl: cannot create the backup directory\n");
		goto done;
	}
	dbfile = xasprintf("%s/ltc.sqlite", dir);
	if (db_backup(db, dbfile) != DB_OK) {
		free(dbfile);
		goto done;
	}
	chmod(dbfile, 0600);
	if (!file_sha256(dbfile, sha)) {
		free(dbfile);
		goto done;
	}
	free(dbfile);
	buf_printf(&manifest, "%s  ltc.sqlite\n", sha);

	st = db_prep(db, "SELECT storage_key FROM documents WHERE deleted_at "
	    "IS NULL ORDER BY id", NULL);
	if (st == NULL)
		goto done;
	while (db_step(st) == 1) {
		const char *key = db_text(st, 0);
		char *src, *dst, *pd, psha[65];
		bool linked = false;

		if (key == NULL || strstr(key, "..") != NULL)
			continue;
		src = xasprintf("%s/%s", cfg.storage_dir, key);
		dst = xasprintf("%s/storage/%s", dir, key);
		pd = parent_of(dst);
		mkdirs(pd, 0700);
		free(pd);
		if (!file_sha256(src, sha)) {
			fprintf(stderr, "ltcctl: WARN a document file is missing\n");
			free(src);
			free(dst);
			continue;
		}
		if (prev != NULL) {
			char *pf = xasprintf("%s/storage/%s", prev, key);

			if (file_sha256(pf, psha) && strcmp(psha, sha) == 0 &&
			    link(pf, dst) == 0)
				linked = true;
			free(pf);
		}
		if (!linked && !copy_file(src, dst)) {
			free(src);
			free(dst);
			db_finalize(st);
			goto done;
		}
		buf_printf(&manifest, "%s  storage/%s\n", sha, key);
		files++;
		free(src);
		free(dst);
	}
	db_finalize(st);

	path = xasprintf("%s/MANIFEST", dir);
	f = fopen(path, "w");
	free(path);
	if (f == NULL)
		goto done;
	fputs(manifest.data, f);
	fclose(f);
	path = xasprintf("%s/META", dir);
	f = fopen(path, "w");
	free(path);
	if (f == NULL)
		goto done;
	{
		char iso[TS_STORAGE_LEN];

		ts_storage(clock_now(), iso);
		fprintf(f, "backup_time=%s\nschema_version=%d\nproduct_version=%s\n",
		    iso, db_user_version(db), LTC_VERSION);
	}
	fclose(f);

	if (dest == NULL) {
		for (i = 0; i < nb; i++)
			free(names[i]);
		free(names);
		names = list_backups(&nb);
		for (i = 0; nb > (size_t)cfg.backup_keep && i < nb - (size_t)cfg.backup_keep; i++) {
			char *old = xasprintf("%s/%s", cfg.backup_dir, names[i]);

			rm_rf(old);
			free(old);
		}
	}
	{
		json_t *m = json_object();

		json_object_set_new(m, "files", json_integer((json_int_t)files));
		audit_cli(db, &(struct audit_ev){ .action = "BACKUP_CREATED",
		    .target_type = "SYSTEM_CONFIG", .meta = m });
	}
	snprintf(made, madelen, "%s", dir);
	rc = 0;
done:
	for (i = 0; names != NULL && i < nb; i++)
		free(names[i]);
	free(names);
	free(prev);
	free(dir);
	buf_free(&manifest);
	return rc;
}

int
cmd_backup(int argc, char **argv)
{
	const char *dest = NULL;
	char made[4096];
	struct db *db;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--dest") == 0)
		dest = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: ltcctl backup [--dest DIR]\n");
		return EX_USAGE;
	}
	db = ctl_db(0);
	if (db == NULL)
		return EX_FAIL;
	rc = ctl_backup_to(db, dest, made, sizeof(made));
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "ltcctl: backup failed\n");
		return EX_FAIL;
	}
	printf("%s\n", made);
	return EX_OK;
}

/* Checks every MANIFEST line of dir; false on any mismatch. */
static bool
manifest_ok(const char *dir)
{
	char *path = xasprintf("%s/MANIFEST", dir), line[4096];
	FILE *f = fopen(path, "r");
	bool ok = f != NULL;

	free(path);
	while (ok && fgets(line, sizeof(line), f) != NULL) {
		char sha[65], *rel, *file;

		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ') {
			ok = false;
			break;
		}
		rel = line + 66;
		if (strstr(rel, "..") != NULL) {
			ok = false;
			break;
		}
		file = xasprintf("%s/%s", dir, rel);
		if (!file_sha256(file, sha) || strncmp(sha, line, 64) != 0)
			ok = false;
		free(file);
	}
	if (f != NULL)
		fclose(f);
	return ok;
}

static char *
meta_value(const char *dir, const char *key)
{
	char *path = xasprintf("%s/META", dir), line[512], *v = NULL;
	FILE *f = fopen(path, "r");
	size_t kl = strlen(key);

	free(path);
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, kl) == 0 && line[kl] == '=') {
			line[strcspn(line, "\n")] = '\0';
			v = xstrdup(line + kl + 1);
			break;
		}
	fclose(f);
	return v;
}

/* Copies the storage/ tree of a backup (only files named in MANIFEST). */
static bool
install_files(const char *dir)
{
	char *path = xasprintf("%s/MANIFEST", dir), line[4096];
	FILE *f = fopen(path, "r");
	bool ok = f != NULL;

	free(path);
	while (ok && fgets(line, sizeof(line), f) != NULL) {
		char *rel, *src, *dst, *pd;

		line[strcspn(line, "\n")] = '\0';
		rel = line + 66;
		if (strncmp(rel, "storage/", 8) != 0)
			continue;
		src = xasprintf("%s/%s", dir, rel);
		dst = xasprintf("%s/%s", cfg.storage_dir, rel + 8);
		pd = parent_of(dst);
		mkdirs(pd, 0700);
		free(pd);
		if (!copy_file(src, dst))
			ok = false;
		free(src);
		free(dst);
	}
	if (f != NULL)
		fclose(f);
	return ok;
}

/* Re-applies tombstones newer than the backup (ops.md 6.3 step 5). */
static int
apply_tombstones(struct db *db, const char *since)
{
	char *path = xasprintf("%s/tombstones.log", cfg.data_dir), line[512];
	FILE *f = fopen(path, "r");
	struct ctx cx = { .db = db };
	int n = 0;

	free(path);
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char ts[64], kind[32], id[64], reason[64], *key;

		if (sscanf(line, "%63s %31s %63s %63s", ts, kind, id, reason) != 4 ||
		    strcmp(kind, "document") != 0 || strcmp(ts, since) <= 0)
			continue;
		if (document_tombstone_apply(&cx, id, ts, reason, &key) !=
		    DOC_OK)
			continue;
		if (key != NULL)
			docfile_remove(&cx.arena, key);
		n++;
	}
	fclose(f);
	arena_free(&cx.arena);
	return n;
}

static void
set_maintenance(int on)
{
	char *flag = xasprintf("%s/maintenance", cfg.data_dir);

	if (on) {
		FILE *f = fopen(flag, "w");

		if (f != NULL)
			fclose(f);
	} else
		unlink(flag);
	free(flag);
}

static void
move_aside(const char *from, const char *dir, const char *name)
{
	char *to = xasprintf("%s/%s", dir, name);

	if (rename(from, to) != 0 && errno != ENOENT)
		fprintf(stderr, "ltcctl: WARN could not move %s aside\n", name);
	free(to);
}

int
cmd_restore(int argc, char **argv)
{
	const char *dir;
	char ts[17], *aside, *since, *src, *tmp, *docs, *p;
	struct stat sb;
	int from, to, was_on, n;
	struct db *db;

	if (argc != 3 || strcmp(argv[2], "--yes") != 0) {
		fprintf(stderr, "usage: ltcctl restore BACKUP_DIR --yes\n");
		return EX_USAGE;
	}
	dir = argv[1];
	p = xasprintf("%s/maintenance", cfg.data_dir);
	was_on = stat(p, &sb) == 0;
	free(p);
	set_maintenance(1);
	if (!manifest_ok(dir)) {
		/* Nothing was touched: the previous maintenance state returns. */
		if (!was_on)
			set_maintenance(0);
		fprintf(stderr, "ltcctl: restore aborted: MANIFEST mismatch\n");
		return EX_FAIL;
	}
	since = meta_value(dir, "backup_time");
	if (since == NULL) {
		fprintf(stderr, "ltcctl: restore failed: META unreadable\n");
		return EX_FAIL;
	}
	ts_compact(clock_now(), ts);
	aside = xasprintf("%s/pre-restore-%s", cfg.data_dir, ts);
	mkdirs(aside, 0700);
	move_aside(cfg.db_path, aside, "ltc.sqlite");
	p = xasprintf("%s-wal", cfg.db_path);
	move_aside(p, aside, "ltc.sqlite-wal");
	free(p);
	p = xasprintf("%s-shm", cfg.db_path);
	move_aside(p, aside, "ltc.sqlite-shm");
	free(p);
	docs = xasprintf("%s/documents", cfg.storage_dir);
	move_aside(docs, aside, "documents");
	mkdirs(docs, 0700);
	free(docs);
	free(aside);

	src = xasprintf("%s/ltc.sqlite", dir);
	tmp = xasprintf("%s.restore-tmp", cfg.db_path);
	if (!copy_file(src, tmp) || rename(tmp, cfg.db_path) != 0 ||
	    !install_files(dir)) {
		free(src);
		free(tmp);
		free(since);
		fprintf(stderr, "ltcctl: restore failed: install\n");
		return EX_FAIL;
	}
	free(src);
	free(tmp);
	chmod(cfg.db_path, 0600);

	db = ctl_db(0);
	if (db == NULL) {
		free(since);
		return EX_FAIL;
	}
	if (db_begin(db) != DB_OK) {
		db_close(db);
		free(since);
		return EX_FAIL;
	}
	n = apply_tombstones(db, since);
	free(since);
	if (db_commit(db) != DB_OK ||
	    migrate_apply(db, migrations, nmigrations, &from, &to) != 0) {
		db_close(db);
		fprintf(stderr, "ltcctl: restore failed: migrate\n");
		return EX_FAIL;
	}
	{
		json_t *m = json_object();

		json_object_set_new(m, "tombstones_applied", json_integer(n));
		audit_cli(db, &(struct audit_ev){ .action = "RESTORE_COMPLETED",
		    .target_type = "SYSTEM_CONFIG", .meta = m });
	}
	db_close(db);
	if (cmd_verify(1, argv) != EX_OK) {
		fprintf(stderr, "ltcctl: restore: verify found problems; "
		    "maintenance stays on\n");
		return EX_FAIL;
	}
	set_maintenance(0);
	printf("restored; %d tombstone(s) re-applied; schema %d\n", n, to);
	return EX_OK;
}

static void
finding(int *n, const char *msg)
{
	printf("finding: %s\n", msg);
	(*n)++;
}

static void
check_mode(int *n, const char *path, const char *what)
{
	struct stat sb;
	char msg[128];

	if (stat(path, &sb) != 0)
		return;
	if ((sb.st_mode & 077) != 0) {
		snprintf(msg, sizeof(msg), "%s is accessible by group or others",
		    what);
		finding(n, msg);
	}
}

/* Files under storage/documents not referenced by a non-deleted row. */
static void
orphans(struct db *db, const char *dir, const char *rel, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *path, *key;
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		key = xasprintf("%s/%s", rel, e->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			orphans(db, path, key, n);
		else {
			char msg[192];

			snprintf(msg, sizeof(msg), "orphan file in document "
			    "storage: %.150s", key);
			if (db_scalar(db, "SELECT 1 FROM documents WHERE "
			    "storage_key = ? AND deleted_at IS NULL", "s", key) == 0)
				finding(n, msg);
		}
		free(path);
		free(key);
	}
	closedir(d);
}

int
cmd_verify(int argc, char **argv)
{
	struct db_stmt *st;
	struct db *db;
	int n = 0;
	char *docs, res[256];

	(void)argc;
	(void)argv;
	db = ctl_db(0);
	if (db == NULL)
		return EX_FAIL;
	if (db_pragma(db, "integrity_check", NULL, res, sizeof(res)) != DB_OK ||
	    strcmp(res, "ok") != 0)
		finding(&n, "integrity_check failed");
	/* Any row names a violating table; no row leaves res empty. */
	if (db_pragma(db, "foreign_key_check", NULL, res, sizeof(res)) ==
	    DB_OK && res[0] != '\0')
		finding(&n, "foreign_key_check found violations");
	if (db_user_version(db) != LTC_SCHEMA_VERSION)
		finding(&n, "schema version differs from this binary");
	/* Every stored file re-hashed; a finding names the document. */
	st = db_prep(db, "SELECT storage_key, checksum_sha256, id FROM documents "
	    "WHERE deleted_at IS NULL ORDER BY id", NULL);
	while (st != NULL && db_step(st) == 1) {
		const char *key = db_text(st, 0), *want = db_text(st, 1);
		char sha[65], *file, msg[128];

		if (key == NULL)
			continue;
		file = xasprintf("%s/%s", cfg.storage_dir, key);
		if (!file_sha256(file, sha)) {
			snprintf(msg, sizeof(msg), "document file missing: %s",
			    db_text(st, 2));
			finding(&n, msg);
		} else if (want != NULL && strcmp(sha, want) != 0) {
			snprintf(msg, sizeof(msg), "document file checksum "
			    "mismatch: %s", db_text(st, 2));
			finding(&n, msg);
		}
		free(file);
	}
	db_finalize(st);
	docs = xasprintf("%s/documents", cfg.storage_dir);
	orphans(db, docs, "documents", &n);
	free(docs);
	db_close(db);

	check_mode(&n, cfg.conf_path, "config file");
	check_mode(&n, cfg.data_dir, "data directory");
	check_mode(&n, cfg.db_path, "database file");
	if (cfg.env == ENV_PROD) {
		if (cfg.public_base_url[0] == '\0')
			finding(&n, "public_base_url is not set in prod");
		if (cfg.allow_dev_headers)
			finding(&n, "allow_dev_headers is on in prod");
		if (cfg.dev_expose_otp)
			finding(&n, "dev_expose_otp is on in prod");
	}
	if (cfg.scanner_command[0] != '\0') {
		char *cmd = xstrdup(cfg.scanner_command), *sp = strchr(cmd, ' ');

		if (sp != NULL)
			*sp = '\0';
		if (access(cmd, X_OK) != 0)
			finding(&n, "scanner_command is not executable");
		free(cmd);
	}
	if (n > 0)
		return EX_FINDINGS;
	printf("ok\n");
	return EX_OK;
}
