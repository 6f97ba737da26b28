import type { MovieId, UserId } from '../domain.js';
import { csrFromTriplets, transpose, type Csr } from '../math/sparse.js';
import type { TrainingSet } from '../recommender.js';

/**
 * The training ratings as sparse matrices over dense indices. Movies are indexed over the whole catalog (by id), so
 * every model ranks every movie, including ones that no training rating mentions.
 */
export interface InteractionMatrix {
  movieIds: Int32Array;
  movieIndex: Map<MovieId, number>;
  userIds: Int32Array;
  userIndex: Map<UserId, number>;
  /** users × movies; the value is the rating. */
  byUser: Csr;
  /** movies × users. */
  byMovie: Csr;
}

const cache = new WeakMap<TrainingSet, InteractionMatrix>();

/** Built once per training set and shared by every model fitted on it. */
export function interactionMatrix(train: TrainingSet): InteractionMatrix {
  let matrix = cache.get(train);
  if (!matrix) {
    matrix = buildMatrix(train);
    cache.set(train, matrix);
  }
  return matrix;
}

function buildMatrix(train: TrainingSet): InteractionMatrix {
  const ids = new Set<MovieId>(train.movies.map((movie) => movie.movieId));
  for (const rating of train.ratings) ids.add(rating.movieId);
  const movieIds = Int32Array.from([...ids].sort((a, b) => a - b));
  const movieIndex = new Map(Array.from(movieIds, (id, index) => [id, index]));
  const userIds = Int32Array.from([...new Set(train.ratings.map((rating) => rating.userId))].sort((a, b) => a - b));
  const userIndex = new Map(Array.from(userIds, (id, index) => [id, index]));

  const count = train.ratings.length;
  const rowOf = new Int32Array(count);
  const colOf = new Int32Array(count);
  const valueOf = new Float32Array(count);
  train.ratings.forEach((rating, i) => {
    rowOf[i] = userIndex.get(rating.userId)!;
    colOf[i] = movieIndex.get(rating.movieId)!;
    valueOf[i] = rating.rating;
  });
  const byUser = csrFromTriplets(userIds.length, movieIds.length, rowOf, colOf, valueOf);
  return { movieIds, movieIndex, userIds, userIndex, byUser, byMovie: transpose(byUser) };
}
