import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StoreLocationError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { findPosterFiles, posterFile, postersRoot } from '../../src/posters.js';
import { migrateStore } from '../../src/store/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations/postgres.js';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../support/cli.js';
import { writeFixture } from '../support/fixtures.js';
import { closing, STORE_TARGETS, type StoreTarget } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

const [sqlite, postgres] = (['sqlite', 'postgres'] as const).map((backend) => STORE_TARGETS.find((t) => t.backend === backend)!) as [StoreTarget, StoreTarget];

/** The fixture imported with its posters (movies 1 and 2 have one) into a fresh store; returns the --db value and the posters dir. */
async function importedWithPosters(target: StoreTarget): Promise<{ db: string; posters: string }> {
  const sources = writeFixture();
  const db = await target.freshTarget();
  await closing(openStore(db), (store) => ingest(store, { movielens: sources.movielens, posters: sources.posters }));
  return { db, posters: sources.posters! };
}

async function posterFiles(store: Store, override?: string) {
  return findPosterFiles(await store.listMovies(), await postersRoot(store, override));
}

/** A database as the schema of version 2 left it, with posters stored as absolute paths, as they were then. */
async function storeBeforeRelativePosters(target: StoreTarget, posters: Record<number, string>): Promise<string> {
  const db = await target.freshTarget();
  const old = (target.backend === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS).filter((migration) => migration.version <= 2);
  const statements = [
    `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at ${target.backend === 'sqlite' ? 'text' : 'timestamptz'} NOT NULL)`,
    ...old.map((migration) => migration.sql),
    ...old.map((migration) => `INSERT INTO schema_migrations VALUES (${migration.version}, '${migration.name}', '2025-01-01')`),
    ...Object.entries(posters).map(([movieId, path]) => `INSERT INTO movies (movie_id, title, poster) VALUES (${movieId}, 'Movie ${movieId}', '${path}')`),
  ];
  if (target.backend === 'sqlite') {
    const raw = new Database(db);
    raw.exec(statements.join(';\n'));
    raw.close();
  } else {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    for (const statement of statements) await client.query(statement);
    await client.end();
  }
  return db;
}

describe.each(STORE_TARGETS)('posters on $backend', (target) => {
  it('are stored by file name under the recorded root, and found again under a new root when the directory moves', async () => {
    const { db, posters } = await importedWithPosters(target);
    await closing(openStore(db), async (store) => {
      expect((await store.listMovies()).map((movie) => movie.poster)).toEqual(['1.png', '2.png', null]);
      expect(await posterFiles(store)).toEqual({ root: posters, found: 2, missing: [] });
      expect(posterFile((await store.getMovies([2]))[0]!, await postersRoot(store))).toBe(join(posters, '2.png'));

      const moved = join(tempDir(), 'moved posters');
      renameSync(posters, moved);
      expect(await posterFiles(store)).toEqual({ root: posters, found: 0, missing: [join(posters, '1.png'), join(posters, '2.png')] });
      expect(await posterFiles(store, moved)).toEqual({ root: moved, found: 2, missing: [] });
      // A relative override is taken from the working directory, like every path argument.
      expect(await postersRoot(store, 'here')).toBe(join(process.cwd(), 'here'));
    });
  });

  it('a re-import from another posters directory records it as the root, and says so', async () => {
    const { db, posters } = await importedWithPosters(target);
    const again = writeFixture();
    await closing(openStore(db), async (store) => {
      const report = await ingest(store, { movielens: again.movielens, posters: again.posters });
      expect(report.notes).toEqual([`posters root moved from ${posters} to ${again.posters}: every movie's poster is now read from there`]);
      expect(await store.readSettings()).toEqual({ postersRoot: again.posters });
      expect((await ingest(store, { movielens: again.movielens, posters: again.posters })).notes).toEqual([]);
    });
  });

  it('settings are written, replaced and removed', async () => {
    await closing(openStore(await target.freshTarget()), async (store) => {
      expect(await store.readSettings()).toEqual({ postersRoot: null });
      await store.writeSettings({ postersRoot: '/srv/posters' });
      await store.writeSettings({ postersRoot: '/mnt/posters' });
      expect(await store.readSettings()).toEqual({ postersRoot: '/mnt/posters' });
      await store.writeSettings({});
      expect(await store.readSettings()).toEqual({ postersRoot: '/mnt/posters' });
      await store.writeSettings({ postersRoot: null });
      expect(await store.readSettings()).toEqual({ postersRoot: null });
    });
  });

  it('a store from before relative posters keeps them: the first poster directory becomes the root', async () => {
    const db = await storeBeforeRelativePosters(target, {
      1: '/data/old posters/1.jpg',
      2: '/data/old posters/2.png',
      3: '/elsewhere/3.jpg',
      4: '/data/old posters2/4.jpg',
    });
    await closing(openStore(db), async (store) => {
      expect(await store.readSettings()).toEqual({ postersRoot: '/data/old posters' });
      const movies = await store.listMovies();
      expect(movies.map((movie) => movie.poster)).toEqual(['1.jpg', '2.png', '/elsewhere/3.jpg', '/data/old posters2/4.jpg']);
      expect(movies.map((movie) => posterFile(movie, '/new'))).toEqual(['/new/1.jpg', '/new/2.png', '/elsewhere/3.jpg', '/data/old posters2/4.jpg']);
      expect((await store.stats()).coverage.poster).toBe(4);
    });
  });
});

