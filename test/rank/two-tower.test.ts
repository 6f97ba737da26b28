import { describe, expect, it } from 'vitest';
import { forward } from '../../src/fuse/network.js';
import { matrix } from '../../src/math/gemm.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { DnaTable } from '../../src/recommend/dna-table.js';
import { trainTowers, TOWER_DEFAULTS, type TowerExample } from '../../src/rank/train-tower.js';
import { itemInputs, TwoTower, userInput, type MovieSignals } from '../../src/rank/two-tower.js';

const CLUSTERS = 8;
const PER_CLUSTER = 20;
const DIM = 16;
const MF_DIM = 2;

/** Movies in 8 clusters of the DNA; users sit on one cluster and go on to like the next one round the ring. */
function ring() {
  const random = seededRandom(5);
  const centres = normaliseRows(gaussianMatrix(CLUSTERS, DIM, 1, random), DIM);
  const ids = Array.from({ length: CLUSTERS * PER_CLUSTER }, (_, i) => 1000 + i);
  const vectors = new Float32Array(ids.length * DIM);
  ids.forEach((_, i) => {
    const cluster = Math.floor(i / PER_CLUSTER);
    for (let d = 0; d < DIM; d++) vectors[i * DIM + d] = centres[cluster * DIM + d]! + 0.15 * (random() * 2 - 1);
  });
  const dna = new DnaTable(ids, vectors, DIM);
  const signals: MovieSignals = {
    mfFactors: { movieIndex: new Map(ids.map((id, i) => [id, i])), factors: gaussianMatrix(ids.length, MF_DIM, 1, random), dim: MF_DIM },
    raters: new Map(ids.map((id) => [id, Math.floor(random() * 50)])),
  };
  const rowsIn = (cluster: number, count: number) => Int32Array.from({ length: count }, () => cluster * PER_CLUSTER + Math.floor(random() * PER_CLUSTER));
  const examples: TowerExample[] = Array.from({ length: 400 }, (_, user) => {
    const cluster = user % CLUSTERS;
    return {
      userId: user,
      input: userInput(centres.subarray(cluster * DIM, (cluster + 1) * DIM), null, MF_DIM),
      targets: Int32Array.from(new Set(rowsIn((cluster + 1) % CLUSTERS, 5))),
      seen: Int32Array.from(new Set(rowsIn(cluster, 3))),
    };
  });
  return { dna, signals, examples, centres };
}

describe('the two-tower ranker', () => {
  it('learns what users go on to like: held-out recall@10 rises from the linear start', async () => {
    const { dna, signals, examples, centres } = ring();
    const params = { ...TOWER_DEFAULTS, hidden: 32, output: 16, epochs: 12, patience: 12, rate: 3e-3 };
    const { weights, metrics } = await trainTowers(examples, itemInputs(dna, signals), params, 1);
    expect(metrics.validationExamples).toBeGreaterThan(20);
    // 5 targets among a cluster of 20 equally likely movies: the best possible recall@10 is about 0.5.
    expect(metrics.recallAt10[0]).toBeLessThan(0.1);
    expect(metrics.recallAt10[metrics.bestEpoch]).toBeGreaterThan(0.4);

    const tower = await TwoTower.build(weights, dna, signals);
    const cluster = 3;
    const user = tower.userEmbedding(centres.subarray(cluster * DIM, (cluster + 1) * DIM), null);
    const best = [...dna.ids].sort((a, b) => tower.score(user, b) - tower.score(user, a))[0]!;
    expect(Math.floor((best - 1000) / PER_CLUSTER)).toBe(cluster + 1);
    expect(tower.score(user, 42)).toBeNaN();
  });

  it('computes a user row in plain loops exactly as the batched pass does', async () => {
    const { dna, signals, examples } = ring();
    const { weights } = await trainTowers(examples.slice(0, 64), itemInputs(dna, signals), { ...TOWER_DEFAULTS, hidden: 16, output: 8, epochs: 1 }, 2);
    const tower = await TwoTower.build(weights, dna, signals);
    const taste = normaliseRows(
      Float32Array.from({ length: DIM }, (_, d) => Math.sin(d)),
      DIM,
    );
    const factor = Float32Array.of(3, -4);
    const batched = await forward(weights.user, matrix(userInput(taste, factor, MF_DIM), 1, DIM + MF_DIM + 1));
    const row = tower.userEmbedding(taste, factor);
    row.forEach((value, j) => expect(value).toBeCloseTo(batched.output.data[j]!, 5));
    // The MF factor enters at unit length: its scale cannot change a user's ranking.
    expect(tower.userEmbedding(taste, Float32Array.of(30, -40))).toEqual(row);
  });
});
