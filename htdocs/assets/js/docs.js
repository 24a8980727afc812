// Documents shared by the vehicle page and /app/documents.html: state
// labels, the list item with its actions, and the upload form with its
// progress bar (frontend.md §6.2 item 6, §6.4).

import { api, describe } from './api.js';
import { h, clear, form, field, failForm, time, button, action } from './ui.js';
import { fmtSize, fmtType } from './format.js';

export const DOC_MAP = {
	too_large: 'Datei zu groß. Uploads sind serverseitig auf 10 MB begrenzt.',
	ext_not_allowed: 'Dateiendung nicht erlaubt. Zulässig sind PDF, PNG, JPG und JPEG.',
	mime_not_allowed: 'Dateityp nicht erlaubt.',
	content_type_mismatch: 'Der Dateiinhalt passt nicht zur Dateiendung.',
	not_found: 'Dokument nicht gefunden.',
	not_scanned_clean: 'Freigabe erst nach Scan-Status CLEAN möglich.',
	pii_not_cleared: 'Freigabe erst nach abgeschlossener Datenschutz-Prüfung möglich.',
	document_rejected: 'Abgelehnte Dokumente können nicht freigegeben werden.',
	document_deleted: 'Dokument wurde gelöscht.',
	scanner_not_configured: 'Kein Virenscanner konfiguriert.',
	scanner_unavailable: 'Der Virenscanner ist gerade nicht erreichbar. Bitte später erneut versuchen.',
	forbidden: 'Kein Zugriff auf dieses Dokument.',
	rate_limited: 'Zu viele Uploads. Bitte kurz warten.',
};
export const DOC_OTHER = 'Dokumente konnten nicht verarbeitet werden.';

export const APPROVAL = { QUARANTINED: 'In Prüfung', APPROVED: 'Freigegeben', REJECTED: 'Abgelehnt' };
export const SCAN = { PENDING: 'ausstehend', CLEAN: 'sauber', INFECTED: 'infiziert', ERROR: 'Fehler' };
export const PII = { OK: 'ok', SUSPECTED: 'Verdacht', CONFIRMED: 'bestätigt' };

export const UPLOAD_TEXT = 'Erlaubt: PDF, PNG, JPG, JPEG bis 10 MB. Uploads starten immer in der Prüfung (Quarantäne).';
const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';
const MAX = 10 * 1024 * 1024;

export function validEvidence(d) {
	return d.approval_status === 'APPROVED' && d.scan_status === 'CLEAN' && d.pii_status === 'OK' && !d.deleted_at;
}

export function stateLine(d) {
	return `Status: ${APPROVAL[d.approval_status] || d.approval_status} · Scan: ${SCAN[d.scan_status] || d.scan_status}`
		+ ` · Datenschutz: ${PII[d.pii_status] || d.pii_status}`;
}

export function downloadLink(d) {
	const fmt = `${fmtType(d.content_type, d.filename)}, ${fmtSize(d.size_bytes)}`;
	return h('a', {
		href: `/api/documents/${encodeURIComponent(d.id)}/download`,
		text: `Herunterladen (${fmt})`,
		'aria-label': `Herunterladen (${fmt}): ${d.filename}`,
	});
}

// One document as a list item. opts: msgs (a messages() box), admin,
// reload() after a change.
export function docItem(d, { msgs, admin, reload }) {
	const title = h('h3', { text: d.filename });
	const buttons = h('div', { class: 'buttons' });
	if (d.pii_status === 'OK') {
		buttons.append(action(button('Datenschutz-Problem melden', null, {
			'aria-label': `Datenschutz-Problem melden: ${d.filename}`,
		}), async () => {
			const r = await api('POST', `/api/documents/${encodeURIComponent(d.id)}/pii`, { json: { pii_status: 'SUSPECTED' } });
			if (r.ok) {
				await reload();
				msgs.ok(`Datenschutz-Problem gemeldet: ${d.filename}`);
			} else {
				msgs.err(describe(r, DOC_MAP, DOC_OTHER));
			}
		}));
	}
	buttons.append(action(button('Löschen', null, { class: 'button-danger', 'aria-label': `Löschen: ${d.filename}` }), async () => {
		if (!confirm('Dokument wirklich löschen?'))
			return;
		const r = await api('DELETE', `/api/documents/${encodeURIComponent(d.id)}`);
		if (r.ok) {
			await reload();
			msgs.ok(`Dokument gelöscht: ${d.filename}`);
		} else {
			msgs.err(describe(r, DOC_MAP, DOC_OTHER));
		}
	}));
	return h('li', { 'data-doc': d.id },
		title,
		h('p', { class: 'doc-state', text: stateLine(d) }),
		h('p', { class: 'meta-line' }, `${fmtType(d.content_type, d.filename)}, ${fmtSize(d.size_bytes)} · hochgeladen am `, time(d.created_at)),
		d.reject_reason ? h('p', { class: 'meta-line', text: `Ablehnungsgrund: ${d.reject_reason}` }) : null,
		(validEvidence(d) || admin) ? h('p', {}, downloadLink(d)) : null,
		buttons);
}

