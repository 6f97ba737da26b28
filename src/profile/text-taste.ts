/**
 * A free-text taste ("slow-burning sci-fi with a female lead") as a point in the movie DNA: the text is encoded by the
 * same text encoders the fusion was trained on (MiniLM from the model directory, tfidf-svd from its saved fit), then
 * mapped through the fusion network's text-only path, as a movie without a poster would be.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { loadFusion, movieDna, textOnlyInputs } from '../fuse/dna.js';
import type { ModelSource } from '../encode/models.js';
import { parseTextEncoderId, textEncoder, type TextEncoder } from '../encode/text.js';

/** Encodes free texts into the movie DNA. */
export type TextTaste = (text: string) => Promise<Float32Array>;

export interface TextTasteSources {
  /** The artifacts directory: the fusion in `fusion/`, the tfidf-svd fit in `encoders/tfidf-svd/`. */
  artifacts: string;
  /** Where MiniLM's weights are, when the fusion reads MiniLM vectors. */
  models?: ModelSource;
}

/**
 * The free-text encoder of the saved fusion; each text encoder must be the version whose movie vectors the fusion was
 * trained on, or the query would land somewhere else than the movies it is compared with.
 */
export async function textTasteEncoder(sources: TextTasteSources): Promise<TextTaste> {
  const fusion = await loadFusion(join(sources.artifacts, 'fusion'));
  const encoders: TextEncoder[] = [];
  for (const input of fusion.inputs.text) {
    const encoder = await textEncoder(parseTextEncoderId(input.producer), {
      ...(sources.models ? { models: sources.models } : {}),
      fitted: join(sources.artifacts, 'encoders', input.producer),
    });
    if (encoder.version !== input.version || encoder.dim !== input.dim) {
      throw new UsageError(
        `the ${input.producer} encoder here is version ${encoder.version} (${encoder.dim}-d), but the movie DNA was trained on version ${input.version} (${input.dim}-d): run \`reelsense encode\` and \`reelsense train fusion\` again`,
      );
    }
    encoders.push(encoder);
  }
  return async (sentence) => {
    const query = sentence.trim();
    if (query.length === 0) throw new UsageError('the free-text taste is empty: describe the movies you like in a few words');
    const parts = await Promise.all(encoders.map((encoder) => encoder.encode([query])));
    if (parts.every((part) => part.every((value) => value === 0))) {
      throw new UsageError(`none of the words of "${query}" is known to the text encoders: try other words`);
    }
    const text = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    parts.reduce((offset, part) => (text.set(part, offset), offset + part.length), 0);
    return movieDna(fusion, textOnlyInputs(fusion, text, 1), { textOnly: true });
  };
}
