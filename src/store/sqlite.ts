import Database from 'better-sqlite3';
import type { Dataset, Movie, MovieId, Rating, Tag, UserId } from '../domain.js';
import { silentProgress, type Progress } from '../progress.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import type { ImportSummary, Store, StoreStats, TableCounts } from './store.js';

/** Rows are written in slices so the progress bar moves; the transaction still spans the whole import. */
const PROGRESS_SLICE = 5_000;

interface MovieRow {
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
}

const MOVIE_COLUMNS = [
  'movie_id', 'title', 'year', 'genres', 'overview', 'tagline', 'keywords', 'cast_members', 'directors',
  'release_date', 'runtime', 'language', 'imdb_id', 'tmdb_id', 'poster',
] as const;

function toMovieRow(movie: Movie): MovieRow {
  return {
    movie_id: movie.movieId, title: movie.title, year: movie.year, genres: JSON.stringify(movie.genres),
    overview: movie.overview, tagline: movie.tagline, keywords: JSON.stringify(movie.keywords),
    cast_members: JSON.stringify(movie.cast), directors: JSON.stringify(movie.directors),
    release_date: movie.releaseDate, runtime: movie.runtime, language: movie.language,
    imdb_id: movie.imdbId, tmdb_id: movie.tmdbId, poster: movie.poster,
  };
}

function fromMovieRow(row: MovieRow): Movie {
  return {
    movieId: row.movie_id, title: row.title, year: row.year, genres: JSON.parse(row.genres) as string[],
    overview: row.overview, tagline: row.tagline, keywords: JSON.parse(row.keywords) as string[],
    cast: JSON.parse(row.cast_members) as string[], directors: JSON.parse(row.directors) as string[],
    releaseDate: row.release_date, runtime: row.runtime, language: row.language,
    imdbId: row.imdb_id, tmdbId: row.tmdb_id, poster: row.poster,
  };
}

/** `INSERT … ON CONFLICT DO UPDATE … WHERE <a value differs>`: an unchanged row is not written at all. */
function upsertSql(table: string, columns: readonly string[], key: readonly string[]): string {
  const values = columns.filter((column) => !key.includes(column));
  const update = values.length
    ? `DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')} WHERE ${values.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ')}`
    : 'DO NOTHING';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ON CONFLICT (${key.join(', ')}) ${update}`;
}

/** The embedded store: one SQLite file in WAL mode, every acknowledged write synced to disk. */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly location: string;
  private readonly db: Database.Database;

  constructor(path: string) {
    this.location = path;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set(this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    for (const migration of SQLITE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      })();
    }
  }

  async importDataset(dataset: Dataset, progress: Progress = silentProgress): Promise<ImportSummary> {
    const total = dataset.movies.length + dataset.users.length + dataset.ratings.length + dataset.tags.length;
    const bar = progress('writing', total);
    const write = <T>(table: string, columns: readonly string[], key: readonly string[], rows: T[]): TableCounts => {
      const before = this.count(table);
      const statement = this.db.prepare(upsertSql(table, columns, key));
      let changed = 0;
      rows.forEach((row, i) => {
        changed += statement.run(row as Record<string, unknown>).changes;
        if ((i + 1) % PROGRESS_SLICE === 0) bar.tick(PROGRESS_SLICE);
      });
      bar.tick(rows.length % PROGRESS_SLICE);
      const inserted = this.count(table) - before;
      return { inserted, updated: changed - inserted, unchanged: rows.length - changed };
    };
    const summary = this.db.transaction(
      (): ImportSummary => ({
        movies: write('movies', MOVIE_COLUMNS, ['movie_id'], dataset.movies.map(toMovieRow)),
        users: write('users', ['user_id'], ['user_id'], dataset.users.map((user_id) => ({ user_id }))),
        ratings: write(
          'ratings', ['user_id', 'movie_id', 'rating', 'timestamp'], ['user_id', 'movie_id'],
          dataset.ratings.map((r) => ({ user_id: r.userId, movie_id: r.movieId, rating: r.rating, timestamp: r.timestamp })),
        ),
        tags: write(
          'tags', ['user_id', 'movie_id', 'tag', 'timestamp'], ['user_id', 'movie_id', 'tag'],
          dataset.tags.map((t) => ({ user_id: t.userId, movie_id: t.movieId, tag: t.tag, timestamp: t.timestamp })),
        ),
      }),
    ).immediate();
    bar.done();
    return summary;
  }

  async getMovies(movieIds: readonly MovieId[]): Promise<Movie[]> {
    return this.selectMoviesWhere('movie_id', movieIds);
  }

  async moviesByTmdbIds(tmdbIds: readonly number[]): Promise<Movie[]> {
    return this.selectMoviesWhere('tmdb_id', tmdbIds);
  }

  /** Looks ids up through a JSON array parameter, so any number of ids is one statement. */
  private selectMoviesWhere(column: 'movie_id' | 'tmdb_id', ids: readonly number[]): Movie[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM movies WHERE ${column} IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as MovieRow[];
    return rows.map(fromMovieRow);
  }

  async listMovies(): Promise<Movie[]> {
    return (this.db.prepare('SELECT * FROM movies ORDER BY movie_id').all() as MovieRow[]).map(fromMovieRow);
  }

  async listRatings(): Promise<Rating[]> {
    return this.db
      .prepare('SELECT user_id AS userId, movie_id AS movieId, rating, timestamp FROM ratings ORDER BY user_id, timestamp, movie_id')
      .all() as Rating[];
  }

  async listTags(): Promise<Tag[]> {
    return this.db
      .prepare('SELECT user_id AS userId, movie_id AS movieId, tag, timestamp FROM tags ORDER BY user_id, timestamp, movie_id, tag')
      .all() as Tag[];
  }

  async listUsers(): Promise<UserId[]> {
    return this.db.prepare('SELECT user_id FROM users ORDER BY user_id').pluck().all() as UserId[];
  }

  async stats(): Promise<StoreStats> {
    const coverage = this.db
      .prepare(
        `SELECT
           count(*) FILTER (WHERE overview IS NOT NULL) AS overview,
           count(*) FILTER (WHERE tagline IS NOT NULL) AS tagline,
           count(*) FILTER (WHERE json_array_length(keywords) > 0) AS keywords,
           count(*) FILTER (WHERE json_array_length(cast_members) > 0) AS "cast",
           count(*) FILTER (WHERE json_array_length(directors) > 0) AS directors,
           count(*) FILTER (WHERE poster IS NOT NULL) AS poster
         FROM movies`,
      )
      .get() as StoreStats['coverage'];
    return {
      movies: this.count('movies'),
      users: this.count('users'),
      ratings: this.count('ratings'),
      tags: this.count('tags'),
      coverage,
    };
  }

  private count(table: string): number {
    return this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
