/**
 * Training the taste updater on training-split histories: each user's ratings are replayed in time order, and the
 * step taken at each rating is trained so that the taste after it ranks the user's *next* liked movie first, a
 * sampled softmax against movies drawn uniformly from the catalog (so popular movies are not pushed away for being
 * popular). Tastes are replayed with the current network at the start of every epoch and held fixed within it (one
 * step of backpropagation through time). A seeded tenth of the users is held out: early stopping watches their
 * next-liked hit rate at 10, epoch 0 (the moving average the network starts as) included.
 */
import { Adam, copyWeights, unnormalisedBackward, unnormalisedForward } from '../fuse/network.js';
import type { Timelines } from '../interactions.js';
import { matrix, product, transposed, type Matrix } from '../math/gemm.js';
import { hashInts, seededRandom, shuffle } from '../math/random.js';
import { silentProgress, type Progress } from '../progress.js';
import { RELEVANT_RATING } from '../eval/metrics.js';
import { initialUpdaterWeights, takeStep, updaterInputWidth, writeUpdaterInput, type StepRecord, type TasteUpdater } from './updater.js';

export interface UpdaterParams {
  /** Hidden units of the MLP. */
  hidden: number;
  epochs: number;
  /** Epochs without a better validation hit rate before training stops. */
  patience: number;
  /** Adam's rate for the MLP; the linear path, which starts as the moving average, moves at `linearRate`. */
  rate: number;
  linearRate: number;
  weightDecay: number;
  batch: number;
  /** Movies drawn per batch as the softmax's negatives. */
  negatives: number;
  /** Scales cosines into logits. */
  temperature: number;
  maxStep: number;
  /** The moving average's step: the linear path's initial weight on pull·d. */
  initialPull: number;
  validationShare: number;
}

export const UPDATER_DEFAULTS: UpdaterParams = {
  hidden: 128,
  epochs: 10,
  patience: 3,
  rate: 1e-3,
  linearRate: 3e-4,
  weightDecay: 1e-4,
  batch: 256,
  negatives: 1024,
  temperature: 10,
  maxStep: 1,
  initialPull: 0.5,
  validationShare: 0.1,
};

/** What the updater learns from: a movie space on the matrix's movie indices and the training users' timelines. */
export interface UpdaterCorpus {
  /** movies × dim, unit rows; zero rows for movies without a vector. */
  vectors: Float32Array;
  hasVector: Uint8Array;
  dim: number;
  timelines: Timelines;
  userIds: ArrayLike<number>;
}

export interface UpdaterEpoch {
  epoch: number;
  /** Mean softmax loss over the epoch's training steps; NaN for epoch 0, which trains nothing. */
  loss: number;
  /** Next-liked hit rate at 10 on the held-out users' histories. */
  validationHitRate: number;
  seconds: number;
}

export interface TrainedUpdater {
  updater: TasteUpdater;
  epochs: UpdaterEpoch[];
  bestEpoch: number;
  trainingUsers: number;
  validationUsers: number;
  /** Training steps per epoch: ratings followed by a liked one. */
  examples: number;
  seconds: number;
}

export interface TrainUpdaterOptions {
  progress?: Progress;
  onEpoch?: (epoch: UpdaterEpoch) => void;
}

const VALIDATION_CUTOFF = 10;

