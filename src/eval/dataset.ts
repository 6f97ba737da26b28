import { createHash } from 'node:crypto';
import type { Movie } from '../domain.js';
import { interactionsFingerprint, type Interactions } from '../interactions.js';
import type { VectorStoreReader } from '../recommender.js';

/** What an evaluation reads from the store: the catalog, every rating, and the stored vector spaces content models read. */
export interface EvaluationData {
  movies: readonly Movie[];
  interactions: Interactions;
  vectorStore?: VectorStoreReader;
}

/**
 * sha256 over the movie ids with their genres and the ratings' fingerprint: two runs on the same data agree, and a
 * result can be matched to the data it was measured on.
 */
export function datasetHash({ movies, interactions }: EvaluationData): string {
  const hash = createHash('sha256');
  for (const movie of [...movies].sort((a, b) => a.movieId - b.movieId)) hash.update(`m,${movie.movieId},${movie.genres.join('|')}\n`);
  hash.update(interactionsFingerprint(interactions));
  return `sha256:${hash.digest('hex')}`;
}
