// JSON API client (frontend.md §4.1). Same-origin calls with the session
// cookie; unsafe methods carry X-CSRF-Token from /api/auth/me. No token is
// ever kept anywhere but in this module's memory.

export const TEXT = {
	service: 'Der Dienst ist gerade nicht erreichbar. Bitte später erneut versuchen.',
	rate: 'Zu viele Anfragen. Bitte kurz warten und erneut versuchen.',
	csrf: 'Sitzung abgelaufen. Bitte neu laden.',
};
export const ADDON = { title: 'Add-on erforderlich', text: 'Diese Funktion ist nur mit entsprechendem Add-on verfügbar.' };
export const FORBIDDEN = { title: 'Kein Zugriff', text: 'Du hast keine Berechtigung für diese Aktion.' };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;

export function setCsrf(token) {
	csrfToken = token || null;
}

export function currentTarget() {
	return location.pathname + location.search;
}

export function loginRedirect() {
	if (location.pathname === '/login' || location.pathname.startsWith('/login/'))
		return;
	location.assign('/login?next=' + encodeURIComponent(currentTarget()));
}

export function consentRedirect() {
	location.assign('/consent?next=' + encodeURIComponent(currentTarget()));
}

// The error code of a body: detail string, detail.code, a 422 array
// (fields by the last loc element) or the masterclipboard "error".
export function errorCode(body) {
	const out = { code: null, fields: null };
	if (!body || typeof body !== 'object')
		return out;
	const d = body.detail;
	if (typeof d === 'string') {
		out.code = d;
	} else if (Array.isArray(d)) {
		out.code = 'validation';
		out.fields = {};
		for (const item of d) {
			const loc = Array.isArray(item && item.loc) ? item.loc : [];
			let key = loc.length > 1 ? loc[loc.length - 1] : (loc[0] || 'body');
			// "consents", 0, "accepted_at" → the named field, never the index.
			for (let i = loc.length - 1; i >= 0; i--) {
				if (typeof loc[i] === 'string') {
					key = loc[i];
					break;
				}
			}
			if (!(key in out.fields))
				out.fields[key] = item.type || 'value_error';
		}
	} else if (d && typeof d === 'object' && typeof d.code === 'string') {
		out.code = d.code;
	}
	if (out.code === null && typeof body.error === 'string')
		out.code = body.error;
	return out;
}

function parseBody(text, contentType) {
	if (!text || !/json/i.test(contentType || ''))
		return null;
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

function headersFor(method, opts) {
	const h = { Accept: 'application/json' };
	if (opts.json !== undefined)
		h['Content-Type'] = 'application/json';
	if (UNSAFE.has(method) && csrfToken)
		h['X-CSRF-Token'] = csrfToken;
	return Object.assign(h, opts.headers || {});
}

async function viaFetch(method, path, opts) {
	const init = { method, credentials: 'same-origin', headers: headersFor(method, opts) };
	if (opts.json !== undefined)
		init.body = JSON.stringify(opts.json);
	else if (opts.form !== undefined)
		init.body = opts.form;
	let r;
	try {
		r = await fetch(path, init);
	} catch {
		return { status: 0, body: null };
	}
	let text = '';
	try {
		text = await r.text();
	} catch {
		return { status: 0, body: null };
	}
	return { status: r.status, body: parseBody(text, r.headers.get('Content-Type')) };
}

// Uploads go through XMLHttpRequest: fetch reports no upload progress.
function viaXhr(method, path, opts) {
	return new Promise((resolve) => {
		const x = new XMLHttpRequest();
		x.open(method, path);
		const h = headersFor(method, opts);
		for (const k of Object.keys(h))
			x.setRequestHeader(k, h[k]);
		x.upload.addEventListener('progress', (e) => {
			if (e.lengthComputable)
				opts.onProgress(e.loaded, e.total);
		});
		x.addEventListener('load', () => {
			if (x.status === 0)
				resolve({ status: 0, body: null });
			else
				resolve({ status: x.status, body: parseBody(x.responseText, x.getResponseHeader('Content-Type')) });
		});
		x.addEventListener('error', () => resolve({ status: 0, body: null }));
		x.addEventListener('abort', () => resolve({ status: 0, body: null }));
		x.send(opts.form);
	});
}

function attempt(method, path, opts) {
	return opts.onProgress ? viaXhr(method, path, opts) : viaFetch(method, path, opts);
}

// Re-reads the CSRF token after a csrf_failed (the session may have rotated).
export async function refreshCsrf() {
	const r = await viaFetch('GET', '/api/auth/me', {});
	if (r.status === 200 && r.body)
		setCsrf(r.body.csrf_token);
	return r;
}

function classify(raw) {
	const { code, fields } = errorCode(raw.body);
	const res = { ok: raw.status >= 200 && raw.status < 300, status: raw.status, data: raw.body, code, fields, kind: 'ok' };
	if (res.ok)
		return res;
	const c = code || '';
	if (raw.status === 0)
		res.kind = 'network';
	else if (raw.status === 401)
		res.kind = 'redirect';
	else if (raw.status === 403 && c === 'consent_required')
		res.kind = 'redirect';
	else if (raw.status === 403 && /addon|paywall|admin_only/.test(c))
		res.kind = 'addon';
	else if (raw.status === 403 && c === 'csrf_failed')
		res.kind = 'csrf';
	else if (raw.status === 403)
		res.kind = 'forbidden';
	else if (raw.status === 429)
		res.kind = 'rate';
	else if (raw.status >= 500)
		res.kind = 'server';
	else if (code === 'validation')
		res.kind = 'validation';
	else
		res.kind = 'error';
	return res;
}

// One API call with the global handling of §4.1. Returns
// { ok, status, data, code, fields, kind }; 401 and consent_required have
// already redirected when kind is "redirect".
export async function api(method, path, opts = {}) {
	method = method.toUpperCase();
	let res = classify(await attempt(method, path, opts));
	if (res.kind === 'csrf' && UNSAFE.has(method)) {
		const me = await refreshCsrf();
		if (me.status === 401) {
			res = classify(me);
		} else {
			res = classify(await attempt(method, path, opts));
			if (res.kind === 'csrf')
				res.csrfRetried = true;
		}
	}
	if (res.kind === 'redirect') {
		if (res.status === 401)
			loginRedirect();
		else
			consentRedirect();
	}
	return res;
}

// The German text for a failed call: the page's own mapping by code first,
// then the global texts, then the page's fallback. Returns { title?, text }.
export function describe(res, map = {}, fallback = 'Die Aktion konnte nicht ausgeführt werden.') {
	if (res.code && Object.prototype.hasOwnProperty.call(map, res.code))
		return { text: map[res.code] };
	if (Object.prototype.hasOwnProperty.call(map, String(res.status)))
		return { text: map[String(res.status)] };
	switch (res.kind) {
	case 'addon': return ADDON;
	case 'csrf': return { text: TEXT.csrf };
	case 'forbidden': return FORBIDDEN;
	case 'rate': return { text: TEXT.rate };
	case 'server':
	case 'network': return { text: TEXT.service };
	case 'redirect': return { text: '' };
	default: return { text: fallback };
	}
}

// Saves JSON through a Blob link (exports).
export function downloadJson(data, filename) {
	const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.hidden = true;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}
