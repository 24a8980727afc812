/* tap.h: minimal TAP producer for the C unit tests. */
#ifndef LTC_TAP_H
#define LTC_TAP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

static int
ok(int cond, const char *desc)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, desc);
	if (!cond)
		tap_failed++;
	return cond;
}

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
