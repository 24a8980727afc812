// /app/onboarding.html: three steps (frontend.md §6.3). The state lives
// in this module's memory only; nothing goes into web storage.

import { api } from './api.js';
import { h, clear, form, failForm, button } from './ui.js';
import { vinField, checkVin, accidentField, VIN_INVALID, VEHICLE_MAP } from './vehicles.js';
import { entryFields, readEntry, PERFORMERS, ENTRY_FIELDS_BY_API } from './entries.js';
import { maskVin } from './format.js';

const STEPS = ['FIN erfassen', 'Fahrzeug anlegen', 'Ersten Eintrag anlegen'];
const WHY = 'Warum die FIN? Sie identifiziert dein Fahrzeug eindeutig. Wir speichern nur die ersten drei und '
	+ 'die letzten vier Zeichen sowie einen nicht umkehrbaren Prüfwert; öffentlich erscheint sie nur maskiert.';

export async function render({ root }) {
	const state = { step: 0, vin: '', accident: 'unknown', vehicle: null };
	const stepNav = h('ol', { class: 'steps', 'aria-label': 'Schritte' });
	const body = h('div');
	clear(root, h('h1', { text: 'Erste Schritte' }), stepNav, body);

	function show(step) {
		state.step = step;
		clear(stepNav, STEPS.map((t, i) => h('li', { 'aria-current': i === step ? 'step' : null,
			text: `${i + 1}. ${t}` })));
		[step1, step2, step3, done][step]();
	}

	function heading(text) {
		return h('h2', { tabindex: '-1', text });
	}

	// Focus moves to each step's heading.
	function mount(hd, ...content) {
		clear(body, h('section', { 'aria-labelledby': hd.id || (hd.id = `step-${state.step}`) }, hd, ...content));
		hd.focus();
	}

	function step1() {
		const hd = heading(`Schritt 1: ${STEPS[0]}`);
		const vin = vinField();
		vin.value = state.vin;
		const frm = form({
			label: STEPS[0],
			onSubmit(ev, f) {
				f.clear();
				const v = checkVin(vin, f);
				if (!v)
					return;
				state.vin = v;
				show(1);
			},
		}, vin.el, h('p', { class: 'notice', text: WHY }),
		h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Weiter' })));
		mount(hd, frm.el);
	}

	function step2() {
		const hd = heading(`Schritt 2: ${STEPS[1]}`);
		const acc = accidentField(state.accident);
		acc.input.addEventListener('change', () => { state.accident = acc.value; });
		const frm = form({
			label: STEPS[1],
			async onSubmit(ev, f) {
				f.clear();
				state.accident = acc.value;
				const r = await api('POST', '/api/vehicles', { json: { vin: state.vin, meta: { accident_status: acc.value } } });
				if (r.ok) {
					state.vehicle = r.data;
					show(2);
					return;
				}
				failForm(f, r, { fields: { accident_status: acc },
					map: Object.assign({ invalid_vin_format: VIN_INVALID }, VEHICLE_MAP),
					fallback: 'Fahrzeuge konnten nicht verarbeitet werden.' });
			},
		}, h('p', {}, 'FIN (maskiert): ', h('strong', { class: 'token', text: maskVin(state.vin) })), acc.el,
		h('div', { class: 'buttons' },
			button('Zurück', () => show(0), { class: 'button-secondary' }),
			h('button', { type: 'submit', text: 'Weiter' })));
		mount(hd, frm.el);
	}

	function step3() {
		const hd = heading(`Schritt 3: ${STEPS[2]}`);
		const dlId = 'onb-performers';
		const f = entryFields(dlId, { full: false });
		const id = state.vehicle.id;
		const frm = form({
			label: STEPS[2],
			async onSubmit(ev, fm) {
				fm.clear();
				const r0 = readEntry(f);
				if (r0.errs) {
					fm.fail(r0.errs);
					return;
				}
				const r = await api('POST', `/api/vehicles/${encodeURIComponent(id)}/entries`, { json: r0.body });
				if (r.ok) {
					show(3);
					return;
				}
				failForm(fm, r, { fields: ENTRY_FIELDS_BY_API(f), fallback: 'Der Eintrag konnte nicht gespeichert werden.' });
			},
		}, h('p', {}, 'Fahrzeug angelegt: ', h('strong', { text: state.vehicle.vin_masked })),
		h('datalist', { id: dlId }, PERFORMERS.map((p) => h('option', { value: p }))),
		f.date.el, f.type.el, f.performed_by.el, f.km.el,
		h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Weiter' })));
		mount(hd, frm.el);
	}

	function done() {
		const hd = heading('Geschafft!');
		const id = encodeURIComponent(state.vehicle.id);
		mount(hd,
			h('p', { role: 'status', text: 'Dein Fahrzeug und der erste Eintrag sind gespeichert.' }),
			h('ul', { class: 'links' },
				h('li', {}, h('a', { href: `/app/vehicle.html?id=${id}`, text: 'Zum Fahrzeug' })),
				h('li', {}, h('a', { href: `/app/vehicle.html?id=${id}#dokumente`, text: 'Dokument hochladen' })),
				h('li', {}, h('a', { href: `/app/vehicle.html?id=${id}#eintrag`, text: 'Weitere Einträge' }))),
			h('div', { class: 'buttons' }, button('Neu starten', () => {
				state.vin = '';
				state.accident = 'unknown';
				state.vehicle = null;
				show(0);
			}, { class: 'button-secondary' })));
	}

	show(0);
}
