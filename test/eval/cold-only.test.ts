/**
 * The cold-items variant: every model is also ranked among the held-out movies only, where models that rank from
 * ratings alone cannot score on the full ranking and content models must be compared with each other.
 */
import { describe, expect, it } from 'vitest';
import { popularityModel } from '../../src/cf/popularity.js';
import type { MovieId, Rating } from '../../src/domain.js';
import { evaluate, type EvaluationOptions } from '../../src/eval/evaluate.js';
import { PROTOCOLS } from '../../src/eval/protocols.js';
import { coldOnlyTable, reportMarkdown } from '../../src/eval/report.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import type { RecommendOptions, VectorStoreReader } from '../../src/recommender.js';
import { modelByName } from '../../src/registry.js';
import { testDefinition, testModel } from '../support/models.js';
import { catalogMovie, evaluationOptions, syntheticEvaluationData } from './synthetic.js';

const options = (overrides: Partial<EvaluationOptions> = {}) => evaluationOptions({ protocol: 'cold-items', ...overrides });

const heldOutMovies = (interactions: ReturnType<typeof syntheticEvaluationData>['interactions'], seed = 1) =>
  new Set(PROTOCOLS['cold-items'].split(interactions, seed).test.movies);

describe('the cold-items variant ranked among the held-out movies only', () => {
  const data = syntheticEvaluationData({ users: 80, movies: 150 });

  it('asks each model for lists filtered to exactly the movies of the test split, beside the full ranking', async () => {
    const asked: (RecommendOptions | undefined)[] = [];
    const recorder = testDefinition('recorder', { defaults: {} }, () =>
      // The lists of next_hitrate (a query with a history, ranked over the full catalog) are not this variant's.
      testModel('recorder', { recommend: (query, _n, recommendOptions) => (query.history ? undefined : asked.push(recommendOptions), []) }),
    );
    const result = await evaluate(data, options({ models: [recorder] }));
    const heldOut = heldOutMovies(data.interactions);
    expect(result.split.heldOutMovies).toBe(heldOut.size);
    const filtered = asked.filter((entry) => entry?.filter);
    expect(filtered).toHaveLength(result.split.evaluatedUsers);
    expect(asked).toHaveLength(2 * result.split.evaluatedUsers);
    for (const entry of filtered)
      expect(data.movies.filter((movie) => entry!.filter!(movie.movieId)).map((movie) => movie.movieId)).toEqual([...heldOut].sort((a, b) => a - b));
  });

  it('finds held-out movies that popularity cannot reach on the full ranking', async () => {
    const result = await evaluate(data, options({ models: [popularityModel, modelByName('random')!] }));
    const heldOut = result.split.heldOutMovies!;
    // Fewer held-out movies than the cutoff 20: a list among them holds all of them, so it finds every relevant one.
    expect(heldOut).toBeLessThan(20);
    for (const model of result.models) {
      expect(model.coldOnly!['recall@20'], model.name).toBe(1);
      expect(model.coldOnly!['coverage@20'], model.name).toBe(1);
    }
    expect(result.models[0]!.metrics['hitrate@20']).toBe(0);
  });

  it('stops on a model that ignores the filter', async () => {
    const heldOut = heldOutMovies(data.interactions);
    const inner = popularityModel.create(popularityModel.defaults, 1);
    const stubborn = testDefinition('stubborn', { defaults: {} }, () =>
      testModel('stubborn', { fit: (train) => inner.fit(train), recommend: (query, n) => inner.recommend(query, n) }),
    );
    await expect(evaluate(data, options({ models: [stubborn] }))).rejects.toThrow(
      new RegExp(`stubborn recommended movie \\d+, outside the ${heldOut.size} held-out movies`),
    );
  });

  it('is absent under the other protocols', async () => {
    const result = await evaluate(data, options({ protocol: 'temporal' }));
    expect(result.models[0]!.coldOnly).toBeUndefined();
    expect(result.split.heldOutMovies).toBeUndefined();
    expect(coldOnlyTable(result)).toBeNull();
    expect(reportMarkdown(result, 'reelsense evaluate --test')).not.toContain('held-out movies only');
  });

  it('has its own labelled table in report.md', async () => {
    const result = await evaluate(data, options());
    const table = coldOnlyTable(result)!;
    expect(table.title).toBe(`Ranked among the ${result.split.heldOutMovies} held-out movies only, k = 10`);
    expect(table.rows.map((row) => [row[0], row.length])).toEqual([['pop', table.header.length]]);
    const markdown = reportMarkdown(result, 'reelsense evaluate --test');
    expect(markdown).toContain(`## ${table.title}`);
    expect(markdown).toContain(`| pop | ${result.models[0]!.coldOnly!['precision@10']!.toFixed(4)} |`);
  });
});

describe('content models among the held-out movies', () => {
  /**
   * Two tastes: odd users love odd movies and dislike even ones, even users the reverse, and everyone rated all of
   * movies 41–100; movies 1–40 nobody rated. The text space holds each movie's parity: only a model that reads it can
   * tell a held-out movie of the user's kind from another.
   */
  function twoTastes() {
    const movies = Array.from({ length: 100 }, (_, i) => catalogMovie(i + 1));
    const ratings: Rating[] = [];
    for (let userId = 1; userId <= 40; userId++) {
      for (let movieId = 41; movieId <= 100; movieId++) ratings.push({ userId, movieId, rating: movieId % 2 === userId % 2 ? 5 : 1, timestamp: movieId });
    }
    const ids = movies.map((movie) => movie.movieId);
    const vectors = Float32Array.from(ids.flatMap((id: MovieId) => (id % 2 ? [1, 0.1] : [0.1, 1])));
    const updatedAt = new Date(0).toISOString();
    const vectorStore: VectorStoreReader = {
      readVectors: async (key) =>
        key.kind === 'text'
          ? { ids, vectors, contentHashes: ids.map(() => null), space: { ...key, version: '1', dim: 2, trainedOn: null, count: ids.length, updatedAt } }
          : null,
    };
    return { movies, interactions: interactionsFromRatings(ratings), vectorStore };
  }

  it('content-text ranks the user’s kind of held-out movie first, which random and popularity cannot', async () => {
    const result = await evaluate(twoTastes(), options({ models: [modelByName('content-text')!, modelByName('random')!, popularityModel] }));
    const [content, random, pop] = result.models;
    expect(result.split.heldOutMovies).toBeGreaterThan(3);
    expect(content!.coldOnly!['ndcg@5']).toBeCloseTo(1, 10);
    expect(random!.coldOnly!['ndcg@5']).toBeLessThan(0.9);
    expect(pop!.coldOnly!['ndcg@5']).toBeLessThan(0.9);
    // On the full ranking the never-rated movies 1–40 crowd the held-out ones out of popularity's list.
    expect(pop!.metrics['hitrate@20']).toBe(0);
  });
});
