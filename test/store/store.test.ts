import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { issueApiKey, verifyApiKey } from '../../src/auth/keys.js';
import type { Dataset, Movie } from '../../src/domain.js';
import { NotFoundError, StoreLocationError } from '../../src/errors.js';
import { ratingsOf } from '../../src/interactions.js';
import { openStore } from '../../src/store/open.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations/postgres.js';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.js';
import { movie, smallDataset, withRatings } from '../support/datasets.js';
import { dumpStore } from '../support/dump.js';
import { closing, STORE_TARGETS, type StoreTarget } from '../support/stores.js';

/** The store's own bookkeeping, read around the store: which migrations are recorded. */
async function appliedMigrations(target: StoreTarget, db: string): Promise<number[]> {
  const sql = 'SELECT version FROM schema_migrations ORDER BY version';
  if (target.backend === 'sqlite') {
    const raw = new Database(db, { readonly: true });
    try {
      return raw.prepare(sql).pluck().all() as number[];
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return (await client.query<{ version: number }>(sql)).rows.map((row) => row.version);
  } finally {
    await client.end();
  }
}

describe.each(STORE_TARGETS)('store on $backend', (target) => {
  it('imports a dataset and reads back exactly the same rows', async () => {
    const dataset = smallDataset();
    await closing(openStore(await target.freshTarget()), async (store) => {
      expect(store.backend).toBe(target.backend);
      expect(await store.importDataset(dataset)).toEqual({
        movies: { inserted: 4, updated: 0, unchanged: 0 },
        users: { inserted: 3, updated: 0, unchanged: 0 },
        ratings: { inserted: 5, updated: 0, unchanged: 0 },
        tags: { inserted: 3, updated: 0, unchanged: 0 },
      });
      const dump = await dumpStore(store);
      expect(dump.movies).toEqual(dataset.movies);
      expect(dump.users).toEqual([1, 2, 3]);
      expect(dump.ratings).toEqual(ratingsOf(dataset.ratings).sort((a, b) => a.userId - b.userId || a.timestamp - b.timestamp || a.movieId - b.movieId));
      expect(dump.tags).toEqual(dataset.tags);
      expect(await store.stats()).toEqual({
        movies: 4,
        users: 3,
        ratings: 5,
        tags: 3,
        coverage: { overview: 2, tagline: 1, keywords: 2, cast: 2, directors: 1, poster: 1 },
      });
    });
  });

  it('re-importing changes nothing; a changed row is updated in place and a new one inserted', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      const before = await dumpStore(store);
      expect(await store.importDataset(smallDataset())).toEqual({
        movies: { inserted: 0, updated: 0, unchanged: 4 },
        users: { inserted: 0, updated: 0, unchanged: 3 },
        ratings: { inserted: 0, updated: 0, unchanged: 5 },
        tags: { inserted: 0, updated: 0, unchanged: 3 },
      });
      expect(await dumpStore(store)).toEqual(before);

      const changed = withRatings(smallDataset(), (ratings) => {
        ratings[0] = { ...ratings[0]!, rating: 4.5 };
        ratings.push({ userId: 3, movieId: 5, rating: 3, timestamp: 1 });
      });
      changed.movies[1] = { ...changed.movies[1]!, keywords: ['robbery'], runtime: 170 };
      changed.movies.push(movie(5));
      const summary = await store.importDataset(changed);
      expect(summary.movies).toEqual({ inserted: 1, updated: 1, unchanged: 3 });
      expect(summary.ratings).toEqual({ inserted: 1, updated: 1, unchanged: 4 });
      expect((await store.getMovies([2]))[0]).toMatchObject({ keywords: ['robbery'], runtime: 170 });
      expect((await store.stats()).movies).toBe(5);
    });
  });

  it('finds movies by id and by TMDB id, only those that exist', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      const ids = (movies: Movie[]) => movies.map((m) => m.movieId).sort((a, b) => a - b);
      expect(ids(await store.getMovies([3, 1, 99]))).toEqual([1, 3]);
      expect(await store.getMovies([])).toEqual([]);
      expect(ids(await store.moviesByTmdbIds([949, 19995, 5]))).toEqual([2, 1_000_019_995]);
    });
  });

  it.each<[string, (dataset: Dataset) => Dataset]>([
    ['a rating of a movie that is not in the store', (dataset) => withRatings(dataset, (ratings) => ratings.push({ userId: 1, movieId: 404, rating: 3, timestamp: 1 }))],
    ['a rating outside 0.5–5', (dataset) => withRatings(dataset, (ratings) => ratings.push({ userId: 3, movieId: 3, rating: 7, timestamp: 1 }))],
    ['a tag of a user that is not in the store', (dataset) => ({ ...dataset, tags: [...dataset.tags, { userId: 9, movieId: 1, tag: 'x', timestamp: 1 }] })],
  ])('a write that fails on %s leaves the store exactly as it was', async (_, breakIt) => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      const before = await dumpStore(store);
      const dataset = smallDataset();
      dataset.movies[0] = { ...dataset.movies[0]!, title: 'Changed (1995)' };
      dataset.movies.push(movie(6));
      await expect(store.importDataset(breakIt(dataset))).rejects.toThrow();
      expect(await dumpStore(store)).toEqual(before);
      // The store is still usable after the failed transaction.
      expect((await store.importDataset(smallDataset())).movies.unchanged).toBe(4);
    });
  });

  it('applies its migrations once, however often and however concurrently it is opened', async () => {
    const db = await target.freshTarget();
    const migrations = target.backend === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
    const stores = await Promise.all([openStore(db), openStore(db), openStore(db)]);
    await stores[0].importDataset(smallDataset());
    await Promise.all(stores.map((store) => store.close()));
    await closing(openStore(db), async (store) => expect((await store.stats()).ratings).toBe(5));
    expect(await appliedMigrations(target, db)).toEqual(migrations.map((migration) => migration.version));
  });

  it('refuses to open a database without reelsense tables when it must exist', async () => {
    const db = await target.freshTarget();
    await expect(openStore(db, { mustExist: true })).rejects.toThrow(StoreLocationError);
    await closing(openStore(db), async () => undefined);
    await closing(openStore(db), async (store) => expect(await store.stats()).toMatchObject({ movies: 0 }));
    const store = await openStore(db, { mustExist: true });
    await store.close();
  });
});

