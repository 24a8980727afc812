/* libFuzzer harness: Cookie header parsing (lib/form.c cookie_parse). */
#include <stdint.h>
#include <string.h>

#include "http/form.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = { 0 };
	struct kvlist l;
	char *s = xstrndup((const char *)data, size);

	cookie_parse(&a, s, &l);
	if (l.n > 64)
		__builtin_trap();
	(void)kv_get(&l, "ltc_session");
	free(s);
	arena_free(&a);
	return 0;
}
