/* libFuzzer harness: urlencoded query/form decoding (lib/form.c). */
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
	size_t i;

	if (form_parse(&a, (const char *)data, size, 1000, &l) == FORM_OK) {
		for (i = 0; i < l.n; i++) {
			/* Decoded values are NUL-free, valid UTF-8 strings. */
			if (!utf8_valid(l.v[i].name, strlen(l.v[i].name)) ||
			    !utf8_valid(l.v[i].value, strlen(l.v[i].value)))
				__builtin_trap();
			(void)kv_get(&l, l.v[i].name);
		}
	}
	arena_free(&a);
	return 0;
}
