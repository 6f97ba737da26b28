/** `reelsense encode` and `embed-quality` as a user runs them, with the real models from ../shared/models. */
import { copyFileSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { runCli } from '../support/cli.js';
import { writeFixture } from '../support/fixtures.js';
import { sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';
import { sharedModels } from './shared-models.js';

describe('reelsense encode', () => {
  it('encodes texts with MiniLM and posters with MobileNet, warns of a poster that no longer decodes, and re-runs incrementally', async () => {
    const sources = writeFixture();
    const posters = sources.posters!;
    // Real posters: Toy Story's, Heat's, and one for movie 3 that breaks after the import.
    for (const [movieId, shared] of [
      [1, 1],
      [2, 6],
      [3, 2],
    ] as const)
      copyFileSync(sharedData('posters', 'ml-latest-small', `${shared}.jpg`), join(posters, `${movieId}.jpg`));
    for (const movieId of [1, 2]) unlinkSync(join(posters, `${movieId}.png`));
    const db = join(tempDir(), 'films.db');
    await withStore(db, { create: true }, (store) => ingest(store, sources));
    const broken = join(posters, '3.jpg');
    writeFileSync(broken, readFileSync(broken).subarray(0, 600));

    const models = sharedModels().dir;
    const first = await runCli(['encode', '--db', db, '--models', models, '--text', 'minilm', '--json']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as {
      spaces: { space: string; encoded: number; failed: number }[];
      warnings: { location: { file: string }; message: string }[];
    };
    expect(report.spaces.map(({ space, encoded, failed }) => ({ space, encoded, failed }))).toEqual([
      { space: 'movie/text/minilm', encoded: 4, failed: 0 },
      { space: 'movie/image/mobilenet', encoded: 2, failed: 1 },
    ]);
    expect(report.warnings).toEqual([
      { location: { file: broken }, message: expect.stringMatching(/^poster of movie 3 does not decode \(.+\): no poster vector$/) as string },
    ]);

    const again = await runCli(['encode', '--db', db, '--models', models, '--text', 'minilm']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('everything was up to date');
    expect(again.stdout).toMatch(/movie\/text\/minilm\s+\S+\s+4\s+0\s+4\s+0\s+0/);

    // By default both text views are encoded: MiniLM (up to date here) and the built-in tfidf-svd.
    const both = JSON.parse((await runCli(['encode', '--db', db, '--models', models, '--json'])).stdout) as { spaces: { space: string; unchanged: number }[] };
    expect(both.spaces.map(({ space, unchanged }) => ({ space, unchanged }))).toEqual([
      { space: 'movie/text/minilm', unchanged: 4 },
      { space: 'movie/text/tfidf-svd', unchanged: 0 },
      { space: 'movie/image/mobilenet', unchanged: 2 },
    ]);

    const quality = await runCli(['embed-quality', '--db', db, '--json']);
    expect(quality.status).toBe(0);
    const spaces = (JSON.parse(quality.stdout) as { spaces: { name: string; dim: number; count: number; random: object }[] }).spaces;
    expect(spaces.map(({ name, dim, count }) => ({ name, dim, count }))).toEqual([
      { name: 'movie/image/mobilenet', dim: 1280, count: 2 },
      { name: 'movie/text/minilm', dim: 384, count: 4 },
      { name: 'movie/text/tfidf-svd', dim: expect.any(Number) as number, count: expect.any(Number) as number },
    ]);
    for (const space of spaces) expect(Object.keys(space.random).sort()).toEqual(['castRecall10', 'directorRecall10', 'genrePrecision10']);
  });

  it('says which file is missing when CLIP is asked for without its weights, in one line', async () => {
    const db = join(tempDir(), 'films.db');
    await withStore(db, { create: true }, (store) => ingest(store, writeFixture()));
    const result = await runCli(['encode', '--db', db, '--models', sharedModels().dir, '--image', 'clip']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*Xenova\/clip-vit-base-patch32\/onnx\/vision_model_quantized\.onnx not found: .*--models DIR/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('falls back to the built-in tfidf-svd encoder, and no poster model, when the model directory is empty', async () => {
    const db = join(tempDir(), 'films.db');
    await withStore(db, { create: true }, (store) => ingest(store, writeFixture()));
    const result = await runCli(['encode', '--db', db, '--models', tempDir()]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('movie/text/tfidf-svd');
    expect(result.stdout).toContain('note: no all-MiniLM-L6-v2 in');
    expect(result.stdout).toContain('posters not encoded');
    // "Obscure Film (2001)" shares no word with another movie: the catalog's own fit cannot place it, so it gets no vector.
    expect(result.stdout).toMatch(/warning: .* \(field "movie 3"\): text not encoded \(none of its words is in the vocabulary the encoder was fitted on\)/);
  });
});
