// /app/vehicle.html?id=…: one vehicle with the twelve sections of
// frontend.md §6.2.

import { api, describe, downloadJson } from './api.js';
import {
	h, clear, section, form, field, check, failForm, messages, panel, forbiddenPanel, addonPanel,
	ampel, dl, time, dateTime, button, action,
} from './ui.js';
import { navigate } from './nav.js';
import {
	fmtDate, fmtKm, fmtMoney, accidentCanonical, accidentLabel, optionLabel, VEHICLE_CLASSES, DRIVETRAINS,
	STATUS_LABELS,
} from './format.js';
import { accidentField, publicFields, readPublic, VEHICLE_MAP } from './vehicles.js';
import { entryFields, readEntry, trustLevelText, today, PERFORMERS, ENTRY_HINT, ENTRY_FIELDS_BY_API } from './entries.js';
import { docList, uploadForm, DOC_MAP, DOC_OTHER } from './docs.js';

const NOT_FOUND = 'Fahrzeug nicht gefunden.';
const DISCLAIMER = 'Die Trust-Ampel bewertet ausschließlich die Dokumentations- und Nachweisqualität. '
	+ 'Sie ist keine Aussage über den technischen Zustand des Fahrzeugs.';
const SOURCES = { GPS: 'GPS-Probefahrt', READOUT: 'Auslesung', SYSTEM: 'System', OWNER: 'Halter' };
const RESULTS = { OK: 'OK', NOT_OK: 'Nicht OK', IN_PROGRESS: 'in Arbeit', DONE: 'erledigt' };
const SB_MAP = { case_not_found: 'Der Maßnahmenfall wurde nicht gefunden.' };
const SB_OTHER = 'Die Prüfung konnte nicht gespeichert werden.';
const DELETE_REASONS = [['sold', 'Verkauft'], ['scrapped', 'Verschrottet'], ['stolen', 'Gestohlen'],
	['duplicate', 'Doppelt angelegt'], ['other', 'Sonstiges']];

function enc(s) {
	return encodeURIComponent(s);
}

export async function render({ root, params, me }) {
	const id = params.get('id');
	if (!id) {
		clear(root, h('h1', { text: 'Fahrzeug' }), panel('Fahrzeug', NOT_FOUND, { level: 2 }));
		return;
	}
	clear(root, h('h1', { text: 'Fahrzeug' }), h('p', { role: 'status', text: 'Fahrzeug wird geladen …' }));
	const base = `/api/vehicles/${enc(id)}`;
	const [veh, ents, trust, docs, sb, resta] = await Promise.all([
		api('GET', base),
		api('GET', `${base}/entries`),
		api('GET', `${base}/trust-summary`),
		api('GET', `/api/documents?vehicle_id=${enc(id)}`),
		api('GET', `/api/servicebook/${enc(id)}/entries`),
		api('GET', `/api/addons/vehicles/${enc(id)}/restauration`),
	]);
	if (!veh.ok) {
		if (veh.kind === 'redirect')
			return;
		if (veh.status === 404)
			clear(root, h('h1', { text: 'Fahrzeug' }), h('p', { class: 'panel', text: NOT_FOUND }));
		else if (veh.kind === 'forbidden')
			clear(root, h('h1', { text: 'Fahrzeug' }), forbiddenPanel(2));
		else
			clear(root, h('h1', { text: 'Fahrzeug' }), panel('Fehler', describe(veh, VEHICLE_MAP, 'Fahrzeuge konnten nicht verarbeitet werden.').text));
		return;
	}
	const st = {
		v: veh.data,
		entries: ents.ok ? ents.data : [],
		trust: trust.ok ? trust.data : null,
		docs: docs.ok ? docs.data : null,
		admin: me.role === 'admin' || me.role === 'superadmin',
	};
	const ui = {};

	async function reloadTrust() {
		const t = await api('GET', `${base}/trust-summary`);
		if (t.ok)
			st.trust = t.data;
		ui.head.update();
		ui.trust.update();
	}
	async function reloadEntries() {
		const r = await api('GET', `${base}/entries`);
		if (r.ok)
			st.entries = r.data;
		ui.timeline.update();
		ui.docs.setEntries();
		await reloadTrust();
	}
	async function reloadDocs() {
		const r = await api('GET', `/api/documents?vehicle_id=${enc(id)}`);
		st.docs = r.ok ? r.data : null;
		ui.docs.update(r.ok ? null : r);
		await reloadTrust();
	}
	const ctx = { st, base, id, reloadTrust, reloadEntries, reloadDocs, ui };

	ui.head = headSection(ctx);
	ui.trust = trustSection(ctx);
	ui.stamm = stammSection(ctx);
	ui.timeline = timelineSection(ctx);
	ui.editor = editorSection(ctx);
	ui.docs = docsSection(ctx, docs);
	ui.head.update();
	ui.trust.update();
	ui.timeline.update();
	ui.docs.update(docs.ok ? null : docs);
	clear(root, ui.head.el, ui.trust.el, ui.stamm.el, ui.timeline.el, ui.editor.el, ui.docs.el,
		qrSection(ctx), servicebookSection(ctx, sb), restaurationSection(ctx, resta),
		transferSection(ctx), exportSection(ctx), deleteSection(ctx));
}

