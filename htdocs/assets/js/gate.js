// The gate every app page runs first (frontend.md §4.2). Client-side
// checks only improve the UX; the server enforces every rule again.

import { api, setCsrf, describe, consentRedirect } from './api.js';
import { h, clear, panel } from './ui.js';
import { renderNav, fillLogout } from './nav.js';

// page: { roles: [...], consent: bool }. Returns { me } when the page may
// render, { me, denied: true } for a role that may not, or null when the
// page is redirecting or showed an error.
export async function gate(page, root) {
	const status = h('p', { role: 'status', class: 'gate-status', text: 'Prüfe Zugriff …' });
	clear(root, status);
	const r = await api('GET', '/api/auth/me');
	if (!r.ok) {
		if (r.kind !== 'redirect')
			clear(root, panel('Fehler', describe(r, {}, 'Die Anmeldung konnte nicht geprüft werden.').text, { level: 1 }));
		return null;
	}
	const me = r.data;
	setCsrf(me.csrf_token);
	if (!page.roles.includes(me.role)) {
		finish(me);
		status.remove();
		return { me, denied: true };
	}
	if (page.consent) {
		const c = await api('GET', '/api/consent/status');
		if (!c.ok) {
			if (c.kind !== 'redirect')
				clear(root, panel('Fehler', describe(c, {}, 'Die Zustimmung konnte nicht geprüft werden.').text, { level: 1 }));
			return null;
		}
		if (c.data.is_complete !== true) {
			consentRedirect();
			return null;
		}
	}
	finish(me);
	status.remove();
	return { me };
}

function finish(me) {
	fillLogout(me.csrf_token);
	renderNav(me.role);
	document.getElementById('main')?.focus();
}
