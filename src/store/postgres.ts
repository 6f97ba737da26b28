import { endianness } from 'node:os';
import pg from 'pg';
import type { Dataset, Movie, MovieId, Rating, Tag, UserId } from '../domain.js';
import { emptyInteractions, ratingsOf, type Interactions } from '../interactions.js';
import { silentProgress, type Progress, type ProgressBar } from '../progress.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
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
import { StoreLocationError } from '../errors.js';
import type {
  ImportSummary,
  NearestOptions,
  Neighbour,
  NotInterested,
  ApiKeyRecord,
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
import type { NearestIndex, NearestQueryOptions } from '../index/nearest.js';

const { Pool, types } = pg;
type Client = pg.PoolClient;

/** pgvector 0.8 brought iterative index scans, which keep a filtered nearest-neighbour query from coming back short. */
const MIN_PGVECTOR = '0.8.0';
/** pgvector indexes `vector` columns of at most 2,000 dimensions with HNSW; larger spaces are scanned exactly. */
const HNSW_MAX_DIM = 2_000;
/** hnsw.ef_search is at most 1,000, and an HNSW scan returns at most ef_search rows: a larger k scans exactly. */
const HNSW_MAX_EF_SEARCH = 1_000;
const DEFAULT_EF_SEARCH = 100;
/** Rows per FETCH when reading every rating through a cursor. */
const READ_PAGE = 50_000;
/** Bytes of vectors per INSERT. */
const VECTOR_CHUNK_BYTES = 4 << 20;
/** Any fixed number: the advisory lock that serialises schema migrations of concurrent openers. */
const MIGRATION_LOCK = 5_270_447;

/** Each dataset column's PostgreSQL type, for the typed arrays that `unnest` turns into rows. */
const COLUMN_TYPES: Record<string, string> = {
  movie_id: 'int8',
  user_id: 'int8',
  title: 'text',
  year: 'int4',
  genres: 'jsonb',
  overview: 'text',
  tagline: 'text',
  keywords: 'jsonb',
  cast_members: 'jsonb',
  directors: 'jsonb',
  release_date: 'text',
  runtime: 'int4',
  language: 'text',
  imdb_id: 'text',
  tmdb_id: 'int8',
  poster: 'text',
  rating: 'float4',
  timestamp: 'int8',
  tag: 'text',
};

const VECTOR_COLUMNS = ['id', 'content_hash', 'embedding'] as const;

/** Values as this store reads them: bigint ids and times as numbers (all below 2^53), jsonb as its JSON text. */
const TYPE_PARSERS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === Number(types.builtins.INT8)) return Number;
    if (oid === Number(types.builtins.JSONB)) return (text: string) => text;
    return types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL with its password replaced by `***`, for messages and `location`. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/**
 * The scale-out store: PostgreSQL with pgvector. Every write method is one transaction; sessions run with
 * synchronous_commit on, so a commit is acknowledged only once it is flushed to disk, whatever the server default.
 */
