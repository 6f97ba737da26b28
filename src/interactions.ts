/**
 * Ratings as every stage reads them: parallel typed arrays (20 bytes a rating, so ml-25m's 25M ratings fit in
 * 500 MB), and the user × movie matrix built from them once per training set.
 */
import type { Movie, MovieId, Rating, UserId } from './domain.js';
import { csrFromTriplets, transpose, type Csr } from './math/sparse.js';
import { countingSort, identityOrder } from './math/sort.js';

/** Row i is one rating: users[i] rated movies[i] with ratings[i] at timestamps[i] (Unix seconds). */
export interface Interactions {
  readonly users: Int32Array;
  readonly movies: Int32Array;
  readonly ratings: Float32Array;
  readonly timestamps: Float64Array;
}

export const interactionCount = (interactions: Interactions): number => interactions.users.length;

export function emptyInteractions(size = 0): Interactions {
  return { users: new Int32Array(size), movies: new Int32Array(size), ratings: new Float32Array(size), timestamps: new Float64Array(size) };
}

export function interactionsFromRatings(ratings: readonly Rating[]): Interactions {
  const interactions = emptyInteractions(ratings.length);
  ratings.forEach((rating, i) => setInteraction(interactions, i, rating));
  return interactions;
}

export function setInteraction(interactions: Interactions, row: number, rating: Rating): void {
  interactions.users[row] = rating.userId;
  interactions.movies[row] = rating.movieId;
  interactions.ratings[row] = rating.rating;
  interactions.timestamps[row] = rating.timestamp;
}

export function ratingAt(interactions: Interactions, row: number): Rating {
  return { userId: interactions.users[row]!, movieId: interactions.movies[row]!, rating: interactions.ratings[row]!, timestamp: interactions.timestamps[row]! };
}

/** As objects, for small sets (tests, one user's history); models read the arrays. */
export function ratingsOf(interactions: Interactions): Rating[] {
  return Array.from({ length: interactionCount(interactions) }, (_, row) => ratingAt(interactions, row));
}

/** The rows at these indices, in the order given. */
export function selectRows(interactions: Interactions, rows: ArrayLike<number>): Interactions {
  const selected = emptyInteractions(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    selected.users[i] = interactions.users[row]!;
    selected.movies[i] = interactions.movies[row]!;
    selected.ratings[i] = interactions.ratings[row]!;
    selected.timestamps[i] = interactions.timestamps[row]!;
  }
  return selected;
}

/** The rows of `first`, then those of `second`. */
export function concatInteractions(first: Interactions, second: Interactions): Interactions {
  const joined = emptyInteractions(interactionCount(first) + interactionCount(second));
  for (const column of ['users', 'movies', 'ratings', 'timestamps'] as const) {
    joined[column].set(first[column]);
    joined[column].set(second[column], interactionCount(first));
  }
  return joined;
}

/** The rows for which `keep(row)` holds, in order. */
export function filterRows(interactions: Interactions, keep: (row: number) => boolean): Interactions {
  const rows: number[] = [];
  for (let row = 0; row < interactionCount(interactions); row++) if (keep(row)) rows.push(row);
  return selectRows(interactions, rows);
}

/**
 * A fingerprint of a multiset of ratings: the same ratings in any order give the same value, and a model or vector
 * space records the fingerprint of what it was fitted on so `evaluate` can refuse one fitted on held-out ratings.
 * Four independent 32-bit lanes of per-row hashes are summed (order-free, linear time even at 25M rows).
 */
export function interactionsFingerprint(interactions: Interactions): string {
  const lanes = new Uint32Array(4);
  const timeWords = new Uint32Array(interactions.timestamps.buffer, interactions.timestamps.byteOffset, interactions.timestamps.length * 2);
  for (let row = 0; row < interactionCount(interactions); row++) {
    const user = interactions.users[row]!;
    const movie = interactions.movies[row]!;
    const halfStars = Math.round(interactions.ratings[row]! * 2);
    const timeLow = timeWords[2 * row]!;
    const timeHigh = timeWords[2 * row + 1]!;
    for (let lane = 0; lane < 4; lane++) {
      let hash = LANE_SEEDS[lane]!;
      hash = mixWord(hash, user);
      hash = mixWord(hash, movie);
      hash = mixWord(hash, halfStars);
      hash = mixWord(hash, timeLow);
      hash = mixWord(hash, timeHigh);
      lanes[lane] = (lanes[lane]! + finalMix(hash)) >>> 0;
    }
  }
  return `ratings:${interactionCount(interactions)}:${Array.from(lanes, (lane) => lane.toString(16).padStart(8, '0')).join('')}`;
}

