import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/math/gemm.js';
import { Adam, backward, forward, initialWeights, type NetworkWeights } from '../../src/fuse/network.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';

const shape = { input: 6, hidden: 5, output: 4 };
const input = matrix(gaussianMatrix(3, shape.input, 1, seededRandom(2)), 3, shape.input);
/** A fixed direction per output row: the loss Σ c · e is linear in the unit outputs, so its gradient is c. */
const target = gaussianMatrix(3, shape.output, 1, seededRandom(5));

async function loss(weights: NetworkWeights): Promise<number> {
  const { output } = await forward(weights, input);
  return output.data.reduce((sum, value, i) => sum + value * target[i]!, 0);
}

describe('the fusion network', () => {
  it('gives unit-length outputs', async () => {
    const { output } = await forward(initialWeights(shape, seededRandom(1)), input);
    for (let row = 0; row < 3; row++) {
      const length = Math.hypot(...output.data.subarray(row * shape.output, (row + 1) * shape.output));
      expect(length).toBeCloseTo(1, 5);
    }
  });

  it('back-propagates the gradient of its loss through the normalisation, both layers and the biases (finite differences)', async () => {
    const weights = initialWeights(shape, seededRandom(1));
    weights.b1.fill(0.05);
    const gradients = await backward(weights, await forward(weights, input), target);
    const base = await loss(weights);
    const step = 1e-3;
    for (const [name, indices] of [
      ['w1', [0, 9, 17, 29]],
      ['b1', [0, 3]],
      ['w2', [0, 6, 19]],
      ['b2', [1, 3]],
    ] as const) {
      for (const index of indices) {
        const moved = { ...weights, [name]: weights[name].slice() };
        moved[name][index]! += step;
        expect((await loss(moved)) - base).toBeCloseTo(gradients[name][index]! * step, 5);
      }
    }
  });

  it('lowers a loss step by step with Adam', async () => {
    const weights = initialWeights(shape, seededRandom(1));
    const optimiser = new Adam(weights, 0.05, 0);
    const before = await loss(weights);
    for (let step = 0; step < 30; step++) {
      const pass = await forward(weights, input);
      // Minimise −Σ c·e: turn each output toward its target direction.
      optimiser.update(
        weights,
        await backward(
          weights,
          pass,
          target.map((value) => -value),
        ),
      );
    }
    expect(await loss(weights)).toBeGreaterThan(before + 0.5);
  });
});
