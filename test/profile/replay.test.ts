import { describe, expect, it, vi } from 'vitest';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { TasteReplayer } from '../../src/profile/replay.js';
import { initialUpdaterWeights, type TasteUpdater } from '../../src/profile/updater.js';

const DIM = 8;
const MOVIES = 50;
const vectors = normaliseRows(gaussianMatrix(MOVIES, DIM, 1, seededRandom(1)), DIM);
const weights = initialUpdaterWeights(DIM, 16, 0.5, seededRandom(2));
weights.w2 = gaussianMatrix(16, DIM, 0.2, seededRandom(3));
const updater: TasteUpdater = { dim: DIM, weights, start: vectors.slice(0, DIM), maxStep: 1 };
const hasVector = new Uint8Array(MOVIES).fill(1);

function history(length: number, seed: number) {
  const random = seededRandom(seed);
  return {
    movies: Int32Array.from({ length }, () => Math.floor(random() * MOVIES)),
    ratings: Float32Array.from({ length }, () => 0.5 + 0.5 * Math.floor(random() * 10)),
  };
}

describe('replaying histories through the updater', () => {
  it('gives exactly a fresh replay’s taste, continuing or resuming from a checkpoint instead of starting over', () => {
    const replayer = new TasteReplayer(updater, vectors, hasVector);
    const fresh = (rows: ReturnType<typeof history>) => new TasteReplayer(updater, vectors, hasVector).taste(undefined, rows);
    const base = history(60, 4);
    expect(replayer.taste(7, base)).toEqual(fresh(base));
    const step = vi.spyOn(TasteReplayer.prototype, 'step');

    // Two more ratings at the end: two steps.
    const longer = { movies: Int32Array.of(...base.movies, 3, 9), ratings: Float32Array.of(...base.ratings, 5, 1) };
    expect(replayer.taste(7, longer)).toEqual(fresh(longer));
    expect(step.mock.calls.length - 60 - 2).toBe(2);
    step.mockClear();

    // A rating slotted in at position 40: resumed from the checkpoint after 32 ratings, not from the start.
    const slotted = {
      movies: Int32Array.of(...longer.movies.slice(0, 40), 11, ...longer.movies.slice(40)),
      ratings: Float32Array.of(...longer.ratings.slice(0, 40), 4, ...longer.ratings.slice(40)),
    };
    const expected = fresh(slotted);
    step.mockClear();
    expect(replayer.taste(7, slotted)).toEqual(expected);
    expect(step).toHaveBeenCalledTimes(slotted.movies.length - 32);
    step.mockClear();

    // A changed first rating replays everything; another user's history is theirs alone.
    const changed = { movies: slotted.movies, ratings: Float32Array.of(0.5, ...slotted.ratings.slice(1)) };
    const replayedChange = fresh(changed);
    step.mockClear();
    expect(replayer.taste(7, changed)).toEqual(replayedChange);
    expect(step).toHaveBeenCalledTimes(changed.movies.length);
    expect(replayer.taste(8, base)).toEqual(fresh(base));
    step.mockRestore();
  });
});
