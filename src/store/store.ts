import type { CoverageField, Dataset, Movie, MovieId, Rating, Tag, UserId } from '../domain.js';
import type { NearestQueryOptions, Neighbour } from '../index/nearest.js';
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

export type { Neighbour } from '../index/nearest.js';

export interface NearestOptions extends NearestQueryOptions {
  /** Scan every vector instead of using the approximate index (PostgreSQL; SQLite always scans). */
  exact?: boolean;
  /** Candidate list size of the HNSW search (PostgreSQL); raised to k when smaller. Default 100. */
  efSearch?: number;
}

/** Facts about a store as a whole, kept in its settings table and copied by `migrate`. */
export interface StoreSettings {
  /** The absolute directory that movies' poster file names are relative to: the --posters of the latest import with one. */
  postersRoot: string | null;
}

/** A movie a user said they do not want to see: it never comes back in their recommendations. */
export interface NotInterested {
  userId: UserId;
  movieId: MovieId;
  /** Unix seconds. */
  timestamp: number;
}

/** Who may do what through the HTTP API: `admin` manages users and keys, `app` acts for any user, `user` for its own. */
export const API_KEY_ROLES = ['admin', 'app', 'user'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** An API key as stored: never the secret itself, only its hash. */
export interface ApiKeyRecord {
  /** The public part of the key, which names it in lists and in `keys revoke`. */
  keyId: string;
  role: ApiKeyRole;
  /** The one user a `user` key acts for; null for the other roles. */
  userId: UserId | null;
  /** Hex SHA-256 of the key's secret part. */
  secretHash: string;
  label: string | null;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds; null while the key works. */
  revokedAt: number | null;
}

/** Everything a store holds, for copying it whole into another store. */
export interface StoreSnapshot {
  dataset: Dataset;
  vectors: VectorSet[];
  settings: StoreSettings;
  notInterested: NotInterested[];
  apiKeys: ApiKeyRecord[];
}

/** Rows per table and vectors per space, to check that a copy is complete. */
export interface StoreCounts {
  movies: number;
  users: number;
  ratings: number;
  tags: number;
  notInterested: number;
  apiKeys: number;
  /** By space, as `owner/kind/producer`. */
  vectors: Record<string, number>;
}

/**
 * What users tell the service one at a time: ratings, and movies they are not interested in. Each write is one
 * transaction and durable once its promise resolves. Callers check that the movie exists first (the store's foreign
 * keys are the last line, not the message).
 */
export interface FeedbackStore {
  /** One user's ratings, oldest first (by time, then movie id); empty for a user with none or no such user. */
  userRatings(userId: UserId): Promise<Rating[]>;
  /** Adds or replaces one rating, creating the user when new. */
  recordRating(rating: Rating): Promise<void>;
  /** Removes one rating; false when there was none. */
  deleteRating(userId: UserId, movieId: MovieId): Promise<boolean>;
  /** A new user, one more than the largest user id, with these first ratings (none by default), in one transaction. */
  createUser(ratings?: readonly Omit<Rating, 'userId'>[]): Promise<UserId>;
  /** Whether the user exists (with or without ratings). */
  hasUser(userId: UserId): Promise<boolean>;
  /**
   * The user's state version, raised by every rating, rating removal and not-interested mark of theirs (in the same
   * transaction); null when there is no such user. Equal versions mean the same ratings and marks.
   */
  userVersion(userId: UserId): Promise<number | null>;
  /** Records that a user does not want a movie, creating the user when new; recording it again changes nothing. */
  markNotInterested(entry: NotInterested): Promise<void>;
  /** The movies a user is not interested in, oldest first. */
  notInterested(userId: UserId): Promise<MovieId[]>;
  /** Every not-interested entry, by user then time: for copying a store. */
  listNotInterested(): Promise<NotInterested[]>;
}

/** The API keys the server accepts. Each write is one transaction. */
export interface KeyStore {
  /** Adds a key; its user, when it has one, must exist. */
  createApiKey(key: ApiKeyRecord): Promise<void>;
  /** The key with this id, revoked or not; null when there is none. */
  findApiKey(keyId: string): Promise<ApiKeyRecord | null>;
  /** Every key, oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked at `at` (unix seconds); false when there is no such key or it was revoked already. */
  revokeApiKey(keyId: string, at: number): Promise<boolean>;
}

/** The catalog and who is in it: movies, tags, users, and counts over them. */
export interface CatalogStore {
  /** The movies with these ids that exist, in no particular order. */
  getMovies(movieIds: readonly MovieId[]): Promise<Movie[]>;
  /** The movies linked to any of these TMDB ids. */
  moviesByTmdbIds(tmdbIds: readonly number[]): Promise<Movie[]>;
  /** Every movie, by movieId. */
  listMovies(): Promise<Movie[]>;
  /** Every tag, by user, then time, then movie, then tag. */
  listTags(): Promise<Tag[]>;
  /** Every user id, ascending. */
  listUsers(): Promise<UserId[]>;

  stats(): Promise<StoreStats>;
}

/** What users did: the ratings, read back the way models read them. */
export interface InteractionStore {
  /** Every rating as columns, by user, then time, then movie: what models read (no object per rating). */
  readInteractions(): Promise<Interactions>;
  /** The same ratings as objects, for small stores (tests, reports); large ones should read the columns. */
  listRatings(): Promise<Rating[]>;
}

/** Vector spaces: movie and user embeddings by producer, and nearest-neighbour search over them. */
export interface VectorStore {
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
  /** Removes these ids' vectors from a space (e.g. movies whose poster went away); how many were there. One transaction. */
  deleteVectors(key: VectorSpaceKey, ids: readonly number[]): Promise<number>;
  /**
   * The k vectors of a space most cosine-similar to `query`, best first. PostgreSQL searches the HNSW index
   * (approximate) unless `exact`; SQLite scans every vector (src/index/exact.ts).
   */
  nearestVectors(key: VectorSpaceKey, query: Float32Array, k: number, options?: NearestOptions): Promise<Neighbour[]>;
}

/**
 * Where the catalog and the interactions live. SQLite is the embedded default; PostgreSQL implements the same
 * interface. Every write method is one transaction: it all lands, or nothing does. A stage that needs one role
 * takes just that role's interface.
 */
export interface Store extends CatalogStore, InteractionStore, FeedbackStore, KeyStore, VectorStore {
  readonly backend: 'sqlite' | 'postgres';
  /** The file path or the URL (password hidden), for messages. */
  readonly location: string;

  /**
   * Upserts a validated dataset (catalog, users, ratings, tags) in one transaction, written in chunks so the progress
   * bar moves: a row that exists is updated only when its values differ. It spans the roles, so it is the whole store's.
   */
  importDataset(dataset: Dataset, progress?: Progress): Promise<ImportSummary>;

  readSettings(): Promise<StoreSettings>;
  /** Sets the given settings (null removes one) and leaves the others; one transaction. */
  writeSettings(settings: Partial<StoreSettings>): Promise<void>;
  /**
   * How this store's own connections commit, as the back end names the setting (SQLite `synchronous`, PostgreSQL
   * `synchronous_commit`): for checking that acknowledged writes are on disk.
   */
  commitDurability(): Promise<Record<string, string>>;

  /**
   * Writes a whole snapshot into this store in one transaction and checks the row counts before committing.
   * The store must be empty: copying merges nothing.
   */
  loadSnapshot(snapshot: StoreSnapshot): Promise<StoreCounts>;

  close(): Promise<void>;
}
