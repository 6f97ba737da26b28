import type { CoverageField, Dataset, Movie, MovieId, Rating, Tag, UserId } from '../domain.js';
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
  /** Every tag, by user, then time, then movie, then tag. */
  listTags(): Promise<Tag[]>;
  /** Every user id, ascending. */
  listUsers(): Promise<UserId[]>;

  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
