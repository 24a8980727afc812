// /app/documents.html (frontend.md §6.4): upload with a progress bar, own
// documents with their state labels, the document-id lookup and, for
// admins, the quarantine queue.

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, messages, dl, time, button, action } from './ui.js';
import { fmtSize, fmtType } from './format.js';
import { docList, uploadForm, stateLine, downloadLink, DOC_MAP, DOC_OTHER, APPROVAL, SCAN, PII } from './docs.js';

export async function render({ root, me }) {
	const admin = me.role === 'admin' || me.role === 'superadmin';
	const vehicles = await api('GET', '/api/vehicles');
	const vlist = vehicles.ok ? vehicles.data.map((v) => ({ id: v.id, label: v.nickname || v.vin_masked || v.id })) : [];

	// Own documents
	const own = section('Meine Dokumente', { id: 'meine' });
	const ownMsgs = messages();
	const ownList = h('div', {}, h('p', { role: 'status', text: 'Dokumente werden geladen …' }));
	own.el.append(ownMsgs.el, ownList);
	async function loadOwn() {
		const r = await api('GET', '/api/documents');
		if (!r.ok) {
			clear(ownList, h('p', { text: describe(r, DOC_MAP, DOC_OTHER).text }));
			return;
		}
		clear(ownList, docList(r.data, { msgs: ownMsgs, admin, reload: reloadAll, label: 'Meine Dokumente' }));
	}

	// Upload
	const up = section('Dokument hochladen', { id: 'upload' });
	const upForm = uploadForm({ vehicles: vlist, onUploaded: () => reloadAll() });
	up.el.append(upForm.el);

	// Lookup
	const look = section('Dokument-ID prüfen', { id: 'pruefen' });
	const docId = field({ label: 'Dokument-ID', name: 'doc_id', attrs: { autocomplete: 'off', spellcheck: 'false' } });
	const lookOut = h('div');
	const lookForm = form({
		label: 'Dokument-ID prüfen',
		async onSubmit(ev, f) {
			f.clear();
			clear(lookOut);
			const v = docId.value.trim();
			if (v === '') {
				f.fail([{ field: docId, text: 'Bitte eine Dokument-ID eingeben.' }]);
				return;
			}
			const r = await api('GET', `/api/documents/${encodeURIComponent(v)}`);
			if (!r.ok) {
				failForm(f, r, { fields: { doc_id: docId }, map: DOC_MAP, fallback: DOC_OTHER });
				return;
			}
			const d = r.data;
			clear(lookOut, h('h3', { text: d.filename }), dl([
				['Status', `${APPROVAL[d.approval_status] || d.approval_status}`],
				['Scan', SCAN[d.scan_status] || d.scan_status],
				['Datenschutz', PII[d.pii_status] || d.pii_status],
				['Typ und Größe', `${fmtType(d.content_type, d.filename)}, ${fmtSize(d.size_bytes)}`],
				['Hochgeladen am', time(d.created_at)],
				d.deleted_at ? ['Gelöscht am', time(d.deleted_at)] : null,
			]));
			f.msgs.ok(`Dokument gefunden: ${d.filename}`);
		},
	}, docId.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Prüfen' })));
	look.el.append(lookForm.el, lookOut);

	// Admin quarantine queue
	let quar = null;
	let loadQuarantine = async () => {};
	if (admin) {
		quar = section('Admin-Quarantäne', { id: 'quarantaene' });
		const qMsgs = messages();
		const qList = h('div', {}, h('p', { role: 'status', text: 'Quarantäne wird geladen …' }));
		quar.el.append(qMsgs.el, qList);
		loadQuarantine = async () => {
			const r = await api('GET', '/api/documents/admin/quarantine');
			if (!r.ok) {
				clear(qList, h('p', { text: describe(r, DOC_MAP, DOC_OTHER).text }));
				return;
			}
			clear(qList, r.data.length
				? h('ul', { class: 'items', 'aria-label': 'Dokumente in Quarantäne' }, r.data.map((d) => quarantineItem(d, qMsgs, reloadAll)))
				: h('p', { text: 'Keine Dokumente in der Quarantäne.' }));
		};
	}

	async function reloadAll() {
		await Promise.all([loadOwn(), loadQuarantine()]);
	}

	clear(root, h('h1', { text: 'Dokumente' }), up.el, own.el, look.el, quar ? quar.el : null);
	await reloadAll();
}

function quarantineItem(d, msgs, reload) {
	const base = `/api/documents/${encodeURIComponent(d.id)}`;
	const name = d.filename;
	const run = (label, path, body, done) => action(button(label, null, { 'aria-label': `${label}: ${name}` }), async () => {
		const r = await api('POST', `${base}/${path}`, body === undefined ? {} : { json: body });
		if (r.ok) {
			await reload();
			msgs.ok(`${done}: ${name}`);
		} else {
			msgs.err(describe(r, DOC_MAP, DOC_OTHER));
		}
	});
	const reason = field({ label: 'Ablehnungsgrund (optional)', name: 'reason', attrs: { maxlength: 500 } });
	const reject = form({
		label: `Ablehnen: ${name}`,
		async onSubmit(ev, f) {
			f.clear();
			const r = await api('POST', `${base}/reject`, { json: { reason: reason.value.trim() || null } });
			if (r.ok) {
				await reload();
				msgs.ok(`Abgelehnt: ${name}`);
			} else {
				failForm(f, r, { fields: { reason }, map: DOC_MAP, fallback: DOC_OTHER });
			}
		},
	}, reason.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'button-danger', text: 'Ablehnen',
		'aria-label': `Ablehnen: ${name}` })));
	return h('li', { 'data-doc': d.id },
		h('h3', { text: name }),
		h('p', { class: 'doc-state', text: stateLine(d) }),
		h('p', { class: 'meta-line' }, `${fmtType(d.content_type, name)}, ${fmtSize(d.size_bytes)} · hochgeladen am `, time(d.created_at),
			' · Besitzer: ', h('code', { text: d.owner_user_id })),
		h('p', {}, downloadLink(d)),
		h('div', { class: 'buttons', role: 'group', 'aria-label': `Scan: ${name}` },
			run('Scan: sauber', 'scan', { scan_status: 'CLEAN' }, 'Scan-Status sauber gesetzt'),
			run('Scan: infiziert', 'scan', { scan_status: 'INFECTED' }, 'Scan-Status infiziert gesetzt'),
			run('Erneut scannen', 'rescan', undefined, 'Erneut gescannt')),
		h('div', { class: 'buttons', role: 'group', 'aria-label': `Datenschutz: ${name}` },
			run('PII ok', 'pii', { pii_status: 'OK' }, 'Datenschutz ok gesetzt'),
			run('PII Verdacht', 'pii', { pii_status: 'SUSPECTED' }, 'Datenschutz-Verdacht gesetzt'),
			run('PII bestätigt', 'pii', { pii_status: 'CONFIRMED' }, 'Datenschutz-Befund bestätigt')),
		h('div', { class: 'buttons' }, run('Freigeben', 'approve', undefined, 'Freigegeben')),
		reject.el);
}
