/*
 * docscan.h: the virus scanner contract of security.md 8.5. The command
 * line of scanner_command is split on spaces into argv (no shell, no
 * quoting, no expansion), the stored file's absolute path appended, and
 * run with fork + execve: environment PATH=/usr/bin:/bin only, stdin
 * /dev/null, stdout and stderr discarded, SIGKILL (to its whole process
 * group) after the timeout.
 */
#ifndef LTC_DOCSCAN_H
#define LTC_DOCSCAN_H

#include <stdbool.h>
#include <stdint.h>

enum docscan_result {
	DOCSCAN_CLEAN,		/* exit 0 */
	DOCSCAN_INFECTED,	/* exit 1 */
	DOCSCAN_FAILED,		/* any other exit, a signal, timeout, no start */
};

/* Is a scanner configured (a non-blank scanner_command)? */
bool	 docscan_configured(void);
/* Runs cfg.scanner_command on path within cfg.scanner_timeout_seconds. */
enum docscan_result docscan_run(const char *path);
/* The same with an explicit command line and timeout (tests, ltcctl). */
enum docscan_result docscan_run_with(const char *command, int64_t timeout_s,
	    const char *path);

#endif
