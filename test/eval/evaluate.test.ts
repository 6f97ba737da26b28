import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { popularityModel } from '../../src/cf/popularity.js';
import { evaluate, gridCandidates, type EvaluationResult } from '../../src/eval/evaluate.js';
import { reportMarkdown, writeReport } from '../../src/eval/report.js';
import { CF_MODELS, modelByName } from '../../src/registry.js';
import type { TrainingSet } from '../../src/recommender.js';
import { UsageError } from '../../src/errors.js';
import { interactionCount } from '../../src/interactions.js';
import { METRICS } from '../../src/eval/metrics.js';
import { testDefinition, testModel } from '../support/models.js';
import { tempDir } from '../support/tmp.js';
import { evaluationOptions, syntheticEvaluationData } from './synthetic.js';

const data = syntheticEvaluationData({ users: 80, movies: 150 });
const options = evaluationOptions;

/** Popularity when `direction` is 1, its reverse (least rated first) when −1: tuning must tell them apart. */
const signedPopularity = testDefinition('signed-pop', { defaults: { direction: -1 }, grid: { direction: [-1, 1] } }, ({ direction }) => {
  const inner = popularityModel.create(popularityModel.defaults, 1);
  return testModel('signed-pop', {
    fit: (train) => inner.fit(train),
    recommend: async (query, n, recommendOptions) =>
      (await inner.recommend(query, 100_000, recommendOptions))
        .map((entry) => ({ ...entry, score: direction * entry.score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, n),
  });
});

describe('evaluate', () => {
  it('reports every metric at 5, 10, 20 and k, with the split counts', async () => {
    const result = await evaluate(data, options({ k: 7 }));
    expect(result.cutoffs).toEqual([5, 7, 10, 20]);
    const metrics = result.models[0]!.metrics;
    for (const k of [5, 7, 10, 20]) {
      for (const metric of METRICS.filter((entry) => entry.kind !== 'rating')) expect(metrics[`${metric.key}@${k}`]).toBeTypeOf('number');
    }
    expect(metrics.rmse).toBeUndefined();
    expect(result.split.trainRatings + result.split.testRatings).toBe(interactionCount(data.interactions));
    expect(result.split.trainedOn).toMatch(/^ratings:\d+:[0-9a-f]{32}$/);
    expect(result.split.evaluatedUsers + result.split.usersWithoutRelevant + result.split.usersWithoutHistory).toBe(80);
    expect(result.dataset).toMatchObject({ movies: 150, users: 80, ratings: data.ratings.length });
    expect(result.dataset.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is reproducible: the same seed gives the same metrics, another seed other ones', async () => {
    const all = { models: CF_MODELS, protocol: 'cold-users' as const };
    const [a, b, c] = await Promise.all([evaluate(data, options(all)), evaluate(data, options(all)), evaluate(data, options({ ...all, seed: 2 }))]);
    expect(a.models.map((model) => model.metrics)).toEqual(b.models.map((model) => model.metrics));
    expect(a.models.map((model) => model.metrics)).not.toEqual(c.models.map((model) => model.metrics));
  });

  it('scores rating models on RMSE and MAE', async () => {
    const result = await evaluate(data, options({ models: [modelByName('biased-mf')!] }));
    expect(result.models[0]!.metrics.rmse).toBeGreaterThan(0);
    expect(result.models[0]!.metrics.mae).toBeLessThanOrEqual(result.models[0]!.metrics.rmse!);
  });

  it('counts more users and relevant movies with --relevance watched', async () => {
    const [rated4, watched] = await Promise.all([evaluate(data, options()), evaluate(data, options({ relevance: 'watched' }))]);
    expect(watched.split.evaluatedUsers).toBeGreaterThan(rated4.split.evaluatedUsers);
    expect(watched.split.usersWithoutRelevant).toBe(0);
  });

  it('reports cold-start users by how many ratings they kept', async () => {
    const result = await evaluate(data, options({ protocol: 'cold-users' }));
    expect(Object.keys(result.models[0]!.segments)).toEqual(['first 1', 'first 3', 'first 5']);
    expect(result.models[0]!.segments['first 1']!['ndcg@10']).toBeTypeOf('number');
  });

  it('leaves out test users with no training history and says how many', async () => {
    const result = await evaluate(data, options({ protocol: 'global-time' }));
    expect(result.split.usersWithoutHistory).toBeGreaterThan(0);
  });

  it('stops on a model that recommends what the user already rated', async () => {
    let train: TrainingSet | undefined;
    const cheat = testDefinition('cheat', { defaults: {} }, () =>
      testModel('cheat', {
        fit: async (set) => void (train = set),
        recommend: (query) => {
          const row = train!.interactions.users.indexOf(query.userId!);
          return [{ movieId: train!.interactions.movies[row]!, score: 1 }];
        },
      }),
    );
    await expect(evaluate(data, options({ models: [cheat] }))).rejects.toThrow(/cheat recommended movie \d+, which user \d+ rated in training/);
  });

  it('says there is nothing to score, rather than printing zeros, when no test user qualifies', async () => {
    const oneEach = { movies: data.movies, interactions: { ...data.interactions, users: data.interactions.users.map((_, row) => row + 1) } };
    await expect(evaluate(oneEach, options())).rejects.toThrow(UsageError);
    await expect(evaluate(oneEach, options())).rejects.toThrow(/nothing to score: under temporal, none of the \d+ test users/);
  });

  it('scores a seeded sample of test users when asked, and says of how many', async () => {
    const [all, sampled, again] = await Promise.all([evaluate(data, options()), evaluate(data, options({ maxUsers: 20 })), evaluate(data, options({ maxUsers: 20 }))]);
    expect(sampled.split.evaluatedUsers).toBe(20);
    expect(sampled.split.sampledFrom).toBe(all.split.evaluatedUsers);
    expect(all.split.sampledFrom).toBeUndefined();
    expect(again.models[0]!.metrics).toEqual(sampled.models[0]!.metrics);
  });
});

describe('tuning on a validation split carved from training', () => {
  it('tries the whole grid and keeps the best candidate', async () => {
    const result = await evaluate(data, options({ models: [signedPopularity], tune: true }));
    const model = result.models[0]!;
    expect(model.tuning!.metric).toBe('ndcg@10');
    expect(model.tuning!.candidates.map((candidate) => candidate.params.direction)).toEqual([-1, 1]);
    expect(model.tuning!.candidates[1]!.score).toBeGreaterThan(model.tuning!.candidates[0]!.score);
    expect(model.params).toEqual({ direction: 1 });
  });

  it('tunes rating models on RMSE, lower being better', async () => {
    const result = await evaluate(data, options({ models: [modelByName('biased-mf')!], tune: true }));
    const { tuning, params } = result.models[0]!;
    expect(tuning!.metric).toBe('rmse');
    const best = Math.min(...tuning!.candidates.map((candidate) => candidate.score));
    expect(tuning!.candidates.find((candidate) => candidate.score === best)!.params).toEqual(params);
  });

  it('keeps the defaults when the whole grid ties (nothing on validation tells the candidates apart)', async () => {
    const indifferent = testDefinition('indifferent', { defaults: { variant: 2 }, grid: { variant: [1, 2, 3] } }, () => testModel('indifferent', {}));
    const result = await evaluate(data, options({ models: [indifferent], tune: true }));
    expect(result.models[0]!.tuning!.candidates.map((candidate) => candidate.score)).toEqual([0, 0, 0]);
    expect(result.models[0]!.params).toEqual({ variant: 2 });
  });

  it('skips the grid of a model that ranks from ratings alone under cold-items, and says why', async () => {
    const result = await evaluate(data, options({ protocol: 'cold-items', models: [modelByName('mf')!, signedPopularity], tune: true }));
    const [mf, signed] = result.models;
    expect(mf!.tuning!.skipped).toMatch(/held-out movies have no training ratings/);
    expect(mf!.tuning!.candidates).toEqual([]);
    expect(mf!.params).toEqual(modelByName('mf')!.defaults);
    // A model that does not declare itself ratings-only is still tuned there.
    expect(signed!.tuning!.candidates).toHaveLength(2);
  });

  it('uses the defaults untouched without tuning', async () => {
    const result = await evaluate(data, options({ models: [signedPopularity] }));
    expect(result.models[0]!.params).toEqual({ direction: -1 });
    expect(result.models[0]!.tuning).toBeNull();
  });

  it('builds the grid as the product of the listed values over the defaults', () => {
    const definition = testDefinition<{ a: number; b: string; c: boolean }>('grid', { defaults: { a: 1, b: 'x', c: true }, grid: { a: [1, 2], b: ['x', 'y'] } }, () => {
      throw new Error('unused');
    });
    expect(gridCandidates(definition)).toEqual([
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'y', c: true },
      { a: 2, b: 'x', c: true },
      { a: 2, b: 'y', c: true },
    ]);
  });
});

describe('reports', () => {
  it('writes results.json, report.md and a PNG chart of the main metrics', async () => {
    const dir = tempDir();
    const result = await evaluate(data, options({ models: CF_MODELS, protocol: 'cold-users' }));
    const written = await writeReport(dir, result, 'reelsense evaluate --test');
    const json = JSON.parse(readFileSync(written.results, 'utf8')) as EvaluationResult & { command: string };
    expect(json).toMatchObject({ command: 'reelsense evaluate --test', protocol: 'cold-users', seed: 1, relevance: 'rated4', dataset: { hash: result.dataset.hash } });
    expect(json.models.map((model) => model.name)).toEqual(['random', 'pop', 'itemknn', 'mf', 'biased-mf', 'ease']);
    const pop = json.models[1]!;
    expect(pop.params).toEqual({ minRating: 0.5 });
    expect(pop.metrics['ndcg@10']).toBeTypeOf('number');
    expect(pop.metrics['precision@10']).toBeTypeOf('number');
    expect(pop.fitSeconds).toBeGreaterThanOrEqual(0);

    const markdown = readFileSync(written.report, 'utf8');
    expect(markdown).toBe(reportMarkdown(result, 'reelsense evaluate --test'));
    expect(markdown).toContain(`| pop | ${result.models[1]!.metrics['precision@10']!.toFixed(4)} |`);
    expect(markdown).toContain('| itemknn | first 3 |');
    expect(markdown).toContain('![metrics](metrics.png)');

    const image = await sharp(written.chart).metadata();
    expect(image.format).toBe('png');
    expect(image.width).toBeGreaterThan(1000);
    expect(image.height).toBeGreaterThan(1000);
  });
});
