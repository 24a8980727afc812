// The app shell's router: every /app/ page of the site map (frontend.md
// §1) is served by /app/index.html and rendered here by its path. Links
// between app pages use the History API; a reload or deep link gets the
// same shell from the web server.

import { gate } from './gate.js';
import { h, clear, forbiddenPanel, panel } from './ui.js';
import { ROLES, setRouter, navigate, setShown, shownUrl, markCurrent } from './nav.js';

const PAGES = {
	'/app/': { mod: 'vehicles', title: 'Meine Fahrzeuge', roles: ROLES.OWN, consent: true },
	'/app/vehicle.html': { mod: 'vehicle', title: 'Fahrzeug', roles: ROLES.OWN, consent: true },
	'/app/onboarding.html': { mod: 'onboarding', title: 'Erste Schritte', roles: ROLES.OWN, consent: true },
	'/app/documents.html': { mod: 'documents', title: 'Dokumente', roles: ROLES.OWN, consent: true },
	'/app/trust-folders.html': { mod: 'trust-folders', title: 'Trust-Folder', roles: ROLES.OWN, consent: true },
	'/app/trust-folder.html': { mod: 'trust-folder', title: 'Trust-Folder', roles: ROLES.OWN, consent: true },
	'/app/transfer.html': { mod: 'transfer', title: 'Übergabe', roles: ROLES.OWN, consent: true },
	'/app/account.html': { mod: 'account', title: 'Konto', roles: ROLES.ALL, consent: false },
	'/app/masterclipboard.html': { mod: 'masterclipboard', title: 'Masterclipboard', roles: ROLES.MC, consent: true },
	'/app/admin.html': { mod: 'admin', title: 'Admin', roles: ROLES.ADM, consent: true },
	'/app/cms.html': {
		mod: 'cms', roles: ROLES.EDIT, consent: false,
		title: (q) => (q.get('type') === 'news' ? 'CMS News' : 'CMS Blog'),
	},
};
PAGES['/app/index.html'] = PAGES['/app/'];

const NOT_FOUND = { title: 'Seite nicht gefunden', roles: ROLES.ALL, consent: false };

export function pageFor(pathname) {
	return PAGES[pathname === '/app' ? '/app/' : pathname] || null;
}

let current = 0;

async function route() {
	const my = ++current;
	const url = location.pathname + location.search;
	setShown(url);
	const params = new URLSearchParams(location.search);
	const page = pageFor(location.pathname) || NOT_FOUND;
	const title = typeof page.title === 'function' ? page.title(params) : page.title;
	document.title = `${title} – LifeTimeCircle`;
	const view = document.getElementById('view');
	const main = document.getElementById('main');
	const root = h('div', { class: 'page' });
	clear(view, root);
	markCurrent();
	// Busy until the page has loaded what it shows.
	main.setAttribute('aria-busy', 'true');
	try {
		await show(my, page, title, params, root);
	} finally {
		if (my === current)
			main.removeAttribute('aria-busy');
	}
}

async function show(my, page, title, params, root) {
	const g = await gate(page, root);
	if (my !== current || !g)
		return;
	if (g.denied) {
		clear(root, h('h1', { text: title }), forbiddenPanel(2));
		return;
	}
	if (!page.mod) {
		clear(root, h('h1', { text: 'Seite nicht gefunden' }),
			h('p', { text: 'Die angeforderte Seite existiert leider nicht.' }),
			h('p', {}, h('a', { href: '/', text: 'Zur Startseite' })));
		return;
	}
	let mod;
	try {
		mod = await import(`./${page.mod}.js`);
	} catch {
		clear(root, panel('Fehler', 'Der Dienst ist gerade nicht erreichbar. Bitte später erneut versuchen.', { level: 1 }));
		return;
	}
	if (my !== current)
		return;
	await mod.render({ root, me: g.me, params, title, alive: () => my === current });
	if (my !== current)
		return;
	focusHash();
}

// A fragment (vehicle.html?id=…#dokumente) moves the focus to that
// section's heading once the page is there.
function focusHash() {
	if (!location.hash || location.hash === '#main')
		return;
	const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
	if (!el)
		return;
	const target = el.matches('h1, h2, h3, [tabindex]') ? el : el.querySelector('h2, h3');
	if (target) {
		if (!target.hasAttribute('tabindex'))
			target.setAttribute('tabindex', '-1');
		target.focus();
		target.scrollIntoView({ block: 'start' });
	}
}

document.addEventListener('click', (ev) => {
	if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey)
		return;
	const a = ev.target.closest ? ev.target.closest('a[href]') : null;
	if (!a || a.target || a.hasAttribute('download'))
		return;
	const href = a.getAttribute('href');
	if (href.startsWith('#'))
		return;
	const u = new URL(a.href, location.href);
	if (u.origin !== location.origin || !pageFor(u.pathname))
		return;
	ev.preventDefault();
	navigate(u.pathname + u.search + u.hash);
});

// Fragment-only changes (the skip link) are no new page.
window.addEventListener('popstate', () => {
	if (location.pathname + location.search !== shownUrl())
		route();
});

setRouter(route);
route();
