import { describe, expect, it } from 'vitest';
import type { Rating } from '../src/domain.js';
import { interactionMatrix, interactionsFingerprint, interactionsFromRatings, ratingsOf, selectRows, sortedUnique } from '../src/interactions.js';
import { catalogMovie } from './eval/synthetic.js';

const ratings: Rating[] = [
  { userId: 2, movieId: 10, rating: 4, timestamp: 100 },
  { userId: 1, movieId: 30, rating: 2.5, timestamp: 50 },
  { userId: 2, movieId: 30, rating: 5, timestamp: 2_000_000_000_000 },
  { userId: 1, movieId: 10, rating: 0.5, timestamp: 60 },
];

describe('columnar interactions', () => {
  it('round-trips ratings and selects rows in the order given', () => {
    const interactions = interactionsFromRatings(ratings);
    expect(ratingsOf(interactions)).toEqual(ratings);
    expect(ratingsOf(selectRows(interactions, [3, 0]))).toEqual([ratings[3], ratings[0]]);
  });

  it('fingerprints a multiset: any order gives the same value, any changed field another', () => {
    const base = interactionsFingerprint(interactionsFromRatings(ratings));
    expect(base).toMatch(/^ratings:4:[0-9a-f]{32}$/);
    expect(interactionsFingerprint(interactionsFromRatings([...ratings].reverse()))).toBe(base);
    const changed = (patch: Partial<Rating>) => interactionsFingerprint(interactionsFromRatings([{ ...ratings[0]!, ...patch }, ...ratings.slice(1)]));
    for (const patch of [{ userId: 3 }, { movieId: 11 }, { rating: 4.5 }, { timestamp: 101 }]) expect(changed(patch), JSON.stringify(patch)).not.toBe(base);
    // A timestamp beyond 2^32 still counts in full (its high word is hashed too).
    expect(changed({ timestamp: 100 + 2 ** 33 })).not.toBe(base);
    expect(interactionsFingerprint(interactionsFromRatings(ratings.slice(1)))).not.toBe(base);
  });

  it('builds the user × movie matrix over the whole catalog, rows sorted by column', () => {
    const matrix = interactionMatrix([catalogMovie(10), catalogMovie(20), catalogMovie(30)], interactionsFromRatings(ratings));
    expect(Array.from(matrix.movieIds)).toEqual([10, 20, 30]);
    expect(Array.from(matrix.userIds)).toEqual([1, 2]);
    expect(Array.from(matrix.byUser.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(matrix.byUser.indices)).toEqual([0, 2, 0, 2]);
    expect(Array.from(matrix.byUser.values)).toEqual([0.5, 2.5, 4, 5]);
    expect(Array.from(matrix.byMovie.indptr)).toEqual([0, 2, 2, 4]);
  });

  it('lists distinct values ascending', () => {
    expect(Array.from(sortedUnique(Int32Array.of(5, 1, 5), Int32Array.of(3, 1)))).toEqual([1, 3, 5]);
    expect(Array.from(sortedUnique(new Int32Array(0)))).toEqual([]);
  });
});
