import { describe, expect, it } from 'vitest';
import { StoreLocationError } from '../../src/errors.js';
import { smallDataset } from '../support/datasets.js';
import { contents, filled, FITTED_ON, migrate, smallStore } from '../support/migration.js';
import { postgresTarget as postgres, sqliteTarget as sqlite } from '../support/stores.js';

describe('migrate', () => {
  it('round-trips SQLite → PostgreSQL → SQLite with identical rows, vectors and stats', async () => {
    const original = await smallStore(await sqlite.freshTarget());
    const inPostgres = await postgres.freshTarget();
    const back = await sqlite.freshTarget();

    const there = await migrate(original, inPostgres);
    expect(there.counts).toEqual({ movies: 4, users: 3, ratings: 5, tags: 3, notInterested: 2, apiKeys: 2, vectors: { 'movie/dna/fusion': 4, 'user/taste/profile': 2 } });
    await migrate(inPostgres, back);

    const [a, b, c] = await Promise.all([contents(original), contents(inPostgres), contents(back)]);
    expect(c.vectors.map((set) => set.space.trainedOn)).toEqual([FITTED_ON, null]);
    expect(c.settings).toEqual({ postersRoot: '/srv/posters' });
    expect(c.apiKeys.map((key) => [key.role, key.userId, key.revokedAt])).toEqual([
      ['admin', null, null],
      ['user', 2, 1_700_000_004],
    ]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('refuses a target that already holds data, and leaves it as it was', async () => {
    const source = await smallStore(await sqlite.freshTarget());
    for (const target of [sqlite, postgres]) {
      const db = await smallStore(await target.freshTarget());
      const before = await contents(db);
      await expect(migrate(source, db)).rejects.toThrow(StoreLocationError);
      await expect(migrate(source, db)).rejects.toThrow(
        /is not empty \(4 movies, 3 users, 5 ratings, 3 tags, 2 not-interested marks, 2 API keys, vector space movie\/dna\/fusion, /,
      );
      expect(await contents(db)).toEqual(before);
    }
  });

  it('is all-or-nothing: a copy that fails part-way leaves the target empty', async () => {
    // PostgreSQL text cannot hold NUL, SQLite's can: the copy fails on the last tag, after every other table.
    const source = await filled(await sqlite.freshTarget(), async (store) => {
      const dataset = smallDataset();
      dataset.tags.push({ userId: 3, movieId: 3, tag: 'nul\u0000tag', timestamp: 1 });
      await store.importDataset(dataset);
    });
    const target = await postgres.freshTarget();
    await expect(migrate(source, target)).rejects.toThrow(/0x00/);
    const after = await contents(target);
    expect(after.stats).toMatchObject({ movies: 0, users: 0, ratings: 0, tags: 0 });
    expect(after.vectors).toEqual([]);
  });

  it('refuses to copy a store onto itself', async () => {
    const db = await smallStore(await sqlite.freshTarget());
    await expect(migrate(db, db)).rejects.toThrow(/--from and --to name the same database/);
  });
});
