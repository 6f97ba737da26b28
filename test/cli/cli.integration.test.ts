import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeFixture } from '../support/fixtures.js';
import { REPO_ROOT, sharedData } from '../support/paths.js';
import { STORE_TARGETS } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

describe('reelsense CLI', () => {
  it('`npx reelsense --help` lists the commands (the compiled bin)', () => {
    const result = spawnSync('npx', ['--no-install', 'reelsense', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const command of ['pipeline', 'ingest', 'stats']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command} `, 'm'));
  });

  it('every command has --help', () => {
    for (const command of ['pipeline', 'ingest', 'stats']) {
      const result = runCli([command, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: reelsense ${command}`);
    }
  });

  it('a failed first import prints one located error, exits non-zero and leaves no database file', () => {
    const sources = writeFixture();
    rmSync(join(sources.movielens!, 'ratings.csv'));
    const db = join(tempDir(), 'new.db');
    const result = runCli(['ingest', '--db', db, '--movielens', sources.movielens!]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: ${join(sources.movielens!, 'ratings.csv')}: file not found\n`);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('stats refuses a database that does not exist', () => {
    const db = join(tempDir(), 'missing.db');
    const result = runCli(['stats', '--db', db]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: database not found: /);
    expect(existsSync(db)).toBe(false);
  });

  it('ingest without a source says what it expected', () => {
    const result = runCli(['ingest', '--db', join(tempDir(), 'x.db')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('nothing to import: expected --movielens DIR, --catalog FILE or --tmdb5000 FILE');
  });
});

describe.each(STORE_TARGETS)('CLI on $backend', (target) => {
  it('ingest then stats, as tables and as JSON', async () => {
    const sources = writeFixture();
    const db = await target.freshTarget();
    const ingested = runCli(['ingest', '--db', db, '--movielens', sources.movielens!, '--catalog', sources.catalog!, '--posters', sources.posters!, '--json']);
    expect(ingested.stderr).toBe('');
    expect(JSON.parse(ingested.stdout).summary.ratings).toEqual({ inserted: 6, updated: 0, unchanged: 0 });

    const table = runCli(['stats', '--db', db]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^ratings\s+6$/m);
    expect(table.stdout).toMatch(/^poster\s+2\s+66\.7%$/m);

    const json = JSON.parse(runCli(['stats', '--db', db, '--json']).stdout);
    expect(json).toMatchObject({ movies: 3, users: 3, ratings: 6, tags: 2 });
    expect(json.coverage.directors).toEqual({ movies: 1, share: 1 / 3 });
  });

  it('the README main job imports the shared data and prints the exact counts', async () => {
    const db = await target.freshTarget();
    const result = runCli(['pipeline', '--data', sharedData(), '--db', db, '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stats).toMatchObject({ movies: 9742, users: 610, ratings: 100836, tags: 3683 });
    expect(report.stats.coverage.poster.movies).toBe(9520);
  });
});
