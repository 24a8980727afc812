// /app/admin.html (frontend.md §6.10): users and roles with step-up,
// moderator accreditation, VIP businesses and staff, add-ons and slots,
// deleted vehicles, exports with full-export grants, the support inbox.

import { api, describe } from './api.js';
import { h, clear, section, form, field, check, failForm, messages, time, dateTime, button, action } from './ui.js';
import { roleLabel } from './format.js';

const STEP = 'Die Bestätigung (Step-up) ist ungültig oder abgelaufen. Bitte erneut versuchen.';
export const ADMIN_MAP = {
	admin_step_up_required: STEP,
	admin_step_up_invalid: STEP,
	superadmin_required: 'Diese Aktion ist Superadmins vorbehalten.',
	invalid_role: 'Unbekannte Rolle.',
	user_not_found: 'Benutzer nicht gefunden.',
	business_not_found: 'VIP-Business nicht gefunden.',
	business_not_approved: 'Das VIP-Business ist noch nicht freigegeben.',
	staff_limit_reached: 'Es sind bereits zwei Staff-Konten zugeordnet.',
	last_superadmin: 'Der letzte Superadmin kann nicht herabgestuft werden.',
	missing_export_token: 'Bitte zuerst einen Full-Grant anfordern.',
	export_token_already_used: 'Dieser Grant wurde bereits verwendet.',
};
const OTHER = 'Die Admin-Aktion konnte nicht ausgeführt werden.';
const ROLES = ['public', 'user', 'vip', 'dealer', 'moderator', 'admin', 'superadmin'];
const USER_STATUS = { active: 'aktiv', disabled: 'gesperrt' };
const TOPICS = { frage: 'Frage', fehler: 'Fehler', datenschutz: 'Datenschutz', sonstiges: 'Sonstiges' };
const SUPPORT_STATUS = [['offen', 'offen'], ['in_pruefung', 'in Prüfung'], ['geloest', 'gelöst']];
const FULL_REFUSED = 'Der Voll-Export wurde vom Server abgelehnt. Prüfe Grant, Ziel-ID und Ablaufzeit.';

const say = (r, extra = {}) => describe(r, Object.assign({}, ADMIN_MAP, extra), OTHER);

// Step-up (§6.10): a one-time grant for the scope, the real call with its
// header, and the token forgotten afterwards whatever happened.
export async function withStepUp(scope, call) {
	const g = await api('POST', '/api/admin/step-up/grant', { json: { scope, ttl_seconds: 600 } });
	if (!g.ok)
		return g;
	let grant = g.data;
	try {
		return await call({ [grant.header || 'X-Admin-Step-Up']: grant.step_up_token });
	} finally {
		grant = null;
	}
}

