/**
 * How fast each encoder runs on a real catalog, for bench/encode.ts: the encoders timed end to end on real inputs,
 * model loading reported apart. Nothing is asserted; the machine's load shows in the figures.
 */
import type { Movie } from '../domain.js';
import { silentProgress, type Progress } from '../progress.js';
import { composeMovieText } from './compose.js';
import { imageEncoder } from './image.js';
import type { ModelSource } from './models.js';
import { textEncoder } from './text.js';

export const THROUGHPUT_ENCODERS = ['tfidf-svd', 'minilm', 'mobilenet'] as const;
export type ThroughputEncoder = (typeof THROUGHPUT_ENCODERS)[number];

export interface ThroughputInput {
  movies: readonly Movie[];
  /** Poster files to encode (e.g. the catalog's posters directory). */
  posters: readonly string[];
  models: ModelSource;
  encoders?: readonly ThroughputEncoder[];
  /** MiniLM runs at tens of texts a second: it is timed on this many texts, spread evenly over the catalog. */
  minilmTexts?: number;
  /** Posters timed, spread evenly over `posters`. */
  posterCount?: number;
}

/** Flat figures, as a BenchResult's: seconds, items and items per second for each encoder. */
export async function encoderThroughput(input: ThroughputInput, progress: Progress = silentProgress): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const encoders = input.encoders ?? THROUGHPUT_ENCODERS;
  const texts = input.movies.map(composeMovieText);

  if (encoders.includes('tfidf-svd')) {
    // The built-in encoder is fitted on the catalog: fit and encode are one job, timed together.
    const started = performance.now();
    const encoder = await textEncoder('tfidf-svd', { corpus: texts, progress });
    await encoder.encode(texts, progress);
    record(figures, 'tfidf-svd', 'movies', texts.length, secondsSince(started));
  }
  if (encoders.includes('minilm')) {
    const sample = spread(texts, input.minilmTexts ?? 640);
    const loading = performance.now();
    const encoder = await textEncoder('minilm', { models: input.models });
    figures['minilm load s'] = round(secondsSince(loading));
    figures['minilm mean characters'] = Math.round(sample.reduce((sum, text) => sum + text.length, 0) / Math.max(1, sample.length));
    const started = performance.now();
    await encoder.encode(sample, progress);
    record(figures, 'minilm', 'texts', sample.length, secondsSince(started));
  }
  if (encoders.includes('mobilenet')) {
    const sample = spread(input.posters, input.posterCount ?? 960);
    const starting = performance.now();
    const encoder = await imageEncoder('mobilenet', { models: input.models });
    figures['mobilenet start s'] = round(secondsSince(starting));
    try {
      const started = performance.now();
      const { ok } = await encoder.encode(sample, progress);
      record(figures, 'mobilenet', 'posters', ok.length, secondsSince(started));
    } finally {
      await encoder.close();
    }
  }
  return figures;
}

function record(figures: Record<string, number>, encoder: string, unit: string, count: number, seconds: number): void {
  figures[`${encoder} ${unit}`] = count;
  figures[`${encoder} s`] = round(seconds);
  figures[`${encoder} ${unit}/s`] = Math.round((count / seconds) * 10) / 10;
}

const secondsSince = (started: number) => (performance.now() - started) / 1000;

/** `count` items taken at even steps, so a sample has the catalog's mix of long and short texts. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

const round = (seconds: number) => Math.round(seconds * 100) / 100;
