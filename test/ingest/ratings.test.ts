import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { checkRatings, distinctIds, readRatings, RowLines, type LocatedRatings } from '../../src/ingest/ratings.js';
import { tempDir } from '../support/tmp.js';

const HEADER = ['userId', 'movieId', 'rating', 'timestamp'];

/** Ratings as rows [userId, movieId], each on line 10 + its index. */
function located(pairs: [number, number][]): LocatedRatings {
  const lines = new RowLines();
  pairs.forEach((_, row) => lines.add(row, 10 + row));
  return { file: 'r.csv', interactions: interactionsFromRatings(pairs.map(([userId, movieId]) => ({ userId, movieId, rating: 3, timestamp: 1 }))), lines };
}

describe('ratings as columns', () => {
  it('reads a ratings file into typed arrays with the line of each row', async () => {
    const path = join(tempDir(), 'ratings.csv');
    writeFileSync(path, 'userId,movieId,rating,timestamp\n7,3,4.5,100\n\n7,2,0.5,1700000000000\n');
    const { interactions, lines } = await readRatings(path, HEADER);
    expect(interactions.users).toEqual(Int32Array.from([7, 7]));
    expect(interactions.movies).toEqual(Int32Array.from([3, 2]));
    expect(interactions.ratings).toEqual(Float32Array.from([4.5, 0.5]));
    expect(interactions.timestamps).toEqual(Float64Array.from([100, 1_700_000_000_000]));
    expect([0, 1].map((row) => lines.lineOf(row))).toEqual([2, 4]);
  });

  it('keeps the line of every row as breakpoints where the gap between rows and lines changes', () => {
    const lines = new RowLines();
    const expected = [2, 3, 4, 7, 8, 9, 12, 13];
    expected.forEach((line, row) => lines.add(row, line));
    expect(expected.map((_, row) => lines.lineOf(row))).toEqual(expected);
  });

  it('grows its columns when the file has more rows than its size suggested', async () => {
    const path = join(tempDir(), 'ratings.csv');
    const count = 5_000;
    writeFileSync(path, `userId,movieId,rating,timestamp\n${Array.from({ length: count }, (_, i) => `1,${i + 1},3,0`).join('\n')}\n`);
    const { interactions, lines } = await readRatings(path, HEADER);
    expect(interactions.movies).toEqual(Int32Array.from({ length: count }, (_, i) => i + 1));
    expect(lines.lineOf(count - 1)).toBe(count + 1);
  });

  it('rejects an id that does not fit 32 bits, naming the line and field', async () => {
    const path = join(tempDir(), 'ratings.csv');
    writeFileSync(path, 'userId,movieId,rating,timestamp\n1,2,3,4\n1,2147483648,3,4\n');
    await expect(readRatings(path, HEADER)).rejects.toThrow(
      new InputError({ file: path, line: 3, field: 'movieId' }, 'expected a positive integer id up to 2147483647, got "2147483648"'),
    );
  });

  it('reports the first repeated (user, movie) pair in file order, with the line of its first occurrence', () => {
    // Pair (1, 5) repeats on the fifth row; pair (2, 9) repeats earlier, on the fourth, though it sorts later.
    const ratings = located([
      [2, 9],
      [1, 5],
      [3, 1],
      [2, 9],
      [1, 5],
      [2, 9],
    ]);
    expect(() => checkRatings(ratings, new Set())).toThrow(new InputError({ file: 'r.csv', line: 13 }, 'duplicate rating for userId 2 and movieId 9, also at r.csv:10'));
  });

  it('reports an unknown movie or a duplicate, whichever comes first in the file', () => {
    expect(() =>
      checkRatings(
        located([
          [1, 5],
          [1, 5],
          [2, 404],
        ]),
        new Set([404]),
      ),
    ).toThrow(/^r\.csv:11: duplicate rating/);
    expect(() =>
      checkRatings(
        located([
          [1, 5],
          [2, 404],
          [1, 5],
        ]),
        new Set([404]),
      ),
    ).toThrow(new InputError({ file: 'r.csv', line: 11, field: 'movieId' }, 'movieId 404 is not in the catalog: expected a movie from movies.csv or the catalog'));
    expect(() =>
      checkRatings(
        located([
          [9, 1],
          [2, 1],
          [9, 2],
          [2_000_000_000, 1],
        ]),
        new Set(),
      ),
    ).not.toThrow();
  });

  it('lists distinct ids ascending', () => {
    expect(distinctIds(Int32Array.from([5, 3, 5, 70_000]), [3, 1])).toEqual(Int32Array.from([1, 3, 5, 70_000]));
  });
});
