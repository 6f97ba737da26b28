import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { interactionsFingerprint, interactionsFromRatings } from '../../src/interactions.js';
import { datasetSources } from '../../src/pipeline.js';
import { migrateStore, readSnapshot } from '../../src/store/migrate.js';
import { StoreLocationError } from '../../src/errors.js';
import { openStore } from '../../src/store/open.js';
import type { Store, VectorSpace } from '../../src/store/store.js';
import { randomVectors, smallDataset } from '../support/datasets.js';
import { runCli } from '../support/cli.js';
import { SHARED_DATA, sharedData } from '../support/paths.js';
import { closing, STORE_TARGETS, type StoreTarget } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

const [sqlite, postgres] = (['sqlite', 'postgres'] as const).map((backend) => STORE_TARGETS.find((t) => t.backend === backend)!) as [StoreTarget, StoreTarget];

const FITTED_ON = interactionsFingerprint(interactionsFromRatings(smallDataset().ratings));
const DNA: VectorSpace = { owner: 'movie', kind: 'dna', producer: 'fusion', version: '3', dim: 16, trainedOn: FITTED_ON };
const TASTE: VectorSpace = { owner: 'user', kind: 'taste', producer: 'profile', version: '1', dim: 16, trainedOn: null };

/** Everything a store holds, vectors included, for comparing two stores row by row. */
async function contents(db: string) {
  return closing(openStore(db, { mustExist: true }), async (store) => {
    const { dataset, vectors, settings } = await readSnapshot(store);
    return { dataset, vectors: vectors.map((set) => ({ ...set, vectors: Array.from(set.vectors) })), settings, stats: await store.stats() };
  });
}

async function filled(db: string, fill: (store: Store) => Promise<unknown>): Promise<string> {
  await closing(openStore(db), fill);
  return db;
}

async function migrate(from: string, to: string) {
  const source = await openStore(from, { mustExist: true });
  const target = await openStore(to);
  try {
    return await migrateStore(source, target);
  } finally {
    await source.close();
    await target.close();
  }
}

/** A small store with a movie space, a user space and a posters root. */
async function smallStore(db: string): Promise<string> {
  return filled(db, async (store) => {
    await store.importDataset(smallDataset());
    await store.writeSettings({ postersRoot: '/srv/posters' });
    await store.writeVectors(DNA, { ...randomVectors([1, 2, 3, 1_000_019_995], DNA.dim), contentHashes: ['a', null, 'c', 'd'] });
    await store.writeVectors(TASTE, randomVectors([1, 3], TASTE.dim, 2));
  });
}

describe('migrate', () => {
  it('round-trips SQLite → PostgreSQL → SQLite with identical rows, vectors and stats', async () => {
    const original = await smallStore(await sqlite.freshTarget());
    const inPostgres = await postgres.freshTarget();
    const back = await sqlite.freshTarget();

    const there = await migrate(original, inPostgres);
    expect(there.counts).toEqual({ movies: 4, users: 3, ratings: 5, tags: 3, vectors: { 'movie/dna/fusion': 4, 'user/taste/profile': 2 } });
    await migrate(inPostgres, back);

    const [a, b, c] = await Promise.all([contents(original), contents(inPostgres), contents(back)]);
    expect(c.vectors.map((set) => set.space.trainedOn)).toEqual([FITTED_ON, null]);
    expect(c.settings).toEqual({ postersRoot: '/srv/posters' });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('refuses a target that already holds data, and leaves it as it was', async () => {
    const source = await smallStore(await sqlite.freshTarget());
    for (const target of [sqlite, postgres]) {
      const db = await smallStore(await target.freshTarget());
      const before = await contents(db);
      await expect(migrate(source, db)).rejects.toThrow(StoreLocationError);
      await expect(migrate(source, db)).rejects.toThrow(/is not empty \(4 movies, 3 users, 5 ratings, 3 tags, vector space movie\/dna\/fusion, /);
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

  it('round-trips the shared ml-latest-small data SQLite → PostgreSQL → SQLite with identical stats and rows', async () => {
    sharedData('ml-latest-small');
    const original = await filled(await sqlite.freshTarget(), (store) => ingest(store, datasetSources(SHARED_DATA, 'ml-latest-small')));
    const inPostgres = await postgres.freshTarget();
    const back = await sqlite.freshTarget();
    expect((await migrate(original, inPostgres)).counts).toEqual({ movies: 9742, users: 610, ratings: 100836, tags: 3683, vectors: {} });
    await migrate(inPostgres, back);
    const [a, b, c] = await Promise.all([contents(original), contents(inPostgres), contents(back)]);
    expect(b.stats).toEqual(a.stats);
    expect(c.stats).toEqual(a.stats);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});

describe('reelsense migrate', () => {
  it('copies a store and prints the counts, as a table and as JSON', async () => {
    const source = await smallStore(await sqlite.freshTarget());
    const inPostgres = await postgres.freshTarget();
    const table = runCli(['migrate', '--from', source, '--to', inPostgres]);
    expect(table.stderr).toBe('');
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(`Copied ${source} into ${inPostgres} in `);
    expect(table.stdout).toMatch(/^ratings\s+5$/m);
    expect(table.stdout).toMatch(/^vectors movie\/dna\/fusion\s+4$/m);

    const back = join(tempDir(), 'back.db');
    const json = runCli(['migrate', '--from', inPostgres, '--to', back, '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ movies: 4, users: 3, ratings: 5, tags: 3, vectors: { 'user/taste/profile': 2 } });
    expect(runCli(['stats', '--db', back, '--json']).stdout).toBe(runCli(['stats', '--db', source, '--json']).stdout);
  });

  it('says what is wrong in one line and exits 1', async () => {
    const dir = tempDir();
    const missing = runCli(['migrate', '--from', join(dir, 'missing.db'), '--to', join(dir, 'new.db')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`error: database not found: ${join(dir, 'missing.db')} (run \`reelsense ingest --db ${join(dir, 'missing.db')} …\` first)\n`);

    const source = await smallStore(await sqlite.freshTarget());
    const full = await smallStore(await postgres.freshTarget());
    const notEmpty = runCli(['migrate', '--from', source, '--to', full]);
    expect(notEmpty.status).toBe(1);
    expect(notEmpty.stderr).toMatch(/^error: postgres:\/\/.* is not empty \(4 movies, 3 users, 5 ratings, 3 tags, vector space movie\/dna\/fusion, vector space user\/taste\/profile\): migrate copies into an empty store only\n$/);

    const blank = runCli(['migrate', '--from', ' ', '--to', full]);
    expect(blank.stderr).toBe('error: --from: expected a SQLite file or a postgres:// URL\n');
    expect(runCli(['migrate', '--to', full]).stderr).toContain("required option '--from <db>' not specified");
  });
});
