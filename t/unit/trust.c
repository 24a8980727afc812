/*
 * t/unit/trust.c: the Trust-Ampel engine against domain.md 4-5 and the
 * JSON shapes of api.md 5.9 and 6.1. Prints TAP; exits non-zero on any
 * failure. The plan comes last so a crash still shows the last result.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/ampel.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define H_EVIDENCE	"Dokumentation vorhanden, aber Nachweise sind " \
			"teilweise unvollständig."
#define H_QUARANTINE	"Dokumente sind noch nicht freigegeben. Nachweise " \
			"zählen erst nach Prüfung."
#define H_UNKNOWN	"Unfallstatus ist unbekannt. Trust ist begrenzt."
#define H_PII		"Offene Datenschutz-Prüfung blockiert die höchste " \
			"Trust-Stufe."
#define H_GREEN		"Dokumentation ist vollständig nachweisbar."
#define DISCLAIMER	"Die Trust-Ampel bewertet ausschließlich die " \
			"Dokumentations- und Nachweisqualität. Sie ist keine " \
			"Aussage über den technischen Zustand des Fahrzeugs."

static int	ntests;
static int	nfailed;

static bool
ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

static bool
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
is(const char *got, const char *want, const char *what, const char *field)
{
	if (!ok(str_same(got, want), "%s: %s", what, field))
		printf("#   got:  %s\n#   want: %s\n",
		    got != NULL ? got : "(null)",
		    want != NULL ? want : "(null)");
}

static bool
has_digit(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			return true;
	return false;
}

static bool
has_space(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\v' || *s == '\f')
			return true;
	return false;
}

/* Doc shorthands: approval, scan, pii, checksum, deleted. */
#define DOC(a, s, p, c, d)	{ (a), (s), (p), (c), (d) }
#define VALID_DOC		DOC("APPROVED", "CLEAN", "OK", true, false)

/* Evaluates with meta given as JSON text (NULL = no meta). */
static void
eval(const char *const *levels, size_t nentries, const char *meta_text,
    const struct trust_doc *docs, size_t ndocs, struct trust_result *res)
{
	struct trust_input in;
	json_t *meta = NULL;
	json_error_t err;

	if (meta_text != NULL &&
	    (meta = json_loads(meta_text, 0, &err)) == NULL) {
		printf("# bad meta in test: %s\n", err.text);
		exit(2);
	}
	in.levels = levels;
	in.nentries = nentries;
	in.meta = meta;
	in.docs = docs;
	in.ndocs = ndocs;
	trust_evaluate(&in, res);
	json_decref(meta);
}

/* Compares the sorted reason codes with a NULL-terminated list. */
static void
reasons_are(const struct trust_result *res, const char *what, ...)
{
	const char *want[TRUST_MAX_REASONS + 1];
	const char *c;
	va_list ap;
	size_t i, n = 0;
	bool same;

	va_start(ap, what);
	while ((c = va_arg(ap, const char *)) != NULL && n < NELEM(want))
		want[n++] = c;
	va_end(ap);

	same = n == res->nreasons;
	for (i = 0; same && i < n; i++)
		same = strcmp(res->reasons[i]->code, want[i]) == 0;
	if (!ok(same, "%s: reasons", what)) {
		for (i = 0; i < res->nreasons; i++)
			printf("#   got:  %s\n", res->reasons[i]->code);
		for (i = 0; i < n; i++)
			printf("#   want: %s\n", want[i]);
	}
}

static void
fields_are(const struct trust_result *res, const char *what,
    const char *verification, const char *history, const char *evidence,
    const char *accident, const char *label, const char *top)
{
	is(res->verification_level, verification, what, "verification_level");
	is(res->history_status, history, what, "history_status");
	is(res->evidence_status, evidence, what, "evidence_status");
	is(res->accident_status, accident, what, "accident_status");
	is(res->accident_status_label, label, what, "accident_status_label");
	is(res->top_trust_level, top, what, "top_trust_level");
}

/* True if the object's keys are exactly keys[0..n), in that order. */
static bool
keys_are(json_t *o, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;
	size_t i = 0;

	if (!json_is_object(o) || json_object_size(o) != n)
		return false;
	json_object_foreach(o, k, v) {
		(void)v;
		if (strcmp(k, keys[i++]) != 0)
			return false;
	}
	return true;
}

