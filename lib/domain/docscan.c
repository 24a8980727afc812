/* docscan.c: see docscan.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "domain/docscan.h"

#define MAX_ARGS	32
#define POLL_US		10000

bool
docscan_configured(void)
{
	const char *s = cfg.scanner_command;

	while (s != NULL && *s == ' ')
		s++;
	return s != NULL && *s != '\0';
}

enum docscan_result
docscan_run(const char *path)
{
	return docscan_run_with(cfg.scanner_command, cfg.scanner_timeout_seconds,
	    path);
}

/* The child: never returns. Only async-signal-safe calls after fork. */
static void
child(char *const argv[])
{
	static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	sigset_t none;
	int in, out;

	/* Its own process group, so the timeout reaches what it spawns. */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	in = open("/dev/null", O_RDONLY);
	out = open("/dev/null", O_WRONLY);
	if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	execve(argv[0], argv, envp);
	_exit(127);
}

enum docscan_result
docscan_run_with(const char *command, int64_t timeout_s, const char *path)
{
	char *cmd, *argv[MAX_ARGS + 2], *tok, *sp;
	enum docscan_result res = DOCSCAN_FAILED;
	int argc = 0, status = 0;
	int64_t deadline;
	pid_t pid, w;

	if (command == NULL || path == NULL)
		return DOCSCAN_FAILED;
	cmd = xstrdup(command);
	for (tok = strtok_r(cmd, " ", &sp); tok != NULL; tok = strtok_r(NULL,
	    " ", &sp)) {
		if (argc == MAX_ARGS) {
			free(cmd);
			return DOCSCAN_FAILED;
		}
		argv[argc++] = tok;
	}
	/* execve does not search PATH: a relative program never starts. */
	if (argc == 0 || argv[0][0] != '/') {
		free(cmd);
		return DOCSCAN_FAILED;
	}
	argv[argc++] = (char *)path;
	argv[argc] = NULL;
	if ((pid = fork()) < 0) {
		free(cmd);
		return DOCSCAN_FAILED;
	}
	if (pid == 0)
		child(argv);
	/* Also from here, so the group exists before a timeout kill. */
	setpgid(pid, pid);
	deadline = clock_real_now() + timeout_s * US_PER_SEC;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		if (clock_real_now() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		nanosleep(&(struct timespec){ 0, POLL_US * 1000 }, NULL);
	}
	if (status != -1 && WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 0)
			res = DOCSCAN_CLEAN;
		else if (WEXITSTATUS(status) == 1)
			res = DOCSCAN_INFECTED;
	}
	free(cmd);
	return res;
}
