import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { seedSummaryMarkdown, spread, summariseSeeds } from '../../src/eval/seeds.js';
import { modelByName } from '../../src/registry.js';
import { evaluationOptions, syntheticEvaluationData } from './synthetic.js';

describe('the summary over seeds', () => {
  it('gives each figure as the mean and sample deviation of the seeds’ own values, per user group too', async () => {
    const data = syntheticEvaluationData({ users: 60, movies: 120 });
    const models = ['pop', 'itemknn'].map((name) => modelByName(name)!);
    const results = await Promise.all([1, 2, 3].map((seed) => evaluate(data, evaluationOptions({ protocol: 'cold-users', models, seed, tune: false }))));
    const summary = summariseSeeds(results);
    expect(summary.seeds).toEqual([1, 2, 3]);
    const overall = summary.tables[0]!;
    const pop = overall.rows.find((row) => row.model === 'pop')!.metrics['ndcg@10']!;
    const values = results.map((result) => result.models.find((model) => model.name === 'pop')!.metrics['ndcg@10']!);
    expect(pop.values).toEqual(values);
    expect(pop.mean).toBeCloseTo((values[0]! + values[1]! + values[2]!) / 3, 12);
    expect(new Set(values).size).toBeGreaterThan(1);
    expect(summary.tables.map((table) => table.title)).toEqual([
      'all scored users',
      ...Object.keys(results[0]!.models[0]!.segments).map((segment) => `users with their ${segment} ratings known`),
    ]);
    const row = seedSummaryMarkdown(summary, 'reelsense evaluate …')
      .split('\n')
      .find((line) => line.startsWith('| pop |'));
    expect(row).toContain(`${pop.mean.toFixed(4)} ± ${pop.sd.toFixed(4)}`);
  });

  it('uses the sample standard deviation', () => {
    expect(spread([1, 2, 3, 4])).toMatchObject({ mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(spread([7]).sd).toBe(0);
  });
});