function title(v) {
	return v.nickname || v.vin_masked || 'Fahrzeug';
}

// 1. Kopf
function headSection({ st }) {
	const h1 = h('h1', { id: 'vehicle-title' });
	const badge = h('p', { class: 'head-badge' });
	const el = h('section', { 'aria-labelledby': 'vehicle-title', class: 'vehicle-head' }, h1, badge);
	return {
		el,
		update() {
			h1.textContent = title(st.v);
			document.title = `${title(st.v)} · Fahrzeug – LifeTimeCircle`;
			clear(badge, st.trust ? ampel(st.trust.trust_light) : 'Trust-Ampel: nicht verfügbar');
		},
	};
}

// 2. Trust-Ampel
function trustSection({ st }) {
	const s = section('Trust-Ampel', { id: 'trust' });
	const body = h('div');
	s.el.append(body, h('p', { class: 'disclaimer disclaimer-box', text: DISCLAIMER }));
	return {
		el: s.el,
		update() {
			const t = st.trust;
			if (!t) {
				clear(body, h('p', { text: 'Die Trust-Ampel konnte nicht geladen werden.' }));
				return;
			}
			const hints = Object.fromEntries((t.reasons || []).map((r) => [r.code, r.hint]));
			const kms = st.entries.map((e) => e.km).filter((k) => Number.isFinite(k));
			clear(body,
				h('p', {}, ampel(t.trust_light)),
				h('p', { class: 'trust-hint', text: t.hint }),
				h('p', { text: `Verifizierung: ${t.verification_level}` }),
				h('p', { text: `Höchste Stufe: ${t.top_trust_level || 'keine'}` }),
				h('ul', { class: 'tiles', 'aria-label': 'Status' },
					h('li', {}, h('strong', { text: 'Historie' }), STATUS_LABELS[t.history_status] || t.history_status),
					h('li', {}, h('strong', { text: 'Nachweise' }), STATUS_LABELS[t.evidence_status] || t.evidence_status),
					h('li', {}, h('strong', { text: 'Unfallstatus' }), t.accident_status_label)),
				h('h3', { text: 'Bewertungsfaktoren' }),
				(t.reasons || []).length
					? h('ul', { class: 'plain' }, t.reasons.map((r) => h('li', { text: r.hint })))
					: h('p', { text: 'Keine offenen Punkte.' }),
				h('h3', { text: 'Priorisierte To-dos' }),
				(t.todo_codes || []).length
					? h('ol', { class: 'plain' }, t.todo_codes.filter((c) => hints[c]).map((c) => h('li', { text: hints[c] })))
					: h('p', { text: 'Keine To-dos.' }),
				h('h3', { text: 'Deine Zahlen' }),
				dl([
					['Einträge', String(st.entries.length)],
					kms.length ? ['Kilometer-Spanne', `${fmtKm(Math.min(...kms))} – ${fmtKm(Math.max(...kms))}`] : null,
				]),
				h('p', { class: 'hint', text: 'Diese Zahlen siehst nur du; der öffentliche Fahrzeug-Check zeigt keine Zahlen.' }));
		},
	};
}

