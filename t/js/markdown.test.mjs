// markdown.js against the shared markdown-light corpus (domain.md §17.2);
// the server renderer is checked against the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderMarkdown, escapeHtml } from '../../htdocs/assets/js/markdown.js';

const cases = JSON.parse(readFileSync(new URL('../data/mdlite-cases.json', import.meta.url), 'utf8'));

test('the corpus has cases', () => {
	assert.ok(cases.length >= 30);
	for (const c of cases) {
		assert.equal(typeof c.in, 'string');
		assert.equal(typeof c.out, 'string');
	}
});

cases.forEach((c, i) => {
	test(`corpus case ${i}: ${JSON.stringify(c.in).slice(0, 60)}`, () => {
		assert.equal(renderMarkdown(c.in), c.out);
	});
});

test('no tag other than h2, ul, li and p ever comes out', () => {
	const nasty = '<img src=x onerror=alert(1)>\n\n**<script>**\n\n- <iframe>\n- "\'&';
	const html = renderMarkdown(nasty);
	const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
	assert.deepEqual([...new Set(tags)].sort(), ['h2', 'li', 'p', 'ul']);
});

test('escapeHtml escapes the five characters like the server', () => {
	assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
});
