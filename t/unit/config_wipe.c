/*
 * config_wipe.c: config_load() and config_free() leave no copy of the
 * secrets (secret_key, secret_key_previous, the secret file) in freed
 * heap memory or in the read buffers of the stack.
 *
 * The probe: malloc() hands back recently freed chunks of the same size
 * with their old bytes (after the allocator's own 16 bytes), and a large
 * stack array of a later call overlays the frames config_load() used. A
 * control copy freed unwiped shows that the probe sees what it should.
 * AddressSanitizer fills fresh allocations, so there the probe is moot.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "tap.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Distinct all along, so one's marker never matches another. */
#define S_KEY	"key-Kq7vN2xR9mP4wL8sT1yB6dF3hJ5gZ0cA-current-secret-of-the-test"
#define S_PREV	"prev-Wm3tQ8zX1nV6bR4yH9kD2sL7fG5pC0j-previous-secret-of-the-tst"
#define S_FILE	"file-Ey5uA2iO8pS3dF7gH1jK4lZ6xC9vB0n-secret-read-from-the-file"
#define S_CTRL	"ctrl-Rt6yU1iO3pA8sD5fG2hJ7kL4zX9cV0b-control-copy-freed-unwiped"

#ifndef UNDER_ASAN

#define PROBES	64
#define STACK_PROBE	(64 * 1024)

static unsigned char stack_copy[STACK_PROBE];

/* The part of s past the allocator's bookkeeping at the chunk start. */
static const char *
marker(const char *s)
{
	return s + 20;
}

/* Is marker(s) in a freshly malloc()ed chunk of a likely size? */
static int
in_freed_heap(const char *s)
{
	size_t sizes[] = { strlen(s) + 1, BUFSIZ, 4096, 8192 }, i, k;
	const char *m = marker(s);
	void *p[PROBES];
	int found = 0;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (k = 0; k < PROBES; k++) {
			p[k] = malloc(sizes[i]);
			if (p[k] != NULL && memmem(p[k], sizes[i], m,
			    strlen(m)) != NULL)
				found = 1;
		}
		for (k = 0; k < PROBES; k++)
			free(p[k]);
	}
	return found;
}

/*
 * Copies the stack below the caller into stack_copy: reading the array
 * uninitialised is the point.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
static void __attribute__((noinline))
grab_stack(void)
{
	volatile unsigned char a[STACK_PROBE];
	size_t i;

	for (i = 0; i < sizeof(a); i++)
		stack_copy[i] = a[i];
}
#pragma GCC diagnostic pop

static int
in_stack_copy(const char *s)
{
	return memmem(stack_copy, sizeof(stack_copy), marker(s),
	    strlen(marker(s))) != NULL;
}

/* Through write(2): a stdio buffer would leave the test's own copy. */
static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    close(fd) != 0) {
		perror(path);
		exit(1);
	}
}

static void
checks(const char *conf, const char *keyf)
{
	char text[512], *ctrl;

	/* Control: a copy freed without wiping is what the probe finds. */
	ctrl = strdup(S_CTRL);
	free(ctrl);
	ok(in_freed_heap(S_CTRL), "control: an unwiped freed copy is seen");

	/* Both secrets in the file, the key's line last (it stays in line[]). */
	snprintf(text, sizeof(text), "env = test\nsecret_key_previous = %s\n"
	    "secret_key = %s\n", S_PREV, S_KEY);
	write_file(conf, text);
	ok(config_load(NULL), "config with secret_key and secret_key_previous");
	ok(strcmp(cfg.secret_key, S_KEY) == 0 &&
	    strcmp(cfg.secret_key_previous, S_PREV) == 0, "both secrets read");
	config_free();
	grab_stack();
	ok(!in_freed_heap(S_KEY), "no secret_key copy in freed memory");
	ok(!in_freed_heap(S_PREV), "no secret_key_previous copy in freed memory");
	ok(!in_stack_copy(S_KEY) && !in_stack_copy(S_PREV),
	    "no secret in the stack the reader used");

	/* The secret from secret_key_file. */
	snprintf(text, sizeof(text), "%s\n", S_FILE);
	write_file(keyf, text);
	snprintf(text, sizeof(text), "env = test\nsecret_key_file = %s\n", keyf);
	write_file(conf, text);
	ok(config_load(NULL), "config with secret_key_file");
	ok(strcmp(cfg.secret_key, S_FILE) == 0, "the file's secret read");
	config_free();
	grab_stack();
	ok(!in_freed_heap(S_FILE), "no copy of the file's secret in freed memory");
	ok(!in_stack_copy(S_FILE), "no copy of the file's secret in the stack");
}

#endif	/* !UNDER_ASAN */

int
main(void)
{
	char dir[] = "/tmp/ltc-cfg-XXXXXX", conf[64], keyf[64];

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(conf, sizeof(conf), "%s/ltc.conf", dir);
	snprintf(keyf, sizeof(keyf), "%s/secret", dir);
	setenv("LTC_CONF", conf, 1);
#ifdef UNDER_ASAN
	ok(1, "skipped under AddressSanitizer: it fills new allocations");
#else
	checks(conf, keyf);
#endif
	unlink(conf);
	unlink(keyf);
	rmdir(dir);
	return done_testing();
}
