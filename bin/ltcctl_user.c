/*
 * ltcctl user ... and bootstrap-superadmin (ops.md 7, domain.md 1.1,
 * 1.5). Accounts are named by user id or by e-mail address (anything
 * containing '@'); addresses are only ever printed masked. Audit rows
 * are actor system with request_id "cli".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/role.h"
#include "domain/account.h"
#include "domain/email.h"
#include "domain/password.h"
#include "ltcctl.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/session.h"
#include "store/user.h"

static json_t *
role_meta(const char *role)
{
	json_t *m = json_object();

	json_object_set_new(m, "role", json_string(role));
	return m;
}

static bool
cli_audit(struct db *db, const char *action, const char *user_id, json_t *meta)
{
	return audit_cli(db, &(struct audit_ev){ .action = action,
	    .target_type = "USER", .target_id = user_id, .meta = meta });
}

/* The stores' context of one command: now, an arena, the database. */
static void
ctx_begin(struct ctx *cx)
{
	memset(cx, 0, sizeof(*cx));
	cx->now = clock_now();
	snprintf(cx->rid, sizeof(cx->rid), "cli");
}

static void
ctx_end(struct ctx *cx)
{
	db_close(cx->db);
	cx->db = NULL;
	arena_free(&cx->arena);
}

/*
 * Normalised, plausible address of an argument (the /auth/request rule),
 * or NULL with a message. Arena string.
 */
static const char *
email_arg(struct ctx *cx, const char *arg)
{
	const char *e = email_accept(&cx->arena, arg);

	if (e == NULL)
		fprintf(stderr, "ltcctl: not a valid e-mail address\n");
	return e;
}

static bool
role_arg(const char *role)
{
	if (role_assignable(role))
		return true;
	fprintf(stderr, "ltcctl: unknown role\n");
	return false;
}

/* Looks the account up by id or address: 1 found, 0 not, -1 error. */
static int
find_user(struct ctx *cx, const char *arg, struct user *u)
{
	char h[B64URL_HMAC_LEN];
	const char *e;
	int rc;

	if (strchr(arg, '@') == NULL)
		rc = user_find_by_id(cx, arg, u);
	else {
		if ((e = email_arg(cx, arg)) == NULL)
			return 0;
		email_hmac(e, h);
		rc = user_find_by_hmac(cx, h, u);
	}
	if (rc < 0)
		fprintf(stderr, "ltcctl: database error\n");
	else if (rc == 0)
		fprintf(stderr, "ltcctl: no such account\n");
	return rc;
}

static void
rollback_msg(struct db *db)
{
	db_rollback(db);
	fprintf(stderr, "ltcctl: database error\n");
}

/*
 * One line from stdin, the trailing newline (and a CR before it)
 * stripped; NULL with a message if absent or not 10..1024 bytes.
 * Caller wipes and frees.
 */
static char *
read_password(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	n = getline(&line, &cap, stdin);
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	if (n < PW_MIN || n > PW_MAX || (size_t)n != strlen(line)) {
		fprintf(stderr, "ltcctl: the password must be one line of "
		    "%d..%d bytes\n", PW_MIN, PW_MAX);
		if (line != NULL)
			explicit_bzero(line, cap);
		free(line);
		return NULL;
	}
	return line;
}

