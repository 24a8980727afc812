/*
 * ltcctl: the operator's command line (ops.md 7). It reads the same
 * configuration as the CGIs and never prints secrets, tokens or plain
 * e-mail addresses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "ltcctl.h"
#include "store/migrate.h"
#include "store/audit.h"

static int	 cmd_help(int, char **);
static int	 cmd_version(int, char **);
static int	 cmd_check_config(int, char **);
static int	 cmd_gen_secret(int, char **);

static const struct command {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} commands[] = {
	{ "help", cmd_help, "help                          this text" },
	{ "--help", cmd_help, NULL },
	{ "version", cmd_version, "version                       product and schema versions" },
	{ "check-config", cmd_check_config, "check-config                  validate the configuration" },
	{ "gen-secret", cmd_gen_secret, "gen-secret                    print a new 64-hex-char secret" },
	{ "init", cmd_init, "init                          create data dir and database, migrate" },
	{ "migrate", cmd_migrate, "migrate [--no-backup]         back up, then apply pending migrations" },
	{ "backup", cmd_backup, "backup [--dest DIR]           online backup of database and documents" },
	{ "restore", cmd_restore, "restore BACKUP_DIR --yes      restore a backup (see ltcctl(8))" },
	{ "purge", cmd_purge, "purge [--dry-run]             retention: expired rows, due documents, temp files" },
	{ "verify", cmd_verify, "verify                        integrity, files, permissions, config" },
	{ "maintenance", cmd_maintenance, "maintenance on|off|status     maintenance flag" },
	{ "user", cmd_user, "user add EMAIL [--role ROLE] [--password-stdin]\n"
	  "                                create a verified, active account; prints its id\n"
	  "  user role ID|EMAIL ROLE       set the role (never removes the last superadmin)\n"
	  "  user disable|enable ID|EMAIL  set the status (disable revokes all sessions)\n"
	  "  user show ID|EMAIL            account summary, address masked\n"
	  "  user revoke-sessions ID|EMAIL revoke all sessions" },
	{ "bootstrap-superadmin", cmd_bootstrap_superadmin, "bootstrap-superadmin EMAIL    first superadmin (only while none exists)" },
	{ "export-decrypt", cmd_export_decrypt, "export-decrypt [FILE]         print the plaintext of a full export (stdin without FILE)" },
};

static int
cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("usage: ltcctl <command> [args]\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].usage != NULL)
			printf("  %s\n", commands[i].usage);
	printf("\nexit: 0 ok, 1 failed, 2 usage/configuration, 3 verify findings\n");
	return EX_OK;
}

static void
print_problem(const char *key, const char *msg)
{
	if (strcmp(key, "secret_key") == 0)
		fprintf(stderr, "ltc: FATAL config: secret key missing or "
		    "shorter than 32 bytes\n");
	else
		fprintf(stderr, "config: %s: %s\n", key, msg);
}

int
ctl_config(void)
{
	return config_load(print_problem);
}

struct db *
ctl_db(int create)
{
	struct db *db;

	if (db_open(cfg.db_path, create != 0, &db) != DB_OK) {
		fprintf(stderr, "ltcctl: cannot open the database\n");
		return NULL;
	}
	return db;
}

char *
ctl_mask_email(const char *e)
{
	const char *at = strchr(e, '@');

	if (at == NULL || at == e)
		return xstrdup("***");
	return xasprintf("%c***%s", e[0], at);
}

static int
cmd_version(int argc, char **argv)
{
	struct db *db;

	(void)argc;
	(void)argv;
	printf("ltc %s\nschema %d (expected by this binary)\n", LTC_VERSION,
	    LTC_SCHEMA_VERSION);
	config_load(NULL);
	if (cfg.db_path != NULL &&
	    db_open(cfg.db_path, false, &db) == DB_OK) {
		int v = db_user_version(db);

		if (v >= 0)
			printf("database user_version %d\n", v);
		db_close(db);
	}
	return EX_OK;
}

static void
report_line(const char *key, const char *msg)
{
	(void)msg;
	printf("problem: %s\n", key);
}

static int
cmd_check_config(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!config_load(report_line))
		return EX_USAGE;
	printf("ok\n");
	return EX_OK;
}

static int
cmd_gen_secret(int argc, char **argv)
{
	unsigned char b[32];
	char hex[65];

	(void)argc;
	(void)argv;
	if (!random_bytes(b, sizeof(b))) {
		fprintf(stderr, "ltcctl: CSPRNG failed\n");
		return EX_FAIL;
	}
	hex_encode(b, sizeof(b), hex);
	explicit_bzero(b, sizeof(b));
	printf("%s\n", hex);
	explicit_bzero(hex, sizeof(hex));
	return EX_OK;
}

static int
mkdir_mode(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0 && errno != EEXIST) {
		fprintf(stderr, "ltcctl: cannot create a data directory\n");
		return -1;
	}
	return chmod(path, mode);
}

int
cmd_init(int argc, char **argv)
{
	const char *sub[] = { "storage", "storage/documents", "storage/tmp",
	    "outbox", "backups", "locks", NULL };
	int from, to, i, ok;
	struct db *db;
	char *p, mode[32];

	(void)argc;
	(void)argv;
	if (mkdir_mode(cfg.data_dir, 0700) != 0)
		return EX_FAIL;
	for (i = 0; sub[i] != NULL; i++) {
		p = xasprintf("%s/%s", cfg.data_dir, sub[i]);
		ok = mkdir_mode(p, 0700);
		free(p);
		if (ok != 0)
			return EX_FAIL;
	}
	/* storage_dir, outbox_dir, backup_dir may live elsewhere. */
	mkdir_mode(cfg.storage_dir, 0700);
	p = xasprintf("%s/documents", cfg.storage_dir);
	mkdir_mode(p, 0700);
	free(p);
	p = xasprintf("%s/tmp", cfg.storage_dir);
	mkdir_mode(p, 0700);
	free(p);
	mkdir_mode(cfg.outbox_dir, 0700);
	mkdir_mode(cfg.backup_dir, 0700);

	db = ctl_db(1);
	if (db == NULL)
		return EX_FAIL;
	chmod(cfg.db_path, 0600);
	if (db_pragma(db, "journal_mode", strcmp(cfg.journal_mode, "wal") == 0 ?
	    "WAL" : "DELETE", mode, sizeof(mode)) != DB_OK)
		fprintf(stderr, "ltcctl: WARN journal mode could not be set\n");
	else if (strcmp(cfg.journal_mode, "wal") == 0 &&
	    strcmp(mode, "wal") != 0)
		fprintf(stderr, "ltcctl: WARN WAL is not available on "
		    "this filesystem; set journal_mode = delete\n");
	if (migrate_apply(db, migrations, nmigrations, &from, &to) != 0) {
		db_close(db);
		return EX_FAIL;
	}
	db_close(db);
	printf("initialised: schema %d -> %d\n", from, to);
	return EX_OK;
}

