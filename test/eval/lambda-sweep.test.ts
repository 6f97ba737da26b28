import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { popularityModel } from '../../src/cf/popularity.js';
import { reproducingCommand } from '../../src/cli/evaluate.js';
import type { Movie } from '../../src/domain.js';
import { evaluate, type EvaluationResult } from '../../src/eval/evaluate.js';
import { reportMarkdown, writeReport } from '../../src/eval/report.js';
import { gaussian, seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { mmrRerank } from '../../src/rank/mmr.js';
import type { ModelDefinition } from '../../src/recommender.js';
import { testDefinition, testModel } from '../support/models.js';
import { tempDir } from '../support/tmp.js';
import { evaluationOptions, syntheticEvaluationData } from './synthetic.js';

const data = syntheticEvaluationData({ users: 80, movies: 150 });
/** How many of popularity's top movies the re-rank chooses from. */
const CANDIDATES = 60;
const NOISE_DIMS = 4;

/**
 * A seeded unit vector per movie: its genres (multi-hot) plus noise, with a few noise-only dimensions so a movie
 * without genres still has a direction. Built on genres because ILD is measured in genre space: MMR over vectors
 * unrelated to genres would leave ILD where it was.
 */
function movieVectors(movies: readonly Movie[], seed: number): { vectors: Float32Array; dim: number; rowOf: Map<number, number> } {
  const genres = [...new Set(movies.flatMap((movie) => movie.genres))].sort();
  const dim = genres.length + NOISE_DIMS;
  const random = seededRandom(seed);
  const vectors = new Float32Array(movies.length * dim);
  movies.forEach((movie, row) => {
    for (let j = 0; j < dim; j++) vectors[row * dim + j] = 0.15 * gaussian(random);
    for (const genre of movie.genres) vectors[row * dim + genres.indexOf(genre)]! += 1;
  });
  return { vectors: normaliseRows(vectors, dim), dim, rowOf: new Map(movies.map((movie, row) => [movie.movieId, row])) };
}

/** Popularity re-ranked by MMR over genre-based vectors: a diversifying model that honours RecommendOptions.lambda. */
const mmrPopularity: ModelDefinition = {
  ...testDefinition('mmr-pop', { defaults: { lambda: 1 } }, ({ lambda: defaultLambda }) => {
    const inner = popularityModel.create(popularityModel.defaults, 1);
    let space: ReturnType<typeof movieVectors> | undefined;
    return testModel('mmr-pop', {
      fit: async (train) => {
        await inner.fit(train);
        space = movieVectors(train.movies, 5);
      },
      recommend: async (query, n, options = {}) => {
        const { lambda = defaultLambda, ...filters } = options;
        const candidates = await inner.recommend(query, CANDIDATES, filters);
        const { vectors, dim, rowOf } = space!;
        const picks = mmrRerank(
          {
            movieIds: candidates.map((entry) => entry.movieId),
            relevance: candidates.map((entry) => entry.score),
            vectors,
            dim,
            rows: candidates.map((entry) => rowOf.get(entry.movieId)!),
          },
          lambda,
          n,
        );
        return picks.map((pick) => ({ movieId: pick.movieId, score: pick.score }));
      },
    });
  }),
  diversifies: true,
};

const LAMBDAS = [1, 0.7, 0.4, 0];

describe('evaluate with a λ sweep', () => {
  let result: EvaluationResult;
  beforeAll(async () => {
    result = await evaluate(data, evaluationOptions({ models: [popularityModel, mmrPopularity], lambdaSweep: LAMBDAS }));
  });

  it('ranks a diversifying model again at each λ: ILD and coverage rise and nDCG falls as λ goes 1 → 0', async () => {
    const points = result.lambdaSweep!['mmr-pop']!;
    expect(points.map((point) => point.lambda)).toEqual(LAMBDAS);
    const at = (key: string) => points.map((point) => point.metrics[key]!);
    for (const key of ['ild@10', 'coverage@10']) {
      const values = at(key);
      values.slice(1).forEach((value, i) => expect(value, `${key} at λ = ${LAMBDAS[i + 1]}`).toBeGreaterThan(values[i]!));
    }
    // Between the ends nDCG may wobble (a little diversity can find a relevant movie); from the pure list to the
    // most diverse it falls.
    const ndcg = at('ndcg@10');
    expect(ndcg.at(-1)).toBeLessThan(ndcg[0]! - 0.02);
    expect(Math.min(...ndcg.slice(1))).toBe(ndcg.at(-1));
  });

  it('at λ = 1 gives the model its normal metrics: one fit, the same lists', async () => {
    const normal = result.models.find((model) => model.name === 'mmr-pop')!.metrics;
    const atOne = result.lambdaSweep!['mmr-pop']![0]!.metrics;
    expect(Object.keys(atOne).length).toBeGreaterThan(20);
    expect(normal).toMatchObject(atOne);
  });

  it('skips models that do not re-rank, and says so', async () => {
    expect(Object.keys(result.lambdaSweep!)).toEqual(['mmr-pop']);
    expect(result.lambdaSweepSkipped).toEqual(['pop']);
    expect(reportMarkdown(result, 'reelsense evaluate --test')).toContain('Not swept (they do not re-rank with MMR): pop.');
  });

  it('writes the sweep to results.json, a table per model to report.md and the curves to lambda-sweep.png', async () => {
    const dir = tempDir();
    const written = await writeReport(dir, result, 'reelsense evaluate --test');
    expect(written.sweepChart).toBe(join(dir, 'lambda-sweep.png'));
    const json = JSON.parse(readFileSync(written.results, 'utf8')) as EvaluationResult;
    expect(json.lambdaSweep!['mmr-pop']!.map((point) => point.lambda)).toEqual(LAMBDAS);
    expect(json.lambdaSweep!['mmr-pop']![3]!.metrics['ild@10']).toBe(result.lambdaSweep!['mmr-pop']![3]!.metrics['ild@10']);

    const markdown = readFileSync(written.report, 'utf8');
    expect(markdown).toContain('### mmr-pop: MMR re-rank at each λ, k = 10');
    expect(markdown).toContain(`| 0.4 | ${result.lambdaSweep!['mmr-pop']![2]!.metrics['precision@10']!.toFixed(4)} |`);
    expect(markdown).toContain('![λ sweep](lambda-sweep.png)');

    const image = await sharp(written.sweepChart).metadata();
    expect(image.format).toBe('png');
    expect(image.width).toBeGreaterThan(1000);
  });

  it('sweeps nothing and writes no sweep chart without --lambda-sweep', async () => {
    const result = await evaluate(data, evaluationOptions({ models: [mmrPopularity] }));
    expect(result.lambdaSweep).toBeUndefined();
    const dir = tempDir();
    const written = await writeReport(dir, result, 'reelsense evaluate --test');
    expect(written.sweepChart).toBeUndefined();
    expect(existsSync(join(dir, 'lambda-sweep.png'))).toBe(false);
    expect(readFileSync(written.report, 'utf8')).not.toContain('λ sweep');
  });

  it('puts the sweep in the reproducing command', () => {
    const flags = { db: 'films.db', protocol: 'temporal', models: ['mmr-pop'], k: 10, seed: 1, relevance: 'rated4', out: 'runs/sweep', tune: true } as const;
    expect(reproducingCommand({ ...flags, models: [...flags.models], lambdaSweep: [0, 0.5, 1] })).toBe(
      'reelsense evaluate --db films.db --protocol temporal --models mmr-pop --k 10 --seed 1 --relevance rated4 --out runs/sweep --lambda-sweep 0,0.5,1',
    );
  });
});
