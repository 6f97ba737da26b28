import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitImplicitFactors, implicitMfModel, type ImplicitMfParams } from '../../src/cf/als.js';
import { biasedMfModel } from '../../src/cf/biased-mf.js';
import { easeModel } from '../../src/cf/ease.js';
import { itemKnnModel } from '../../src/cf/itemknn.js';
import { popularityModel } from '../../src/cf/popularity.js';
import { randomModel } from '../../src/cf/random.js';
import { MAX_CO_RATING_PAIRS } from '../../src/cf/itemknn.js';
import type { Movie, Rating } from '../../src/domain.js';
import { UsageError } from '../../src/errors.js';
import { interactionMatrix, interactionsFromRatings } from '../../src/interactions.js';
import { MODEL_NAMES, MODELS, modelByName } from '../../src/registry.js';
import { trainingSet, type ModelDefinition, type ModelParams, type Recommender, type TrainingSet, type VectorStoreReader } from '../../src/recommender.js';
import { catalogMovie, syntheticData } from '../eval/synthetic.js';
import { randomVectors } from '../support/datasets.js';
import { tempDir } from '../support/tmp.js';

const rating = (userId: number, movieId: number, value: number): Rating => ({ userId, movieId, rating: value, timestamp: 0 });

/**
 * The hand-made fixture. Raters per movie: 1 {u1,u2}, 2 {u1,u2,u3}, 3 {u1,u5}, 4 {u3}, 5 {u4,u5}, 6 nobody.
 */
const tinyRatings = [
  rating(1, 1, 5),
  rating(1, 2, 4),
  rating(1, 3, 3),
  rating(2, 1, 4),
  rating(2, 2, 5),
  rating(3, 2, 4),
  rating(3, 4, 2),
  rating(4, 5, 1),
  rating(5, 5, 2),
  rating(5, 3, 4),
];

const train = (movies: Movie[], ratings: Rating[]): TrainingSet => trainingSet({ movies, interactions: interactionsFromRatings(ratings) });

const tiny = train(
  [1, 2, 3, 4, 5, 6].map((id) => catalogMovie(id)),
  tinyRatings,
);

async function fitted(definition: ModelDefinition, params: ModelParams = {}, train: TrainingSet = tiny, seed = 1): Promise<Recommender> {
  const model = definition.create({ ...definition.defaults, ...params }, seed);
  await model.fit(train);
  return model;
}

const ids = (list: { movieId: number }[]) => list.map((entry) => entry.movieId);

describe('popularity', () => {
  it('ranks by the number of training raters, ties to the lower id, leaving out what is excluded', async () => {
    const model = await fitted(popularityModel);
    expect(await model.recommend({ userId: 1 }, 6, { includeRated: true })).toEqual([
      { movieId: 2, score: 3 },
      { movieId: 1, score: 2 },
      { movieId: 3, score: 2 },
      { movieId: 5, score: 2 },
      { movieId: 4, score: 1 },
      { movieId: 6, score: 0 },
    ]);
    // By default the user's rated movies (1, 2, 3) never come back; `exclude` and `filter` take more out.
    expect(ids(await model.recommend({ userId: 1 }, 6))).toEqual([5, 4, 6]);
    expect(ids(await model.recommend({ userId: 1 }, 6, { exclude: new Set([4]), filter: (movieId) => movieId !== 6 }))).toEqual([5]);
    // A newcomer with no history at all still gets the popular list.
    expect(ids(await model.recommend({}, 2))).toEqual([2, 1]);
    expect(ids(await model.similarItems(2, 2))).toEqual([1, 3]);
  });

  it('counts only liked ratings with minRating 4', async () => {
    const model = await fitted(popularityModel, { minRating: 4 });
    // Ratings ≥ 4: movie 1 twice, movie 2 three times, movie 3 once (u5), movies 4 and 5 never.
    expect((await model.recommend({ userId: 1 }, 6, { includeRated: true })).map((entry) => [entry.movieId, entry.score])).toEqual([
      [2, 3],
      [1, 2],
      [3, 1],
      [4, 0],
      [5, 0],
      [6, 0],
    ]);
  });
});

