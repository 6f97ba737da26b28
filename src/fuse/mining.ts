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
  // Triplets of one task at a time, in typed arrays: a batch has tens of thousands of them, too many for objects.
  const capacity = size * size;
  const tripletAnchor = new Int32Array(capacity);
  const tripletPositive = new Int32Array(capacity);
  const tripletNegative = new Int32Array(capacity);
  const tripletWeight = new Float32Array(capacity);
  const tripletLosses = new Float32Array(capacity);
  const relations = new Float32Array(size);
  const positives = new Int32Array(size);
  const negatives = new Int32Array(size);
  for (const task of tasks) {
    let count = 0;
    let weightSum = 0;
    for (let anchor = 0; anchor < size; anchor++) {
      let positiveCount = 0;
      let negativeCount = 0;
      for (let other = 0; other < size; other++) {
        if (other === anchor) continue;
        const relation = task.relation(anchor, other);
        relations[other] = relation;
        if (relation > 0) positives[positiveCount++] = other;
        else if (relation === 0) negatives[negativeCount++] = other;
      }
      if (positiveCount === 0 || negativeCount === 0) continue;
      const row = anchor * size;
      // A scan per positive, not a sort per anchor: most anchors have few positives, and the scan allocates nothing.
      for (let p = 0; p < positiveCount; p++) {
        const positive = positives[p]!;
        const positiveDistance = 1 - similarity[row + positive]!;
        let semiHard = -1;
        let semiHardDistance = Number.POSITIVE_INFINITY;
        let farthest = -1;
        let farthestDistance = Number.NEGATIVE_INFINITY;
        for (let n = 0; n < negativeCount; n++) {
          const negative = negatives[n]!;
          const distance = 1 - similarity[row + negative]!;
          if (distance > positiveDistance && distance < semiHardDistance) {
            semiHard = negative;
            semiHardDistance = distance;
          }
          if (distance > farthestDistance) {
            farthest = negative;
            farthestDistance = distance;
          }
        }
        const negativeDistance = semiHard >= 0 ? semiHardDistance : farthestDistance;
        tripletAnchor[count] = anchor;
        tripletPositive[count] = positive;
        tripletNegative[count] = semiHard >= 0 ? semiHard : farthest;
        tripletWeight[count] = relations[positive]!;
        tripletLosses[count] = Math.max(0, positiveDistance - negativeDistance + task.margin);
        weightSum += relations[positive]!;
        count++;
      }
    }
    let loss = 0;
    let active = 0;
    for (let t = 0; t < count; t++) {
      if (tripletLosses[t]! <= 0) continue;
      active++;
      loss += (tripletWeight[t]! * tripletLosses[t]!) / weightSum;
      // d loss / d cos(a, p) = −w, d loss / d cos(a, n) = +w, scaled into the task's weighted mean.
      const scale = (task.weight * tripletWeight[t]!) / weightSum;
      bySimilarity[tripletAnchor[t]! * size + tripletPositive[t]!]! -= scale;
      bySimilarity[tripletAnchor[t]! * size + tripletNegative[t]!]! += scale;
    }
    total += task.weight * loss;
    results.push({ name: task.name, loss, triplets: count, active });
  }
  const symmetric = new Float32Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) symmetric[i * size + j] = bySimilarity[i * size + j]! + bySimilarity[j * size + i]!;
  const gradient = (await product({ data: symmetric, rows: size, cols: size }, embeddings)).data;
  return { total, tasks: results, gradient };
}
