import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusteredVectors } from '../../bench/index.js';
import { readManifest } from '../../src/artifacts.js';
import { InputError } from '../../src/errors.js';
import { ExactIndex } from '../../src/index/exact.js';
import { HNSW_DEFAULTS, HnswIndex } from '../../src/index/hnsw.js';
import type { Neighbour } from '../../src/index/nearest.js';
import { tempDir } from '../support/tmp.js';

const DIM = 128;
const MOVIES = 3000;
const QUERIES = 100;
/** Movie ids with gaps, as in MovieLens: the index must key by id, not by row. */
const ids = Array.from({ length: MOVIES }, (_, row) => 7 * row + 3);
const data = clusteredVectors(MOVIES + QUERIES, DIM, 11);
const vectors = data.slice(0, MOVIES * DIM);
const queries = Array.from({ length: QUERIES }, (_, q) => data.subarray((MOVIES + q) * DIM, (MOVIES + q + 1) * DIM));
const rowOf = (id: number) => (id - 3) / 7;
const vectorOf = (id: number) => vectors.subarray(rowOf(id) * DIM, (rowOf(id) + 1) * DIM);

const exact = new ExactIndex(ids, vectors, DIM);
const index = HnswIndex.build(ids, vectors, DIM);

/** Share of the exact top-k that the approximate top-k found, over every query. */
function recall(found: Neighbour[][], truth: Neighbour[][]): number {
  let hits = 0;
  let total = 0;
  found.forEach((list, q) => {
    const ids = new Set(list.map((neighbour) => neighbour.id));
    hits += truth[q]!.filter((neighbour) => ids.has(neighbour.id)).length;
    total += truth[q]!.length;
  });
  return hits / total;
}

