import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { clusteredVectors } from '../../bench/index.js';
import { readManifest } from '../../src/artifacts.js';
import { indexReportText } from '../../src/cli/index-command.js';
import { UsageError } from '../../src/errors.js';
import { DNA_SPACE } from '../../src/fuse/dna.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { ExactIndex } from '../../src/index/exact.js';
import { HnswIndex } from '../../src/index/hnsw.js';
import { indexCatalog, indexDir, type IndexReport } from '../../src/index/stage.js';
import { silentProgress, type Progress } from '../../src/progress.js';
import { openStore } from '../../src/store/open.js';
import type { Store, VectorSpace } from '../../src/store/store.js';
import { movie } from '../support/datasets.js';
import { tempDir } from '../support/tmp.js';

const DIM = 64;
const MOVIES = 1200;
const SPACE: VectorSpace = { ...DNA_SPACE, version: '1', dim: DIM, trainedOn: null };
/** Movie ids with gaps; the last catalog movie has no DNA at first. */
const ids = Array.from({ length: MOVIES }, (_, row) => 5 * row + 2);
const newcomer = 5 * MOVIES + 2;
const vectors = clusteredVectors(MOVIES + 10, DIM, 4);

async function dnaStore(): Promise<Store> {
  const store = await openStore(join(tempDir(), 'index.db'));
  onTestFinished(() => store.close());
  await store.importDataset({ movies: [...ids, newcomer].map((id) => movie(id)), users: [], ratings: interactionsFromRatings([]), tags: [] });
  await store.writeVectors(SPACE, { ids, vectors: vectors.slice(0, MOVIES * DIM) });
  return store;
}

/** A progress that records each phase's label, total and ticks. */
function recordingProgress(): { progress: Progress; phases: { label: string; total: number; ticks: number; done: boolean }[] } {
  const phases: { label: string; total: number; ticks: number; done: boolean }[] = [];
  const progress: Progress = (label, total) => {
    const phase = { label, total, ticks: 0, done: false };
    phases.push(phase);
    return { tick: (count = 1) => void (phase.ticks += count), done: () => void (phase.done = true) };
  };
  return { progress, phases };
}

/** Recall@k of the saved index against the exact scan of the store's DNA, over movies' own vectors as queries. */
async function recallAgainstExact(store: Store, artifacts: string, k: number): Promise<number> {
  const dna = (await store.readVectors(DNA_SPACE))!;
  const exact = new ExactIndex(dna.ids, dna.vectors, DIM);
  const index = await HnswIndex.load(indexDir(artifacts));
  let hits = 0;
  for (let row = 0; row < dna.ids.length; row += 20) {
    const query = dna.vectors.subarray(row * DIM, (row + 1) * DIM);
    const found = new Set(index.search(query, k).map((neighbour) => neighbour.id));
    hits += (await exact.nearest(query, k)).filter((neighbour) => found.has(neighbour.id)).length;
  }
  return hits / (Math.ceil(dna.ids.length / 20) * k);
}