export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  /** The oid of the `vector` type in this database: binary vector arrays name their element type. */
  private vectorOid = 0;

  private constructor(url: string) {
    this.location = maskPassword(url);
    this.pool = new Pool({ connectionString: url, types: TYPE_PARSERS, options: '-c synchronous_commit=on', max: 4 });
    // An idle connection that the server drops is replaced on the next query; without a listener it would crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Connects, checks pgvector and applies pending migrations; with `mustExist`, refuses a database without reelsense tables. */
  static async open(url: string, options: { mustExist?: boolean } = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url);
    try {
      await store.prepare(options.mustExist ?? false);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  private async prepare(mustExist: boolean): Promise<void> {
    let client: Client;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new StoreLocationError(`cannot connect to PostgreSQL at ${this.location}: ${(error as Error).message}`);
    }
    try {
      if (mustExist) {
        const { rows } = await client.query<{ found: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
        if (!rows[0]!.found) throw new StoreLocationError(`database ${this.location} has no reelsense tables (run \`reelsense ingest --db URL …\` first)`);
      }
      await this.inTransaction(client, () => this.migrate(client));
      this.vectorOid = (await client.query<{ oid: number }>("SELECT 'vector'::regtype::oid::int AS oid")).rows[0]!.oid;
    } finally {
      client.release();
    }
  }

  private async migrate(client: Client): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await this.ensurePgvector(client);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [migration.version, migration.name]);
    }
  }

  private async ensurePgvector(client: Client): Promise<void> {
    const installed = async () => (await client.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).rows[0]?.extversion;
    if (!(await installed())) {
      const available = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
      if (!available.rowCount) {
        throw new StoreLocationError(`the PostgreSQL server of ${this.location} has no pgvector extension: install pgvector ${MIN_PGVECTOR} or later on it`);
      }
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      } catch (error) {
        throw new StoreLocationError(
          `cannot create the pgvector extension in ${this.location}: ${(error as Error).message} (a superuser can run CREATE EXTENSION vector in that database)`,
        );
      }
    }
    const version = (await installed())!;
    if (!versionAtLeast(version, MIN_PGVECTOR)) {
      throw new StoreLocationError(`pgvector ${version} in ${this.location} is too old: ${MIN_PGVECTOR} or later is needed (ALTER EXTENSION vector UPDATE)`);
    }
  }

  /** Runs `work` in one transaction on one pooled connection: all of it commits, or none of it. */
  private async transaction<T>(work: (client: Client) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      const result = await this.inTransaction(client, () => work(client), begin);
      client.release();
      return result;
    } catch (error) {
      // After a failure the connection's state is unknown (the rollback may have failed too): discard it.
      client.release(true);
      throw error;
    }
  }

  private async inTransaction<T>(client: Client, work: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
    await client.query(begin);
    try {
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async importDataset(dataset: Dataset, progress: Progress = silentProgress): Promise<ImportSummary> {
    const bar = progress('writing', datasetRowCount(dataset));
    const summary = await this.transaction((client) => this.writeDataset(client, dataset, bar));
    bar.done();
    return summary;
  }

  /** Writes the tables in foreign-key order, in chunks of one statement each; ratings straight from their columns. */
  private async writeDataset(client: Client, dataset: Dataset, bar?: ProgressBar): Promise<ImportSummary> {
    const write = (table: DatasetTable, total: number, params: (from: number, to: number) => unknown[]) => {
      const { columns, key } = TABLE_COLUMNS[table];
      return this.upsertChunks(
        client,
        table,
        columns,
        key,
        columns.map((column) => COLUMN_TYPES[column]!),
        total,
        WRITE_CHUNK,
        params,
        bar,
      );
    };
    const writeObjects = (table: ObjectTable) => {
      const rows = objectRows(dataset, table);
      return write(table, rows.length, (from, to) => {
        const chunk = rows.slice(from, to);
        return TABLE_COLUMNS[table].columns.map((column) => chunk.map((row) => row[column]));
      });
    };
    const movies = await writeObjects('movies');
    const users = await writeObjects('users');
    const { users: userIds, movies: movieIds, ratings: values, timestamps } = dataset.ratings;
    const ratings = await write('ratings', userIds.length, (from, to) =>
      [userIds, movieIds, values, timestamps].map((column) => arrayLiteral(column.subarray(from, to))),
    );
    const tags = await writeObjects('tags');
    if (dataset.settings) await this.writeSettingsOn(client, dataset.settings);
    return { movies, users, ratings, tags };
  }

  /**
   * Upserts rows `from…to` at a time as one `INSERT … SELECT FROM unnest(<one array per column>)` each (one round
   * trip per chunk, whatever the row count) and counts what happened.
   */
  private async upsertChunks(
    client: Client,
    table: string,
    columns: readonly string[],
    key: readonly string[],
    columnTypes: string[],
    total: number,
    chunk: number,
    params: (from: number, to: number) => unknown[],
    bar?: ProgressBar,
  ): Promise<TableCounts> {
    const sql = `INSERT INTO ${table} (${columns.map(quote).join(', ')}) SELECT * FROM unnest(${columnTypes.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) ${upsertClause(table, columns, key)}`;
    const before = await this.count(client, table);
    let changed = 0;
    for (let from = 0; from < total; from += chunk) {
      const to = Math.min(total, from + chunk);
      changed += (await client.query(sql, params(from, to))).rowCount ?? 0;
      bar?.tick(to - from);
    }
    return countsFromChanges(total, changed, (await this.count(client, table)) - before);
  }

  private async count(client: Client | pg.Pool, table: string): Promise<number> {
    return (await client.query<{ count: number }>(`SELECT count(*) AS count FROM ${table}`)).rows[0]!.count;
  }

  async getMovies(movieIds: readonly MovieId[]): Promise<Movie[]> {
    return this.selectMoviesWhere('movie_id', movieIds);
  }

  async moviesByTmdbIds(tmdbIds: readonly number[]): Promise<Movie[]> {
    return this.selectMoviesWhere('tmdb_id', tmdbIds);
  }

  private async selectMoviesWhere(column: 'movie_id' | 'tmdb_id', ids: readonly number[]): Promise<Movie[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<MovieRow>(`SELECT * FROM movies WHERE ${column} = ANY($1::int8[])`, [ids]);
    return rows.map(fromMovieRow);
  }

  async listMovies(): Promise<Movie[]> {
    return (await this.pool.query<MovieRow>(SQL.listMovies)).rows.map(fromMovieRow);
  }

  async listRatings(): Promise<Rating[]> {
    return ratingsOf(await this.readInteractions());
  }

  /** Pages through a cursor into typed arrays, in one snapshot (REPEATABLE READ) so the count and the rows agree. */
  async readInteractions(): Promise<Interactions> {
    return this.transaction(async (client) => {
      const interactions = emptyInteractions(await this.count(client, 'ratings'));
      const { users, movies, ratings, timestamps } = interactions;
      await client.query(`DECLARE rating_rows NO SCROLL CURSOR FOR ${SQL.ratingColumns}`);
      for (let row = 0; ;) {
        const page = await client.query<[number, number, number, number]>({ text: `FETCH ${READ_PAGE} FROM rating_rows`, rowMode: 'array' });
        if (page.rows.length === 0) return interactions;
        for (const [user, movie, rating, timestamp] of page.rows) {
          users[row] = user;
          movies[row] = movie;
          ratings[row] = rating;
          timestamps[row] = timestamp;
          row++;
        }
      }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async listTags(): Promise<Tag[]> {
    return (await this.pool.query<Tag>(SQL.listTags)).rows;
  }

  async userRatings(userId: UserId): Promise<Rating[]> {
    const query = 'SELECT user_id AS "userId", movie_id AS "movieId", rating, "timestamp" FROM ratings WHERE user_id = $1 ORDER BY "timestamp", movie_id';
    return (await this.pool.query<Rating>(query, [userId])).rows;
  }

  async recordRating(rating: Rating): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(SQL.touchUser('$1'), [rating.userId]);
      await client.query(
        'INSERT INTO ratings (user_id, movie_id, rating, "timestamp") VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, movie_id) DO UPDATE SET rating = excluded.rating, "timestamp" = excluded."timestamp"',
        [rating.userId, rating.movieId, rating.rating, rating.timestamp],
      );
    });
  }

  async deleteRating(userId: UserId, movieId: MovieId): Promise<boolean> {
    return this.transaction(async (client) => {
      const deleted = ((await client.query('DELETE FROM ratings WHERE user_id = $1 AND movie_id = $2', [userId, movieId])).rowCount ?? 0) > 0;
      if (deleted) await client.query(SQL.touchUser('$1'), [userId]);
      return deleted;
    });
  }

  /** Serialised by a transaction-scoped advisory lock, so two servers creating users at once never take the same id. */
  async createUser(ratings: readonly Omit<Rating, 'userId'>[] = []): Promise<UserId> {
    return this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('reelsense.create_user'))");
      const { rows } = await client.query<{ user_id: number }>('INSERT INTO users (user_id) SELECT coalesce(max(user_id), 0) + 1 FROM users RETURNING user_id');
      const userId = rows[0]!.user_id;
      if (ratings.length > 0) {
        await client.query('INSERT INTO ratings (user_id, movie_id, rating, "timestamp") SELECT $1, * FROM unnest($2::bigint[], $3::real[], $4::bigint[])', [
          userId,
          ratings.map((rating) => rating.movieId),
          ratings.map((rating) => rating.rating),
          ratings.map((rating) => rating.timestamp),
        ]);
      }
      return userId;
    });
  }

  async hasUser(userId: UserId): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM users WHERE user_id = $1', [userId])).rows.length > 0;
  }

  async userVersion(userId: UserId): Promise<number | null> {
    return (await this.pool.query<{ version: number }>('SELECT version FROM users WHERE user_id = $1', [userId])).rows[0]?.version ?? null;
  }

  async markNotInterested(entry: NotInterested): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(SQL.touchUser('$1'), [entry.userId]);
      await client.query('INSERT INTO not_interested (user_id, movie_id, "timestamp") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        entry.userId,
        entry.movieId,
        entry.timestamp,
      ]);
    });
  }

  async notInterested(userId: UserId): Promise<MovieId[]> {
    const { rows } = await this.pool.query<{ movie_id: number }>('SELECT movie_id FROM not_interested WHERE user_id = $1 ORDER BY "timestamp", movie_id', [userId]);
    return rows.map((row) => row.movie_id);
  }

  async listNotInterested(): Promise<NotInterested[]> {
    return (await this.pool.query<NotInterested>(SQL.listNotInterested)).rows;
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    await insertApiKey(this.pool, key);
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    return (await this.pool.query<ApiKeyRecord>(`${SQL.apiKeyColumns} WHERE key_id = $1`, [keyId])).rows[0] ?? null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.pool.query<ApiKeyRecord>(`${SQL.apiKeyColumns} ORDER BY created_at, key_id`)).rows;
  }

  async revokeApiKey(keyId: string, at: number): Promise<boolean> {
    return ((await this.pool.query('UPDATE api_keys SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL', [at, keyId])).rowCount ?? 0) > 0;
  }

  async listUsers(): Promise<UserId[]> {
    return (await this.pool.query<{ user_id: number }>(SQL.listUsers)).rows.map((row) => row.user_id);
  }

  async stats(): Promise<StoreStats> {
    return this.statsOn(this.pool);
  }

  private async statsOn(client: Client | pg.Pool): Promise<StoreStats> {
    return statsFromRow((await client.query<Parameters<typeof statsFromRow>[0]>(SQL.stats('jsonb_array_length'))).rows[0]!);
  }

  async readSettings(): Promise<StoreSettings> {
    return settingsFromRows((await this.pool.query<{ name: string; value: string }>(SQL.listSettings)).rows);
  }

  async writeSettings(settings: Partial<StoreSettings>): Promise<void> {
    await this.transaction((client) => this.writeSettingsOn(client, settings));
  }

  private async writeSettingsOn(client: Client, settings: Partial<StoreSettings>): Promise<void> {
    for (const { name, value } of settingRows(settings)) {
      if (value === null) await client.query('DELETE FROM settings WHERE name = $1', [name]);
      else await client.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
    }
  }

  async commitDurability(): Promise<Record<string, string>> {
    const { rows } = await this.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    return { synchronous_commit: rows[0]!.synchronous_commit };
  }

  async writeVectors(space: VectorSpace, rows: VectorRows, options: WriteVectorsOptions = {}): Promise<VectorWriteSummary> {
    checkVectorRows(space, rows);
    return this.transaction((client) => this.writeVectorsOn(client, space, rows, options, new Date().toISOString()));
  }

  private async writeVectorsOn(client: Client, space: VectorSpace, rows: VectorRows, options: WriteVectorsOptions, updatedAt: string): Promise<VectorWriteSummary> {
    const owner = OWNER_TABLES[space.owner];
    const missing = await client.query<{ id: number }>(
      `SELECT id FROM unnest($1::int8[]) AS id WHERE NOT EXISTS (SELECT 1 FROM ${owner.table} WHERE ${owner.id} = id) ORDER BY id`,
      [rows.ids],
    );
    if (missing.rowCount)
      throw missingOwnersError(
        space,
        missing.rows.map((row) => row.id),
      );

    // A new space's row is inserted here; an existing one is locked, so concurrent writers of one space take turns.
    const created = await client.query<{ space_id: number }>(
      `INSERT INTO vector_spaces (owner, kind, producer, version, dim, trained_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (owner, kind, producer) DO NOTHING RETURNING space_id`,
      [space.owner, space.kind, space.producer, space.version, space.dim, space.trainedOn, updatedAt],
    );
    const found = created.rowCount ? undefined : await this.findSpace(client, space, 'FOR UPDATE');
    const spaceId = created.rows[0]?.space_id ?? found!.space_id;
    const table = vectorTable(spaceId);
    let removed = 0;
    if (!found || replacesSpace(found, space)) {
      // New, or made by another version of the producer or from other ratings: the table is (re)made for this dimension.
      if (found) removed = await this.count(client, table);
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(
        `CREATE TABLE ${table} (id bigint PRIMARY KEY REFERENCES ${owner.table} (${owner.id}), content_hash text, embedding vector(${space.dim}) NOT NULL)`,
      );
      await client.query('UPDATE vector_spaces SET version = $2, dim = $3, trained_on = $4 WHERE space_id = $1', [spaceId, space.version, space.dim, space.trainedOn]);
    } else if (options.replace) {
      removed = (await client.query(`DELETE FROM ${table} WHERE id <> ALL($1::int8[])`, [rows.ids])).rowCount ?? 0;
    }

    // Building an HNSW index over loaded rows is much faster than growing it row by row, so a load into an empty
    // table drops the index first and builds it after.
    const loadingEmpty = (await this.count(client, table)) === 0;
    if (loadingEmpty) await client.query(`DROP INDEX IF EXISTS ${table}_hnsw`);
    const rowsPerChunk = Math.max(1, Math.floor(VECTOR_CHUNK_BYTES / (4 * space.dim)));
    const counts = await this.upsertChunks(client, table, VECTOR_COLUMNS, ['id'], ['int8', 'text', 'vector'], rows.ids.length, rowsPerChunk, (from, to) => [
      rows.ids.slice(from, to),
      rows.contentHashes?.slice(from, to) ?? new Array<null>(to - from).fill(null),
      vectorArrayParam(this.vectorOid, rows.vectors, space.dim, from, to),
    ]);
    if (loadingEmpty && space.dim <= HNSW_MAX_DIM) {
      await client.query("SET LOCAL maintenance_work_mem = '512MB'");
      await client.query(`CREATE INDEX ${table}_hnsw ON ${table} USING hnsw (embedding vector_cosine_ops)`);
    }
    if (!found || removed > 0 || counts.inserted + counts.updated > 0) {
      await client.query('UPDATE vector_spaces SET updated_at = $2 WHERE space_id = $1', [spaceId, updatedAt]);
    }
    return { ...counts, removed };
  }

  private async findSpace(client: Client, key: VectorSpaceKey, lock: '' | 'FOR UPDATE' = ''): Promise<SpaceRow | undefined> {
    checkSpaceKey(key);
    const { rows } = await client.query<SpaceRow>(`SELECT * FROM vector_spaces WHERE owner = $1 AND kind = $2 AND producer = $3 ${lock}`, [
      key.owner,
      key.kind,
      key.producer,
    ]);
    return rows[0];
  }

  async readVectors(key: VectorSpaceKey, ids?: readonly number[]): Promise<VectorSet | null> {
    // One snapshot for the space row, its count and its vectors.
    return this.transaction(async (client) => {
      const found = await this.findSpace(client, key);
      if (!found) return null;
      const table = vectorTable(found.space_id);
      const { rows } = await client.query<{ id: number; content_hash: string | null; embedding: Buffer }>(
        `SELECT id, content_hash, vector_send(embedding) AS embedding FROM ${table} ${ids ? 'WHERE id = ANY($1::int8[])' : ''} ORDER BY id`,
        ids ? [ids] : [],
      );
      const vectors = new Float32Array(rows.length * found.dim);
      rows.forEach((row, i) => readVector(row.embedding, found.dim, vectors, i));
      return {
        space: await this.spaceInfo(client, found),
        ids: rows.map((row) => row.id),
        vectors,
        contentHashes: rows.map((row) => row.content_hash),
      };
    });
  }

  private async spaceInfo(client: Client, row: SpaceRow): Promise<VectorSpaceInfo> {
    return spaceInfoFromRow(row, await this.count(client, vectorTable(row.space_id)));
  }

  async listVectorSpaces(): Promise<VectorSpaceInfo[]> {
    return this.transaction((client) => this.spacesOn(client));
  }

  private async spacesOn(client: Client): Promise<VectorSpaceInfo[]> {
    const { rows } = await client.query<SpaceRow>(SQL.listSpaces);
    const spaces: VectorSpaceInfo[] = [];
    for (const row of rows) spaces.push(await this.spaceInfo(client, row));
    return spaces;
  }

  async deleteVectorSpace(key: VectorSpaceKey): Promise<boolean> {
    return this.transaction(async (client) => {
      const found = await this.findSpace(client, key, 'FOR UPDATE');
      if (!found) return false;
      await client.query(`DROP TABLE ${vectorTable(found.space_id)}`);
      await client.query('DELETE FROM vector_spaces WHERE space_id = $1', [found.space_id]);
      return true;
    });
  }

  async deleteVectors(key: VectorSpaceKey, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.transaction(async (client) => {
      const found = await this.findSpace(client, key, 'FOR UPDATE');
      if (!found) return 0;
      return (await client.query(`DELETE FROM ${vectorTable(found.space_id)} WHERE id = ANY($1::int8[])`, [ids])).rowCount ?? 0;
    });
  }

  async nearestVectors(key: VectorSpaceKey, query: Float32Array, k: number, options: NearestOptions = {}): Promise<Neighbour[]> {
    return this.transaction(async (client) => {
      const found = await this.findSpace(client, key);
      if (!found) throw new VectorInputError(`nearest: no vector space ${spaceName(key)} in ${this.location}`);
      checkNearestQuery(key, found.dim, query, k);
      return new PgvectorIndex(client, found, options).nearest(query, k, options);
    });
  }

  async loadSnapshot(snapshot: StoreSnapshot): Promise<StoreCounts> {
    for (const set of snapshot.vectors) checkVectorRows(set.space, set);
    return this.transaction(async (client) => {
      requireEmpty(await this.countsOn(client), this.location);
      await this.writeDataset(client, snapshot.dataset);
      for (const set of snapshot.vectors) await this.writeVectorsOn(client, set.space, set, {}, set.space.updatedAt);
      await this.writeSettingsOn(client, snapshot.settings);
      if (snapshot.notInterested.length > 0) {
        const { notInterested } = snapshot;
        await client.query('INSERT INTO not_interested (user_id, movie_id, "timestamp") SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])', [
          notInterested.map((entry) => entry.userId),
          notInterested.map((entry) => entry.movieId),
          notInterested.map((entry) => entry.timestamp),
        ]);
      }
      for (const key of snapshot.apiKeys) await insertApiKey(client, key);
      const counts = await this.countsOn(client);
      requireComplete(snapshot, counts, this.location);
      return counts;
    });
  }

  private async countsOn(client: Client): Promise<StoreCounts> {
    const feedback = { notInterested: await this.count(client, 'not_interested'), apiKeys: await this.count(client, 'api_keys') };
    return countsOf(await this.statsOn(client), feedback, await this.spacesOn(client));
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

async function insertApiKey(client: Client | pg.Pool, key: ApiKeyRecord): Promise<void> {
  await client.query('INSERT INTO api_keys (key_id, role, user_id, secret_hash, label, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    key.keyId,
    key.role,
    key.userId,
    key.secretHash,
    key.label,
    key.createdAt,
    key.revokedAt,
  ]);
}

