import { describe, expect, it } from 'vitest';
import { emptyInteractions, interactionsFingerprint, interactionsFromRatings, ratingsOf } from '../../src/interactions.js';
import { openStore } from '../../src/store/open.js';
import type { Store, VectorRows, VectorSpace } from '../../src/store/store.js';
import { VectorInputError } from '../../src/store/vectors.js';
import { movie, randomVectors, smallDataset } from '../support/datasets.js';
import { closing, STORE_TARGETS } from '../support/stores.js';

/** The fingerprint of the ratings a producer was fitted on: the small dataset's, and the same without its last rating. */
const ALL_RATINGS = interactionsFingerprint(smallDataset().ratings);
const FEWER_RATINGS = interactionsFingerprint(interactionsFromRatings(ratingsOf(smallDataset().ratings).slice(0, -1)));

/** A text encoder uses no ratings; a taste profile is fitted on them. */
const TEXT: VectorSpace = { owner: 'movie', kind: 'text', producer: 'minilm-l6', version: '1', dim: 8, trainedOn: null };
const TASTE: VectorSpace = { owner: 'user', kind: 'taste', producer: 'profile', version: '1', dim: 8, trainedOn: ALL_RATINGS };

/** Row i of row-major vectors. */
const row = (rows: VectorRows, i: number, dim: number) => Array.from(rows.vectors.subarray(i * dim, (i + 1) * dim));

/** Brute-force cosine ranking in float64, written independently of the stores: the reference for nearest. */
function referenceNearest(rows: VectorRows, dim: number, query: Float32Array, k: number, exclude: number[] = []) {
  const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0));
  return rows.ids
    .map((id, i) => {
      const v = rows.vectors.subarray(i * dim, (i + 1) * dim);
      const dot = v.reduce((sum, x, j) => sum + x * query[j]!, 0);
      return { id, similarity: dot / (norm(v) * norm(query)) };
    })
    .filter(({ id }) => !exclude.includes(id))
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    .slice(0, k);
}

/** A store holding `count` catalog movies with ids 1…count (plus the small dataset's users). */
async function storeWithMovies(db: string, count: number): Promise<Store> {
  const store = await openStore(db);
  const dataset = smallDataset();
  dataset.movies = Array.from({ length: count }, (_, i) => movie(i + 1));
  dataset.ratings = emptyInteractions();
  dataset.tags = [];
  await store.importDataset(dataset);
  return store;
}

