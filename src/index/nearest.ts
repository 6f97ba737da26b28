/**
 * Nearest-neighbour search by cosine similarity, behind one interface: the exact scan (exact.ts), pgvector's HNSW
 * index in the PostgreSQL store, and the in-process HNSW index over the movie DNA (hnsw.ts) all answer the same call,
 * so a stage that retrieves candidates does not care which one it got.
 */

export interface Neighbour {
  id: number;
  /** Cosine similarity to the query, in [-1, 1]. */
  similarity: number;
}

export interface NearestQueryOptions {
  /** Ids that must not be returned (e.g. movies the user already rated). */
  exclude?: readonly number[];
}

export interface NearestIndex {
  /** The (at most) k vectors most cosine-similar to `query`, best first. */
  nearest(query: Float32Array, k: number, options?: NearestQueryOptions): Promise<Neighbour[]>;
}
