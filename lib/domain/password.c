/* password.c: see password.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libscrypt.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "domain/password.h"
#include "base/util.h"

#define SALT_LEN	16
#define HASH_LEN	64
#define MAX_SLOTS	256	/* bounds the files tried per round */
#define POLL_US		20000

static uint64_t scrypt_runs;

uint64_t
password_scrypt_runs(void)
{
	return scrypt_runs;
}

/* Length of a non-empty standard base64 run (padding allowed at the end). */
static size_t
b64_run(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
	    (s[n] >= '0' && s[n] <= '9') || s[n] == '+' || s[n] == '/')
		n++;
	while (s[n] == '=')
		n++;
	return n;
}

bool
password_mcf_params(const char *mcf, struct scrypt_params *sp)
{
	unsigned v = 0;
	size_t i, n;
	const char *s;

	if (mcf == NULL || strlen(mcf) >= PW_MCF_LEN ||
	    strncmp(mcf, "$s1$", 4) != 0)
		return false;
	s = mcf + 4;
	for (i = 0; i < 6; i++) {
		int h = hexval(s[i]);

		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	if (s[6] != '$')
		return false;
	sp->n_log2 = v >> 16;
	sp->r = v >> 8 & 0xff;
	sp->p = v & 0xff;
	/* The allow-list runs before anything could size an allocation. */
	if (sp->n_log2 < 1 || sp->n_log2 > 20 || sp->r < 1 || sp->r > 16 ||
	    sp->p < 1 || sp->p > 16)
		return false;
	s += 7;
	if ((n = b64_run(s)) == 0 || n > 44 || s[n] != '$')
		return false;
	s += n + 1;
	if ((n = b64_run(s)) == 0 || s[n] != '\0')
		return false;
	return true;
}

/*
 * One of the scrypt_max_concurrent slots: an flock()ed file
 * <data_dir>/locks/scrypt.<i>. Returns the locked fd, or -1 with *res
 * PW_BUSY after PW_SLOT_WAIT_MS, or PW_ERROR when no slot file opens.
 */
static int
slot_acquire(enum pw_result *res)
{
	int64_t deadline = clock_real_now() + PW_SLOT_WAIT_MS * INT64_C(1000);
	int64_t nslots = cfg.scrypt_max_concurrent;
	char *dir, path[4096];
	struct stat ds;
	bool fix_owner;
	int64_t i;

	if (nslots < 1)
		nslots = 1;
	if (nslots > MAX_SLOTS)
		nslots = MAX_SLOTS;
	/*
	 * ltcctl run as root hashes too: its slot files must stay usable
	 * by the CGI user, who owns the data directory.
	 */
	fix_owner = geteuid() == 0 && stat(cfg.data_dir, &ds) == 0 &&
	    ds.st_uid != 0;
	dir = xasprintf("%s/locks", cfg.data_dir);
	if (mkdir(dir, 0700) == 0) {
		if (fix_owner)
			(void)!chown(dir, ds.st_uid, ds.st_gid);
	} else if (errno != EEXIST) {
		free(dir);
		*res = PW_ERROR;
		return -1;
	}
	for (;;) {
		bool opened = false;

		for (i = 0; i < nslots; i++) {
			int fd;

			snprintf(path, sizeof(path), "%s/scrypt.%lld", dir,
			    (long long)i);
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
			if (fd < 0)
				continue;
			if (fix_owner)
				(void)!fchown(fd, ds.st_uid, ds.st_gid);
			opened = true;
			if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
				free(dir);
				return fd;
			}
			close(fd);
		}
		if (!opened) {
			free(dir);
			*res = PW_ERROR;
			return -1;
		}
		if (clock_real_now() >= deadline)
			break;
		{
			struct timespec ts = { 0, POLL_US * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	free(dir);
	*res = PW_BUSY;
	return -1;
}

static void
slot_release(int fd)
{
	flock(fd, LOCK_UN);
	close(fd);
}

enum pw_result
password_hash(const char *pw, char out[PW_MCF_LEN])
{
	unsigned char salt[SALT_LEN], hash[HASH_LEN];
	char salt64[32], hash64[96];
	enum pw_result res = PW_ERROR;
	int fd;

	if (!random_bytes(salt, sizeof(salt)))
		return PW_ERROR;
	if ((fd = slot_acquire(&res)) < 0)
		return res;
	scrypt_runs++;
	if (libscrypt_scrypt((const uint8_t *)pw, strlen(pw), salt,
	    sizeof(salt), UINT64_C(1) << cfg.scrypt_n_log2,
	    (uint32_t)cfg.scrypt_r, (uint32_t)cfg.scrypt_p, hash,
	    sizeof(hash)) != 0) {
		res = PW_ERROR;
		goto out;
	}
	b64_encode(salt, sizeof(salt), salt64);
	b64_encode(hash, sizeof(hash), hash64);
	res = libscrypt_mcf(UINT32_C(1) << cfg.scrypt_n_log2,
	    (uint32_t)cfg.scrypt_r, (uint32_t)cfg.scrypt_p, salt64, hash64,
	    out) == 1 ? PW_OK : PW_ERROR;
out:
	slot_release(fd);
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(hash64, sizeof(hash64));
	return res;
}

/* A well-formed MCF with the configured parameters that matches nothing. */
static void
dummy_mcf(char out[PW_MCF_LEN])
{
	static const char salt[] = "ltc-dummy-salt-1";
	unsigned char zero[HASH_LEN] = { 0 };
	char salt64[25], hash64[89];	/* 16 and 64 bytes in base64 */

	b64_encode((const unsigned char *)salt, sizeof(salt) - 1, salt64);
	b64_encode(zero, sizeof(zero), hash64);
	snprintf(out, PW_MCF_LEN, "$s1$%02x%02x%02x$%s$%s",
	    (unsigned)cfg.scrypt_n_log2, (unsigned)cfg.scrypt_r,
	    (unsigned)cfg.scrypt_p, salt64, hash64);
}

enum pw_result
password_verify(const char *stored, const char *pw)
{
	struct scrypt_params sp;
	char copy[PW_MCF_LEN];
	enum pw_result res = PW_ERROR;
	int fd, rc;

	if (stored == NULL)
		dummy_mcf(copy);
	else {
		if (!password_mcf_params(stored, &sp))
			return PW_MISMATCH;
		/* libscrypt_check() tokenises its argument in place. */
		snprintf(copy, sizeof(copy), "%s", stored);
	}
	if ((fd = slot_acquire(&res)) < 0) {
		explicit_bzero(copy, sizeof(copy));
		return res;
	}
	scrypt_runs++;
	rc = libscrypt_check(copy, pw);
	slot_release(fd);
	explicit_bzero(copy, sizeof(copy));
	if (stored == NULL)
		return PW_MISMATCH;
	/* A stored hash libscrypt cannot use counts as a failed check. */
	return rc > 0 ? PW_OK : PW_MISMATCH;
}

bool
password_weaker(const char *stored)
{
	struct scrypt_params sp;
	uint64_t have_mem, want_mem, have_cpu, want_cpu;

	if (!password_mcf_params(stored, &sp))
		return true;
	/* Memory ~ N*r, work ~ N*r*p: weaker in either sense is weaker. */
	have_mem = (UINT64_C(1) << sp.n_log2) * sp.r;
	want_mem = (UINT64_C(1) << cfg.scrypt_n_log2) * (uint64_t)cfg.scrypt_r;
	have_cpu = have_mem * sp.p;
	want_cpu = want_mem * (uint64_t)cfg.scrypt_p;
	return have_mem < want_mem || have_cpu < want_cpu;
}
