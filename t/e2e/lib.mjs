// Helpers for the browser tests: TAP output, users through the real
// sign-in API and the dev outbox, screenshots at 375 and 1280 px, axe-core,
// target sizes, keyboard navigation.

import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const env = process.env;
export const BASE = env.LTC_E2E_BASE;
export const DATA = env.LTC_E2E_DATA;
export const CONF = env.LTC_E2E_CONF;
export const LTCCTL = env.LTC_E2E_LTCCTL;
export const OUT = env.LTC_E2E_OUT;
mkdirSync(OUT, { recursive: true });

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// ---- TAP ------------------------------------------------------------------

let n = 0;
let failures = 0;

export function diag(s) {
	for (const l of String(s).split('\n'))
		console.log(`# ${l}`);
}

export function ok(cond, name, extra) {
	n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name.replace(/#/g, '\\#')}`);
	if (!cond) {
		failures++;
		if (extra !== undefined)
			diag(typeof extra === 'string' ? extra : JSON.stringify(extra, null, 1));
	}
	return !!cond;
}

export function skip(name, why) {
	n++;
	console.log(`ok ${n} - ${name.replace(/#/g, '\\#')} # SKIP ${why}`);
}

export function done() {
	console.log(`1..${n}`);
	return failures;
}

class Abort extends Error {}

// An assertion that ends the current flow when it fails.
export function must(cond, name, extra) {
	if (!ok(cond, name, extra))
		throw new Abort(name);
}

let shotSeq = 0;

// Runs one flow; an exception or a failed must() ends it with a
// screenshot of every open page of the flow's contexts.
export async function flow(name, fn, pagesForShots = () => []) {
	const t0 = Date.now();
	try {
		await fn();
	} catch (e) {
		if (!(e instanceof Abort))
			ok(false, `${name}: ${e.message.split('\n')[0]}`, e.stack);
		for (const p of pagesForShots()) {
			try {
				const file = path.join(OUT, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}-${++shotSeq}.png`);
				await p.screenshot({ path: file, fullPage: true });
				diag(`screenshot of ${p.url()}: ${file}`);
			} catch { /* page gone */ }
		}
	}
	diag(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---- server-side helpers ----------------------------------------------------

export function ltcctl(args, input) {
	return execFileSync(LTCCTL, args, { input, env: { ...process.env, LTC_CONF: CONF }, encoding: 'utf8' });
}

export function sqlite(sql) {
	return execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', path.join(DATA, 'ltc.sqlite'), sql], { encoding: 'utf8' }).trim();
}

// Code of the newest mail whose name or To: matches (challenge id or e-mail).
export async function mailCode(match, exclude = []) {
	const dir = path.join(DATA, 'outbox');
	for (let i = 0; i < 100; i++) {
		let files = [];
		try {
			files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
		} catch { /* not yet there */ }
		for (const f of files.reverse().filter((x) => !exclude.includes(x))) {
			const text = readFileSync(path.join(dir, f), 'utf8');
			if (f.includes(match) || text.includes(`To: ${match}`)) {
				const m = /:\n(\d{6})\n/.exec(text);
				if (m)
					return { code: m[1], file: f, challenge: (/Referenz: (\S+)/.exec(text) || [])[1] };
			}
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no mail for ${match}`);
}

// A JSON call from inside the page (same origin, the browser's cookies).
export async function pageFetch(page, method, p, body, headers = {}) {
	return page.evaluate(async ([method, p, body, headers]) => {
		const h = { Accept: 'application/json', ...headers };
		if (body !== undefined)
			h['Content-Type'] = 'application/json';
		const r = await fetch(p, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
		let json = null;
		try {
			json = await r.json();
		} catch { /* not JSON */ }
		return { status: r.status, json };
	}, [method, p, body, headers]);
}

// A new account through the real API: register (password) or request
// (code only), the code from the dev outbox, verify. The browser context
// then holds the session cookie.
export async function signUp(ctx, { email, password, via = 'register' }) {
	const page = await ctx.newPage();
	await page.goto(`${BASE}/`);
	const body = via === 'register' ? { email, password } : { email };
	const r = await pageFetch(page, 'POST', `/api/auth/${via}`, body);
	if (r.status !== 200)
		throw new Error(`${via}: ${r.status} ${JSON.stringify(r.json)}`);
	const { code, file } = await mailCode(r.json.challenge_id);
	const v = await pageFetch(page, 'POST', '/api/auth/verify', { email, challenge_id: r.json.challenge_id, otp: code });
	if (v.status !== 200)
		throw new Error(`verify: ${v.status} ${JSON.stringify(v.json)}`);
	return { page, user_id: v.json.user_id, email, password, mailFile: file };
}

// An account made with ltcctl (admins, moderators), logged in by password.
export async function signInAs(ctx, role, email, password = 'correct horse battery') {
	ltcctl(['user', 'add', email, '--role', role, '--password-stdin'], `${password}\n`);
	const page = await ctx.newPage();
	await page.goto(`${BASE}/`);
	const r = await pageFetch(page, 'POST', '/api/auth/login', { email, password });
	if (r.status !== 200)
		throw new Error(`login ${email}: ${r.status}`);
	return { page, user_id: r.json.user_id, email, password };
}

export async function acceptConsentByApi(page) {
	const me = await pageFetch(page, 'GET', '/api/auth/me');
	const cur = await pageFetch(page, 'GET', '/api/consent/current');
	const at = new Date().toISOString();
	const r = await pageFetch(page, 'POST', '/api/consent/accept',
		{ consents: cur.json.required.map((d) => ({ ...d, accepted_at: at, source: 'ui' })) },
		{ 'X-CSRF-Token': me.json.csrf_token });
	if (r.status !== 200)
		throw new Error(`consent: ${r.status}`);
}

export async function status(p) {
	const r = await fetch(`${BASE}${p}`, { redirect: 'manual' });
	return r.status;
}

// ---- checks on a rendered screen --------------------------------------------

// Every page gets a recorder for CSP violations before its scripts run.
export async function watch(ctx) {
	await ctx.addInitScript(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
		});
	});
}

// Buttons, form controls and list/navigation links must be at least
// 44 × 44 CSS px; a checkbox counts with its label.
async function smallTargets(page) {
	return page.evaluate(() => {
		const bad = [];
		const seen = (r) => r.width > 0 && r.height > 0;
		const union = (a, b) => ({ width: Math.max(a.right, b.right) - Math.min(a.left, b.left),
			height: Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top) });
		const els = document.querySelectorAll('button, select, summary, input:not([type="hidden"]), nav a, li > a, .links a');
		for (const el of els) {
			const r = el.getBoundingClientRect();
			if (!seen(r) || getComputedStyle(el).visibility === 'hidden')
				continue;
			let box = r;
			if (el.matches('input[type="checkbox"], input[type="radio"]')) {
				const l = el.id && document.querySelector(`label[for="${el.id}"]`);
				if (l)
					box = union(r, l.getBoundingClientRect());
			}
			if (el.matches('input:not([type="checkbox"]):not([type="radio"]), select') && box.height >= 43.5)
				continue;
			if (box.width < 43.5 || box.height < 43.5)
				bad.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
		}
		return bad;
	});
}