const LANE_SEEDS = [0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f];

/** murmur3's 32-bit block step. */
function mixWord(hash: number, word: number): number {
  let k = Math.imul(word >>> 0, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  hash ^= k;
  return (Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64) >>> 0;
}

/** murmur3's finaliser: every input bit reaches every output bit. */
function finalMix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * The ratings as sparse matrices over dense indices. Movies are indexed over the whole catalog (by id), so every
 * model ranks every movie, including ones that no training rating mentions.
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

const matrixCache = new WeakMap<Interactions, WeakMap<readonly Movie[], InteractionMatrix>>();

/** Built once per (catalog, ratings) pair and shared by every model fitted on it. */
export function interactionMatrix(movies: readonly Movie[], interactions: Interactions): InteractionMatrix {
  let byCatalog = matrixCache.get(interactions);
  if (!byCatalog) matrixCache.set(interactions, (byCatalog = new WeakMap()));
  let matrix = byCatalog.get(movies);
  if (!matrix) byCatalog.set(movies, (matrix = buildMatrix(movies, interactions)));
  return matrix;
}

function buildMatrix(movies: readonly Movie[], interactions: Interactions): InteractionMatrix {
  const movieIds = sortedUnique(
    Int32Array.from(movies, (movie) => movie.movieId),
    interactions.movies,
  );
  const userIds = sortedUnique(interactions.users);
  const movieIndex = new Map(Array.from(movieIds, (id, index) => [id, index]));
  const userIndex = new Map(Array.from(userIds, (id, index) => [id, index]));
  const count = interactionCount(interactions);
  const rowOf = new Int32Array(count);
  const colOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    rowOf[i] = userIndex.get(interactions.users[i]!)!;
    colOf[i] = movieIndex.get(interactions.movies[i]!)!;
  }
  const byUser = csrFromTriplets(userIds.length, movieIds.length, rowOf, colOf, interactions.ratings);
  return { movieIds, movieIndex, userIds, userIndex, byUser, byMovie: transpose(byUser) };
}

/** The distinct values of the arrays, ascending. */
export function sortedUnique(...arrays: Int32Array[]): Int32Array {
  const all = new Int32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    all.set(array, offset);
    offset += array.length;
  }
  all.sort();
  let size = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[size++] = all[i]!;
  return all.slice(0, size);
}

/**
 * Each training user's ratings in time order, on the matrix's indices: user u's are entries `indptr[u] … indptr[u + 1]`
 * (the same counts as `byUser`), oldest first, ties in time keeping the order of the ratings. What a model that reads
 * the order of a history (the weighted profile, the updater) keeps of the training set.
 */
export interface Timelines {
  indptr: Int32Array;
  /** Matrix movie indices. */
  movies: Int32Array;
  ratings: Float32Array;
  /** Unix seconds. */
  timestamps: Float64Array;
}

export function userTimelines(matrix: InteractionMatrix, interactions: Interactions): Timelines {
  const count = interactionCount(interactions);
  const userOf = Int32Array.from(interactions.users, (userId) => matrix.userIndex.get(userId)!);
  const order = countingSort(identityOrder(count), userOf, matrix.userIds.length);
  const { indptr } = matrix.byUser;
  const { timestamps } = interactions;
  for (let u = 0; u < matrix.userIds.length; u++) {
    const rows = order.subarray(indptr[u], indptr[u + 1]);
    let sorted = true;
    for (let i = 1; i < rows.length && sorted; i++) sorted = timestamps[rows[i - 1]!]! <= timestamps[rows[i]!]!;
    if (!sorted) rows.sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
  }
  const timelines = { indptr, movies: new Int32Array(count), ratings: new Float32Array(count), timestamps: new Float64Array(count) };
  for (let i = 0; i < count; i++) {
    const row = order[i]!;
    timelines.movies[i] = matrix.movieIndex.get(interactions.movies[row]!)!;
    timelines.ratings[i] = interactions.ratings[row]!;
    timelines.timestamps[i] = timestamps[row]!;
  }
  return timelines;
}
