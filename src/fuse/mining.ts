/**
 * The multi-task triplet loss with online semi-hard mining inside a batch (Schroff et al. 2015, FaceNet). Every
 * positive pair (a, p) of a task in the batch is a triplet with the negative n whose cosine distance to a is the
 * smallest one beyond d(a, p), the semi-hard negative; when every negative is closer than p, the farthest of them.
 * Loss per triplet: weight(a, p) · max(0, d(a, p) − d(a, n) + margin), with d = 1 − cos.
 */
import { product, transposed, type Matrix } from '../math/gemm.js';
import type { TaskName } from './tasks.js';

/** A task as the loss sees it: the pair relation over batch positions, a margin and a weight. */
export interface LossTask {
  name: TaskName;
  /** > 0 positive (weighted), 0 negative, UNRELATED neither; over batch positions. */
  relation(a: number, b: number): number;
  margin: number;
  weight: number;
}

export interface TaskLoss {
  name: TaskName;
  /** Mean over the task's triplets, weighted by the positives' weights; 0 when it had none. */
  loss: number;
  triplets: number;
  /** Triplets whose loss is above zero (they move the weights). */
  active: number;
}

export interface TripletLoss {
  /** Σ over tasks of weight · task loss. */
  total: number;
  tasks: TaskLoss[];
  /** d total / d embeddings, batch × dim. */
  gradient: Float32Array;
}

/** The loss and its gradient for a batch of unit embeddings (rows of `embeddings`). */
export async function tripletLoss(embeddings: Matrix, tasks: readonly LossTask[]): Promise<TripletLoss> {
  const size = embeddings.rows;
  const similarity = (await product(embeddings, transposed(embeddings))).data;
  // d total / d similarity; the loss only reads similarities, so the embeddings' gradient is (G + Gᵀ)·E.
  const bySimilarity = new Float32Array(size * size);
  const results: TaskLoss[] = [];
  let total = 0;
  for (const task of tasks) {
    const triplets: { anchor: number; positive: number; negative: number; weight: number; loss: number }[] = [];
    for (let anchor = 0; anchor < size; anchor++) {
      const positives: number[] = [];
      const negatives: number[] = [];
      for (let other = 0; other < size; other++) {
        if (other === anchor) continue;
        const relation = task.relation(anchor, other);
        if (relation > 0) positives.push(other);
        else if (relation === 0) negatives.push(other);
      }
      if (positives.length === 0 || negatives.length === 0) continue;
      // Negatives by distance to the anchor, nearest first, so each positive finds its semi-hard one by binary search.
      const distance = (other: number) => 1 - similarity[anchor * size + other]!;
      negatives.sort((x, y) => distance(x) - distance(y) || x - y);
      const negativeDistances = Float64Array.from(negatives, distance);
      for (const positive of positives) {
        const positiveDistance = distance(positive);
        const beyond = firstAbove(negativeDistances, positiveDistance);
        const pick = beyond < negatives.length ? beyond : negatives.length - 1;
        const loss = Math.max(0, positiveDistance - negativeDistances[pick]! + task.margin);
        triplets.push({ anchor, positive, negative: negatives[pick]!, weight: task.relation(anchor, positive), loss });
      }
    }
    const weightSum = triplets.reduce((sum, triplet) => sum + triplet.weight, 0);
    let loss = 0;
    let active = 0;
    for (const triplet of triplets) {
      if (triplet.loss <= 0) continue;
      active++;
      loss += (triplet.weight * triplet.loss) / weightSum;
      // d loss / d cos(a, p) = −w, d loss / d cos(a, n) = +w, scaled into the task's weighted mean.
      const scale = (task.weight * triplet.weight) / weightSum;
      bySimilarity[triplet.anchor * size + triplet.positive]! -= scale;
      bySimilarity[triplet.anchor * size + triplet.negative]! += scale;
    }
    total += task.weight * loss;
    results.push({ name: task.name, loss, triplets: triplets.length, active });
  }
  const symmetric = new Float32Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) symmetric[i * size + j] = bySimilarity[i * size + j]! + bySimilarity[j * size + i]!;
  const gradient = (await product({ data: symmetric, rows: size, cols: size }, embeddings)).data;
  return { total, tasks: results, gradient };
}

/** The index of the first value above `threshold` in an ascending array; its length when there is none. */
function firstAbove(sorted: Float64Array, threshold: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! > threshold) high = middle;
    else low = middle + 1;
  }
  return low;
}