// Layout-dependent rules, run again at the second width.
const LAYOUT_RULES = ['scrollable-region-focusable', 'target-size', 'color-contrast', 'meta-viewport',
	'landmark-one-main', 'region', 'list', 'listitem', 'nested-interactive'];

async function axe(page, full) {
	if (!(await page.evaluate(() => !!window.axe)))
		await page.evaluate(AXE);
	const res = await page.evaluate(async (rules) => {
		const opts = { resultTypes: ['violations'] };
		if (rules)
			opts.runOnly = { type: 'rule', values: rules };
		const r = await window.axe.run(document, opts);
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 3).map((x) => x.target.join(' ')) }));
	}, full ? null : LAYOUT_RULES);
	return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// Waits until the app has rendered the page (no gate or loading notice).
// The router marks <main> aria-busy until the page has shown its data.
export async function settle(page) {
	await page.waitForFunction(() => {
		const m = document.getElementById('main');
		return document.readyState === 'complete' && (!m || !m.hasAttribute('aria-busy'))
			&& !document.querySelector('.gate-status');
	}, null, { timeout: 15000 });
}

// Screenshots at 375 and 1280 px, no horizontal scrolling, axe-core with
// no serious or critical violation, 44 px targets, no CSP violation.
export const timing = { snap: 0, axe: 0, shot: 0 };

export async function snap(page, name, { axeCheck = true } = {}) {
	const t0 = Date.now();
	await settle(page);
	const vp = page.viewportSize();
	for (const w of [375, 1280]) {
		await page.setViewportSize({ width: w, height: 900 });
		await page.waitForTimeout(50);
		const sw = await page.evaluate(() => document.documentElement.scrollWidth);
		ok(sw <= w, `${name} @${w}px: no horizontal scrolling`, `scrollWidth ${sw}`);
		const t1 = Date.now();
		await page.screenshot({ path: path.join(OUT, `${name}-${w}.png`), fullPage: true });
		timing.shot += Date.now() - t1;
		if (axeCheck) {
			const t2 = Date.now();
			// Every rule at 375 px; the layout-dependent ones again at 1280 px.
			const v = await axe(page, w === 375);
			timing.axe += Date.now() - t2;
			ok(v.length === 0, `${name} @${w}px: axe-core reports no serious or critical violation`, v);
			const small = await smallTargets(page);
			ok(small.length === 0, `${name} @${w}px: every target is at least 44 × 44 px`, small.join('\n'));
		}
	}
	const csp = await page.evaluate(() => window.__csp || []);
	ok(csp.length === 0, `${name}: no Content-Security-Policy violation`, csp.join('\n'));
	if (vp)
		await page.setViewportSize(vp);
	timing.snap += Date.now() - t0;
}

// Presses Tab until the focused element matches the selector (and, if
// given, its accessible text). Returns false after max presses.
export async function tabTo(page, sel, name, max = 120, key = 'Tab') {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press(key);
		const hit = await page.evaluate(([sel, name]) => {
			const a = document.activeElement;
			if (!a || !a.matches(sel))
				return false;
			if (!name)
				return true;
			const label = a.id && document.querySelector(`label[for="${a.id}"]`);
			const texts = [a.textContent, a.getAttribute('aria-label'), label && label.textContent].map((t) => (t || '').trim());
			return texts.includes(name);
		}, [sel, name || null]);
		if (hit)
			return true;
	}
	return false;
}

export function writeJson(name, data) {
	writeFileSync(path.join(OUT, name), JSON.stringify(data, null, 2));
}