const vectorTable = (spaceId: number) => `space_vectors_${spaceId}`;

/**
 * One space's vectors searched in PostgreSQL, within the caller's transaction: pgvector's HNSW index (approximate),
 * or an exact scan when asked, when k is beyond what HNSW returns, or when the space is too wide to be indexed.
 */
class PgvectorIndex implements NearestIndex {
  constructor(
    private readonly client: Client,
    private readonly space: SpaceRow,
    private readonly search: Pick<NearestOptions, 'exact' | 'efSearch'>,
  ) {}

  async nearest(query: Float32Array, k: number, options: NearestQueryOptions = {}): Promise<Neighbour[]> {
    if (this.search.exact || k > HNSW_MAX_EF_SEARCH || this.space.dim > HNSW_MAX_DIM) {
      await this.client.query("SELECT set_config('enable_indexscan', 'off', true)");
    } else {
      const efSearch = Math.min(HNSW_MAX_EF_SEARCH, Math.max(k, this.search.efSearch ?? DEFAULT_EF_SEARCH));
      await this.client.query("SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'strict_order', true)", [String(efSearch)]);
    }
    const exclude = options.exclude ?? [];
    const { rows } = await this.client.query<Neighbour>(
      `SELECT id, 1 - (embedding <=> $1::vector) AS similarity FROM ${vectorTable(this.space.space_id)}
       ${exclude.length ? 'WHERE id <> ALL($3::int8[])' : ''} ORDER BY embedding <=> $1::vector LIMIT $2`,
      [vectorParam(query), k, ...(exclude.length ? [exclude] : [])],
    );
    return rows;
  }
}

