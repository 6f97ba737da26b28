import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../../src/artifacts.js';
import { unnormalisedForward } from '../../src/fuse/network.js';
import { matrix } from '../../src/math/gemm.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { trainUpdater, UPDATER_DEFAULTS, type UpdaterCorpus } from '../../src/profile/train-updater.js';
import {
  applyRating,
  initialTaste,
  initialUpdaterWeights,
  restoreUpdater,
  takeStep,
  updaterArrays,
  updaterInputWidth,
  writeUpdaterInput,
  type TasteUpdater,
} from '../../src/profile/updater.js';
import { tempDir } from '../support/tmp.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const length = (a: Float32Array) => Math.sqrt(dot(a, a));

function unitRows(rows: number, dim: number, seed: number): Float32Array {
  return normaliseRows(gaussianMatrix(rows, dim, 1, seededRandom(seed)), dim);
}

/** An updater whose MLP has large random weights everywhere: the worst case for drift, not a trained one. */
function wildUpdater(dim: number, seed: number): TasteUpdater {
  const random = seededRandom(seed);
  const weights = initialUpdaterWeights(dim, 32, 0.5, random);
  const input = updaterInputWidth(dim);
  weights.w0 = gaussianMatrix(input, dim, 3, random);
  weights.w2 = gaussianMatrix(32, dim, 3, random);
  weights.b2 = gaussianMatrix(1, dim, 3, random);
  return { dim, weights, start: unitRows(1, dim, seed + 1), maxStep: 1 };
}

describe('the taste updater', () => {
  it('keeps unit length, stays finite and turns at most 90° per rating over 1,000 successive updates', () => {
    const dim = 16;
    const movies = unitRows(200, dim, 3);
    const random = seededRandom(4);
    for (const updater of [wildUpdater(dim, 1), { dim, weights: initialUpdaterWeights(dim, 32, 0.5, random), start: unitRows(1, dim, 2), maxStep: 1 }]) {
      let state = initialTaste(updater);
      let largestStep = 0;
      for (let i = 0; i < 1000; i++) {
        // Extreme ratings, the same movie over and over, and a run of one rating value: the inputs that made the old system drift.
        const rating = i % 10 < 5 ? 5 : [0.5, 1, 3, 4.5, 2][i % 5]!;
        const movie = i % 7 === 0 ? 0 : Math.floor(random() * 200);
        const next = applyRating(updater, state, movies, movie * dim, rating);
        expect(Math.abs(length(next.vector) - 1)).toBeLessThan(1e-5);
        expect(next.vector.every(Number.isFinite)).toBe(true);
        const step = Math.sqrt(next.vector.reduce((sum, value, j) => sum + (value - state.vector[j]!) ** 2, 0));
        largestStep = Math.max(largestStep, step);
        state = next;
      }
      expect(state.count).toBe(1000);
      // A step clipped to length 1 before the skip turns a unit taste by at most 90°: a chord of at most √2.
      expect(largestStep).toBeLessThanOrEqual(Math.SQRT2 + 1e-5);
      expect(largestStep).toBeGreaterThan(0.1);
    }
  });

  it('leaves the taste as it was when the step is not finite', () => {
    const dim = 4;
    const updater = wildUpdater(dim, 2);
    updater.weights.b2[0] = Number.NaN;
    const state = initialTaste(updater);
    const next = applyRating(updater, state, unitRows(1, dim, 9), 0, 4);
    expect(Array.from(next.vector)).toEqual(Array.from(state.vector));
    expect(next.count).toBe(1);
  });

  it('takes the same step one at a time in plain loops as in a batch through the matrix products', async () => {
    const dim = 8;
    const updater = wildUpdater(dim, 5);
    updater.weights.w1 = gaussianMatrix(updaterInputWidth(dim), 32, 0.5, seededRandom(6));
    const movies = unitRows(3, dim, 7);
    const tastes = unitRows(3, dim, 8);
    const width = updaterInputWidth(dim);
    const input = new Float32Array(3 * width);
    const ratings = [5, 1.5, 3.5];
    ratings.forEach((rating, row) => writeUpdaterInput(input, row * width, dim, tastes, row * dim, movies, row * dim, rating, row * 4, row * 14));
    const pass = await unnormalisedForward(updater.weights, matrix(input, 3, width));
    const batched = new Float32Array(3 * dim);
    for (let row = 0; row < 3; row++) takeStep(batched, row * dim, dim, tastes, row * dim, pass.output.data, row * dim, updater.maxStep);
    ratings.forEach((rating, row) => {
      const one = applyRating(updater, { vector: tastes.slice(row * dim, (row + 1) * dim), count: row * 4, ratingSum: row * 14 }, movies, row * dim, rating);
      one.vector.forEach((value, j) => expect(value).toBeCloseTo(batched[row * dim + j]!, 5));
    });
  });

  it('starts as a moving average: a loved movie pulls the taste toward it, a hated one pushes it away', () => {
    const dim = 8;
    const updater: TasteUpdater = { dim, weights: initialUpdaterWeights(dim, 16, 0.5, seededRandom(1)), start: unitRows(1, dim, 2), maxStep: 1 };
    const movie = unitRows(1, dim, 3);
    const before = dot(updater.start, movie);
    expect(dot(applyRating(updater, initialTaste(updater), movie, 0, 5).vector, movie)).toBeGreaterThan(before + 0.05);
    expect(dot(applyRating(updater, initialTaste(updater), movie, 0, 1).vector, movie)).toBeLessThan(before - 0.05);
    // A movie without a vector changes only the counts.
    expect(applyRating(updater, initialTaste(updater), null, 0, 5)).toEqual({ vector: updater.start, count: 1, ratingSum: 5 });
  });

  it('saves and restores through an artifact, and refuses arrays that do not fit their shape', async () => {
    const updater = wildUpdater(8, 3);
    const dir = join(tempDir(), 'updater');
    await saveArtifact(dir, { kind: 'updater', name: 'taste-updater', version: '1', params: {}, seed: 1, datasetHash: null, trainedOn: null }, updaterArrays(updater));
    const restored = restoreUpdater(await loadArtifact(dir));
    const movie = unitRows(1, 8, 4);
    expect(applyRating(restored, initialTaste(restored), movie, 0, 4)).toEqual(applyRating(updater, initialTaste(updater), movie, 0, 4));
    await saveArtifact(
      dir,
      { kind: 'updater', name: 'taste-updater', version: '1', params: {}, seed: 1, datasetHash: null, trainedOn: null },
      {
        ...updaterArrays(updater),
        start: new Float32Array(3),
      },
    );
    await expect(loadArtifact(dir).then(restoreUpdater)).rejects.toThrow(/do not fit its shape 28 → 32 → 8: train it again/);
  });
});