static int
user_add(int argc, char **argv)
{
	const char *role = role_name(ROLE_USER), *email;
	char *pw = NULL, hash[PW_MCF_LEN] = "", id[UUID_LEN];
	char h[B64URL_HMAC_LEN];
	bool with_pw = false;
	struct user u;
	enum pw_result pr;
	struct ctx cx;
	int i, rc = EX_FAIL, found;

	if (argc < 2)
		goto usage;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strcmp(argv[i], "--password-stdin") == 0)
			with_pw = true;
		else
			goto usage;
	}
	if (!role_arg(role))
		return EX_USAGE;
	ctx_begin(&cx);
	if ((email = email_arg(&cx, argv[1])) == NULL) {
		ctx_end(&cx);
		return EX_USAGE;
	}
	if (with_pw && (pw = read_password()) == NULL) {
		ctx_end(&cx);
		return EX_USAGE;
	}
	if ((cx.db = ctl_db(0)) == NULL)
		goto out;
	email_hmac(email, h);
	if ((found = user_find_by_hmac(&cx, h, &u)) != 0) {
		fprintf(stderr, found > 0 ? "ltcctl: an account with this "
		    "address exists\n" : "ltcctl: database error\n");
		goto out;
	}
	if (pw != NULL && (pr = password_hash(pw, hash)) != PW_OK) {
		fprintf(stderr, pr == PW_BUSY ? "ltcctl: busy, try again\n" :
		    "ltcctl: hashing failed\n");
		goto out;
	}
	if (db_begin(cx.db) != DB_OK) {
		fprintf(stderr, "ltcctl: database busy\n");
		goto out;
	}
	if (!account_create(&cx, email, role, pw != NULL ? hash : NULL, id) ||
	    !cli_audit(cx.db, "USER_CREATED_CLI", id, role_meta(role)) ||
	    (pw != NULL && !cli_audit(cx.db, "PASSWORD_SET", id,
	    json_pack("{s:s}", "via", "cli"))) ||
	    db_commit(cx.db) != DB_OK) {
		rollback_msg(cx.db);
		goto out;
	}
	printf("%s\n", id);
	rc = EX_OK;
out:
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(&u, sizeof(u));
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	ctx_end(&cx);
	return rc;
usage:
	fprintf(stderr, "usage: ltcctl user add <email> [--role ROLE] "
	    "[--password-stdin]\n");
	return EX_USAGE;
}

/*
 * Refuses (1, message printed) when the change takes the last active
 * superadmin out; -1 on db error; 0 to go on.
 */
static int
last_superadmin(struct db *db, const char *user_id, const char *what)
{
	int last = user_is_last_superadmin(db, user_id);

	if (last > 0)
		fprintf(stderr, "ltcctl: refusing to %s the last superadmin\n",
		    what);
	else if (last < 0)
		fprintf(stderr, "ltcctl: database error\n");
	return last;
}

static int
user_role(int argc, char **argv)
{
	struct user u;
	struct ctx cx;
	int rc = EX_FAIL;

	if (argc != 3) {
		fprintf(stderr, "usage: ltcctl user role <user_id|email> "
		    "<ROLE>\n");
		return EX_USAGE;
	}
	if (!role_arg(argv[2]))
		return EX_USAGE;
	ctx_begin(&cx);
	if ((cx.db = ctl_db(0)) == NULL)
		goto out;
	if (db_begin(cx.db) != DB_OK) {
		fprintf(stderr, "ltcctl: database busy\n");
		goto out;
	}
	if (find_user(&cx, argv[1], &u) != 1)
		goto out;
	if (role_parse(argv[2]) != ROLE_SUPERADMIN &&
	    last_superadmin(cx.db, u.user_id, "remove") != 0)
		goto out;
	if (!user_set_role(&cx, u.user_id, argv[2]) ||
	    !cli_audit(cx.db, "USER_ROLE_SET_CLI", u.user_id,
	    role_meta(argv[2])) || db_commit(cx.db) != DB_OK) {
		rollback_msg(cx.db);
		goto out;
	}
	printf("%s role %s\n", u.user_id, argv[2]);
	rc = EX_OK;
out:
	db_rollback(cx.db);
	explicit_bzero(&u, sizeof(u));
	ctx_end(&cx);
	return rc;
}

