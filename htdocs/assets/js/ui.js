// DOM helpers shared by the app pages: elements, labelled fields with
// error wiring, error summaries, live regions and panels (frontend.md §7).
// Everything is built with the DOM API; no HTML strings, no inline styles
// or handlers (CSP).

import { describe } from './api.js';
import { trustLabel, fmtDate, fmtDateTime } from './format.js';

let seq = 0;

export function uid(prefix = 'f') {
	return `${prefix}-${++seq}`;
}

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'required', 'readOnly', 'selected',
	'multiple', 'open', 'htmlFor', 'tabIndex']);

// h('button', { class: 'x', type: 'button', on: { click: fn } }, 'Text', child…)
export function h(tag, props = {}, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'class')
			el.className = v;
		else if (k === 'text')
			el.textContent = v;
		else if (k === 'on')
			for (const [ev, fn] of Object.entries(v))
				el.addEventListener(ev, fn);
		else if (k === 'for')
			el.htmlFor = v;
		else if (k === 'readonly')
			el.readOnly = true;
		else if (PROPS.has(k))
			el[k] = v;
		else
			el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

export function clear(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

// A section with its own heading (aria-labelledby). Returns the section,
// its heading and the section itself as the body.
export function section(title, { level = 2, id, cls } = {}) {
	const hid = uid('h');
	const heading = h(`h${level}`, { id: hid, text: title, tabindex: '-1' });
	const el = h('section', { 'aria-labelledby': hid, id, class: cls }, heading);
	return { el, heading };
}

// A status region (role=status, polite) and an alert region (role=alert)
// that exist before any message, so that changes are announced.
export function messages() {
	const status = h('div', { role: 'status', class: 'msg msg-ok' });
	const alert = h('div', { role: 'alert', class: 'msg msg-err' });
	const el = h('div', { class: 'msgs' }, status, alert);
	return {
		el,
		ok(text, ...extra) {
			clear(alert);
			clear(status, h('p', {}, text, ...extra));
		},
		progress(text) {
			clear(status, h('p', { text }));
		},
		err(d) {
			clear(status);
			const m = typeof d === 'string' ? { text: d } : d;
			if (!m.text && !m.title) {
				clear(alert);
				return;
			}
			clear(alert, h('p', {}, m.title ? [h('strong', { text: m.title }), ' '] : null, m.text));
		},
		clear() {
			clear(status);
			clear(alert);
		},
	};
}

// Labelled form control. opts: label, name, type, required, hint, value,
// options [[value, label]…] (select), textarea, attrs, list (datalist id).
export function field(opts) {
	const id = opts.id || uid('f');
	const label = h('label', { for: id, text: opts.label });
	const describedBy = [];
	let hint = null;
	if (opts.hint) {
		hint = h('p', { class: 'hint', id: `${id}-hint`, text: opts.hint });
		describedBy.push(hint.id);
	}
	const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
	let input;
	const common = { id, name: opts.name || id, required: !!opts.required };
	if (opts.options) {
		input = h('select', common, opts.options.map(([v, l, dis]) =>
			h('option', { value: v, text: l, disabled: !!dis })));
		if (opts.value !== undefined && opts.value !== null)
			input.value = String(opts.value);
	} else if (opts.textarea) {
		input = h('textarea', Object.assign(common, { rows: opts.rows || 4 }));
		input.value = opts.value ?? '';
	} else {
		input = h('input', Object.assign(common, { type: opts.type || 'text', list: opts.list }));
		if (opts.value !== undefined && opts.value !== null)
			input.value = String(opts.value);
	}
	if (opts.required)
		input.setAttribute('aria-required', 'true');
	for (const [k, v] of Object.entries(opts.attrs || {}))
		if (v !== undefined && v !== null && v !== false)
			input.setAttribute(k, v === true ? '' : String(v));
	if (describedBy.length)
		input.setAttribute('aria-describedby', describedBy.join(' '));
	const el = h('div', { class: 'field' }, label, hint, error, input);
	const f = {
		el, input, label, id,
		get value() { return input.value; },
		set value(v) { input.value = v; },
		setError(text) {
			error.textContent = text;
			error.hidden = false;
			input.setAttribute('aria-invalid', 'true');
			input.setAttribute('aria-describedby', [...describedBy, error.id].join(' '));
		},
		clearError() {
			error.textContent = '';
			error.hidden = true;
			input.removeAttribute('aria-invalid');
			if (describedBy.length)
				input.setAttribute('aria-describedby', describedBy.join(' '));
			else
				input.removeAttribute('aria-describedby');
		},
	};
	return f;
}

// A checkbox with its label; the label makes the target 44 px high.
export function check(opts) {
	const id = opts.id || uid('c');
	const input = h('input', { type: 'checkbox', id, name: opts.name || id, checked: !!opts.checked });
	const label = h('label', { for: id, text: opts.label });
	const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
	const el = h('div', { class: 'check' }, input, label, error);
	return {
		el, input, id,
		get checked() { return input.checked; },
		set checked(v) { input.checked = !!v; },
		setError(text) {
			error.textContent = text;
			error.hidden = false;
			input.setAttribute('aria-invalid', 'true');
			input.setAttribute('aria-describedby', error.id);
		},
		clearError() {
			error.hidden = true;
			input.removeAttribute('aria-invalid');
			input.removeAttribute('aria-describedby');
		},
	};
}

// A form with an error summary at its top. onSubmit(ev, form) may return
// a promise; a second submit while it runs is ignored.
export function form(opts, ...children) {
	const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
	const msgs = messages();
	const el = h('form', { novalidate: true, class: opts.class, 'aria-label': opts.label, id: opts.id },
		summary, children, msgs.el);
	let fields = [];
	const f = {
		el, msgs, summary,
		clear() {
			for (const x of fields)
				x.clearError();
			fields = [];
			summary.hidden = true;
			clear(summary);
			msgs.clear();
		},
		// errs: [{ field?, text }]. Marks the fields, lists every error in
		// the summary (linked to its field) and focuses the first field.
		fail(errs) {
			f.clear();
			const list = Array.isArray(errs) ? errs : [errs];
			const items = [];
			for (const e of list) {
				if (e.field) {
					e.field.setError(e.text);
					fields.push(e.field);
					items.push(h('li', {}, h('a', {
						href: `#${e.field.id}`, text: e.text,
						on: { click: (ev) => { ev.preventDefault(); e.field.input.focus(); } },
					})));
				} else if (e.title) {
					items.push(h('li', {}, h('strong', { text: e.title }), ' ', e.text));
				} else if (e.text) {
					items.push(h('li', { text: e.text }));
				}
			}
			if (!items.length)
				return;
			clear(summary, h('p', { class: 'error-summary-title', text: 'Bitte prüfen:' }), h('ul', {}, items));
			summary.hidden = false;
			if (fields.length)
				fields[0].input.focus();
		},
	};
	el.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (el.getAttribute('aria-busy') === 'true')
			return;
		// Busy, not disabled: disabling the focused button would drop the
		// keyboard focus to the document.
		el.setAttribute('aria-busy', 'true');
		const home = el.closest('section');
		try {
			await opts.onSubmit(ev, f);
		} finally {
			el.removeAttribute('aria-busy');
			keepFocus(el, home);
		}
	});
	return f;
}