/** A typed array as PostgreSQL's text array literal `{1,2,3}`: one string per column and chunk, no JavaScript array. */
const arrayLiteral = (values: Int32Array | Float32Array | Float64Array) => `{${values.join(',')}}`;

function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [have, want] = [parts(version), parts(minimum)];
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/*
 * pgvector's binary format, which a Buffer parameter is sent in: int16 dimension, int16 zero, then the values as
 * big-endian float32. Binary keeps bulk transfers exact and about three times smaller than the text form; values
 * are copied as bytes and byte-swapped natively (swap32) rather than converted one float at a time.
 */
const VECTOR_HEADER_BYTES = 4;
const HOST_IS_BIG_ENDIAN = endianness() === 'BE';

function writeVector(buffer: Buffer, offset: number, values: Float32Array, start: number, dim: number): number {
  offset = buffer.writeInt16BE(dim, offset);
  offset = buffer.writeInt16BE(0, offset);
  buffer.set(new Uint8Array(values.buffer, values.byteOffset + 4 * start, 4 * dim), offset);
  if (!HOST_IS_BIG_ENDIAN) buffer.subarray(offset, offset + 4 * dim).swap32();
  return offset + 4 * dim;
}

function vectorParam(vector: Float32Array): Buffer {
  const buffer = Buffer.allocUnsafe(VECTOR_HEADER_BYTES + 4 * vector.length);
  writeVector(buffer, 0, vector, 0, vector.length);
  return buffer;
}

