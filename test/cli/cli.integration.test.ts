import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { statsJson } from '../../src/cli/reports.js';
import type { FuseReport } from '../../src/fuse/stage.js';
import type { ProfileReport } from '../../src/profile/stage.js';
import type { IndexReport } from '../../src/index/stage.js';
import type { RankerReport } from '../../src/rank/stage.js';
import type { CollaborativeReport } from '../../src/cf/stage.js';
import type { EncodeReport } from '../../src/encode/encode.js';
import type { IngestReport } from '../../src/ingest/ingest.js';
import { runCli, runProcess } from '../support/cli.js';
import { writeFixture } from '../support/fixtures.js';
import { sharedData } from '../support/paths.js';
import { STORE_TARGETS } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';
import { startServeProcess } from '../support/serve-process.js';

describe('reelsense CLI', () => {
  it('`npx reelsense --help` lists the commands (the compiled bin)', async () => {
    const result = await runProcess('npx', ['--no-install', 'reelsense', '--help']);
    expect(result.status).toBe(0);
    for (const command of ['pipeline', 'ingest', 'stats']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command} `, 'm'));
  });

  it.each([
    ['pipeline', '--data', 'unused', '--db', ' '],
    ['ingest', '--db', ' ', '--movielens', 'unused'],
    ['stats', '--db', ' '],
  ])('%s checks --db like every flag: one line naming it, exit 1', async (...args) => {
    const result = await runCli(args);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: command line (field "--db"): expected a SQLite file or a postgres:// URL\n');
  });

  it('reports an empty REELSENSE_DB in one line', async () => {
    const result = await runCli(['stats'], { env: { REELSENSE_DB: '' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: environment variable REELSENSE_DB is empty: unset it or give it a value\n');
  });

  it('a failed first import prints one located error, exits non-zero and leaves no database file', async () => {
    const sources = writeFixture();
    rmSync(join(sources.movielens!, 'ratings.csv'));
    const db = join(tempDir(), 'new.db');
    const result = await runCli(['ingest', '--db', db, '--movielens', sources.movielens!]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: ${join(sources.movielens!, 'ratings.csv')}: file not found\n`);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('stats refuses a database that does not exist', async () => {
    const db = join(tempDir(), 'missing.db');
    const result = await runCli(['stats', '--db', db]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: database not found: /);
    expect(existsSync(db)).toBe(false);
  });

  it('ingest without a source says what it expected', async () => {
    const result = await runCli(['ingest', '--db', join(tempDir(), 'x.db')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('nothing to import: expected --movielens DIR, --catalog FILE or --tmdb5000 FILE');
  });
});

describe.each(STORE_TARGETS)('CLI on $backend', (target) => {
  it('ingest then stats, as tables and as JSON', async () => {
    const sources = writeFixture();
    const db = await target.freshTarget();
    const ingested = await runCli(['ingest', '--db', db, '--movielens', sources.movielens!, '--catalog', sources.catalog!, '--posters', sources.posters!, '--json']);
    expect(ingested.stderr).toBe('');
    expect((JSON.parse(ingested.stdout) as IngestReport).summary.ratings).toEqual({ inserted: 6, updated: 0, unchanged: 0 });

    const table = await runCli(['stats', '--db', db]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^ratings\s+6$/m);
    expect(table.stdout).toMatch(/^poster\s+2\s+66\.7%$/m);

    const json = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout) as ReturnType<typeof statsJson>;
    expect(json).toMatchObject({ movies: 3, users: 3, ratings: 6, tags: 2 });
    expect(json.coverage.directors).toEqual({ movies: 1, share: 1 / 3 });
  });

  it(
    'the README main job imports, encodes, fuses, trains the updater and the ranker, draws the map on the shared data, prints the exact counts, and a second run has nothing to do and serves',
    { timeout: 1_200_000 },
    async () => {
      const db = await target.freshTarget();
      // The built-in text encoder, no poster model and two epochs keep this full-catalog run short; the real models run in
      // test/encode, the fusion's own tests train it properly.
      const mainJobArgs = () => [
        'pipeline',
        '--data',
        sharedData(),
        '--db',
        db,
        '--models',
        tempDir(),
        '--image',
        'none',
        '--epochs',
        '2',
        '--updater-epochs',
        '1',
        '--ranker-epochs',
        '1',
        '--artifacts',
        artifacts,
        '--json',
      ];
      const artifacts = tempDir();
      const result = await runCli([...mainJobArgs(), '--no-serve'], { timeoutMs: 900_000 });
      expect(result.stderr.replace(/^(updater )?epoch \d+: .*\n/gm, '')).toBe('');
      expect(result.stderr).toMatch(/^updater epoch 1: loss /m);
      expect(result.stderr).toMatch(/^epoch 1: loss genre/m);
      expect(result.status).toBe(0);
      type Report = {
        stats: ReturnType<typeof statsJson>;
        encode: EncodeReport;
        fuse: FuseReport;
        profile: ProfileReport;
        index: IndexReport;
        collaborative: CollaborativeReport;
        ranker: RankerReport;
        map: { method: string; movies: number; built: boolean };
      };
      const report = JSON.parse(result.stdout) as Report;
      // Every movie with DNA is on the map (with tfidf-svd alone, the two whose text has no word of its vocabulary have none).
      expect(report.map).toEqual({ method: 'umap', movies: report.index.movies, built: true });
      expect(report.stats).toMatchObject({ movies: 9742, users: 610, ratings: 100836, tags: 3683 });
      expect(report.stats.coverage.poster!.movies).toBe(9520);
      const [text] = report.encode.spaces;
      expect(text).toMatchObject({ space: 'movie/text/tfidf-svd', inputs: 9742, unchanged: 0 });
      // A text none of whose words is in the fit's vocabulary gets no vector, and a warning says so.
      expect(text!.encoded + text!.failed).toBe(9742);
      expect(report.encode.warnings).toHaveLength(text!.failed);

      expect(report.fuse).toMatchObject({ trained: true, epochs: 2 });
      expect(report.fuse.spaces.map((space) => space.written)).toEqual([true, true]);
      expect(report.profile).toMatchObject({ trained: true, space: 'movie/dna/fusion' });
      expect(report.profile.epochs).toHaveLength(2);
      expect(report.index).toMatchObject({ built: true, movies: report.fuse.spaces[0]!.movies });
      expect(report.collaborative.models.map((model) => [model.name, model.fitted])).toEqual([
        ['itemknn', true],
        ['mf', true],
        ['ease', true],
      ]);
      expect(report.ranker).toMatchObject({ fitted: true, metrics: { towers: { epochs: 1 } } });
      expect(report.ranker.metrics.validation.queries).toBeGreaterThan(400);
      expect(report.ranker.metrics.blend.lossEnd).toBeLessThan(report.ranker.metrics.blend.lossStart);

      // The second run finds everything up to date and ends serving the web UI and the API on the store.
      const serving = await startServeProcess(mainJobArgs(), 600_000);
      const again = JSON.parse(serving.printed) as Report;
      expect(again.map).toEqual({ method: 'umap', movies: report.index.movies, built: false });
      const health = (await (await fetch(new URL('/health', serving.url))).json()) as { status: string };
      expect(health.status).toBe('ok');
      const ui = await fetch(new URL(serving.uiUrl));
      expect([ui.status, (await ui.text()).includes('<div id="app">')]).toEqual([200, true]);
      const key = /#key=(\S+)$/.exec(serving.uiUrl)![1]!;
      const list = await fetch(new URL('/v1/users/1/recommendations?n=3', serving.url), { headers: { authorization: `Bearer ${key}` } });
      expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(3);
      expect((await serving.stop('SIGTERM')).status).toBe(0);
      expect(again.encode.spaces[0]).toMatchObject({ encoded: 0, unchanged: text!.encoded });
      expect(again.fuse.trained).toBe(false);
      expect(again.fuse.spaces.map((space) => space.written)).toEqual([false, false]);
      expect(again.profile).toMatchObject({ trained: false, epochs: report.profile.epochs });
      expect(again.index).toMatchObject({ built: false, added: 0, changed: 0, removed: 0 });
      expect(again.collaborative.models.map((model) => model.fitted)).toEqual([false, false, false]);
      expect(again.ranker).toMatchObject({ fitted: false, metrics: report.ranker.metrics });
    },
  );
});

describe('runProcess (the harness under these tests)', () => {
  it('kills a child that outlives its timeout and says so', async () => {
    await expect(runProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 200 })).rejects.toThrow(/was killed after 0.2 s/);
  });
});
