/** `npm run client:generate -- http://127.0.0.1:8080`: rewrites src/client/api-types.ts from a running server's document. */
import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, openApiTypes } from './openapi-types.js';

const base = process.argv[2];
if (!base) {
  process.stderr.write('usage: npm run client:generate -- URL (a running `reelsense serve`, e.g. http://127.0.0.1:8080)\n');
  process.exit(1);
}
const response = await fetch(new URL('/openapi.json', base));
if (!response.ok) throw new Error(`GET ${base}/openapi.json answered ${response.status}`);
await writeFile(API_TYPES_FILE, await openApiTypes((await response.json()) as object));
process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