int
cmd_migrate(int argc, char **argv)
{
	int from, to, no_backup = 0, i;
	struct db *db;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-backup") == 0)
			no_backup = 1;
		else {
			fprintf(stderr, "usage: ltcctl migrate [--no-backup]\n");
			return EX_USAGE;
		}
	}
	db = ctl_db(1);
	if (db == NULL)
		return EX_FAIL;
	if (!no_backup && db_user_version(db) > 0) {
		char made[4096];

		if (ctl_backup_to(db, NULL, made, sizeof(made)) != 0) {
			db_close(db);
			fprintf(stderr, "ltcctl: backup before migrate failed\n");
			return EX_FAIL;
		}
		printf("backup: %s\n", made);
	}
	if (migrate_apply(db, migrations, nmigrations, &from, &to) != 0) {
		db_close(db);
		return EX_FAIL;
	}
	db_close(db);
	printf("schema %d -> %d\n", from, to);
	return EX_OK;
}

int
cmd_maintenance(int argc, char **argv)
{
	char *flag = xasprintf("%s/maintenance", cfg.data_dir);
	struct stat sb;
	int rc = EX_OK;
	struct db *db;

	if (argc != 2) {
		free(flag);
		fprintf(stderr, "usage: ltcctl maintenance on|off|status\n");
		return EX_USAGE;
	}
	if (strcmp(argv[1], "status") == 0)
		printf("%s\n", stat(flag, &sb) == 0 ? "on" : "off");
	else if (strcmp(argv[1], "on") == 0 || strcmp(argv[1], "off") == 0) {
		int on = strcmp(argv[1], "on") == 0;

		if (on) {
			FILE *f = fopen(flag, "w");

			if (f == NULL)
				rc = EX_FAIL;
			else
				fclose(f);
		} else if (unlink(flag) != 0 && errno != ENOENT)
			rc = EX_FAIL;
		if (rc == EX_OK && (db = ctl_db(0)) != NULL) {
			json_t *m = json_object();

			json_object_set_new(m, "on", json_boolean(on));
			audit_cli(db, &(struct audit_ev){ .action = "MAINTENANCE_SET",
			    .target_type = "SYSTEM_CONFIG", .meta = m });
			db_close(db);
		}
		if (rc == EX_OK)
			printf("maintenance %s\n", argv[1]);
	} else
		rc = EX_USAGE;
	free(flag);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cmd_help(argc, argv), EX_USAGE;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *n = commands[i].name;
		int rc;

		if (strcmp(argv[1], n) != 0)
			continue;
		/* These work without (a valid) configuration. */
		if (strcmp(n, "help") == 0 || strcmp(n, "--help") == 0 ||
		    strcmp(n, "version") == 0 || strcmp(n, "gen-secret") == 0 ||
		    strcmp(n, "check-config") == 0)
			return commands[i].fn(argc - 1, argv + 1);
		if (!ctl_config())
			return EX_USAGE;
		rc = commands[i].fn(argc - 1, argv + 1);
		config_free();
		return rc;
	}
	fprintf(stderr, "ltcctl: unknown command (see ltcctl help)\n");
	return EX_USAGE;
}
