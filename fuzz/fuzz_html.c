/* libFuzzer harness: the HTML escaping writer (lib/html.c). */
#include <stdint.h>
#include <string.h>

#include "http/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = { 0 };
	size_t i;

	html_escn(&b, (const char *)data, size);
	/* Nothing that could open a tag or end an attribute survives. */
	for (i = 0; i < b.len; i++)
		if (b.data[i] == '<' || b.data[i] == '>' || b.data[i] == '"' ||
		    b.data[i] == '\'')
			__builtin_trap();
	buf_free(&b);
	return 0;
}
