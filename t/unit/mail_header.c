/*
 * mail_header.c: lib/domain/mail.c never lets one recipient become
 * several (api.md 3, security.md 6): mail_compose() refuses an address
 * with CR, LF, whitespace or any of ( ) , : ; < > [ ] \ " instead of
 * writing it into To:, where sendmail -t would read a list or a group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "domain/mail.h"
#include "tap.h"

#define CID	"0b5e2a9c-1f3d-4c6e-8a7b-9d0e1f2a3b4c"

static int
refused(const char *to)
{
	char *m = mail_compose(to, "login", "123456", CID, 0);

	free(m);
	return m == NULL;
}

int
main(void)
{
	static const char *const bad[] = {
		"postmaster,root,x:y;a@evil.test",
		"a@example.org\nBcc: victim@example.org",
		"a@example.org\r\nBcc: victim@example.org",
		"a@example.org, b@example.org",
		"Name <a@example.org>",
		"group: a@example.org;",
		"a(comment)@example.org",
		"\"a b\"@example.org",
		"a\\b@example.org",
		"a[b]@example.org",
		"a b@example.org",
		"a\tb@example.org",
		"",
		NULL,
	};
	char *m, *p, line[128];
	size_t i;

	cfg.mail_from = "LifeTimeCircle <noreply@localhost>";
	/* Each refusal logs one line; the TAP output is what counts here. */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return 1;
	for (i = 0; bad[i] != NULL; i++) {
		snprintf(line, sizeof(line), "refused: %.60s", bad[i]);
		for (p = line; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		ok(refused(bad[i]), line);
	}
	ok(refused(NULL), "refused: no address");

	m = mail_compose("o'brien+tag@example.org", "login", "123456", CID, 0);
	ok(m != NULL, "one plain address is composed");
	ok(m != NULL && strstr(m, "\nTo: o'brien+tag@example.org\n") != NULL,
	    "... into exactly one To: line");
	ok(m != NULL && strstr(m, "Referenz: " CID "\n") != NULL,
	    "... with the challenge reference");
	free(m);
	return done_testing();
}
