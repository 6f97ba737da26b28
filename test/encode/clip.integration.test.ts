import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dot } from '../../src/math/vector.js';
import { imageEncoder } from '../../src/encode/image.js';
import { modelPath, modelSource } from '../../src/encode/models.js';
import { IMAGE_MODELS } from '../../src/encode/image-models.js';
import { sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';
import { sharedModels } from './shared-models.js';

/**
 * CLIP's real configs with a stand-in for its weights, which no reachable registry has: fixtures/clip-vision-standin.onnx
 * has CLIP's input and output (pixel_values [B,3,224,224] → image_embeds [B,512]) and computes a fixed random
 * projection of the mean colour (python onnx: ReduceMean over H, W, then MatMul by a seeded 3 × 512 matrix).
 */
describe('clip with a stand-in vision tower', () => {
  it('loads through the CLIP class and preprocessor and gives 512-d unit vectors', async () => {
    const clip = IMAGE_MODELS.clip.model;
    const shared = sharedModels();
    const models = modelSource({ models: tempDir() });
    mkdirSync(join(models.dir, clip.repo, 'onnx'), { recursive: true });
    copyFileSync(new URL('fixtures/clip-vision-standin.onnx', import.meta.url), modelPath(models, clip));
    for (const file of ['config.json', 'preprocessor_config.json']) copyFileSync(modelPath(shared, clip, file), modelPath(models, clip, file));

    const encoder = await imageEncoder('clip', { models, workers: 1 });
    try {
      expect([encoder.id, encoder.dim]).toEqual(['clip', 512]);
      const posters = ['1.jpg', '2.jpg'].map((file) => sharedData('posters', 'ml-latest-small', file));
      const { vectors, ok, failures } = await encoder.encode([...posters, join(models.dir, 'missing.jpg')]);
      expect(Array.from(ok)).toEqual([0, 1]);
      expect(failures.map(({ index }) => index)).toEqual([2]);
      for (const row of [0, 1]) expect(dot(vectors, vectors, 512, row * 512, row * 512)).toBeCloseTo(1, 5);
    } finally {
      await encoder.close();
    }
  });
});
