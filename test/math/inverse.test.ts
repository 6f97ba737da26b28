import { describe, expect, it } from 'vitest';
import { invertPositiveDefinite } from '../../src/math/inverse.js';
import { seededRandom } from '../../src/math/random.js';

describe('invertPositiveDefinite', () => {
  it('inverts a positive-definite matrix larger than one block: A · A⁻¹ = I', async () => {
    const n = 600;
    const random = seededRandom(3);
    // XᵀX + λI, the shape EASE inverts.
    const rows = 900;
    const x = Float32Array.from({ length: rows * n }, () => (random() < 0.05 ? 1 : 0));
    const a = new Float64Array(n * n);
    for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) if (x[r * n + i]) for (let j = 0; j < n; j++) a[i * n + j]! += x[r * n + j]!;
    for (let i = 0; i < n; i++) a[i * n + i]! += 5;
    const inverse = await invertPositiveDefinite(Float32Array.from(a), n);
    let worst = 0;
    for (const i of [0, 1, 255, 256, 300, 511, 512, 599]) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += a[i * n + k]! * inverse[k * n + j]!;
        worst = Math.max(worst, Math.abs(sum - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('refuses a singular matrix', async () => {
    await expect(invertPositiveDefinite(new Float32Array([1, 1, 1, 1]), 2)).rejects.toThrow(/singular/);
  });
});