static void
test_catalogue(void)
{
	const struct trust_reason *c;
	size_t i, j, n;
	bool uniq = true, nospace = true, prio = true, nodigit = true;
	bool kinds = true, sorted = true, found = true;

	c = trust_catalogue(&n);
	ok(n == 12, "catalogue has the twelve v1 codes");
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			if (strcmp(c[i].code, c[j].code) == 0)
				uniq = false;
		if (c[i].code[0] == '\0' || has_space(c[i].code))
			nospace = false;
		if (c[i].priority < 1)
			prio = false;
		if (has_digit(c[i].hint))
			nodigit = false;
		if (!str_same(c[i].kind, "block") &&
		    !str_same(c[i].kind, "cap") &&
		    !str_same(c[i].kind, "warn"))
			kinds = false;
		if (i > 0 && (c[i - 1].priority > c[i].priority ||
		    (c[i - 1].priority == c[i].priority &&
		    strcmp(c[i - 1].code, c[i].code) >= 0)))
			sorted = false;
		if (trust_reason_find(c[i].code) != &c[i])
			found = false;
	}
	ok(uniq, "catalogue codes are unique");
	ok(nospace, "catalogue codes are non-empty and contain no whitespace");
	ok(prio, "catalogue priorities are >= 1");
	ok(nodigit, "no catalogue hint contains a digit");
	ok(kinds, "every kind is block, cap or warn");
	ok(sorted, "catalogue is listed in (priority, code) order");
	ok(found, "trust_reason_find finds every catalogue code");
	ok(trust_reason_find("no_such_code") == NULL &&
	    trust_reason_find(NULL) == NULL, "unknown codes are not found");
	ok(!has_digit(TRUST_DISCLAIMER), "disclaimer contains no digit");
	ok(!has_digit(TRUST_HINT_GREEN), "green fallback contains no digit");
	is(TRUST_DISCLAIMER, DISCLAIMER, "constants", "disclaimer is exact");
	is(TRUST_HINT_GREEN, H_GREEN, "constants", "green hint is exact");
}

static void
test_examples(void)
{
	static const char *const t2[] = { "T2" };
	static const char *const t3[] = { "T3" };
	static const struct trust_doc quarantined[] = {
		DOC("QUARANTINED", "PENDING", "OK", true, false)
	};
	static const struct trust_doc quarantined_suspected[] = {
		DOC("QUARANTINED", "CLEAN", "SUSPECTED", true, false)
	};
	static const struct trust_doc approved_suspected[] = {
		DOC("APPROVED", "CLEAN", "SUSPECTED", true, false)
	};
	const char *free_meta = "{\"accident_status\": \"accident_free\"}";
	struct trust_result r;
	const char *w;

	w = "4.5 unknown vehicle";
	eval(NULL, 0, NULL, NULL, 0, &r);
	is(r.light, "orange", w, "light");
	is(r.hint, H_EVIDENCE, w, "hint");
	fields_are(&r, w, "niedrig", "nicht_vorhanden", "nicht_vorhanden",
	    "unbekannt", "Unbekannt", NULL);
	reasons_are(&r, w, "public_evidence_incomplete",
	    "accident_status_unknown_cap_orange", NULL);

	w = "4.5 unknown vehicle, empty meta object";
	eval(NULL, 0, "{}", NULL, 0, &r);
	is(r.light, "orange", w, "light");
	is(r.hint, H_EVIDENCE, w, "hint");

	w = "4.5 accident unknown, one T2 entry";
	eval(t2, 1, "{\"accident_status\": \"unknown\"}", NULL, 0, &r);
	is(r.light, "orange", w, "light");
	is(r.hint, H_UNKNOWN, w, "hint");
	fields_are(&r, w, "mittel", "vorhanden", "vorhanden", "unbekannt",
	    "Unbekannt", "T2");
	reasons_are(&r, w, "accident_status_unknown_cap_orange",
	    "t3_requires_document_missing", NULL);

	w = "4.5 accident_free, one T3 entry, no documents";
	eval(t3, 1, free_meta, NULL, 0, &r);
	is(r.light, "gruen", w, "light");
	is(r.hint, H_GREEN, w, "hint");
	fields_are(&r, w, "hoch", "vorhanden", "vorhanden", "unfallfrei",
	    "Unfallfrei", "T3");
	reasons_are(&r, w, NULL);

	w = "4.5 accident_free, no entries";
	eval(NULL, 0, free_meta, NULL, 0, &r);
	is(r.light, "gelb", w, "light");
	is(r.hint, H_EVIDENCE, w, "hint");
	fields_are(&r, w, "niedrig", "nicht_vorhanden", "nicht_vorhanden",
	    "unfallfrei", "Unfallfrei", NULL);
	reasons_are(&r, w, "public_evidence_incomplete", NULL);

	w = "4.5 accident_free, one T3 entry, one quarantined document";
	eval(t3, 1, free_meta, quarantined, 1, &r);
	is(r.light, "orange", w, "light");
	is(r.hint, H_QUARANTINE, w, "hint");
	is(r.verification_level, "hoch", w, "verification_level");
	reasons_are(&r, w, "document_quarantined_not_approved", NULL);

	w = "4.5 as above, quarantined document SUSPECTED";
	eval(t3, 1, free_meta, quarantined_suspected, 1, &r);
	is(r.light, "rot", w, "light");
	is(r.hint, H_QUARANTINE, w, "hint");
	reasons_are(&r, w, "document_quarantined_not_approved",
	    "pii_suspected_blocks_t3", NULL);

	w = "4.5 accident_free, one T3 entry, approved document SUSPECTED";
	eval(t3, 1, free_meta, approved_suspected, 1, &r);
	is(r.light, "rot", w, "light");
	is(r.hint, H_PII, w, "hint");
	reasons_are(&r, w, "pii_suspected_blocks_t3", NULL);
}

