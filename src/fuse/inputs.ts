/**
 * What a fused movie space is made from: one text space and, where a movie has a poster, one image space, read from
 * the store (through the training set's leakage guard) and aligned row by row on the movies that have text.
 */
import { UsageError } from '../errors.js';
import type { VectorSource } from '../recommender.js';
import type { VectorSet, VectorSpaceInfo } from '../store/store.js';

/** Producers of each content kind, preferred first: the one reelsense finds first is the one it uses. */
export const CONTENT_PRODUCERS = {
  text: ['minilm', 'tfidf-svd'],
  image: ['clip', 'mobilenet'],
} as const;
export type ContentKind = keyof typeof CONTENT_PRODUCERS;

/** A content space's producer, 'auto' for the first of CONTENT_PRODUCERS that the store has, or (for images only) 'none'. */
export type ProducerChoice = string;

/** A movie space by kind: the named producer's, or with 'auto' the first the store has; null when there is none. */
export async function readContentSpace(vectors: VectorSource, kind: ContentKind, producer: ProducerChoice = 'auto'): Promise<VectorSet | null> {
  const producers = producer === 'auto' ? CONTENT_PRODUCERS[kind] : [producer];
  for (const candidate of producers) {
    const set = await vectors.read({ owner: 'movie', kind, producer: candidate });
    if (set && set.ids.length > 0) return set;
  }
  return null;
}

/** Like readContentSpace, but a missing space is a usage error that says how to make it. */
export async function requireContentSpace(vectors: VectorSource, kind: ContentKind, producer: ProducerChoice = 'auto'): Promise<VectorSet> {
  const set = await readContentSpace(vectors, kind, producer);
  if (set) return set;
  const named = producer === 'auto' ? `any of ${CONTENT_PRODUCERS[kind].join(', ')}` : producer;
  throw new UsageError(`no movie ${kind} vectors (${named}) in the store: run \`reelsense encode\` first`);
}

export interface ContentInputs {
  /** Every movie with a text vector, ascending. */
  movieIds: Int32Array;
  /** movieIds.length × textDim. */
  text: Float32Array;
  textDim: number;
  textSpace: VectorSpaceInfo;
  /** movieIds.length × imageDim, zero rows for movies without a poster vector; empty when there is no image space. */
  image: Float32Array;
  imageDim: number;
  imageSpace: VectorSpaceInfo | null;
  /** 1 where the movie has a poster vector. */
  hasImage: Uint8Array;
}

/** The text space and, when asked for and present, the image space, aligned on the movies with text. */
export async function readContentInputs(vectors: VectorSource, choice: { text?: ProducerChoice; image?: ProducerChoice } = {}): Promise<ContentInputs> {
  const text = await requireContentSpace(vectors, 'text', choice.text);
  const image =
    choice.image === 'none'
      ? null
      : choice.image && choice.image !== 'auto'
        ? await requireContentSpace(vectors, 'image', choice.image)
        : await readContentSpace(vectors, 'image');
  return alignContent(text, image);
}

/** Aligns an image space onto a text space's movies (both ascending by id). */
export function alignContent(text: VectorSet, image: VectorSet | null): ContentInputs {
  const movieIds = Int32Array.from(text.ids);
  const imageDim = image?.space.dim ?? 0;
  const aligned = new Float32Array(movieIds.length * imageDim);
  const hasImage = new Uint8Array(movieIds.length);
  if (image) {
    const rowOf = new Map(text.ids.map((id, row) => [id, row]));
    image.ids.forEach((id, source) => {
      const row = rowOf.get(id);
      if (row === undefined) return;
      aligned.set(image.vectors.subarray(source * imageDim, (source + 1) * imageDim), row * imageDim);
      hasImage[row] = 1;
    });
  }
  return { movieIds, text: text.vectors, textDim: text.space.dim, textSpace: text.space, image: aligned, imageDim, imageSpace: image?.space ?? null, hasImage };
}
