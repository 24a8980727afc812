/* config.c: see config.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/util.h"

struct config cfg;

enum ktype { K_STR, K_INT, K_BOOL };

struct key {
	const char	*name;
	enum ktype	 type;
	size_t		 off;
	const char	*def;
	int64_t		 min, max;	/* K_INT; min==max==0: >= 1 */
};

#define S(n, d)		{ #n, K_STR, offsetof(struct config, n), d, 0, 0 }
#define SF(n, f, d)	{ #n, K_STR, offsetof(struct config, f), d, 0, 0 }
#define I(n, d, lo, hi)	{ #n, K_INT, offsetof(struct config, n), d, lo, hi }
#define B(n, d)		{ #n, K_BOOL, offsetof(struct config, n), d, 0, 0 }

static const struct key keys[] = {
	SF(env, env_name, "prod"),
	S(secret_key, NULL),
	S(secret_key_file, NULL),
	S(secret_key_previous, NULL),
	S(data_dir, "/var/lib/ltc"),
	S(db_path, NULL),
	S(storage_dir, NULL),
	S(outbox_dir, NULL),
	S(backup_dir, NULL),
	I(backup_keep, "96", 1, INT64_MAX),
	S(journal_mode, "wal"),
	I(busy_timeout_ms, "5000", 5000, INT64_MAX),
	S(log_file, ""),
	S(public_base_url, ""),
	S(trusted_proxies, ""),
	I(hsts_max_age, "31536000", 0, INT64_MAX),
	S(terms_version, "v1"),
	S(privacy_version, "v1"),
	B(allow_dev_headers, "false"),
	B(dev_expose_otp, "false"),
	S(test_now, ""),
	S(bootstrap_superadmin_email, ""),
	S(mail_command, ""),
	S(mail_from, "LifeTimeCircle <noreply@localhost>"),
	I(mail_timeout_seconds, "20", 1, INT64_MAX),
	I(otp_ttl_seconds, "600", 60, 3600),
	I(otp_max_attempts, "5", 1, 20),
	I(session_ttl_seconds, "28800", 1, INT64_MAX),
	I(session_idle_seconds, "1800", 1, INT64_MAX),
	I(scrypt_n_log2, "15", 14, 20),
	I(scrypt_r, "8", 8, 16),
	I(scrypt_p, "3", 1, 16),
	I(scrypt_max_concurrent, "4", 1, INT64_MAX),
	I(json_max_bytes, "8388608", 1, INT64_MAX),
	I(upload_max_bytes, "10485760", 1, INT64_MAX),
	S(magic_file, ""),
	S(scanner_command, ""),
	I(scanner_timeout_seconds, "60", 1, INT64_MAX),
	I(export_ttl_seconds, "0", 0, INT64_MAX),
	I(transfer_ttl_seconds, "1209600", 60, 1209600),
	I(rl_auth_window_seconds, "600", 1, INT64_MAX),
	I(rl_request_email_limit, "5", 1, INT64_MAX),
	I(rl_request_ip_limit, "20", 1, INT64_MAX),
	I(rl_verify_ip_limit, "30", 1, INT64_MAX),
	I(rl_login_fail_limit, "10", 1, INT64_MAX),
	I(rl_qr_limit, "120", 1, INT64_MAX),
	I(rl_qr_window_seconds, "60", 1, INT64_MAX),
	I(rl_upload_limit, "30", 1, INT64_MAX),
	I(rl_upload_window_seconds, "600", 1, INT64_MAX),
	I(rl_mc_window_seconds, "60", 1, INT64_MAX),
	I(rl_mc_sessions_create, "30", 1, INT64_MAX),
	I(rl_mc_speech_add, "120", 1, INT64_MAX),
	I(rl_mc_triage_create, "60", 1, INT64_MAX),
	I(rl_mc_triage_patch, "120", 1, INT64_MAX),
	I(rl_mc_board_snapshot, "60", 1, INT64_MAX),
	I(rl_mc_close, "60", 1, INT64_MAX),
	I(rl_mc_session_get, "120", 1, INT64_MAX),
	I(rl_support_ip_limit, "5", 1, INT64_MAX),
	I(rl_support_user_limit, "10", 1, INT64_MAX),
	I(rl_support_window_seconds, "600", 1, INT64_MAX),
	I(retention_sessions_days, "30", 1, INT64_MAX),
	I(retention_challenges_days, "30", 1, INT64_MAX),
	I(retention_ratelimit_days, "7", 1, INT64_MAX),
	I(retention_grants_days, "30", 1, INT64_MAX),
	I(retention_idempotency_days, "7", 1, INT64_MAX),
	I(retention_support_days, "365", 1, INT64_MAX),
	I(retention_pii_confirmed_days, "30", 1, INT64_MAX),
	I(retention_rejected_days, "30", 1, INT64_MAX),
	I(retention_transfers_days, "730", 1, INT64_MAX),
	I(retention_audit_days, "2555", 1, INT64_MAX),
	I(retention_consent_years, "10", 1, INT64_MAX),
	S(imprint_name, ""),
	S(imprint_address, ""),
	S(imprint_email, ""),
	S(imprint_phone, ""),
	S(imprint_register, ""),
	S(imprint_vat_id, ""),
	S(imprint_responsible, ""),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static bool secret_only_problem;

static void
report_nop(const char *key, const char *msg)
{
	(void)key;
	(void)msg;
}

static const struct key *
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static bool
parse_bool(const char *v, bool *out)
{
	static const char *yes[] = { "1", "true", "yes", "on" };
	static const char *no[] = { "0", "false", "no", "off", "" };
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
	for (i = 0; i < 5; i++)
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	return false;
}

/*
 * Every string of the configuration is wiped before it is freed: the
 * secrets (secret_key, secret_key_previous) pass through raw[], cfg and
 * the read buffers, and wiping all of them needs no list of which.
 */
static void
sfree(char *p)
{
	if (p != NULL)
		explicit_bzero(p, strlen(p));
	free(p);
}

/* Raw values by key index; file first, then environment. */
static char *raw[NKEYS];

static void
set_raw(size_t i, const char *v)
{
	sfree(raw[i]);
	raw[i] = xstrdup(v);
}

/*
 * The file may hold secret_key: stdio reads it through a buffer of ours
 * (not one it allocates and frees unwiped), and both buffers are wiped
 * before returning.
 */
static void
read_file(const char *path, void (*report)(const char *, const char *))
{
	static bool warned;
	char line[8192], iobuf[BUFSIZ];
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return;
	if (setvbuf(f, iobuf, _IOFBF, sizeof(iobuf)) != 0) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *eq, *k, *v;
		const struct key *key;
		size_t n;

		str_trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			report("config", "line without '='");
			continue;
		}
		*eq = '\0';
		k = str_trim(line);
		v = str_trim(eq + 1);
		n = strlen(v);
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
			v[n - 1] = '\0';
			v++;
		}
		key = find_key(k);
		if (key == NULL) {
			if (!warned)
				fprintf(stderr, "ltc: WARN config: unknown key %s\n", k);
			continue;
		}
		set_raw((size_t)(key - keys), v);
	}
	warned = true;
	fclose(f);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(iobuf, sizeof(iobuf));
}

