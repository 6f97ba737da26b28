/** Tables, columns and row mapping that both back ends share, so SQLite and PostgreSQL store exactly the same rows. */
import { z } from 'zod';
import { COVERAGE_FIELDS, type CoverageField, type Dataset, type Movie } from '../domain.js';
import { interactionCount } from '../interactions.js';
import type { StoreSettings, StoreStats, TableCounts, VectorSpace, VectorSpaceInfo } from './store.js';

/** A movie as stored: list fields are JSON text (SQLite TEXT, PostgreSQL jsonb read back as text). */
export type MovieRow = {
  movie_id: number;
  title: string;
  year: number | null;
  genres: string;
  overview: string | null;
  tagline: string | null;
  keywords: string;
  cast_members: string;
  directors: string;
  release_date: string | null;
  runtime: number | null;
  language: string | null;
  imdb_id: string | null;
  tmdb_id: number | null;
  poster: string | null;
};

export function toMovieRow(movie: Movie): MovieRow {
  return {
    movie_id: movie.movieId,
    title: movie.title,
    year: movie.year,
    genres: JSON.stringify(movie.genres),
    overview: movie.overview,
    tagline: movie.tagline,
    keywords: JSON.stringify(movie.keywords),
    cast_members: JSON.stringify(movie.cast),
    directors: JSON.stringify(movie.directors),
    release_date: movie.releaseDate,
    runtime: movie.runtime,
    language: movie.language,
    imdb_id: movie.imdbId,
    tmdb_id: movie.tmdbId,
    poster: movie.poster,
  };
}

export function fromMovieRow(row: MovieRow): Movie {
  return {
    movieId: row.movie_id,
    title: row.title,
    year: row.year,
    genres: JSON.parse(row.genres) as string[],
    overview: row.overview,
    tagline: row.tagline,
    keywords: JSON.parse(row.keywords) as string[],
    cast: JSON.parse(row.cast_members) as string[],
    directors: JSON.parse(row.directors) as string[],
    releaseDate: row.release_date,
    runtime: row.runtime,
    language: row.language,
    imdbId: row.imdb_id,
    tmdbId: row.tmdb_id,
    poster: row.poster,
  };
}

export const DATASET_TABLES = ['movies', 'users', 'ratings', 'tags'] as const;
export type DatasetTable = (typeof DATASET_TABLES)[number];

/** Each dataset table's columns and primary key; written in the order of DATASET_TABLES (foreign keys). */
export const TABLE_COLUMNS: Record<DatasetTable, { columns: readonly string[]; key: readonly string[] }> = {
  movies: {
    columns: [
      'movie_id',
      'title',
      'year',
      'genres',
      'overview',
      'tagline',
      'keywords',
      'cast_members',
      'directors',
      'release_date',
      'runtime',
      'language',
      'imdb_id',
      'tmdb_id',
      'poster',
    ],
    key: ['movie_id'],
  },
  users: { columns: ['user_id'], key: ['user_id'] },
  ratings: { columns: ['user_id', 'movie_id', 'rating', 'timestamp'], key: ['user_id', 'movie_id'] },
  tags: { columns: ['user_id', 'movie_id', 'tag', 'timestamp'], key: ['user_id', 'movie_id', 'tag'] },
};

export type TableRow = Record<string, string | number | null>;

/** The tables written from objects; ratings are written from their columns (Interactions). */
export type ObjectTable = Exclude<DatasetTable, 'ratings'>;

/** The dataset's movies, users and tags as rows of their tables, keyed by column name. */
export function objectRows(dataset: Dataset, table: ObjectTable): TableRow[] {
  if (table === 'movies') return dataset.movies.map(toMovieRow);
  if (table === 'users') return dataset.users.map((user_id) => ({ user_id }));
  return dataset.tags.map((t) => ({ user_id: t.userId, movie_id: t.movieId, tag: t.tag, timestamp: t.timestamp }));
}

/** Rows per chunk of a bulk write: each chunk is one statement (PostgreSQL) and one tick of the progress bar. */
export const WRITE_CHUNK = 10_000;

/** The number of rows an import writes, for the progress bar. */
export function datasetRowCount(dataset: Dataset): number {
  return dataset.movies.length + dataset.users.length + interactionCount(dataset.ratings) + dataset.tags.length;
}

/** What an upsert of `total` rows did, from the statements' change count and the table's growth. */
export function countsFromChanges(total: number, changed: number, inserted: number): TableCounts {
  return { inserted, updated: changed - inserted, unchanged: total - changed };
}

/**
 * `ON CONFLICT … DO UPDATE … WHERE <a value differs>` (SQLite ≥ 3.39 and PostgreSQL both know IS DISTINCT FROM):
 * an unchanged row is not written, so the statement's change count is inserted + updated.
 */
export function upsertClause(table: string, columns: readonly string[], key: readonly string[]): string {
  const values = columns.filter((column) => !key.includes(column));
  const update = values.length
    ? `DO UPDATE SET ${values.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')} WHERE ${values.map((c) => `${table}.${quote(c)} IS DISTINCT FROM excluded.${quote(c)}`).join(' OR ')}`
    : 'DO NOTHING';
  return `ON CONFLICT (${key.map(quote).join(', ')}) ${update}`;
}