/* One case per code the rules emit, each as isolated as the rules allow. */
static void
test_codes(void)
{
	static const char *const t1[] = { "T1" };
	static const char *const t2[] = { "T2" };
	static const char *const t3[] = { "T3" };
	static const char *const none[] = { NULL };
	static const char *const mixed[] = { NULL, "T1", NULL };
	static const struct trust_doc quarantined[] = {
		DOC("QUARANTINED", "CLEAN", "OK", true, false)
	};
	static const struct trust_doc suspected[] = {
		DOC("APPROVED", "CLEAN", "SUSPECTED", true, false)
	};
	static const struct trust_doc confirmed[] = {
		DOC("APPROVED", "CLEAN", "CONFIRMED", true, false)
	};
	static const struct trust_doc nohash[] = {
		DOC("APPROVED", "CLEAN", "OK", false, false)
	};
	static const struct trust_doc rejected_nohash[] = {
		DOC("REJECTED", "INFECTED", "OK", false, false)
	};
	static const struct trust_doc deleted[] = {
		DOC("QUARANTINED", "PENDING", "SUSPECTED", false, true),
		DOC("APPROVED", "CLEAN", "CONFIRMED", false, true)
	};
	const char *free_meta = "{\"accident_status\": \"free\"}";
	struct trust_result r;
	const char *w;

	w = "public_evidence_incomplete alone";
	eval(NULL, 0, free_meta, NULL, 0, &r);
	reasons_are(&r, w, "public_evidence_incomplete", NULL);
	is(r.light, "gelb", w, "light");

	w = "document_quarantined_not_approved alone";
	eval(t3, 1, free_meta, quarantined, 1, &r);
	reasons_are(&r, w, "document_quarantined_not_approved", NULL);
	is(r.light, "orange", w, "light");

	w = "accident_status_unknown_cap_orange alone";
	eval(t3, 1, "{\"accident_status\": \"  UNBEKANNT \"}", NULL, 0, &r);
	reasons_are(&r, w, "accident_status_unknown_cap_orange", NULL);
	is(r.light, "orange", w, "light");
	is(r.hint, H_UNKNOWN, w, "hint");

	w = "accident status absent (no meta) caps orange";
	eval(t3, 1, NULL, NULL, 0, &r);
	reasons_are(&r, w, "accident_status_unknown_cap_orange", NULL);
	is(r.light, "orange", w, "light");

	w = "accident status not a string reads as unknown";
	eval(t3, 1, "{\"accident_status\": 1}", NULL, 0, &r);
	reasons_are(&r, w, "accident_status_unknown_cap_orange", NULL);

	w = "accident_not_free_requires_completed_accident_trust alone";
	eval(t3, 1, "{\"accident_status\": \"accident\"}", NULL, 0, &r);
	reasons_are(&r, w,
	    "accident_not_free_requires_completed_accident_trust", NULL);
	is(r.light, "orange", w, "light");
	is(r.accident_status_label, "Nicht unfallfrei", w, "label");

	w = "accident_trust_completed false still requires completion";
	eval(t3, 1, "{\"accident_status\": \"not_free\", "
	    "\"accident_trust_completed\": false}", NULL, 0, &r);
	reasons_are(&r, w,
	    "accident_not_free_requires_completed_accident_trust", NULL);

	w = "accident_trust_completed must be boolean true";
	eval(t3, 1, "{\"accident_status\": \"not_free\", "
	    "\"accident_trust_completed\": \"true\"}", NULL, 0, &r);
	reasons_are(&r, w,
	    "accident_not_free_requires_completed_accident_trust", NULL);

	w = "accident_trust_missing_evidence (completed, top T2)";
	eval(t2, 1, "{\"accident_status\": \"nicht_unfallfrei\", "
	    "\"accident_trust_completed\": true}", NULL, 0, &r);
	reasons_are(&r, w, "accident_trust_missing_evidence",
	    "t3_requires_document_missing", NULL);
	is(r.light, "gelb", w, "light");
	is(r.hint, "Für Unfalltrust fehlen Nachweise für eine belastbare "
	    "Bewertung.", w, "hint");

	w = "completed accident trust with top T3";
	eval(t3, 1, "{\"accident_status\": \"not_accident_free\", "
	    "\"accident_trust_completed\": true}", NULL, 0, &r);
	reasons_are(&r, w, NULL);
	is(r.light, "gruen", w, "light");

	w = "pii_suspected_blocks_t3 alone";
	eval(t3, 1, free_meta, suspected, 1, &r);
	reasons_are(&r, w, "pii_suspected_blocks_t3", NULL);
	is(r.light, "rot", w, "light");

	w = "pii_confirmed_blocks_t3 alone";
	eval(t3, 1, free_meta, confirmed, 1, &r);
	reasons_are(&r, w, "pii_confirmed_blocks_t3", NULL);
	is(r.light, "rot", w, "light");
	is(r.hint, "Datenschutz-Befund blockiert die höchste Trust-Stufe bis "
	    "zur Bereinigung.", w, "hint");

	w = "t3_requires_document_missing alone";
	eval(t2, 1, free_meta, NULL, 0, &r);
	reasons_are(&r, w, "t3_requires_document_missing", NULL);
	is(r.light, "gelb", w, "light");

	w = "t1_physical_servicebook_not_present alone";
	eval(t1, 1, free_meta, NULL, 0, &r);
	reasons_are(&r, w, "t1_physical_servicebook_not_present", NULL);
	is(r.light, "gelb", w, "light");
	is(r.hint, "Ein physisches Serviceheft ist nicht vorhanden. Trust "
	    "bleibt begrenzt.", w, "hint");
	fields_are(&r, w, "niedrig", "vorhanden", "nicht_vorhanden",
	    "unfallfrei", "Unfallfrei", "T1");

	w = "entry without trust level counts as T1";
	eval(none, 1, free_meta, NULL, 0, &r);
	reasons_are(&r, w, "t1_physical_servicebook_not_present", NULL);
	is(r.top_trust_level, NULL, w, "top_trust_level");
	is(r.history_status, "vorhanden", w, "history_status");

	w = "NULL and T1 entries";
	eval(mixed, NELEM(mixed), free_meta, NULL, 0, &r);
	reasons_are(&r, w, "t1_physical_servicebook_not_present", NULL);
	is(r.top_trust_level, "T1", w, "top_trust_level");

	w = "trusted_upload_hash_missing alone";
	eval(t3, 1, free_meta, nohash, 1, &r);
	reasons_are(&r, w, "trusted_upload_hash_missing", NULL);
	is(r.light, "gelb", w, "light");

	w = "rejected document without checksum";
	eval(t3, 1, free_meta, rejected_nohash, 1, &r);
	reasons_are(&r, w, NULL);

	w = "deleted documents are ignored";
	eval(t3, 1, free_meta, deleted, NELEM(deleted), &r);
	reasons_are(&r, w, NULL);
	is(r.light, "gruen", w, "light");
}

