import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { imageEncoder, parseImageEncoderId } from '../../src/encode/image.js';
import { MINILM } from '../../src/encode/minilm.js';
import { MissingModelError, modelSource, requireModelFiles, weightsFingerprint } from '../../src/encode/models.js';
import { parseTextEncoderId, textEncoder } from '../../src/encode/text.js';
import { tempDir } from '../support/tmp.js';

describe('modelSource', () => {
  it('takes --models, else REELSENSE_MODELS, else ./models, as absolute paths; downloads only when allowed', () => {
    expect(modelSource({ models: '/opt/m' }, { REELSENSE_MODELS: '/env/m' })).toEqual({ dir: '/opt/m', allowDownload: false });
    expect(modelSource({}, { REELSENSE_MODELS: '/env/m' }).dir).toBe('/env/m');
    expect(modelSource({}, { REELSENSE_MODELS: '' }).dir).toBe(resolve('models'));
    expect(modelSource({ models: 'rel/dir', allowDownload: true }, {})).toEqual({ dir: resolve('rel/dir'), allowDownload: true });
  });
});

describe('missing models', () => {
  it('names the missing file, the files the model needs and how to point at another directory', () => {
    const dir = tempDir();
    let error: unknown;
    try {
      requireModelFiles(modelSource({ models: dir }), MINILM);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingModelError);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `${dir}/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx not found: the all-MiniLM-L6-v2 model needs onnx/model_quantized.onnx, config.json, ` +
        `tokenizer.json, tokenizer_config.json in ${dir}/Xenova/all-MiniLM-L6-v2; pass --models DIR or set REELSENSE_MODELS (or allow a download with --allow-download)`,
    );
    expect(() => requireModelFiles(modelSource({ models: dir, allowDownload: true }), MINILM)).not.toThrow();
  });

  it('names the first file that is missing when some are there', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'Xenova/all-MiniLM-L6-v2/onnx'), { recursive: true });
    writeFileSync(join(dir, 'Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx'), 'weights');
    expect(() => requireModelFiles(modelSource({ models: dir }), MINILM)).toThrow(new RegExp(`^${dir}/Xenova/all-MiniLM-L6-v2/config\\.json not found`));
  });

  it('refuses minilm and clip without their weights before loading anything', async () => {
    const dir = tempDir();
    // CLIP's configs without its ONNX weights, as shipped in shared/models.
    mkdirSync(join(dir, 'Xenova/clip-vit-base-patch32'), { recursive: true });
    for (const file of ['config.json', 'preprocessor_config.json']) writeFileSync(join(dir, 'Xenova/clip-vit-base-patch32', file), '{}');
    const models = modelSource({ models: dir });
    await expect(textEncoder('minilm', { models })).rejects.toThrow(MissingModelError);
    await expect(imageEncoder('clip', { models })).rejects.toThrow(`${dir}/Xenova/clip-vit-base-patch32/onnx/vision_model_quantized.onnx not found`);
    await expect(imageEncoder('mobilenet', { models })).rejects.toThrow(`${dir}/onnx-model-zoo/mobilenetv2-12-int8-features/onnx/model_quantized.onnx not found`);
  });
});

describe('encoder ids', () => {
  it('parses the known ids and names them on a typo', () => {
    expect(parseTextEncoderId('tfidf-svd')).toBe('tfidf-svd');
    expect(() => parseTextEncoderId('bert')).toThrow('unknown text encoder "bert": expected one of minilm, tfidf-svd');
    expect(parseImageEncoderId('clip')).toBe('clip');
    expect(() => parseImageEncoderId('resnet')).toThrow('unknown image encoder "resnet": expected one of mobilenet, clip');
  });

  it('asks tfidf-svd for a corpus or a saved fit', async () => {
    await expect(textEncoder('tfidf-svd')).rejects.toThrow('needs texts to fit on, or a saved fit to load');
  });
});

describe('weightsFingerprint', () => {
  it('hashes the weights file and follows a replaced file', async () => {
    const dir = tempDir();
    const path = join(dir, MINILM.repo, MINILM.files[0]);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'first weights');
    const source = modelSource({ models: dir });
    const first = await weightsFingerprint(source, MINILM);
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(await weightsFingerprint(source, MINILM)).toBe(first);
    writeFileSync(path, 'other weights, other size');
    expect(await weightsFingerprint(source, MINILM)).not.toBe(first);
  });
});
