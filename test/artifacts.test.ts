import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTrainedOn, LeakageError, loadArtifact, readManifest, saveArtifact, type ArtifactDescription } from '../src/artifacts.js';
import { InputError } from '../src/errors.js';
import { tempDir } from './support/tmp.js';

const description: ArtifactDescription = {
  kind: 'model',
  name: 'demo',
  version: '3',
  params: { factors: 4, tuned: true },
  seed: 7,
  datasetHash: 'sha256:abc',
  trainedOn: 'ratings:2:00',
};

describe('artifacts', () => {
  it('round-trips typed arrays with a manifest of what, how and on what it was fitted', async () => {
    const dir = join(tempDir(), 'demo');
    const arrays = { weights: Float32Array.of(0.5, -1.25), ids: Int32Array.of(3, 9, 27), mean: Float64Array.of(Math.PI) };
    const written = await saveArtifact(dir, { ...description, metrics: { loss: 0.1 }, data: { vocabulary: ['a', 'b'] } }, arrays);
    const { manifest, arrays: loaded } = await loadArtifact(dir);
    expect(manifest).toEqual(written);
    expect(manifest).toMatchObject({ format: 'reelsense-artifact', formatVersion: 1, ...description, metrics: { loss: 0.1 }, data: { vocabulary: ['a', 'b'] } });
    expect(manifest.reelsenseVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(loaded).toEqual(arrays);
    expect(loaded.weights).toBeInstanceOf(Float32Array);
  });

  it('replaces an artifact whole and leaves no staging directory behind', async () => {
    const root = tempDir();
    const dir = join(root, 'demo');
    await saveArtifact(dir, description, { old: Int32Array.of(1) });
    await saveArtifact(dir, description, { fresh: Int32Array.of(2) });
    expect(Object.keys((await loadArtifact(dir)).arrays)).toEqual(['fresh']);
    expect(existsSync(join(dir, 'old.bin'))).toBe(false);
    expect(readdirSync(root)).toEqual(['demo']);
  });

  it('refuses an array that does not match its manifest, naming the file', async () => {
    const dir = join(tempDir(), 'demo');
    await saveArtifact(dir, description, { weights: Float32Array.of(1, 2) });
    writeFileSync(join(dir, 'weights.bin'), Buffer.from(Float32Array.of(1, 3).buffer));
    await expect(loadArtifact(dir)).rejects.toThrow(InputError);
    await expect(loadArtifact(dir)).rejects.toThrow(/weights\.bin: array "weights" does not match its manifest/);
  });

  it('refuses a directory without a manifest, or with a malformed one, naming the field', async () => {
    const dir = tempDir();
    await expect(readManifest(dir)).rejects.toThrow(/manifest\.json: no artifact here/);
    await saveArtifact(join(dir, 'demo'), description, {});
    const path = join(dir, 'demo', 'manifest.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"trainedOn": "ratings:2:00"', '"trainedOn": 5'));
    await expect(readManifest(join(dir, 'demo'))).rejects.toThrow(/manifest\.json \(field "trainedOn"\)/);
  });

  it('accepts what was fitted on these ratings or on none, and refuses anything else', () => {
    expect(() => checkTrainedOn('x', 'ratings:2:00', 'ratings:2:00')).not.toThrow();
    expect(() => checkTrainedOn('x', null, 'ratings:2:00')).not.toThrow();
    expect(() => checkTrainedOn('the model "pop"', 'ratings:9:ff', 'ratings:2:00')).toThrow(LeakageError);
  });
});
