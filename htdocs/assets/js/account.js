// /app/account.html (frontend.md §6.8): account facts, password, consent,
// own data export, feedback, session and logout.

import { api, describe, downloadJson, TEXT } from './api.js';
import { h, clear, section, form, field, failForm, messages, dl, dateTime, time, button, action } from './ui.js';
import { roleLabel } from './format.js';
import { fillLogout } from './nav.js';

const PW_SHORT = 'Das Passwort muss mindestens 10 Zeichen lang sein.';
const PW_LONG = 'Das Passwort ist zu lang.';
const PW_DIFF = 'Die Passwörter stimmen nicht überein.';
const CODE_MAP = {
	INVALID: 'Code oder Challenge sind ungültig.',
	EXPIRED: 'Der Code ist abgelaufen. Bitte neuen Code anfordern.',
	LOCKED: 'Zu viele falsche Codes. Bitte neuen Code anfordern.',
	RATE_LIMIT: TEXT.rate,
};
const PASSWORD_MAP = {
	INVALID: 'E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist noch nicht bestätigt.',
	RATE_LIMIT: TEXT.rate,
};
const DOCS = { terms: 'AGB', privacy: 'Datenschutzerklärung' };
const TOPICS = [['frage', 'Frage'], ['fehler', 'Fehler'], ['datenschutz', 'Datenschutz'], ['sonstiges', 'Sonstiges']];

function bytes(s) {
	return new TextEncoder().encode(s).length;
}

// The two new-password fields and their checks.
function newPasswordFields() {
	const pw = field({ label: 'Neues Passwort', name: 'new_password', type: 'password', required: true,
		hint: 'Mindestens 10 Zeichen.', attrs: { autocomplete: 'new-password', minlength: 10 } });
	const again = field({ label: 'Neues Passwort wiederholen', name: 'new_password_repeat', type: 'password', required: true,
		attrs: { autocomplete: 'new-password' } });
	return {
		pw, again,
		check() {
			const errs = [];
			if (bytes(pw.value) < 10)
				errs.push({ field: pw, text: PW_SHORT });
			else if (bytes(pw.value) > 1024)
				errs.push({ field: pw, text: PW_LONG });
			if (again.value !== pw.value)
				errs.push({ field: again, text: PW_DIFF });
			return errs;
		},
	};
}

