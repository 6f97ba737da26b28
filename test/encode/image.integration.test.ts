import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dot } from '../../src/math/vector.js';
import { imageEncoder, type ImageEncoder } from '../../src/encode/image.js';
import { solidPng } from '../support/images.js';
import { sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';
import { sharedModels } from './shared-models.js';

const postersDir = sharedData('posters', 'ml-latest-small');
const posters = readdirSync(postersDir)
  .filter((file) => file.endsWith('.jpg'))
  .sort()
  .slice(0, 8)
  .map((file) => join(postersDir, file));

describe('mobilenet on the shared model and posters', () => {
  let encoder: ImageEncoder;
  beforeAll(async () => {
    // Small batches, so that 8 posters make several batches for the two workers to share.
    encoder = await imageEncoder('mobilenet', { models: sharedModels(), workers: 2, batchSize: 3 });
  });
  afterAll(async () => {
    await encoder.close();
  });

  it('gives a 1280-d unit vector per poster', async () => {
    expect([encoder.id, encoder.dim]).toEqual(['mobilenet', 1280]);
    const { vectors, ok, failures } = await encoder.encode(posters);
    expect(failures).toEqual([]);
    expect(Array.from(ok)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(vectors.length).toBe(8 * 1280);
    for (let row = 0; row < 8; row++) expect(dot(vectors, vectors, 1280, row * 1280, row * 1280)).toBeCloseTo(1, 5);
    // Different posters, different vectors.
    expect(dot(vectors, vectors, 1280, 0, 1280)).toBeLessThan(0.99);
  });

  it('gives a missing, corrupt or non-image file no vector, and names it', async () => {
    const dir = tempDir();
    const corrupt = join(dir, 'corrupt.jpg');
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]));
    const text = join(dir, 'notes.jpg');
    writeFileSync(text, 'not an image at all');
    const red = join(dir, 'red.png');
    writeFileSync(red, solidPng(64, 96));
    const missing = join(dir, 'missing.jpg');
    const { vectors, ok, failures } = await encoder.encode([posters[0]!, corrupt, missing, red, text]);
    expect(Array.from(ok)).toEqual([0, 3]);
    expect(vectors.length).toBe(2 * 1280);
    expect(failures.map(({ index, path }) => [index, path])).toEqual([
      [1, corrupt],
      [2, missing],
      [4, text],
    ]);
    expect(failures[1]!.reason).toMatch(/ENOENT|no such file/);
    for (const { reason } of failures) expect(reason).not.toBe('');
  });

  it('puts results back in input order whichever worker encoded them', async () => {
    const forward = await encoder.encode(posters);
    const backward = await encoder.encode([...posters].reverse());
    for (let row = 0; row < 8; row++) {
      expect(dot(forward.vectors, backward.vectors, 1280, row * 1280, (7 - row) * 1280)).toBeGreaterThan(0.9999);
    }
    const single = await encoder.encode([posters[5]!]);
    expect(dot(forward.vectors, single.vectors, 1280, 5 * 1280, 0)).toBeGreaterThan(0.9999);
  });

  it('serves calls made at the same time one after the other', async () => {
    const [first, second] = await Promise.all([encoder.encode(posters.slice(0, 5)), encoder.encode(posters.slice(3))]);
    expect(Array.from(first.ok)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(second.ok)).toEqual([0, 1, 2, 3, 4]);
    expect(dot(first.vectors, second.vectors, 1280, 3 * 1280, 0)).toBeGreaterThan(0.9999);
  });
});
