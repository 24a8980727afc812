// Display formats (frontend.md §2). Dates derived from timestamps are UTC
// dates; calendar dates are shown as stored; only date-times are converted
// to Europe/Berlin.

const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August',
	'September', 'Oktober', 'November', 'Dezember'];

function pad(n) {
	return String(n).padStart(2, '0');
}

function parse(ts) {
	if (ts === null || ts === undefined || ts === '')
		return null;
	const d = new Date(ts);
	return Number.isNaN(d.getTime()) ? null : d;
}

// "2026-02-28" (calendar date) or "2026-03-01T09:00:00Z" (timestamp) → "01.03.2026".
export function fmtDate(v) {
	if (typeof v === 'string') {
		const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
		if (m)
			return `${m[3]}.${m[2]}.${m[1]}`;
	}
	const d = parse(v);
	if (!d)
		return '—';
	return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
}

// "2026-03-01T09:00:00Z" → "1. März 2026" (UTC date).
export function fmtArticleDate(v) {
	const d = parse(v);
	if (!d)
		return '—';
	return `${d.getUTCDate()}. ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const BERLIN = new Intl.DateTimeFormat('de-DE', {
	timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit',
	hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

// Timestamp → "DD.MM.YYYY, HH:MM" in Europe/Berlin.
export function fmtDateTime(v) {
	const d = parse(v);
	if (!d)
		return '—';
	const p = {};
	for (const part of BERLIN.formatToParts(d))
		p[part.type] = part.value;
	return `${p.day}.${p.month}.${p.year}, ${p.hour}:${p.minute}`;
}

function thousands(intString) {
	return intString.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

// 123456 → "123.456 km".
export function fmtKm(n) {
	if (n === null || n === undefined || n === '' || !Number.isFinite(Number(n)))
		return '—';
	const v = Math.round(Number(n));
	return (v < 0 ? '-' : '') + thousands(String(Math.abs(v))) + ' km';
}

// 1234.5 → "1.234,50 €". Works in cents so 0.1 + 0.2 style errors never show.
export function fmtMoney(n) {
	if (n === null || n === undefined || n === '' || !Number.isFinite(Number(n)))
		return '—';
	const cents = Math.round(Math.abs(Number(n)) * 100);
	const euros = Math.floor(cents / 100);
	return (Number(n) < 0 ? '-' : '') + thousands(String(euros)) + ',' + pad(cents % 100) + ' €';
}

// 48213 → "48 KB" (for „PDF, 48 KB“; decimal units).
export function fmtSize(bytes) {
	const b = Number(bytes);
	if (!Number.isFinite(b) || b < 0)
		return '—';
	if (b < 1000)
		return `${b} B`;
	if (b < 999500)
		return `${Math.round(b / 1000)} KB`;
	return (b / 1e6).toFixed(1).replace('.', ',') + ' MB';
}

// "application/pdf" → "PDF".
export function fmtType(contentType, filename) {
	const t = String(contentType || '').toLowerCase();
	if (t === 'application/pdf')
		return 'PDF';
	if (t === 'image/png')
		return 'PNG';
	if (t === 'image/jpeg')
		return 'JPEG';
	const m = /\.([a-z0-9]+)$/i.exec(filename || '');
	return m ? m[1].toUpperCase() : 'Datei';
}

export const TRUST_LABELS = { gruen: 'Grün', gelb: 'Gelb', orange: 'Orange', rot: 'Rot' };

export function trustLabel(light) {
	return TRUST_LABELS[light] || 'Unbekannt';
}

export const ACCIDENT_OPTIONS = [
	['unknown', 'Unbekannt'],
	['accident_free', 'Unfallfrei'],
	['not_free', 'Nicht unfallfrei'],
];

// Stored accident values (domain.md §3.2) → the select value and label.
export function accidentCanonical(v) {
	const s = String(v || '').trim().toLowerCase();
	if (['unfallfrei', 'accident_free', 'free', 'none'].includes(s))
		return 'accident_free';
	if (['nicht_unfallfrei', 'not_free', 'accident', 'not_accident_free'].includes(s))
		return 'not_free';
	return 'unknown';
}

export function accidentLabel(v) {
	const c = accidentCanonical(v);
	return ACCIDENT_OPTIONS.find((o) => o[0] === c)[1];
}

export const VEHICLE_CLASSES = [
	['pkw', 'Pkw'], ['motorrad', 'Motorrad'], ['wohnmobil', 'Wohnmobil'],
	['transporter', 'Transporter'], ['lkw', 'Lkw'], ['anhaenger', 'Anhänger'], ['sonstiges', 'Sonstiges'],
];

export const DRIVETRAINS = [
	['benzin', 'Benzin'], ['diesel', 'Diesel'], ['elektro', 'Elektro'], ['hybrid', 'Hybrid'],
	['plug_in_hybrid', 'Plug-in-Hybrid'], ['gas', 'Gas (LPG/CNG)'], ['wasserstoff', 'Wasserstoff'],
	['sonstiges', 'Sonstiges'],
];

export function optionLabel(list, v) {
	const o = list.find((x) => x[0] === v);
	return o ? o[1] : (v === null || v === undefined || v === '' ? '—' : String(v));
}

export const TRUST_LEVELS = {
	T3: 'Dokument vorhanden',
	T2: 'Physisches Serviceheft vorhanden',
	T1: 'Physisches Serviceheft nicht vorhanden',
};

export const STATUS_LABELS = { vorhanden: 'vorhanden', nicht_vorhanden: 'nicht vorhanden' };

export const ROLE_LABELS = {
	public: 'Öffentlich', user: 'Nutzer', vip: 'VIP', dealer: 'Händler', moderator: 'Moderator',
	admin: 'Admin', superadmin: 'Superadmin',
};

export function roleLabel(r) {
	return ROLE_LABELS[r] ? `${ROLE_LABELS[r]} (${r})` : String(r);
}

// "ABCDEFGH1234" → "ABC***1234" (the only VIN form ever shown).
export function maskVin(vin) {
	return vin.length >= 7 ? vin.slice(0, 3) + '***' + vin.slice(-4) : '';
}

// FIN as the server normalises it: trim, uppercase, no whitespace.
export function normaliseVin(v) {
	return String(v || '').toUpperCase().replace(/\s+/g, '');
}

export function vinValid(v) {
	return /^[A-HJ-NPR-Z0-9]{11,17}$/.test(v);
}
