import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { seededRandom } from '../../src/math/random.js';
import { FAVORITE_RATING, TasteProfiles } from '../../src/profile/profiles.js';
import { applyRating, initialTaste, initialUpdaterWeights, type TasteUpdater } from '../../src/profile/updater.js';
import { exactMovieIndex } from '../../src/recommend/candidates.js';
import { DnaTable } from '../../src/recommend/dna-table.js';

/** Movies 10 and 11 lie along x, 20 and 21 along y, 30 along z. */
const DNA = new DnaTable([10, 11, 20, 21, 30], Float32Array.from([1, 0, 0, 0.9, 0.1, 0, 0, 1, 0, 0.1, 0.9, 0, 0, 0, 1]), 3);
const index = exactMovieIndex(DNA);
const ranked = (taste: Float32Array, exclude: number[] = []) => index.search(taste, 5, new Set(exclude)).map((neighbour) => neighbour.id);

const updater: TasteUpdater = { dim: 3, weights: initialUpdaterWeights(3, 8, 0.5, seededRandom(1)), start: Float32Array.from([0, 0, 1]), maxStep: 1 };

describe('taste profiles in the movie DNA', () => {
  const profiles = new TasteProfiles(DNA, updater);

  it('makes a taste from one rating: a loved movie brings its neighbour up, a hated one sends it down', () => {
    const loved = profiles.historyTaste([{ movieId: 10, rating: 5, timestamp: 1 }], 'weighted')!;
    expect(ranked(loved, [10])[0]).toBe(11);
    const hated = profiles.historyTaste([{ movieId: 10, rating: 0.5, timestamp: 1 }], 'weighted')!;
    expect(ranked(hated).at(-1)).toBe(10);
    // The updater moves from where every taste starts (here, toward movie 30) by one step.
    const start = initialTaste(updater).vector;
    const at11 = (taste: Float32Array) => DNA.cosine(taste, 11);
    expect(at11(profiles.historyTaste([{ movieId: 10, rating: 5, timestamp: 1 }], 'updater')!)).toBeGreaterThan(at11(start) + 0.1);
    expect(at11(profiles.historyTaste([{ movieId: 10, rating: 0.5, timestamp: 1 }], 'updater')!)).toBeLessThan(at11(start) - 0.1);
  });

  it('reads a history in time order, whatever order it comes in, as rating it online would', () => {
    const history = [
      { movieId: 20, rating: 5, timestamp: 2 },
      { movieId: 10, rating: 5, timestamp: 1 },
    ];
    const inOrder = profiles.historyTaste([history[1]!, history[0]!], 'updater');
    expect(profiles.historyTaste(history, 'updater')).toEqual(inOrder);
    const online = [10, 20].reduce((state, movieId) => applyRating(updater, state, DNA.vectors, DNA.row(movieId)! * 3, 5), initialTaste(updater));
    expect(Array.from(inOrder!)).toEqual(Array.from(online.vector));
    // A user's next call continues from the taste already replayed, and gives the same.
    expect(profiles.updaterTaste(history, 7)).toEqual(profiles.updaterTaste(history, 7));
  });

  it('turns favourites into ratings of 5, and names favourites it has no DNA for', () => {
    expect(profiles.favoritesHistory([20, 21])).toEqual([
      { movieId: 20, rating: FAVORITE_RATING, timestamp: 0 },
      { movieId: 21, rating: FAVORITE_RATING, timestamp: 1 },
    ]);
    expect(() => profiles.favoritesHistory([20, 99])).toThrow(new UsageError('no movie DNA for movie 99: expected movie ids from the catalog'));
    expect(() => profiles.favoritesHistory([])).toThrow(/expected at least one favourite movie/);
  });

  it('has no taste for a history of unknown movies, and says what a free-text taste and an updater taste need', async () => {
    expect(profiles.historyTaste([{ movieId: 99, rating: 5, timestamp: 1 }], 'updater')).toBeNull();
    await expect(profiles.sentenceTaste('space opera')).rejects.toThrow(/free-text tastes need the text encoders/);
    expect(() => new TasteProfiles(DNA, null).historyTaste([{ movieId: 10, rating: 5, timestamp: 1 }], 'updater')).toThrow(/run `reelsense train updater`/);
  });
});
