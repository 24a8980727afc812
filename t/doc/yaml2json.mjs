// node yaml2json.mjs FILE.yaml: the document as JSON on stdout, read by a
// full YAML parser (t/92-openapi.t compares it with bin/gen-openapi --json).
import fs from 'node:fs';
import YAML from 'yaml';
process.stdout.write(JSON.stringify(YAML.parse(fs.readFileSync(process.argv[2], 'utf8'))));
