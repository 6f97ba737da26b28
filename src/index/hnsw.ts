/**
 * Approximate nearest neighbours by cosine over movie vectors: an HNSW graph (hnswlib-node) that takes additions,
 * changed vectors and removals in place, and persists as an artifact directory (manifest + hnswlib's own file).
 */
import { createHash } from 'node:crypto';
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW } from 'hnswlib-node';
import { loadArtifact, requireArray, saveArtifact } from '../artifacts.js';
import { InputError } from '../errors.js';
import type { NearestIndex, NearestQueryOptions, Neighbour } from './nearest.js';

export const HNSW_KIND = 'index';
export const HNSW_NAME = 'movie-dna-hnsw';
/** Bump when what is saved, or how it is built, changes: a saved index of another version is built again. */
export const HNSW_VERSION = '1';
const GRAPH_FILE = 'graph.hnsw';

export interface HnswParams {
  /** Links per node (hnswlib's M). */
  m: number;
  /** Candidate list size while inserting: higher builds slower and finds better links. */
  efConstruction: number;
  /** Candidate list size while searching; raised to k when k is larger. */
  efSearch: number;
  /** Seed of the level each node is given. */
  seed: number;
}

export const HNSW_DEFAULTS: HnswParams = { m: 16, efConstruction: 200, efSearch: 200, seed: 1 };

/** Ids a search must skip: a set of them, or a test that is true for an id to skip. */
export type Exclusion = ReadonlySet<number> | ((id: number) => boolean);

/** What an index was built from, kept in its manifest so a later run can tell it from another space. */
export interface IndexSource {
  space: string;
  version: string;
  /** The ratings the vectors were fitted on (the space's trainedOn), for the leakage guard. */
  trainedOn: string | null;
}

interface SavedData {
  dim: number;
  source: IndexSource | null;
}

/** A 48-bit fingerprint of a vector's exact bytes: an update compares it to tell a changed vector from the same one. */
export function vectorFingerprint(vectors: Float32Array, row: number, dim: number): number {
  const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset + row * dim * 4, dim * 4);
  return createHash('sha256').update(bytes).digest().readUIntBE(0, 6);
}

export class HnswIndex implements NearestIndex {
  /** hnswlib takes plain arrays: one reused buffer spares an allocation per call. */
  private readonly point: number[];
  private ef = 0;

  private constructor(
    private readonly graph: HierarchicalNSW,
    readonly dim: number,
    readonly params: HnswParams,
    /** The ids searchable now, with the fingerprint of each one's vector; a removed id stays in the graph, marked deleted. */
    private readonly fingerprints: Map<number, number>,
    /** What it was built from, as last saved; null when never saved with one. */
    public source: IndexSource | null = null,
  ) {
    this.point = new Array<number>(dim).fill(0);
  }

  /** Indexes row i of the row-major `vectors` (`ids.length × dim`) under `ids[i]`; `onAdded` hears of each batch added. */
  static build(ids: readonly number[], vectors: Float32Array, dim: number, params: HnswParams = HNSW_DEFAULTS, onAdded?: (count: number) => void): HnswIndex {
    if (vectors.length !== ids.length * dim) throw new Error(`expected ${ids.length} × ${dim} values, got ${vectors.length}`);
    const graph = new hnswlib.HierarchicalNSW('cosine', dim);
    graph.initIndex({ maxElements: Math.max(1, ids.length), m: params.m, efConstruction: params.efConstruction, randomSeed: params.seed });
    const index = new HnswIndex(graph, dim, params, new Map());
    const batch = 256;
    for (let start = 0; start < ids.length; start += batch) {
      const end = Math.min(ids.length, start + batch);
      for (let row = start; row < end; row++) index.upsert(ids[row]!, vectors.subarray(row * dim, (row + 1) * dim));
      onAdded?.(end - start);
    }
    return index;
  }

  static async load(dir: string): Promise<HnswIndex> {
    const artifact = await loadArtifact(dir);
    const { manifest } = artifact;
    if (manifest.kind !== HNSW_KIND || manifest.name !== HNSW_NAME || manifest.version !== HNSW_VERSION) {
      throw new InputError({ file: dir }, `a ${manifest.kind} "${manifest.name}" version ${manifest.version}, not a ${HNSW_NAME} index version ${HNSW_VERSION}`);
    }
    const { dim, source } = manifest.data as SavedData;
    const ids = requireArray(artifact, 'ids', Uint32Array);
    const fingerprints = requireArray(artifact, 'fingerprints', Float64Array);
    const graph = new hnswlib.HierarchicalNSW('cosine', dim);
    await graph.readIndex(artifact.files[GRAPH_FILE]!);
    const params: HnswParams = {
      m: Number(manifest.params.m),
      efConstruction: Number(manifest.params.efConstruction),
      efSearch: Number(manifest.params.efSearch),
      seed: Number(manifest.params.seed),
    };
    return new HnswIndex(graph, dim, params, new Map(Array.from(ids, (id, i) => [id, fingerprints[i]!])), source);
  }

