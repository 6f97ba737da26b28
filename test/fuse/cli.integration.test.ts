import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interactionsFingerprint } from '../../src/interactions.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../support/cli.js';
import { closing } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';
import { syntheticCatalog, writeSyntheticStore } from '../../bench/support/synthetic-catalog.js';

const INPUTS = ['--fusion-text', 'synthetic-text', '--fusion-image', 'synthetic-image'];

describe('reelsense train fusion', () => {
  it('trains, prints each epoch and each task, writes the dna and fixed spaces and an artifact, then reuses it', async () => {
    const dir = tempDir();
    const db = join(dir, 'films.db');
    const catalog = syntheticCatalog();
    await writeSyntheticStore(db, catalog);

    const first = await runCli(['train', 'fusion', '--db', db, ...INPUTS, '--dim', '16', '--epochs', '3', '--seed', '2']);
    expect(first.stderr).toMatch(
      /^epoch 1: loss genre [\d.]+ director [\d.]+ cast [\d.]+ keywords [\d.]+ corated [\d.]+ align [\d.]+ \| validation triplet accuracy genre/m,
    );
    expect(first.stderr).toMatch(/^epoch 3: /m);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Trained the fusion in');
    expect(first.stdout).toContain('Inputs: text synthetic-text (24-d), posters synthetic-image (16-d).');
    for (const task of ['genre', 'director', 'cast', 'keywords', 'corated']) expect(first.stdout).toMatch(new RegExp(`^│? *${task} +│? *[1-9]\\d*`, 'm'));
    const artifact = join(dir, 'films.artifacts', 'fusion');
    const manifest = JSON.parse(readFileSync(join(artifact, 'manifest.json'), 'utf8')) as { kind: string; trainedOn: string; params: Record<string, unknown> };
    expect(manifest).toMatchObject({ kind: 'fusion', trainedOn: interactionsFingerprint(catalog.interactions), params: { dim: 16, epochs: 3 } });

    await closing(openStore(db), async (store) => {
      const spaces = await store.listVectorSpaces();
      const dna = spaces.find((space) => space.kind === 'dna')!;
      const fixed = spaces.find((space) => space.kind === 'fixed')!;
      expect(dna).toMatchObject({ producer: 'fusion', dim: 16, count: 240, trainedOn: interactionsFingerprint(catalog.interactions) });
      expect(fixed).toMatchObject({ producer: 'pca-weighted', dim: 16, count: 240, trainedOn: null });
    });

    const again = await runCli(['train', 'fusion', '--db', db, ...INPUTS, '--dim', '16', '--epochs', '3', '--seed', '2']);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('epoch 1');
    expect(again.stdout).toContain('is up to date');
    expect(again.stdout).not.toMatch(/│ *yes *│/);

    const quality = await runCli(['embed-quality', '--db', db, '--json']);
    expect(quality.status).toBe(0);
    const spaces = (JSON.parse(quality.stdout) as { spaces: { name: string; queries: string; evaluated: { genre: number } }[] }).spaces;
    expect(spaces.map((space) => space.name).sort()).toEqual([
      'movie/dna/fusion',
      'movie/fixed/pca-weighted',
      'movie/image/synthetic-image',
      'movie/text/synthetic-text',
    ]);
    // Every space is judged on the same movies, the ones the fusion held out of training (the poster space on those with a poster).
    const evaluated = Object.fromEntries(spaces.map((space) => [space.name, space.evaluated.genre]));
    expect(spaces.every((space) => space.queries === 'held-out')).toBe(true);
    expect(evaluated['movie/dna/fusion']).toBeLessThan(60);
    expect(evaluated['movie/fixed/pca-weighted']).toBe(evaluated['movie/dna/fusion']);
    expect(evaluated['movie/text/synthetic-text']).toBe(evaluated['movie/dna/fusion']);
    expect(evaluated['movie/image/synthetic-image']).toBeLessThan(evaluated['movie/dna/fusion']!);
  });

  it('says what is wrong in one line: an unknown task, a task with no pairs, a store without vectors', async () => {
    const dir = tempDir();
    const db = join(dir, 'films.db');
    await writeSyntheticStore(db, { ...syntheticCatalog(), movies: syntheticCatalog().movies.map((movie) => ({ ...movie, cast: [] })) });
    const unknown = await runCli(['train', 'fusion', '--db', db, ...INPUTS, '--tasks', 'genre,plot']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^error: command line \(field "--tasks"\): expected tasks among genre, director, cast, keywords, corated\n$/);
    const noCast = await runCli(['train', 'fusion', '--db', db, ...INPUTS, '--epochs', '1']);
    expect(noCast.status).toBe(1);
    expect(noCast.stderr).toMatch(/^error: no training pairs for the task cast: .*--tasks\n$/);
    const empty = join(dir, 'empty.db');
    await closing(openStore(empty), async () => {});
    const noVectors = await runCli(['train', 'fusion', '--db', empty]);
    expect(noVectors.status).toBe(1);
    expect(noVectors.stderr).toBe('error: no movie text vectors (any of minilm, tfidf-svd) in the store: run `reelsense encode` first\n');
    expect(existsSync(join(dir, 'empty.artifacts'))).toBe(false);
  });
});