static int
user_status(int argc, char **argv, bool disable)
{
	struct user u;
	struct ctx cx;
	int rc = EX_FAIL;

	if (argc != 2) {
		fprintf(stderr, "usage: ltcctl user %s <user_id|email>\n",
		    disable ? "disable" : "enable");
		return EX_USAGE;
	}
	ctx_begin(&cx);
	if ((cx.db = ctl_db(0)) == NULL)
		goto out;
	if (db_begin(cx.db) != DB_OK) {
		fprintf(stderr, "ltcctl: database busy\n");
		goto out;
	}
	if (find_user(&cx, argv[1], &u) != 1)
		goto out;
	/* Disabling the last active superadmin would leave none. */
	if (disable && last_superadmin(cx.db, u.user_id, "disable") != 0)
		goto out;
	if (!user_set_status(&cx, u.user_id, disable ? "disabled" : "active") ||
	    (disable && !session_revoke_user(&cx, u.user_id, "disabled",
	    NULL)) ||
	    !cli_audit(cx.db, disable ? "USER_DISABLED" : "USER_ENABLED",
	    u.user_id, role_meta(u.role)) || db_commit(cx.db) != DB_OK) {
		rollback_msg(cx.db);
		goto out;
	}
	printf("%s %s\n", u.user_id, disable ? "disabled" : "active");
	rc = EX_OK;
out:
	db_rollback(cx.db);
	explicit_bzero(&u, sizeof(u));
	ctx_end(&cx);
	return rc;
}

static void
show_ts(const char *label, const char *ts)
{
	char api[TS_API_LEN];

	printf("%-20s %s\n", label, ts != NULL && ts_to_api(ts, api) ? api :
	    "-");
}

static int
user_show(int argc, char **argv)
{
	int64_t sessions = 0, vehicles = 0;
	char *plain = NULL, *masked;
	struct user u;
	struct ctx cx;
	int rc = EX_FAIL;

	if (argc != 2) {
		fprintf(stderr, "usage: ltcctl user show <user_id|email>\n");
		return EX_USAGE;
	}
	ctx_begin(&cx);
	if ((cx.db = ctl_db(0)) == NULL)
		goto out;
	if (find_user(&cx, argv[1], &u) != 1)
		goto out;
	if (!user_counts(&cx, u.user_id, &sessions, &vehicles)) {
		fprintf(stderr, "ltcctl: database error\n");
		goto out;
	}
	if (u.email_enc != NULL) {
		size_t plen = 0;
		const unsigned char *prev = NULL;

		if (cfg.secret_key_previous != NULL &&
		    cfg.secret_key_previous[0] != '\0') {
			prev = (const unsigned char *)cfg.secret_key_previous;
			plen = strlen(cfg.secret_key_previous);
		}
		plain = email_decrypt(u.email_enc, u.email_key_id,
		    email_aad(&cx.arena, u.user_id), prev, plen);
	}
	masked = plain != NULL ? ctl_mask_email(plain) :
	    xstrdup("(unreadable)");
	printf("%-20s %s\n", "user_id", u.user_id);
	printf("%-20s %s\n", "email", masked);
	printf("%-20s %s\n", "role", u.role);
	printf("%-20s %s\n", "status", u.status);
	show_ts("created_at", u.created_at);
	show_ts("updated_at", u.updated_at);
	show_ts("email_verified_at", u.email_verified_at);
	printf("%-20s %s\n", "password", u.has_password ? "set" : "not set");
	show_ts("password_changed_at", u.password_changed_at);
	show_ts("disabled_at", u.disabled_at);
	printf("%-20s %lld\n", "sessions", (long long)sessions);
	printf("%-20s %lld\n", "vehicles", (long long)vehicles);
	free(masked);
	rc = EX_OK;
out:
	if (plain != NULL) {
		explicit_bzero(plain, strlen(plain));
		free(plain);
	}
	explicit_bzero(&u, sizeof(u));
	ctx_end(&cx);
	return rc;
}