export function docList(docs, opts) {
	if (!docs.length)
		return h('p', { text: 'Noch keine Dokumente vorhanden.' });
	return h('ul', { class: 'items', 'aria-label': opts.label || 'Dokumente' }, docs.map((d) => docItem(d, opts)));
}

// The upload form. opts: vehicles ([{id, label}]) for a vehicle select,
// or vehicleId with entries ([{id, label}]) for the entry select;
// onUploaded(doc).
export function uploadForm(opts) {
	const file = field({ label: 'Datei', name: 'file', type: 'file', required: true, hint: UPLOAD_TEXT,
		attrs: { accept: ACCEPT } });
	let vehicle = null;
	let entry = null;
	if (opts.vehicles) {
		vehicle = field({ label: 'Fahrzeug (optional)', name: 'vehicle_id',
			options: [['', '— kein Fahrzeug —'], ...opts.vehicles.map((v) => [v.id, v.label])], value: opts.vehicleId || '' });
	}
	if (opts.entries) {
		entry = field({ label: 'Zu Eintrag', name: 'entry_id',
			options: [['', '— kein Eintrag —'], ...opts.entries.map((e) => [e.id, e.label])] });
	}
	const progId = `${file.id}-progress`;
	const progress = h('progress', { id: progId, max: '100', value: '0' });
	const progWrap = h('div', { class: 'field', hidden: true }, h('label', { for: progId, text: 'Upload-Fortschritt' }), progress);
	const frm = form({
		label: 'Dokument hochladen',
		async onSubmit(ev, f) {
			f.clear();
			const picked = file.input.files && file.input.files[0];
			if (!picked) {
				f.fail([{ field: file, text: 'Bitte eine Datei auswählen.' }]);
				return;
			}
			if (!/\.(pdf|png|jpe?g)$/i.test(picked.name)) {
				f.fail([{ field: file, text: DOC_MAP.ext_not_allowed }]);
				return;
			}
			if (picked.size > MAX) {
				f.fail([{ field: file, text: DOC_MAP.too_large }]);
				return;
			}
			const fd = new FormData();
			fd.append('file', picked, picked.name);
			const vid = vehicle ? vehicle.value : (opts.vehicleId || '');
			if (vid)
				fd.append('vehicle_id', vid);
			if (entry && entry.value)
				fd.append('entry_id', entry.value);
			progress.value = 0;
			progWrap.hidden = false;
			f.msgs.progress(`Upload läuft: ${picked.name}`);
			const r = await api('POST', '/api/documents/upload', {
				form: fd,
				onProgress(loaded, total) {
					progress.value = Math.round((loaded / total) * 100);
				},
			});
			if (r.ok) {
				progress.value = 100;
				file.input.value = '';
				if (opts.onUploaded)
					await opts.onUploaded(r.data);
				f.msgs.ok(`Hochgeladen: ${r.data.filename}. Das Dokument ist jetzt in der Prüfung (Quarantäne).`);
				return;
			}
			progWrap.hidden = true;
			failForm(f, r, { fields: { file, vehicle_id: vehicle, entry_id: entry },
				map: DOC_MAP, fallback: DOC_OTHER });
		},
	}, file.el, vehicle ? vehicle.el : null, entry ? entry.el : null, progWrap,
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Hochladen' })));
	frm.setEntries = (entries) => {
		if (!entry)
			return;
		const keep = entry.value;
		clear(entry.input, h('option', { value: '', text: '— kein Eintrag —' }),
			entries.map((e) => h('option', { value: e.id, text: e.label })));
		entry.value = entries.some((e) => e.id === keep) ? keep : '';
	};
	return frm;
}
