import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/math/gemm.js';
import { tripletLoss, type LossTask } from '../../src/fuse/mining.js';
import { UNRELATED } from '../../src/fuse/tasks.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';

/** Unit vectors in the plane at these angles (radians), as a batch. */
const atAngles = (...angles: number[]) => matrix(Float32Array.from(angles.flatMap((angle) => [Math.cos(angle), Math.sin(angle)])), angles.length, 2);

/** A task over batch positions given as a table: relation[a][b]. */
function tableTask(relation: number[][], margin = 0.2, weight = 1): LossTask {
  return { name: 'genre', relation: (a, b) => relation[a]![b]!, margin, weight };
}

describe('triplet loss with semi-hard mining', () => {
  // Anchor 0 at angle 0; positive 1 at distance 1 − cos(0.6) ≈ 0.175; negatives at ≈ 0.045, ≈ 0.235 and ≈ 0.7.
  const batch = atAngles(0, 0.6, 0.3, 0.7, 1.27);
  const P = 1;
  const N = 0;
  const U = UNRELATED;
  const onlyAnchorZero = [
    [U, P, N, N, N],
    [P, U, U, U, U],
    [N, U, U, U, U],
    [N, U, U, U, U],
    [N, U, U, U, U],
  ];

  it('picks the nearest negative beyond the positive (semi-hard), not the hardest', async () => {
    const result = await tripletLoss(batch, [tableTask(onlyAnchorZero)]);
    const dPositive = 1 - Math.cos(0.6);
    const semiHard = 1 - Math.cos(0.7);
    // Triplets from anchor 0 (positive 1) and from anchor 1 (positive 0, whose only related row is 0: no negative).
    expect(result.tasks[0]!.triplets).toBe(1);
    expect(result.tasks[0]!.loss).toBeCloseTo(dPositive - semiHard + 0.2, 5);
    expect(result.total).toBeCloseTo(dPositive - semiHard + 0.2, 5);
  });

  it('falls back to the farthest negative when every negative is nearer than the positive', async () => {
    const close = atAngles(0, 1.5, 0.1, 0.2);
    const relation = [
      [U, P, N, N],
      [P, U, U, U],
      [N, U, U, U],
      [N, U, U, U],
    ];
    const result = await tripletLoss(close, [tableTask(relation)]);
    expect(result.tasks[0]!.loss).toBeCloseTo(1 - Math.cos(1.5) - (1 - Math.cos(0.2)) + 0.2, 5);
  });

  it('weights positives by their relation and tasks by their weight', async () => {
    const weighted = onlyAnchorZero.map((row) => row.map((value) => (value === P ? 0.5 : value)));
    const single = await tripletLoss(batch, [tableTask(onlyAnchorZero)]);
    const result = await tripletLoss(batch, [tableTask(weighted, 0.2, 3)]);
    // One triplet: its weight cancels in the task's weighted mean, and the task weight scales the total.
    expect(result.tasks[0]!.loss).toBeCloseTo(single.tasks[0]!.loss, 6);
    expect(result.total).toBeCloseTo(3 * single.total, 5);
  });

  it('has no loss and no gradient when every positive is nearer than its negatives by the margin', async () => {
    const easy = atAngles(0, 0.05, 2, 2.5);
    const relation = [
      [U, P, N, N],
      [P, U, N, N],
      [N, N, U, U],
      [N, N, U, U],
    ];
    const result = await tripletLoss(easy, [tableTask(relation)]);
    expect(result.tasks[0]).toMatchObject({ triplets: 2, active: 0, loss: 0 });
    expect(Array.from(result.gradient).every((value) => value === 0)).toBe(true);
  });

  it('has the gradient of its loss (finite differences)', async () => {
    const size = 8;
    const dim = 5;
    const embeddings = matrix(gaussianMatrix(size, dim, 1, seededRandom(4)), size, dim);
    const relation = Array.from({ length: size }, (_, a) => Array.from({ length: size }, (_, b) => (a === b ? U : a % 3 === b % 3 ? 1 : 0)));
    const tasks = [tableTask(relation, 0.5)];
    const { total, gradient } = await tripletLoss(embeddings, tasks);
    expect(total).toBeGreaterThan(0);
    const step = 1e-3;
    for (const index of [0, 7, 13, 22, 39]) {
      const moved = embeddings.data.slice();
      moved[index]! += step;
      const after = await tripletLoss(matrix(moved, size, dim), tasks);
      expect((after.total - total) / step).toBeCloseTo(gradient[index]!, 1);
    }
  });
});