export async function trainUpdater(corpus: UpdaterCorpus, params: UpdaterParams, seed: number, options: TrainUpdaterOptions = {}): Promise<TrainedUpdater> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const random = seededRandom(seed);
  const { dim } = corpus;
  const users = corpus.userIds.length;
  const isValidation = (user: number) => hashInts(corpus.userIds[user]!, seed, 0x7a57e) / 2 ** 32 < params.validationShare;
  const trainingUsers = Int32Array.from({ length: users }, (_, u) => u).filter((u) => !isValidation(u));
  const validationUsers = Int32Array.from({ length: users }, (_, u) => u).filter(isValidation);
  const examples = nextLikedSteps(corpus, trainingUsers);
  if (examples.length === 0) throw new Error('the taste updater has no training step: no training user rated a movie and then liked another');

  const updater: TasteUpdater = {
    dim,
    weights: initialUpdaterWeights(dim, params.hidden, params.initialPull, random),
    start: likedDirection(corpus),
    maxStep: params.maxStep,
  };
  const optimizer = new Adam(updater.weights, { w0: params.linearRate, w1: params.rate, b1: params.rate, w2: params.rate, b2: params.rate }, params.weightDecay);
  const prefix = priorCounts(corpus.timelines);
  const candidates = Int32Array.from({ length: corpus.hasVector.length }, (_, m) => m).filter((m) => corpus.hasVector[m] === 1);

  const epochs: UpdaterEpoch[] = [];
  let best = { epoch: 0, hitRate: -1, weights: copyWeights(updater.weights) };
  const bar = progress('train updater', params.epochs * Math.ceil(examples.length / params.batch));
  for (let epoch = 0; epoch <= params.epochs && epoch - best.epoch <= params.patience; epoch++) {
    const epochStarted = performance.now();
    let loss = Number.NaN;
    if (epoch > 0) {
      const before = await tastesBefore(updater, corpus, prefix, trainingUsers);
      const order = shuffle(Array.from(examples), random);
      let total = 0;
      for (let from = 0; from < order.length; from += params.batch) {
        const batch = Int32Array.from(order.slice(from, from + params.batch));
        const negatives = Int32Array.from({ length: params.negatives }, () => candidates[Math.floor(random() * candidates.length)]!);
        total += (await trainBatch(updater, optimizer, corpus, prefix, before, batch, negatives, params)) * batch.length;
        bar.tick(1, `epoch ${epoch} loss ${(total / Math.min(from + params.batch, order.length)).toFixed(3)}`);
      }
      loss = total / order.length;
    }
    const validationHitRate = await nextLikedHitRate(updater, corpus, prefix, validationUsers.length > 0 ? validationUsers : trainingUsers);
    const summary = { epoch, loss, validationHitRate, seconds: (performance.now() - epochStarted) / 1000 };
    epochs.push(summary);
    options.onEpoch?.(summary);
    if (validationHitRate > best.hitRate) best = { epoch, hitRate: validationHitRate, weights: copyWeights(updater.weights) };
  }
  bar.done();
  return {
    updater: { ...updater, weights: best.weights },
    epochs,
    bestEpoch: best.epoch,
    trainingUsers: trainingUsers.length,
    validationUsers: validationUsers.length,
    examples: examples.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Timeline positions p whose movie has a vector and whose next rating, by the same user, is a liked movie with a vector. */
function nextLikedSteps({ timelines, hasVector }: UpdaterCorpus, users: Int32Array): Int32Array {
  const steps: number[] = [];
  for (const user of users) {
    for (let p = timelines.indptr[user]!; p + 1 < timelines.indptr[user + 1]!; p++) {
      if (hasVector[timelines.movies[p]!] && hasVector[timelines.movies[p + 1]!] && timelines.ratings[p + 1]! >= RELEVANT_RATING) steps.push(p);
    }
  }
  return Int32Array.from(steps);
}

/** The unit mean of every liked training movie's vector: a taste with no rating yet leans to what people like. */
function likedDirection({ vectors, dim, timelines }: UpdaterCorpus): Float32Array {
  const sum = new Float32Array(dim);
  for (let p = 0; p < timelines.movies.length; p++) {
    if (timelines.ratings[p]! < RELEVANT_RATING) continue;
    const offset = timelines.movies[p]! * dim;
    for (let i = 0; i < dim; i++) sum[i]! += vectors[offset + i]!;
  }
  const length = Math.hypot(...sum);
  if (length > 0) for (let i = 0; i < dim; i++) sum[i]! /= length;
  else sum[0] = 1;
  return sum;
}

/** Per timeline position, how many ratings the user made before it and their sum: the rating features' counts. */
interface PriorCounts {
  counts: Int32Array;
  sums: Float32Array;
}

function priorCounts({ indptr, ratings }: Timelines): PriorCounts {
  const counts = new Int32Array(ratings.length);
  const sums = new Float32Array(ratings.length);
  for (let user = 0; user + 1 < indptr.length; user++) {
    let sum = 0;
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) {
      counts[p] = p - indptr[user]!;
      sums[p] = sum;
      sum += ratings[p]!;
    }
  }
  return { counts, sums };
}

/** One batch of steps through the updater: inputs, the network's unnormalised output, and the tastes after. */
interface BatchPass {
  pass: Awaited<ReturnType<typeof unnormalisedForward>>;
  after: Float32Array;
  steps: StepRecord[];
}

