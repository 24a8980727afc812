// /app/trust-folders.html?vehicle_id=…&addon_key=… (frontend.md §6.5).

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, addonPanel, time } from './ui.js';

export const FOLDER_MAP = { title_conflict: 'Ein Trust-Folder mit diesem Namen existiert bereits.' };
export const FOLDER_OTHER = 'Trust-Folder konnten nicht verarbeitet werden.';

export function addonKey(params) {
	const k = params.get('addon_key') || 'restauration';
	return /^[a-z0-9_-]{1,64}$/.test(k) ? k : 'restauration';
}

export async function render({ root, params }) {
	const vid = params.get('vehicle_id');
	if (!vid) {
		clear(root, h('h1', { text: 'Trust-Folder' }), h('p', { text: 'Bitte zuerst ein Fahrzeug wählen.' }),
			h('p', {}, h('a', { href: '/app/', text: 'Zu meinen Fahrzeugen' })));
		return;
	}
	const key = addonKey(params);
	const q = `vehicle_id=${encodeURIComponent(vid)}&addon_key=${encodeURIComponent(key)}`;
	const listSec = section('Deine Trust-Folder');
	const list = h('div', {}, h('p', { role: 'status', text: 'Trust-Folder werden geladen …' }));
	listSec.el.append(list);
	const createSec = section('Neuen Trust-Folder anlegen');
	const name = field({ label: 'Name des neuen Folders', name: 'title', required: true, attrs: { maxlength: 255 } });
	const frm = form({
		label: 'Neuen Trust-Folder anlegen',
		async onSubmit(ev, f) {
			f.clear();
			const t = name.value.trim();
			if (t === '') {
				f.fail([{ field: name, text: 'Bitte einen Namen eingeben.' }]);
				return;
			}
			const r = await api('POST', '/api/trust/folders', { json: { vehicle_id: vid, title: t, addon_key: key } });
			if (r.ok) {
				name.value = '';
				await load();
				f.msgs.ok(`Trust-Folder angelegt: ${r.data.title}`);
				return;
			}
			if (r.kind === 'addon') {
				clear(createSec.el, createSec.heading, addonPanel(3));
				return;
			}
			failForm(f, r, { fields: { title: name }, map: FOLDER_MAP, fallback: FOLDER_OTHER });
		},
	}, name.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Anlegen' })));
	createSec.el.append(frm.el);
	clear(root, h('h1', { text: 'Trust-Folder' }),
		h('p', {}, h('a', { href: `/app/vehicle.html?id=${encodeURIComponent(vid)}`, text: '← Zurück zum Fahrzeug' })),
		listSec.el, createSec.el);

	async function load() {
		const r = await api('GET', `/api/trust/folders?${q}`);
		if (!r.ok) {
			if (r.kind === 'addon') {
				clear(list, addonPanel(3));
				createSec.el.hidden = true;
			} else {
				clear(list, h('p', { text: describe(r, { not_found: 'Fahrzeug nicht gefunden.' }, FOLDER_OTHER).text }));
			}
			return;
		}
		clear(list, r.data.length
			? h('ul', { class: 'items', 'aria-label': 'Trust-Folder' }, r.data.map((t) => h('li', {},
				h('a', { href: `/app/trust-folder.html?id=${t.id}&${q}`, text: t.title }),
				h('p', { class: 'meta-line' }, 'Angelegt am ', time(t.created_at)))))
			: h('p', { text: 'Noch keine Trust-Folder vorhanden.' }));
	}
	await load();
}
