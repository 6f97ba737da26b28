import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/math/gemm.js';
import { Adam, backward, forward, initialWeights, type NetworkWeights } from '../../src/fuse/network.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';

const shape = { input: 6, hidden: 5, output: 4 };
const input = matrix(gaussianMatrix(3, shape.input, 1, seededRandom(2)), 3, shape.input);
/** A fixed direction per output row: the loss Σ c · e is linear in the unit outputs, so its gradient is c. */
const target = gaussianMatrix(3, shape.output, 1, seededRandom(5));

/** Weights with every part non-zero (a fresh network's MLP output layer is zero, which would hide the hidden layer's gradient). */
function randomWeights(): NetworkWeights {
  const weights = initialWeights(shape, seededRandom(1), gaussianMatrix(shape.input, shape.output, 0.3, seededRandom(9)));
  weights.w2 = gaussianMatrix(shape.hidden, shape.output, 0.3, seededRandom(7));
  weights.b1.fill(0.05);
  return weights;
}

async function loss(weights: NetworkWeights): Promise<number> {
  const { output } = await forward(weights, input);
  return output.data.reduce((sum, value, i) => sum + value * target[i]!, 0);
}

describe('the fusion network', () => {
  it('starts at its linear path: the output is the normalised linear map', async () => {
    const linear = gaussianMatrix(shape.input, shape.output, 1, seededRandom(9));
    const weights = initialWeights(shape, seededRandom(1), linear);
    const { output } = await forward(weights, input);
    const row = Array.from({ length: shape.output }, (_, j) =>
      Array.from({ length: shape.input }, (_, i) => input.data[i]! * linear[i * shape.output + j]!).reduce((a, b) => a + b),
    );
    const length = Math.hypot(...row);
    expect(Array.from(output.data.subarray(0, shape.output)).map((value) => value.toFixed(5))).toEqual(row.map((value) => (value / length).toFixed(5)));
  });

  it('gives unit-length outputs', async () => {
    const { output } = await forward(randomWeights(), input);
    for (let row = 0; row < 3; row++) {
      const length = Math.hypot(...output.data.subarray(row * shape.output, (row + 1) * shape.output));
      expect(length).toBeCloseTo(1, 5);
    }
  });

  it('back-propagates the gradient of its loss through the normalisation, the linear path, both layers and the biases (finite differences)', async () => {
    const weights = randomWeights();
    const gradients = await backward(weights, await forward(weights, input), target);
    const step = 1e-3;
    const moved = async (name: keyof typeof gradients, index: number, by: number) => {
      const changed = { ...weights, [name]: weights[name].slice() };
      changed[name][index]! += by;
      return loss(changed);
    };
    for (const [name, indices] of [
      ['w0', [0, 5, 14, 23]],
      ['w1', [0, 9, 17, 29]],
      ['b1', [0, 3]],
      ['w2', [0, 6, 19]],
      ['b2', [1, 3]],
    ] as const) {
      for (const index of indices) {
        // Central differences: their error shrinks with step², so float32 rounding is what remains.
        const numeric = ((await moved(name, index, step)) - (await moved(name, index, -step))) / (2 * step);
        expect(numeric).toBeCloseTo(gradients[name][index]!, 3);
      }
    }
  });

  it('lowers a loss step by step with Adam', async () => {
    const weights = randomWeights();
    const optimiser = new Adam(weights, { w0: 0.05, w1: 0.05, b1: 0.05, w2: 0.05, b2: 0.05 }, 0);
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
