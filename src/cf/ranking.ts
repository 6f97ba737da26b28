import type { MovieId } from '../domain.js';
import { topK } from '../math/topk.js';
import type { Scored } from '../recommender.js';
import type { InteractionMatrix } from './interactions.js';

/** The n best-scored movies, leaving out `exclude` and, for similar-item lists, the query movie itself. */
export function rankMovies(matrix: InteractionMatrix, scores: Float32Array, n: number, exclude?: ReadonlySet<MovieId>, self?: number): Scored[] {
  let skip: Uint8Array | undefined;
  if (exclude?.size || self !== undefined) {
    skip = new Uint8Array(matrix.movieIds.length);
    for (const movieId of exclude ?? []) {
      const index = matrix.movieIndex.get(movieId);
      if (index !== undefined) skip[index] = 1;
    }
    if (self !== undefined) skip[self] = 1;
  }
  return Array.from(topK(scores, n, { skip }), (index) => ({ movieId: matrix.movieIds[index]!, score: scores[index]! }));
}

/** The model's state after fit, or a clear error when a caller forgot to fit. */
export function fitted<T>(state: T | undefined, model: string): T {
  if (state === undefined) throw new Error(`${model}: call fit() before using the model`);
  return state;
}