// Maps a failed API result onto a form: 422 items go to their fields (by
// the last loc element), known codes to their texts, the rest to the
// global texts of §4.1 or the fallback.
export function failForm(f, res, { fields = {}, map = {}, fieldCodes = {}, fallback } = {}) {
	if (res.kind === 'redirect')
		return;
	const errs = [];
	if (res.fieldErr) {
		errs.push(...res.fieldErr);
	} else if (res.code && fieldCodes[res.code]) {
		const [name, text] = fieldCodes[res.code];
		errs.push({ field: fields[name], text });
	} else if (res.kind === 'validation' && res.fields) {
		for (const [name, type] of Object.entries(res.fields)) {
			const fl = fields[name];
			const text = validationText(type);
			errs.push(fl ? { field: fl, text } : { text: `${text} (${name})` });
		}
	}
	if (!errs.length)
		errs.push(describe(res, map, fallback));
	f.fail(errs);
}

export function validationText(type) {
	switch (type) {
	case 'missing': return 'Dieses Feld ist erforderlich.';
	case 'string_too_short': return 'Die Eingabe ist zu kurz.';
	case 'string_too_long': return 'Die Eingabe ist zu lang.';
	case 'greater_than_equal': return 'Der Wert ist zu klein.';
	case 'less_than_equal': return 'Der Wert ist zu groß.';
	case 'int_type': return 'Bitte eine ganze Zahl eingeben.';
	case 'date_format': return 'Bitte ein gültiges Datum eingeben.';
	case 'datetime_format': return 'Bitte einen gültigen Zeitpunkt eingeben.';
	case 'decimal_places': return 'Höchstens zwei Nachkommastellen.';
	case 'enum': return 'Bitte einen gültigen Wert wählen.';
	default: return 'Die Eingabe ist ungültig.';
	}
}