/**
 * Users who walk around a ring of movie clusters, each liked rating one cluster further on: the moving average points
 * at the cluster just rated, so only a learned step (one that turns toward the next cluster) predicts what comes next.
 */
function ringCorpus(users: number, steps: number, clusters: number, perCluster: number, dim: number): UpdaterCorpus {
  const random = seededRandom(11);
  const centres = unitRows(clusters, dim, 12);
  const movies = clusters * perCluster;
  const vectors = new Float32Array(movies * dim);
  for (let movie = 0; movie < movies; movie++) {
    const cluster = Math.floor(movie / perCluster);
    for (let i = 0; i < dim; i++) vectors[movie * dim + i] = centres[cluster * dim + i]! + 0.15 * (random() - 0.5);
  }
  normaliseRows(vectors, dim);
  const indptr = Int32Array.from({ length: users + 1 }, (_, u) => u * steps);
  const timelineMovies = new Int32Array(users * steps);
  for (let user = 0; user < users; user++) {
    const first = Math.floor(random() * clusters);
    for (let t = 0; t < steps; t++) timelineMovies[user * steps + t] = ((first + t) % clusters) * perCluster + Math.floor(random() * perCluster);
  }
  return {
    vectors,
    hasVector: new Uint8Array(movies).fill(1),
    dim,
    timelines: { indptr, movies: timelineMovies, ratings: new Float32Array(users * steps).fill(5), timestamps: Float64Array.from(timelineMovies, (_, i) => i) },
    userIds: Int32Array.from({ length: users }, (_, u) => u + 1),
  };
}

describe('training the taste updater', () => {
  const corpus = ringCorpus(120, 24, 12, 10, 12);
  const params = { ...UPDATER_DEFAULTS, hidden: 32, epochs: 6, patience: 6, batch: 64, negatives: 64, rate: 3e-3, linearRate: 3e-3 };

  it('learns to predict the next liked movie far better than the moving average it starts as, on held-out users', async () => {
    const epochs: number[] = [];
    const trained = await trainUpdater(corpus, params, 1, { onEpoch: (epoch) => epochs.push(epoch.validationHitRate) });
    expect(trained.validationUsers).toBeGreaterThan(0);
    expect(trained.trainingUsers + trained.validationUsers).toBe(120);
    expect(trained.examples).toBe(trained.trainingUsers * 23);
    expect(epochs).toHaveLength(7);
    // The moving average ranks the cluster just rated first: the next cluster's 10 movies are rarely in its top 10.
    expect(epochs[0]).toBeLessThan(0.3);
    expect(Math.max(...epochs)).toBeGreaterThan(0.6);
    expect(trained.bestEpoch).toBe(epochs.indexOf(Math.max(...epochs)));
  });

  it('is deterministic for a seed', async () => {
    const quick = { ...params, epochs: 1 };
    const [a, b] = await Promise.all([trainUpdater(corpus, quick, 3), trainUpdater(corpus, quick, 3)]);
    expect(a.epochs.map((epoch) => [epoch.loss, epoch.validationHitRate])).toEqual(b.epochs.map((epoch) => [epoch.loss, epoch.validationHitRate]));
    expect(Array.from(a.updater.weights.w2)).toEqual(Array.from(b.updater.weights.w2));
  });
});
