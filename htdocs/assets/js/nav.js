// Role navigation (frontend.md §4.3), in-app navigation through the
// History API, and the logout forms.

import { api } from './api.js';
import { h, clear } from './ui.js';

export const ROLES = {
	ALL: ['public', 'user', 'vip', 'dealer', 'moderator', 'admin', 'superadmin'],
	OWN: ['user', 'vip', 'dealer', 'admin', 'superadmin'],
	ADM: ['admin', 'superadmin'],
	MC: ['dealer', 'admin', 'superadmin'],
	EDIT: ['moderator', 'admin', 'superadmin'],
};

const L = {
	vehicles: ['Meine Fahrzeuge', '/app/'],
	documents: ['Dokumente', '/app/documents.html'],
	transfer: ['Übergabe', '/app/transfer.html'],
	account: ['Konto', '/app/account.html'],
	mc: ['Masterclipboard', '/app/masterclipboard.html'],
	admin: ['Admin', '/app/admin.html'],
	blog: ['CMS Blog', '/app/cms.html?type=blog'],
	news: ['CMS News', '/app/cms.html?type=news'],
};

export function navLinks(role) {
	const own = [L.vehicles, L.documents, L.transfer, L.account];
	switch (role) {
	case 'user':
	case 'vip':
		return own;
	case 'dealer':
		return [...own, L.mc];
	case 'admin':
	case 'superadmin':
		return [...own, L.mc, L.admin, L.blog, L.news];
	case 'moderator':
		return [L.blog, L.news, L.account];
	default:
		return [L.account];
	}
}

function isCurrent(href) {
	const u = new URL(href, location.origin);
	let path = location.pathname;
	if (path === '/app/index.html')
		path = '/app/';
	if (u.pathname !== path)
		return false;
	if (u.pathname === '/app/cms.html')
		return (new URLSearchParams(location.search).get('type') || 'blog') === u.searchParams.get('type');
	return true;
}

let navRole = null;

export function renderNav(role) {
	navRole = role;
	const ul = document.getElementById('app-nav');
	if (!ul)
		return;
	clear(ul, navLinks(role).map(([text, href]) => h('li', {},
		h('a', { href, text, 'aria-current': isCurrent(href) ? 'page' : null }))));
	document.getElementById('app-nav-wrap')?.removeAttribute('hidden');
}

export function markCurrent() {
	if (navRole !== null)
		renderNav(navRole);
}

// ---- History-API routing ------------------------------------------------

let router = null;
let shown = null;

export function setRouter(fn) {
	router = fn;
}

export function shownUrl() {
	return shown;
}

export function setShown(url) {
	shown = url;
}

export function navigate(url, { replace = false } = {}) {
	history[replace ? 'replaceState' : 'pushState'](null, '', url);
	return router ? router() : undefined;
}

// Changes the address (e.g. ?transfer=<id>) without rendering again.
export function replaceUrl(url) {
	history.replaceState(null, '', url);
	shown = location.pathname + location.search;
	markCurrent();
}

// ---- logout ---------------------------------------------------------------

export function fillLogout(csrf) {
	for (const f of document.querySelectorAll('form.logout-form')) {
		const input = f.querySelector('input[name="csrf_token"]');
		if (input)
			input.value = csrf || '';
		f.hidden = false;
		if (!f.dataset.wired) {
			f.dataset.wired = '1';
			f.addEventListener('submit', logout);
		}
	}
}

// The form posts to /logout; with the app loaded the same happens
// through the API, then the browser goes to the start page.
async function logout(ev) {
	ev.preventDefault();
	const r = await api('POST', '/api/auth/logout');
	if (r.ok || r.status === 401)
		location.assign('/');
	else
		ev.target.submit();
}
