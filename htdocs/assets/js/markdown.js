// Markdown-light (domain.md §17.2), the same rules as the server renderer;
// t/data/mdlite-cases.json is the corpus both are checked against.
//
// Readings of the rules, fixed by the corpus:
// - "trim" strips ASCII whitespace (space, \t, \n, \v, \f, \r) only, and a
//   blank line is one made of nothing else; a lone \r stays text;
// - a heading is one line "**text**" with at least one character of text;
// - list items keep the rest of the line after "- " as it is;
// - paragraph lines are joined with one space, each line as it is;
// - every text is escaped (& < > " '); each element ends with "\n", and
//   each list item is on a line of its own.

const WS = ' \t\n\v\f\r';

function trim(s) {
	let a = 0, b = s.length;
	while (a < b && WS.includes(s[a]))
		a++;
	while (b > a && WS.includes(s[b - 1]))
		b--;
	return s.slice(a, b);
}

export function escapeHtml(s) {
	return s.replace(/[&<>"']/g, (c) => ({
		'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
	})[c]);
}

function blank(line) {
	return [...line].every((c) => WS.includes(c));
}

export function blocks(md) {
	const lines = String(md).replace(/\r\n/g, '\n').split('\n');
	const out = [];
	let cur = [];
	for (const line of lines) {
		if (blank(line)) {
			if (cur.length)
				out.push(cur.join('\n'));
			cur = [];
		} else {
			cur.push(line);
		}
	}
	if (cur.length)
		out.push(cur.join('\n'));
	return out.map(trim).filter((b) => b !== '');
}

function block(b) {
	const lines = b.split('\n');
	if (lines.length === 1 && b.length > 4 && b.startsWith('**') && b.endsWith('**'))
		return `<h2>${escapeHtml(b.slice(2, -2))}</h2>\n`;
	if (lines.every((l) => l.startsWith('- ')))
		return `<ul>\n${lines.map((l) => `<li>${escapeHtml(l.slice(2))}</li>\n`).join('')}</ul>\n`;
	return `<p>${escapeHtml(lines.join(' '))}</p>\n`;
}

// Returns the HTML for content_md: only h2, ul/li and p, all text escaped.
export function renderMarkdown(md) {
	return blocks(md).map(block).join('');
}