// A panel with a heading and text (add-on, forbidden, not found, errors).
export function panel(title, text, { level = 2, link } = {}) {
	const el = h('div', { class: 'panel' }, h(`h${level}`, { text: title }), h('p', { text }));
	if (link)
		el.append(h('p', {}, h('a', { href: link[1], text: link[0] })));
	return el;
}

export function addonPanel(level = 3) {
	return panel('Add-on erforderlich', 'Diese Funktion ist nur mit entsprechendem Add-on verfügbar.', { level });
}

export function forbiddenPanel(level = 2) {
	return panel('Zugriff verweigert', 'Kein Zugriff auf diesen Bereich.', { level, link: ['Zur Startseite', '/'] });
}

// The Trust-Ampel indicator with its text label next to it.
export function ampel(light) {
	const label = trustLabel(light);
	return h('span', { class: 'trust-badge' },
		h('span', { class: `ampel ampel-${light}`, role: 'img', 'aria-label': `Trust-Ampel: ${label}` }),
		h('span', { class: 'trust-label', text: label }));
}

export function dl(rows, cls = 'facts') {
	return h('dl', { class: cls }, rows.filter(Boolean).map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

export function time(ts, fmt = fmtDate) {
	if (!ts)
		return '—';
	return h('time', { datetime: ts, text: fmt(ts) });
}

export function dateTime(ts) {
	return time(ts, fmtDateTime);
}

export function button(text, onClick, props = {}) {
	return h('button', Object.assign({ type: 'button', on: { click: onClick } }, props), text);
}

// Runs an async click action with the button disabled meanwhile.
export function action(btn, fn) {
	btn.addEventListener('click', async () => {
		if (btn.getAttribute('aria-disabled') === 'true')
			return;
		btn.setAttribute('aria-disabled', 'true');
		const home = btn.closest('section');
		try {
			await fn();
		} finally {
			btn.removeAttribute('aria-disabled');
			keepFocus(btn, home);
		}
	});
	return btn;
}

// When an action re-rendered the control that had the focus, the focus
// goes to the heading of its section instead of falling to the document.
function keepFocus(el, home) {
	if (el.isConnected || !home || !home.isConnected)
		return;
	const a = document.activeElement;
	if (a && a !== document.body && a.isConnected)
		return;
	const hd = home.querySelector('h2, h3');
	if (hd) {
		if (!hd.hasAttribute('tabindex'))
			hd.setAttribute('tabindex', '-1');
		hd.focus();
	}
}

// A fresh Idempotency-Key per user action, reused when the same action is
// retried after a network error (frontend.md §6.9).
export function idempotency() {
	const pending = new Map();
	return {
		key(action, body) {
			const sig = JSON.stringify(body ?? null);
			const p = pending.get(action);
			if (p && p.sig === sig)
				return p.key;
			const key = newUuid();
			pending.set(action, { key, sig });
			return key;
		},
		done(action, res) {
			if (!res || res.kind !== 'network')
				pending.delete(action);
		},
	};
}

export function newUuid() {
	if (crypto.randomUUID)
		return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
