import { describe, expect, it } from 'vitest';
import { ExactIndex } from '../../src/index/exact.js';
import type { NearestIndex } from '../../src/index/nearest.js';
import { randomVectors } from '../support/datasets.js';

/** Brute-force cosine ranking in float64, written independently of the index: the reference. */
function referenceNearest(ids: number[], vectors: Float32Array, dim: number, query: Float32Array, k: number, exclude: number[] = []) {
  const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0));
  return ids
    .map((id, i) => {
      const v = vectors.subarray(i * dim, (i + 1) * dim);
      return { id, similarity: v.reduce((sum, x, j) => sum + x * query[j]!, 0) / (norm(v) * norm(query)) };
    })
    .filter(({ id }) => !exclude.includes(id))
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    .slice(0, k);
}

describe('exact nearest-neighbour index', () => {
  const dim = 16;
  const ids = Array.from({ length: 500 }, (_, i) => 3 * i + 1);
  const { vectors } = randomVectors(ids, dim, 5);
  const index: NearestIndex = new ExactIndex(ids, vectors, dim);

  it('matches a brute-force reference, best first, with exclusions', async () => {
    for (let q = 0; q < 5; q++) {
      const query = randomVectors([1], dim, 100 + q).vectors;
      const expected = referenceNearest(ids, vectors, dim, query, 10);
      const found = await index.nearest(query, 10);
      expect(found.map((n) => n.id)).toEqual(expected.map((n) => n.id));
      found.forEach((n, i) => expect(n.similarity).toBeCloseTo(expected[i]!.similarity, 6));

      const exclude = [...expected.slice(0, 4).map((n) => n.id), 99_999];
      expect((await index.nearest(query, 10, { exclude })).map((n) => n.id)).toEqual(referenceNearest(ids, vectors, dim, query, 10, exclude).map((n) => n.id));
    }
  });

  it('finds a vector itself first, returns at most every vector, and breaks ties by the lower id', async () => {
    const self = await index.nearest(vectors.slice(41 * dim, 42 * dim), 1);
    expect(self).toEqual([{ id: ids[41], similarity: expect.closeTo(1, 6) as number }]);
    expect(await index.nearest(randomVectors([1], dim, 9).vectors, 10_000)).toHaveLength(ids.length);

    const twins = new ExactIndex([4, 7, 9], Float32Array.from([1, 0, 2, 0, 0, 1]), 2);
    expect(await twins.nearest(Float32Array.from([1, 0]), 3)).toEqual([
      { id: 4, similarity: 1 },
      { id: 7, similarity: 1 },
      { id: 9, similarity: 0 },
    ]);
  });
});
