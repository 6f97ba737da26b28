import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/math/random.js';
import { countingSort, identityOrder, lexicographicOrder } from '../../src/math/sort.js';
import { csrFromTriplets } from '../../src/math/sparse.js';

const randomInts = (n: number, below: number, seed: number) => {
  const random = seededRandom(seed);
  return Int32Array.from({ length: n }, () => Math.floor(random() * below));
};

describe('linear-time sorts', () => {
  it('counting sort is stable', () => {
    const digits = Int32Array.from([2, 0, 2, 1, 0]);
    expect(Array.from(countingSort(identityOrder(5), digits, 3))).toEqual([1, 4, 3, 0, 2]);
  });

  it('orders by several keys like a comparator sort, ties by index, for keys of one and two 16-bit digits', () => {
    const n = 20_000;
    const users = randomInts(n, 300, 1);
    const movies = randomInts(n, 2 ** 31 - 1, 2);
    movies.fill(7, 0, 50); // some ties on both keys
    users.fill(3, 0, 50);
    const expected = Array.from(identityOrder(n)).sort((a, b) => users[a]! - users[b]! || movies[a]! - movies[b]! || a - b);
    expect(Array.from(lexicographicOrder(users, movies))).toEqual(expected);
    expect(Array.from(lexicographicOrder(new Int32Array(0)))).toEqual([]);
  });

  it('builds a CSR matrix with every row sorted by column from triplets in any order', () => {
    const n = 5_000;
    const rows = randomInts(n, 40, 3);
    const cols = randomInts(n, 70_000, 4);
    const values = Float32Array.from({ length: n }, (_, i) => i);
    const matrix = csrFromTriplets(40, 70_000, rows, cols, values);
    for (let r = 0; r < 40; r++) {
      const expected = Array.from(identityOrder(n))
        .filter((i) => rows[i] === r)
        .sort((a, b) => cols[a]! - cols[b]! || a - b);
      const from = matrix.indptr[r]!;
      expect(Array.from(matrix.indices.subarray(from, matrix.indptr[r + 1]))).toEqual(expected.map((i) => cols[i]));
      expect(Array.from(matrix.values.subarray(from, matrix.indptr[r + 1]))).toEqual(expected.map((i) => values[i]));
    }
  });
});