describe.each(STORE_TARGETS)('vectors on $backend', (target) => {
  it('writes and reads back float32 vectors exactly, with content hashes, ascending by id', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 20), async (store) => {
      const rows = { ...randomVectors([7, 3, 12, 1], TEXT.dim), contentHashes: ['h7', null, 'h12', 'h1'] };
      rows.vectors[0] = 1e-30;
      rows.vectors[1] = -3.4e38;
      expect(await store.writeVectors(TEXT, rows)).toEqual({ inserted: 4, updated: 0, unchanged: 0, removed: 0 });

      const set = await store.readVectors(TEXT);
      expect(set!.ids).toEqual([1, 3, 7, 12]);
      expect(set!.contentHashes).toEqual(['h1', null, 'h7', 'h12']);
      const order = [3, 1, 0, 2];
      order.forEach((from, to) => expect(row(set!, to, TEXT.dim)).toEqual(row(rows, from, TEXT.dim)));
      expect(set!.space).toMatchObject({ ...TEXT, count: 4 });
      expect(Date.parse(set!.space.updatedAt)).toBeGreaterThan(Date.now() - 600_000);

      const some = await store.readVectors(TEXT, [12, 3, 99]);
      expect(some!.ids).toEqual([3, 12]);
      expect(row(some!, 1, TEXT.dim)).toEqual(row(rows, 2, TEXT.dim));
      expect(some!.space.count).toBe(4);
      expect(await store.readVectors({ ...TEXT, producer: 'other' })).toBeNull();
    });
  });

  it('upserts: same vectors unchanged, a changed vector or hash updated, new ids inserted', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 20), async (store) => {
      const rows = randomVectors([1, 2, 3], TEXT.dim);
      await store.writeVectors(TEXT, rows);
      expect(await store.writeVectors(TEXT, rows)).toEqual({ inserted: 0, updated: 0, unchanged: 3, removed: 0 });

      const next = randomVectors([1, 2, 3, 4], TEXT.dim, 2);
      next.vectors.set(rows.vectors.subarray(0, 2 * TEXT.dim));
      next.contentHashes = [null, 'new hash', null, null];
      expect(await store.writeVectors(TEXT, next)).toEqual({ inserted: 1, updated: 2, unchanged: 1, removed: 0 });
      const set = await store.readVectors(TEXT);
      expect(set!.contentHashes).toEqual([null, 'new hash', null, null]);
      expect(row(set!, 2, TEXT.dim)).toEqual(row(next, 2, TEXT.dim));
    });
  });

  it('another producer version or dimension replaces every vector of the space; `replace` drops the unwritten', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 20), async (store) => {
      await store.writeVectors(TEXT, randomVectors([1, 2, 3, 4, 5], TEXT.dim));
      await store.writeVectors(TASTE, randomVectors([1, 2], TASTE.dim));

      expect(await store.writeVectors({ ...TEXT, version: '2' }, randomVectors([1, 2], TEXT.dim))).toEqual({ inserted: 2, updated: 0, unchanged: 0, removed: 5 });
      expect(await store.readVectors(TEXT)).toMatchObject({ ids: [1, 2], space: { version: '2', count: 2 } });

      const wide = { ...TEXT, version: '2', dim: 16 };
      expect(await store.writeVectors(wide, randomVectors([3], 16))).toMatchObject({ inserted: 1, removed: 2 });
      expect(await store.readVectors(TEXT)).toMatchObject({ ids: [3], space: { dim: 16 } });

      const four = randomVectors([1, 2, 3, 4], 16);
      await store.writeVectors(wide, four);
      const secondAndFourth = { ids: [2, 4], vectors: Float32Array.from([...row(four, 1, 16), ...row(four, 3, 16)]) };
      expect(await store.writeVectors(wide, secondAndFourth, { replace: true })).toEqual({ inserted: 0, updated: 0, unchanged: 2, removed: 2 });
      expect((await store.readVectors(TEXT))!.ids).toEqual([2, 4]);
      // Single vectors go by id; ids that are not there, or a space that is not, remove nothing.
      expect(await store.deleteVectors(TEXT, [4, 99])).toBe(1);
      expect((await store.readVectors(TEXT))!.ids).toEqual([2]);
      expect(await store.deleteVectors({ ...TEXT, producer: 'nope' }, [2])).toBe(0);
      await store.writeVectors(wide, { ids: [4], vectors: Float32Array.from(row(four, 3, 16)) });

      // The other space was not touched.
      expect(await store.listVectorSpaces()).toEqual([
        expect.objectContaining({ owner: 'movie', kind: 'text', producer: 'minilm-l6', version: '2', dim: 16, count: 2 }),
        expect.objectContaining({ owner: 'user', kind: 'taste', producer: 'profile', version: '1', dim: 8, count: 2 }),
      ]);
      expect(await store.deleteVectorSpace(TEXT)).toBe(true);
      expect(await store.deleteVectorSpace(TEXT)).toBe(false);
      expect((await store.listVectorSpaces()).map((space) => space.kind)).toEqual(['taste']);
      // A deleted space can be made again from scratch.
      expect(await store.writeVectors(TEXT, randomVectors([1], TEXT.dim))).toMatchObject({ inserted: 1, removed: 0 });
    });
  });

  it('vectors fitted on other ratings replace the whole space, which records the ratings it was fitted on', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 5), async (store) => {
      await store.writeVectors(TEXT, randomVectors([1, 2, 3], TEXT.dim));
      await store.writeVectors(TASTE, randomVectors([1, 2], TASTE.dim));
      expect(await store.readVectors(TASTE)).toMatchObject({ space: { trainedOn: ALL_RATINGS, count: 2 } });

      const refitted = { ...TASTE, trainedOn: FEWER_RATINGS };
      expect(await store.writeVectors(refitted, randomVectors([3], TASTE.dim))).toEqual({ inserted: 1, updated: 0, unchanged: 0, removed: 2 });
      expect(await store.readVectors(TASTE)).toMatchObject({ ids: [3], space: { trainedOn: FEWER_RATINGS, count: 1 } });
      expect(await store.writeVectors(refitted, randomVectors([1], TASTE.dim))).toMatchObject({ inserted: 1, removed: 0 });

      // Fitted on no ratings, then on some: the space is replaced too.
      expect(await store.writeVectors({ ...TEXT, trainedOn: ALL_RATINGS }, randomVectors([4], TEXT.dim))).toMatchObject({ inserted: 1, removed: 3 });
      expect(await store.listVectorSpaces()).toEqual([
        expect.objectContaining({ kind: 'text', trainedOn: ALL_RATINGS, count: 1 }),
        expect.objectContaining({ kind: 'taste', trainedOn: FEWER_RATINGS, count: 2 }),
      ]);
      await expect(store.writeVectors({ ...TASTE, trainedOn: ' ' }, randomVectors([1], TASTE.dim))).rejects.toThrow(
        /vectors user\/taste\/profile: trainedOn must be the fingerprint of the ratings the producer was fitted on, or null, got " "/,
      );
    });
  });

  it('rejects vectors of movies or users that do not exist, and writes none of them', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 5), async (store) => {
      await expect(store.writeVectors(TEXT, randomVectors([1, 9, 2, 8], TEXT.dim))).rejects.toThrow(
        new VectorInputError('vectors movie/text/minilm-l6: 2 id(s) not in movies: 8, 9'),
      );
      await expect(store.writeVectors(TASTE, randomVectors([1, 4], TASTE.dim))).rejects.toThrow(/vectors user\/taste\/profile: 1 id\(s\) not in users: 4/);
      expect(await store.listVectorSpaces()).toEqual([]);

      await store.writeVectors(TEXT, randomVectors([1], TEXT.dim));
      await expect(store.writeVectors({ ...TEXT, version: '2' }, randomVectors([2, 6], TEXT.dim))).rejects.toThrow(VectorInputError);
      expect(await store.readVectors(TEXT)).toMatchObject({ ids: [1], space: { version: '1' } });
    });
  });

  it.each<[string, (rows: VectorRows) => VectorRows, RegExp]>([
    ['a NaN', (rows) => ((rows.vectors[3] = Number.NaN), rows), /row 0 \(id 1\): value 3 is NaN/],
    ['an all-zero vector', (rows) => (rows.vectors.fill(0, 8, 16), rows), /row 1 \(id 2\) is all zeros/],
    ['too few values', (rows) => ({ ...rows, vectors: rows.vectors.subarray(1) }), /expected 2 × 8 = 16 values for 2 ids, got 15/],
    ['a repeated id', (rows) => ({ ...rows, ids: [2, 2] }), /row 1: id 2 appears twice/],
    ['a non-integer id', (rows) => ({ ...rows, ids: [1, 2.5] }), /row 1: id must be a positive integer, got 2.5/],
    ['a hash count that does not match', (rows) => ({ ...rows, contentHashes: ['a'] }), /1 content hashes for 2 ids/],
  ])('rejects %s with a VectorInputError naming the row', async (_, breakIt, message) => {
    await closing(await storeWithMovies(await target.freshTarget(), 5), async (store) => {
      const error = await store.writeVectors(TEXT, breakIt(randomVectors([1, 2], TEXT.dim))).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VectorInputError);
      expect((error as Error).message).toMatch(message);
      expect(await store.listVectorSpaces()).toEqual([]);
    });
  });

  it('rejects bad space names and dimensions', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 5), async (store) => {
      const rows = randomVectors([1], 8);
      await expect(store.writeVectors({ ...TEXT, kind: 'Text; DROP TABLE movies' }, rows)).rejects.toThrow(/vector kind must be lowercase/);
      await expect(store.writeVectors({ ...TEXT, version: ' ' }, rows)).rejects.toThrow(/the producer version is empty/);
      await expect(store.writeVectors({ ...TEXT, dim: 0 }, randomVectors([], 0))).rejects.toThrow(/dimension must be an integer from 1 to 16000/);
      await expect(store.readVectors({ ...TEXT, owner: 'cat' as 'movie' })).rejects.toThrow(/vector owner must be 'movie' or 'user'/);
    });
  });

  it('nearest neighbours: exact search matches a brute-force reference, with exclusions', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 300), async (store) => {
      const ids = Array.from({ length: 300 }, (_, i) => i + 1);
      const rows = randomVectors(ids, TEXT.dim, 7);
      await store.writeVectors(TEXT, rows);
      const query = randomVectors([1], TEXT.dim, 99).vectors;
      const expected = referenceNearest(rows, TEXT.dim, query, 10);
      const exact = await store.nearestVectors(TEXT, query, 10, { exact: true });
      expect(exact.map((n) => n.id)).toEqual(expected.map((n) => n.id));
      exact.forEach((n, i) => expect(n.similarity).toBeCloseTo(expected[i]!.similarity, 5));

      const exclude = expected.slice(0, 5).map((n) => n.id);
      const withoutTop = await store.nearestVectors(TEXT, query, 10, { exact: true, exclude });
      expect(withoutTop.map((n) => n.id)).toEqual(referenceNearest(rows, TEXT.dim, query, 10, exclude).map((n) => n.id));

      // A movie's own vector is its nearest neighbour, with similarity 1.
      const self = await store.nearestVectors(TEXT, rows.vectors.slice(41 * TEXT.dim, 42 * TEXT.dim), 1);
      expect(self[0]!.id).toBe(42);
      expect(self[0]!.similarity).toBeCloseTo(1, 5);
      expect(await store.nearestVectors(TEXT, query, 500, { exact: true })).toHaveLength(300);
    });
  });

  it('nearest neighbours: the index search agrees with the exact one, also when many ids are excluded', async () => {
    const count = 2_000;
    const dim = 32;
    const space = { ...TEXT, dim };
    await closing(await storeWithMovies(await target.freshTarget(), count), async (store) => {
      const ids = Array.from({ length: count }, (_, i) => i + 1);
      const rows = randomVectors(ids, dim, 3);
      await store.writeVectors(space, rows);
      let found = 0;
      const queries = 20;
      for (let q = 0; q < queries; q++) {
        const query = randomVectors([1], dim, 1000 + q).vectors;
        const exact = await store.nearestVectors(space, query, 10, { exact: true });
        const approximate = await store.nearestVectors(space, query, 10);
        expect(approximate).toHaveLength(10);
        found += approximate.filter((n) => exact.some((e) => e.id === n.id)).length;
      }
      expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.95);

      // Excluding the 300 nearest still returns k results, none of them excluded (iterative index scans).
      const query = randomVectors([1], dim, 5).vectors;
      const exclude = (await store.nearestVectors(space, query, 300, { exact: true })).map((n) => n.id);
      const filtered = await store.nearestVectors(space, query, 10, { exclude });
      expect(filtered).toHaveLength(10);
      expect(filtered.filter((n) => exclude.includes(n.id))).toEqual([]);
      const filteredExact = await store.nearestVectors(space, query, 10, { exclude, exact: true });
      expect(filtered.filter((n) => filteredExact.some((e) => e.id === n.id)).length).toBeGreaterThanOrEqual(8);
    });
  });

  it('nearest neighbours see vectors that another connection wrote meanwhile', async () => {
    const db = await target.freshTarget();
    await closing(await storeWithMovies(db, 50), async (reader) => {
      const rows = randomVectors(
        Array.from({ length: 50 }, (_, i) => i + 1),
        TEXT.dim,
        11,
      );
      await reader.writeVectors(TEXT, rows);
      const query = randomVectors([1], TEXT.dim, 12).vectors;
      expect((await reader.nearestVectors(TEXT, query, 1))[0]!.id).not.toBe(50);
      await closing(await openStore(db), (writer) => writer.writeVectors(TEXT, { ids: [50], vectors: query }));
      expect(await reader.nearestVectors(TEXT, query, 1)).toEqual([{ id: 50, similarity: expect.closeTo(1, 5) as number }]);
      await reader.writeVectors(TEXT, { ids: [49], vectors: query.map((x) => 2 * x) });
      expect((await reader.nearestVectors(TEXT, query, 2)).map((n) => n.id).sort()).toEqual([49, 50]);
    });
  });

  it('nearest neighbours: unknown spaces and bad queries are errors', async () => {
    await closing(await storeWithMovies(await target.freshTarget(), 5), async (store) => {
      await store.writeVectors(TEXT, randomVectors([1, 2], TEXT.dim));
      const query = randomVectors([1], TEXT.dim).vectors;
      await expect(store.nearestVectors({ ...TEXT, kind: 'image' }, query, 1)).rejects.toThrow(/no vector space movie\/image\/minilm-l6/);
      await expect(store.nearestVectors(TEXT, query.subarray(1), 1)).rejects.toThrow(/query has 7 values, the space has dimension 8/);
      await expect(store.nearestVectors(TEXT, new Float32Array(8), 1)).rejects.toThrow(/not all zeros/);
      await expect(store.nearestVectors(TEXT, query, 0)).rejects.toThrow(/k must be a positive integer/);
    });
  });
});