describe('item-kNN', () => {
  it('scores cosine similarity over raters: co-raters / sqrt(raters · raters)', async () => {
    const model = await fitted(itemKnnModel, { neighbours: 10, shrink: 0 });
    const similar = await model.similarItems(1, 5);
    // 1 and 2 share u1, u2: 2/sqrt(2·3); 1 and 3 share u1: 1/sqrt(2·2). No other movie shares a rater with 1.
    expect(ids(similar)).toEqual([2, 3]);
    expect(similar[0]!.score).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(similar[1]!.score).toBeCloseTo(0.5, 6);
  });

  it('shrinks similarities resting on few co-raters', async () => {
    const model = await fitted(itemKnnModel, { neighbours: 10, shrink: 10 });
    expect((await model.similarItems(1, 1))[0]!.score).toBeCloseTo(2 / (Math.sqrt(6) + 10), 6);
  });

  it("scores a movie by the sum of its similarities to the user's movies, over the kept neighbours only", async () => {
    // u3 rated 2 and 4. sim(1,2) = 2/√6, sim(1,4) = 0; sim(3,2) = 1/√6, sim(3,4) = 0.
    const all = await fitted(itemKnnModel, { neighbours: 10, shrink: 0 });
    const list = await all.recommend({ userId: 3 }, 2);
    expect(ids(list)).toEqual([1, 3]);
    expect(list[0]!.score).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(list[1]!.score).toBeCloseTo(1 / Math.sqrt(6), 6);
    // With one neighbour per movie, movie 2 keeps only movie 1, so movie 3 gets nothing from u3's history.
    const one = await fitted(itemKnnModel, { neighbours: 1, shrink: 0 });
    expect((await one.recommend({ userId: 3 }, 2)).map((entry) => entry.score)).toEqual([expect.closeTo(2 / Math.sqrt(6), 6), 0]);
    expect(await one.recommend({ userId: 99 }, 5)).toEqual([]);
    // The same history given in the query, for a user the model never saw, gives the same list.
    expect(
      await all.recommend(
        {
          history: [
            { movieId: 2, rating: 4, timestamp: 0 },
            { movieId: 4, rating: 2, timestamp: 0 },
          ],
        },
        2,
      ),
    ).toEqual(list);
  });

  it('refuses up front a rating set whose co-rating pairs would take hours', async () => {
    const heavy = Math.ceil(Math.sqrt(MAX_CO_RATING_PAIRS)) + 1;
    const users = new Int32Array(heavy).fill(1);
    const movies = Int32Array.from({ length: heavy }, (_, i) => i + 1);
    const interactions = { users, movies, ratings: new Float32Array(heavy).fill(4), timestamps: new Float64Array(heavy) };
    const model = itemKnnModel.create(itemKnnModel.defaults, 1);
    await expect(model.fit(trainingSet({ movies: [], interactions }))).rejects.toThrow(UsageError);
    await expect(model.fit(trainingSet({ movies: [], interactions }))).rejects.toThrow(/co-rating pairs .* evaluate pop, mf or ease instead/);
  });
});

/** Two taste groups: users 1–10 rate movies 1–5, users 11–20 movies 6–10, each user all but one movie of their group. */
function twoGroups(): TrainingSet {
  const ratings: Rating[] = [];
  for (let user = 1; user <= 20; user++) {
    const first = user <= 10 ? 1 : 6;
    const skipped = first + (user % 5);
    for (let movie = first; movie < first + 5; movie++) if (movie !== skipped) ratings.push(rating(user, movie, 4));
  }
  return train(
    Array.from({ length: 12 }, (_, i) => catalogMovie(i + 1)),
    ratings,
  );
}

