import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/math/gemm.js';
import { fitPca, projectPca } from '../../src/math/pca.js';
import { gaussian, seededRandom } from '../../src/math/random.js';

describe('principal components', () => {
  it('finds the directions of largest variance, in order, with their variances', async () => {
    // Points spread 5× along (1, 1, 0, 0)/√2, 2× along (0, 0, 1, 0), little elsewhere, around (3, −1, 2, 0).
    const random = seededRandom(8);
    const rows = 4000;
    const data = new Float32Array(rows * 4);
    for (let row = 0; row < rows; row++) {
      const a = 5 * gaussian(random);
      const b = 2 * gaussian(random);
      data.set([3 + a / Math.SQRT2 + 0.1 * gaussian(random), -1 + a / Math.SQRT2 + 0.1 * gaussian(random), 2 + b, 0.1 * gaussian(random)], row * 4);
    }
    const pca = await fitPca(matrix(data, rows, 4), 2, 1);
    expect(pca.rank).toBe(2);
    expect(Array.from(pca.mean).map((value) => Math.round(value * 5) / 5)).toEqual([3, -1, 2, 0]);
    const column = (j: number) => [0, 1, 2, 3].map((i) => pca.components[i * 2 + j]!);
    expect(column(0)[0]).toBeCloseTo(Math.SQRT1_2, 2);
    expect(column(0)[1]).toBeCloseTo(Math.SQRT1_2, 2);
    expect(Math.abs(column(1)[2]!)).toBeCloseTo(1, 2);
    expect(pca.variances[0]! / 25).toBeCloseTo(1, 1);
    expect(pca.variances[1]! / 4).toBeCloseTo(1, 1);
    // The mean itself projects to the origin.
    const projected = await projectPca(pca, matrix(pca.mean.slice(), 1, 4));
    expect(Array.from(projected.data).map((value) => Math.abs(value) < 1e-4)).toEqual([true, true]);
  });

  it('is the same fit for the same seed, and refuses vectors of another dimension', async () => {
    const data = matrix(
      Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.7) + (i % 7)),
      60,
      5,
    );
    const a = await fitPca(data, 3, 4);
    const b = await fitPca(data, 3, 4);
    expect(Array.from(a.components)).toEqual(Array.from(b.components));
    await expect(projectPca(a, matrix(new Float32Array(4), 1, 4))).rejects.toThrow(/5-d vectors cannot project 4-d/);
  });
});
