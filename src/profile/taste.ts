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
