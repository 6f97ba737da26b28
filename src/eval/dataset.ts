import { createHash } from 'node:crypto';
import type { Movie, Rating } from '../domain.js';

/** What an evaluation reads from the store: the catalog and every rating. */
export interface EvaluationData {
  movies: readonly Movie[];
  ratings: readonly Rating[];
}

/**
 * sha256 over the movie ids with their genres and over every rating, in a canonical order: two runs on the same
 * data agree, and a result can be matched to the data it was measured on.
 */
export function datasetHash({ movies, ratings }: EvaluationData): string {
  const hash = createHash('sha256');
  for (const movie of [...movies].sort((a, b) => a.movieId - b.movieId)) hash.update(`m,${movie.movieId},${movie.genres.join('|')}\n`);
  const ordered = [...ratings].sort((a, b) => a.userId - b.userId || a.timestamp - b.timestamp || a.movieId - b.movieId);
  for (const { userId, movieId, rating, timestamp } of ordered) hash.update(`r,${userId},${movieId},${rating},${timestamp}\n`);
  return `sha256:${hash.digest('hex')}`;
}
