/* ampel.c: see ampel.h. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "domain/ampel.h"

const char TRUST_DISCLAIMER[] =
    "Die Trust-Ampel bewertet ausschließlich die Dokumentations- und "
    "Nachweisqualität. Sie ist keine Aussage über den technischen Zustand "
    "des Fahrzeugs.";

const char TRUST_HINT_GREEN[] = "Dokumentation ist vollständig nachweisbar.";

/* domain.md 4.1, kept in (priority, code) order. */
static const struct trust_reason catalogue[] = {
	{ "public_evidence_incomplete", "warn", 10,
	  "Dokumentation vorhanden, aber Nachweise sind teilweise "
	  "unvollständig." },
	{ "document_quarantined_not_approved", "cap", 20,
	  "Dokumente sind noch nicht freigegeben. Nachweise zählen erst nach "
	  "Prüfung." },
	{ "accident_status_unknown_cap_orange", "cap", 30,
	  "Unfallstatus ist unbekannt. Trust ist begrenzt." },
	{ "accident_not_free_requires_completed_accident_trust", "cap", 40,
	  "Bei Unfall braucht es vollständige Nachweise für eine hohe "
	  "Trust-Stufe." },
	{ "accident_trust_missing_evidence", "warn", 50,
	  "Für Unfalltrust fehlen Nachweise für eine belastbare Bewertung." },
	{ "pii_suspected_blocks_t3", "block", 60,
	  "Offene Datenschutz-Prüfung blockiert die höchste Trust-Stufe." },
	{ "pii_confirmed_blocks_t3", "block", 61,
	  "Datenschutz-Befund blockiert die höchste Trust-Stufe bis zur "
	  "Bereinigung." },
	{ "t3_requires_document_missing", "warn", 70,
	  "Für die höchste Trust-Stufe ist ein Dokument als Nachweis "
	  "erforderlich." },
	{ "t2_requires_physical_servicebook_missing", "warn", 80,
	  "Für eine mittlere Trust-Stufe ist ein physisches Serviceheft "
	  "erforderlich." },
	{ "t1_physical_servicebook_not_present", "warn", 90,
	  "Ein physisches Serviceheft ist nicht vorhanden. Trust bleibt "
	  "begrenzt." },
	{ "trusted_upload_hash_missing", "warn", 100,
	  "Ein Integritätssignal fehlt. Nachweise sind weniger belastbar." },
	{ "entry_required_fields_missing", "warn", 110,
	  "Pflichtangaben fehlen. Dokumentation ist nicht vollständig "
	  "nachweisbar." },
};

#define NCATALOGUE	(sizeof(catalogue) / sizeof(catalogue[0]))

_Static_assert(NCATALOGUE == TRUST_MAX_REASONS, "TRUST_MAX_REASONS");

struct label {
	const char	*key;
	const char	*label;
};

static const struct label vehicle_classes[] = {
	{ "pkw", "Pkw" },
	{ "motorrad", "Motorrad" },
	{ "wohnmobil", "Wohnmobil" },
	{ "transporter", "Transporter" },
	{ "lkw", "Lkw" },
	{ "anhaenger", "Anhänger" },
	{ "sonstiges", "Sonstiges" },
	{ NULL, NULL }
};

static const struct label drivetrains[] = {
	{ "benzin", "Benzin" },
	{ "diesel", "Diesel" },
	{ "elektro", "Elektro" },
	{ "hybrid", "Hybrid" },
	{ "plug_in_hybrid", "Plug-in-Hybrid" },
	{ "gas", "Gas (LPG/CNG)" },
	{ "wasserstoff", "Wasserstoff" },
	{ "sonstiges", "Sonstiges" },
	{ NULL, NULL }
};

/* Stored spellings of domain.md 3.2; "unbekannt" is also the fallback. */
static const struct label accident_aliases[] = {
	{ "unfallfrei", "unfallfrei" },
	{ "accident_free", "unfallfrei" },
	{ "free", "unfallfrei" },
	{ "none", "unfallfrei" },
	{ "nicht_unfallfrei", "nicht_unfallfrei" },
	{ "not_free", "nicht_unfallfrei" },
	{ "accident", "nicht_unfallfrei" },
	{ "not_accident_free", "nicht_unfallfrei" },
	{ "unbekannt", "unbekannt" },
	{ "unknown", "unbekannt" },
	{ NULL, NULL }
};

