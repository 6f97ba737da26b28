/**
 * The online path of a taste: one rating applied by the residual updater (the default network on a 128-d DNA), and
 * that plus re-ranking the whole catalog by cosine to the new taste, on a synthetic DNA of ml-latest-small's size (or
 * as many movies as asked). Several rounds; the percentiles are over every update of every round.
 * `npm run bench -- profile [--json] [MOVIES]`.
 */
import { gaussianMatrix, seededRandom } from '../src/math/random.js';
import { topK } from '../src/math/topk.js';
import { matVec, normaliseRows } from '../src/math/vector.js';
import { UPDATER_DEFAULTS } from '../src/profile/train-updater.js';
import { applyRating, initialTaste, initialUpdaterWeights, type TasteUpdater } from '../src/profile/updater.js';
import type { Benchmark } from './run.js';

const DIM = 128;
const ROUNDS = 5;
const UPDATES_PER_ROUND = 2000;

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

export const run: Benchmark = async (args) => {
  const movies = Number(args[0] ?? 9742);
  const random = seededRandom(1);
  const dna = normaliseRows(gaussianMatrix(movies, DIM, 1, random), DIM);
  const weights = initialUpdaterWeights(DIM, UPDATER_DEFAULTS.hidden, UPDATER_DEFAULTS.initialPull, random);
  // A trained network has a non-zero output layer: time that, not the zero one training starts from.
  weights.w2 = gaussianMatrix(UPDATER_DEFAULTS.hidden, DIM, 0.01, random);
  const updater: TasteUpdater = { dim: DIM, weights, start: dna.slice(0, DIM), maxStep: UPDATER_DEFAULTS.maxStep };

  const updateMs: number[] = [];
  const updateAndRankMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let state = initialTaste(updater);
    for (let i = 0; i < UPDATES_PER_ROUND; i++) {
      const movie = Math.floor(random() * movies);
      const rating = 0.5 + 0.5 * Math.floor(random() * 10);
      const started = performance.now();
      state = applyRating(updater, state, dna, movie * DIM, rating);
      const updated = performance.now();
      if (i % 10 === 0) {
        topK(matVec(dna, DIM, state.vector), 10);
        updateAndRankMs.push(performance.now() - started);
      }
      updateMs.push(updated - started);
    }
  }
  updateMs.sort((a, b) => a - b);
  updateAndRankMs.sort((a, b) => a - b);
  const ms = (value: number) => Number(value.toFixed(4));
  return {
    name: 'taste update after one rating (residual updater, in-process)',
    context: { movies, dim: DIM, 'hidden units': UPDATER_DEFAULTS.hidden, rounds: ROUNDS, 'updates timed': updateMs.length },
    figures: {
      'update p50 ms': ms(percentile(updateMs, 0.5)),
      'update p99 ms': ms(percentile(updateMs, 0.99)),
      'update + full cosine ranking p50 ms': ms(percentile(updateAndRankMs, 0.5)),
      'update + full cosine ranking p99 ms': ms(percentile(updateAndRankMs, 0.99)),
    },
  };
};