/* The secret file through read(2): no stdio buffer holds a copy. */
static char *
read_secret_file(const char *path)
{
	char buf[4096], *s = NULL;
	size_t n = 0;
	ssize_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	while (n < sizeof(buf) - 1) {
		got = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (got >= 0 || n > 0) {
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		s = xstrndup(buf, n);
	}
	explicit_bzero(buf, sizeof(buf));
	return s;
}

void
config_free(void)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].type == K_STR) {
			char **p = (char **)((char *)&cfg + keys[i].off);

			sfree(*p);
			*p = NULL;
		}
		sfree(raw[i]);
		raw[i] = NULL;
	}
	sfree(cfg.conf_path);
	cfg.conf_path = NULL;
	crypto_set_secret(NULL, 0);
}

static char *
join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

bool
config_load(void (*report)(const char *, const char *))
{
	const char *path;
	bool ok = true;
	size_t i;

	if (report == NULL)
		report = report_nop;
	config_free();
	memset(&cfg, 0, sizeof(cfg));
	secret_only_problem = false;
	path = getenv("LTC_CONF");
	cfg.conf_path = xstrdup(path != NULL && *path != '\0' ? path : LTC_CONF_PATH);
	read_file(cfg.conf_path, report);

	for (i = 0; i < NKEYS; i++) {
		char env[128], *p;
		const char *v;

		snprintf(env, sizeof(env), "LTC_%s", keys[i].name);
		for (p = env; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		v = getenv(env);
		if (v != NULL)
			set_raw(i, v);
	}

	for (i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		const char *v = raw[i] != NULL ? raw[i] : k->def;
		void *dst = (char *)&cfg + k->off;

		switch (k->type) {
		case K_STR:
			*(char **)dst = v != NULL ? xstrdup(v) : NULL;
			break;
		case K_BOOL:
			if (!parse_bool(v, (bool *)dst)) {
				report(k->name, "not a boolean");
				ok = false;
			}
			break;
		case K_INT: {
			int64_t n;

			if (!parse_int64(v, &n) || n < k->min || n > k->max) {
				report(k->name, "integer out of range");
				ok = false;
				n = 0;
			}
			*(int64_t *)dst = n;
			break;
		}
		}
	}

	if (strcmp(cfg.env_name, "prod") == 0)
		cfg.env = ENV_PROD;
	else if (strcmp(cfg.env_name, "dev") == 0)
		cfg.env = ENV_DEV;
	else if (strcmp(cfg.env_name, "test") == 0)
		cfg.env = ENV_TEST;
	else {
		report("env", "must be dev, test or prod");
		ok = false;
	}
	if (strcmp(cfg.journal_mode, "wal") != 0 &&
	    strcmp(cfg.journal_mode, "delete") != 0) {
		report("journal_mode", "must be wal or delete");
		ok = false;
	}
	/* N = 2^14 only as the low-memory setting with p >= 5 (security.md 5). */
	if (cfg.scrypt_n_log2 == 14 && cfg.scrypt_p < 5) {
		report("scrypt_n_log2", "14 needs scrypt_p >= 5");
		ok = false;
	}
	cfg.dev_headers = cfg.allow_dev_headers && cfg.env != ENV_PROD;
	cfg.expose_otp = cfg.dev_expose_otp && cfg.env != ENV_PROD;

	if (cfg.db_path == NULL)
		cfg.db_path = join(cfg.data_dir, "ltc.sqlite");
	if (cfg.storage_dir == NULL)
		cfg.storage_dir = join(cfg.data_dir, "storage");
	if (cfg.outbox_dir == NULL)
		cfg.outbox_dir = join(cfg.data_dir, "outbox");
	if (cfg.backup_dir == NULL)
		cfg.backup_dir = join(cfg.data_dir, "backups");

	clock_set_override(0);
	if (cfg.env == ENV_TEST && cfg.test_now[0] != '\0') {
		int64_t us;

		if (!ts_parse(cfg.test_now, &us)) {
			report("test_now", "not a timestamp");
			ok = false;
		} else
			clock_set_override(us);
	}

	/* Secret: env/conf secret_key, else secret_key_file (security.md 1.1). */
	if (cfg.secret_key == NULL || cfg.secret_key[0] == '\0') {
		sfree(cfg.secret_key);
		cfg.secret_key = NULL;
		if (cfg.secret_key_file != NULL && cfg.secret_key_file[0] != '\0')
			cfg.secret_key = read_secret_file(cfg.secret_key_file);
	}
	if (cfg.secret_key == NULL || strlen(cfg.secret_key) < 32) {
		report("secret_key", "secret key missing or shorter than 32 bytes");
		if (ok)
			secret_only_problem = true;
		ok = false;
	} else {
		cfg.secret_ok = true;
		crypto_set_secret((const unsigned char *)cfg.secret_key,
		    strlen(cfg.secret_key));
	}
	return ok;
}

bool
config_problem_is_secret_only(void)
{
	return secret_only_problem;
}
