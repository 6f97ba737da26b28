/** `reelsense evaluate` end to end on the real ml-latest-small, imported into each store back end. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import type { EvaluationResult, ModelResult } from '../../src/eval/evaluate.js';
import { ingest } from '../../src/ingest/ingest.js';
import { runCli } from '../support/cli.js';
import { sharedData } from '../support/paths.js';
import { STORE_TARGETS } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

async function evaluateCli(db: string, protocol: string, models: string): Promise<{ result: EvaluationResult; out: string }> {
  const out = join(tempDir(), protocol);
  const run = await runCli(['evaluate', '--db', db, '--protocol', protocol, '--models', models, '--no-tune', '--out', out, '--json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return { result: JSON.parse(run.stdout) as EvaluationResult, out };
}

const byName = (result: EvaluationResult) => Object.fromEntries(result.models.map((model) => [model.name, model])) as Record<string, ModelResult>;

describe.each(STORE_TARGETS)('evaluate on the shared ml-latest-small in $backend', (target) => {
  it('orders the baselines sensibly under every protocol and writes the reports', { timeout: 300_000 }, async () => {
    const db = await target.freshTarget();
    await withStore(db, { create: true }, (store) =>
      ingest(store, { movielens: sharedData('ml-latest-small'), catalog: sharedData('catalog', 'ml-latest-small.jsonl') }),
    );

    const temporal = await evaluateCli(db, 'temporal', 'random,pop,itemknn,mf');
    expect(temporal.result.dataset).toMatchObject({ movies: 9742, users: 610, ratings: 100836 });
    expect(temporal.result.split.trainRatings + temporal.result.split.testRatings).toBe(100836);
    for (const file of ['results.json', 'report.md', 'metrics.png']) expect(existsSync(join(temporal.out, file))).toBe(true);
    expect(JSON.parse(readFileSync(join(temporal.out, 'results.json'), 'utf8'))).toEqual(temporal.result);
    const warm = byName(temporal.result);
    expect(warm.pop!.metrics['ndcg@10']).toBeGreaterThan(10 * warm.random!.metrics['ndcg@10']!);
    expect(warm.pop!.metrics['hitrate@10']).toBeGreaterThan(5 * warm.random!.metrics['hitrate@10']!);
    for (const model of [warm.itemknn!, warm.mf!]) {
      for (const metric of ['ndcg@10', 'recall@10', 'hitrate@10']) expect(model.metrics[metric], `${model.name} ${metric}`).toBeGreaterThan(warm.pop!.metrics[metric]!);
    }

    const coldUsers = byName((await evaluateCli(db, 'cold-users', 'random,pop')).result);
    expect(Object.keys(coldUsers.pop!.segments)).toEqual(['first 1', 'first 3', 'first 5']);
    expect(coldUsers.pop!.metrics['ndcg@10']).toBeGreaterThan(10 * coldUsers.random!.metrics['ndcg@10']!);

    const globalTime = (await evaluateCli(db, 'global-time', 'random,pop')).result;
    expect(globalTime.split.usersWithoutHistory).toBeGreaterThan(0);
    expect(byName(globalTime).pop!.metrics['ndcg@10']).toBeGreaterThan(byName(globalTime).random!.metrics['ndcg@10']!);

    // A movie held out of training entirely has no raters and no co-raters: if a cold movie ever leaked into
    // training, popularity or item-kNN would start finding some of them.
    const coldItems = byName((await evaluateCli(db, 'cold-items', 'pop,itemknn')).result);
    for (const model of Object.values(coldItems)) expect(model.metrics['hitrate@20'], model.name).toBe(0);
  });
});