describe('index stage', () => {
  it('builds, then does nothing while the DNA stays, then applies exactly the movies added, changed and removed', async () => {
    const store = await dnaStore();
    const artifacts = tempDir();
    const { progress, phases } = recordingProgress();
    const first = await indexCatalog(store, { artifacts, force: false }, progress);
    expect(first).toMatchObject({ built: true, reason: 'no saved index', added: MOVIES, movies: MOVIES, space: 'movie/dna/fusion', spaceVersion: '1', dim: DIM });
    expect(first.artifact).toBe(indexDir(artifacts));
    expect(phases).toEqual([{ label: 'index build', total: MOVIES, ticks: MOVIES, done: true }]);
    const manifest = await readManifest(first.artifact);

    const second = await indexCatalog(store, { artifacts, force: false }, silentProgress);
    expect(second).toMatchObject({ built: false, reason: null, added: 0, changed: 0, removed: 0, unchanged: MOVIES, movies: MOVIES });
    expect((await readManifest(first.artifact)).createdAt).toBe(manifest.createdAt);

    // Three movies get a new vector (from elsewhere in the space), one gets its first, one loses its own.
    const changed = [ids[3]!, ids[500]!, ids[999]!];
    const moved = vectors.slice(MOVIES * DIM, (MOVIES + 3) * DIM);
    await store.writeVectors(SPACE, { ids: changed, vectors: moved });
    await store.writeVectors(SPACE, { ids: [newcomer], vectors: vectors.slice((MOVIES + 3) * DIM, (MOVIES + 4) * DIM) });
    const gone = ids[42]!;
    expect(await store.deleteVectors(DNA_SPACE, [gone])).toBe(1);

    phases.length = 0;
    const third = await indexCatalog(store, { artifacts, force: false }, progress);
    expect(third).toMatchObject({ built: false, added: 1, changed: 3, removed: 1, unchanged: MOVIES - 4, movies: MOVIES });
    expect(phases).toEqual([{ label: 'index updates', total: 5, ticks: 5, done: true }]);

    const index = await HnswIndex.load(third.artifact);
    expect([index.size, index.has(gone), index.has(newcomer)]).toEqual([MOVIES, false, true]);
    changed.forEach((id, i) => expect(index.search(moved.subarray(i * DIM, (i + 1) * DIM), 1)[0]!.id).toBe(id));
    expect(index.search(vectors.subarray(42 * DIM, 43 * DIM), MOVIES).map((neighbour) => neighbour.id)).not.toContain(gone);
    expect(await recallAgainstExact(store, artifacts, 100)).toBeGreaterThanOrEqual(0.98);

    expect(await indexCatalog(store, { artifacts, force: false }, silentProgress)).toMatchObject({ built: false, added: 0, changed: 0, removed: 0 });
    expect(await indexCatalog(store, { artifacts, force: true }, silentProgress)).toMatchObject({ built: true, reason: 'asked to rebuild', added: MOVIES });
  });

  it('builds again when most movies moved, the dimension changed, or the saved index cannot be read', async () => {
    const store = await dnaStore();
    const artifacts = tempDir();
    await indexCatalog(store, { artifacts, force: false }, silentProgress);

    // The same vectors under another space version: nothing to relink, but the manifest says which version it indexes.
    await store.writeVectors({ ...SPACE, version: '1b' }, { ids, vectors: vectors.slice(0, MOVIES * DIM) });
    expect(await indexCatalog(store, { artifacts, force: false }, silentProgress)).toMatchObject({ built: false, unchanged: MOVIES, spaceVersion: '1b' });
    expect((await HnswIndex.load(indexDir(artifacts))).source).toEqual({ space: 'movie/dna/fusion', version: '1b', trainedOn: null });

    // A new fusion: every vector differs (another version replaces the whole space).
    const retrained = clusteredVectors(MOVIES, DIM, 9);
    await store.writeVectors({ ...SPACE, version: '2' }, { ids, vectors: retrained });
    expect(await indexCatalog(store, { artifacts, force: false }, silentProgress)).toMatchObject({
      built: true,
      reason: `${MOVIES} of ${MOVIES} movies differ from the saved index`,
      spaceVersion: '2',
    });
    expect(await recallAgainstExact(store, artifacts, 100)).toBeGreaterThanOrEqual(0.98);

    const graph = join(indexDir(artifacts), 'graph.hnsw');
    writeFileSync(graph, readFileSync(graph).subarray(0, 100));
    expect((await indexCatalog(store, { artifacts, force: false }, silentProgress)).reason).toMatch(/^the saved index could not be read \(.*graph\.hnsw/);

    await store.writeVectors({ ...SPACE, version: '3', dim: 16 }, { ids, vectors: clusteredVectors(MOVIES, 16, 2) });
    expect(await indexCatalog(store, { artifacts, force: false }, silentProgress)).toMatchObject({
      built: true,
      reason: 'the DNA is 16-d, the saved index 64-d',
      dim: 16,
    });
  });

  it('builds again rather than let removed movies pile up in the graph', async () => {
    const store = await dnaStore();
    const artifacts = tempDir();
    await indexCatalog(store, { artifacts, force: false }, silentProgress);
    await store.deleteVectors(DNA_SPACE, ids.slice(0, 200));
    expect(await indexCatalog(store, { artifacts, force: false }, silentProgress)).toMatchObject({ built: false, removed: 200 });
    await store.deleteVectors(DNA_SPACE, ids.slice(200, 300));
    expect(await indexCatalog(store, { artifacts, force: false }, silentProgress)).toMatchObject({
      built: true,
      reason: '300 removed movies would linger in the graph',
      movies: MOVIES - 300,
    });
    expect((await HnswIndex.load(indexDir(artifacts))).deleted).toBe(0);
  });

  it('asks for the fusion when the store has no movie DNA', async () => {
    const store = await openStore(join(tempDir(), 'empty.db'));
    onTestFinished(() => store.close());
    const error: unknown = await indexCatalog(store, { artifacts: tempDir(), force: false }, silentProgress).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('no movie DNA (movie/dna/fusion) in the store: run `reelsense train fusion` first');
  });

  it('reports in one line whether it built, updated or left the index', () => {
    const base: IndexReport = {
      built: false,
      reason: null,
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 10,
      movies: 10,
      space: 'movie/dna/fusion',
      spaceVersion: '3-ab',
      dim: 128,
      seconds: 1.25,
      artifact: '/a/movie-dna-hnsw',
    };
    expect(indexReportText({ ...base, built: true, reason: 'no saved index', added: 10, unchanged: 0 })).toBe(
      'Built the index over 10 movies of movie/dna/fusion (version 3-ab, 128-d) in 1.3 s (no saved index); saved to /a/movie-dna-hnsw.',
    );
    expect(indexReportText(base)).toBe(
      'The index in /a/movie-dna-hnsw is up to date: 10 movies of movie/dna/fusion (version 3-ab, 128-d), none added, changed or removed.',
    );
    expect(indexReportText({ ...base, added: 1, changed: 2, removed: 1, unchanged: 7 })).toBe(
      'Updated the index in /a/movie-dna-hnsw in 1.3 s: 1 added, 2 changed, 1 removed, 7 unchanged; it holds 10 movies of movie/dna/fusion (version 3-ab, 128-d).',
    );
  });
});
