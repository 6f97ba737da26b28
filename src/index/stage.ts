/**
 * The index stage: keep the HNSW index over the movie DNA in step with the store's DNA space. The first run (or a
 * rebuild, or a DNA of another dimension) builds it; a later run applies only the movies added, changed or removed,
 * told apart by each vector's fingerprint; a run with nothing changed writes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { DNA_SPACE } from '../fuse/dna.js';
import { requireDna } from '../profile/stage.js';
import type { Progress } from '../progress.js';
import type { Store, VectorSet } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { HNSW_DEFAULTS, HNSW_NAME, HnswIndex, vectorFingerprint, type IndexSource } from './hnsw.js';

export interface IndexOptions {
  /** The artifacts directory; the index lives in its `movie-dna-hnsw/` folder. */
  artifacts: string;
  /** Build from scratch even when the saved index could be updated. */
  force: boolean;
}

export interface IndexReport {
  /** True when built from scratch, false when the saved index was updated or already up to date. */
  built: boolean;
  /** Why it was built from scratch; null when it was not. */
  reason: string | null;
  /** Movies indexed by this run (every one when built), re-indexed because their vector changed, and taken out. */
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Movies in the index now. */
  movies: number;
  space: string;
  spaceVersion: string;
  dim: number;
  seconds: number;
  artifact: string;
}

/** Where the index over the movie DNA lives in an artifacts directory. */
export const indexDir = (artifacts: string) => join(artifacts, HNSW_NAME);

export async function indexCatalog(store: Pick<Store, 'readVectors'>, options: IndexOptions, progress: Progress): Promise<IndexReport> {
  const started = performance.now();
  const dna = await requireDna(store);
  const { dim } = dna.space;
  const dir = indexDir(options.artifacts);
  const source: IndexSource = { space: spaceName(DNA_SPACE), version: dna.space.version, trainedOn: dna.space.trainedOn };
  const report = (built: boolean, reason: string | null, counts: Pick<IndexReport, 'added' | 'changed' | 'removed' | 'unchanged'>): IndexReport => ({
    built,
    reason,
    ...counts,
    movies: dna.ids.length,
    space: source.space,
    spaceVersion: source.version,
    dim,
    seconds: (performance.now() - started) / 1000,
    artifact: dir,
  });

  const saved = options.force ? 'asked to rebuild' : await savedIndex(dir, dim);
  const update = typeof saved === 'string' ? saved : planUpdate(saved, dna);
  if (typeof update !== 'string') {
    const { index, added, changed, removed } = update;
    const counts = { added: added.length, changed: changed.length, removed: removed.length, unchanged: dna.ids.length - added.length - changed.length };
    const touched = added.length + changed.length + removed.length;
    if (touched === 0 && sameSource(index.source, source)) return report(false, null, counts);
    const bar = progress('index updates', touched);
    for (const row of [...added, ...changed]) {
      index.upsert(dna.ids[row]!, dna.vectors.subarray(row * dim, (row + 1) * dim));
      bar.tick();
    }
    for (const id of removed) {
      index.remove(id);
      bar.tick();
    }
    bar.done();
    await index.save(dir, source);
    return report(false, null, counts);
  }

  const bar = progress('index build', dna.ids.length);
  const index = HnswIndex.build(dna.ids, dna.vectors, dim, HNSW_DEFAULTS, (count) => bar.tick(count));
  bar.done();
  await index.save(dir, source);
  return report(true, update, { added: dna.ids.length, changed: 0, removed: 0, unchanged: 0 });
}

/** The saved index when it can be updated to a DNA of this dimension, else why it cannot. */
async function savedIndex(dir: string, dim: number): Promise<HnswIndex | string> {
  if (!existsSync(join(dir, 'manifest.json'))) return 'no saved index';
  let index: HnswIndex;
  try {
    index = await HnswIndex.load(dir);
  } catch (error) {
    // The index is derived from the store alone: one that cannot be read is built again, not a dead end.
    if (error instanceof InputError) return `the saved index could not be read (${error.message})`;
    throw error;
  }
  return index.dim === dim ? index : `the DNA is ${dim}-d, the saved index ${index.dim}-d`;
}

interface Update {
  index: HnswIndex;
  /** Rows of the DNA that the index lacks, rows it holds another vector for, and indexed ids the DNA no longer has. */
  added: number[];
  changed: number[];
  removed: number[];
}

/** What updating the saved index to this DNA takes, or why building it again is better. */
function planUpdate(index: HnswIndex, dna: VectorSet): Update | string {
  const { dim } = dna.space;
  const added: number[] = [];
  const changed: number[] = [];
  dna.ids.forEach((id, row) => {
    const fingerprint = index.fingerprint(id);
    if (fingerprint === undefined) added.push(row);
    else if (fingerprint !== vectorFingerprint(dna.vectors, row, dim)) changed.push(row);
  });
  const current = new Set(dna.ids);
  const removed = [...index.ids()].filter((id) => !current.has(id));
  const touched = added.length + changed.length + removed.length;
  // A new DNA (another fusion) moves most movies: a fresh graph is faster to make and better than relinking each.
  if (touched * 2 > dna.ids.length) return `${touched} of ${dna.ids.length} movies differ from the saved index`;
  // Removed movies stay in the graph as tombstones that every search walks past: many of them call for a fresh graph too.
  const tombstones = index.deleted + removed.length;
  if (tombstones * 4 > dna.ids.length) return `${tombstones} removed movies would linger in the graph`;
  return { index, added, changed, removed };
}

const sameSource = (a: IndexSource | null, b: IndexSource) => a !== null && a.space === b.space && a.version === b.version && a.trainedOn === b.trainedOn;
