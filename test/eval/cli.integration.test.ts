import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reproducingCommand } from '../../src/cli/evaluate.js';
import { withStore } from '../../src/cli/store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { runCli } from '../support/cli.js';
import { writeFixture } from '../support/fixtures.js';
import { freshPostgresDatabase } from '../support/postgres.js';
import { tempDir } from '../support/tmp.js';

describe('reelsense evaluate (flags)', () => {
  it('has --help naming every protocol and model', async () => {
    const result = await runCli(['evaluate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: reelsense evaluate');
    for (const word of ['temporal', 'global-time', 'cold-users', 'cold-items', 'random,pop,itemknn,mf,biased-mf', '--relevance', '--lambda-sweep'])
      expect(result.stdout).toContain(word);
  });

  it.each([
    [
      ['--models', 'pop,nope'],
      'error: command line (field "--models"): unknown model "nope"; known: random, pop, itemknn, mf, biased-mf, ease, content-text, content-image, content-fixed, content-dna, profile-weighted, profile-updater, pipeline\n',
    ],
    [['--models', 'pop,pop'], 'error: command line (field "--models"): a model is named twice\n'],
    [['--protocol', 'leave-one-out'], 'error: command line (field "--protocol"): '],
    [['--k', '0'], 'error: command line (field "--k"): '],
    [['--relevance', 'liked'], 'error: command line (field "--relevance"): '],
    [['--lambda-sweep', '0,0.5,2'], 'error: command line (field "--lambda-sweep"): expected comma-separated λ values in [0, 1] (1 = pure relevance), not "2"\n'],
    [['--lambda-sweep', '0,1', '--models', 'pop,mf'], 'error: command line (field "--lambda-sweep"): no listed model re-ranks with MMR, so there is nothing to sweep ('],
  ])('rejects %j with one line', async (flags, message) => {
    const result = await runCli(['evaluate', '--db', 'unused.db', '--out', 'unused', ...flags]);
    expect(result.status).toBe(1);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('requires --out', async () => {
    const result = await runCli(['evaluate', '--db', 'unused.db']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("required option '--out <dir>' not specified");
  });
});

describe('reelsense evaluate (what it writes)', () => {
  it('refuses an --out that names a file, in one line, before any work', async () => {
    const file = join(tempDir(), 'results');
    writeFileSync(file, 'not a directory');
    const result = await runCli(['evaluate', '--db', 'unused.db', '--out', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: --out ${file} is a file: expected a directory for results.json, report.md and metrics.png (or a path that does not exist yet)\n`);
  });

  it('masks a database password and shell-quotes every argument of the reproducing command', () => {
    const command = reproducingCommand({
      db: 'postgres://reel:s3cret@db.local:5432/films',
      protocol: 'temporal',
      models: ['pop', 'mf'],
      k: 10,
      seed: 1,
      relevance: 'rated4',
      out: "runs/it's here",
      tune: false,
    });
    expect(command).not.toContain('s3cret');
    expect(command).toBe(
      "reelsense evaluate --db 'postgres://reel:***@db.local:5432/films' --protocol temporal --models pop,mf --k 10 --seed 1 --relevance rated4 --out 'runs/it'\\''s here' --no-tune",
    );
  });

  it('keeps the password of a PostgreSQL --db out of results.json, report.md and --json', { timeout: 120_000 }, async () => {
    const url = new URL(await freshPostgresDatabase());
    await withStore(url.toString(), { create: true }, (store) => ingest(store, writeFixture()));
    url.password = 'hunter2-secret';
    const out = join(tempDir(), 'run');
    const result = await runCli([
      'evaluate',
      '--db',
      url.toString(),
      '--protocol',
      'temporal',
      '--models',
      'pop',
      '--relevance',
      'watched',
      '--no-tune',
      '--out',
      out,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const text of [result.stdout, readFileSync(join(out, 'results.json'), 'utf8'), readFileSync(join(out, 'report.md'), 'utf8')]) {
      expect(text).not.toContain('hunter2');
      expect(text).toContain(':***@');
    }
  });
});