static const struct label accident_labels[] = {
	{ "unfallfrei", "Unfallfrei" },
	{ "nicht_unfallfrei", "Nicht unfallfrei" },
	{ "unbekannt", "Unbekannt" },
	{ NULL, NULL }
};

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
label_find(const struct label *t, const char *key)
{
	if (key == NULL)
		return NULL;
	for (; t->key != NULL; t++)
		if (strcmp(t->key, key) == 0)
			return t->label;
	return NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII-only so the locale cannot change what a stored value means. */
static bool
span_eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || lower(s[i]) != lit[i])
			return false;
	return lit[n] == '\0';
}

const char *
accident_canonical(const char *stored)
{
	const struct label *a;
	size_t n;

	if (stored == NULL)
		return "unbekannt";
	while (is_space(*stored))
		stored++;
	n = strlen(stored);
	while (n > 0 && is_space(stored[n - 1]))
		n--;
	for (a = accident_aliases; a->key != NULL; a++)
		if (span_eq_nocase(stored, n, a->key))
			return a->label;
	return "unbekannt";
}

const char *
accident_label(const char *canonical)
{
	return label_find(accident_labels, canonical);
}

const char *
vehicle_class_label(const char *v)
{
	return label_find(vehicle_classes, v);
}

const char *
drivetrain_label(const char *v)
{
	return label_find(drivetrains, v);
}

const struct trust_reason *
trust_catalogue(size_t *n)
{
	if (n != NULL)
		*n = NCATALOGUE;
	return catalogue;
}

const struct trust_reason *
trust_reason_find(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < NCATALOGUE; i++)
		if (strcmp(catalogue[i].code, code) == 0)
			return &catalogue[i];
	return NULL;
}

static bool
reason_before(const struct trust_reason *a, const struct trust_reason *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return strcmp(a->code, b->code) < 0;
}

void
trust_set_reasons(struct trust_result *res, const char *const *codes,
    size_t n)
{
	const struct trust_reason *r;
	bool block = false, cap = false;
	size_t i, j, k;

	res->nreasons = 0;
	for (i = 0; i < n; i++) {
		if ((r = trust_reason_find(codes[i])) == NULL)
			continue;
		for (j = 0; j < res->nreasons; j++)
			if (res->reasons[j] == r)
				break;
		if (j < res->nreasons)
			continue;
		/* Insertion keeps the array sorted; R is tiny. */
		for (k = res->nreasons; k > 0 &&
		    reason_before(r, res->reasons[k - 1]); k--)
			res->reasons[k] = res->reasons[k - 1];
		res->reasons[k] = r;
		res->nreasons++;
	}

	for (i = 0; i < res->nreasons; i++) {
		if (eq(res->reasons[i]->kind, "block"))
			block = true;
		else if (eq(res->reasons[i]->kind, "cap"))
			cap = true;
	}
	if (block)
		res->light = "rot";
	else if (cap)
		res->light = "orange";
	else if (res->nreasons > 0)
		res->light = "gelb";
	else
		res->light = "gruen";
	res->hint = res->nreasons > 0 ? res->reasons[0]->hint :
	    TRUST_HINT_GREEN;
}

static int
level_rank(const char *l)
{
	if (eq(l, "T3"))
		return 3;
	if (eq(l, "T2"))
		return 2;
	if (eq(l, "T1"))
		return 1;
	return 0;
}

static bool
valid_evidence(const struct trust_doc *d)
{
	return !d->deleted && eq(d->approval_status, "APPROVED") &&
	    eq(d->scan_status, "CLEAN") && eq(d->pii_status, "OK");
}

