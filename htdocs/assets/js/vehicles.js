// /app/: Meine Fahrzeuge (frontend.md §6.1).

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, messages } from './ui.js';
import { navigate } from './nav.js';
import { ACCIDENT_OPTIONS, VEHICLE_CLASSES, DRIVETRAINS, normaliseVin, vinValid } from './format.js';

export const VIN_HINT = '11 bis 17 Zeichen, ohne I, O und Q.';
export const VIN_INVALID = 'Die FIN ist ungültig: 11 bis 17 Zeichen, ohne I, O und Q.';
export const LIMIT = 'Fahrzeuglimit erreicht. Für Standard-User ist serverseitig nur 1 Fahrzeug kostenfrei erlaubt.';
const OTHER = 'Fahrzeuge konnten nicht verarbeitet werden.';

export function vinField() {
	const f = field({ label: 'FIN', name: 'vin', required: true, hint: VIN_HINT,
		attrs: { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 64 } });
	// Uppercase while typing, as the server will.
	f.input.addEventListener('input', () => {
		const p = f.input.selectionStart;
		f.input.value = f.input.value.toUpperCase();
		f.input.setSelectionRange(p, p);
	});
	return f;
}

// Checks the FIN on the client; returns the normalised value or null.
export function checkVin(f, frm) {
	const vin = normaliseVin(f.value);
	if (!vinValid(vin)) {
		frm.fail([{ field: f, text: vin === '' ? 'Bitte eine FIN eingeben.' : VIN_INVALID }]);
		return null;
	}
	return vin;
}

export function accidentField(value) {
	return field({ label: 'Unfallstatus', name: 'accident_status', options: ACCIDENT_OPTIONS, value: value || 'unknown' });
}

const none = [['', '—']];

// The public fields of §5.1 (Fahrzeugklasse, Marke, Modell, Baujahr, Antrieb).
export function publicFields(meta = {}) {
	const year = new Date().getUTCFullYear() + 1;
	return {
		vehicle_class: field({ label: 'Fahrzeugklasse', name: 'vehicle_class', options: [...none, ...VEHICLE_CLASSES], value: meta.vehicle_class || '' }),
		make: field({ label: 'Marke', name: 'make', value: meta.make || '', attrs: { maxlength: 40 } }),
		model: field({ label: 'Modell', name: 'model', value: meta.model || '', attrs: { maxlength: 60 } }),
		year: field({ label: 'Baujahr', name: 'year', type: 'number', value: meta.year ?? '', attrs: { min: 1886, max: year, inputmode: 'numeric' } }),
		drivetrain: field({ label: 'Antrieb', name: 'drivetrain', options: [...none, ...DRIVETRAINS], value: meta.drivetrain || '' }),
	};
}

// Reads the public fields; empty values become null (PATCH removes them)
// or are left out (create).
export function readPublic(pf, frm, { nulls }) {
	const out = {};
	for (const k of ['vehicle_class', 'make', 'model', 'drivetrain']) {
		const v = pf[k].value.trim();
		if (v !== '')
			out[k] = v;
		else if (nulls)
			out[k] = null;
	}
	const y = pf.year.value.trim();
	if (y !== '') {
		const n = Number(y);
		const max = new Date().getUTCFullYear() + 1;
		if (!Number.isInteger(n) || n < 1886 || n > max) {
			frm.fail([{ field: pf.year, text: `Das Baujahr muss zwischen 1886 und ${max} liegen.` }]);
			return null;
		}
		out.year = n;
	} else if (nulls) {
		out.year = null;
	}
	return out;
}

export const VEHICLE_MAP = { vehicle_limit_reached: LIMIT };

export async function render({ root, me }) {
	const admin = me.role === 'admin' || me.role === 'superadmin';
	const listSec = section(admin ? 'Alle Fahrzeuge' : 'Deine Fahrzeuge');
	const list = h('div', {}, h('p', { role: 'status', text: 'Fahrzeuge werden geladen …' }));
	listSec.el.append(list);

	const createSec = section('Neues Fahrzeug anlegen', { id: 'neu' });
	const vin = vinField();
	const nick = field({ label: 'Spitzname (optional)', name: 'nickname', attrs: { maxlength: 80 } });
	const acc = accidentField();
	const pf = publicFields();
	const frm = form({
		label: 'Neues Fahrzeug anlegen',
		async onSubmit(ev, f) {
			f.clear();
			const v = checkVin(vin, f);
			if (!v)
				return;
			const pub = readPublic(pf, f, { nulls: false });
			if (!pub)
				return;
			const body = { vin: v, meta: Object.assign({ accident_status: acc.value }, pub) };
			if (nick.value.trim() !== '')
				body.nickname = nick.value.trim();
			const r = await api('POST', '/api/vehicles', { json: body });
			if (r.ok) {
				navigate(`/app/vehicle.html?id=${encodeURIComponent(r.data.id)}`);
				return;
			}
			failForm(f, r, {
				fields: { vin, nickname: nick, accident_status: acc, ...pf },
				fieldCodes: { invalid_vin_format: ['vin', VIN_INVALID] },
				map: VEHICLE_MAP, fallback: OTHER,
			});
		},
	}, vin.el, nick.el, acc.el,
	h('details', {}, h('summary', { text: 'Öffentliche Fahrzeugdaten (optional)' }),
		pf.vehicle_class.el, pf.make.el, pf.model.el, pf.year.el, pf.drivetrain.el),
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Fahrzeug anlegen' })));
	createSec.el.append(frm.el);

	clear(root, h('h1', { text: 'Meine Fahrzeuge' }), listSec.el, createSec.el);

	const r = await api('GET', '/api/vehicles');
	if (!r.ok) {
		const m = messages();
		clear(list, m.el);
		m.err(describe(r, VEHICLE_MAP, OTHER));
		return;
	}
	if (!r.data.length) {
		clear(list, h('p', { text: 'Noch keine Fahrzeuge vorhanden.' }),
			h('p', {}, h('a', { href: '/app/onboarding.html', class: 'button', text: 'Erste Schritte' })));
		return;
	}
	clear(list, h('ul', { class: 'items grid', 'aria-label': 'Fahrzeuge' }, r.data.map((v) => h('li', {},
		h('h3', { class: 'card-title' }, h('a', { href: `/app/vehicle.html?id=${encodeURIComponent(v.id)}`, text: v.nickname || v.vin_masked || v.id })),
		h('p', { class: 'meta-line' }, 'FIN (maskiert): ', v.vin_masked || '—'),
		admin ? h('p', { class: 'meta-line' }, 'Besitzer: ', h('code', { text: v.owner_user_id })) : null))));
}
