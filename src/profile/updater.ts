/**
 * The residual taste updater (DESIGN §3.3): after each rating, u' = normalise(u + clip(f(u, dna(movie), rating))),
 * an identity skip plus a learned step. f is the fusion's network shape (a linear path plus a ReLU MLP, without the
 * normalisation) over [u ; d ; pull·d ; rating features]. Its linear path starts as u' = normalise(u + 0.5·pull·d),
 * an exponential moving average of the weighted profile's pulls, so training starts from a sensible rule.
 *
 * A taste is a unit vector with the two running counts the rating features need. The step is clipped to MAX length
 * before the skip, so one rating can turn a taste by at most 90°, and a non-finite step leaves the taste as it was:
 * 1,000 updates keep unit length and never drift.
 */
import { requireArray, type Artifact, type ArtifactArray } from '../artifacts.js';
import { initialWeights, networkArrays, restoreNetwork, unnormalisedForwardRow, type NetworkWeights } from '../fuse/network.js';
import type { Random } from '../math/random.js';
import { MEAN_PRIOR_COUNT, NEUTRAL_RATING } from './taste.js';

/** A user's taste as the updater carries it. */
export interface TasteState {
  /** Unit length, in the movie space the updater was trained on. */
  vector: Float32Array;
  /** Ratings applied so far, and their sum: the user's shrunk mean rating at each step. */
  count: number;
  ratingSum: number;
}

export interface TasteUpdater {
  dim: number;
  weights: NetworkWeights;
  /** Where every taste starts before its first rating: the mean direction of liked training movies. */
  start: Float32Array;
  /** The longest step before the skip: 1 keeps a turn within 90°. */
  maxStep: number;
}

/** pull (the rating against the user's shrunk mean, as the weighted profile has it), preference, liked, experience. */
export const RATING_FEATURES = 4;
/** The count at which `experience` reaches 1: the updater may step differently for a user with long history. */
const EXPERIENCED = 1000;

/** The updater's input width for a space of `dim`: [u ; d ; pull·d ; features]. */
export const updaterInputWidth = (dim: number): number => 3 * dim + RATING_FEATURES;

/** The pull of a rating given the ratings before it: (r − m) / 2 with m the shrunk mean including r. */
export function ratingPull(rating: number, count: number, ratingSum: number): number {
  const mean = (ratingSum + rating + MEAN_PRIOR_COUNT * NEUTRAL_RATING) / (count + 1 + MEAN_PRIOR_COUNT);
  return (rating - mean) / 2;
}

/** Writes one input row at out[offset…]: the taste u, the movie's vector d, pull·d and the rating features. */
export function writeUpdaterInput(
  out: Float32Array,
  offset: number,
  dim: number,
  taste: Float32Array,
  tasteOffset: number,
  movie: Float32Array,
  movieOffset: number,
  rating: number,
  count: number,
  ratingSum: number,
): void {
  const pull = ratingPull(rating, count, ratingSum);
  for (let i = 0; i < dim; i++) {
    const d = movie[movieOffset + i]!;
    out[offset + i] = taste[tasteOffset + i]!;
    out[offset + dim + i] = d;
    out[offset + 2 * dim + i] = pull * d;
  }
  const features = offset + 3 * dim;
  out[features] = pull;
  out[features + 1] = (rating - NEUTRAL_RATING) / 2;
  out[features + 2] = rating >= 4 ? 1 : 0;
  out[features + 3] = Math.log1p(count) / Math.log1p(EXPERIENCED);
}

/** How a step was taken, for the backward pass: the clip's scale and the length before normalisation. */
export interface StepRecord {
  deltaLength: number;
  clipScale: number;
  length: number;
}

/**
 * out[outOffset…] = normalise(u + clip(delta)); a step that is not finite, or one that cancels the taste, leaves it
 * as it was. Returns the clip's scale and the length normalised away.
 */