void
trust_evaluate(const struct trust_input *in, struct trust_result *res)
{
	static const char *const tops[] = { NULL, "T1", "T2", "T3" };
	const char *codes[TRUST_MAX_REASONS];
	const struct trust_doc *d;
	const char *stored = NULL;
	json_t *v;
	bool completed = false, evidence = false;
	bool quarantined = false, suspected = false, confirmed = false;
	bool nohash = false;
	size_t i, nc = 0;
	int top = 0, rank;

	memset(res, 0, sizeof(*res));

	for (i = 0; i < in->nentries; i++)
		if ((rank = level_rank(in->levels[i])) > top)
			top = rank;

	if (json_is_object(in->meta)) {
		v = json_object_get(in->meta, "accident_status");
		if (json_is_string(v))
			stored = json_string_value(v);
		completed = json_is_true(json_object_get(in->meta,
		    "accident_trust_completed"));
	}
	res->accident_status = accident_canonical(stored);
	res->accident_status_label = accident_label(res->accident_status);

	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (d->deleted)
			continue;
		if (eq(d->approval_status, "QUARANTINED"))
			quarantined = true;
		if (eq(d->pii_status, "SUSPECTED"))
			suspected = true;
		if (eq(d->pii_status, "CONFIRMED"))
			confirmed = true;
		if (eq(d->approval_status, "APPROVED") && !d->has_checksum)
			nohash = true;
		if (valid_evidence(d))
			evidence = true;
	}

	/* 4.2 step 3a: T3 needs no evidence reason. */
	if (in->nentries == 0)
		codes[nc++] = "public_evidence_incomplete";
	else if (top == 2)
		codes[nc++] = "t3_requires_document_missing";
	else if (top < 2)
		codes[nc++] = "t1_physical_servicebook_not_present";

	if (eq(res->accident_status, "unbekannt"))
		codes[nc++] = "accident_status_unknown_cap_orange";
	else if (eq(res->accident_status, "nicht_unfallfrei")) {
		if (!completed)
			codes[nc++] =
			    "accident_not_free_requires_completed_accident_trust";
		else if (top != 3)
			codes[nc++] = "accident_trust_missing_evidence";
	}

	if (quarantined)
		codes[nc++] = "document_quarantined_not_approved";
	if (suspected)
		codes[nc++] = "pii_suspected_blocks_t3";
	if (confirmed)
		codes[nc++] = "pii_confirmed_blocks_t3";
	if (nohash)
		codes[nc++] = "trusted_upload_hash_missing";

	trust_set_reasons(res, codes, nc);

	res->top_trust_level = tops[top];
	res->verification_level = top == 3 ? "hoch" :
	    top == 2 ? "mittel" : "niedrig";
	res->history_status = in->nentries > 0 ? "vorhanden" :
	    "nicht_vorhanden";
	res->evidence_status = top >= 2 || evidence ? "vorhanden" :
	    "nicht_vorhanden";
}

json_t *
trust_summary_json(const struct trust_result *res)
{
	json_t *codes, *todo, *reasons, *r;
	size_t i;

	codes = json_array();
	todo = json_array();
	reasons = json_array();
	for (i = 0; i < res->nreasons; i++) {
		json_array_append_new(codes,
		    json_string(res->reasons[i]->code));
		if (i < 3)
			json_array_append_new(todo,
			    json_string(res->reasons[i]->code));
		r = json_pack("{s:s, s:s, s:I, s:s}",
		    "code", res->reasons[i]->code, "kind", res->reasons[i]->kind,
		    "priority", (json_int_t)res->reasons[i]->priority,
		    "hint", res->reasons[i]->hint);
		json_array_append_new(reasons, r);
	}

	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, "
	    "s:s?, s:s}",
	    "trust_light", res->light, "hint", res->hint,
	    "reason_codes", codes, "todo_codes", todo, "reasons", reasons,
	    "verification_level", res->verification_level,
	    "accident_status", res->accident_status,
	    "accident_status_label", res->accident_status_label,
	    "history_status", res->history_status,
	    "evidence_status", res->evidence_status,
	    "top_trust_level", res->top_trust_level,
	    "disclaimer", TRUST_DISCLAIMER);
}

json_t *
trust_public_json(const struct trust_result *res, json_t *vehicle)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "trust_light", res->light, "hint", res->hint,
	    "history_status", res->history_status,
	    "evidence_status", res->evidence_status,
	    "verification_level", res->verification_level,
	    "accident_status", res->accident_status,
	    "accident_status_label", res->accident_status_label,
	    "disclaimer", TRUST_DISCLAIMER,
	    "vehicle", vehicle != NULL ? vehicle : json_null());
}
