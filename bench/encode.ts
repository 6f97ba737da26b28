/**
 * Encoder throughput on ml-latest-small (tfidf-svd fit + encode of the catalog, MiniLM texts, MobileNet posters),
 * then the whole encode stage into a fresh SQLite file: cold, and re-run with nothing changed.
 * `npm run bench -- encode [--json] [DATA_DIR] [MODELS_DIR]`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeCatalog, type EncodeOptions } from '../src/encode/encode.js';
import { modelSource } from '../src/encode/models.js';
import { encoderThroughput } from '../src/encode/throughput.js';
import { ingest } from '../src/ingest/ingest.js';
import { datasetSources } from '../src/pipeline.js';
import { openStore } from '../src/store/open.js';
import type { Benchmark } from './run.js';

export const run: Benchmark = async (args) => {
  const dataDir = args[0] ?? process.env.REELSENSE_SHARED_DATA ?? resolve('..', 'shared', 'data');
  const models = modelSource({ models: args[1] ?? process.env.REELSENSE_MODELS ?? resolve('..', 'shared', 'models') });
  const sources = datasetSources(dataDir, 'ml-latest-small');
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  try {
    const store = await openStore(join(dir, 'bench.db'));
    await ingest(store, sources);
    const movies = await store.listMovies();
    const posters = readdirSync(sources.posters!).map((file) => join(sources.posters!, file));
    const throughput = await encoderThroughput({ movies, posters, models });
    const options: EncodeOptions = { text: 'minilm', image: 'mobilenet', models, artifacts: join(dir, 'artifacts'), force: false };
    const timed = async () => {
      const started = performance.now();
      const report = await encodeCatalog(store, options);
      return { seconds: (performance.now() - started) / 1000, encoded: report.spaces.reduce((sum, space) => sum + space.encoded, 0) };
    };
    const cold = await timed();
    const warm = await timed();
    await store.close();
    return {
      name: 'encode (ml-latest-small: encoder throughput, then the whole stage into SQLite)',
      context: { movies: movies.length, posters: posters.length },
      figures: {
        ...throughput,
        'whole encode, cold s': Number(cold.seconds.toFixed(1)),
        'whole encode, vectors written': cold.encoded,
        'whole encode, nothing changed s': Number(warm.seconds.toFixed(2)),
        'whole encode, nothing changed, vectors written': warm.encoded,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
