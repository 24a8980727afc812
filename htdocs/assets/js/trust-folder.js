// /app/trust-folder.html?id=…&vehicle_id=…&addon_key=… (frontend.md §6.6).

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, addonPanel, messages, dl, time, dateTime, button, action } from './ui.js';
import { navigate } from './nav.js';
import { FOLDER_MAP, FOLDER_OTHER, addonKey } from './trust-folders.js';

export async function render({ root, params }) {
	const id = params.get('id') || '';
	const vid = params.get('vehicle_id') || '';
	const key = addonKey(params);
	const listUrl = `/app/trust-folders.html?vehicle_id=${encodeURIComponent(vid)}&addon_key=${encodeURIComponent(key)}`;
	const back = h('p', {}, h('a', { href: listUrl, text: '← Zurück zur Liste' }));
	if (!/^[0-9]+$/.test(id) || /^0+$/.test(id)) {
		clear(root, h('h1', { text: 'Trust-Folder' }), h('p', { text: 'Ungültige Trust-Folder-ID.' }), back);
		return;
	}
	const url = `/api/trust/folders/${id}`;
	const r = await api('GET', url);
	if (!r.ok) {
		if (r.kind === 'redirect')
			return;
		clear(root, h('h1', { text: 'Trust-Folder' }), r.kind === 'addon' ? addonPanel(2)
			: h('p', { text: describe(r, { not_found: 'Trust-Folder nicht gefunden.' }, FOLDER_OTHER).text }), back);
		return;
	}
	let folder = r.data;
	const h1 = h('h1', { text: folder.title });
	const facts = h('div');
	let delBtn = null;
	const showFacts = () => {
		delBtn?.setAttribute('aria-label', `Trust-Folder ${folder.title} löschen`);
		h1.textContent = folder.title;
		document.title = `${folder.title} · Trust-Folder – LifeTimeCircle`;
		clear(facts, dl([['Add-on', folder.addon_key], ['Angelegt am', time(folder.created_at)],
			['Zuletzt geändert', dateTime(folder.updated_at)]]));
	};
	showFacts();

	const ren = section('Umbenennen');
	const title = field({ label: 'Neuer Name', name: 'title', required: true, value: folder.title, attrs: { maxlength: 255 } });
	const frm = form({
		label: 'Trust-Folder umbenennen',
		async onSubmit(ev, f) {
			f.clear();
			const t = title.value.trim();
			if (t === '') {
				f.fail([{ field: title, text: 'Bitte einen Namen eingeben.' }]);
				return;
			}
			const x = await api('PATCH', url, { json: { title: t } });
			if (x.ok) {
				folder = x.data;
				showFacts();
				f.msgs.ok('Gespeichert.');
				return;
			}
			if (x.kind === 'addon') {
				clear(ren.el, ren.heading, addonPanel(3));
				return;
			}
			failForm(f, x, { fields: { title }, map: FOLDER_MAP, fallback: FOLDER_OTHER });
		},
	}, title.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Umbenennen' })));
	ren.el.append(frm.el);

	const del = section('Löschen');
	const msgs = messages();
	delBtn = action(button('Löschen', null, { class: 'button-danger', 'aria-label': `Trust-Folder ${folder.title} löschen` }), async () => {
		if (!confirm('Trust-Folder wirklich löschen?'))
			return;
		const x = await api('DELETE', url);
		if (x.ok) {
			navigate(listUrl);
			return;
		}
		msgs.err(x.kind === 'addon' ? { title: 'Add-on erforderlich', text: 'Diese Funktion ist nur mit entsprechendem Add-on verfügbar.' }
			: describe(x, { not_found: 'Trust-Folder nicht gefunden.' }, FOLDER_OTHER));
	});
	del.el.append(h('div', { class: 'buttons' }, delBtn), msgs.el);
	clear(root, h1, back, facts, ren.el, del.el);
}
