import type { CoverageField, Dataset, Movie, MovieId, Rating, Tag, UserId } from '../domain.js';
import type { Interactions } from '../interactions.js';
import type { Progress } from '../progress.js';

/** How one table changed in an import: new rows, rows whose values changed, rows already as given. */
export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  movies: TableCounts;
  users: TableCounts;
  ratings: TableCounts;
  tags: TableCounts;
}

export interface StoreStats {
  movies: number;
  users: number;
  ratings: number;
  tags: number;
  /** How many movies have each field (a non-empty text or list, or a poster). */
  coverage: Record<CoverageField, number>;
}

/** Whose vectors a space holds: catalog movies or users. */
export type VectorOwner = 'movie' | 'user';

/**
 * Names one set of vectors: whose they are, what they encode (e.g. 'text', 'image', 'dna' for movies, 'taste' for
 * users) and which producer (encoder, fusion net, profiler) made them, e.g. 'minilm-l6' or 'tfidf-svd'.
 */
export interface VectorSpaceKey {
  owner: VectorOwner;
  /** Lowercase letters, digits and `_`, starting with a letter. */
  kind: string;
  producer: string;
}

/** A vector space as written: a producer version and one dimension for all its vectors. */
export interface VectorSpace extends VectorSpaceKey {
  /** Writing another version (or dimension) replaces every vector of the space: they came from a different model. */
  version: string;
  dim: number;
  /**
   * The `interactionsFingerprint` of the ratings the producer was fitted on, or null when it used none (e.g. a text
   * encoder), so evaluation can refuse vectors fitted on held-out ratings. Another value replaces the whole space too.
   */
  trainedOn: string | null;
}

export interface VectorSpaceInfo extends VectorSpace {
  count: number;
  /** When the space was last written (ISO 8601). */
  updatedAt: string;
}

/** Vectors with their owners' ids: row i of the row-major `vectors` (`ids.length × dim`) belongs to `ids[i]`. */
export interface VectorRows {
  ids: number[];
  vectors: Float32Array;
  /** Per row, a hash of what the vector was computed from, so a stage can skip inputs that did not change. */
  contentHashes?: (string | null)[];
}

/** Vectors as read back, ascending by id, with the space they belong to. */
export interface VectorSet extends VectorRows {
  space: VectorSpaceInfo;
  contentHashes: (string | null)[];
}

export interface WriteVectorsOptions {
  /** Remove the space's vectors that are not in this write (e.g. a full re-profile of every user). */
  replace?: boolean;
}

export interface VectorWriteSummary extends TableCounts {
  /** Vectors removed because the version or dimension changed, or because `replace` was asked for. */
  removed: number;
}

export interface NearestOptions {
  /** Ids that must not be returned (e.g. movies the user already rated). */
  exclude?: readonly number[];
  /** Scan every vector instead of using the approximate index (PostgreSQL; SQLite always scans). */
  exact?: boolean;
  /** Candidate list size of the HNSW search (PostgreSQL); raised to k when smaller. Default 100. */
  efSearch?: number;
}

export interface Neighbour {
  id: number;
  /** Cosine similarity to the query, in [-1, 1]. */
  similarity: number;
}

/** Facts about a store as a whole, kept in its settings table and copied by `migrate`. */
export interface StoreSettings {
  /** The absolute directory that movies' poster file names are relative to: the --posters of the latest import with one. */
  postersRoot: string | null;
}

/** Everything a store holds, for copying it whole into another store. */
export interface StoreSnapshot {
  dataset: Dataset;
  vectors: VectorSet[];
  settings: StoreSettings;
}

/** Rows per table and vectors per space, to check that a copy is complete. */
export interface StoreCounts {
  movies: number;
  users: number;
  ratings: number;
  tags: number;
  /** By space, as `owner/kind/producer`. */
  vectors: Record<string, number>;
}

/**
 * Where the catalog and the interactions live. SQLite is the embedded default; PostgreSQL implements the same
 * interface. Every write method is one transaction: it all lands, or nothing does.
 */
export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /** The file path or the URL (password hidden), for messages. */
  readonly location: string;

  /** Upserts a validated dataset in one transaction: a row that exists is updated only when its values differ. */
  importDataset(dataset: Dataset, progress?: Progress): Promise<ImportSummary>;

  /** The movies with these ids that exist, in no particular order. */
  getMovies(movieIds: readonly MovieId[]): Promise<Movie[]>;
  /** The movies linked to any of these TMDB ids. */
  moviesByTmdbIds(tmdbIds: readonly number[]): Promise<Movie[]>;
  /** Every movie, by movieId. */
  listMovies(): Promise<Movie[]>;
  /** Every rating, by user, then time, then movie. */
  listRatings(): Promise<Rating[]>;
  /** Every rating as columns, by user, then time, then movie: what models read (no object per rating). */
  readInteractions(): Promise<Interactions>;
  /** Every tag, by user, then time, then movie, then tag. */
  listTags(): Promise<Tag[]>;
  /** Every user id, ascending. */
  listUsers(): Promise<UserId[]>;

  stats(): Promise<StoreStats>;

  readSettings(): Promise<StoreSettings>;
  /** Sets the given settings (null removes one) and leaves the others; one transaction. */
  writeSettings(settings: Partial<StoreSettings>): Promise<void>;
  /**
   * How this store's own connections commit, as the back end names the setting (SQLite `synchronous`, PostgreSQL
   * `synchronous_commit`): for checking that acknowledged writes are on disk.
   */
  commitDurability(): Promise<Record<string, string>>;

  /**
   * Upserts vectors into a space, creating it when new; one transaction. Every id must name an existing movie or user;
   * values must be finite and no vector may be zero (cosine needs a direction).
   */
  writeVectors(space: VectorSpace, rows: VectorRows, options?: WriteVectorsOptions): Promise<VectorWriteSummary>;
  /** The space's vectors (only those of `ids` when given), ascending by id; null when the space does not exist. */
  readVectors(key: VectorSpaceKey, ids?: readonly number[]): Promise<VectorSet | null>;
  listVectorSpaces(): Promise<VectorSpaceInfo[]>;
  /** Removes a space and its vectors; false when there was none. */
  deleteVectorSpace(key: VectorSpaceKey): Promise<boolean>;
  /**
   * The k vectors of a space most cosine-similar to `query`, best first. PostgreSQL searches the HNSW index
   * (approximate) unless `exact`; SQLite scans every vector.
   */
  nearestVectors(key: VectorSpaceKey, query: Float32Array, k: number, options?: NearestOptions): Promise<Neighbour[]>;

  /**
   * Writes a whole snapshot into this store in one transaction and checks the row counts before committing.
   * The store must be empty: copying merges nothing.
   */
  loadSnapshot(snapshot: StoreSnapshot): Promise<StoreCounts>;

  close(): Promise<void>;
}