describe('posters after migrate', () => {
  it('keep their file names and root in the copy, so another host reads them from its own directory', async () => {
    for (const [from, to] of [
      [sqlite, postgres],
      [postgres, sqlite],
    ] as const) {
      const { db, posters } = await importedWithPosters(from);
      const copy = await to.freshTarget();
      await closing(openStore(db), (source) => closing(openStore(copy), (target) => migrateStore(source, target)));
      const elsewhere = join(tempDir(), 'posters');
      renameSync(posters, elsewhere);
      await closing(openStore(copy), async (store) => {
        expect((await store.listMovies()).map((movie) => movie.poster)).toEqual(['1.png', '2.png', null]);
        expect(await store.readSettings()).toEqual({ postersRoot: posters });
        expect(await posterFiles(store, elsewhere)).toEqual({ root: elsewhere, found: 2, missing: [] });
      });
    }
  });

  it('a relative poster without a recorded or given root is a StoreLocationError naming the way out', () => {
    expect(() => posterFile({ movieId: 7, poster: '7.jpg' }, null)).toThrow(StoreLocationError);
    expect(() => posterFile({ movieId: 7, poster: '7.jpg' }, null)).toThrow(/movie 7 has the poster 7\.jpg .*pass --posters DIR or set REELSENSE_POSTERS/);
    expect(posterFile({ movieId: 7, poster: null }, null)).toBeNull();
  });
});

describe('reelsense stats and the posters root', () => {
  it('finds the poster files under the recorded root, and under --posters or REELSENSE_POSTERS once they moved', async () => {
    const { db, posters } = await importedWithPosters(sqlite);
    expect((await runCli(['stats', '--db', db])).stdout).toContain(`\nposters: 2 of 2 files found under ${posters}\n`);

    const moved = join(tempDir(), 'moved');
    renameSync(posters, moved);
    const lost = await runCli(['stats', '--db', db]);
    expect(lost.status).toBe(0);
    expect(lost.stdout).toContain(
      `\nposters: 0 of 2 files found under ${posters}; missing: ${join(posters, '1.png')}, ${join(posters, '2.png')} (point --posters or REELSENSE_POSTERS at where they are now)\n`,
    );
    expect((await runCli(['stats', '--db', db, '--posters', moved])).stdout).toContain(`\nposters: 2 of 2 files found under ${moved}\n`);
    const json = await runCli(['stats', '--db', db, '--json'], { env: { REELSENSE_POSTERS: moved } });
    expect(JSON.parse(json.stdout)).toMatchObject({ coverage: { poster: { movies: 2 } }, posters: { root: moved, found: 2, missing: 0 } });
  });
});
