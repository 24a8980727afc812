// node validate.mjs OPENAPI.yaml ANSWERS.jsonl [--strict-coverage]
//
// Checks recorded answers (one JSON line each: method, path, status, body;
// written by t/lib/LTC.pm under RECORD_API_ANSWERS) against the API
// description: the path and method must be documented, the status must be
// one of the operation's responses (or of the document's
// x-common-responses), and the body must match that response's
// application/json schema. Answers of paths no route documents (probes of
// unknown routes) are counted, not judged. Prints one line per problem
// and a summary; exit 1 when there is a problem.
import fs from 'node:fs';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const [docFile, answersFile] = process.argv.slice(2);
if (!docFile || !answersFile) {
	console.error('usage: node validate.mjs OPENAPI.yaml ANSWERS.jsonl');
	process.exit(2);
}
const doc = YAML.parse(fs.readFileSync(docFile, 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: 'openapi' });

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (parts) => '#/' + parts.map(esc).join('/');
function resolve(ptr) {
	let x = doc;
	for (const p of ptr.slice(2).split('/')) x = x?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
	return x;
}
// Follows $ref chains; returns [object, pointer].
function deref(obj, ptr) {
	for (let n = 0; obj && obj.$ref && n < 10; n++) {
		ptr = obj.$ref;
		obj = resolve(ptr);
	}
	return [obj, ptr];
}

// Routes: literal segments beat parameters (/cms/blog/drafts before
// /cms/blog/{article_id}); a trailing slash names the same route.
const routes = Object.keys(doc.paths).map((p) => {
	const segs = p.split('/').slice(1);
	const re = new RegExp('^/' + segs.map((s) => (/^\{.*\}$/.test(s) ? '[^/]+' :
	    s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '/?$');
	return { path: p, re, params: segs.filter((s) => /^\{.*\}$/.test(s)).length };
}).sort((a, b) => a.params - b.params);

const validators = new Map();
function validator(ptr) {
	if (!validators.has(ptr)) validators.set(ptr, ajv.compile({ $ref: 'openapi' + ptr }));
	return validators.get(ptr);
}

const problems = new Map();
const problem = (key, text) => { if (!problems.has(key)) problems.set(key, text); };
let checked = 0, unrouted = 0;
const covered = new Set();
for (const line of fs.readFileSync(answersFile, 'utf8').split('\n')) {
	if (!line.trim()) continue;
	const a = JSON.parse(line);
	let path;
	try { path = decodeURI(a.path); } catch { path = a.path; }
	const candidates = routes.filter((r) => r.re.test(path));
	if (!candidates.length) { unrouted++; continue; }
	const m = a.method.toLowerCase();
	const route = candidates.find((r) => doc.paths[r.path][m]) ?? candidates[0];
	const item = doc.paths[route.path];
	const op = item[m];
	const common = doc['x-common-responses'] ?? {};
	if (!op) {
		if (!common[String(a.status)] || a.status !== 405)
			problem(`${a.method} ${route.path} ${a.status}`, `${a.method} ${route.path}: not documented (answered ${a.status})`);
		continue;
	}
	const st = String(a.status);
	let base, raw;
	if (op.responses[st]) { raw = op.responses[st]; base = pointer(['paths', route.path, m, 'responses', st]); }
	else if (common[st]) { raw = common[st]; base = pointer(['x-common-responses', st]); }
	else if (op.responses.default) { raw = op.responses.default; base = pointer(['paths', route.path, m, 'responses', 'default']); }
	else {
		problem(`${a.method} ${route.path} ${st}`, `${a.method} ${route.path}: status ${st} is not documented; body ${JSON.stringify(a.body).slice(0, 200)}`);
		continue;
	}
	const [resp, rptr] = deref(raw, base);
	const schema = resp?.content?.['application/json']?.schema;
	if (!schema) {
		problem(`${a.method} ${route.path} ${st} nojson`, `${a.method} ${route.path} ${st}: a JSON answer where the document has no application/json schema`);
		continue;
	}
	const v = validator(rptr + '/content/application~1json/schema');
	checked++;
	covered.add(`${m} ${route.path}`);
	if (!v(a.body)) {
		const why = v.errors.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
		problem(`${a.method} ${route.path} ${st} schema ${why}`,
		    `${a.method} ${a.path} ${st}: body does not match the documented schema: ${why}; body ${JSON.stringify(a.body).slice(0, 300)}`);
	}
}
for (const p of problems.values()) console.log('not ok: ' + p);
let ops = 0;
for (const p of Object.keys(doc.paths)) for (const m of METHODS) if (doc.paths[p][m]) ops++;
console.log(`answers checked: ${checked}, of unknown routes: ${unrouted}, operations with a checked answer: ${covered.size} of ${ops}, problems: ${problems.size}`);
process.exit(problems.size ? 1 : 0);
