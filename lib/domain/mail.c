/* mail.c: see mail.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/log.h"
#include "domain/mail.h"
#include "base/util.h"

#define MAX_ARGS	32
#define POLL_US		10000

/* "=?UTF-8?B?...?=" of a UTF-8 subject (RFC 2047). */
static void
subject_header(struct buf *b, const char *subject)
{
	size_t n = strlen(subject);
	char *enc = xmalloc(4 * ((n + 2) / 3) + 1);

	b64_encode((const unsigned char *)subject, n, enc);
	buf_printf(b, "Subject: =?UTF-8?B?%s?=\n", enc);
	free(enc);
}

/* RFC 5322 date, fixed English names whatever the locale. */
static void
date_header(struct buf *b, int64_t now)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(now / US_PER_SEC);
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A header value from the configuration, kept on one line. */
static void
header_value(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, "%s: ", name);
	for (; *v != '\0'; v++)
		buf_putc(b, *v == '\r' || *v == '\n' ? ' ' : *v);
	buf_putc(b, '\n');
}

/* One address, nothing a header parser could split or extend. */
static bool
single_address(const char *to)
{
	const char *p;

	if (to == NULL || *to == '\0')
		return false;
	for (p = to; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f ||
		    strchr("(),:;<>[]\\\"", *p) != NULL)
			return false;
	return true;
}

char *
mail_compose(const char *to, const char *purpose, const char *otp,
    const char *id, int64_t now)
{
	bool reg = strcmp(purpose, "register") == 0;
	struct buf b = { 0 };
	char mid[UUID_LEN];

	if (!single_address(to)) {
		log_line("ERROR", "mail", "recipient refused");
		return NULL;
	}
	if (!uuid4(mid))
		return NULL;
	header_value(&b, "From", cfg.mail_from);
	header_value(&b, "To", to);
	/* U+2013 EN DASH, U+00E4 a-umlaut. */
	subject_header(&b, reg ?
	    "LifeTimeCircle \xe2\x80\x93 Best\xc3\xa4tigungscode" :
	    "LifeTimeCircle \xe2\x80\x93 Login-Code");
	date_header(&b, now);
	buf_printf(&b, "Message-ID: <%s@ltc>\n", mid);
	buf_puts(&b, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n");
	if (reg)
		buf_printf(&b, "Dein Best\xc3\xa4tigungscode:\n%s\n\n"
		    "Mit diesem Code best\xc3\xa4tigst du deine "
		    "E-Mail-Adresse und dein Passwort.\n"
		    "Wenn du das nicht angefordert hast: ignorieren.\n\n"
		    "Referenz: %s\n", otp, id);
	else
		buf_printf(&b, "Dein Login-Code:\n%s\n\n"
		    "Wenn du das nicht angefordert hast: ignorieren.\n\n"
		    "Referenz: %s\n", otp, id);
	return buf_take(&b);
}

/*
 * <outbox_dir>/<YYYYMMDDTHHMMSSZ>-<challenge_id>.eml, mode 0600; with dry
 * the same steps end in /dev/null.
 */
static bool
to_outbox(const char *msg, const char *id, int64_t now, bool dry)
{
	char ts[17], *path;
	bool ok;
	int fd;

	if (mkdir(cfg.outbox_dir, 0700) != 0 && errno != EEXIST)
		return false;
	ts_compact(now, ts);
	path = xasprintf("%s/%s-%s.eml", cfg.outbox_dir, ts, id);
	if (dry)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	else
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0)
		return false;
	ok = (dry || fchmod(fd, 0600) == 0) && write_all(fd, msg, strlen(msg));
	return close(fd) == 0 && ok;
}

/*
 * mail_command split on spaces into argv (no shell), the message on
 * stdin, environment PATH=/usr/bin:/bin only, stdout and stderr
 * discarded, SIGKILL after mail_timeout_seconds. Exit 0 = delivered.
 */
static bool
run_command(const char *msg)
{
	char *cmd = xstrdup(cfg.mail_command), *argv[MAX_ARGS + 1], *tok, *sp;
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	int64_t deadline;
	struct sigaction ign, old;
	int argc = 0, p[2], status = 0, devnull;
	bool ok = false, reaped = false;
	pid_t pid;

	for (tok = strtok_r(cmd, " ", &sp); tok != NULL && argc < MAX_ARGS;
	    tok = strtok_r(NULL, " ", &sp))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (argc == 0 || pipe2(p, O_CLOEXEC) != 0) {
		free(cmd);
		return false;
	}
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		free(cmd);
		return false;
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (dup2(p[0], STDIN_FILENO) < 0 || devnull < 0 ||
		    dup2(devnull, STDOUT_FILENO) < 0 ||
		    dup2(devnull, STDERR_FILENO) < 0)
			_exit(127);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(p[0]);
	/* A command that exits without reading must not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	write_all(p[1], msg, strlen(msg));
	close(p[1]);
	sigaction(SIGPIPE, &old, NULL);
	deadline = clock_real_now() + cfg.mail_timeout_seconds * US_PER_SEC;
	while (!reaped) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			reaped = true;
		else if (w < 0 && errno != EINTR)
			break;
		else if (clock_real_now() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		} else {
			struct timespec ts = { 0, POLL_US * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	ok = reaped && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	free(cmd);
	return ok;
}

bool
mail_send_code(const char *to, const char *purpose, const char *otp,
    const char *id, int64_t now)
{
	char *msg;
	bool ok;

	if ((cfg.mail_command == NULL || cfg.mail_command[0] == '\0') &&
	    cfg.env == ENV_PROD) {
		log_line("ERROR", "mail", "mail_command not configured");
		return false;
	}
	if ((msg = mail_compose(to, purpose, otp, id, now)) == NULL)
		return false;
	if (cfg.mail_command != NULL && cfg.mail_command[0] != '\0') {
		ok = run_command(msg);
		if (!ok)
			log_line("ERROR", "mail", "mail_command failed");
	} else {
		ok = to_outbox(msg, id, now, false);
		if (!ok)
			log_line("ERROR", "mail", "outbox not writable");
	}
	explicit_bzero(msg, strlen(msg));
	free(msg);
	return ok;
}

void
mail_dry_run(const char *to, const char *purpose, const char *otp,
    const char *id, int64_t now)
{
	char *msg;

	if ((msg = mail_compose(to, purpose, otp, id, now)) == NULL)
		return;
	if ((cfg.mail_command == NULL || cfg.mail_command[0] == '\0') &&
	    cfg.env != ENV_PROD)
		to_outbox(msg, id, now, true);
	explicit_bzero(msg, strlen(msg));
	free(msg);
}
