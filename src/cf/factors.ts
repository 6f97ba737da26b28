import type { MovieId } from '../domain.js';
import { matVec, normaliseRows } from '../math/vector.js';
import type { Scored } from '../recommender.js';
import type { InteractionMatrix } from './interactions.js';
import { rankMovies } from './ranking.js';

/** Movie factors scaled to unit rows, so that similar movies are nearest by cosine, whatever their popularity. */
export function unitFactors(movieFactors: Float32Array, dim: number): Float32Array {
  return normaliseRows(movieFactors.slice(), dim);
}

/** The n movies whose factor rows have the highest cosine with this movie's. */
export function similarByFactors(matrix: InteractionMatrix, unit: Float32Array, dim: number, movieId: MovieId, n: number): Scored[] {
  const index = matrix.movieIndex.get(movieId);
  if (index === undefined) return [];
  return rankMovies(matrix, matVec(unit, dim, unit, index * dim), n, undefined, index);
}
