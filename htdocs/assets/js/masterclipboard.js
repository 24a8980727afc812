// /app/masterclipboard.html[?session=…] (frontend.md §6.9). Every write
// carries an Idempotency-Key, reused when the same action is retried after
// a network error.

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, messages, dl, dateTime, button, action, idempotency } from './ui.js';
import { navigate } from './nav.js';

const MAP = {
	session_closed: 'Die Sitzung ist geschlossen.',
	not_found: 'Sitzung nicht gefunden.',
	forbidden: 'Diese Sitzung gehört zu einer anderen Organisation.',
};
const OTHER = 'Die Aktion konnte nicht ausgeführt werden.';
const KINDS = [['defect', 'Mangel'], ['task', 'Aufgabe'], ['recommendation', 'Empfehlung']];
const SEVERITY = [['low', 'niedrig'], ['medium', 'mittel'], ['high', 'hoch']];
const STATUS = [['open', 'offen'], ['in_progress', 'in Arbeit'], ['done', 'erledigt'], ['blocked', 'blockiert']];
const label = (list, v) => (list.find((x) => x[0] === v) || [v, v])[1];

export async function render({ root, params }) {
	const sid = params.get('session');
	const idem = idempotency();
	if (!sid) {
		const s = section('Neue Sitzung');
		const vid = field({ label: 'Fahrzeug-ID (öffentlich)', name: 'vehicle_public_id', required: true, attrs: { maxlength: 64 } });
		const frm = form({
			label: 'Neue Sitzung',
			async onSubmit(ev, f) {
				f.clear();
				const v = vid.value.trim();
				if (v === '') {
					f.fail([{ field: vid, text: 'Bitte eine Fahrzeug-ID eingeben.' }]);
					return;
				}
				const body = { vehicle_public_id: v };
				const r = await api('POST', '/api/masterclipboard/sessions', { json: body,
					headers: { 'Idempotency-Key': idem.key('create', body) } });
				idem.done('create', r);
				if (r.ok) {
					navigate(`/app/masterclipboard.html?session=${encodeURIComponent(r.data.session_id)}`);
					return;
				}
				failForm(f, r, { fields: { vehicle_public_id: vid }, map: MAP, fallback: OTHER });
			},
		}, vid.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Sitzung starten' })));
		s.el.append(frm.el);
		clear(root, h('h1', { text: 'Masterclipboard' }), s.el);
		return;
	}

	const base = `/api/masterclipboard/sessions/${encodeURIComponent(sid)}`;
	const first = await api('GET', base);
	if (!first.ok) {
		if (first.kind !== 'redirect')
			clear(root, h('h1', { text: 'Masterclipboard' }), h('p', { text: describe(first, MAP, OTHER).text }),
				h('p', {}, h('a', { href: '/app/masterclipboard.html', text: 'Neue Sitzung starten' })));
		return;
	}
	let sess = first.data;
	let order = [];
	const writes = [];
	const closedNote = h('p', { class: 'notice', role: 'status' });

	// One write action: idempotency key, error mapping, reload.
	async function write(actionName, method, path, body, msgs, okText) {
		const r = await api(method, `${base}${path}`, { json: body, headers: { 'Idempotency-Key': idem.key(actionName, body) } });
		idem.done(actionName, r);
		if (r.ok) {
			await reload();
			if (msgs)
				msgs.ok(okText);
			return r;
		}
		if (msgs)
			msgs.err(describe(r, MAP, OTHER));
		if (r.code === 'session_closed')
			await reload();
		return r;
	}

	async function reload() {
		const r = await api('GET', base);
		if (r.ok) {
			sess = r.data;
			show();
		}
	}

	const head = h('div');
	// Sprache/Text
	const speech = section('Sprache/Text');
	const text = field({ label: 'Text', name: 'content_redacted', textarea: true, rows: 3, required: true,
		hint: 'Keine Namen, Telefonnummern oder Adressen eintragen.', attrs: { maxlength: 20000 } });
	const speechList = h('div');
	const speechForm = form({
		label: 'Sprache/Text hinzufügen',
		async onSubmit(ev, f) {
			f.clear();
			if (text.value.trim() === '') {
				f.fail([{ field: text, text: 'Bitte einen Text eingeben.' }]);
				return;
			}
			const r = await write('speech', 'POST', '/speech', { source: 'text', content_redacted: text.value }, f.msgs, 'Text hinzugefügt.');
			if (r.ok)
				text.value = '';
			else if (r.kind === 'validation')
				failForm(f, r, { fields: { content_redacted: text } });
		},
	}, text.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Hinzufügen' })));
	writes.push(speechForm.el);
	speech.el.append(speechList, speechForm.el);

	// Triage
	const triage = section('Triage');
	const kind = field({ label: 'Art', name: 'kind', options: KINDS });
	const title = field({ label: 'Titel', name: 'title', required: true, attrs: { maxlength: 160 } });
	const details = field({ label: 'Details', name: 'details_redacted', textarea: true, rows: 2, attrs: { maxlength: 20000 } });
	const sev = field({ label: 'Schwere', name: 'severity', options: SEVERITY, value: 'medium' });
	const stat = field({ label: 'Status', name: 'status', options: STATUS });
	const triageMsgs = messages();
	const triageList = h('div');
	const triageForm = form({
		label: 'Triage-Eintrag anlegen',
		async onSubmit(ev, f) {
			f.clear();
			if (title.value.trim() === '') {
				f.fail([{ field: title, text: 'Bitte einen Titel eingeben.' }]);
				return;
			}
			const item = { kind: kind.value, title: title.value.trim(), details_redacted: details.value.trim() || null,
				severity: sev.value, status: stat.value, evidence_refs: null };
			const r = await write('triage', 'POST', '/triage/items', { items: [item] }, f.msgs, 'Triage-Eintrag angelegt.');
			if (r.ok) {
				title.value = '';
				details.value = '';
			} else if (r.kind === 'validation') {
				failForm(f, r, { fields: { kind, title, details_redacted: details, severity: sev, status: stat } });
			}
		},
	}, h('div', { class: 'cols' }, kind.el, sev.el), title.el, details.el, stat.el,
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Eintrag anlegen' })));
	writes.push(triageForm.el);
	triage.el.append(triageForm.el, triageMsgs.el, triageList);

	// Board
	const board = section('Board');
	const boardMsgs = messages();
	const boardList = h('div');
	const notes = field({ label: 'Notizen', name: 'notes_redacted', textarea: true, rows: 2, attrs: { maxlength: 20000 } });
	const snap = action(button('Snapshot speichern'), async () => {
		await write('snapshot', 'POST', '/board/snapshot', { ordered_item_ids: order, notes_redacted: notes.value.trim() || null },
			boardMsgs, 'Snapshot gespeichert.');
	});
	writes.push(snap, notes.input);
	board.el.append(boardList, notes.el, h('div', { class: 'buttons' }, snap), boardMsgs.el);

	// Sitzung schließen
	const closeSec = section('Sitzung schließen');
	const closeMsgs = messages();
	const closeBtn = action(button('Sitzung schließen', null, { class: 'button-danger' }), async () => {
		await write('close', 'POST', '/close', undefined, closeMsgs, 'Sitzung geschlossen.');
	});
	writes.push(closeBtn);
	closeSec.el.append(h('div', { class: 'buttons' }, closeBtn), closeMsgs.el);

	function move(i, d) {
		const j = i + d;
		[order[i], order[j]] = [order[j], order[i]];
		showBoard();
		boardList.querySelectorAll('li')[j]?.querySelector(d < 0 ? '.up' : '.down')?.focus();
	}

	function showBoard() {
		const items = Object.fromEntries(sess.triage_items.map((t) => [t.id, t]));
		clear(boardList, order.length ? h('ol', { class: 'items', 'aria-label': 'Board-Reihenfolge' }, order.map((iid, i) => {
			const t = items[iid];
			const up = button('nach oben', () => move(i, -1), { class: 'button-secondary up', disabled: i === 0 || sess.is_closed,
				'aria-label': `nach oben: ${t.title}` });
			const down = button('nach unten', () => move(i, 1), { class: 'button-secondary down',
				disabled: i === order.length - 1 || sess.is_closed, 'aria-label': `nach unten: ${t.title}` });
			return h('li', {}, h('strong', { text: `${i + 1}. ${t.title}` }), ` · ${label(KINDS, t.kind)} · ${label(SEVERITY, t.severity)}`,
				h('div', { class: 'buttons' }, up, down));
		})) : h('p', { text: 'Noch keine Triage-Einträge.' }));
	}

	function show() {
		const closed = sess.is_closed;
		clear(head, dl([
			['Fahrzeug-ID', sess.vehicle_public_id],
			['Gestartet', dateTime(sess.created_at)],
			['Status', closed ? 'geschlossen' : 'offen'],
			closed ? ['Geschlossen', dateTime(sess.closed_at)] : null,
		]));
		clear(speechList, sess.speech_chunks.length
			? h('ul', { class: 'plain', 'aria-label': 'Texte' }, sess.speech_chunks.map((c) => h('li', {}, dateTime(c.created_at), ' · ', c.content_redacted)))
			: h('p', { text: 'Noch keine Texte.' }));
		clear(triageList, sess.triage_items.length ? h('ul', { class: 'items', 'aria-label': 'Triage-Einträge' }, sess.triage_items.map((t) => {
			const sel = field({ label: `Status: ${t.title}`, name: `status-${t.id}`, options: STATUS, value: t.status });
			sel.input.disabled = closed;
			sel.input.addEventListener('change', async () => {
				await write(`patch-${t.id}`, 'PATCH', `/triage/items/${encodeURIComponent(t.id)}`, { status: sel.value },
					triageMsgs, `Status geändert: ${t.title}`);
			});
			return h('li', {}, h('h3', { text: t.title }),
				h('p', { class: 'meta-line', text: `${label(KINDS, t.kind)} · ${label(SEVERITY, t.severity)}` }),
				t.details_redacted ? h('p', { text: t.details_redacted }) : null, sel.el);
		})) : h('p', { text: 'Noch keine Triage-Einträge.' }));
		const ids = sess.triage_items.map((t) => t.id);
		const last = sess.board_snapshots[sess.board_snapshots.length - 1];
		const base0 = order.length ? order : (last ? last.ordered_item_ids : []);
		order = [...base0.filter((x) => ids.includes(x)), ...ids.filter((x) => !base0.includes(x))];
		showBoard();
		for (const el of writes)
			for (const c of el.matches('form') ? el.querySelectorAll('input, select, textarea, button') : [el])
				c.disabled = closed;
		closedNote.hidden = !closed;
		closedNote.textContent = closed ? 'Sitzung geschlossen.' : '';
	}

	clear(root, h('h1', { text: 'Masterclipboard' }), head, closedNote, speech.el, triage.el, board.el, closeSec.el,
		h('p', {}, h('a', { href: '/app/masterclipboard.html', text: 'Neue Sitzung starten' })));
	show();
}