function passwordSection(me) {
	const s = section('Passwort setzen oder ändern', { id: 'passwort' });
	const body = h('div');
	s.el.append(body);
	const saved = 'Passwort gespeichert. Andere Sitzungen wurden abgemeldet.';

	function withCurrent(focus) {
		const cur = field({ label: 'Aktuelles Passwort', name: 'current_password', type: 'password', required: true,
			attrs: { autocomplete: 'current-password' } });
		const np = newPasswordFields();
		const frm = form({
			label: 'Passwort ändern',
			async onSubmit(ev, f) {
				f.clear();
				const errs = [];
				if (cur.value === '')
					errs.push({ field: cur, text: 'Bitte das aktuelle Passwort eingeben.' });
				errs.push(...np.check());
				if (errs.length) {
					f.fail(errs);
					return;
				}
				const r = await api('POST', '/api/auth/password', { json: { current_password: cur.value, new_password: np.pw.value } });
				if (r.ok) {
					cur.value = np.pw.value = np.again.value = '';
					f.msgs.ok(saved);
					return;
				}
				failForm(f, r, { fields: { current_password: cur, new_password: np.pw }, map: PASSWORD_MAP,
					fallback: 'Das Passwort konnte nicht gespeichert werden.' });
			},
		}, cur.el, np.pw.el, np.again.el,
		h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Passwort speichern' }),
			button('Passwort vergessen?', () => withCode(true), { class: 'button-secondary' })));
		clear(body, frm.el);
		if (focus)
			cur.input.focus();
	}

	function withCode(focus) {
		const email = field({ label: 'E-Mail-Adresse', name: 'email', type: 'email', required: true,
			attrs: { autocomplete: 'email' } });
		const step2 = h('div');
		const reqForm = form({
			label: 'Code anfordern',
			async onSubmit(ev, f) {
				f.clear();
				const e = email.value.trim();
				if (e === '') {
					f.fail([{ field: email, text: 'Bitte eine E-Mail-Adresse eingeben.' }]);
					return;
				}
				const r = await api('POST', '/api/auth/request', { json: { email: e } });
				if (!r.ok) {
					failForm(f, r, { fields: { email }, map: { validation: 'Bitte eine gültige E-Mail-Adresse eingeben.' },
						fieldCodes: { validation: ['email', 'Bitte eine gültige E-Mail-Adresse eingeben.'] },
						fallback: 'Der Code konnte nicht angefordert werden.' });
					return;
				}
				f.msgs.ok(r.data.message || 'Wenn die E-Mail-Adresse gültig ist, wurde ein Code gesendet.');
				codeForm(r.data.challenge_id, r.data.dev_otp);
			},
		}, h('p', { text: 'Wir schicken dir einen sechsstelligen Code an deine E-Mail-Adresse.' }), email.el,
		h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Code anfordern' }),
			me.has_password ? button('Zurück', () => withCurrent(true), { class: 'button-secondary' }) : null));

		function codeForm(challenge, devOtp) {
			const otp = field({ label: 'Code', name: 'otp', required: true,
				attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 } });
			const np = newPasswordFields();
			const frm = form({
				label: 'Neues Passwort mit Code setzen',
				async onSubmit(ev, f) {
					f.clear();
					const errs = [];
					if (!/^[0-9]{6}$/.test(otp.value.trim()))
						errs.push({ field: otp, text: 'Bitte den sechsstelligen Code eingeben.' });
					errs.push(...np.check());
					if (errs.length) {
						f.fail(errs);
						return;
					}
					const r = await api('POST', '/api/auth/password', {
						json: { challenge_id: challenge, otp: otp.value.trim(), new_password: np.pw.value } });
					if (r.ok) {
						clear(body, h('p', { role: 'status', class: 'notice', text: saved }));
						return;
					}
					failForm(f, r, { fields: { otp, new_password: np.pw }, map: CODE_MAP,
						fieldCodes: { INVALID: ['otp', CODE_MAP.INVALID], EXPIRED: ['otp', CODE_MAP.EXPIRED] },
						fallback: 'Das Passwort konnte nicht gespeichert werden.' });
				},
			}, devOtp ? h('p', { class: 'hint', text: `Dev-OTP: ${devOtp}` }) : null, otp.el, np.pw.el, np.again.el,
			h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Passwort speichern' })));
			clear(step2, frm.el);
			otp.input.focus();
		}
		clear(body, reqForm.el, step2);
		if (focus)
			email.input.focus();
	}

	if (me.has_password)
		withCurrent(false);
	else
		withCode(false);
	return s.el;
}

function consentSection() {
	const s = section('Zustimmung', { id: 'zustimmung' });
	const body = h('div', {}, h('p', { role: 'status', text: 'Zustimmung wird geladen …' }));
	s.el.append(body, h('p', {}, h('a', { href: '/consent', text: 'Zustimmung verwalten' })));
	s.loaded = (async () => {
		const r = await api('GET', '/api/consent/status');
		if (!r.ok) {
			clear(body, h('p', { text: describe(r, {}, 'Die Zustimmung konnte nicht geladen werden.').text }));
			return;
		}
		clear(body, h('ul', { class: 'plain' }, r.data.required.map((d) => {
			const a = r.data.accepted.filter((x) => x.doc_type === d.doc_type && x.doc_version === d.doc_version).pop();
			const name = `${DOCS[d.doc_type] || d.doc_type}, Version ${d.doc_version}`;
			return h('li', {}, a ? [`${name}: akzeptiert am `, time(a.accepted_at)] : `${name}: noch nicht akzeptiert`);
		})), h('p', { text: r.data.is_complete ? 'Du hast den aktuellen Fassungen zugestimmt.' : 'Die Zustimmung ist noch nicht vollständig.' }));
	})();
	return s;
}