describe('implicit MF (ALS + conjugate gradient)', () => {
  it("recommends the unseen movie of the user's own group first, and finds similar movies within a group", async () => {
    // Two factors for two groups: more would leave free directions that only the regulariser pins down.
    const model = await fitted(implicitMfModel, { factors: 2, regularization: 1, alpha: 5, iterations: 15 }, twoGroups());
    for (const user of [1, 7, 12, 18]) {
      const first = user <= 10 ? 1 : 6;
      expect((await model.recommend({ userId: user }, 1))[0]!.movieId).toBe(first + (user % 5));
    }
    expect(ids(await model.similarItems(2, 4)).sort((a, b) => a - b)).toEqual([1, 3, 4, 5]);
    expect(ids(await model.similarItems(9, 4)).sort((a, b) => a - b)).toEqual([6, 7, 8, 10]);
    // A newcomer who rated two movies of the second group is folded in without a refit: the group's other movies come first.
    const newcomer = await model.recommend(
      {
        history: [
          { movieId: 6, rating: 5, timestamp: 0 },
          { movieId: 7, rating: 4, timestamp: 1 },
        ],
      },
      3,
    );
    expect(ids(newcomer).sort((a, b) => a - b)).toEqual([8, 9, 10]);
  });

  describe('minimises Σ c·(p − u·v)² + λ(|U|² + |V|²), written out here by its definition', () => {
    const { movies, ratings } = syntheticData({ users: 30, movies: 40 });
    const matrix = interactionMatrix(movies, interactionsFromRatings(ratings));
    const params: ImplicitMfParams = { factors: 5, regularization: 0.5, alpha: 5, iterations: 0, cgSteps: 3 };
    const dim = params.factors;
    const rated = (user: number) => new Set(matrix.byUser.indices.subarray(matrix.byUser.indptr[user], matrix.byUser.indptr[user + 1]));
    const predict = (u: Float32Array, v: Float32Array, user: number, movie: number) => {
      let sum = 0;
      for (let f = 0; f < dim; f++) sum += u[user * dim + f]! * v[movie * dim + f]!;
      return sum;
    };
    const objective = (u: Float32Array, v: Float32Array) => {
      let loss = 0;
      for (let user = 0; user < matrix.userIds.length; user++) {
        const seen = rated(user);
        for (let movie = 0; movie < matrix.movieIds.length; movie++) {
          const error = (seen.has(movie) ? 1 : 0) - predict(u, v, user, movie);
          loss += (seen.has(movie) ? 1 + params.alpha : 1) * error ** 2;
        }
      }
      return loss + params.regularization * [...u, ...v].reduce((sum, value) => sum + value * value, 0);
    };

    it('the objective falls with every sweep', () => {
      const losses = [1, 2, 4, 8, 16].map((iterations) => {
        const { userFactors, movieFactors } = fitImplicitFactors(matrix, { ...params, iterations }, 3);
        return objective(userFactors, movieFactors);
      });
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
    });

    it('an exact last half-sweep leaves the movie factors where the gradient is zero', () => {
      // As many CG steps as factors make each row solve exact; the movies are solved last, so ∂loss/∂v must vanish.
      const { userFactors: u, movieFactors: v } = fitImplicitFactors(matrix, { ...params, iterations: 10, cgSteps: dim }, 3);
      let largest = 0;
      for (let movie = 0; movie < matrix.movieIds.length; movie++) {
        const gradient = Array.from({ length: dim }, (_, f) => params.regularization * v[movie * dim + f]!);
        for (let user = 0; user < matrix.userIds.length; user++) {
          const seen = rated(user).has(movie);
          const weight = (seen ? 1 + params.alpha : 1) * (predict(u, v, user, movie) - (seen ? 1 : 0));
          for (let f = 0; f < dim; f++) gradient[f]! += weight * u[user * dim + f]!;
        }
        largest = Math.max(largest, ...gradient.map(Math.abs));
      }
      expect(largest).toBeLessThan(1e-4);
    });
  });

  it('gives a movie nobody rated a zero score', async () => {
    const model = await fitted(implicitMfModel, { factors: 4 }, twoGroups());
    const scores = new Map((await model.recommend({ userId: 1 }, 12)).map((entry) => [entry.movieId, entry.score]));
    expect(scores.get(11)).toBe(0);
    expect(scores.get(12)).toBe(0);
  });
});

