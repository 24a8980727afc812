// api.js: error-code extraction (frontend.md §4.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCode, describe } from '../../htdocs/assets/js/api.js';

test('detail string, detail.code, 422 array, masterclipboard error', () => {
	assert.equal(errorCode({ detail: 'not_found' }).code, 'not_found');
	assert.equal(errorCode({ detail: { code: 'paywall_required' } }).code, 'paywall_required');
	const v = errorCode({ detail: [{ type: 'missing', loc: ['body', 'title'], msg: 'x' },
		{ type: 'missing', loc: ['body', 'consents', 0, 'accepted_at'], msg: 'x' }] });
	assert.equal(v.code, 'validation');
	assert.deepEqual(v.fields, { title: 'missing', accepted_at: 'missing' });
	assert.equal(errorCode({ error: 'session_closed' }).code, 'session_closed');
	assert.equal(errorCode(null).code, null);
});

test('page mapping first, then the global texts', () => {
	assert.equal(describe({ code: 'x', kind: 'rate', status: 429 }, { x: 'eigen' }).text, 'eigen');
	assert.equal(describe({ code: 'y', kind: 'rate', status: 429 }).text, 'Zu viele Anfragen. Bitte kurz warten und erneut versuchen.');
	assert.equal(describe({ code: 'internal_error', kind: 'server', status: 500 }).text,
		'Der Dienst ist gerade nicht erreichbar. Bitte später erneut versuchen.');
	assert.deepEqual(describe({ code: 'forbidden', kind: 'forbidden', status: 403 }),
		{ title: 'Kein Zugriff', text: 'Du hast keine Berechtigung für diese Aktion.' });
	assert.equal(describe({ code: 'paywall_required', kind: 'addon', status: 403 }).title, 'Add-on erforderlich');
	assert.equal(describe({ code: 'csrf_failed', kind: 'csrf', status: 403 }).text, 'Sitzung abgelaufen. Bitte neu laden.');
	assert.equal(describe({ code: 'other', kind: 'error', status: 409 }, {}, 'Fallback').text, 'Fallback');
});