/** `timestamp` is a keyword in PostgreSQL; quoting every column keeps one spelling for both back ends. */
export const quote = (column: string) => `"${column}"`;

/** Queries whose text is the same in both back ends; aliases are quoted so PostgreSQL keeps their case. */
export const SQL = {
  /** Creates the user, or raises their version: the first statement of every write of a user's feedback. */
  touchUser: (placeholder: string) => `INSERT INTO users (user_id) VALUES (${placeholder}) ON CONFLICT (user_id) DO UPDATE SET version = users.version + 1`,
  listMovies: 'SELECT * FROM movies ORDER BY movie_id',
  listUsers: 'SELECT user_id FROM users ORDER BY user_id',
  /** Every rating as bare columns, in the order `readInteractions` promises. */
  ratingColumns: 'SELECT user_id, movie_id, rating, "timestamp" FROM ratings ORDER BY user_id, "timestamp", movie_id',
  listTags: 'SELECT user_id AS "userId", movie_id AS "movieId", tag, "timestamp" FROM tags ORDER BY user_id, "timestamp", movie_id, tag',
  listSpaces: 'SELECT * FROM vector_spaces ORDER BY owner, kind, producer',
  listSettings: 'SELECT name, value FROM settings',
  /** API key rows under the ApiKeyRecord field names. */
  apiKeyColumns:
    'SELECT key_id AS "keyId", role, user_id AS "userId", secret_hash AS "secretHash", label, created_at AS "createdAt", revoked_at AS "revokedAt" FROM api_keys',
  listNotInterested: 'SELECT user_id AS "userId", movie_id AS "movieId", "timestamp" FROM not_interested ORDER BY user_id, "timestamp", movie_id',
  /** Row counts and field coverage in one row; `arrayLength` is the dialect's JSON array length function. */
  stats: (arrayLength: 'json_array_length' | 'jsonb_array_length') => `
    SELECT
      (SELECT count(*) FROM movies) AS movies,
      (SELECT count(*) FROM users) AS users,
      (SELECT count(*) FROM ratings) AS ratings,
      (SELECT count(*) FROM tags) AS tags,
      count(*) FILTER (WHERE overview IS NOT NULL) AS overview,
      count(*) FILTER (WHERE tagline IS NOT NULL) AS tagline,
      count(*) FILTER (WHERE ${arrayLength}(keywords) > 0) AS keywords,
      count(*) FILTER (WHERE ${arrayLength}(cast_members) > 0) AS "cast",
      count(*) FILTER (WHERE ${arrayLength}(directors) > 0) AS directors,
      count(*) FILTER (WHERE poster IS NOT NULL) AS poster
    FROM movies`,
};

/** The flat row of SQL.stats as a StoreStats. */
export function statsFromRow(row: Record<CoverageField | 'movies' | 'users' | 'ratings' | 'tags', number>): StoreStats {
  return {
    movies: row.movies,
    users: row.users,
    ratings: row.ratings,
    tags: row.tags,
    coverage: Object.fromEntries(COVERAGE_FIELDS.map((field) => [field, row[field]])) as StoreStats['coverage'],
  };
}

/** A row of vector_spaces; `updated_at` is ISO text in SQLite and a timestamptz (a Date) in PostgreSQL. */
export interface SpaceRow {
  space_id: number;
  owner: VectorSpaceInfo['owner'];
  kind: string;
  producer: string;
  version: string;
  dim: number;
  trained_on: string | null;
  updated_at: string | Date;
}

export function spaceInfoFromRow(row: SpaceRow, count: number): VectorSpaceInfo {
  return {
    owner: row.owner,
    kind: row.kind,
    producer: row.producer,
    version: row.version,
    dim: row.dim,
    trainedOn: row.trained_on,
    count,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Whether writing `space` replaces every vector of the stored one: another producer version, dimension or training set. */
export function replacesSpace(row: SpaceRow, space: VectorSpace): boolean {
  return row.version !== space.version || row.dim !== space.dim || row.trained_on !== space.trainedOn;
}

/** Each setting's name in the settings table (name TEXT PRIMARY KEY, value TEXT NOT NULL). */
const SETTING_NAMES: Record<keyof StoreSettings, string> = { postersRoot: 'posters_root' };

/** The settings table as read: an absent row is null; a value that is not what the setting holds is corrupt. */
const settingsRowsSchema = z.object({ posters_root: z.string().min(1).nullable().default(null) });

export function settingsFromRows(rows: { name: string; value: string }[]): StoreSettings {
  const values = settingsRowsSchema.parse(Object.fromEntries(rows.map((row) => [row.name, row.value])));
  return { postersRoot: values.posters_root };
}

/** The rows to write for `settings`: a null value means the row is deleted. */
export function settingRows(settings: Partial<StoreSettings>): { name: string; value: string | null }[] {
  return (Object.keys(settings) as (keyof StoreSettings)[]).map((key) => ({ name: SETTING_NAMES[key], value: settings[key] ?? null }));
}
