import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { datasetSources } from '../../src/pipeline.js';
import { runCli } from '../support/cli.js';
import { contents, filled, migrate, smallStore } from '../support/migration.js';
import { SHARED_DATA, sharedData } from '../support/paths.js';
import { postgresTarget as postgres, sqliteTarget as sqlite } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

describe('migrate the shared data', () => {
  it('round-trips the shared ml-latest-small data SQLite → PostgreSQL → SQLite with identical stats and rows', async () => {
    sharedData('ml-latest-small');
    const original = await filled(await sqlite.freshTarget(), (store) => ingest(store, datasetSources(SHARED_DATA, 'ml-latest-small')));
    const inPostgres = await postgres.freshTarget();
    const back = await sqlite.freshTarget();
    expect((await migrate(original, inPostgres)).counts).toEqual({ movies: 9742, users: 610, ratings: 100836, tags: 3683, notInterested: 0, apiKeys: 0, vectors: {} });
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
    const table = await runCli(['migrate', '--from', source, '--to', inPostgres]);
    expect(table.stderr).toBe('');
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(`Copied ${source} into ${inPostgres} in `);
    expect(table.stdout).toMatch(/^ratings\s+5$/m);
    expect(table.stdout).toMatch(/^vectors movie\/dna\/fusion\s+4$/m);

    const back = join(tempDir(), 'back.db');
    const json = await runCli(['migrate', '--from', inPostgres, '--to', back, '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ movies: 4, users: 3, ratings: 5, tags: 3, vectors: { 'user/taste/profile': 2 } });
    expect((await runCli(['stats', '--db', back, '--json'])).stdout).toBe((await runCli(['stats', '--db', source, '--json'])).stdout);
  });

  it('says what is wrong in one line and exits 1', async () => {
    const dir = tempDir();
    const missing = await runCli(['migrate', '--from', join(dir, 'missing.db'), '--to', join(dir, 'new.db')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`error: database not found: ${join(dir, 'missing.db')} (run \`reelsense ingest --db ${join(dir, 'missing.db')} …\` first)\n`);

    const source = await smallStore(await sqlite.freshTarget());
    const full = await smallStore(await postgres.freshTarget());
    const notEmpty = await runCli(['migrate', '--from', source, '--to', full]);
    expect(notEmpty.status).toBe(1);
    expect(notEmpty.stderr).toMatch(
      /^error: postgres:\/\/.* is not empty \(4 movies, 3 users, 5 ratings, 3 tags, 2 not-interested marks, 2 API keys, vector space movie\/dna\/fusion, vector space user\/taste\/profile\): migrate copies into an empty store only\n$/,
    );

    const blank = await runCli(['migrate', '--from', ' ', '--to', full]);
    expect(blank.stderr).toBe('error: command line (field "--from"): expected a SQLite file or a postgres:// URL\n');
    expect((await runCli(['migrate', '--to', full])).stderr).toContain("required option '--from <db>' not specified");
  });
});
