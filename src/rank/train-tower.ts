/**
 * Trains the two towers with a full softmax over the catalog: each example is a user's state at a point of their
 * history (taste and MF factor from the ratings before it) and the movies they went on to like next; every movie they
 * had not rated yet is a negative. With a few thousand movies the full softmax is cheap and has none of the
 * popularity bias of in-batch negatives. A seeded share of users is held out; the best epoch on their next-liked
 * recall@10 is kept, epoch 0 (the towers' linear start) included.
 */
import { Adam, backward, copyWeights, forward, initialWeights } from '../fuse/network.js';
import { topK } from '../math/topk.js';
import { matrix, product, transposed, type Matrix } from '../math/gemm.js';
import { gaussianMatrix, hashInts, seededRandom, shuffle } from '../math/random.js';
import type { Progress } from '../progress.js';
import type { TowerWeights } from './two-tower.js';

export interface TowerExample {
  userId: number;
  /** The user tower's input at this point of the history. */
  input: Float32Array;
  /** Item rows liked next. */
  targets: Int32Array;
  /** Item rows rated before this point: never negatives, never counted in recall. */
  seen: Int32Array;
}

export interface TowerParams {
  hidden: number;
  output: number;
  epochs: number;
  patience: number;
  rate: number;
  batch: number;
  /** Scales cosines into logits. */
  temperature: number;
  /** Share of users held out to pick the epoch. */
  valShare: number;
}

export const TOWER_DEFAULTS: TowerParams = { hidden: 128, output: 64, epochs: 30, patience: 4, rate: 1e-3, batch: 64, temperature: 10, valShare: 0.1 };

export interface TowerTraining {
  weights: TowerWeights;
  metrics: { epochs: number; bestEpoch: number; recallAt10: number[]; trainExamples: number; validationExamples: number };
}

export async function trainTowers(examples: readonly TowerExample[], items: Matrix, params: TowerParams, seed: number, progress?: Progress): Promise<TowerTraining> {
  const random = seededRandom(seed);
  const width = items.cols;
  // Both linear paths start as one random projection, so the start scores ≈ cosine of the inputs: taste · DNA plus MF.
  const projection = gaussianMatrix(width, params.output, 1 / Math.sqrt(params.output), random);
  const shape = { input: width, hidden: params.hidden, output: params.output };
  const weights: TowerWeights = { user: initialWeights(shape, random, projection), item: initialWeights(shape, random, projection) };
  const held = (example: TowerExample) => hashInts(seed, example.userId) % 1000 < params.valShare * 1000;
  const validation = examples.filter(held);
  const training = examples.filter((example) => !held(example));
  const rates = { w0: params.rate, w1: params.rate, b1: params.rate, w2: params.rate, b2: params.rate };
  const optimisers = { user: new Adam(weights.user, rates, 0), item: new Adam(weights.item, rates, 0) };
  const recallAt10 = [await recall(weights, validation, items)];
  let best = { epoch: 0, recall: recallAt10[0]!, weights: copyTowers(weights) };
  const bar = progress?.('train ranker', params.epochs);
  let epoch: number;
  for (epoch = 1; epoch <= params.epochs && epoch - best.epoch <= params.patience; epoch++) {
    const order = shuffle([...training], random);
    for (let start = 0; start < order.length; start += params.batch) await trainBatch(weights, optimisers, order.slice(start, start + params.batch), items, params);
    recallAt10.push(await recall(weights, validation, items));
    if (recallAt10[epoch]! > best.recall) best = { epoch, recall: recallAt10[epoch]!, weights: copyTowers(weights) };
    bar?.tick();
  }
  bar?.done();
  return {
    weights: best.weights,
    metrics: { epochs: epoch - 1, bestEpoch: best.epoch, recallAt10, trainExamples: training.length, validationExamples: validation.length },
  };
}

async function trainBatch(
  weights: TowerWeights,
  optimisers: { user: Adam; item: Adam },
  batch: readonly TowerExample[],
  items: Matrix,
  params: TowerParams,
): Promise<void> {
  const itemPass = await forward(weights.item, items);
  const userPass = await forward(weights.user, userMatrix(batch, items.cols));
  const logits = await product(userPass.output, transposed(itemPass.output));
  const dLogits = new Float32Array(logits.data.length);
  const count = items.rows;
  batch.forEach((example, b) => {
    const row = logits.data.subarray(b * count, (b + 1) * count);
    const probabilities = softmax(row, params.temperature, example.seen);
    // Mean over the example's targets of −log p(target); the logits are temperature × cosine.
    const share = 1 / example.targets.length / batch.length;
    for (let m = 0; m < count; m++) dLogits[b * count + m] = params.temperature * probabilities[m]! * share * example.targets.length;
    for (const target of example.targets) dLogits[b * count + target]! -= params.temperature * share;
  });
  const gradient = matrix(dLogits, batch.length, count);
  const dUser = await product(gradient, itemPass.output);
  const dItem = await product(transposed(gradient), userPass.output);
  optimisers.user.update(weights.user, await backward(weights.user, userPass, dUser.data));
  optimisers.item.update(weights.item, await backward(weights.item, itemPass, dItem.data));
}

function userMatrix(batch: readonly TowerExample[], width: number): Matrix {
  const data = new Float32Array(batch.length * width);
  batch.forEach((example, b) => data.set(example.input, b * width));
  return matrix(data, batch.length, width);
}

/** Softmax of temperature × row over the movies not seen; seen ones get probability 0. */
function softmax(row: Float32Array, temperature: number, seen: Int32Array): Float64Array {
  const logits = Float64Array.from(row, (value) => value * temperature);
  for (const movie of seen) logits[movie] = Number.NEGATIVE_INFINITY;
  let most = Number.NEGATIVE_INFINITY;
  for (const value of logits) most = Math.max(most, value);
  let sum = 0;
  for (let m = 0; m < logits.length; m++) sum += logits[m] = Math.exp(logits[m]! - most);
  for (let m = 0; m < logits.length; m++) logits[m]! /= sum;
  return logits;
}

/** Mean over examples of the share of their targets among the 10 best unseen movies. */
async function recall(weights: TowerWeights, examples: readonly TowerExample[], items: Matrix): Promise<number> {
  if (examples.length === 0) return 0;
  const itemPass = await forward(weights.item, items);
  const userPass = await forward(weights.user, userMatrix(examples, items.cols));
  const scores = await product(userPass.output, transposed(itemPass.output));
  let total = 0;
  examples.forEach((example, b) => {
    const row = scores.data.subarray(b * items.rows, (b + 1) * items.rows);
    const skip = new Uint8Array(items.rows);
    for (const movie of example.seen) skip[movie] = 1;
    const targets = new Set(example.targets);
    total += [...topK(row, 10, { skip })].filter((m) => targets.has(m)).length / Math.min(10, targets.size);
  });
  return total / examples.length;
}

function copyTowers(weights: TowerWeights): TowerWeights {
  return { user: copyWeights(weights.user), item: copyWeights(weights.item) };
}