/** Rows `from…to` of a row-major matrix as a binary one-dimensional `vector[]` (PostgreSQL's array_recv format). */
function vectorArrayParam(vectorOid: number, vectors: Float32Array, dim: number, from: number, to: number): Buffer {
  const elementBytes = VECTOR_HEADER_BYTES + 4 * dim;
  const buffer = Buffer.allocUnsafe(20 + (to - from) * (4 + elementBytes));
  let offset = buffer.writeInt32BE(1, 0); // dimensions
  offset = buffer.writeInt32BE(0, offset); // no NULL elements
  offset = buffer.writeUInt32BE(vectorOid, offset);
  offset = buffer.writeInt32BE(to - from, offset); // length
  offset = buffer.writeInt32BE(1, offset); // lower bound
  for (let row = from; row < to; row++) {
    offset = buffer.writeInt32BE(elementBytes, offset);
    offset = writeVector(buffer, offset, vectors, row * dim, dim);
  }
  return buffer;
}

/** Decodes one `vector_send` value (a Buffer of its own, swapped in place) into `target` at row `row`. */
function readVector(bytes: Buffer, dim: number, target: Float32Array, row: number): void {
  if (bytes.length !== VECTOR_HEADER_BYTES + 4 * dim || bytes.readInt16BE(0) !== dim) {
    throw new Error(`expected a ${dim}-dimensional vector, got ${bytes.length} bytes`);
  }
  const values = bytes.subarray(VECTOR_HEADER_BYTES);
  if (!HOST_IS_BIG_ENDIAN) values.swap32();
  new Uint8Array(target.buffer, target.byteOffset + 4 * dim * row, 4 * dim).set(values);
}