export function takeStep(
  out: Float32Array,
  outOffset: number,
  dim: number,
  taste: Float32Array,
  tasteOffset: number,
  delta: Float32Array,
  deltaOffset: number,
  maxStep: number,
): StepRecord {
  let deltaSquares = 0;
  for (let i = 0; i < dim; i++) deltaSquares += delta[deltaOffset + i]! ** 2;
  const deltaLength = Math.sqrt(deltaSquares);
  const clipScale = deltaLength > maxStep ? maxStep / deltaLength : 1;
  let squares = 0;
  for (let i = 0; i < dim; i++) {
    const value = taste[tasteOffset + i]! + clipScale * delta[deltaOffset + i]!;
    out[outOffset + i] = value;
    squares += value * value;
  }
  const length = Math.sqrt(squares);
  if (!Number.isFinite(length) || length < 1e-6) {
    out.set(taste.subarray(tasteOffset, tasteOffset + dim), outOffset);
    return { deltaLength, clipScale: 0, length: 1 };
  }
  for (let i = 0; i < dim; i++) out[outOffset + i]! /= length;
  return { deltaLength, clipScale, length };
}

/** The taste of someone who has rated nothing yet. */
export function initialTaste(updater: TasteUpdater): TasteState {
  return { vector: updater.start.slice(), count: 0, ratingSum: 0 };
}

/** Reusable buffers for one-at-a-time updates, so the online path allocates nothing but the new taste. */
interface Scratch {
  input: Float32Array;
  hidden: Float32Array;
  delta: Float32Array;
}
const scratches = new WeakMap<TasteUpdater, Scratch>();

function scratchOf(updater: TasteUpdater): Scratch {
  let scratch = scratches.get(updater);
  if (!scratch) {
    const { shape } = updater.weights;
    scratch = { input: new Float32Array(shape.input), hidden: new Float32Array(shape.hidden), delta: new Float32Array(shape.output) };
    scratches.set(updater, scratch);
  }
  return scratch;
}

/**
 * The taste after one more rating of the movie whose unit vector is movie[movieOffset … + dim]: one pass of the
 * network in plain loops (the online path: well under a millisecond). A null movie vector (a movie without DNA)
 * changes only the counts.
 */
export function applyRating(updater: TasteUpdater, state: TasteState, movie: Float32Array | null, movieOffset: number, rating: number): TasteState {
  const next = { vector: state.vector.slice(), count: state.count + 1, ratingSum: state.ratingSum + rating };
  if (!movie) return next;
  const { dim, weights } = updater;
  const { input, hidden, delta } = scratchOf(updater);
  writeUpdaterInput(input, 0, dim, state.vector, 0, movie, movieOffset, rating, state.count, state.ratingSum);
  unnormalisedForwardRow(weights, input, hidden, delta);
  takeStep(next.vector, 0, dim, state.vector, 0, delta, 0, updater.maxStep);
  return next;
}

/**
 * The network an untrained updater starts from: the linear path maps pull·d to 0.5·pull·d and the rest to zero; the
 * MLP starts at zero (its output layer), so training starts from the moving average.
 */
export function initialUpdaterWeights(dim: number, hidden: number, initialPull: number, random: Random): NetworkWeights {
  const input = updaterInputWidth(dim);
  const linearPath = new Float32Array(input * dim);
  for (let i = 0; i < dim; i++) linearPath[(2 * dim + i) * dim + i] = initialPull;
  return initialWeights({ input, hidden, output: dim }, random, linearPath);
}

/** The updater's arrays in an artifact (a model's, or the production updater's). */
export function updaterArrays(updater: TasteUpdater): Record<string, ArtifactArray> {
  return { ...networkArrays(updater.weights), start: updater.start, maxStep: Float32Array.of(updater.maxStep) };
}

export function restoreUpdater(artifact: Artifact): TasteUpdater {
  const weights = restoreNetwork(artifact);
  const start = requireArray(artifact, 'start', Float32Array);
  const dim = weights.shape.output;
  if (weights.shape.input !== updaterInputWidth(dim) || start.length !== dim) {
    throw new Error(`the saved taste updater's arrays do not fit its shape ${weights.shape.input} → ${weights.shape.hidden} → ${dim}: train it again`);
  }
  return { dim, weights, start, maxStep: requireArray(artifact, 'maxStep', Float32Array)[0]! };
}