static int
user_revoke(int argc, char **argv)
{
	struct user u;
	struct ctx cx;
	int64_t n;
	int rc = EX_FAIL;

	if (argc != 2) {
		fprintf(stderr, "usage: ltcctl user revoke-sessions "
		    "<user_id|email>\n");
		return EX_USAGE;
	}
	ctx_begin(&cx);
	if ((cx.db = ctl_db(0)) == NULL)
		goto out;
	if (db_begin(cx.db) != DB_OK) {
		fprintf(stderr, "ltcctl: database busy\n");
		goto out;
	}
	if (find_user(&cx, argv[1], &u) != 1)
		goto out;
	if (!session_revoke_user(&cx, u.user_id, "admin", NULL)) {
		rollback_msg(cx.db);
		goto out;
	}
	n = db_changes(cx.db);
	if (!audit_cli(cx.db, &(struct audit_ev){ .action = "SESSION_REVOKED",
	    .target_type = "USER", .target_id = u.user_id,
	    .meta = json_pack("{s:s,s:I}", "revoke_reason", "admin",
	    "sessions", (json_int_t)n) }) || db_commit(cx.db) != DB_OK) {
		rollback_msg(cx.db);
		goto out;
	}
	printf("%s sessions revoked: %lld\n", u.user_id, (long long)n);
	rc = EX_OK;
out:
	db_rollback(cx.db);
	explicit_bzero(&u, sizeof(u));
	ctx_end(&cx);
	return rc;
}

int
cmd_user(int argc, char **argv)
{
	if (argc >= 2) {
		if (strcmp(argv[1], "add") == 0)
			return user_add(argc - 1, argv + 1);
		if (strcmp(argv[1], "role") == 0)
			return user_role(argc - 1, argv + 1);
		if (strcmp(argv[1], "disable") == 0)
			return user_status(argc - 1, argv + 1, true);
		if (strcmp(argv[1], "enable") == 0)
			return user_status(argc - 1, argv + 1, false);
		if (strcmp(argv[1], "show") == 0)
			return user_show(argc - 1, argv + 1);
		if (strcmp(argv[1], "revoke-sessions") == 0)
			return user_revoke(argc - 1, argv + 1);
	}
	fprintf(stderr, "usage: ltcctl user add|role|disable|enable|show|"
	    "revoke-sessions ...\n");
	return EX_USAGE;
}

int
cmd_bootstrap_superadmin(int argc, char **argv)
{
	char h[B64URL_HMAC_LEN], id[UUID_LEN];
	const char *email, *sa = role_name(ROLE_SUPERADMIN);
	struct user u;
	struct ctx cx;
	int64_t n;
	int rc = EX_FAIL, found;
	bool created = false;

	if (argc != 2) {
		fprintf(stderr, "usage: ltcctl bootstrap-superadmin <email>\n");
		return EX_USAGE;
	}
	ctx_begin(&cx);
	if ((email = email_arg(&cx, argv[1])) == NULL) {
		ctx_end(&cx);
		return EX_USAGE;
	}
	memset(&u, 0, sizeof(u));
	if ((cx.db = ctl_db(0)) == NULL)
		goto out;
	email_hmac(email, h);
	if (db_begin(cx.db) != DB_OK) {
		fprintf(stderr, "ltcctl: database busy\n");
		goto out;
	}
	if ((n = user_count_active_superadmins(cx.db)) != 0) {
		fprintf(stderr, n > 0 ? "ltcctl: a superadmin already "
		    "exists\n" : "ltcctl: database error\n");
		goto out;
	}
	if ((found = user_find_by_hmac(&cx, h, &u)) < 0) {
		rollback_msg(cx.db);
		goto out;
	}
	if (found) {
		snprintf(id, sizeof(id), "%s", u.user_id);
		if (!user_active(&u)) {
			fprintf(stderr, "ltcctl: the account is disabled\n");
			goto out;
		}
	} else {
		if (!account_create(&cx, email, sa, NULL, id) ||
		    !cli_audit(cx.db, "USER_CREATED_CLI", id, role_meta(sa))) {
			rollback_msg(cx.db);
			goto out;
		}
		created = true;
	}
	if ((!created && !user_set_role(&cx, id, sa)) ||
	    !cli_audit(cx.db, "BOOTSTRAP_SUPERADMIN", id, NULL) ||
	    db_commit(cx.db) != DB_OK) {
		rollback_msg(cx.db);
		goto out;
	}
	printf("%s\n", id);
	rc = EX_OK;
out:
	db_rollback(cx.db);
	explicit_bzero(&u, sizeof(u));
	ctx_end(&cx);
	return rc;
}