static void
test_levels(void)
{
	static const char *const many[] = { "T1", NULL, "T3", "T2" };
	static const char *const t21[] = { "T1", "T2", NULL };
	static const char *const bogus[] = { "t3", "T4", "" };
	struct trust_result r;
	const char *w;

	w = "highest level counts (T3 among T1, T2, none)";
	eval(many, NELEM(many), "{\"accident_status\": \"none\"}", NULL, 0,
	    &r);
	is(r.top_trust_level, "T3", w, "top_trust_level");
	is(r.verification_level, "hoch", w, "verification_level");

	w = "highest level counts (T2 among T1, none)";
	eval(t21, NELEM(t21), "{\"accident_status\": \"none\"}", NULL, 0, &r);
	is(r.top_trust_level, "T2", w, "top_trust_level");
	is(r.verification_level, "mittel", w, "verification_level");

	w = "levels are case-sensitive; others count as none";
	eval(bogus, NELEM(bogus), "{\"accident_status\": \"none\"}", NULL, 0,
	    &r);
	is(r.top_trust_level, NULL, w, "top_trust_level");
	reasons_are(&r, w, "t1_physical_servicebook_not_present", NULL);
}

static void
test_evidence(void)
{
	static const char *const t1[] = { "T1" };
	static const char *const t2[] = { "T2" };
	static const struct trust_doc valid[] = { VALID_DOC };
	static const struct trust_doc quarantined[] = {
		DOC("QUARANTINED", "CLEAN", "OK", true, false)
	};
	static const struct trust_doc unscanned[] = {
		DOC("APPROVED", "PENDING", "OK", true, false)
	};
	static const struct trust_doc pii[] = {
		DOC("APPROVED", "CLEAN", "SUSPECTED", true, false)
	};
	static const struct trust_doc rejected[] = {
		DOC("REJECTED", "CLEAN", "OK", true, false)
	};
	static const struct trust_doc gone[] = {
		DOC("APPROVED", "CLEAN", "OK", true, true)
	};
	static const struct trust_doc mix[] = {
		DOC("QUARANTINED", "PENDING", "OK", true, false), VALID_DOC
	};
	const char *meta = "{\"accident_status\": \"unfallfrei\"}";
	struct trust_result r;

	eval(t1, 1, meta, valid, 1, &r);
	is(r.evidence_status, "vorhanden", "T1 entries + one valid-evidence doc",
	    "evidence_status");
	is(r.verification_level, "niedrig", "T1 entries + one valid doc",
	    "verification_level stays niedrig");
	is(r.light, "gelb", "T1 entries + one valid doc", "light");

	eval(t1, 1, meta, quarantined, 1, &r);
	is(r.evidence_status, "nicht_vorhanden", "T1 + quarantined doc",
	    "evidence_status");

	eval(t1, 1, meta, unscanned, 1, &r);
	is(r.evidence_status, "nicht_vorhanden", "T1 + approved unscanned doc",
	    "evidence_status");

	eval(t1, 1, meta, pii, 1, &r);
	is(r.evidence_status, "nicht_vorhanden", "T1 + approved doc with PII",
	    "evidence_status");

	eval(t1, 1, meta, rejected, 1, &r);
	is(r.evidence_status, "nicht_vorhanden", "T1 + rejected doc",
	    "evidence_status");

	eval(t1, 1, meta, gone, 1, &r);
	is(r.evidence_status, "nicht_vorhanden", "T1 + deleted valid doc",
	    "evidence_status");

	eval(t1, 1, meta, mix, NELEM(mix), &r);
	is(r.evidence_status, "vorhanden", "T1 + quarantined and valid doc",
	    "evidence_status");
	reasons_are(&r, "T1 + quarantined and valid doc",
	    "document_quarantined_not_approved",
	    "t1_physical_servicebook_not_present", NULL);

	eval(NULL, 0, meta, valid, 1, &r);
	is(r.evidence_status, "vorhanden", "no entries + valid doc",
	    "evidence_status");
	is(r.history_status, "nicht_vorhanden", "no entries + valid doc",
	    "history_status");

	eval(t2, 1, meta, NULL, 0, &r);
	is(r.evidence_status, "vorhanden", "T2 without documents",
	    "evidence_status");
}

