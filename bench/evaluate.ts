/**
 * Time of every baseline under the temporal protocol on ml-latest-small, tuning included, exactly as
 * `reelsense evaluate --protocol temporal` runs it (target: under 2 minutes on the 2-core machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluate } from '../src/eval/evaluate.js';
import { ingest } from '../src/ingest/ingest.js';
import { CF_MODELS } from '../src/registry.js';
import { openStore } from '../src/store/open.js';
import type { Benchmark } from './run.js';

export const run: Benchmark = async (args) => {
  const dataDir = args[0] ?? process.env.REELSENSE_SHARED_DATA ?? resolve('..', 'shared', 'data');
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  try {
    const store = await openStore(join(dir, 'bench.db'));
    await ingest(store, { movielens: join(dataDir, 'ml-latest-small'), catalog: join(dataDir, 'catalog', 'ml-latest-small.jsonl') });
    const loadStarted = performance.now();
    const data = { movies: await store.listMovies(), interactions: await store.readInteractions() };
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await store.close();

    const started = performance.now();
    const result = await evaluate(data, { protocol: 'temporal', models: CF_MODELS, k: 10, seed: 1, relevance: 'rated4', tune: true });
    const seconds = (performance.now() - started) / 1000;
    const figures: Record<string, number> = { 'load s': round(loadSeconds), 'evaluate all baselines s': round(seconds) };
    for (const model of result.models) {
      figures[`${model.name} tune s`] = round(model.tuneSeconds);
      figures[`${model.name} fit s`] = round(model.fitSeconds);
      figures[`${model.name} ndcg@10`] = Number(model.metrics['ndcg@10']!.toFixed(4));
    }
    return {
      name: 'evaluate (temporal protocol, all baselines, tuned on validation)',
      context: { ratings: result.dataset.ratings, 'evaluated users': result.split.evaluatedUsers, models: result.models.map((model) => model.name).join(',') },
      figures,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const round = (seconds: number) => Number(seconds.toFixed(2));
