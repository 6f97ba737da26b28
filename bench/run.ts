/**
 * `npm run bench -- NAME [--json] [args…]` runs bench/NAME.ts. Each benchmark exports `run(args)` returning its
 * figures; this prints them as a table, or as one JSON object with --json.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  /** The figures, flat: `{ "ingest seconds": 2.1, … }`. */
  figures: Record<string, number | string>;
  /** What the figures were measured on (dataset, sizes, machine notes). */
  context?: Record<string, number | string>;
  /** Figures per catalog (or any other case), when a benchmark measures several: `{ "45k": { "p50Ms": 0.8 } }`. */
  cases?: Record<string, Record<string, number>>;
}

export type Benchmark = (args: string[]) => Promise<BenchResult>;

const benchDir = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3));

const [name, ...rest] = process.argv.slice(2);
const json = rest.includes('--json');
const args = rest.filter((arg) => arg !== '--json');
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME [--json] [args]\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
const module = (await import(pathToFileURL(join(benchDir, `${name}.ts`)).href)) as { run: Benchmark };
const result = await module.run(args);
if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const caseRows = Object.entries(result.cases ?? {}).flatMap(([name, figures]) => Object.entries(figures).map(([key, value]) => [`${name} ${key}`, value] as const));
  const rows = [...Object.entries({ ...result.context, ...result.figures }), ...caseRows];
  const width = Math.max(...rows.map(([key]) => key.length));
  process.stdout.write(`${result.name}\n${rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join('\n')}\n`);
}
