// /app/transfer.html[?vehicle_id=…][&transfer=…] (frontend.md §6.7).

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, messages, dl, dateTime, button, action } from './ui.js';
import { replaceUrl } from './nav.js';
import { LIMIT } from './vehicles.js';

const MAP = {
	transfer_not_found: 'Übergabe-Code nicht gefunden.',
	transfer_expired: 'Der Übergabe-Code ist abgelaufen.',
	transfer_not_redeemable: 'Diese Übergabe kann nicht mehr eingelöst werden.',
	cannot_redeem_own_transfer: 'Du kannst deine eigene Übergabe nicht einlösen.',
	transfer_not_cancellable: 'Diese Übergabe kann nicht mehr storniert werden.',
	transfer_not_extendable: 'Diese Übergabe kann nicht verlängert werden.',
	transfer_already_extended: 'Die Übergabe wurde bereits einmal verlängert.',
	vehicle_limit_reached: LIMIT,
	not_found: 'Fahrzeug nicht gefunden.',
};
const OTHER = 'Die Übergabe konnte nicht verarbeitet werden.';
const STATUS = { created: 'offen', redeemed: 'eingelöst', cancelled: 'storniert', expired: 'abgelaufen' };

export async function render({ root, params }) {
	const vehicles = await api('GET', '/api/vehicles');
	const list = vehicles.ok ? vehicles.data : [];

	// Status
	const statusSec = section('Status', { id: 'status' });
	const statusMsgs = messages();
	const statusBody = h('div');
	statusSec.el.append(statusBody, statusMsgs.el);
	statusSec.el.hidden = true;

	async function showStatus(tid) {
		statusSec.el.hidden = false;
		const r = await api('GET', `/api/transfer/status/${encodeURIComponent(tid)}`);
		if (!r.ok) {
			clear(statusBody, h('p', { text: describe(r, MAP, OTHER).text }));
			return;
		}
		const t = r.data;
		const open = t.status === 'created';
		const op = (label, path, done) => action(button(label, null, { class: path === 'cancel' ? 'button-danger' : null }), async () => {
			const x = await api('POST', `/api/transfer/${path}`, { json: { transfer_id: t.transfer_id } });
			if (x.ok) {
				await showStatus(t.transfer_id);
				statusMsgs.ok(done);
			} else {
				statusMsgs.err(describe(x, MAP, OTHER));
			}
		});
		const v = list.find((x) => x.id === t.vehicle_id);
		clear(statusBody, dl([
			['Fahrzeug', v ? (v.nickname || v.vin_masked) : t.vehicle_id],
			['Status', h('strong', { class: 'transfer-status', text: STATUS[t.status] || t.status })],
			['Gültig bis', dateTime(t.expires_at)],
			t.extended_at ? ['Verlängert am', dateTime(t.extended_at)] : null,
			t.redeemed_at ? ['Eingelöst am', dateTime(t.redeemed_at)] : null,
			t.cancelled_at ? ['Storniert am', dateTime(t.cancelled_at)] : null,
		]), open ? h('div', { class: 'buttons' },
			op('Verlängern', 'extend', 'Die Übergabe wurde verlängert.'),
			op('Stornieren', 'cancel', 'Die Übergabe wurde storniert.')) : null);
	}

	// Übergabe starten
	const start = section('Übergabe starten', { id: 'starten' });
	const result = h('div', { class: 'transfer-result' });
	if (!list.length) {
		start.el.append(h('p', { text: vehicles.ok ? 'Du hast noch kein Fahrzeug, das du übergeben kannst.'
			: describe(vehicles, MAP, OTHER).text }));
	} else {
		const pre = params.get('vehicle_id');
		const veh = field({ label: 'Fahrzeug', name: 'vehicle_id', required: true,
			options: list.map((v) => [v.id, v.nickname ? `${v.nickname} (${v.vin_masked})` : v.vin_masked || v.id]),
			value: list.some((v) => v.id === pre) ? pre : list[0].id });
		const frm = form({
			label: 'Übergabe starten',
			async onSubmit(ev, f) {
				f.clear();
				clear(result);
				statusMsgs.clear();
				const r = await api('POST', '/api/transfer/create', { json: { vehicle_id: veh.value } });
				if (!r.ok) {
					failForm(f, r, { fields: { vehicle_id: veh }, map: MAP, fallback: OTHER });
					return;
				}
				const code = field({ label: 'Übergabe-Code', name: 'transfer_token', value: r.data.transfer_token,
					attrs: { readonly: true, spellcheck: 'false', autocomplete: 'off', class: 'token' } });
				code.input.readOnly = true;
				const copyMsgs = messages();
				const copy = button('Kopieren', async () => {
					try {
						await navigator.clipboard.writeText(code.value);
					} catch {
						code.input.select();
						document.execCommand('copy');
					}
					copyMsgs.ok('Der Übergabe-Code wurde kopiert.');
				});
				clear(result, code.el, h('div', { class: 'buttons' }, copy), copyMsgs.el,
					h('p', { class: 'notice', role: 'note',
						text: 'Der Code wird nur jetzt angezeigt. Gib ihn nur an die Person weiter, die das Fahrzeug übernimmt.' }),
					h('p', {}, 'Gültig bis: ', dateTime(r.data.expires_at)));
				f.msgs.ok('Übergabe-Code erzeugt.');
				code.input.focus();
				const q = new URLSearchParams(location.search);
				q.set('transfer', r.data.transfer_id);
				replaceUrl(`${location.pathname}?${q}`);
				await showStatus(r.data.transfer_id);
			},
		}, veh.el, h('p', { class: 'hint', text: 'Der Übergabe-Code ist 14 Tage gültig und kann einmal verlängert werden.' }),
		h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Übergabe-Code erzeugen' })));
		start.el.append(frm.el, result);
	}

	// Fahrzeug übernehmen
	const take = section('Fahrzeug übernehmen', { id: 'uebernehmen' });
	const token = field({ label: 'Übergabe-Code', name: 'transfer_token', required: true,
		attrs: { autocomplete: 'off', spellcheck: 'false', maxlength: 256 } });
	const takeForm = form({
		label: 'Fahrzeug übernehmen',
		async onSubmit(ev, f) {
			f.clear();
			const t = token.value.trim();
			if (t.length < 20) {
				f.fail([{ field: token, text: t === '' ? 'Bitte den Übergabe-Code eingeben.' : MAP.transfer_not_found }]);
				return;
			}
			const r = await api('POST', '/api/transfer/redeem', { json: { transfer_token: t } });
			if (r.ok) {
				token.value = '';
				f.msgs.ok('Das Fahrzeug gehört jetzt zu deinem Konto. ',
					h('a', { href: `/app/vehicle.html?id=${encodeURIComponent(r.data.vehicle_id)}`, text: 'Zum Fahrzeug' }));
				return;
			}
			failForm(f, r, { fields: { transfer_token: token }, map: MAP, fallback: OTHER });
		},
	}, token.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Übernehmen' })));
	take.el.append(takeForm.el);

	clear(root, h('h1', { text: 'Übergabe' }), start.el, statusSec.el, take.el);
	const tid = params.get('transfer');
	if (tid)
		await showStatus(tid);
}