function usersSection(me) {
	const sa = me.role === 'superadmin';
	const s = section('Benutzer & Rollen', { id: 'benutzer' });
	const msgs = messages();
	const list = h('div');
	const email = field({ label: 'E-Mail-Adresse suchen', name: 'email', type: 'email', attrs: { autocomplete: 'off' } });
	const search = form({
		label: 'Benutzer suchen',
		async onSubmit(ev, f) {
			f.clear();
			await load(email.value.trim());
		},
	}, email.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Suchen' }),
		button('Alle anzeigen', async () => { email.value = ''; await load(''); }, { class: 'button-secondary' })));

	function card(u) {
		const role = field({ label: 'Rolle', name: 'role', value: u.role,
			options: ROLES.map((r) => [r, roleLabel(r), r === 'superadmin' && !sa]) });
		const reason = field({ label: 'Begründung (optional)', name: 'reason', attrs: { maxlength: 200,
			placeholder: 'Wird nur als reason_provided auditiert' } });
		const setBtn = h('button', { type: 'button', text: 'Rolle setzen', disabled: true,
			'aria-describedby': `user-${u.user_id}` });
		role.input.addEventListener('change', () => { setBtn.disabled = role.value === u.role; });
		action(setBtn, async () => {
			if (setBtn.disabled)
				return;
			const body = { role: role.value, reason: reason.value.trim() || null };
			const r = await withStepUp('role_grant', (hd) =>
				api('POST', `/api/admin/users/${encodeURIComponent(u.user_id)}/role`, { json: body, headers: hd }));
			if (r.ok) {
				await load(email.value.trim());
				msgs.ok(`Rolle gesetzt: ${u.user_id} ist jetzt ${roleLabel(r.data.new_role)}.`);
			} else {
				msgs.err(say(r));
			}
		});
		const accBtn = action(h('button', { type: 'button', class: 'button-secondary', text: 'Als Moderator akkreditieren',
			'aria-describedby': `user-${u.user_id}` }), async () => {
			const r = await withStepUp('moderator_accredit', (hd) =>
				api('POST', `/api/admin/users/${encodeURIComponent(u.user_id)}/moderator`,
					{ json: { reason: reason.value.trim() || null }, headers: hd }));
			if (r.ok) {
				await load(email.value.trim());
				msgs.ok(`Als Moderator akkreditiert: ${u.user_id}.`);
			} else {
				msgs.err(say(r));
			}
		});
		return h('li', { 'data-user': u.user_id },
			h('h3', { id: `user-${u.user_id}` }, h('code', { text: u.user_id })),
			h('p', { class: 'meta-line' }, `Rolle: ${roleLabel(u.role)} · Status: ${USER_STATUS[u.status] || u.status} · `,
				`E-Mail bestätigt: ${u.email_verified ? 'ja' : 'nein'} · angelegt am `, time(u.created_at)),
			h('div', { class: 'cols' }, role.el, reason.el),
			h('div', { class: 'buttons' }, setBtn, accBtn));
	}

	async function load(q) {
		const r = await api('GET', q ? `/api/admin/users?email=${encodeURIComponent(q)}` : '/api/admin/users');
		if (!r.ok) {
			clear(list, h('p', { text: say(r).text }));
			return;
		}
		clear(list, r.data.length
			? h('ul', { class: 'items', 'aria-label': 'Benutzer' }, r.data.map(card))
			: h('p', { text: q ? 'Kein Benutzer mit dieser E-Mail-Adresse.' : 'Keine Benutzer.' }));
	}
	s.el.append(search.el, msgs.el, list);
	return { el: s.el, load: () => load('') };
}