describe('opening PostgreSQL', () => {
  it('names an unreachable server in one error, with the password hidden', async () => {
    const error = await openStore('postgres://alice:s3cret@127.0.0.1:1/reelsense').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLocationError);
    expect((error as Error).message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/alice:\*\*\*@127\.0\.0\.1:1\/reelsense: /);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('hides the password in `location`', async () => {
    const db = new URL(await STORE_TARGETS.find((t) => t.backend === 'postgres')!.freshTarget());
    // The throw-away cluster trusts local connections, so any password opens it.
    if (!db.password) db.password = 'not-checked';
    const password = db.password;
    await closing(openStore(db.toString()), async (store) => {
      expect(store.location).toBe(db.toString().replace(`:${password}@`, ':***@'));
    });
  });
});

describe('bulk import into SQLite', () => {
  it('rebuilds the secondary indexes of ratings after a load into the empty table', async () => {
    const db = await STORE_TARGETS.find((t) => t.backend === 'sqlite')!.freshTarget();
    await closing(openStore(db), (store) => store.importDataset(smallDataset()));
    const raw = new Database(db, { readonly: true });
    try {
      const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ratings' AND sql IS NOT NULL").pluck().all();
      expect(indexes).toEqual(['ratings_movie_id']);
      expect(raw.prepare('SELECT count(*) FROM ratings INDEXED BY ratings_movie_id WHERE movie_id = 2').pluck().get()).toBe(2);
    } finally {
      raw.close();
    }
  });
});

describe.each(STORE_TARGETS)('feedback on $backend', (target) => {
  it('records, replaces and deletes single ratings, creating users as they come', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      expect(await store.userRatings(1)).toEqual(
        ratingsOf(smallDataset().ratings)
          .filter((rating) => rating.userId === 1)
          .sort((a, b) => a.timestamp - b.timestamp),
      );
      expect(await store.hasUser(9)).toBe(false);
      await store.recordRating({ userId: 9, movieId: 2, rating: 4.5, timestamp: 20 });
      await store.recordRating({ userId: 9, movieId: 1, rating: 2, timestamp: 10 });
      expect(await store.hasUser(9)).toBe(true);
      expect(await store.userRatings(9)).toEqual([
        { userId: 9, movieId: 1, rating: 2, timestamp: 10 },
        { userId: 9, movieId: 2, rating: 4.5, timestamp: 20 },
      ]);
      // Rating a movie again replaces the rating and its time.
      await store.recordRating({ userId: 9, movieId: 1, rating: 5, timestamp: 30 });
      expect((await store.userRatings(9)).map((rating) => [rating.movieId, rating.rating])).toEqual([
        [2, 4.5],
        [1, 5],
      ]);
      expect(await store.deleteRating(9, 2)).toBe(true);
      expect(await store.deleteRating(9, 2)).toBe(false);
      expect(await store.userRatings(9)).toEqual([{ userId: 9, movieId: 1, rating: 5, timestamp: 30 }]);
      expect((await store.stats()).ratings).toBe(6);
      // The database refuses a rating of a movie that does not exist, and writes nothing.
      await expect(store.recordRating({ userId: 10, movieId: 999, rating: 3, timestamp: 1 })).rejects.toThrow();
      expect(await store.hasUser(10)).toBe(false);
    });
  });

  it('creates users with fresh ids, and keeps not-interested marks per user', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      const [first, second] = [await store.createUser(), await store.createUser()];
      expect([first, second]).toEqual([4, 5]);
      expect(await store.userRatings(first)).toEqual([]);
      await store.markNotInterested({ userId: first, movieId: 3, timestamp: 2 });
      await store.markNotInterested({ userId: first, movieId: 1, timestamp: 1 });
      await store.markNotInterested({ userId: first, movieId: 3, timestamp: 5 });
      await store.markNotInterested({ userId: 42, movieId: 2, timestamp: 3 });
      expect(await store.notInterested(first)).toEqual([1, 3]);
      expect(await store.notInterested(second)).toEqual([]);
      expect(await store.hasUser(42)).toBe(true);
      expect(await store.listNotInterested()).toEqual([
        { userId: first, movieId: 1, timestamp: 1 },
        { userId: first, movieId: 3, timestamp: 2 },
        { userId: 42, movieId: 2, timestamp: 3 },
      ]);
    });
  });

  it("raises a user's version with each write of their feedback, in the same transaction", async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      expect(await store.userVersion(77)).toBeNull();
      const start = (await store.userVersion(1))!;
      await store.recordRating({ userId: 1, movieId: 3, rating: 4, timestamp: 50 });
      expect(await store.userVersion(1)).toBe(start + 1);
      await store.markNotInterested({ userId: 1, movieId: 2, timestamp: 51 });
      expect(await store.userVersion(1)).toBe(start + 2);
      expect(await store.deleteRating(1, 3)).toBe(true);
      expect(await store.userVersion(1)).toBe(start + 3);
      expect(await store.deleteRating(1, 3)).toBe(false);
      expect(await store.userVersion(1)).toBe(start + 3);
      // A failed write raises nothing.
      await expect(store.recordRating({ userId: 1, movieId: 999, rating: 4, timestamp: 52 })).rejects.toThrow();
      expect(await store.userVersion(1)).toBe(start + 3);
      expect(await store.userVersion(2)).toBe(0);
    });
  });

  it('creates a user with first ratings in one transaction: all of them, or no user', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      const userId = await store.createUser([
        { movieId: 2, rating: 5, timestamp: 10 },
        { movieId: 1, rating: 4.5, timestamp: 11 },
      ]);
      expect(await store.userRatings(userId)).toEqual([
        { userId, movieId: 2, rating: 5, timestamp: 10 },
        { userId, movieId: 1, rating: 4.5, timestamp: 11 },
      ]);
      const users = await store.listUsers();
      await expect(store.createUser([{ movieId: 999, rating: 5, timestamp: 1 }])).rejects.toThrow();
      expect(await store.listUsers()).toEqual(users);
    });
  });
});

