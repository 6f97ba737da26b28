/**
 * A user's taste as a point in a movie space: where the movies they liked lie, pushed away from the ones they
 * disliked (DESIGN §3.3). Content models, the profile stage and the online updater all start from it.
 */
import { addScaled, dot } from '../math/vector.js';

/** A rating that says neither "more like this" nor "less": the middle of the MovieLens 0.5–5 scale. */
export const NEUTRAL_RATING = 3.0;
/** Pseudo-ratings at NEUTRAL_RATING added to a user's mean, so one or two ratings cannot define their whole scale. */
export const MEAN_PRIOR_COUNT = 2;

/**
 * The user's mean rating shrunk toward neutral: (Σr + 2·3.0) / (n + 2). A lone 5 then sits above the user's mean
 * (pulls toward) and a lone 1 below it (pushes away); a harsh rater's 3.5 still counts as liked.
 */
export function shrunkMeanRating(ratings: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < ratings.length; i++) sum += ratings[i]!;
  return (sum + MEAN_PRIOR_COUNT * NEUTRAL_RATING) / (ratings.length + MEAN_PRIOR_COUNT);
}

/**
 * The taste of a user who rated the movies at `rows` of `space` (a rows × dim matrix of unit vectors; a zero row, a
 * movie without a vector, adds nothing but its rating still counts toward the user's mean) with `ratings`:
 * normalise(Σ (rᵢ − m) · extraᵢ · vᵢ) where m is `shrunkMeanRating(ratings)`, so ratings below the user's mean pull
 * the taste away from those movies. `extraWeights` (e.g. recency decay) scale each rating's pull; they do not change
 * m, which describes how the user uses the scale. Null when nothing pulls: every weight 0, or the pulls cancel out.
 */
export function contentTaste(
  space: Float32Array,
  dim: number,
  rows: ArrayLike<number>,
  ratings: ArrayLike<number>,
  extraWeights?: ArrayLike<number>,
): Float32Array | null {
  if (rows.length !== ratings.length || (extraWeights && extraWeights.length !== rows.length)) {
    throw new Error(`contentTaste: ${rows.length} rows, ${ratings.length} ratings and ${extraWeights?.length ?? rows.length} extra weights must match`);
  }
  const mean = shrunkMeanRating(ratings);
  const taste = new Float32Array(dim);
  for (let i = 0; i < rows.length; i++) {
    const weight = (ratings[i]! - mean) * (extraWeights ? extraWeights[i]! : 1);
    if (weight !== 0) addScaled(taste, space, weight, dim, 0, rows[i]! * dim);
  }
  const length = Math.sqrt(dot(taste, taste));
  if (!(length > 0)) return null;
  for (let i = 0; i < dim; i++) taste[i]! /= length;
  return taste;
}

/** How many of a user's ratings a weighted profile reads: the most recent 50 (DESIGN §3.3); older ones have no effect. */
export const PROFILE_WINDOW = 50;
/**
 * A rating's recency weight halves every 20 ratings back from the most recent: the oldest of the 50 still weighs
 * 0.5^(49/20) ≈ 0.18, so recent taste leads without letting the last two or three ratings define it alone.
 */
export const RECENCY_HALF_LIFE = 20;

/** RECENCY[i] is the weight of the rating PROFILE_WINDOW − 1 − i places before the most recent: oldest first, the last is 1. */
const RECENCY = Float32Array.from({ length: PROFILE_WINDOW }, (_, i) => 0.5 ** ((PROFILE_WINDOW - 1 - i) / RECENCY_HALF_LIFE));

/**
 * The indices of a history in time order: as given (oldest first, as the model contract hands it over) unless
 * `timestamps` disagree, then sorted by timestamp, ties keeping the given order.
 */
export function timeOrder(length: number, timestamps?: ArrayLike<number>): Int32Array {
  const order = new Int32Array(length);
  let sorted = true;
  for (let i = 0; i < length; i++) {
    order[i] = i;
    if (timestamps && i > 0 && timestamps[i]! < timestamps[i - 1]!) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => timestamps![a]! - timestamps![b]! || a - b);
}

/**
 * Each rating's pull in the weighted profile, for ratings in time order (oldest first): only the last PROFILE_WINDOW
 * count; each pulls by its rating minus the user's shrunk mean over that window, times a recency decay that halves
 * every RECENCY_HALF_LIFE ratings back from the most recent. Older ratings weigh 0. Explanations read these too.
 */
export function profileWeights(ratings: ArrayLike<number>): Float32Array {
  const size = Math.min(PROFILE_WINDOW, ratings.length);
  const from = ratings.length - size;
  const window = Array.from({ length: size }, (_, i) => ratings[from + i]!);
  const mean = shrunkMeanRating(window);
  const weights = new Float32Array(ratings.length);
  for (let i = 0; i < size; i++) weights[from + i] = (window[i]! - mean) * RECENCY[PROFILE_WINDOW - size + i]!;
  return weights;
}

/**
 * A user's weighted profile (DESIGN §3.3): normalise(Σ profileWeights · vᵢ) over their history. `rows`, `ratings`
 * (and `timestamps`, when known) describe the history oldest first; given timestamps that disagree with that order,
 * the history is sorted by them (ties keep their order; a caller that has that order already passes it). Unit length;
 * defined from a single rating (a lone 5 points at the movie, a lone 1 away from it); null when nothing pulls.
 */
export function weightedProfile(
  space: Float32Array,
  dim: number,
  rows: ArrayLike<number>,
  ratings: ArrayLike<number>,
  timestamps?: ArrayLike<number>,
  order: Int32Array = timeOrder(rows.length, timestamps),
): Float32Array | null {
  if (rows.length !== ratings.length || (timestamps && timestamps.length !== rows.length) || order.length !== rows.length) {
    throw new Error(
      `weightedProfile: ${rows.length} rows, ${ratings.length} ratings, ${timestamps?.length ?? rows.length} timestamps and ${order.length} positions must match`,
    );
  }
  // Only the window pulls (profileWeights gives the older ratings 0), so only the window is read.
  const window = order.subarray(Math.max(0, order.length - PROFILE_WINDOW));
  const weights = profileWeights(Array.from(window, (i) => ratings[i]!));
  const taste = new Float32Array(dim);
  window.forEach((i, position) => {
    if (weights[position] !== 0) addScaled(taste, space, weights[position]!, dim, 0, rows[i]! * dim);
  });
  const length = Math.sqrt(dot(taste, taste));
  if (!(length > 0)) return null;
  for (let i = 0; i < dim; i++) taste[i]! /= length;
  return taste;
}

/** A history as a taste reads it: movies as rows of a space, their ratings and, when known, timestamps; oldest first. */
export interface RatedRows {
  movies: ArrayLike<number>;
  ratings: ArrayLike<number>;
  timestamps?: ArrayLike<number>;
}

/** How a content model turns a history into a taste; `ordered` ones need a known user's training history in time order. */
export interface TasteRule {
  taste(space: Float32Array, dim: number, history: RatedRows): Float32Array | null;
  ordered: boolean;
}

/** The content-* models' taste: every rating pulls by its preference alone, whenever it was made. */
export const RATING_WEIGHTED: TasteRule = {
  taste: (space, dim, history) => contentTaste(space, dim, history.movies, history.ratings),
  ordered: false,
};

/** The weighted profile: the last PROFILE_WINDOW ratings, recency decay × rating preference. */
export const RECENCY_WEIGHTED: TasteRule = {
  taste: (space, dim, history) => weightedProfile(space, dim, history.movies, history.ratings, history.timestamps),
  ordered: true,
};
