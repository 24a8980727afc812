// Timeline entries: the editor (create and revision mode) and the checks
// of frontend.md §6.2 items 4 and 5, shared with the onboarding wizard.

import { field } from './ui.js';
import { TRUST_LEVELS } from './format.js';

export const PERFORMERS = ['Fachwerkstatt', 'Händler', 'Autohaus', 'Reifenservice', 'Tuning-Fachbetrieb',
	'Gesetzliches (TÜV/Gutachten/Wertgutachten)', 'Eigenleistung', 'Sonstiges'];

export const ENTRY_HINT = 'Datenpflege = bessere Trust-Stufe & Verkaufswert';

export function today() {
	const d = new Date();
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function trustLevelText(t) {
	return t && TRUST_LEVELS[t] ? `${t} – ${TRUST_LEVELS[t]}` : '—';
}

// The fields of the entry editor. opts.full adds the optional ones.
export function entryFields(datalistId, { full = true } = {}) {
	const f = {
		date: field({ label: 'Datum', name: 'date', type: 'date', required: true, value: today() }),
		type: field({ label: 'Typ', name: 'type', required: true, value: 'Service', attrs: { maxlength: 64 } }),
		performed_by: field({ label: 'Durchgeführt von', name: 'performed_by', required: true, value: 'Eigenleistung',
			list: datalistId, attrs: { maxlength: 64 } }),
		km: field({ label: 'Kilometerstand', name: 'km', type: 'number', required: true,
			attrs: { min: 0, max: 9999999, step: 1, inputmode: 'numeric' } }),
	};
	if (full) {
		f.note = field({ label: 'Bemerkung', name: 'note', textarea: true, attrs: { maxlength: 4000 } });
		f.cost_amount = field({ label: 'Kostenbetrag EUR', name: 'cost_amount', hint: 'Zum Beispiel 120,50',
			attrs: { inputmode: 'decimal', autocomplete: 'off' } });
		f.trust_level = field({ label: 'T-Status', name: 'trust_level', options: [
			['', '—'], ['T1', trustLevelText('T1')], ['T2', trustLevelText('T2')], ['T3', trustLevelText('T3')]] });
	}
	return f;
}

// "1.234,50" / "120,5" / "99" → "1234.50" / "120.5" / "99"; null if invalid.
export function parseCost(s) {
	let v = String(s).trim().replace(/\s+/g, '').replace(/€$/, '');
	if (v.includes(','))
		v = v.replace(/\./g, '').replace(',', '.');
	return /^\d+(\.\d{1,2})?$/.test(v) ? v : null;
}

// Checks the editor and builds the body; returns { body } or { errs }.
export function readEntry(f) {
	const errs = [];
	const date = f.date.value.trim();
	const type = f.type.value.trim();
	const by = f.performed_by.value.trim();
	const kmRaw = f.km.value.trim();
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
		errs.push({ field: f.date, text: 'Datum ist erforderlich.' });
	if (type === '')
		errs.push({ field: f.type, text: 'Typ ist erforderlich.' });
	if (by === '')
		errs.push({ field: f.performed_by, text: '„Durchgeführt von“ ist erforderlich.' });
	const km = Number(kmRaw);
	if (kmRaw === '' || !Number.isInteger(km) || km < 0)
		errs.push({ field: f.km, text: 'Kilometerstand muss >= 0 sein.' });
	let cost = null;
	if (f.cost_amount && f.cost_amount.value.trim() !== '') {
		cost = parseCost(f.cost_amount.value);
		if (cost === null)
			errs.push({ field: f.cost_amount, text: /^\s*-/.test(f.cost_amount.value)
				? 'Kostenbetrag muss >= 0 sein.' : 'Kostenbetrag muss >= 0 sein (höchstens zwei Nachkommastellen).' });
	}
	if (errs.length)
		return { errs };
	const body = { date, type, performed_by: by, km };
	if (f.note && f.note.value.trim() !== '')
		body.note = f.note.value.trim();
	if (cost !== null)
		body.cost_amount = cost;
	if (f.trust_level && f.trust_level.value)
		body.trust_level = f.trust_level.value;
	return { body };
}

export const ENTRY_FIELDS_BY_API = (f) => ({
	date: f.date, type: f.type, performed_by: f.performed_by, km: f.km,
	note: f.note, cost_amount: f.cost_amount, trust_level: f.trust_level,
});
