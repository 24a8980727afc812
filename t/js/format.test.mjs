// format.js: the display formats of frontend.md §2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as f from '../../htdocs/assets/js/format.js';

test('list dates are UTC dates, calendar dates as stored', () => {
	assert.equal(f.fmtDate('2026-03-01T09:00:00Z'), '01.03.2026');
	assert.equal(f.fmtDate('2026-03-01T23:30:00Z'), '01.03.2026');
	assert.equal(f.fmtDate('2026-02-28'), '28.02.2026');
	assert.equal(f.fmtDate(null), '—');
});

test('article dates', () => {
	assert.equal(f.fmtArticleDate('2026-03-01T09:00:00Z'), '1. März 2026');
	assert.equal(f.fmtArticleDate('2026-12-24T00:00:00Z'), '24. Dezember 2026');
});

test('date-times are Europe/Berlin', () => {
	assert.equal(f.fmtDateTime('2026-03-01T09:05:00Z'), '01.03.2026, 10:05');
	assert.equal(f.fmtDateTime('2026-07-01T22:30:00Z'), '02.07.2026, 00:30');
});

test('km and money', () => {
	assert.equal(f.fmtKm(123456), '123.456 km');
	assert.equal(f.fmtKm(0), '0 km');
	assert.equal(f.fmtKm(1234567), '1.234.567 km');
	assert.equal(f.fmtMoney(120.5), '120,50 €');
	assert.equal(f.fmtMoney(1234.5), '1.234,50 €');
	assert.equal(f.fmtMoney(0.99), '0,99 €');
	assert.equal(f.fmtMoney(150), '150,00 €');
	assert.equal(f.fmtMoney(9999999999.99), '9.999.999.999,99 €');
});

test('sizes and types for download links', () => {
	assert.equal(f.fmtSize(48213), '48 KB');
	assert.equal(f.fmtSize(500), '500 B');
	assert.equal(f.fmtSize(10485760), '10,5 MB');
	assert.equal(f.fmtSize(999), '999 B');
	assert.equal(f.fmtType('application/pdf'), 'PDF');
});

test('trust labels, accident mapping, VIN rules', () => {
	assert.equal(f.trustLabel('gruen'), 'Grün');
	assert.equal(f.trustLabel('gelb'), 'Gelb');
	assert.equal(f.trustLabel('orange'), 'Orange');
	assert.equal(f.trustLabel('rot'), 'Rot');
	assert.equal(f.accidentLabel('unfallfrei'), 'Unfallfrei');
	assert.equal(f.accidentLabel('NOT_ACCIDENT_FREE'), 'Nicht unfallfrei');
	assert.equal(f.accidentLabel(undefined), 'Unbekannt');
	assert.equal(f.normaliseVin(' wvw zzz1jz xw000001 '), 'WVWZZZ1JZXW000001');
	assert.ok(f.vinValid('WVWZZZ1JZXW000001'));
	assert.ok(!f.vinValid('WVWZZZ1JZXW00000I'));
	assert.ok(!f.vinValid('WVWZZZ1JZ'));
	assert.equal(f.maskVin('WVWZZZ1JZXW000001'), 'WVW***0001');
});
