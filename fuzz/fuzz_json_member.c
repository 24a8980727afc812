/*
 * libFuzzer harness: json_raw_member, the scanner that finds a member's
 * raw text in a request body (the exact cost_amount of an entry). Any
 * input: no read outside the bytes given. A body jansson accepts the way
 * the request parser does: every top-level ASCII key is found, and its
 * raw text is that member's value; an absent key is not found.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
ascii_key(const char *k)
{
	for (; *k != '\0'; k++)
		if (*k < 0x20 || *k > 0x7e)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *v, *k;
	json_t *root, *val, *raw;
	json_error_t err;
	size_t n;
	bool found;

	found = json_raw_member(s, size, "cost_amount", &v, &n);
	if (found && (v < s || v + n > s + size))
		__builtin_trap();
	root = json_loadb(s, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    &err);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return 0;
	}
	if (found != (json_object_get(root, "cost_amount") != NULL))
		__builtin_trap();
	json_object_foreach(root, k, val) {
		if (!ascii_key(k))
			continue;
		if (!json_raw_member(s, size, k, &v, &n))
			__builtin_trap();
		raw = json_loadb(v, n, JSON_DECODE_ANY, &err);
		if (raw == NULL || !json_equal(raw, val))
			__builtin_trap();
		json_decref(raw);
	}
	json_decref(root);
	return 0;
}
