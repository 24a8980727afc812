// The public website and the sign-in pages in a real headless Chromium
// with JavaScript switched off (started by t/69-site-nojs.t): no page
// overflows horizontally at 375 or 1280 px, and a visitor reads the blog
// and the news, registers, signs in by code and by password, gives
// consent and sends a contact message with plain forms only.

import { chromium } from 'playwright-core';
import path from 'node:path';
import { BASE, OUT, ok, must, diag, done, flow, mailCode, sqlite } from './lib.mjs';

const browser = await chromium.launch({
	executablePath: process.env.LTC_CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const contexts = [];
async function newContext(width = 1280) {
	const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 },
		locale: 'de-DE' });
	ctx.setDefaultTimeout(15000);
	contexts.push(ctx);
	return ctx;
}
const allPages = () => contexts.flatMap((c) => c.pages());
const stamp = Date.now();
const PW = 'ein langes Passwort';
const h1 = async (page) => (await page.locator('h1').first().textContent()).trim();
const here = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

// Page scripts are off; Playwright's evaluate still runs, so the layout
// can be measured.
const PAGES = ['/', '/eintritt.html', '/faq.html', '/jobs.html', '/kontakt.html', '/kontakt-danke.html',
	'/datenschutz.html', '/agb.html', '/cookies.html', '/impressum', '/blog/', '/news/', '/qr/', '/login',
	'/register', '/consent'];

await flow('no horizontal overflow', async () => {
	for (const width of [375, 1280]) {
		const ctx = await newContext(width);
		const page = await ctx.newPage();
		const scripts = [];
		page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
		for (const p of PAGES) {
			const r = await page.goto(BASE + p);
			ok(r.status() < 400, `${p} at ${width} px: status ${r.status()}`);
			const m = await page.evaluate(() => {
				const doc = document.documentElement;
				const wide = [];
				// Content of a scroll container (a wide table) scrolls inside it.
				const clipped = (el) => {
					for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
						if (getComputedStyle(a).overflowX !== 'visible')
							return true;
					return false;
				};
				for (const el of document.body.querySelectorAll('*')) {
					const b = el.getBoundingClientRect();
					if (clipped(el))
						continue;
					if (b.width > 0 && (b.right > doc.clientWidth + 0.5 || b.left < -0.5))
						wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ')[0] : ''} ${Math.round(b.left)}..${Math.round(b.right)}`);
				}
				return { scroll: doc.scrollWidth, client: doc.clientWidth, wide: wide.slice(0, 5) };
			});
			ok(m.scroll <= m.client && m.wide.length === 0, `${p} at ${width} px: nothing wider than the viewport`,
				`scrollWidth ${m.scroll} > clientWidth ${m.client}; ${m.wide.join(', ')}`);
			if (width === 375) {
				const name = p.replace(/[/.]+/g, '_').replace(/^_$/, 'index');
				await page.screenshot({ path: path.join(OUT, `nojs-${name}-375.png`), fullPage: true });
			}
		}
		ok(scripts.length === 0, `${width} px: no page loads a script`, scripts.join(', '));
		await ctx.close();
	}
}, allPages);

await flow('blog and news without JavaScript', async () => {
	const ctx = await newContext();
	const page = await ctx.newPage();
	for (const [list, title] of [['/blog/', 'Blog'], ['/news/', 'News']]) {
		await page.goto(BASE + list);
		must((await h1(page)).length > 0, `${list}: a heading`);
		const links = page.locator(`main a[href^="${list}"]`);
		const n = await links.count();
		must(n > 0, `${list}: the published articles are linked (${n})`);
		const href = await links.first().getAttribute('href');
		await links.first().click();
		await page.waitForLoadState();
		ok(here(page) === href, `${title}: the first article opens (${href})`, page.url());
		ok((await page.locator('article, main').first().textContent()).trim().length > 40, `${title}: the article text is there`);
	}
}, allPages);