/** Takes the step at each of these timeline positions from the tastes `before` holds for them. */
async function stepBatch(updater: TasteUpdater, corpus: UpdaterCorpus, prefix: PriorCounts, before: Float32Array, positions: Int32Array): Promise<BatchPass> {
  const { dim, weights } = updater;
  const { timelines, vectors } = corpus;
  const width = updaterInputWidth(dim);
  const input = new Float32Array(positions.length * width);
  positions.forEach((p, row) => {
    writeUpdaterInput(input, row * width, dim, before, p * dim, vectors, timelines.movies[p]! * dim, timelines.ratings[p]!, prefix.counts[p]!, prefix.sums[p]!);
  });
  const pass = await unnormalisedForward(weights, matrix(input, positions.length, width));
  const after = new Float32Array(positions.length * dim);
  const steps = Array.from(positions, (p, row) => takeStep(after, row * dim, dim, before, p * dim, pass.output.data, row * dim, updater.maxStep));
  return { pass, after, steps };
}

/**
 * The taste before each timeline position of these users (rows of a positions × dim matrix; other users' rows stay
 * zero), replaying all their timelines in lockstep so that each step is one batched pass of the network.
 */
async function tastesBefore(updater: TasteUpdater, corpus: UpdaterCorpus, prefix: PriorCounts, users: Int32Array): Promise<Float32Array> {
  const { dim } = updater;
  const { indptr, movies } = corpus.timelines;
  const before = new Float32Array(movies.length * dim);
  const current = new Float32Array(users.length * dim);
  for (let slot = 0; slot < users.length; slot++) current.set(updater.start, slot * dim);
  const longest = users.reduce((most, user) => Math.max(most, indptr[user + 1]! - indptr[user]!), 0);
  for (let t = 0; t < longest; t++) {
    const slots: number[] = [];
    for (let slot = 0; slot < users.length; slot++) {
      const p = indptr[users[slot]!]! + t;
      if (p >= indptr[users[slot]! + 1]!) continue;
      before.set(current.subarray(slot * dim, (slot + 1) * dim), p * dim);
      if (corpus.hasVector[movies[p]!]) slots.push(slot);
    }
    if (slots.length === 0) continue;
    const { after } = await stepBatch(
      updater,
      corpus,
      prefix,
      before,
      Int32Array.from(slots, (slot) => indptr[users[slot]!]! + t),
    );
    slots.forEach((slot, row) => current.set(after.subarray(row * dim, (row + 1) * dim), slot * dim));
  }
  return before;
}

/** One optimiser step on the softmax loss of these steps; returns the batch's mean loss. */
async function trainBatch(
  updater: TasteUpdater,
  optimizer: Adam,
  corpus: UpdaterCorpus,
  prefix: PriorCounts,
  before: Float32Array,
  positions: Int32Array,
  negatives: Int32Array,
  params: UpdaterParams,
): Promise<number> {
  const { dim, weights } = updater;
  const { timelines, vectors } = corpus;
  const rows = positions.length;
  const { pass, after, steps } = await stepBatch(updater, corpus, prefix, before, positions);
  const negativeVectors = gatherRows(vectors, dim, negatives);
  const negativeLogits = await product(matrix(after, rows, dim), transposed(negativeVectors));
  const temperature = params.temperature;
  const probabilities = negativeLogits.data;
  const targetWeights = new Float32Array(rows);
  let loss = 0;
  for (let row = 0; row < rows; row++) {
    const target = timelines.movies[positions[row]! + 1]!;
    let targetLogit = 0;
    for (let i = 0; i < dim; i++) targetLogit += after[row * dim + i]! * vectors[target * dim + i]!;
    targetLogit *= temperature;
    let top = targetLogit;
    const logits = probabilities.subarray(row * negatives.length, (row + 1) * negatives.length);
    for (let k = 0; k < logits.length; k++) {
      // A draw of the target itself is not a negative.
      logits[k] = negatives[k] === target ? Number.NEGATIVE_INFINITY : logits[k]! * temperature;
      top = Math.max(top, logits[k]!);
    }
    let total = Math.exp(targetLogit - top);
    for (let k = 0; k < logits.length; k++) total += Math.exp(logits[k]! - top);
    const targetProbability = Math.exp(targetLogit - top) / total;
    loss -= Math.log(Math.max(targetProbability, 1e-30));
    for (let k = 0; k < logits.length; k++) logits[k] = (temperature * Math.exp(logits[k]! - top)) / total / rows;
    targetWeights[row] = (temperature * (targetProbability - 1)) / rows;
  }
  // d loss / d taste-after = τ·(Σ p_k·n_k + (p_target − 1)·target), averaged over the batch.
  const gradient = (await product(matrix(probabilities, rows, negatives.length), negativeVectors)).data;
  for (let row = 0; row < rows; row++) {
    const target = timelines.movies[positions[row]! + 1]!;
    for (let i = 0; i < dim; i++) gradient[row * dim + i]! += targetWeights[row]! * vectors[target * dim + i]!;
  }
  const deltaGradient = stepBackward(after, pass.output.data, steps, gradient, dim);
  optimizer.update(weights, await unnormalisedBackward(weights, pass, deltaGradient));
  return loss / rows;
}

