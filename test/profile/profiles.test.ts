import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { FAVORITE_RATING, TasteProfiles } from '../../src/profile/profiles.js';
import { applyRating, initialTaste, initialUpdaterWeights, type TasteUpdater } from '../../src/profile/updater.js';
import type { VectorSet } from '../../src/store/store.js';

/** Movies 10 and 11 lie along x, 20 and 21 along y, 30 along z. */
const DNA: VectorSet = {
  ids: [10, 11, 20, 21, 30],
  vectors: Float32Array.from([1, 0, 0, 0.9, 0.1, 0, 0, 1, 0, 0.1, 0.9, 0, 0, 0, 1]),
  contentHashes: [null, null, null, null, null],
  space: { owner: 'movie', kind: 'dna', producer: 'fusion', version: '3-test', dim: 3, trainedOn: null, count: 5, updatedAt: new Date(0).toISOString() },
};

const updater: TasteUpdater = { dim: 3, weights: initialUpdaterWeights(3, 8, 0.5, seededRandom(1)), start: Float32Array.from([0, 0, 1]), maxStep: 1 };

describe('taste profiles in the movie DNA', () => {
  const profiles = new TasteProfiles(DNA, updater);

  it('makes a taste from one rating: a loved movie brings its neighbour up, a hated one sends it down', () => {
    const score = (taste: Float32Array, movieId: number) => profiles.nearest(taste, 5).find((item) => item.movieId === movieId)!.score;
    const loved = profiles.historyTaste([{ movieId: 10, rating: 5, timestamp: 1 }], 'weighted')!;
    expect(profiles.nearest(loved, 4, new Set([10]))[0]!.movieId).toBe(11);
    const hated = profiles.historyTaste([{ movieId: 10, rating: 0.5, timestamp: 1 }], 'weighted')!;
    expect(profiles.nearest(hated, 5).at(-1)!.movieId).toBe(10);
    // The updater moves from where every taste starts (here, toward movie 30) by one step.
    const start = initialTaste(updater).vector;
    expect(score(profiles.historyTaste([{ movieId: 10, rating: 5, timestamp: 1 }], 'updater')!, 11)).toBeGreaterThan(score(start, 11) + 0.1);
    expect(score(profiles.historyTaste([{ movieId: 10, rating: 0.5, timestamp: 1 }], 'updater')!, 11)).toBeLessThan(score(start, 11) - 0.1);
  });

  it('reads a history in time order, whatever order it comes in', () => {
    const history = [
      { movieId: 20, rating: 5, timestamp: 2 },
      { movieId: 10, rating: 5, timestamp: 1 },
    ];
    const inOrder = profiles.historyTaste([history[1]!, history[0]!], 'updater');
    expect(profiles.historyTaste(history, 'updater')).toEqual(inOrder);
    // The updater replays the ratings one by one: the same as rating them online.
    const online = profiles.rate(profiles.rate(initialTaste(updater), 10, 5), 20, 5);
    expect(Array.from(inOrder!)).toEqual(Array.from(online.vector));
  });

  it('starts from favourites as ratings of 5, and names favourites it has no DNA for', () => {
    const taste = profiles.favoritesTaste([20, 21], 'updater');
    const expected = [20, 21].reduce(
      (state, movieId) => applyRating(updater, state, normaliseRows(DNA.vectors.slice(), 3), DNA.ids.indexOf(movieId) * 3, FAVORITE_RATING),
      initialTaste(updater),
    );
    expect(Array.from(taste)).toEqual(Array.from(expected.vector));
    expect(() => profiles.favoritesTaste([20, 99], 'weighted')).toThrow(new UsageError('no movie DNA for movie 99: expected movie ids from the catalog'));
  });

  it('has no taste for a history of unknown movies, and says what a free-text taste needs', async () => {
    expect(profiles.historyTaste([{ movieId: 99, rating: 5, timestamp: 1 }], 'updater')).toBeNull();
    await expect(profiles.sentenceTaste('space opera')).rejects.toThrow(/free-text tastes need the text encoders/);
    expect(() => new TasteProfiles(DNA, null).historyTaste([{ movieId: 10, rating: 5, timestamp: 1 }], 'updater')).toThrow(/run `reelsense train updater`/);
  });
});