// Register with a password: form, code page, code from the outbox,
// consent, then the app's start (signing out is the app's form, which
// needs the CSRF token the app fills in).
const email = `nojs.${stamp}@example.org`;
await flow('register, verify and consent without JavaScript', async () => {
	const ctx = await newContext(375);
	const page = await ctx.newPage();
	await page.goto(`${BASE}/register`);
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Passwort', { exact: true }).fill(PW);
	await page.getByLabel('Passwort wiederholen').fill(PW);
	await page.getByRole('button', { name: 'Registrieren' }).click();
	await page.waitForLoadState();
	must(await h1(page) === 'Code eingeben', 'register: the code page follows', await h1(page));
	const { code } = await mailCode(email);
	await page.getByLabel('Code').fill(code);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await page.waitForLoadState();
	must(new URL(page.url()).pathname === '/consent', 'verify: the consent page follows', page.url());
	must(await h1(page) === 'Zustimmung', 'consent: heading');
	await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
	await page.waitForLoadState();
	ok(new URL(page.url()).pathname === '/consent', 'consent without the boxes ticked: the form again', page.url());
	for (const box of await page.getByRole('checkbox').all())
		await box.check();
	await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
	await page.waitForLoadState();
	ok(new URL(page.url()).pathname === '/app/', 'consent: on to the app', page.url());
	const cookies = await ctx.cookies();
	must(cookies.some((c) => c.name === 'ltc_session' && c.httpOnly), 'a HttpOnly session cookie is set');
	ok(Number(sqlite('SELECT count(*) FROM consent_acceptances')) === 2, 'both acceptances are stored');
}, allPages);

await flow('sign in by code without JavaScript, back to next', async () => {
	const ctx = await newContext(375);
	const page = await ctx.newPage();
	await page.goto(`${BASE}/login?next=%2Fapp%2Faccount.html`);
	await page.locator('#code-email').fill(email);
	await page.getByRole('button', { name: 'Code anfordern' }).click();
	await page.waitForLoadState();
	must(await h1(page) === 'Code eingeben', 'login by code: the code page follows');
	const { code } = await mailCode(email);
	await page.getByLabel('Code').fill('000000' === code ? '111111' : '000000');
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await page.waitForLoadState();
	ok(await h1(page) === 'Code eingeben' && await page.locator('[aria-invalid="true"]').count() === 1,
		'a wrong code: the code page again with the field marked');
	await page.getByLabel('Code').fill(code);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await page.waitForLoadState();
	ok(here(page) === '/app/account.html', 'login by code: to next', page.url());
}, allPages);

await flow('sign in by password without JavaScript', async () => {
	const ctx = await newContext();
	const page = await ctx.newPage();
	await page.goto(`${BASE}/login`);
	await page.locator('#pw-email').fill(email);
	await page.locator('#pw-password').fill('falsches Passwort');
	await page.locator('form[action="/login/password"] button').click();
	await page.waitForLoadState();
	ok(new URL(page.url()).pathname.startsWith('/login') && await page.locator('.error-summary, [role="alert"]').count() > 0,
		'a wrong password: the login page with an error', page.url());
	await page.locator('#pw-email').fill(email);
	await page.locator('#pw-password').fill(PW);
	await page.locator('form[action="/login/password"] button').click();
	await page.waitForLoadState();
	ok(new URL(page.url()).pathname === '/app/', 'login by password: to the app', page.url());
}, allPages);

await flow('contact message without JavaScript', async () => {
	const ctx = await newContext(375);
	const page = await ctx.newPage();
	const before = Number(sqlite('SELECT count(*) FROM support_messages'));
	await page.goto(`${BASE}/kontakt.html`);
	await page.getByLabel('Thema').selectOption({ index: 1 });
	await page.getByLabel('Nachricht', { exact: true }).fill('Eine Frage zum Service-Heft ohne JavaScript.');
	await page.getByRole('button', { name: 'Nachricht senden' }).click();
	await page.waitForLoadState();
	ok(new URL(page.url()).pathname === '/kontakt-danke.html', 'contact: the thanks page', page.url());
	ok(Number(sqlite('SELECT count(*) FROM support_messages')) === before + 1, 'contact: the message is stored');
}, allPages);

await browser.close();
process.exit(done() ? 1 : 0);