describe('HNSW index', () => {
  it('finds at least 98% of the exact top 100 by cosine, best first, with the exact similarities', async () => {
    const truth = await Promise.all(queries.map((query) => exact.nearest(query, 100)));
    const found = queries.map((query) => index.search(query, 100));
    expect(recall(found, truth)).toBeGreaterThanOrEqual(0.98);
    const exactSimilarity = new Map(truth[0]!.map((neighbour) => [neighbour.id, neighbour.similarity]));
    for (const neighbour of found[0]!) if (exactSimilarity.has(neighbour.id)) expect(neighbour.similarity).toBeCloseTo(exactSimilarity.get(neighbour.id)!, 5);
    for (const list of found) for (let i = 1; i < list.length; i++) expect(list[i]!.similarity).toBeLessThanOrEqual(list[i - 1]!.similarity);
    // The async interface answers the same, and k above the catalog returns every movie.
    expect(await index.nearest(queries[0]!, 100)).toEqual(found[0]);
    expect(index.search(queries[1]!, MOVIES + 50)).toHaveLength(MOVIES);
  });

  it('still returns k when most of the catalog is excluded, and never an excluded id', async () => {
    for (const query of queries.slice(0, 10)) {
      const nearest = index.search(query, 100).map((neighbour) => neighbour.id);
      const excluded = new Set(nearest.slice(0, 60));
      const kept = index.search(query, 100, excluded);
      expect(kept).toHaveLength(100);
      expect(kept.some((neighbour) => excluded.has(neighbour.id))).toBe(false);
      expect(recall([kept], [await exact.nearest(query, 100, { exclude: [...excluded] })])).toBeGreaterThanOrEqual(0.95);
      expect(await index.nearest(query, 100, { exclude: [...excluded] })).toEqual(kept);

      // Three movies in four excluded by a test: still 100, all from the quarter left, as the exact scan finds them.
      const skip = (id: number) => rowOf(id) % 4 !== 0;
      const quarter = index.search(query, 100, skip);
      expect(quarter).toHaveLength(100);
      expect(quarter.every((neighbour) => !skip(neighbour.id))).toBe(true);
      const truth = await exact.nearest(query, 100, { exclude: ids.filter(skip) });
      expect(recall([quarter], [truth])).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('moves a changed vector: found at its new place, gone from its old one', () => {
    const mutable = HnswIndex.build(ids.slice(0, 1000), vectors.subarray(0, 1000 * DIM), DIM);
    const moved = ids[10]!;
    const before = vectorOf(moved);
    expect(mutable.search(before, 1)[0]!.id).toBe(moved);
    // Its new vector: a query vector from elsewhere in the space.
    const after = queries[0]!;
    const fingerprint = mutable.fingerprint(moved);
    mutable.upsert(moved, after);
    expect(mutable.fingerprint(moved)).not.toBe(fingerprint);
    expect(mutable.size).toBe(1000);
    expect(mutable.search(after, 1)).toEqual([{ id: moved, similarity: expect.closeTo(1, 5) as number }]);
    const oldNeighbours = mutable.search(before, 10);
    expect(oldNeighbours.map((neighbour) => neighbour.id)).not.toContain(moved);
    // What it now scores at its old place is its new vector's cosine, as the exact scan says.
    const at = mutable.search(before, 1000).find((neighbour) => neighbour.id === moved)!;
    const cosine = before.reduce((sum, value, j) => sum + value * after[j]!, 0);
    expect(at.similarity).toBeCloseTo(cosine, 5);
  });

  it('never returns a removed movie, and takes it back when upserted again', () => {
    const mutable = HnswIndex.build(ids.slice(0, 1000), vectors.subarray(0, 1000 * DIM), DIM);
    const removed = ids[20]!;
    expect(mutable.remove(removed)).toBe(true);
    expect(mutable.remove(removed)).toBe(false);
    expect(mutable.has(removed)).toBe(false);
    expect(mutable.size).toBe(999);
    expect(mutable.deleted).toBe(1);
    const everything = mutable.search(vectorOf(removed), 1000);
    expect(everything).toHaveLength(999);
    expect(everything.map((neighbour) => neighbour.id)).not.toContain(removed);

    mutable.upsert(removed, vectorOf(removed));
    expect(mutable.search(vectorOf(removed), 1)[0]!.id).toBe(removed);
    expect([mutable.size, mutable.deleted]).toEqual([1000, 0]);
  });

  it('grows past the capacity it was built with', () => {
    const growing = HnswIndex.build(ids.slice(0, 10), vectors.subarray(0, 10 * DIM), DIM);
    for (const id of ids.slice(10, 500)) growing.upsert(id, vectorOf(id));
    expect(growing.size).toBe(500);
    for (const id of ids.slice(0, 500).filter((_, i) => i % 25 === 0)) expect(growing.search(vectorOf(id), 1)[0]!.id).toBe(id);
  });

  it('saves to an artifact directory and loads back answering exactly the same', async () => {
    const dir = join(tempDir(), 'index');
    const mutable = HnswIndex.build(ids.slice(0, 1000), vectors.subarray(0, 1000 * DIM), DIM, { ...HNSW_DEFAULTS, efSearch: 150 });
    mutable.remove(ids[5]!);
    mutable.upsert(ids[6]!, queries[3]!);
    await mutable.save(dir, { space: 'movie/dna/fusion', version: '3-abc', trainedOn: null });
    expect(readdirSync(dirname(dir))).toEqual(['index']);
    expect(existsSync(join(dir, 'graph.hnsw'))).toBe(true);
    const manifest = await readManifest(dir);
    expect(manifest).toMatchObject({ kind: 'index', name: 'movie-dna-hnsw', params: { m: 16, efConstruction: 200, efSearch: 150, dim: DIM }, metrics: { movies: 999 } });

    const loaded = await HnswIndex.load(dir);
    expect([loaded.size, loaded.deleted, loaded.dim, loaded.params]).toEqual([999, 1, DIM, mutable.params]);
    expect(loaded.has(ids[5]!)).toBe(false);
    expect(loaded.fingerprint(ids[6]!)).toBe(mutable.fingerprint(ids[6]!));
    for (const query of queries.slice(0, 20)) expect(loaded.search(query, 100)).toEqual(mutable.search(query, 100));
    // A loaded index takes updates like a built one, beyond the capacity it was saved with.
    loaded.upsert(ids[1500]!, vectorOf(ids[1500]!));
    expect(loaded.search(vectorOf(ids[1500]!), 1)[0]!.id).toBe(ids[1500]);
  });

  it('refuses a saved graph that does not match its manifest, naming the file', async () => {
    const dir = join(tempDir(), 'index');
    await HnswIndex.build(ids.slice(0, 50), vectors.subarray(0, 50 * DIM), DIM).save(dir);
    const graph = join(dir, 'graph.hnsw');
    writeFileSync(graph, readFileSync(graph).subarray(0, 1000));
    await expect(HnswIndex.load(dir)).rejects.toThrow(InputError);
    await expect(HnswIndex.load(dir)).rejects.toThrow(/graph\.hnsw: file "graph\.hnsw" does not match its manifest/);
  });

  it('answers nothing when empty', async () => {
    const empty = HnswIndex.build([], new Float32Array(0), DIM);
    expect(await empty.nearest(queries[0]!, 10)).toEqual([]);
    empty.upsert(5, queries[0]!);
    expect(empty.search(queries[0]!, 10).map((neighbour) => neighbour.id)).toEqual([5]);
  });
});