// 3. Stammdaten
function stammSection({ st, base, reloadTrust, ui }) {
	const s = section('Stammdaten', { id: 'stammdaten' });
	const facts = h('div');
	const showFacts = () => {
		const m = st.v.meta || {};
		clear(facts, dl([
			['FIN (maskiert)', st.v.vin_masked || '—'],
			['Spitzname', st.v.nickname || '—'],
			['Unfallstatus', accidentLabel(m.accident_status)],
			['Unfall dokumentiert und abgeschlossen', m.accident_trust_completed ? 'ja' : 'nein'],
			['Fahrzeugklasse', optionLabel(VEHICLE_CLASSES, m.vehicle_class)],
			['Marke', m.make || '—'],
			['Modell', m.model || '—'],
			['Baujahr', m.year ? String(m.year) : '—'],
			['Antrieb', optionLabel(DRIVETRAINS, m.drivetrain)],
		]));
	};
	showFacts();
	const m = st.v.meta || {};
	const nick = field({ label: 'Spitzname', name: 'nickname', value: st.v.nickname || '', attrs: { maxlength: 80 } });
	const acc = accidentField(accidentCanonical(m.accident_status));
	const done = check({ label: 'Unfall vollständig dokumentiert und abgeschlossen', name: 'accident_trust_completed',
		checked: m.accident_trust_completed === true });
	const pf = publicFields(m);
	const frm = form({
		label: 'Stammdaten bearbeiten',
		async onSubmit(ev, f) {
			f.clear();
			const pub = readPublic(pf, f, { nulls: true });
			if (!pub)
				return;
			const body = {
				nickname: nick.value.trim() === '' ? null : nick.value.trim(),
				meta: Object.assign({ accident_status: acc.value, accident_trust_completed: done.checked }, pub),
			};
			const r = await api('PATCH', base, { json: body });
			if (r.ok) {
				st.v = r.data;
				showFacts();
				ui.head.update();
				f.msgs.ok('Gespeichert.');
				await reloadTrust();
				return;
			}
			failForm(f, r, { fields: { nickname: nick, accident_status: acc, accident_trust_completed: done, ...pf },
				map: { vehicle_deleted: 'Das Fahrzeug ist gelöscht und kann nicht bearbeitet werden.' },
				fallback: 'Fahrzeuge konnten nicht verarbeitet werden.' });
		},
	}, h('h3', { text: 'Stammdaten bearbeiten' }), nick.el, acc.el, done.el,
	pf.vehicle_class.el, pf.make.el, pf.model.el, pf.year.el, pf.drivetrain.el,
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Speichern' })));
	s.el.append(facts, frm.el);
	return { el: s.el };
}

// 4. Timeline
function timelineSection(ctx) {
	const { st, base } = ctx;
	const s = section('Timeline', { id: 'timeline' });
	const msgs = messages();
	const list = h('div');
	s.el.append(msgs.el, list);

	function item(e) {
		const hid = `entry-${e.id}`;
		const hist = h('div', { class: 'history' });
		const histBtn = action(button('Versionshistorie laden', null, { 'aria-describedby': hid }), async () => {
			const r = await api('GET', `${base}/entries/${enc(e.id)}/history`);
			if (!r.ok) {
				msgs.err(describe(r, { entry_not_found: 'Dieser Eintrag wurde inzwischen geändert. Bitte neu laden.' },
					'Die Versionshistorie konnte nicht geladen werden.'));
				return;
			}
			clear(hist, h('h4', { text: 'Versionshistorie' }), h('ul', { class: 'plain' }, r.data.map((x) => h('li', {
				text: `v${x.version} · ${fmtDate(x.date)} · ${fmtKm(x.km)} · ${x.performed_by} · ${x.is_latest ? 'aktuell' : 'archiviert'}`,
			}))));
			msgs.ok(`Versionshistorie geladen: ${r.data.length} Versionen.`);
		});
		const revBtn = button('Neue Version anlegen', () => ctx.ui.editor.revise(e), { 'aria-describedby': hid });
		return h('li', { 'data-entry': e.id },
			h('h3', { id: hid, text: `${e.type} · ${fmtDate(e.date)} · ${e.performed_by}` }),
			h('p', { class: 'meta-line', text: `v${e.version} von ${e.revision_count}` }),
			dl([
				['Kilometerstand', fmtKm(e.km)],
				['T-Status', trustLevelText(e.trust_level)],
				e.note ? ['Bemerkung', e.note] : null,
				e.cost_amount !== null && e.cost_amount !== undefined ? ['Kosten', fmtMoney(e.cost_amount)] : null,
			]),
			h('div', { class: 'buttons' }, revBtn, histBtn), hist);
	}
	return {
		el: s.el,
		update() {
			clear(list, st.entries.length
				? h('ul', { class: 'items', 'aria-label': 'Einträge' }, st.entries.map(item))
				: h('p', { text: 'Noch keine Einträge vorhanden.' }));
		},
	};
}

// 5. Eintrag erfassen
function editorSection(ctx) {
	const { base, reloadEntries } = ctx;
	const s = section('Eintrag erfassen', { id: 'eintrag' });
	const dlId = 'performers';
	const datalist = h('datalist', { id: dlId }, PERFORMERS.map((p) => h('option', { value: p })));
	const f = entryFields(dlId);
	const mode = h('div', { class: 'notice', hidden: true });
	const submit = h('button', { type: 'submit', text: 'Eintrag speichern' });
	let revising = null;
	const cancel = button('Abbrechen', () => reset(), { class: 'button-secondary', hidden: true });

	function reset() {
		revising = null;
		mode.hidden = true;
		cancel.hidden = true;
		submit.textContent = 'Eintrag speichern';
		f.date.value = today();
		f.type.value = 'Service';
		f.performed_by.value = 'Eigenleistung';
		f.km.value = '';
		f.note.value = '';
		f.cost_amount.value = '';
		f.trust_level.value = '';
	}

	const frm = form({
		label: 'Eintrag erfassen',
		async onSubmit(ev, fm) {
			fm.clear();
			const r0 = readEntry(f);
			if (r0.errs) {
				fm.fail(r0.errs);
				return;
			}
			const url = revising ? `${base}/entries/${enc(revising.id)}/revisions` : `${base}/entries`;
			const r = await api('POST', url, { json: r0.body });
			if (r.ok) {
				const was = revising;
				reset();
				await reloadEntries();
				fm.msgs.ok(was ? `Neue Version gespeichert (v${r.data.version}).` : 'Eintrag gespeichert.');
				return;
			}
			failForm(fm, r, { fields: ENTRY_FIELDS_BY_API(f),
				map: { entry_not_found: 'Dieser Eintrag wurde inzwischen geändert. Bitte neu laden.',
					vehicle_deleted: 'Das Fahrzeug ist gelöscht und kann nicht bearbeitet werden.' },
				fallback: 'Der Eintrag konnte nicht gespeichert werden.' });
		},
	}, h('p', { class: 'hint', text: ENTRY_HINT }), mode, datalist,
	h('div', { class: 'cols' }, f.date.el, f.km.el), f.type.el, f.performed_by.el, f.note.el,
	h('div', { class: 'cols' }, f.cost_amount.el, f.trust_level.el),
	h('div', { class: 'buttons' }, submit, cancel));
	s.el.append(frm.el);
	return {
		el: s.el,
		// Revision mode: the editor takes the entry's values.
		revise(e) {
			revising = e;
			frm.clear();
			clear(mode, h('p', { text: `Neue Version von „${e.type} · ${fmtDate(e.date)} · ${e.performed_by}“ (aktuell v${e.version}).` }));
			mode.hidden = false;
			cancel.hidden = false;
			submit.textContent = 'Neue Version speichern';
			f.date.value = e.date;
			f.type.value = e.type;
			f.performed_by.value = e.performed_by;
			f.km.value = String(e.km);
			f.note.value = e.note || '';
			f.cost_amount.value = e.cost_amount === null || e.cost_amount === undefined ? ''
				: String(e.cost_amount).replace('.', ',');
			f.trust_level.value = e.trust_level || '';
			s.heading.focus();
			s.heading.scrollIntoView({ block: 'start' });
		},
	};
}

// 6. Dokumente
function docsSection(ctx) {
	const { st, id } = ctx;
	const s = section('Dokumente', { id: 'dokumente' });
	const msgs = messages();
	const list = h('div');
	const entryOpts = () => st.entries.map((e) => ({ id: e.id, label: `${e.type} · ${fmtDate(e.date)} · ${e.performed_by}` }));
	const up = uploadForm({ vehicleId: id, entries: entryOpts(), onUploaded: () => ctx.reloadDocs() });
	s.el.append(msgs.el, list, h('h3', { text: 'Dokument hochladen' }), up.el);
	return {
		el: s.el,
		setEntries() {
			up.setEntries(entryOpts());
		},
		update(err) {
			if (err) {
				clear(list, h('p', { text: describe(err, DOC_MAP, DOC_OTHER).text }));
				return;
			}
			clear(list, docList(st.docs || [], { msgs, admin: st.admin, reload: ctx.reloadDocs, label: 'Dokumente des Fahrzeugs' }));
		},
	};
}

// 7. Public-QR
function qrSection({ id, base }) {
	const s = section('Public-QR', { id: 'qr' });
	s.el.append(
		h('p', { class: 'qr' }, h('img', { src: `${base}/qr.svg`, alt: 'QR-Code zum öffentlichen Fahrzeug-Check', width: '192', height: '192' })),
		h('ul', { class: 'links' },
			h('li', {}, h('a', { href: `/qr/${enc(id)}`, text: 'Öffentliche Ansicht öffnen' })),
			h('li', {}, h('a', { href: `${base}/qr.png`, download: `ltc-qr-${id}.png`, text: 'QR-Code als PNG herunterladen' }))));
	return s.el;
}

// 8. Prüfungen (servicebook)
function servicebookSection({ id }, first) {
	const s = section('Prüfungen', { id: 'pruefungen' });
	const sbBase = `/api/servicebook/${enc(id)}`;
	const msgs = messages();
	const list = h('div');

	function line(e) {
		return h('li', {}, h('strong', { text: e.title }), ' · ', SOURCES[e.source] || e.source, ' · ',
			RESULTS[e.result_status] || e.result_status, ' · ', dateTime(e.occurred_at),
			e.km !== null && e.km !== undefined ? ` · ${fmtKm(e.km)}` : '',
			e.summary ? h('span', { class: 'meta-line' }, ' – ', e.summary) : null);
	}
	function remediationForm(c) {
		const result = field({ label: 'Ergebnis', name: 'result_status', options: [['OK', 'OK'], ['NOT_OK', 'Nicht OK']] });
		const t = field({ label: 'Titel (optional)', name: 'title', attrs: { maxlength: 255 } });
		const sum = field({ label: 'Zusammenfassung (optional)', name: 'summary', textarea: true, rows: 2, attrs: { maxlength: 2000 } });
		const km = field({ label: 'Kilometerstand (optional)', name: 'km', type: 'number', attrs: { min: 0, max: 9999999 } });
		const frm = form({
			label: 'Behebung erfassen',
			async onSubmit(ev, f) {
				f.clear();
				const body = { result_status: result.value };
				if (t.value.trim())
					body.title = t.value.trim();
				if (sum.value.trim())
					body.summary = sum.value.trim();
				if (km.value.trim() !== '') {
					const n = Number(km.value);
					if (!Number.isInteger(n) || n < 0) {
						f.fail([{ field: km, text: 'Kilometerstand muss >= 0 sein.' }]);
						return;
					}
					body.km = n;
				}
				const r = await api('POST', `${sbBase}/cases/${enc(c.id)}/remediation`, { json: body });
				if (r.ok) {
					await load();
					msgs.ok(r.data.case_status === 'DONE' ? 'Behebung gespeichert. Der Fall ist erledigt.' : 'Behebung gespeichert.');
					return;
				}
				failForm(f, r, { fields: { result_status: result, title: t, summary: sum, km }, map: SB_MAP, fallback: SB_OTHER });
			},
		}, h('h4', { text: 'Behebung erfassen' }), result.el, t.el, sum.el, km.el,
		h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Behebung speichern' })));
		return frm.el;
	}
	function show(r) {
		if (!r.ok) {
			clear(list, h('p', { text: describe(r, SB_MAP, 'Die Prüfungen konnten nicht geladen werden.').text }));
			return;
		}
		const entries = r.data.entries || [];
		if (!entries.length) {
			clear(list, h('p', { text: 'Noch keine Prüfungen erfasst.' }));
			return;
		}
		const cases = entries.filter((e) => e.entry_type === 'CASE');
		const byCase = (cid) => entries.filter((e) => e.entry_type !== 'CASE' && e.related_case_id === cid);
		const loose = entries.filter((e) => e.entry_type !== 'CASE' && !cases.some((c) => c.id === e.related_case_id));
		clear(list, h('ul', { class: 'items', 'aria-label': 'Prüfungen' },
			cases.map((c) => h('li', {},
				h('h3', { text: `${c.title} · ${RESULTS[c.result_status] || c.result_status}` }),
				c.summary ? h('p', { text: c.summary }) : null,
				h('ul', { class: 'plain' }, byCase(c.id).map(line)),
				c.result_status === 'IN_PROGRESS' ? remediationForm(c) : null)),
			loose.length ? h('li', {}, h('h3', { text: 'Prüf-Events ohne Maßnahmenfall' }), h('ul', { class: 'plain' }, loose.map(line))) : null));
	}
	async function load() {
		show(await api('GET', `${sbBase}/entries`));
	}

	const source = field({ label: 'Quelle', name: 'source', options: [['GPS', 'GPS-Probefahrt'], ['READOUT', 'Auslesung']] });
	const result = field({ label: 'Ergebnis', name: 'result_status', options: [['OK', 'OK'], ['NOT_OK', 'Nicht OK']] });
	const t = field({ label: 'Titel (optional)', name: 'title', attrs: { maxlength: 255 } });
	const sum = field({ label: 'Zusammenfassung (optional)', name: 'summary', textarea: true, rows: 2, attrs: { maxlength: 2000 } });
	const km = field({ label: 'Kilometerstand (optional)', name: 'km', type: 'number', attrs: { min: 0, max: 9999999 } });
	const at = field({ label: 'Zeitpunkt (optional)', name: 'occurred_at', type: 'datetime-local', hint: 'Leer lassen für jetzt.' });
	const frm = form({
		label: 'Prüfung erfassen',
		async onSubmit(ev, f) {
			f.clear();
			const body = { source: source.value, result_status: result.value };
			if (t.value.trim())
				body.title = t.value.trim();
			if (sum.value.trim())
				body.summary = sum.value.trim();
			if (km.value.trim() !== '') {
				const n = Number(km.value);
				if (!Number.isInteger(n) || n < 0) {
					f.fail([{ field: km, text: 'Kilometerstand muss >= 0 sein.' }]);
					return;
				}
				body.km = n;
			}
			if (at.value) {
				const d = new Date(at.value);
				if (Number.isNaN(d.getTime())) {
					f.fail([{ field: at, text: 'Bitte einen gültigen Zeitpunkt eingeben.' }]);
					return;
				}
				body.occurred_at = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
			}
			const r = await api('POST', `${sbBase}/inspection-events`, { json: body });
			if (r.ok) {
				t.value = '';
				sum.value = '';
				await load();
				f.msgs.ok(r.data.case ? 'Prüfung gespeichert. Ein Maßnahmenfall wurde eröffnet.' : 'Prüfung gespeichert.');
				return;
			}
			failForm(f, r, { fields: { source, result_status: result, title: t, summary: sum, km, occurred_at: at },
				map: SB_MAP, fallback: SB_OTHER });
		},
	}, h('h3', { text: 'Prüfung erfassen' }), h('div', { class: 'cols' }, source.el, result.el), t.el, sum.el,
	h('div', { class: 'cols' }, km.el, at.el),
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Prüfung speichern' })));
	s.el.append(msgs.el, list, frm.el);
	show(first);
	return s.el;
}

// 9. Add-on Restauration
function restaurationSection({ id }, first) {
	const s = section('Add-on Restauration', { id: 'restauration' });
	const body = h('div');
	const msgs = messages();
	s.el.append(msgs.el, body);
	const url = `/api/addons/vehicles/${enc(id)}`;
	function show(r) {
		let state;
		if (r.ok)
			state = r.data.active ? 'aktiv' : 'inaktiv';
		else if (r.status === 404)
			state = 'nicht aktiviert';
		else
			state = null;
		const active = r.ok && r.data.active;
		const toggle = action(button(active ? 'Deaktivieren' : 'Aktivieren'), async () => {
			const x = await api('POST', `${url}/${active ? 'disable' : 'enable'}`, { json: { addon_key: 'restauration' } });
			if (x.ok) {
				show(x);
				msgs.ok(x.data.active ? 'Add-on Restauration aktiviert.' : 'Add-on Restauration deaktiviert.');
				return;
			}
			if (x.kind === 'addon') {
				msgs.clear();
				clear(body, addonPanel(3), link());
				return;
			}
			msgs.err(describe(x, { not_found: 'Das Add-on ist für dieses Fahrzeug nicht aktiviert.' }, 'Das Add-on konnte nicht geändert werden.'));
		});
		clear(body,
			h('p', {}, 'Status: ', h('strong', { text: state || describe(r, {}, 'unbekannt').text })),
			h('div', { class: 'buttons' }, toggle),
			link());
	}
	const link = () => h('p', {}, h('a', { href: `/app/trust-folders.html?vehicle_id=${enc(id)}&addon_key=restauration`, text: 'Trust-Folder öffnen' }));
	if (first.kind === 'addon')
		clear(body, addonPanel(3), link());
	else
		show(first);
	return s.el;
}

// 10. Übergabe
function transferSection({ id }) {
	const s = section('Übergabe', { id: 'uebergabe' });
	s.el.append(h('p', {}, h('a', { href: `/app/transfer.html?vehicle_id=${enc(id)}`, text: 'Fahrzeug übergeben' })));
	return s.el;
}

// 11. Export
function exportSection({ id }) {
	const s = section('Export', { id: 'export' });
	const msgs = messages();
	const btn = action(button('Redigierten Export herunterladen'), async () => {
		const r = await api('GET', `/api/export/vehicle/${enc(id)}`);
		if (r.ok) {
			downloadJson(r.data, `fahrzeug-${id}.json`);
			msgs.ok(`Export gespeichert: fahrzeug-${id}.json`);
		} else {
			msgs.err(describe(r, { not_found: NOT_FOUND }, 'Der Export konnte nicht erstellt werden.'));
		}
	});
	s.el.append(h('p', { text: 'Der redigierte Export enthält keine FIN im Klartext, keine Notizen und keine Dateinamen.' }),
		h('div', { class: 'buttons' }, btn), msgs.el);
	return s.el;
}

// 12. Fahrzeug löschen
function deleteSection({ base }) {
	const s = section('Fahrzeug löschen', { id: 'loeschen' });
	const reason = field({ label: 'Grund', name: 'reason', options: DELETE_REASONS, required: true });
	const comment = field({ label: 'Kommentar (optional)', name: 'comment', textarea: true, rows: 2, attrs: { maxlength: 500 } });
	const frm = form({
		label: 'Fahrzeug löschen',
		async onSubmit(ev, f) {
			f.clear();
			if (!confirm('Fahrzeug wirklich löschen? Es verschwindet aus deiner Liste.'))
				return;
			const body = { reason: reason.value, comment: comment.value.trim() === '' ? null : comment.value.trim() };
			const r = await api('DELETE', base, { json: body });
			if (r.ok) {
				navigate('/app/');
				return;
			}
			failForm(f, r, { fields: { reason, comment }, map: { not_found: NOT_FOUND },
				fallback: 'Fahrzeuge konnten nicht verarbeitet werden.' });
		},
	}, reason.el, comment.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'button-danger', text: 'Fahrzeug löschen' })));
	s.el.append(h('p', { text: 'Einträge und Dokumente bleiben gespeichert; das Fahrzeug verschwindet aus deiner Liste.' }), frm.el);
	return s.el;
}
