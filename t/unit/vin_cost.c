/*
 * Unit tests of the VIN normaliser (domain.md 3.1), the exact cost parser
 * and the raw JSON member finder behind cost_amount (api.md 5.10), and
 * the cost_amount output form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/crypto.h"
#include "domain/cost.h"
#include "store/entry.h"
#include "domain/vin.h"
#include "tap.h"

static void
test_vin(void)
{
	static const struct { const char *in, *out; } good[] = {
		{ "WVWZZZ1JZ3W386752", "WVWZZZ1JZ3W386752" },
		{ "  wvw zzz1jz3w 386752\t", "WVWZZZ1JZ3W386752" },
		{ "abcdefghjkl", "ABCDEFGHJKL" },		/* 11: minimum */
		{ "W V W Z Z Z 1 J Z 3 W 3 8 6 7 5 2", "WVWZZZ1JZ3W386752" },
		{ "\n12345678901234567\r\n", "12345678901234567" },
	};
	static const char *const bad[] = {
		"", "   ", "ABCDEFGHJK",			/* 10 */
		"123456789012345678",			/* 18 */
		"WVWZZZ1JZ3W38675I", "WVWZZZ1JZ3W38675O", "WVWZZZ1JZ3W38675Q",
		"wvwzzz1jz3w38675i", "WVW-ZZZ1JZ3W38675", "WVWZZZ1J\tZ3W38675",
		"WVWZZZ\xc3\xa4" "1JZ3W386", "WVWZZZ1JZ3W3867\n2",
		"W V W Z Z Z 1 J Z 3 W 3 8 6 7 5 2 1",
	};
	struct vin_parts p;
	char out[VIN_BUF], msg[96];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(msg, sizeof(msg), "vin: good #%zu normalises", i);
		ok(vin_normalise(good[i].in, out) &&
		    strcmp(out, good[i].out) == 0, msg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 'X', sizeof(out));
		snprintf(msg, sizeof(msg), "vin: bad #%zu refused and wiped", i);
		ok(!vin_normalise(bad[i], out) && out[0] == '\0' &&
		    out[VIN_MAX] == '\0', msg);
	}
	crypto_set_secret((const unsigned char *)
	    "0123456789abcdef0123456789abcdef", 32);
	vin_split("WVWZZZ1JZ3W386752", &p);
	ok(strcmp(p.prefix3, "WVW") == 0 && strcmp(p.last4, "6752") == 0,
	    "vin: prefix3 and last4");
	ok(strlen(p.hmac) == 64 && strspn(p.hmac, "0123456789abcdef") == 64,
	    "vin: HMAC is 64 lowercase hex");
	/* Same normalised VIN, same HMAC; a different one differs. */
	{
		struct vin_parts q;

		vin_split("WVWZZZ1JZ3W386752", &q);
		ok(strcmp(p.hmac, q.hmac) == 0, "vin: HMAC is stable");
		vin_split("WVWZZZ1JZ3W386753", &q);
		ok(strcmp(p.hmac, q.hmac) != 0, "vin: HMAC depends on the VIN");
	}
}