  /** Writes the index as an artifact directory, replacing what was there in one step. */
  async save(dir: string, source: IndexSource | null = null): Promise<void> {
    const ids = Uint32Array.from(this.fingerprints.keys()).sort();
    const fingerprints = Float64Array.from(ids, (id) => this.fingerprints.get(id)!);
    const data: SavedData = { dim: this.dim, source };
    await saveArtifact(
      dir,
      {
        kind: HNSW_KIND,
        name: HNSW_NAME,
        version: HNSW_VERSION,
        params: { ...this.params, dim: this.dim, space: 'cosine' },
        seed: this.params.seed,
        datasetHash: null,
        trainedOn: source?.trainedOn ?? null,
        metrics: { movies: ids.length, deleted: this.deleted },
        data,
      },
      { ids, fingerprints },
      { files: { [GRAPH_FILE]: (path) => this.graph.writeIndex(path).then(() => undefined) } },
    );
    this.source = source;
  }

  get size(): number {
    return this.fingerprints.size;
  }

  /** Removed ids still in the graph (marked deleted): searches walk past them, so many of them call for a rebuild. */
  get deleted(): number {
    return this.graph.getCurrentCount() - this.fingerprints.size;
  }

  has(id: number): boolean {
    return this.fingerprints.has(id);
  }

  /** The fingerprint of the vector indexed under `id` (see vectorFingerprint), or undefined when it is not indexed. */
  fingerprint(id: number): number | undefined {
    return this.fingerprints.get(id);
  }

  ids(): IterableIterator<number> {
    return this.fingerprints.keys();
  }

  /** Adds `id`, or moves it to a new vector; a removed id comes back. */
  upsert(id: number, vector: Float32Array): void {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new Error(`an index id must be a 32-bit unsigned integer, not ${id}`);
    // A new id needs a free slot (a re-added or changed one reuses its own); grow by a quarter so growth stays rare.
    if (!this.fingerprints.has(id) && this.graph.getCurrentCount() >= this.graph.getMaxElements()) {
      this.graph.resizeIndex(Math.ceil(this.graph.getMaxElements() * 1.25) + 16);
    }
    // An id hnswlib already holds (deleted or not) is updated in place: new vector, relinked neighbours, unmarked.
    this.graph.addPoint(this.copied(vector), id);
    this.fingerprints.set(id, vectorFingerprint(vector, 0, this.dim));
  }

  /** Marks `id` deleted: no search returns it again until it is upserted. False when it was not indexed. */
  remove(id: number): boolean {
    if (!this.fingerprints.delete(id)) return false;
    this.graph.markDelete(id);
    return true;
  }

  async nearest(query: Float32Array, k: number, options: NearestQueryOptions = {}): Promise<Neighbour[]> {
    return this.search(query, k, options.exclude?.length ? new Set(options.exclude) : undefined);
  }

  /**
   * The (at most) k indexed vectors most cosine-similar to `query`, best first. Exclusion is hnswlib's filter, applied
   * inside the graph walk, so k still come back when many are excluded.
   */
  search(query: Float32Array, k: number, exclude?: Exclusion): Neighbour[] {
    const wanted = Math.min(k, this.fingerprints.size);
    if (wanted <= 0) return [];
    const ef = Math.max(this.params.efSearch, wanted);
    if (ef !== this.ef) {
      this.graph.setEf(ef);
      this.ef = ef;
    }
    const allowed = typeof exclude === 'function' ? (id: number) => !exclude(id) : exclude?.size ? (id: number) => !exclude.has(id) : undefined;
    const { neighbors, distances } = this.graph.searchKnn(this.copied(query), wanted, allowed);
    const found: Neighbour[] = new Array<Neighbour>(neighbors.length);
    // hnswlib's cosine distance is 1 − cosine.
    for (let i = 0; i < neighbors.length; i++) found[i] = { id: neighbors[i]!, similarity: 1 - distances[i]! };
    return found;
  }

  private copied(vector: Float32Array): number[] {
    if (vector.length !== this.dim) throw new Error(`expected a ${this.dim}-d vector, got ${vector.length}-d`);
    const point = this.point;
    for (let j = 0; j < point.length; j++) point[j] = vector[j]!;
    return point;
  }
}
