/**
 * What a fused movie space is made from: the text spaces (MiniLM's semantic view and tfidf-svd's lexical one, side by
 * side) and, where a movie has a poster, one image space, read from the store (through the training set's leakage
 * guard) and aligned row by row on the movies that have text.
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
  /** Every movie with a vector in some text space, ascending. */
  movieIds: Int32Array;
  /** movieIds.length × textDim: the text spaces' unit vectors side by side, zeros where a space has none for the movie. */
  text: Float32Array;
  textDim: number;
  textSpaces: VectorSpaceInfo[];
  /** movieIds.length × imageDim, zero rows for movies without a poster vector; empty when there is no image space. */
  image: Float32Array;
  imageDim: number;
  imageSpace: VectorSpaceInfo | null;
  /** 1 where the movie has a poster vector. */
  hasImage: Uint8Array;
}

/**
 * The text spaces (`auto`: every one of CONTENT_PRODUCERS.text the store has; else a comma-separated list) and the
 * image space (`auto`: the preferred one the store has, if any; `none`; or a producer), aligned on the movies with text.
 */
export async function readContentInputs(vectors: VectorSource, choice: { text?: ProducerChoice; image?: ProducerChoice } = {}): Promise<ContentInputs> {
  const text: VectorSet[] = [];
  if (!choice.text || choice.text === 'auto') {
    for (const producer of CONTENT_PRODUCERS.text) {
      const set = await readContentSpace(vectors, 'text', producer);
      if (set) text.push(set);
    }
    if (text.length === 0) await requireContentSpace(vectors, 'text');
  } else {
    for (const producer of choice.text.split(',').map((name) => name.trim())) text.push(await requireContentSpace(vectors, 'text', producer));
  }
  const image =
    choice.image === 'none'
      ? null
      : choice.image && choice.image !== 'auto'
        ? await requireContentSpace(vectors, 'image', choice.image)
        : await readContentSpace(vectors, 'image');
  return alignContent(text, image);
}

/** Lays rows of several spaces side by side on `movieIds` (ascending); zeros where a space has no vector for a movie. */
function sideBySide(movieIds: Int32Array, spaces: readonly VectorSet[]): { data: Float32Array; dim: number; present: Uint8Array } {
  const dim = spaces.reduce((sum, set) => sum + set.space.dim, 0);
  const data = new Float32Array(movieIds.length * dim);
  const present = new Uint8Array(movieIds.length);
  const rowOf = new Map(Array.from(movieIds, (id, row) => [id, row]));
  let offset = 0;
  for (const set of spaces) {
    const width = set.space.dim;
    set.ids.forEach((id, source) => {
      const row = rowOf.get(id);
      if (row === undefined) return;
      data.set(set.vectors.subarray(source * width, (source + 1) * width), row * dim + offset);
      present[row] = 1;
    });
    offset += width;
  }
  return { data, dim, present };
}

/** Aligns the text spaces and an image space on the movies that have any text vector. */
export function alignContent(text: readonly VectorSet[], image: VectorSet | null): ContentInputs {
  const movieIds = Int32Array.from(new Set(text.flatMap((set) => set.ids))).sort();
  const texts = sideBySide(movieIds, text);
  const images = sideBySide(movieIds, image ? [image] : []);
  return {
    movieIds,
    text: texts.data,
    textDim: texts.dim,
    textSpaces: text.map((set) => set.space),
    image: images.data,
    imageDim: images.dim,
    imageSpace: image?.space ?? null,
    hasImage: images.present,
  };
}
