/**
 * The fuse stage end to end on the real ml-latest-small catalog and ratings: text vectors from the built-in tfidf-svd
 * encoder (the pretrained models are exercised by the encode tests; this keeps CI short), every task non-empty, the
 * spaces written, and a DNA that groups genres better than its inputs on movies it never trained on.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import type { SpaceQuality } from '../../src/eval/embedding-quality.js';
import type { FuseReport } from '../../src/fuse/stage.js';
import { ingest } from '../../src/ingest/ingest.js';
import { runCli } from '../support/cli.js';
import { sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

describe('train fusion on the shared ml-latest-small', () => {
  it('trains every task on real pairs and beats its inputs on genre neighbours of held-out movies', { timeout: 600_000 }, async () => {
    const db = join(tempDir(), 'films.db');
    await withStore(db, { create: true }, (store) =>
      ingest(store, { movielens: sharedData('ml-latest-small'), catalog: sharedData('catalog', 'ml-latest-small.jsonl') }),
    );
    const encode = await runCli(['encode', '--db', db, '--text', 'tfidf-svd', '--image', 'none']);
    expect(encode.status).toBe(0);

    const train = await runCli(['train', 'fusion', '--db', db, '--epochs', '3', '--json']);
    expect(train.status).toBe(0);
    const report = JSON.parse(train.stdout) as FuseReport;
    expect(report.tasks.map((task) => task.name)).toEqual(['genre', 'director', 'cast', 'keywords', 'corated']);
    // Real pairs for every task: the catalog's list-valued fields are parsed, and the ratings give co-liked movies.
    for (const task of report.tasks) {
      expect(task.anchors, task.name).toBeGreaterThan(1000);
      expect(task.testAccuracy, task.name).toBeGreaterThan(0.6);
    }
    expect(report.spaces).toEqual([
      { space: 'movie/dna/fusion', movies: 9740, written: true },
      { space: 'movie/fixed/pca-weighted', movies: 9740, written: true },
    ]);

    const quality = await runCli(['embed-quality', '--db', db, '--json']);
    expect(quality.status).toBe(0);
    const spaces = Object.fromEntries((JSON.parse(quality.stdout) as { spaces: SpaceQuality[] }).spaces.map((space) => [space.name, space]));
    const dna = spaces['movie/dna/fusion']!;
    expect(dna.queries).toBe('held-out');
    expect(dna.genrePrecision10).toBeGreaterThan(spaces['movie/text/tfidf-svd']!.genrePrecision10);
    expect(dna.genrePrecision10).toBeGreaterThan(spaces['movie/fixed/pca-weighted']!.genrePrecision10);
  });
});