static void
test_set_reasons(void)
{
	static const char *const codes[] = {
		"trusted_upload_hash_missing", "bogus",
		"pii_confirmed_blocks_t3", NULL, "pii_suspected_blocks_t3",
		"trusted_upload_hash_missing", "PII_SUSPECTED_BLOCKS_T3"
	};
	static const char *const reserved[] = {
		"entry_required_fields_missing",
		"t2_requires_physical_servicebook_missing"
	};
	static const char *const unknown[] = { "nope", "" };
	struct trust_result r;
	const char *w;

	memset(&r, 0, sizeof(r));
	w = "set_reasons drops unknown codes and repeats, sorts";
	trust_set_reasons(&r, codes, NELEM(codes));
	reasons_are(&r, w, "pii_suspected_blocks_t3",
	    "pii_confirmed_blocks_t3", "trusted_upload_hash_missing", NULL);
	is(r.light, "rot", w, "light");
	is(r.hint, H_PII, w, "hint");

	w = "reserved codes are warnings";
	trust_set_reasons(&r, reserved, NELEM(reserved));
	reasons_are(&r, w, "t2_requires_physical_servicebook_missing",
	    "entry_required_fields_missing", NULL);
	is(r.light, "gelb", w, "light");

	w = "only unknown codes means green";
	trust_set_reasons(&r, unknown, NELEM(unknown));
	reasons_are(&r, w, NULL);
	is(r.light, "gruen", w, "light");
	is(r.hint, H_GREEN, w, "hint");
}

