/**
 * Import at scale: synthetic MovieLens directories shaped like ml-25m (1M and 25M ratings by default) into a fresh
 * SQLite file, each import in a child process so its peak RSS is measured alone. Targets on the 2-core machine:
 * 25M ratings in at most 5 minutes and 2 GB. The directories are generated once and cached in the temp folder.
 *
 *   npm run bench -- ingest-scale [--json] [RATINGS…]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cachedSyntheticMovieLens, resolveShape } from './support/synthetic-movielens.js';
import type { Benchmark } from './run.js';

const DEFAULT_SIZES = [1_000_000, 25_000_000];
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'support', 'import-child.ts');

interface ChildResult {
  seconds: number;
  phases: Record<'reading (KiB)' | 'writing', { start: number; end: number }>;
  peakRssMiB: number;
  summary: { ratings: { inserted: number } };
}

/** 1M, 25M, 300k. */
const sizeLabel = (ratings: number) => (ratings >= 1e6 ? `${Number((ratings / 1e6).toFixed(1))}M` : `${Number((ratings / 1e3).toFixed(1))}k`);

export const run: Benchmark = async (args) => {
  const sizes = args.length ? args.map(Number) : DEFAULT_SIZES;
  const context: Record<string, number | string> = {
    cores: cpus().length,
    store: 'SQLite (fresh file)',
    data: 'synthetic MovieLens (bench/support/synthetic-movielens.ts, seed 1)',
  };
  const figures: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  try {
    for (const ratings of sizes) {
      const label = sizeLabel(ratings);
      const shape = resolveShape({ ratings });
      context[`${label} shape`] = `${shape.users} users, ${shape.movies} movies`;
      const movielens = await cachedSyntheticMovieLens(shape);
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, movielens, join(dir, `${label}.db`)], { maxBuffer: 1 << 20 });
      const result = JSON.parse(stdout) as ChildResult;
      if (result.summary.ratings.inserted !== ratings) throw new Error(`${label}: imported ${result.summary.ratings.inserted} ratings, expected ${ratings}`);
      figures[`${label}: import s`] = round(result.seconds);
      const { 'reading (KiB)': reading, writing } = result.phases;
      figures[`${label}: read (parse, field checks) s`] = round(reading.end - reading.start);
      figures[`${label}: merge, duplicate and catalog checks s`] = round(writing.start - reading.end);
      figures[`${label}: write (one transaction) s`] = round(writing.end - writing.start);
      figures[`${label}: peak RSS MiB`] = Math.round(result.peakRssMiB);
      figures[`${label}: ratings/s`] = Math.round(ratings / result.seconds);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'ingest at scale (synthetic MovieLens into SQLite, one child process per import)', context, figures };
};

const round = (seconds: number) => Number(seconds.toFixed(1));