describe.each(STORE_TARGETS)('API keys on $backend', (target) => {
  it('stores only a hash, verifies the whole key in constant time, and stops a revoked key', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      await store.importDataset(smallDataset());
      const admin = await issueApiKey(store, { role: 'admin', label: 'ops' }, 100);
      const user = await issueApiKey(store, { role: 'user', userId: 2 }, 101);
      expect(admin.key).toMatch(/^rsk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(await store.listApiKeys()).toEqual([admin.record, user.record]);
      // rsk_ + 16 hex digits + _ is the public part; the 43 characters after it are the secret.
      const secretOf = (key: string) => key.slice('rsk_0123456789abcdef_'.length);
      expect(secretOf(admin.key)).toHaveLength(43);
      expect(JSON.stringify(await store.listApiKeys())).not.toContain(secretOf(admin.key));
      expect(await verifyApiKey(store, admin.key)).toEqual(admin.record);
      expect(await verifyApiKey(store, user.key)).toMatchObject({ role: 'user', userId: 2 });
      // The right id with another secret, a mangled key, an unknown id: all refused.
      expect(await verifyApiKey(store, `rsk_${admin.record.keyId}_${secretOf(user.key)}`)).toBeNull();
      expect(await verifyApiKey(store, admin.key.slice(0, -1))).toBeNull();
      expect(await verifyApiKey(store, 'rsk_0000000000000000_' + 'a'.repeat(43))).toBeNull();
      expect(await store.revokeApiKey(admin.record.keyId, 200)).toBe(true);
      expect(await store.revokeApiKey(admin.record.keyId, 300)).toBe(false);
      expect(await verifyApiKey(store, admin.key)).toBeNull();
      expect(await store.findApiKey(admin.record.keyId)).toMatchObject({ revokedAt: 200 });

      await expect(issueApiKey(store, { role: 'user' })).rejects.toThrow(/needs the user it acts for/);
      await expect(issueApiKey(store, { role: 'app', userId: 1 })).rejects.toThrow(/acts for every user/);
      await expect(issueApiKey(store, { role: 'user', userId: 77 })).rejects.toThrow(NotFoundError);
    });
  });
});