static void
test_cost(void)
{
	static const struct { const char *s; int64_t cents; } good[] = {
		{ "0", 0 }, { "-0", 0 }, { "0.0", 0 }, { "150", 15000 },
		{ "120.5", 12050 }, { "120.50", 12050 }, { "120.500", 12050 },
		{ "0.99", 99 }, { "0.29", 29 }, { "1.15", 115 }, { "0.01", 1 },
		{ "0.1", 10 }, { "007", 700 }, { "1e2", 10000 }, { "1E+2", 10000 },
		{ "12345e-2", 12345 }, { "0.5e1", 500 }, { "9999999999.99",
		  COST_MAX_CENTS }, { "9999999999.990000", COST_MAX_CENTS },
		{ "0.000e5", 0 }, { "1234567.89", 123456789 },
	};
	static const struct { const char *s; enum cost_status st; } bad[] = {
		{ "", COST_SYNTAX }, { "-", COST_SYNTAX }, { ".5", COST_SYNTAX },
		{ "5.", COST_SYNTAX }, { "1e", COST_SYNTAX }, { "1e+", COST_SYNTAX },
		{ "1.2.3", COST_SYNTAX }, { "1,5", COST_SYNTAX }, { " 1", COST_SYNTAX },
		{ "1 ", COST_SYNTAX }, { "abc", COST_SYNTAX }, { "+1", COST_SYNTAX },
		{ "1.005", COST_DECIMALS }, { "0.001", COST_DECIMALS },
		{ "1e-3", COST_DECIMALS }, { "0.30000000000000004", COST_DECIMALS },
		{ "-0.001", COST_DECIMALS }, { "-1", COST_NEGATIVE },
		{ "-0.5", COST_NEGATIVE }, { "10000000000", COST_TOO_LARGE },
		{ "10000000000.00", COST_TOO_LARGE }, { "1e11", COST_TOO_LARGE },
		{ "9999999999.991", COST_DECIMALS },
		{ "99999999999999999999999999999999999999", COST_TOO_LARGE },
		{ "1e999999999999", COST_TOO_LARGE },
		{ "1e-999999999999", COST_DECIMALS },
	};
	char msg[96];
	int64_t c;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		c = -1;
		snprintf(msg, sizeof(msg), "cost: %s is %lld cents", good[i].s,
		    (long long)good[i].cents);
		ok(cost_parse(good[i].s, strlen(good[i].s), &c) == COST_OK &&
		    c == good[i].cents, msg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(msg, sizeof(msg), "cost: \"%s\" refused (%d)", bad[i].s,
		    (int)bad[i].st);
		ok(cost_parse(bad[i].s, strlen(bad[i].s), &c) == bad[i].st, msg);
	}
	/* Only the n bytes given are read. */
	ok(cost_parse("12.345", 4, &c) == COST_OK && c == 1230,
	    "cost: length-bounded");
}

static void
test_raw_member(void)
{
	const char *v;
	size_t n;
	const char *j1 = "{\"a\":1, \"cost_amount\" : 0.07 }";
	const char *j2 = "{\"s\":\"x\\\"cost_amount\\\":9\",\"o\":{\"cost_amount\":"
	    "[1,{\"cost_amount\":2}]},\"cost\\u005famount\":12.5}";
	const char *j3 = "{\"cost_amount\":\"1.50\",\"b\":true}";
	const char *j4 = "{\"x\":[\"]\",\"}\"],\"cost_amount\":-3}";

	ok(json_raw_member(j1, strlen(j1), "cost_amount", &v, &n) &&
	    n == 4 && strncmp(v, "0.07", 4) == 0, "raw: spaces around");
	ok(json_raw_member(j2, strlen(j2), "cost_amount", &v, &n) &&
	    n == 4 && strncmp(v, "12.5", 4) == 0,
	    "raw: escaped key; decoys in strings and nested values skipped");
	ok(json_raw_member(j3, strlen(j3), "cost_amount", &v, &n) &&
	    n == 6 && strncmp(v, "\"1.50\"", 6) == 0, "raw: string value");
	ok(json_raw_member(j4, strlen(j4), "cost_amount", &v, &n) &&
	    n == 2 && strncmp(v, "-3", 2) == 0, "raw: brackets inside strings");
	ok(!json_raw_member(j1, strlen(j1), "b", &v, &n), "raw: absent key");
	ok(!json_raw_member("[1]", 3, "a", &v, &n), "raw: not an object");
	ok(!json_raw_member("{}", 2, "a", &v, &n), "raw: empty object");
	ok(!json_raw_member("{\"a\"", 4, "a", &v, &n), "raw: truncated");
}

static void
test_cost_json(void)
{
	static const struct { int64_t c; const char *out; } cases[] = {
		{ 0, "0" }, { 15000, "150" }, { 12050, "120.5" }, { 99, "0.99" },
		{ 29, "0.29" }, { 1, "0.01" }, { 10, "0.1" },
		{ COST_MAX_CENTS, "9999999999.99" }, { 123456789, "1234567.89" },
	};
	char msg[96], *s;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		j = cost_json(cases[i].c);
		/* The response writer's flags. */
		s = json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
		snprintf(msg, sizeof(msg), "cost_json: %lld -> %s",
		    (long long)cases[i].c, cases[i].out);
		ok(s != NULL && strcmp(s, cases[i].out) == 0, msg);
		free(s);
		json_decref(j);
	}
}

int
main(void)
{
	test_vin();
	test_cost();
	test_raw_member();
	test_cost_json();
	return done_testing();
}