describe('EASE', () => {
  // Weights B minimise |X − XB|² + λ|B|² with diag(B) = 0: off the diagonal, ((XᵀX + λI)B − XᵀX) is zero (the KKT conditions).
  it('meets the optimality conditions of its objective, written out here from the ratings', async () => {
    const lambda = 0.7;
    const model = await fitted(easeModel, { lambda }, tiny);
    const movieIds = [1, 2, 3, 4, 5];
    const raters = (movie: number) => new Set(tinyRatings.filter((entry) => entry.movieId === movie).map((entry) => entry.userId));
    const gram = (a: number, b: number) => [...raters(a)].filter((user) => raters(b).has(user)).length;
    const rows = await Promise.all(movieIds.map((movie) => model.score({ history: [{ movieId: movie, rating: 4, timestamp: 0 }] }, movieIds)));
    const weight = (from: number, to: number) => rows[from]![to]!;
    movieIds.forEach((_, j) => expect(weight(j, j)).toBe(0));
    for (const [i, a] of movieIds.entries()) {
      for (const [j, b] of movieIds.entries()) {
        if (i === j) continue;
        const lhs = movieIds.reduce((sum, c, k) => sum + (gram(a, c) + (i === k ? lambda : 0)) * weight(k, j), 0);
        expect(lhs - gram(a, b)).toBeCloseTo(0, 4);
      }
    }
    expect(Math.abs(weight(0, 1))).toBeGreaterThan(0.1);
  });

  it('scores a user by the sum of the weights from their movies, and keeps only the largest weights per movie', async () => {
    const full = await fitted(easeModel, { lambda: 1 }, twoGroups());
    const pruned = await fitted(easeModel, { lambda: 1, neighbours: 2 }, twoGroups());
    const history = [1, 2].map((movieId) => ({ movieId, rating: 4, timestamp: 0 }));
    const candidates = [3, 4, 5, 6, 7, 8, 9, 10];
    const both = await full.score({ history }, candidates);
    const [one, two] = await Promise.all(history.map((entry) => full.score({ history: [entry] }, candidates)));
    candidates.forEach((_, k) => expect(both[k]).toBeCloseTo(one![k]! + two![k]!, 5));
    const single = await pruned.score({ history: [history[0]!] }, [2, ...candidates]);
    expect(single.filter((value) => value !== 0).length).toBeLessThanOrEqual(2);
  });

  it('inverts over the most-rated movies only when the catalog is larger than maxMovies', async () => {
    // Raters: movie 2 has three, movies 1, 3 and 5 two each (ties to the lower index): movies 2 and 1 are kept.
    const model = await fitted(easeModel, { lambda: 1, maxMovies: 2 }, tiny);
    const row = (movieId: number) => model.score({ history: [{ movieId, rating: 4, timestamp: 0 }] }, [1, 2, 3, 4, 5]);
    expect(
      Array.from(await row(2))
        .map((value, i) => (value !== 0 ? i + 1 : null))
        .filter(Boolean),
    ).toEqual([1]);
    expect(Array.from(await row(3))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('biased MF (explicit ratings)', () => {
  it('learns user and movie biases and fits the training ratings closely', async () => {
    // u1 loves everything, u2 hates everything, both rated movies 1–4; movie 5 only u3 rated.
    const ratings = [1, 2, 3, 4].flatMap((movie) => [rating(1, movie, 5), rating(2, movie, 1), rating(3, movie, 3)]);
    ratings.push(rating(3, 5, 5));
    const model = await fitted(
      biasedMfModel,
      { factors: 4, epochs: 300, learningRate: 0.02, regularization: 0.01 },
      train(
        [1, 2, 3, 4, 5].map((id) => catalogMovie(id)),
        ratings,
      ),
    );
    const predict = model.predictRating!.bind(model);
    const residuals = ratings.map((r) => (predict(r.userId, r.movieId) - r.rating) ** 2);
    expect(Math.sqrt(residuals.reduce((a, b) => a + b, 0) / residuals.length)).toBeLessThan(0.3);
    expect(predict(1, 5)).toBeGreaterThan(predict(2, 5) + 2);
    // An unknown user gets the global mean plus the movie's bias; predictions stay on the 0.5–5 scale.
    expect(predict(99, 5)).toBeGreaterThan(predict(99, 1));
    for (const user of [1, 2, 99]) for (const movie of [1, 5, 999]) expect(predict(user, movie)).toBeGreaterThanOrEqual(0.5);
    expect(predict(1, 1)).toBeLessThanOrEqual(5);
    expect((await model.recommend({ userId: 3 }, 1, { exclude: new Set([1, 2, 3, 4]), includeRated: true }))[0]!.movieId).toBe(5);
    // A newcomer who loves movies 1 and 2 is folded in: their predicted ratings sit above the haters' on unseen movies.
    const [lover] = await model.score(
      {
        history: [
          { movieId: 1, rating: 5, timestamp: 0 },
          { movieId: 2, rating: 5, timestamp: 0 },
        ],
      },
      [3],
    );
    const [hater] = await model.score(
      {
        history: [
          { movieId: 1, rating: 1, timestamp: 0 },
          { movieId: 2, rating: 1, timestamp: 0 },
        ],
      },
      [3],
    );
    expect(lover!).toBeGreaterThan(hater! + 1);
  });
});

describe('random', () => {
  it('gives each user a fixed list for a seed, independent of who asked first, and other lists for other seeds', async () => {
    const model = await fitted(randomModel);
    const first = ids(await model.recommend({ userId: 2 }, 6, { includeRated: true }));
    await model.recommend({ userId: 1 }, 6);
    expect(ids(await model.recommend({ userId: 2 }, 6, { includeRated: true }))).toEqual(first);
    expect([...first].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const lists = await Promise.all([1, 2, 3, 4, 5].map(async (seed) => ids(await (await fitted(randomModel, {}, tiny, seed)).recommend({ userId: 2 }, 6)).join()));
    expect(new Set(lists).size).toBeGreaterThan(1);
  });
});

/** Whatever movie space a content model asks for: seeded random vectors for every movie, fitted on no ratings. */
function randomSpaces(movieIds: number[], dim = 8): VectorStoreReader {
  const rows = randomVectors(movieIds, dim);
  const updatedAt = new Date(0).toISOString();
  return {
    readVectors: async (key) => ({
      ...rows,
      contentHashes: movieIds.map(() => null),
      space: { ...key, version: '1', dim, trainedOn: null, count: movieIds.length, updatedAt },
    }),
  };
}

/** Parameters that keep a model quick on this tiny set: the DNA trains a small network on the tasks its movies have (genres, ratings). */
const QUICK_DNA: ModelParams = { dim: 8, epochs: 2, tasks: 'genre,corated' };
const QUICK: Record<string, ModelParams> = {
  'content-dna': QUICK_DNA,
  'profile-weighted': QUICK_DNA,
  'profile-updater': { ...QUICK_DNA, updaterEpochs: 1 },
  pipeline: { ...QUICK_DNA, updaterEpochs: 1 },
};

describe.each(MODELS.map((definition) => [definition.name, definition] as const))('the %s model honours the interface', (name, definition) => {
  const { movies, ratings } = syntheticData({ users: 30, movies: 60 });
  const quick = QUICK[name] ?? {};
  const vectorStore = randomSpaces(movies.map((movie) => movie.movieId));
  const synthetic = trainingSet({ movies, interactions: interactionsFromRatings(ratings), vectorStore });
  const known = new Set(movies.map((movie) => movie.movieId));
  const ratedBy = (userId: number) => ratings.filter((r) => r.userId === userId);

  it('returns at most n distinct catalog movies, best first, never a rated or excluded one', async () => {
    const model = await fitted(definition, quick, synthetic);
    const rated = new Set(ratedBy(3).map((r) => r.movieId));
    const list = await model.recommend({ userId: 3 }, 15, { exclude: new Set([known.size]) });
    expect(list.length).toBeLessThanOrEqual(15);
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(ids(list)).size).toBe(list.length);
    expect(ids(list).every((id) => known.has(id) && !rated.has(id) && id !== known.size)).toBe(true);
    for (let i = 1; i < list.length; i++) expect(list[i]!.score).toBeLessThanOrEqual(list[i - 1]!.score);
    const similar = await model.similarItems(1, 5);
    expect(similar.length).toBeLessThanOrEqual(5);
    expect(ids(similar)).not.toContain(1);
  });

  it('scores a candidate set as its ranking does, NaN for a movie it does not know', async () => {
    const model = await fitted(definition, quick, synthetic);
    const list = await model.recommend({ userId: 3 }, 10);
    const scores = await model.score({ userId: 3 }, [...ids(list), 999_999]);
    expect(Array.from(scores.subarray(0, list.length))).toEqual(list.map((entry) => Math.fround(entry.score)));
    expect(scores[list.length]).toBeNaN();
  });

  it("takes a history in the query in place of the training one: a known user's own history gives the same list", async () => {
    const model = await fitted(definition, quick, synthetic);
    const history = ratedBy(5).map(({ movieId, rating: value, timestamp }) => ({ movieId, rating: value, timestamp }));
    const byHistory = await model.recommend({ userId: 5, history }, 10);
    expect(byHistory.length).toBeGreaterThan(0);
    expect(ids(byHistory).some((id) => history.some((entry) => entry.movieId === id))).toBe(false);
    // Factor models fold a given history in (approximately); the others read it exactly as in training.
    if (!['mf', 'biased-mf'].includes(definition.name)) {
      const byTraining = await model.recommend({ userId: 5 }, 10);
      expect(ids(byHistory)).toEqual(ids(byTraining));
      byHistory.forEach((entry, i) => expect(entry.score).toBeCloseTo(byTraining[i]!.score, 5));
    }
  });

  it('is reproducible from its seed', async () => {
    const [a, b] = await Promise.all([fitted(definition, quick, synthetic, 5), fitted(definition, quick, synthetic, 5)]);
    expect(await a.recommend({ userId: 4 }, 10)).toEqual(await b.recommend({ userId: 4 }, 10));
  });

  it('saves and loads to the same answers, and refuses an artifact of another model', async () => {
    const model = await fitted(definition, quick, synthetic, 3);
    const dir = join(tempDir(), 'model');
    await model.save(dir);
    const loaded = definition.create({ ...definition.defaults, ...QUICK[name] }, 3);
    await loaded.load(dir);
    expect(await loaded.recommend({ userId: 4 }, 10)).toEqual(await model.recommend({ userId: 4 }, 10));
    expect(await loaded.similarItems(2, 5)).toEqual(await model.similarItems(2, 5));
    const other = MODELS.find((candidate) => candidate.name !== definition.name)!;
    await expect(other.create(other.defaults, 3).load(dir)).rejects.toThrow(new RegExp(`not a ${other.name} model`));
  });

  it('refuses to recommend before fit', async () => {
    const model = definition.create(definition.defaults, 1);
    await expect(model.recommend({ userId: 1 }, 5)).rejects.toThrow(/call fit\(\) or load\(\)/);
  });
});

describe('the model registry', () => {
  it('names every baseline once and finds models by name', () => {
    expect(MODEL_NAMES).toEqual([
      'random',
      'pop',
      'itemknn',
      'mf',
      'biased-mf',
      'ease',
      'content-text',
      'content-image',
      'content-fixed',
      'content-dna',
      'profile-weighted',
      'profile-updater',
      'pipeline',
    ]);
    expect(modelByName('mf')).toBe(implicitMfModel);
    expect(modelByName('nope')).toBeUndefined();
    for (const definition of MODELS) {
      for (const [param, values] of Object.entries(definition.grid)) {
        expect(Object.keys(definition.defaults)).toContain(param);
        expect(values).toContain(definition.defaults[param]);
      }
    }
  });
});
