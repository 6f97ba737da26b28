/**
 * Movies liked by the same users: for every movie, the movies most often liked together with it, by cosine of their
 * liker sets. The one part of the movie DNA that learns from ratings, so it is computed from the training set's
 * interactions only (under `evaluate`, the split's training part).
 */
import type { MovieId } from '../domain.js';
import type { Interactions } from '../interactions.js';
import { RELEVANT_RATING } from '../eval/evaluate.js';
import { topK } from '../math/topk.js';

export interface CoRatedOptions {
  /** Neighbours kept per movie, best first. */
  neighbours: number;
  /** Users who must like both movies for a pair to count: one shared fan is chance. */
  minSupport: number;
  /**
   * Likes per user that enter the count, the most recent first: the work grows with the square of a user's likes,
   * and a few thousand-like users would otherwise dominate it on large datasets.
   */
  maxLikesPerUser: number;
}

export const CO_RATED_DEFAULTS: CoRatedOptions = { neighbours: 100, minSupport: 2, maxLikesPerUser: 500 };

/** Per row of `movieIds`, the rows of its co-liked movies, best first (CSR); movies nobody liked have none. */
export interface CoRated {
  indptr: Int32Array;
  indices: Int32Array;
}

/** A rating at or above this is a like: the same threshold `evaluate` calls relevant. */
export const LIKED_RATING = RELEVANT_RATING;

export function coRatedNeighbours(movieIds: Int32Array, interactions: Interactions, options: CoRatedOptions = CO_RATED_DEFAULTS): CoRated {
  const rowOf = new Map(Array.from(movieIds, (id, row) => [id, row]));
  const likesByUser = likedRowsByUser(interactions, rowOf, options.maxLikesPerUser);
  const likers = new Int32Array(movieIds.length);
  const usersOf: number[][] = Array.from({ length: movieIds.length }, () => []);
  likesByUser.forEach((rows, user) => {
    for (const row of rows) {
      likers[row]!++;
      usersOf[row]!.push(user);
    }
  });
  const together = new Float32Array(movieIds.length);
  const scores = new Float32Array(movieIds.length).fill(Number.NEGATIVE_INFINITY);
  const indptr = new Int32Array(movieIds.length + 1);
  const lists: Int32Array[] = [];
  for (let row = 0; row < movieIds.length; row++) {
    // Only the movies this one's fans also liked are touched, so a row costs its fans' likes, not the catalog.
    const touched: number[] = [];
    for (const user of usersOf[row]!) {
      for (const other of likesByUser[user]!) if (other !== row && together[other]!++ === 0) touched.push(other);
    }
    const supported = touched.filter((other) => together[other]! >= options.minSupport);
    for (const other of supported) scores[other] = together[other]! / Math.sqrt(likers[row]! * likers[other]!);
    const kept = topK(scores, options.neighbours, { among: supported });
    for (const other of touched) {
      together[other] = 0;
      scores[other] = Number.NEGATIVE_INFINITY;
    }
    lists.push(kept);
    indptr[row + 1] = indptr[row]! + kept.length;
  }
  const indices = new Int32Array(indptr[movieIds.length]!);
  lists.forEach((list, row) => indices.set(list, indptr[row]));
  return { indptr, indices };
}

/** Each user's liked movies as rows, at most `limit` of the latest (interactions are by user, then time). */
function likedRowsByUser(interactions: Interactions, rowOf: ReadonlyMap<MovieId, number>, limit: number): number[][] {
  const byUser = new Map<number, number[]>();
  for (let i = interactions.users.length - 1; i >= 0; i--) {
    if (interactions.ratings[i]! < LIKED_RATING) continue;
    const row = rowOf.get(interactions.movies[i]!);
    if (row === undefined) continue;
    let rows = byUser.get(interactions.users[i]!);
    if (!rows) byUser.set(interactions.users[i]!, (rows = []));
    if (rows.length < limit) rows.push(row);
  }
  return [...byUser.values()];
}