function dataSection(me) {
	const s = section('Meine Daten', { id: 'daten' });
	const msgs = messages();
	const btn = action(button('Export meiner Kontodaten (redigiert)'), async () => {
		const r = await api('GET', `/api/export/user/${encodeURIComponent(me.user_id)}`);
		if (r.ok) {
			downloadJson(r.data, `konto-${me.user_id}.json`);
			msgs.ok(`Export gespeichert: konto-${me.user_id}.json`);
		} else {
			msgs.err(describe(r, {}, 'Der Export konnte nicht erstellt werden.'));
		}
	});
	s.el.append(h('p', { text: 'Der redigierte Export enthält keine E-Mail-Adresse und keine anderen Kontaktdaten.' }),
		h('div', { class: 'buttons' }, btn), msgs.el);
	return s.el;
}

function feedbackSection() {
	const s = section('Feedback', { id: 'feedback' });
	const topic = field({ label: 'Thema', name: 'topic', required: true, options: [['', 'Bitte wählen'], ...TOPICS] });
	const msg = field({ label: 'Nachricht', name: 'message', textarea: true, required: true, rows: 5,
		hint: 'Bitte keine persönlichen Fahrzeugdaten oder Dokumente; dafür gibt es den Upload.', attrs: { maxlength: 4000 } });
	const frm = form({
		label: 'Feedback senden',
		async onSubmit(ev, f) {
			f.clear();
			const errs = [];
			if (!topic.value)
				errs.push({ field: topic, text: 'Bitte ein Thema wählen.' });
			if (msg.value.trim() === '')
				errs.push({ field: msg, text: 'Bitte eine Nachricht eingeben.' });
			else if ([...msg.value.trim()].length > 4000)
				errs.push({ field: msg, text: 'Die Nachricht darf höchstens 4000 Zeichen lang sein.' });
			if (errs.length) {
				f.fail(errs);
				return;
			}
			const r = await api('POST', '/api/support/feedback', { json: { topic: topic.value, message: msg.value.trim() } });
			if (r.ok) {
				topic.value = '';
				msg.value = '';
				f.msgs.ok('Danke, deine Nachricht ist angekommen.');
				return;
			}
			failForm(f, r, { fields: { topic, message: msg }, map: { rate_limited: TEXT.rate },
				fallback: 'Die Nachricht konnte nicht gesendet werden.' });
		},
	}, topic.el, msg.el, h('div', { class: 'buttons' }, h('button', { type: 'submit', text: 'Senden' })));
	s.el.append(frm.el);
	return s.el;
}

function sessionSection(me) {
	const s = section('Sitzung', { id: 'sitzung' });
	const logout = h('form', { class: 'logout-form', method: 'post', action: '/logout' },
		h('input', { type: 'hidden', name: 'csrf_token', value: me.csrf_token || '' }),
		h('button', { type: 'submit', text: 'Abmelden' }));
	s.el.append(dl([
		['Angemeldet über', me.auth === 'cookie' ? 'Browser-Sitzung' : me.auth],
		['Sitzung endet spätestens', me.session_expires_at ? dateTime(me.session_expires_at) : '—'],
	]), h('p', { class: 'hint', text: 'Nach 30 Minuten ohne Aktivität endet die Sitzung früher. Ein neues Passwort meldet alle anderen Sitzungen ab.' }),
	logout);
	return s.el;
}

export async function render({ root, me }) {
	const mod = me.role === 'moderator';
	const consent = mod ? null : consentSection();
	clear(root, h('h1', { text: 'Konto' }),
		h('ul', { class: 'plain account-facts' },
			h('li', {}, 'Benutzer-ID: ', h('code', { text: me.user_id })),
			h('li', { text: `Rolle: ${roleLabel(me.role)}` }),
			h('li', { text: `E-Mail bestätigt: ${me.email_verified ? 'ja' : 'nein'}` }),
			h('li', { text: `Passwort gesetzt: ${me.has_password ? 'ja' : 'nein'}` })),
		passwordSection(me),
		consent ? consent.el : null,
		mod || me.role === 'public' ? null : dataSection(me),
		mod ? null : feedbackSection(),
		sessionSection(me));
	fillLogout(me.csrf_token);
	if (consent)
		await consent.loaded;
}
