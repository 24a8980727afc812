// /app/cms.html?type=blog|news (frontend.md §6.11): the queue, the editor
// with a live preview (markdown.js, the server's rules), review and
// publish. No consent check on this page.

import { api, describe } from './api.js';
import { h, clear, section, form, field, failForm, messages, time, dateTime, button } from './ui.js';
import { renderMarkdown } from './markdown.js';
import { fmtArticleDate } from './format.js';

const MAP = {
	invalid_slug: 'Der Slug darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten (3 bis 160 Zeichen).',
	slug_conflict: 'Dieser Slug ist bereits vergeben.',
	published_article_read_only: 'Veröffentlichte Artikel kann nur ein Superadmin ändern.',
	review_required: 'Vor der Veröffentlichung ist ein Review nötig.',
	not_found: 'Artikel nicht gefunden.',
	forbidden: 'Für diese Aktion fehlt die Berechtigung.',
};
const OTHER = 'Die CMS-Aktion konnte nicht ausgeführt werden.';
const STATES = { draft: 'Entwurf', in_review: 'In Prüfung', published: 'Veröffentlicht' };
const MD_HINT = 'Absätze durch Leerzeilen; **Zwischenüberschrift** in eigener Zeile; Listen mit „- “.';

export async function render({ root, me, params }) {
	const type = params.get('type') === 'news' ? 'news' : 'blog';
	const adm = me.role === 'admin' || me.role === 'superadmin';
	const sa = me.role === 'superadmin';
	let current = null;

	const switcher = h('ul', { class: 'links', 'aria-label': 'Bereich' },
		h('li', {}, h('a', { href: '/app/cms.html?type=blog', text: 'CMS Blog', 'aria-current': type === 'blog' ? 'page' : null })),
		h('li', {}, h('a', { href: '/app/cms.html?type=news', text: 'CMS News', 'aria-current': type === 'news' ? 'page' : null })));

	// Queue
	const queue = section('Artikel', { id: 'queue' });
	const qList = h('div', {}, h('p', { role: 'status', text: 'Artikel werden geladen …' }));
	queue.el.append(h('div', { class: 'buttons' }, button('Neuer Entwurf', () => { select(null); slug.input.focus(); },
		{ class: 'button-secondary' })), qList);

	// Editor
	const ed = section('Editor', { id: 'editor' });
	const state = h('p', { class: 'meta-line', role: 'status' });
	const slug = field({ label: 'Slug', name: 'slug', required: true, hint: 'Kleinbuchstaben, Ziffern und Bindestriche, 3 bis 160 Zeichen.',
		attrs: { maxlength: 160, autocomplete: 'off', spellcheck: 'false' } });
	slug.input.addEventListener('input', () => {
		const p = slug.input.selectionStart;
		slug.input.value = slug.input.value.toLowerCase();
		slug.input.setSelectionRange(p, p);
	});
	const title = field({ label: 'Titel', name: 'title', required: true, attrs: { maxlength: 255 } });
	const excerpt = field({ label: 'Kurztext', name: 'excerpt', required: true, attrs: { maxlength: 500 } });
	const content = field({ label: 'Inhalt', name: 'content_md', textarea: true, rows: 12, required: true, hint: MD_HINT,
		attrs: { maxlength: 12000 } });
	const note = adm ? field({ label: 'Review-Notiz', name: 'review_note', textarea: true, rows: 3, attrs: { maxlength: 1200 } }) : null;
	const preview = h('div', { class: 'preview', id: 'cms-preview', 'aria-live': 'off' });
	const updatePreview = () => {
		// renderMarkdown escapes every text; only h2, ul/li and p come out.
		preview.innerHTML = renderMarkdown(content.value) || '<p>Noch kein Inhalt.</p>';
	};
	content.input.addEventListener('input', updatePreview);
	const publicLink = h('p', { hidden: true });

	const bCreate = h('button', { type: 'submit', value: 'create', text: 'Entwurf erstellen' });
	const bSave = h('button', { type: 'submit', value: 'save', text: 'Speichern' });
	const bSubmit = h('button', { type: 'submit', value: 'submit', class: 'button-secondary', text: 'Review anfordern' });
	const bReview = adm ? h('button', { type: 'submit', value: 'review', class: 'button-secondary', text: 'Review setzen' }) : null;
	const bPublish = sa ? h('button', { type: 'submit', value: 'publish', text: 'Final veröffentlichen' }) : null;
	const fields = { slug, title, excerpt, content_md: content, review_note: note };

	const frm = form({
		label: 'Artikel bearbeiten',
		async onSubmit(ev, f) {
			f.clear();
			const what = ev.submitter ? ev.submitter.value : (current ? 'save' : 'create');
			const body = { slug: slug.value.trim(), title: title.value.trim(), excerpt: excerpt.value.trim(), content_md: content.value.trim() };
			let r;
			if (what === 'create' || what === 'save') {
				const errs = check(body);
				if (errs.length) {
					f.fail(errs);
					return;
				}
				r = await api('POST', what === 'create' ? `/api/cms/${type}/drafts` : `/api/cms/${type}/${encodeURIComponent(current.article_id)}`, { json: body });
			} else if (what === 'submit') {
				r = await api('POST', `/api/cms/${type}/${encodeURIComponent(current.article_id)}/submit`);
			} else if (what === 'review') {
				r = await api('POST', `/api/cms/review/${type}/${encodeURIComponent(current.article_id)}`,
					{ json: { review_note: note.value.trim() || null } });
			} else if (what === 'publish') {
				r = await api('POST', `/api/cms/publish/${encodeURIComponent(current.article_id)}`);
			}
			if (!r)
				return;
			if (!r.ok) {
				failForm(f, r, { fields, map: MAP, fallback: OTHER,
					fieldCodes: { invalid_slug: ['slug', MAP.invalid_slug], slug_conflict: ['slug', MAP.slug_conflict] } });
				return;
			}
			select(r.data);
			await loadQueue();
			f.msgs.ok({
				create: 'Entwurf erstellt.', save: 'Gespeichert.', submit: 'Review angefordert.',
				review: 'Review gesetzt.', publish: 'Veröffentlicht.',
			}[what]);
		},
	}, state, slug.el, title.el, excerpt.el, content.el, note ? note.el : null,
	h('div', { class: 'buttons' }, bCreate, bSave, bSubmit, bReview, bPublish), publicLink);

	function check(b) {
		const errs = [];
		if (!/^[a-z0-9-]{3,160}$/.test(b.slug))
			errs.push({ field: slug, text: MAP.invalid_slug });
		if ([...b.title].length < 3)
			errs.push({ field: title, text: 'Der Titel muss mindestens 3 Zeichen lang sein.' });
		if ([...b.excerpt].length < 8)
			errs.push({ field: excerpt, text: 'Der Kurztext muss mindestens 8 Zeichen lang sein.' });
		if ([...b.content_md].length < 16)
			errs.push({ field: content, text: 'Der Inhalt muss mindestens 16 Zeichen lang sein.' });
		return errs;
	}

	// Puts an article (or a blank draft) into the editor and sets which
	// buttons apply to its state.
	function select(a) {
		current = a;
		frm.clear();
		slug.value = a ? a.slug : '';
		title.value = a ? a.title : '';
		excerpt.value = a ? a.excerpt : '';
		content.value = a ? a.content_md || '' : '';
		if (note)
			note.value = a && a.review_note ? a.review_note : '';
		updatePreview();
		const published = a && a.workflow_state === 'published';
		bCreate.hidden = !!a;
		bSave.hidden = !a;
		bSubmit.hidden = !a;
		bSubmit.disabled = !a || published;
		if (bReview) {
			bReview.hidden = !a;
			bReview.disabled = !a || published;
		}
		if (bPublish) {
			bPublish.hidden = !a;
			bPublish.disabled = !(a && a.workflow_state === 'in_review' && a.reviewed_at);
		}
		state.textContent = a ? `Ausgewählt: ${a.title} · ${STATES[a.workflow_state] || a.workflow_state}` : 'Neuer Entwurf';
		clear(publicLink, published ? h('a', { href: `/${type}/${encodeURIComponent(a.slug)}`, text: 'Öffentliche Ansicht' }) : null);
		publicLink.hidden = !published;
		for (const li of qList.querySelectorAll('li[data-article]'))
			li.classList.toggle('selected', !!a && li.dataset.article === a.article_id);
	}

	const msgs = messages();
	async function loadQueue() {
		const r = await api('GET', `/api/cms/${type}`);
		if (!r.ok) {
			clear(qList, msgs.el);
			msgs.err(describe(r, MAP, OTHER));
			return;
		}
		clear(qList, r.data.length ? h('ul', { class: 'items', 'aria-label': 'Artikel' }, r.data.map((a) => h('li', { 'data-article': a.article_id },
			h('h3', { text: a.title }),
			h('p', { class: 'meta-line', text: `${a.slug} · ${STATES[a.workflow_state] || a.workflow_state}` }),
			h('p', { text: a.excerpt }),
			h('p', { class: 'meta-line' }, 'Geändert: ', dateTime(a.updated_at),
				a.published_at ? [' · Veröffentlicht: ', time(a.published_at, fmtArticleDate)] : null),
			h('div', { class: 'buttons' }, button('Öffnen', async () => {
				const x = await api('GET', `/api/cms/${type}/${encodeURIComponent(a.article_id)}`);
				if (x.ok) {
					select(x.data);
					ed.heading.focus();
				} else {
					msgs.err(describe(x, MAP, OTHER));
				}
			}, { 'aria-label': `Öffnen: ${a.title}` })))))
			: h('p', { text: 'Noch keine Artikel.' }), msgs.el);
		if (current)
			for (const li of qList.querySelectorAll('li[data-article]'))
				li.classList.toggle('selected', li.dataset.article === current.article_id);
	}

	ed.el.append(frm.el, h('h3', { text: 'Vorschau' }), preview);
	clear(root, h('h1', { text: type === 'news' ? 'CMS News' : 'CMS Blog' }), switcher, queue.el, ed.el);
	select(null);
	await loadQueue();
}
