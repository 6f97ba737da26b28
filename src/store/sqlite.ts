import Database from 'better-sqlite3';
import type { Dataset, Movie, MovieId, Rating, Tag, UserId } from '../domain.js';
import { emptyInteractions, ratingsOf, type Interactions } from '../interactions.js';
import { silentProgress, type Progress, type ProgressBar } from '../progress.js';
import { StoreLocationError } from '../errors.js';
import type { Migration } from './migrations/migration.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import {
  countsFromChanges,
  datasetRowCount,
  fromMovieRow,
  objectRows,
  quote,
  replacesSpace,
  settingRows,
  settingsFromRows,
  spaceInfoFromRow,
  SQL,
  statsFromRow,
  TABLE_COLUMNS,
  upsertClause,
  WRITE_CHUNK,
  type DatasetTable,
  type MovieRow,
  type ObjectTable,
  type SpaceRow,
} from './schema.js';
import { countsOf, requireComplete, requireEmpty } from './snapshot.js';
import type {
  ImportSummary,
  NearestOptions,
  NotInterested,
  ApiKeyRecord,
  Neighbour,
  Store,
  StoreCounts,
  StoreSettings,
  StoreSnapshot,
  StoreStats,
  TableCounts,
  VectorRows,
  VectorSet,
  VectorSpace,
  VectorSpaceInfo,
  VectorSpaceKey,
  VectorWriteSummary,
  WriteVectorsOptions,
} from './store.js';
import { checkNearestQuery, checkSpaceKey, checkVectorRows, missingOwnersError, OWNER_TABLES, spaceName, VectorInputError } from './vectors.js';
import { ExactIndex } from '../index/exact.js';

const VECTOR_COLUMNS = ['space_id', 'id', 'content_hash', 'embedding'] as const;

/** How long a statement (and opening) waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
const WAL_RETRY_MS = 10;
/** Rows per INSERT of an import: 256 × 15 movie columns stays well under SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 256;
/** Page cache during an import (KiB), for the B-trees it grows; more bought little at ml-25m size and cost RSS. */
const IMPORT_CACHE_KIB = 64 * 1024;

