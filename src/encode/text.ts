/**
 * Text encoders: any text (a movie's composed text, a user's free-text taste) to a unit vector. Pluggable by id: the
 * pretrained sentence encoder, or the built-in one fitted on the catalog that needs no weights and runs anywhere.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Progress } from '../progress.js';
import { loadMiniLm } from './minilm.js';
import type { ModelSource } from './models.js';
import { TfidfSvdEncoder, type TfidfSvdOptions } from './tfidf-svd.js';

export interface TextEncoder {
  /** What produced the vectors: 'minilm', 'tfidf-svd'. */
  readonly id: string;
  /** Changes whenever the same text could come out as a different vector (other weights, another fit, other code). */
  readonly version: string;
  readonly dim: number;
  /** texts.length × dim, row-major, row i for texts[i]: unit rows, or all zeros where the encoder finds nothing (tf-idf: no known term). */
  encode(texts: readonly string[], progress?: Progress): Promise<Float32Array>;
  /** Encoders fitted on data write their fit here, so later texts (a taste query) land in the same space. */
  save?(dir: string): Promise<void>;
}

export const TEXT_ENCODER_IDS = ['minilm', 'tfidf-svd'] as const;
export const textEncoderIdSchema = z.enum(TEXT_ENCODER_IDS);
export type TextEncoderId = z.infer<typeof textEncoderIdSchema>;

export function parseTextEncoderId(value: string): TextEncoderId {
  const parsed = textEncoderIdSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`unknown text encoder "${value}": expected one of ${TEXT_ENCODER_IDS.join(', ')}`);
  return parsed.data;
}

export interface TextEncoderOptions {
  /** minilm: where its weights are. */
  models?: ModelSource;
  /** tfidf-svd: fit on these texts (the catalog's composed texts)… */
  corpus?: readonly string[];
  /** …or load a fit saved by `save` from this artifact directory. */
  fitted?: string;
  /** tfidf-svd: fit parameters (dimension, seed, tf-idf pruning). */
  tfidfSvd?: Partial<TfidfSvdOptions>;
  progress?: Progress;
}

/** The encoder with this id, ready to encode. */
export async function textEncoder(id: TextEncoderId, options: TextEncoderOptions = {}): Promise<TextEncoder> {
  switch (id) {
    case 'minilm':
      if (!options.models) throw new UsageError('the minilm text encoder needs a model directory');
      return loadMiniLm(options.models);
    case 'tfidf-svd':
      if (options.fitted !== undefined) return TfidfSvdEncoder.load(options.fitted);
      if (!options.corpus) throw new UsageError('the tfidf-svd text encoder needs texts to fit on, or a saved fit to load');
      return TfidfSvdEncoder.fit(options.corpus, options.tfidfSvd, options.progress);
  }
}