function vipSection(me) {
	const sa = me.role === 'superadmin';
	const s = section('VIP-Businesses', { id: 'vip' });
	const msgs = messages();
	const list = h('div');
	const owner = field({ label: 'Owner-User-ID', name: 'owner_user_id', required: true, hint: 'Mindestens 8 Zeichen.',
		attrs: { minlength: 8, maxlength: 64 } });
	const bid = field({ label: 'Business-ID (optional)', name: 'business_id', attrs: { maxlength: 64 } });
	const reason = field({ label: 'Begründung', name: 'reason', attrs: { maxlength: 200 } });
	const create = form({
		label: 'VIP-Business anlegen',
		async onSubmit(ev, f) {
			f.clear();
			if (owner.value.trim().length < 8) {
				f.fail([{ field: owner, text: 'Die Owner-User-ID muss mindestens 8 Zeichen lang sein.' }]);
				return;
			}
			const body = { owner_user_id: owner.value.trim(), business_id: bid.value.trim() || null,
				reason: reason.value.trim() || null };
			const r = await api('POST', '/api/admin/vip-businesses', { json: body });
			if (r.ok) {
				owner.value = bid.value = reason.value = '';
				await load();
				f.msgs.ok(`VIP-Business angelegt: ${r.data.business_id}`);
				return;
			}
			failForm(f, r, { fields: { owner_user_id: owner, business_id: bid, reason }, map: ADMIN_MAP, fallback: OTHER });
		},
	}, h('h3', { text: 'VIP-Business anlegen' }), owner.el, bid.el, reason.el,
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Anlegen' })));

	function card(b) {
		const extra = [];
		if (sa && !b.approved) {
			extra.push(h('div', { class: 'buttons' }, action(button('Freigeben', null, { 'aria-label': `Freigeben: ${b.business_id}` }), async () => {
				const r = await withStepUp('vip_business_approve', (hd) =>
					api('POST', `/api/admin/vip-businesses/${encodeURIComponent(b.business_id)}/approve`, { headers: hd }));
				if (r.ok) {
					await load();
					msgs.ok(`Freigegeben: ${b.business_id}`);
				} else {
					msgs.err(say(r));
				}
			})));
		}
		if (sa) {
			const uid = field({ label: 'User-ID', name: 'user_id', required: true, attrs: { maxlength: 64 } });
			const staff = form({
				label: `Staff hinzufügen: ${b.business_id}`,
				async onSubmit(ev, f) {
					f.clear();
					if (uid.value.trim() === '') {
						f.fail([{ field: uid, text: 'Bitte eine User-ID eingeben.' }]);
						return;
					}
					const r = await withStepUp('vip_business_staff', (hd) =>
						api('POST', `/api/admin/vip-businesses/${encodeURIComponent(b.business_id)}/staff/${encodeURIComponent(uid.value.trim())}`,
							{ json: { reason: null }, headers: hd }));
					if (r.ok) {
						await load();
						msgs.ok(`Staff hinzugefügt: ${uid.value.trim()}`);
						return;
					}
					failForm(f, r, { fields: { user_id: uid }, map: ADMIN_MAP, fallback: OTHER });
				},
			}, uid.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Staff hinzufügen' })));
			extra.push(staff.el);
		}
		return h('li', {},
			h('h3', {}, h('code', { text: b.business_id })),
			h('p', { class: 'meta-line' }, 'Owner: ', h('code', { text: b.owner_user_id }), ` · ${b.approved ? 'freigegeben' : 'ausstehend'}`,
				` · Staff (${b.staff_count}/2)`),
			b.staff_user_ids.length ? h('ul', { class: 'plain', 'aria-label': 'Staff' }, b.staff_user_ids.map((x) => h('li', {}, h('code', { text: x })))) : null,
			...extra);
	}

	async function load() {
		const r = await api('GET', '/api/admin/vip-businesses');
		if (!r.ok) {
			clear(list, h('p', { text: say(r).text }));
			return;
		}
		const rows = [...r.data.filter((b) => !b.approved), ...r.data.filter((b) => b.approved)];
		clear(list, rows.length ? h('ul', { class: 'items', 'aria-label': 'VIP-Businesses' }, rows.map(card))
			: h('p', { text: 'Noch keine VIP-Businesses.' }));
	}
	s.el.append(msgs.el, list, create.el);
	return { el: s.el, load };
}

function addonsSection() {
	const s = section('Add-ons & Kontingente', { id: 'addons' });
	const list = h('div');
	const keyList = h('datalist', { id: 'addon-keys' }, h('option', { value: 'vehicle_slots' }), h('option', { value: 'restauration' }));
	const key = field({ label: 'Add-on-Schlüssel', name: 'addon_key', required: true, value: 'restauration',
		hint: 'Kleinbuchstaben, Ziffern, _ und -', attrs: { maxlength: 64 } });
	const allowNew = check({ label: 'Neue Aktivierungen erlaubt (allow_new)', name: 'allow_new' });
	const pay = check({ label: 'Kostenpflichtig (requires_payment)', name: 'requires_payment', checked: true });
	const adminOnly = check({ label: 'Nur für Admins (admin_only)', name: 'admin_only' });
	const cfg = form({
		label: 'Add-on konfigurieren',
		async onSubmit(ev, f) {
			f.clear();
			const k = key.value.trim();
			if (!/^[a-z0-9_-]{1,64}$/.test(k)) {
				f.fail([{ field: key, text: 'Bitte einen gültigen Schlüssel eingeben (a–z, 0–9, _ und -).' }]);
				return;
			}
			const r = await api('POST', `/api/addons/config/${encodeURIComponent(k)}`, { json: {
				allow_new: allowNew.checked, requires_payment: pay.checked, admin_only: adminOnly.checked } });
			if (r.ok) {
				await load();
				f.msgs.ok(`Add-on gespeichert: ${k}`);
				return;
			}
			failForm(f, r, { fields: { addon_key: key }, map: ADMIN_MAP, fallback: OTHER });
		},
	}, h('h3', { text: 'Add-on konfigurieren' }), key.el,
	h('fieldset', {}, h('legend', { text: 'Einstellungen' }), allowNew.el, pay.el, adminOnly.el),
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Konfiguration speichern' })));

	const user = field({ label: 'User-ID', name: 'user_id', required: true, attrs: { maxlength: 64 } });
	const ekey = field({ label: 'Schlüssel', name: 'addon_key', required: true, value: 'vehicle_slots', list: 'addon-keys',
		hint: 'vehicle_slots für zusätzliche Fahrzeuge', attrs: { maxlength: 64 } });
	const active = check({ label: 'aktiv', name: 'enabled', checked: true });
	const qty = field({ label: 'Anzahl', name: 'quantity', type: 'number', value: '1', attrs: { min: 1, max: 1000 } });
	const ent = form({
		label: 'Berechtigung setzen',
		async onSubmit(ev, f) {
			f.clear();
			const errs = [];
			if (user.value.trim() === '')
				errs.push({ field: user, text: 'Bitte eine User-ID eingeben.' });
			if (!/^[a-z0-9_-]{1,64}$/.test(ekey.value.trim()))
				errs.push({ field: ekey, text: 'Bitte einen gültigen Schlüssel eingeben (a–z, 0–9, _ und -).' });
			const n = Number(qty.value);
			if (!Number.isInteger(n) || n < 1 || n > 1000)
				errs.push({ field: qty, text: 'Die Anzahl muss zwischen 1 und 1000 liegen.' });
			if (errs.length) {
				f.fail(errs);
				return;
			}
			const r = await api('POST', `/api/addons/entitlements/${encodeURIComponent(ekey.value.trim())}`, { json: {
				user_id: user.value.trim(), enabled: active.checked, quantity: n } });
			if (r.ok) {
				f.msgs.ok(`Berechtigung gespeichert: ${ekey.value.trim()} für ${user.value.trim()}`);
				return;
			}
			failForm(f, r, { fields: { user_id: user, addon_key: ekey, quantity: qty }, map: ADMIN_MAP, fallback: OTHER });
		},
	}, h('h3', { text: 'Berechtigung und Fahrzeug-Kontingent' }), keyList, user.el, ekey.el, active.el, qty.el,
	h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Berechtigung speichern' })));

	async function load() {
		const r = await api('GET', '/api/addons/config');
		if (!r.ok) {
			clear(list, h('p', { text: say(r).text }));
			return;
		}
		const yn = (b) => (b ? 'ja' : 'nein');
		clear(list, r.data.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Konfigurierte Add-ons' }, h('table', {},
			h('caption', { text: 'Konfigurierte Add-ons' }),
			h('thead', {}, h('tr', {}, ['Schlüssel', 'Neu erlaubt', 'Kostenpflichtig', 'Nur Admins', 'Geändert'].map((t) => h('th', { scope: 'col', text: t })))),
			h('tbody', {}, r.data.map((c) => h('tr', {}, h('th', { scope: 'row', text: c.addon_key }),
				h('td', { text: yn(c.allow_new) }), h('td', { text: yn(c.requires_payment) }), h('td', { text: yn(c.admin_only) }),
				h('td', {}, dateTime(c.updated_at))))))) : h('p', { text: 'Noch keine Add-ons konfiguriert.' }));
	}
	s.el.append(list, cfg.el, ent.el);
	return { el: s.el, load };
}

function deletedSection() {
	const s = section('Gelöschte Fahrzeuge', { id: 'geloescht' });
	const msgs = messages();
	const list = h('div');
	async function load() {
		const r = await api('GET', '/api/vehicles?include_deleted=true');
		if (!r.ok) {
			clear(list, h('p', { text: say(r).text }));
			return;
		}
		const gone = r.data.filter((v) => v.deleted_at);
		clear(list, gone.length ? h('ul', { class: 'items', 'aria-label': 'Gelöschte Fahrzeuge' }, gone.map((v) => h('li', {},
			h('h3', { text: v.nickname || v.vin_masked || v.id }),
			h('p', { class: 'meta-line' }, 'Gelöscht am ', time(v.deleted_at), ' · Besitzer: ', h('code', { text: v.owner_user_id })),
			h('div', { class: 'buttons' }, action(button('Wiederherstellen', null, { 'aria-label': `Wiederherstellen: ${v.nickname || v.vin_masked}` }), async () => {
				const x = await api('POST', `/api/vehicles/${encodeURIComponent(v.id)}/restore`);
				if (x.ok) {
					await load();
					msgs.ok(`Wiederhergestellt: ${v.nickname || v.vin_masked}`);
				} else {
					msgs.err(say(x, { vehicle_not_deleted: 'Das Fahrzeug ist nicht gelöscht.', not_found: 'Fahrzeug nicht gefunden.' }));
				}
			})))))
			: h('p', { text: 'Keine gelöschten Fahrzeuge.' }));
	}
	s.el.append(msgs.el, list);
	return { el: s.el, load };
}

function exportSection(me) {
	const sa = me.role === 'superadmin';
	const s = section('Export', { id: 'export' });
	const kind = field({ label: 'Art', name: 'kind', options: [['vehicle', 'Fahrzeug (vehicle)'], ['user', 'Benutzer (user)'],
		['servicebook', 'Serviceheft (servicebook)'], ['masterclipboard', 'Masterclipboard (masterclipboard)']] });
	const target = field({ label: 'Ziel-ID', name: 'target_id', required: true, attrs: { autocomplete: 'off', spellcheck: 'false' } });
	const ttl = field({ label: 'TTL in Sekunden', name: 'ttl_seconds', type: 'number', value: '300', attrs: { min: 30, max: 3600 } });
	const out = h('div');
	const grantInfo = h('div');
	let grant = null;
	const pathOf = () => `/api/export/${kind.value}/${encodeURIComponent(target.value.trim())}`;
	const frm = form({
		label: 'Export',
		async onSubmit(ev, f) {
			f.clear();
			const which = ev.submitter ? ev.submitter.value : 'redacted';
			if (target.value.trim() === '') {
				f.fail([{ field: target, text: 'Bitte eine Ziel-ID eingeben.' }]);
				return;
			}
			if (which === 'redacted') {
				const r = await api('GET', pathOf());
				if (!r.ok) {
					f.fail([say(r, { not_found: 'Ziel nicht gefunden.' })]);
					return;
				}
				clear(out, h('h3', { text: 'Redigierter Export' }), h('pre', { tabindex: '0', text: JSON.stringify(r.data, null, 2) }));
				f.msgs.ok('Redigierter Export geladen.');
			} else if (which === 'grant') {
				const n = Number(ttl.value);
				if (!Number.isInteger(n)) {
					f.fail([{ field: ttl, text: 'Bitte eine ganze Zahl eingeben.' }]);
					return;
				}
				const r = await api('POST', `${pathOf()}/grant?ttl_seconds=${n}`);
				if (!r.ok) {
					f.fail([say(r, { not_found: 'Ziel nicht gefunden.' })]);
					return;
				}
				// The token stays in memory only, bound to kind and target.
				grant = { token: r.data.export_token, header: r.data.header || 'X-Export-Token', kind: kind.value, target: target.value.trim() };
				clear(grantInfo, h('ul', { class: 'plain' },
					h('li', {}, 'Header: ', h('code', { text: grant.header })),
					h('li', {}, 'Gültig bis: ', dateTime(r.data.expires_at)),
					h('li', { text: `TTL: ${r.data.ttl_seconds} Sekunden` })));
				f.msgs.ok('Full-Grant erteilt. Der Grant gilt einmal.');
			} else if (which === 'full') {
				if (!grant) {
					f.fail([{ text: ADMIN_MAP.missing_export_token }]);
					return;
				}
				const g = grant;
				const r = await api('GET', `${pathOf()}/full`, { headers: { [g.header]: g.token } });
				if (!r.ok) {
					if (r.code === 'export_token_already_used' || r.code === 'missing_export_token')
						f.fail([{ text: ADMIN_MAP[r.code] }]);
					else if (r.status === 403)
						f.fail([{ text: FULL_REFUSED }]);
					else
						f.fail([say(r, { not_found: 'Ziel nicht gefunden.' })]);
					return;
				}
				grant = null;
				clear(grantInfo);
				clear(out, h('h3', { text: 'Voll-Export (verschlüsselt)' }), h('pre', { tabindex: '0', text: r.data.ciphertext }),
					h('p', { class: 'hint' }, 'Entschlüsseln mit ', h('code', { text: 'ltcctl export-decrypt' }), '.'));
				f.msgs.ok('Voll-Export geladen.');
			}
		},
	}, kind.el, target.el, ttl.el,
	h('div', { class: 'buttons' },
		h('button', { type: 'submit', value: 'redacted', text: 'Redigiert laden' }),
		sa ? h('button', { type: 'submit', value: 'grant', class: 'button-secondary', text: 'Full-Grant anfordern' }) : null,
		sa ? h('button', { type: 'submit', value: 'full', class: 'button-secondary', text: 'Voll-Export laden' }) : null),
	grantInfo);
	s.el.append(frm.el, out);
	return { el: s.el };
}

function supportSection() {
	const s = section('Support-Postfach', { id: 'support' });
	const filter = field({ label: 'Status', name: 'status', options: [['', 'alle'], ...SUPPORT_STATUS] });
	const list = h('ul', { class: 'items', 'aria-label': 'Nachrichten' });
	const msgs = messages();
	const more = button('Weitere laden', () => load(false), { class: 'button-secondary', hidden: true });
	let offset = 0;
	filter.input.addEventListener('change', () => load(true));

	function card(m) {
		const extra = h('div');
		const st = field({ label: 'Status', name: 'status', options: SUPPORT_STATUS, value: m.status });
		const note = field({ label: 'Notiz (optional)', name: 'note', textarea: true, rows: 2, attrs: { maxlength: 2000 } });
		const frm = form({
			label: `Nachricht bearbeiten vom ${new Date(m.created_at).toISOString().slice(0, 10)}`,
			async onSubmit(ev, f) {
				f.clear();
				const r = await api('POST', `/api/support/admin/messages/${encodeURIComponent(m.id)}`, {
					json: { status: st.value, note: note.value.trim() || null } });
				if (!r.ok) {
					failForm(f, r, { fields: { status: st, note }, map: { not_found: 'Nachricht nicht gefunden.' }, fallback: OTHER });
					return;
				}
				note.value = '';
				f.msgs.ok('Gespeichert.');
				clear(extra,
					h('p', {}, 'Antwortadresse: ', r.data.reply_to ? h('code', { text: r.data.reply_to }) : '—'),
					h('h4', { text: 'Verlauf' }),
					h('ul', { class: 'plain' }, (r.data.notes || []).map((n) => h('li', {}, dateTime(n.created_at),
						` · ${(SUPPORT_STATUS.find((x) => x[0] === n.status) || [0, n.status])[1]}`, n.note ? ` · ${n.note}` : ''))));
			},
		}, h('div', { class: 'cols' }, st.el, note.el), h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Speichern' })));
		return h('li', {},
			h('h3', {}, time(m.created_at), ` · ${TOPICS[m.topic] || m.topic}`),
			h('p', { class: 'meta-line', text: `Status: ${(SUPPORT_STATUS.find((x) => x[0] === m.status) || [0, m.status])[1]}`
				+ (m.has_reply_to ? ' · Antwortadresse vorhanden' : '') }),
			h('p', { class: 'support-message', text: m.message }),
			frm.el, extra);
	}

	async function load(reset) {
		if (reset) {
			offset = 0;
			clear(list);
		}
		const q = new URLSearchParams({ limit: '50', offset: String(offset) });
		if (filter.value)
			q.set('status', filter.value);
		const r = await api('GET', `/api/support/admin/messages?${q}`);
		if (!r.ok) {
			msgs.err(say(r, { not_found: 'Nachricht nicht gefunden.' }));
			more.hidden = true;
			return;
		}
		msgs.clear();
		list.append(...r.data.map(card));
		offset += r.data.length;
		more.hidden = r.data.length < 50;
		if (!offset)
			msgs.ok('Keine Nachrichten.');
	}
	s.el.append(filter.el, msgs.el, list, h('div', { class: 'buttons' }, more));
	return { el: s.el, load: () => load(true) };
}

export async function render({ root, me }) {
	const users = usersSection(me);
	const vip = vipSection(me);
	const addons = addonsSection();
	const deleted = deletedSection();
	const exp = exportSection(me);
	const quarantine = section('Quarantäne', { id: 'quarantaene' });
	quarantine.el.append(h('p', {}, h('a', { href: '/app/documents.html#quarantaene', text: 'Quarantäne prüfen' })));
	const support = supportSection();
	clear(root, h('h1', { text: 'Admin' }), users.el, vip.el, addons.el, deleted.el, exp.el, quarantine.el, support.el);
	await Promise.all([users.load(), vip.load(), addons.load(), deleted.load(), support.load()]);
}
