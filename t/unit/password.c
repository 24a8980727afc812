/*
 * password.c: lib/password.c (security.md 5): MCF round trip, the
 * allow-list of stored scrypt parameters (checked before any work, so a
 * tampered row cannot size an allocation), copy semantics around
 * libscrypt_check(), the dummy hash, re-hash detection and the slots.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libscrypt.h>

#include "base/clock.h"
#include "base/config.h"
#include "domain/password.h"
#include "tap.h"

/* The same MCF with its parameter field replaced. */
static void
with_params(const char *mcf, const char *params, char *out)
{
	snprintf(out, PW_MCF_LEN, "$s1$%s%s", params, mcf + 10);
}

static long
maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int
main(void)
{
	char *dir, mcf[PW_MCF_LEN], keep[PW_MCF_LEN];
	char bad[PW_MCF_LEN], buf[PW_MCF_LEN], *lock;
	const char *tmp = getenv("TMPDIR");
	struct scrypt_params sp;
	uint64_t runs;
	int64_t t0;
	long rss;
	int fd;

	if (asprintf(&dir, "%s/ltc-pw-XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp") < 0 || mkdtemp(dir) == NULL)
		return 1;
	/* Cheap parameters: this tests the mechanics, not the cost. */
	cfg.data_dir = dir;
	cfg.scrypt_n_log2 = 10;
	cfg.scrypt_r = 8;
	cfg.scrypt_p = 1;
	cfg.scrypt_max_concurrent = 2;

	ok(password_hash("correct horse battery", mcf) == PW_OK, "hash");
	ok(strncmp(mcf, "$s1$0a0801$", 11) == 0,
	    "MCF carries the configured N, r, p");
	ok(password_mcf_params(mcf, &sp) && sp.n_log2 == 10 && sp.r == 8 &&
	    sp.p == 1, "own MCF parses");
	ok(password_verify(mcf, "correct horse battery") == PW_OK,
	    "right password");
	ok(password_verify(mcf, "correct horse batterY") == PW_MISMATCH,
	    "wrong password");
	ok(password_verify(mcf, "") == PW_MISMATCH, "empty password");
	{
		char again[PW_MCF_LEN];

		ok(password_hash("correct horse battery", again) == PW_OK &&
		    strcmp(again, mcf) != 0, "fresh salt per hash");
	}

	/* libscrypt_check() writes into its argument ... */
	snprintf(buf, sizeof(buf), "%s", mcf);
	ok(libscrypt_check(buf, "correct horse battery") > 0 &&
	    strcmp(buf, mcf) != 0, "libscrypt_check() tokenises its argument");
	/* ... so password_verify() hands it a copy. */
	snprintf(keep, sizeof(keep), "%s", mcf);
	password_verify(mcf, "correct horse battery");
	password_verify(mcf, "wrong");
	ok(strcmp(keep, mcf) == 0, "the stored string is left untouched");
	ok(password_verify(mcf, "correct horse battery") == PW_OK,
	    "and verifies again");

	/* The allow-list runs before any scrypt work or allocation. */
	runs = password_scrypt_runs();
	rss = maxrss_kib();
	with_params(mcf, "1e0801", bad);	/* N = 2^30: 1 TiB */
	ok(!password_mcf_params(bad, &sp), "N=2^30 refused by the allow-list");
	t0 = clock_real_now();
	ok(password_verify(bad, "correct horse battery") == PW_MISMATCH,
	    "N=2^30: a failed check");
	ok(password_scrypt_runs() == runs, "N=2^30: no scrypt run");
	ok(clock_real_now() - t0 < 100000, "N=2^30: answered at once");
	ok(maxrss_kib() - rss < 16384, "N=2^30: no memory taken");
	with_params(mcf, "150801", bad);	/* N = 2^21 */
	ok(!password_mcf_params(bad, &sp), "N=2^21 refused");
	with_params(mcf, "141001", bad);	/* N = 2^20, r = 16 */
	ok(password_mcf_params(bad, &sp), "N=2^20, r=16 accepted (bound)");
	with_params(mcf, "0a1101", bad);
	ok(!password_mcf_params(bad, &sp), "r=17 refused");
	with_params(mcf, "0a0811", bad);
	ok(!password_mcf_params(bad, &sp), "p=17 refused");
	with_params(mcf, "0a0810", bad);
	ok(password_mcf_params(bad, &sp), "p=16 accepted");
	with_params(mcf, "000801", bad);
	ok(!password_mcf_params(bad, &sp), "N=1 refused");
	with_params(mcf, "0a0001", bad);
	ok(!password_mcf_params(bad, &sp), "r=0 refused");
	with_params(mcf, "0a0800", bad);
	ok(!password_mcf_params(bad, &sp), "p=0 refused");
	with_params(mcf, "0a08zz", bad);
	ok(!password_mcf_params(bad, &sp), "non-hex parameters refused");
	ok(!password_mcf_params("", &sp), "empty string refused");
	ok(!password_mcf_params("$s0$0a0801$c2FsdA==$aGFzaA==", &sp),
	    "other MCF id refused");
	ok(!password_mcf_params("$s1$0a0801$c2FsdA==", &sp), "no hash part");
	ok(!password_mcf_params("$s1$0a0801$$aGFzaA==", &sp), "empty salt");
	ok(!password_mcf_params("$s1$0a0801$c2FsdA==$aGFzaA==$x", &sp),
	    "trailing field refused");
	ok(!password_mcf_params("$s1$0a0801$c2Fs dA==$aGFzaA==", &sp),
	    "non-base64 salt refused");
	memset(buf, 'A', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	memcpy(buf, "$s1$0a0801$", 11);
	ok(!password_mcf_params(buf, &sp), "overlong string refused");
	ok(password_verify("not a hash at all", "x") == PW_MISMATCH &&
	    password_scrypt_runs() == runs, "garbage: a failed check, no work");

	/* Unknown accounts: a dummy check that does the same work. */
	ok(password_verify(NULL, "correct horse battery") == PW_MISMATCH,
	    "dummy hash never matches");
	ok(password_scrypt_runs() == runs + 1, "dummy check runs scrypt");

	/* Re-hash detection. */
	ok(!password_weaker(mcf), "same parameters: not weaker");
	cfg.scrypt_p = 2;
	ok(password_weaker(mcf), "configured p higher: weaker");
	cfg.scrypt_p = 1;
	cfg.scrypt_n_log2 = 11;
	ok(password_weaker(mcf), "configured N higher: weaker");
	cfg.scrypt_n_log2 = 9;
	cfg.scrypt_p = 2;
	ok(!password_weaker(mcf),
	    "configured N/2 with p*2 (same work, less memory): not weaker");
	cfg.scrypt_n_log2 = 10;
	cfg.scrypt_p = 1;
	ok(password_weaker("garbage"), "unparsable: weaker (re-hash)");

	/* Slots: with every slot held, a hash waits 5 s and gives up. */
	cfg.scrypt_max_concurrent = 1;
	if (asprintf(&lock, "%s/locks/scrypt.0", dir) < 0)
		return 1;
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	ok(fd >= 0 && flock(fd, LOCK_EX) == 0, "hold the only slot");
	t0 = clock_real_now();
	ok(password_hash("correct horse battery", buf) == PW_BUSY,
	    "no slot: PW_BUSY");
	t0 = clock_real_now() - t0;
	ok(t0 >= 4900000 && t0 < 8000000, "after about 5 s");
	close(fd);
	ok(password_hash("correct horse battery", buf) == PW_OK,
	    "slot released: hashing works");
	cfg.scrypt_max_concurrent = 2;
	fd = open(lock, O_RDWR);
	ok(fd >= 0 && flock(fd, LOCK_EX) == 0 &&
	    password_verify(mcf, "correct horse battery") == PW_OK,
	    "one slot held, the second one is used");
	close(fd);
	unlink(lock);
	free(lock);
	if (asprintf(&lock, "%s/locks/scrypt.1", dir) >= 0) {
		unlink(lock);
		free(lock);
	}
	if (asprintf(&lock, "%s/locks", dir) >= 0) {
		rmdir(lock);
		free(lock);
	}
	rmdir(dir);
	free(dir);
	return done_testing();
}