/** The embedded store: one SQLite file in WAL mode, every acknowledged write synced to disk. */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly location: string;
  private readonly db: Database.Database;
  private readonly indexCache = new Map<number, { dataVersion: number; index: ExactIndex }>();

  constructor(path: string) {
    this.location = path;
    this.db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      this.requireNoForeignTables();
      this.enableWal();
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new StoreLocationError(`${path} is not a reelsense database (file is not a SQLite database)`);
      throw error;
    }
  }

  /**
   * Switches to WAL, retrying while another process holds the file: when several processes open a new file together,
   * SQLite answers the switch with SQLITE_BUSY at once instead of waiting through the busy timeout.
   */
  private enableWal(): void {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      try {
        this.db.pragma('journal_mode = WAL');
        return;
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_RETRY_MS);
      }
    }
  }

  /**
   * Applies pending migrations in one BEGIN IMMEDIATE transaction that reads schema_migrations again once it holds
   * the write lock, so processes opening a new file at once apply each migration exactly once. An up-to-date store
   * takes no lock at all: opening it never waits for a running import.
   */
  private migrate(): void {
    if (this.pendingMigrations().length === 0) return;
    this.db
      .transaction(() => {
        const pending = this.pendingMigrations();
        this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
        const record = this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
        for (const migration of pending) {
          this.db.exec(migration.sql);
          record.run(migration.version, migration.name, new Date().toISOString());
        }
      })
      .immediate();
  }

  private pendingMigrations(): Migration[] {
    const tracked = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    const applied = new Set(tracked ? (this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) : []);
    return SQLITE_MIGRATIONS.filter((migration) => !applied.has(migration.version));
  }

  /**
   * A new store starts from an empty file: another program's SQLite database is refused before anything (even the
   * journal mode) is changed in it. Reading the schema is also where a file that is no database at all fails.
   */
  private requireNoForeignTables(): void {
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    if (tables.length && !tables.includes('schema_migrations')) {
      throw new StoreLocationError(
        `${this.location} is not a reelsense database (it holds other tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''})`,
      );
    }
  }

  async importDataset(dataset: Dataset, progress: Progress = silentProgress): Promise<ImportSummary> {
    const bar = progress('writing', datasetRowCount(dataset));
    const summary = this.withImportCache(() => this.db.transaction(() => this.writeDataset(dataset, bar)).immediate());
    bar.done();
    return summary;
  }

  /** Runs a bulk write with a page cache large enough for the B-trees it grows, then gives the memory back. */
  private withImportCache<T>(work: () => T): T {
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    try {
      return work();
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  /** Writes the tables in foreign-key order; ratings straight from their columns. */
  private writeDataset(dataset: Dataset, bar?: ProgressBar): ImportSummary {
    const writeObjects = (table: ObjectTable): TableCounts => {
      const rows = objectRows(dataset, table);
      const { columns } = TABLE_COLUMNS[table];
      return this.upsertValues(table, rows.length, (row, column) => rows[row]![columns[column]!], bar);
    };
    const movies = writeObjects('movies');
    const users = writeObjects('users');
    const { users: userIds, movies: movieIds, ratings: values, timestamps } = dataset.ratings;
    const ratingColumns = [userIds, movieIds, values, timestamps];
    const ratings = this.withIndexesBuiltAfter('ratings', () => this.upsertValues('ratings', userIds.length, (row, column) => ratingColumns[column]![row], bar));
    const tags = writeObjects('tags');
    if (dataset.settings) this.writeSettingsNow(dataset.settings);
    return { movies, users, ratings, tags };
  }

  /**
   * Upserts `total` rows of a dataset table, ROWS_PER_STATEMENT to a statement (one call binds many rows, which
   * cuts the per-row cost of a bulk import); `valueAt(row, column)` gives the values in TABLE_COLUMNS order.
   */
  private upsertValues(table: DatasetTable, total: number, valueAt: (row: number, column: number) => unknown, bar?: ProgressBar): TableCounts {
    const { columns, key } = TABLE_COLUMNS[table];
    const statements = new Map<number, Database.Statement>();
    const statementFor = (rows: number) => {
      let statement = statements.get(rows);
      if (!statement) {
        const values = Array.from({ length: rows }, () => `(${columns.map(() => '?').join(', ')})`).join(', ');
        statement = this.db.prepare(`INSERT INTO ${table} (${columns.map(quote).join(', ')}) VALUES ${values} ${upsertClause(table, columns, key)}`);
        statements.set(rows, statement);
      }
      return statement;
    };
    const params: unknown[] = [];
    return this.upsertEach(
      table,
      total,
      (from, to) => {
        let changed = 0;
        for (let start = from; start < to; start += ROWS_PER_STATEMENT) {
          const end = Math.min(to, start + ROWS_PER_STATEMENT);
          params.length = 0;
          for (let row = start; row < end; row++) for (let column = 0; column < columns.length; column++) params.push(valueAt(row, column));
          changed += statementFor(end - start).run(params).changes;
        }
        return changed;
      },
      bar,
    );
  }

  /**
   * Loading rows into an empty table and then building its secondary indexes is much faster than growing the
   * indexes row by row (25M ratings: random inserts into the movie index dominate), so a load into an empty table
   * drops them first and rebuilds them from their own CREATE statements, inside the caller's transaction.
   */
  private withIndexesBuiltAfter<T>(table: string, load: () => T): T {
    if (this.count(table) > 0) return load();
    const indexes = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as {
      name: string;
      sql: string;
    }[];
    for (const { name } of indexes) this.db.exec(`DROP INDEX ${quote(name)}`);
    const result = load();
    for (const { sql } of indexes) this.db.exec(sql);
    return result;
  }

  /** One upsert call per row, for rows that bind named parameters (vectors). */
  private upsertRows<Row>(table: string, rows: Row[], upsert: (row: Row) => number, bar?: ProgressBar): TableCounts {
    return this.upsertEach(
      table,
      rows.length,
      (from, to) => {
        let changed = 0;
        for (let i = from; i < to; i++) changed += upsert(rows[i]!);
        return changed;
      },
      bar,
    );
  }

  /**
   * Upserts rows `from…to` at a time, ticking the bar after each range, and counts what happened: a row is
   * inserted, updated, or left as it was.
   */
  private upsertEach(table: string, total: number, upsertRange: (from: number, to: number) => number, bar?: ProgressBar): TableCounts {
    const before = this.count(table);
    let changed = 0;
    for (let from = 0; from < total; from += WRITE_CHUNK) {
      const to = Math.min(total, from + WRITE_CHUNK);
      changed += upsertRange(from, to);
      bar?.tick(to - from);
    }
    return countsFromChanges(total, changed, this.count(table) - before);
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
    const rows = this.db.prepare(`SELECT * FROM movies WHERE ${column} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as MovieRow[];
    return rows.map(fromMovieRow);
  }

  async listMovies(): Promise<Movie[]> {
    return (this.db.prepare(SQL.listMovies).all() as MovieRow[]).map(fromMovieRow);
  }

  async listRatings(): Promise<Rating[]> {
    return ratingsOf(await this.readInteractions());
  }

  async readInteractions(): Promise<Interactions> {
    // One read transaction, so the count and the rows come from the same snapshot.
    return this.db.transaction(() => {
      const interactions = emptyInteractions(this.count('ratings'));
      const { users, movies, ratings, timestamps } = interactions;
      let row = 0;
      for (const [user, movie, rating, timestamp] of this.db.prepare(SQL.ratingColumns).raw().iterate() as Iterable<[number, number, number, number]>) {
        users[row] = user;
        movies[row] = movie;
        ratings[row] = rating;
        timestamps[row] = timestamp;
        row++;
      }
      return interactions;
    })();
  }

  async listTags(): Promise<Tag[]> {
    return this.db.prepare(SQL.listTags).all() as Tag[];
  }

  async userRatings(userId: UserId): Promise<Rating[]> {
    return this.db
      .prepare('SELECT user_id AS "userId", movie_id AS "movieId", rating, "timestamp" FROM ratings WHERE user_id = ? ORDER BY "timestamp", movie_id')
      .all(userId) as Rating[];
  }

  async recordRating(rating: Rating): Promise<void> {
    this.db
      .transaction(() => {
        this.db.prepare(SQL.touchUser('?')).run(rating.userId);
        this.db
          .prepare(
            'INSERT INTO ratings (user_id, movie_id, rating, "timestamp") VALUES (?, ?, ?, ?) ON CONFLICT (user_id, movie_id) DO UPDATE SET rating = excluded.rating, "timestamp" = excluded."timestamp"',
          )
          .run(rating.userId, rating.movieId, rating.rating, rating.timestamp);
      })
      .immediate();
  }

  async deleteRating(userId: UserId, movieId: MovieId): Promise<boolean> {
    return this.db
      .transaction(() => {
        const deleted = this.db.prepare('DELETE FROM ratings WHERE user_id = ? AND movie_id = ?').run(userId, movieId).changes > 0;
        if (deleted) this.db.prepare(SQL.touchUser('?')).run(userId);
        return deleted;
      })
      .immediate();
  }

  async createUser(ratings: readonly Omit<Rating, 'userId'>[] = []): Promise<UserId> {
    return this.db
      .transaction(() => {
        const userId = this.db.prepare('INSERT INTO users (user_id) SELECT coalesce(max(user_id), 0) + 1 FROM users RETURNING user_id').pluck().get() as UserId;
        const insert = this.db.prepare('INSERT INTO ratings (user_id, movie_id, rating, "timestamp") VALUES (?, ?, ?, ?)');
        for (const rating of ratings) insert.run(userId, rating.movieId, rating.rating, rating.timestamp);
        return userId;
      })
      .immediate();
  }

  async hasUser(userId: UserId): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM users WHERE user_id = ?').get(userId) !== undefined;
  }

  async userVersion(userId: UserId): Promise<number | null> {
    return (this.db.prepare('SELECT version FROM users WHERE user_id = ?').pluck().get(userId) as number | undefined) ?? null;
  }

  async markNotInterested(entry: NotInterested): Promise<void> {
    this.db
      .transaction(() => {
        this.db.prepare(SQL.touchUser('?')).run(entry.userId);
        this.db
          .prepare('INSERT INTO not_interested (user_id, movie_id, "timestamp") VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
          .run(entry.userId, entry.movieId, entry.timestamp);
      })
      .immediate();
  }

  async notInterested(userId: UserId): Promise<MovieId[]> {
    return this.db.prepare('SELECT movie_id FROM not_interested WHERE user_id = ? ORDER BY "timestamp", movie_id').pluck().all(userId) as MovieId[];
  }

  async listNotInterested(): Promise<NotInterested[]> {
    return this.db.prepare(SQL.listNotInterested).all() as NotInterested[];
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.insertApiKey(key);
  }

  private insertApiKey(key: ApiKeyRecord): void {
    this.db
      .prepare('INSERT INTO api_keys (key_id, role, user_id, secret_hash, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(key.keyId, key.role, key.userId, key.secretHash, key.label, key.createdAt, key.revokedAt);
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    return (this.db.prepare(`${SQL.apiKeyColumns} WHERE key_id = ?`).get(keyId) as ApiKeyRecord | undefined) ?? null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.db.prepare(`${SQL.apiKeyColumns} ORDER BY created_at, key_id`).all() as ApiKeyRecord[];
  }

  async revokeApiKey(keyId: string, at: number): Promise<boolean> {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL').run(at, keyId).changes > 0;
  }

  async listUsers(): Promise<UserId[]> {
    return this.db.prepare(SQL.listUsers).pluck().all() as UserId[];
  }

  async stats(): Promise<StoreStats> {
    return this.statsNow();
  }

  private statsNow(): StoreStats {
    return statsFromRow(this.db.prepare(SQL.stats('json_array_length')).get() as Parameters<typeof statsFromRow>[0]);
  }

  async readSettings(): Promise<StoreSettings> {
    return settingsFromRows(this.db.prepare(SQL.listSettings).all() as { name: string; value: string }[]);
  }

  async writeSettings(settings: Partial<StoreSettings>): Promise<void> {
    this.db.transaction(() => this.writeSettingsNow(settings)).immediate();
  }

  private writeSettingsNow(settings: Partial<StoreSettings>): void {
    const remove = this.db.prepare('DELETE FROM settings WHERE name = ?');
    const upsert = this.db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    for (const { name, value } of settingRows(settings)) {
      if (value === null) remove.run(name);
      else upsert.run(name, value);
    }
  }

  async commitDurability(): Promise<Record<string, string>> {
    return { synchronous: String(this.db.pragma('synchronous', { simple: true })) };
  }

  private count(table: string): number {
    return this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }

  async writeVectors(space: VectorSpace, rows: VectorRows, options: WriteVectorsOptions = {}): Promise<VectorWriteSummary> {
    return this.db.transaction(() => this.writeVectorsNow(space, rows, options, new Date().toISOString())).immediate();
  }

  private writeVectorsNow(space: VectorSpace, rows: VectorRows, options: WriteVectorsOptions, updatedAt: string): VectorWriteSummary {
    checkVectorRows(space, rows);
    this.indexCache.clear();
    const owner = OWNER_TABLES[space.owner];
    const vectorTable = `${space.owner}_vectors`;
    const missing = this.db
      .prepare(`SELECT value FROM json_each(?) WHERE value NOT IN (SELECT ${owner.id} FROM ${owner.table}) ORDER BY value`)
      .pluck()
      .all(JSON.stringify(rows.ids)) as number[];
    if (missing.length) throw missingOwnersError(space, missing);

    const found = this.findSpace(space);
    let spaceId: number;
    let removed = 0;
    if (!found) {
      spaceId = Number(
        this.db
          .prepare('INSERT INTO vector_spaces (owner, kind, producer, version, dim, trained_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(space.owner, space.kind, space.producer, space.version, space.dim, space.trainedOn, updatedAt).lastInsertRowid,
      );
    } else {
      spaceId = found.space_id;
      if (replacesSpace(found, space)) {
        removed = this.db.prepare(`DELETE FROM ${vectorTable} WHERE space_id = ?`).run(spaceId).changes;
        this.db.prepare('UPDATE vector_spaces SET version = ?, dim = ?, trained_on = ? WHERE space_id = ?').run(space.version, space.dim, space.trainedOn, spaceId);
      } else if (options.replace) {
        removed = this.db
          .prepare(`DELETE FROM ${vectorTable} WHERE space_id = ? AND id NOT IN (SELECT value FROM json_each(?))`)
          .run(spaceId, JSON.stringify(rows.ids)).changes;
      }
    }

    const statement = this.db.prepare(
      `INSERT INTO ${vectorTable} (${VECTOR_COLUMNS.join(', ')}) VALUES (${VECTOR_COLUMNS.map((c) => `@${c}`).join(', ')}) ${upsertClause(vectorTable, VECTOR_COLUMNS, ['space_id', 'id'])}`,
    );
    const bytes = space.dim * Float32Array.BYTES_PER_ELEMENT;
    const vectorRows = rows.ids.map((id, row) => ({
      space_id: spaceId,
      id,
      content_hash: rows.contentHashes?.[row] ?? null,
      embedding: Buffer.from(rows.vectors.buffer, rows.vectors.byteOffset + row * bytes, bytes),
    }));
    const counts = this.upsertRows(vectorTable, vectorRows, (row) => statement.run(row).changes);
    if (!found || removed > 0 || counts.inserted + counts.updated > 0) {
      this.db.prepare('UPDATE vector_spaces SET updated_at = ? WHERE space_id = ?').run(updatedAt, spaceId);
    }
    return { ...counts, removed };
  }

  private findSpace(key: VectorSpaceKey): SpaceRow | undefined {
    checkSpaceKey(key);
    return this.db.prepare('SELECT * FROM vector_spaces WHERE owner = ? AND kind = ? AND producer = ?').get(key.owner, key.kind, key.producer) as SpaceRow | undefined;
  }

  async readVectors(key: VectorSpaceKey, ids?: readonly number[]): Promise<VectorSet | null> {
    const found = this.findSpace(key);
    return found ? this.readSpace(found, ids) : null;
  }

  private readSpace(space: SpaceRow, ids?: readonly number[]): VectorSet {
    const vectorTable = `${space.owner}_vectors`;
    const rows = (
      ids
        ? this.db
            .prepare(`SELECT id, content_hash, embedding FROM ${vectorTable} WHERE space_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id`)
            .all(space.space_id, JSON.stringify(ids))
        : this.db.prepare(`SELECT id, content_hash, embedding FROM ${vectorTable} WHERE space_id = ? ORDER BY id`).all(space.space_id)
    ) as { id: number; content_hash: string | null; embedding: Buffer }[];
    const bytes = space.dim * Float32Array.BYTES_PER_ELEMENT;
    const vectors = new Float32Array(rows.length * space.dim);
    // Copy bytes, not floats: a BLOB's buffer need not be 4-byte aligned for a Float32Array view.
    const target = new Uint8Array(vectors.buffer);
    rows.forEach((row, i) => {
      if (row.embedding.length !== bytes) {
        throw new Error(`${this.location}: vector ${spaceName(space)} id ${row.id} has ${row.embedding.length} bytes, expected ${bytes}`);
      }
      target.set(row.embedding, i * bytes);
    });
    return {
      space: this.spaceInfo(space),
      ids: rows.map((row) => row.id),
      vectors,
      contentHashes: rows.map((row) => row.content_hash),
    };
  }

  private spaceInfo(row: SpaceRow): VectorSpaceInfo {
    return spaceInfoFromRow(row, this.db.prepare(`SELECT count(*) FROM ${row.owner}_vectors WHERE space_id = ?`).pluck().get(row.space_id) as number);
  }

  async listVectorSpaces(): Promise<VectorSpaceInfo[]> {
    return this.spacesNow();
  }

  private spacesNow(): VectorSpaceInfo[] {
    const rows = this.db.prepare(SQL.listSpaces).all() as SpaceRow[];
    return rows.map((row) => this.spaceInfo(row));
  }

  async deleteVectorSpace(key: VectorSpaceKey): Promise<boolean> {
    checkSpaceKey(key);
    this.indexCache.clear();
    // The space's vectors go with it (ON DELETE CASCADE).
    return this.db.prepare('DELETE FROM vector_spaces WHERE owner = ? AND kind = ? AND producer = ?').run(key.owner, key.kind, key.producer).changes > 0;
  }

  async deleteVectors(key: VectorSpaceKey, ids: readonly number[]): Promise<number> {
    const found = this.findSpace(key);
    if (!found || ids.length === 0) return 0;
    this.indexCache.clear();
    return this.db.prepare(`DELETE FROM ${found.owner}_vectors WHERE space_id = ? AND id IN (SELECT value FROM json_each(?))`).run(found.space_id, JSON.stringify(ids))
      .changes;
  }

  async nearestVectors(key: VectorSpaceKey, query: Float32Array, k: number, options: NearestOptions = {}): Promise<Neighbour[]> {
    const found = this.findSpace(key);
    if (!found) throw new VectorInputError(`nearest: no vector space ${spaceName(key)} in ${this.location}`);
    checkNearestQuery(key, found.dim, query, k);
    return this.exactIndexOf(found).nearest(query, k, options);
  }

  /**
   * The space's vectors in memory as an exact index, read once and kept while the database is unchanged:
   * `data_version` moves when another connection commits, and this store clears the cache on its own writes.
   */
  private exactIndexOf(space: SpaceRow): ExactIndex {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const cached = this.indexCache.get(space.space_id);
    if (cached?.dataVersion === dataVersion) return cached.index;
    const set = this.readSpace(space);
    const index = new ExactIndex(set.ids, set.vectors, space.dim);
    this.indexCache.set(space.space_id, { dataVersion, index });
    return index;
  }

  async loadSnapshot(snapshot: StoreSnapshot): Promise<StoreCounts> {
    return this.withImportCache(() =>
      this.db
        .transaction(() => {
          requireEmpty(this.countsNow(), this.location);
          this.writeDataset(snapshot.dataset);
          for (const set of snapshot.vectors) this.writeVectorsNow(set.space, set, {}, set.space.updatedAt);
          this.writeSettingsNow(snapshot.settings);
          const insert = this.db.prepare('INSERT INTO not_interested (user_id, movie_id, "timestamp") VALUES (?, ?, ?)');
          for (const entry of snapshot.notInterested) insert.run(entry.userId, entry.movieId, entry.timestamp);
          for (const key of snapshot.apiKeys) this.insertApiKey(key);
          const counts = this.countsNow();
          requireComplete(snapshot, counts, this.location);
          return counts;
        })
        .immediate(),
    );
  }

  private countsNow(): StoreCounts {
    return countsOf(this.statsNow(), { notInterested: this.count('not_interested'), apiKeys: this.count('api_keys') }, this.spacesNow());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
