/**
 * Where pretrained models come from: a local directory laid out as @huggingface/transformers expects
 * (`DIR/<owner>/<name>/onnx/model_quantized.onnx`, configs and tokenizer beside it). Nothing is downloaded unless the
 * caller allows it; then the files land in that same directory, so the next run finds them offline.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export const MODELS_ENV = 'REELSENSE_MODELS';
export const DEFAULT_MODELS_DIR = './models';

export interface ModelSource {
  /** Absolute path of the model directory. */
  dir: string;
  /** Fetch missing files from the Hugging Face hub (the CLI's --allow-download). */
  allowDownload: boolean;
}

/** `--models DIR`, else $REELSENSE_MODELS, else ./models (relative paths from the working directory). */
export function modelSource(options: { models?: string; allowDownload?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): ModelSource {
  const dir = options.models ?? (env[MODELS_ENV] || undefined) ?? DEFAULT_MODELS_DIR;
  return { dir: resolve(dir), allowDownload: options.allowDownload ?? false };
}

/** A pretrained model in the directory: its hub id and the files it needs, the ONNX weights first. */
export interface PretrainedModel {
  /** What users call it in messages. */
  name: string;
  /** Hub id, and folder under the model directory. */
  repo: string;
  files: readonly [weights: string, ...rest: string[]];
}

/** A required model file is not in the model directory (and downloading was not allowed). */
export class MissingModelError extends UsageError {
  override name = 'MissingModelError';
}

export function modelPath(source: ModelSource, model: PretrainedModel, file: string = model.files[0]): string {
  return join(source.dir, model.repo, file);
}

/** Whether every file the model needs is in the model directory. */
export function hasModelFiles(source: ModelSource, model: PretrainedModel): boolean {
  return model.files.every((file) => existsSync(modelPath(source, model, file)));
}

/** Throws a MissingModelError naming the first missing file and every file the model needs, unless downloads are allowed. */
export function requireModelFiles(source: ModelSource, model: PretrainedModel): void {
  if (source.allowDownload) return;
  const missing = model.files.find((file) => !existsSync(modelPath(source, model, file)));
  if (missing === undefined) return;
  throw new MissingModelError(
    `${modelPath(source, model, missing)} not found: the ${model.name} model needs ${model.files.join(', ')} in ${join(source.dir, model.repo)}; ` +
      `pass --models DIR or set ${MODELS_ENV} (or allow a download with --allow-download)`,
  );
}

/** The transformers.js module, loaded on first use: it brings ONNX Runtime and sharp, which most commands never need. */
export async function transformersFor(source: ModelSource): Promise<typeof import('@huggingface/transformers')> {
  const transformers = await import('@huggingface/transformers');
  const { env } = transformers;
  env.localModelPath = `${source.dir}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = source.allowDownload;
  // A download is cached under the same layout as the local models: into the model directory itself.
  env.cacheDir = source.dir;
  return transformers;
}

const fingerprints = new Map<string, Promise<string>>();

/**
 * A short content hash of a model's weights (computed once per file and process): an encoder's version includes it,
 * so vectors made with other weights are recognised as stale. Keyed by size and mtime too, so a replaced file is re-read.
 */
export function weightsFingerprint(source: ModelSource, model: PretrainedModel): Promise<string> {
  const path = modelPath(source, model);
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  let fingerprint = fingerprints.get(key);
  if (!fingerprint) {
    fingerprint = new Promise<string>((done, fail) => {
      const hash = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', fail)
        .on('end', () => done(hash.digest('hex').slice(0, 12)));
    });
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}