static void
test_labels(void)
{
	static const struct {
		const char *in, *want;
	} acc[] = {
		{ "unfallfrei", "unfallfrei" },
		{ "accident_free", "unfallfrei" },
		{ "free", "unfallfrei" },
		{ "none", "unfallfrei" },
		{ " Accident_Free\t", "unfallfrei" },
		{ "nicht_unfallfrei", "nicht_unfallfrei" },
		{ "not_free", "nicht_unfallfrei" },
		{ "accident", "nicht_unfallfrei" },
		{ "NOT_ACCIDENT_FREE\n", "nicht_unfallfrei" },
		{ "unbekannt", "unbekannt" },
		{ "Unknown", "unbekannt" },
		{ NULL, "unbekannt" },
		{ "", "unbekannt" },
		{ "   ", "unbekannt" },
		{ "freee", "unbekannt" },
		{ "fre", "unbekannt" },
		{ "free accident", "unbekannt" },
	}, vc[] = {
		{ "pkw", "Pkw" },
		{ "motorrad", "Motorrad" },
		{ "wohnmobil", "Wohnmobil" },
		{ "transporter", "Transporter" },
		{ "lkw", "Lkw" },
		{ "anhaenger", "Anhänger" },
		{ "sonstiges", "Sonstiges" },
		{ "PKW", NULL },
		{ "bus", NULL },
		{ NULL, NULL },
	}, dt[] = {
		{ "benzin", "Benzin" },
		{ "diesel", "Diesel" },
		{ "elektro", "Elektro" },
		{ "hybrid", "Hybrid" },
		{ "plug_in_hybrid", "Plug-in-Hybrid" },
		{ "gas", "Gas (LPG/CNG)" },
		{ "wasserstoff", "Wasserstoff" },
		{ "sonstiges", "Sonstiges" },
		{ "Diesel", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	size_t i;
	bool good;

	for (good = true, i = 0; i < NELEM(acc); i++)
		if (!str_same(accident_canonical(acc[i].in), acc[i].want)) {
			printf("# accident_canonical(%s)\n",
			    acc[i].in != NULL ? acc[i].in : "NULL");
			good = false;
		}
	ok(good, "accident_canonical maps every spelling (case, trim)");
	ok(str_same(accident_label("unfallfrei"), "Unfallfrei") &&
	    str_same(accident_label("nicht_unfallfrei"), "Nicht unfallfrei") &&
	    str_same(accident_label("unbekannt"), "Unbekannt"),
	    "accident_label of each canonical status");
	ok(accident_label("unknown") == NULL && accident_label(NULL) == NULL,
	    "accident_label of a non-canonical value is NULL");
	for (good = true, i = 0; i < NELEM(vc); i++)
		if (!str_same(vehicle_class_label(vc[i].in), vc[i].want))
			good = false;
	ok(good, "vehicle_class_label (and NULL for unknown)");
	for (good = true, i = 0; i < NELEM(dt); i++)
		if (!str_same(drivetrain_label(dt[i].in), dt[i].want))
			good = false;
	ok(good, "drivetrain_label (and NULL for unknown)");
}

static void
test_summary_json(void)
{
	static const char *const keys[] = {
		"trust_light", "hint", "reason_codes", "todo_codes", "reasons",
		"verification_level", "accident_status",
		"accident_status_label", "history_status", "evidence_status",
		"top_trust_level", "disclaimer"
	};
	static const char *const rkeys[] = {
		"code", "kind", "priority", "hint"
	};
	static const char *const t2[] = { "T2" };
	static const struct trust_doc docs[] = {
		DOC("QUARANTINED", "PENDING", "SUSPECTED", true, false),
		DOC("APPROVED", "CLEAN", "CONFIRMED", false, false)
	};
	/* api.md 5.9's example, compact. */
	static const char want[] =
	    "{\"trust_light\":\"orange\","
	    "\"hint\":\"Unfallstatus ist unbekannt. Trust ist begrenzt.\","
	    "\"reason_codes\":[\"accident_status_unknown_cap_orange\","
	    "\"t3_requires_document_missing\"],"
	    "\"todo_codes\":[\"accident_status_unknown_cap_orange\","
	    "\"t3_requires_document_missing\"],"
	    "\"reasons\":[{\"code\":\"accident_status_unknown_cap_orange\","
	    "\"kind\":\"cap\",\"priority\":30,"
	    "\"hint\":\"Unfallstatus ist unbekannt. Trust ist begrenzt.\"},"
	    "{\"code\":\"t3_requires_document_missing\",\"kind\":\"warn\","
	    "\"priority\":70,\"hint\":\"Für die höchste Trust-Stufe ist ein "
	    "Dokument als Nachweis erforderlich.\"}],"
	    "\"verification_level\":\"mittel\","
	    "\"accident_status\":\"unbekannt\","
	    "\"accident_status_label\":\"Unbekannt\","
	    "\"history_status\":\"vorhanden\","
	    "\"evidence_status\":\"vorhanden\","
	    "\"top_trust_level\":\"T2\","
	    "\"disclaimer\":\"" DISCLAIMER "\"}";
	struct trust_result r;
	json_t *j, *a, *e;
	char *s;
	size_t i;
	bool good;

	eval(t2, 1, "{\"accident_status\": \"unknown\"}", NULL, 0, &r);
	j = trust_summary_json(&r);
	ok(keys_are(j, keys, NELEM(keys)), "summary: keys in spec order");
	s = json_dumps(j, JSON_COMPACT);
	if (!ok(s != NULL && strcmp(s, want) == 0,
	    "summary: api.md 5.9 example byte for byte"))
		printf("#   got:  %s\n#   want: %s\n", s, want);
	free(s);
	a = json_object_get(j, "reasons");
	for (good = json_array_size(a) == 2, i = 0; i < json_array_size(a);
	    i++)
		if (!keys_are(json_array_get(a, i), rkeys, NELEM(rkeys)) ||
		    !json_is_integer(json_object_get(json_array_get(a, i),
		    "priority")))
			good = false;
	ok(good, "summary: each reason is {code, kind, priority, hint}");
	json_decref(j);

	/* Six reasons: todo_codes keeps only the first three. */
	eval(NULL, 0, "{\"accident_status\": \"accident\"}", docs,
	    NELEM(docs), &r);
	reasons_are(&r, "summary: six reasons", "public_evidence_incomplete",
	    "document_quarantined_not_approved",
	    "accident_not_free_requires_completed_accident_trust",
	    "pii_suspected_blocks_t3", "pii_confirmed_blocks_t3",
	    "trusted_upload_hash_missing", NULL);
	is(r.light, "rot", "summary: six reasons", "light");
	is(r.hint, H_EVIDENCE, "summary: six reasons", "hint");
	j = trust_summary_json(&r);
	ok(keys_are(j, keys, NELEM(keys)), "summary: keys with six reasons");
	ok(json_array_size(json_object_get(j, "reason_codes")) == 6,
	    "summary: reason_codes holds all six");
	a = json_object_get(j, "todo_codes");
	ok(json_array_size(a) == 3 &&
	    str_same(json_string_value(json_array_get(a, 0)),
	    "public_evidence_incomplete") &&
	    str_same(json_string_value(json_array_get(a, 1)),
	    "document_quarantined_not_approved") &&
	    str_same(json_string_value(json_array_get(a, 2)),
	    "accident_not_free_requires_completed_accident_trust"),
	    "summary: todo_codes is the first three sorted codes");
	a = json_object_get(j, "reason_codes");
	e = json_object_get(j, "reasons");
	for (good = json_array_size(e) == 6, i = 0; good && i < 6; i++)
		good = str_same(json_string_value(json_array_get(a, i)),
		    json_string_value(json_object_get(json_array_get(e, i),
		    "code")));
	ok(good, "summary: reasons follow reason_codes");
	ok(json_is_null(json_object_get(j, "top_trust_level")),
	    "summary: top_trust_level null without levels");
	json_decref(j);

	/* Green: empty arrays, still every key. */
	eval((const char *const[]){ "T3" }, 1,
	    "{\"accident_status\": \"unfallfrei\"}", NULL, 0, &r);
	j = trust_summary_json(&r);
	ok(keys_are(j, keys, NELEM(keys)) &&
	    json_array_size(json_object_get(j, "reason_codes")) == 0 &&
	    json_array_size(json_object_get(j, "todo_codes")) == 0 &&
	    json_array_size(json_object_get(j, "reasons")) == 0 &&
	    str_same(json_string_value(json_object_get(j, "hint")), H_GREEN),
	    "summary: green has empty arrays and the fallback hint");
	json_decref(j);
}

/* No digit in any value but "vehicle"; codes never appear. */
static bool
public_clean(json_t *j)
{
	static const char *const banned[] = {
		"count", "percent", "percentage", "anzahl", "tage", "wochen",
		"monate", "jahre", "jahr"
	};
	const struct trust_reason *c;
	const char *k;
	json_t *v;
	char *s;
	size_t i, n;
	bool good = true;

	c = trust_catalogue(&n);
	json_object_foreach(j, k, v) {
		for (i = 0; i < NELEM(banned); i++)
			if (strcmp(k, banned[i]) == 0)
				good = false;
		if (strcmp(k, "vehicle") == 0)
			continue;
		/* Without JSON_ENSURE_ASCII, as resp_json() dumps. */
		if ((s = json_dumps(v, JSON_ENCODE_ANY)) == NULL)
			return false;
		if (has_digit(k) || has_digit(s))
			good = false;
		for (i = 0; i < n; i++)
			if (strstr(s, c[i].code) != NULL)
				good = false;
		free(s);
	}
	return good;
}

static void
test_public_json(void)
{
	static const char *const keys[] = {
		"trust_light", "hint", "history_status", "evidence_status",
		"verification_level", "accident_status",
		"accident_status_label", "disclaimer", "vehicle"
	};
	static const char *const t2[] = { "T2" };
	static const struct trust_doc docs[] = {
		DOC("QUARANTINED", "PENDING", "SUSPECTED", true, false),
		DOC("APPROVED", "CLEAN", "CONFIRMED", false, false)
	};
	static const char want_unknown[] =
	    "{\"trust_light\":\"orange\",\"hint\":\"" H_EVIDENCE "\","
	    "\"history_status\":\"nicht_vorhanden\","
	    "\"evidence_status\":\"nicht_vorhanden\","
	    "\"verification_level\":\"niedrig\","
	    "\"accident_status\":\"unbekannt\","
	    "\"accident_status_label\":\"Unbekannt\","
	    "\"disclaimer\":\"" DISCLAIMER "\",\"vehicle\":null}";
	struct trust_result r;
	json_t *j, *veh;
	char *s;

	eval(NULL, 0, NULL, NULL, 0, &r);
	j = trust_public_json(&r, NULL);
	ok(keys_are(j, keys, NELEM(keys)), "public: nine keys in spec order");
	s = json_dumps(j, JSON_COMPACT);
	if (!ok(s != NULL && strcmp(s, want_unknown) == 0,
	    "public: unknown vehicle answer byte for byte"))
		printf("#   got:  %s\n#   want: %s\n", s ? s : "(null)", want_unknown);
	ok(s != NULL && !has_digit(s), "public: unknown answer has no digit");
	free(s);
	ok(public_clean(j), "public: unknown answer is data-minimal");
	json_decref(j);

	/* The caller's vehicle object is attached as is (reference stolen). */
	eval(t2, 1, "{\"accident_status\": \"accident\"}", docs, NELEM(docs),
	    &r);
	veh = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}",
	    "vehicle_class", "pkw", "make", "VW", "model", "Golf",
	    "year", 2014, "drivetrain", "diesel", "vin_masked", "WVW***0001",
	    "accident_badge", accident_label(r.accident_status));
	j = trust_public_json(&r, veh);
	ok(keys_are(j, keys, NELEM(keys)), "public: keys with a vehicle");
	ok(json_object_get(j, "vehicle") == veh, "public: vehicle attached");
	ok(str_same(json_string_value(json_object_get(j, "trust_light")),
	    "rot"), "public: light of a blocked vehicle");
	ok(public_clean(j), "public: no digits or codes outside vehicle");
	json_decref(j);
}

int
main(void)
{
	test_catalogue();
	test_examples();
	test_codes();
	test_levels();
	test_evidence();
	test_set_reasons();
	test_labels();
	test_summary_json();
	test_public_json();
	printf("1..%d\n", ntests);
	if (nfailed > 0)
		printf("# failed %d of %d\n", nfailed, ntests);
	return nfailed > 0 ? 1 : 0;
}
