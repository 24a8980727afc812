/*
 * password.h: password hashing (security.md 5). libscrypt MCF strings,
 * parameters from the configuration, stored parameters allow-listed
 * before any scrypt work, and at most scrypt_max_concurrent hashes per
 * host through flock()ed slot files in <data_dir>/locks/.
 */
#ifndef LTC_PASSWORD_H
#define LTC_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PW_MIN		10	/* bytes */
#define PW_MAX		1024
#define PW_MCF_LEN	128	/* SCRYPT_MCF_LEN */
#define PW_SLOT_WAIT_MS	5000

enum pw_result {
	PW_OK,		/* hashed / password matches */
	PW_MISMATCH,	/* wrong password, or a stored hash we refuse */
	PW_BUSY,	/* no hash slot within 5 s: 503 busy */
	PW_ERROR,	/* CSPRNG, libscrypt or slot file failure: 500 */
};

struct scrypt_params {
	unsigned	 n_log2;
	unsigned	 r;
	unsigned	 p;
};

/*
 * Parses "$s1$NNrrpp$salt$hash" and accepts it only within the sane
 * bounds (1 <= N <= 2^20, 1 <= r <= 16, 1 <= p <= 16) and with the
 * shape libscrypt writes. Nothing is allocated.
 */
bool	 password_mcf_params(const char *mcf, struct scrypt_params *);

/* Hashes pw (a C string) with the configured parameters. */
enum pw_result password_hash(const char *pw, char out[PW_MCF_LEN]);

/*
 * Checks pw against stored; stored NULL means "no account": the check
 * then runs against a dummy hash with the configured parameters, so the
 * time spent does not tell whether the account exists (it still answers
 * PW_MISMATCH). A stored hash outside the allow-list is PW_MISMATCH
 * without any scrypt work. stored is never written to.
 */
enum pw_result password_verify(const char *stored, const char *pw);

/* Are the stored parameters weaker than the configured ones? */
bool	 password_weaker(const char *stored);

/* scrypt runs so far in this process (unit tests prove "no work"). */
uint64_t password_scrypt_runs(void);

#endif