/** From the gradient at the unit tastes after the steps to the gradient at the network's output δ: through the normalisation, the skip and the clip. */
function stepBackward(after: Float32Array, delta: Float32Array, steps: readonly StepRecord[], gradient: Float32Array, dim: number): Float32Array {
  const result = new Float32Array(gradient.length);
  steps.forEach(({ deltaLength, clipScale, length }, row) => {
    if (clipScale === 0) return;
    const offset = row * dim;
    let along = 0;
    for (let i = 0; i < dim; i++) along += after[offset + i]! * gradient[offset + i]!;
    for (let i = 0; i < dim; i++) result[offset + i] = (gradient[offset + i]! - after[offset + i]! * along) / length;
    if (clipScale === 1) return;
    // Through δ·c/|δ|: c/|δ|·(g − δ̂(δ̂·g)).
    let alongDelta = 0;
    for (let i = 0; i < dim; i++) alongDelta += (delta[offset + i]! / deltaLength) * result[offset + i]!;
    for (let i = 0; i < dim; i++) result[offset + i] = clipScale * (result[offset + i]! - (delta[offset + i]! / deltaLength) * alongDelta);
  });
  return result;
}

function gatherRows(vectors: Float32Array, dim: number, rows: Int32Array): Matrix {
  const data = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => data.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  return matrix(data, rows.length, dim);
}

/**
 * The next-liked hit rate at 10 on these users' own timelines: at each liked rating after the first, whether the
 * taste just before it ranks that movie among the 10 best of the movies the user has not rated yet; per user, then
 * the mean over users (as `next_hitrate@10` in evaluate).
 */
async function nextLikedHitRate(updater: TasteUpdater, corpus: UpdaterCorpus, prefix: PriorCounts, users: Int32Array): Promise<number> {
  const { dim } = updater;
  const { indptr, movies, ratings } = corpus.timelines;
  const catalog = transposed(matrix(corpus.vectors, corpus.hasVector.length, dim));
  const before = await tastesBefore(updater, corpus, prefix, users);
  const rated = new Uint8Array(corpus.hasVector.length);
  let sum = 0;
  let counted = 0;
  for (const user of users) {
    const queries: number[] = [];
    for (let p = indptr[user]! + 1; p < indptr[user + 1]!; p++) if (ratings[p]! >= RELEVANT_RATING && corpus.hasVector[movies[p]!]) queries.push(p);
    if (queries.length === 0) continue;
    const rows = new Float32Array(queries.length * dim);
    queries.forEach((p, row) => rows.set(before.subarray(p * dim, (p + 1) * dim), row * dim));
    const scores = (await product(matrix(rows, queries.length, dim), catalog)).data;
    rated.fill(0);
    let next = indptr[user]!;
    let hits = 0;
    queries.forEach((p, row) => {
      for (; next < p; next++) rated[movies[next]!] = 1;
      const line = scores.subarray(row * rated.length, (row + 1) * rated.length);
      const target = line[movies[p]!]!;
      let ahead = 0;
      for (let m = 0; m < line.length && ahead < VALIDATION_CUTOFF; m++) if (line[m]! > target && !rated[m] && corpus.hasVector[m]) ahead++;
      if (ahead < VALIDATION_CUTOFF) hits++;
    });
    sum += hits / queries.length;
    counted++;
  }
  return counted > 0 ? sum / counted : 0;
}
