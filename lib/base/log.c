/* log.c: see log.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"

static int log_fd = STDERR_FILENO;

void
log_open(void)
{
	int fd;

	if (cfg.log_file == NULL || cfg.log_file[0] == '\0')
		return;
	fd = open(cfg.log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		log_fd = fd;
}

void
log_write(const char *s, size_t n)
{
	/* One write() per line so concurrent CGIs never interleave. */
	(void)!write(log_fd, s, n);
}

void
log_line(const char *level, const char *area, const char *msg)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "ltc: %s %s: %s\n", level, area, msg);
	if (n > 0)
		log_write(line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
}
