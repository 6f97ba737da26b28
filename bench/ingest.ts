/** Import time of ml-latest-small + catalog + posters into a fresh SQLite file, then of an idempotent re-run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest } from '../src/ingest/ingest.js';
import { datasetSources } from '../src/pipeline.js';
import { openStore } from '../src/store/open.js';
import type { Benchmark } from './run.js';

export const run: Benchmark = async (args) => {
  const dataDir = args[0] ?? process.env.REELSENSE_SHARED_DATA ?? resolve('..', 'shared', 'data');
  const sources = datasetSources(dataDir, 'ml-latest-small');
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  try {
    const store = await openStore(join(dir, 'bench.db'));
    const timed = async () => {
      const started = performance.now();
      const report = await ingest(store, sources);
      return { seconds: (performance.now() - started) / 1000, report };
    };
    const first = await timed();
    const second = await timed();
    const stats = await store.stats();
    await store.close();
    return {
      name: 'ingest (SQLite, ml-latest-small + catalog + posters)',
      context: { movies: stats.movies, ratings: stats.ratings, posters: stats.coverage.poster },
      figures: {
        'first import s': Number(first.seconds.toFixed(2)),
        're-import (no changes) s': Number(second.seconds.toFixed(2)),
        'ratings/s (first)': Math.round(stats.ratings / first.seconds),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
