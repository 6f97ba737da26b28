/**
 * Train/test splits of the ratings. Each is deterministic given its seed and puts every rating on exactly one side.
 * Time ties within one user are broken by a seeded hash, not by movie id, which would bias what is held out.
 */
import type { MovieId, Rating, UserId } from '../domain.js';
import { hashInts, seededRandom, shuffle } from '../math/random.js';

export interface Split {
  train: Rating[];
  test: Rating[];
  /** For protocols that report groups of test users separately (cold-users: "first 3"), each test user's group. */
  segments?: Map<UserId, string>;
}

export const HOLD_OUT_FRACTION = 0.2;
export const GLOBAL_CUT_QUANTILE = 0.8;
export const COLD_USER_FRACTION = 0.2;
export const COLD_USER_KEEP = [1, 3, 5] as const;
export const COLD_ITEM_FRACTION = 0.1;

/** Ratings grouped by user, each group in input order. */
export function groupByUser(ratings: readonly Rating[]): Map<UserId, Rating[]> {
  const byUser = new Map<UserId, Rating[]>();
  for (const rating of ratings) {
    const list = byUser.get(rating.userId);
    if (list) list.push(rating);
    else byUser.set(rating.userId, [rating]);
  }
  return byUser;
}

/** Each user's ratings in time order, users ascending. */
export function historiesByUser(ratings: readonly Rating[], seed: number): Rating[][] {
  const byUser = groupByUser(ratings);
  const tieBreak = (rating: Rating) => hashInts(seed, rating.userId, rating.movieId);
  return [...byUser.keys()]
    .sort((a, b) => a - b)
    .map((userId) => byUser.get(userId)!.sort((a, b) => a.timestamp - b.timestamp || tieBreak(a) - tieBreak(b)));
}

/** Per user, the last `fraction` of their ratings by time (at least one) is test. Users with one rating stay in train. */
export function temporalSplit(ratings: readonly Rating[], seed: number, fraction = HOLD_OUT_FRACTION): Split {
  const split: Split = { train: [], test: [] };
  for (const history of historiesByUser(ratings, seed)) {
    const held = history.length < 2 ? 0 : Math.max(1, Math.round(fraction * history.length));
    split.train.push(...history.slice(0, history.length - held));
    split.test.push(...history.slice(history.length - held));
  }
  return split;
}

/** One moment for everyone: ratings after the `quantile` of all timestamps are test, the rest train. */
export function globalTimeSplit(ratings: readonly Rating[], quantile = GLOBAL_CUT_QUANTILE): Split {
  const cut = timestampQuantile(ratings, quantile);
  return { train: ratings.filter((rating) => rating.timestamp <= cut), test: ratings.filter((rating) => rating.timestamp > cut) };
}

export function timestampQuantile(ratings: readonly Rating[], quantile: number): number {
  const timestamps = Float64Array.from(ratings, (rating) => rating.timestamp).sort();
  return timestamps[Math.min(timestamps.length - 1, Math.floor(quantile * timestamps.length))] ?? 0;
}

/**
 * A seeded `fraction` of the users with more than max(keep) ratings become new users: each keeps only their first
 * 1, 3 or 5 ratings (in turn) for training, and the rest of their history is test. Everyone else trains in full.
 */
export function coldUsersSplit(ratings: readonly Rating[], seed: number, fraction = COLD_USER_FRACTION, keep: readonly number[] = COLD_USER_KEEP): Split {
  const histories = historiesByUser(ratings, seed);
  const eligible = histories.filter((history) => history.length > Math.max(...keep));
  const chosen = shuffle(eligible.slice(), seededRandom(seed)).slice(0, Math.round(fraction * eligible.length));
  const keepOf = new Map(chosen.map((history, i) => [history, keep[i % keep.length]!]));
  const split: Split = { train: [], test: [], segments: new Map() };
  for (const history of histories) {
    const kept = keepOf.get(history) ?? history.length;
    split.train.push(...history.slice(0, kept));
    if (kept < history.length) {
      split.test.push(...history.slice(kept));
      split.segments!.set(history[0]!.userId, `first ${kept}`);
    }
  }
  return split;
}

/** A seeded `fraction` of the rated movies become new movies: every rating of theirs is test, none is train. */
export function coldItemsSplit(ratings: readonly Rating[], seed: number, fraction = COLD_ITEM_FRACTION): Split {
  const rated = [...new Set(ratings.map((rating) => rating.movieId))].sort((a, b) => a - b);
  const cold = new Set<MovieId>(shuffle(rated, seededRandom(seed)).slice(0, Math.round(fraction * rated.length)));
  return { train: ratings.filter((rating) => !cold.has(rating.movieId)), test: ratings.filter((rating) => cold.has(rating.movieId)) };
}
