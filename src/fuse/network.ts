/**
 * The fusion network: a linear path plus a residual MLP, then L2 normalisation: e = norm(x·W0 + relu(x·W1 + b1)·W2 + b2).
 * The linear path starts as the fixed fusion and the MLP at zero, so training starts from the baseline. The taste
 * updater (src/profile/updater.ts) uses the same network without the normalisation. With its backward pass and an Adam
 * optimiser; element-wise work is in Float32Array loops, the matrix products go through src/math/gemm.ts.
 */
import { matrix, product, transposed, type Matrix } from '../math/gemm.js';
import { gaussianMatrix, type Random } from '../math/random.js';
import { requireArray, type Artifact, type ArtifactArray } from '../artifacts.js';

export interface NetworkShape {
  input: number;
  hidden: number;
  output: number;
}

export interface NetworkWeights {
  shape: NetworkShape;
  /** input × output: the linear path. */
  w0: Float32Array;
  /** input × hidden. */
  w1: Float32Array;
  b1: Float32Array;
  /** hidden × output. */
  w2: Float32Array;
  b2: Float32Array;
}

/**
 * He initialisation for the ReLU layer; the MLP's output layer and the biases start at zero, so the network starts
 * exactly at its linear path (given, else zero) and the MLP grows from there (the output layer gets a gradient at once,
 * the hidden layer as soon as the output layer is no longer zero).
 */
export function initialWeights(shape: NetworkShape, random: Random, linearPath?: Float32Array): NetworkWeights {
  return {
    shape,
    w0: linearPath?.slice() ?? new Float32Array(shape.input * shape.output),
    w1: gaussianMatrix(shape.input, shape.hidden, Math.sqrt(2 / shape.input), random),
    b1: new Float32Array(shape.hidden),
    w2: new Float32Array(shape.hidden * shape.output),
    b2: new Float32Array(shape.output),
  };
}

/** What the backward pass needs from the forward one. */
export interface ForwardPass {
  input: Matrix;
  /** After the ReLU. */
  hidden: Matrix;
  /** Per row, the length of the output before normalisation. */
  lengths: Float32Array;
  /** Unit rows. */
  output: Matrix;
}

/** The network before normalisation, z = x·W0 + relu(x·W1 + b1)·W2 + b2: the fusion normalises it, the taste updater adds it to a taste. */
export async function unnormalisedForward(weights: NetworkWeights, input: Matrix): Promise<{ input: Matrix; hidden: Matrix; output: Matrix }> {
  const { shape } = weights;
  if (input.cols !== shape.input) throw new Error(`the network takes ${shape.input} inputs, not ${input.cols}`);
  const hidden = await product(input, matrix(weights.w1, shape.input, shape.hidden));
  addBias(hidden, weights.b1);
  for (let i = 0; i < hidden.data.length; i++) if (hidden.data[i]! < 0) hidden.data[i] = 0;
  const output = await product(hidden, matrix(weights.w2, shape.hidden, shape.output));
  const linear = await product(input, matrix(weights.w0, shape.input, shape.output));
  for (let i = 0; i < output.data.length; i++) output.data[i]! += linear.data[i]!;
  addBias(output, weights.b2);
  return { input, hidden, output };
}

/**
 * One row of the unnormalised network in plain loops, into `out` (`hidden` is scratch): the online path, where one
 * row through onnxruntime would cost more in the call than in the arithmetic.
 */
export function unnormalisedForwardRow(weights: NetworkWeights, input: Float32Array, hidden: Float32Array, out: Float32Array): Float32Array {
  const { input: width, hidden: hiddenWidth, output: outWidth } = weights.shape;
  hidden.set(weights.b1);
  out.set(weights.b2);
  for (let i = 0; i < width; i++) {
    const x = input[i]!;
    if (x === 0) continue;
    for (let h = 0, at = i * hiddenWidth; h < hiddenWidth; h++) hidden[h]! += x * weights.w1[at + h]!;
    for (let j = 0, at = i * outWidth; j < outWidth; j++) out[j]! += x * weights.w0[at + j]!;
  }
  for (let h = 0; h < hiddenWidth; h++) {
    const activation = hidden[h]!;
    if (activation <= 0) continue;
    for (let j = 0, at = h * outWidth; j < outWidth; j++) out[j]! += activation * weights.w2[at + j]!;
  }
  return out;
}

export async function forward(weights: NetworkWeights, input: Matrix): Promise<ForwardPass> {
  const { hidden, output } = await unnormalisedForward(weights, input);
  const lengths = new Float32Array(output.rows);
  for (let row = 0; row < output.rows; row++) {
    let sum = 0;
    for (let j = 0; j < output.cols; j++) sum += output.data[row * output.cols + j]! ** 2;
    // A floor keeps a (never seen) all-zero output from dividing by zero.
    const length = Math.max(Math.sqrt(sum), 1e-12);
    lengths[row] = length;
    for (let j = 0; j < output.cols; j++) output.data[row * output.cols + j]! /= length;
  }
  return { input, hidden, lengths, output };
}

export interface Gradients {
  w0: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

/** The weights' gradients from the gradient of the loss with respect to the unit outputs. */
export async function backward(weights: NetworkWeights, pass: ForwardPass, outputGradient: Float32Array): Promise<Gradients> {
  const { output, lengths } = pass;
  const width = output.cols;
  // Through the normalisation e = z/|z|: dz = (de − e·(e·de)) / |z|.
  const dz = new Float32Array(outputGradient.length);
  for (let row = 0; row < output.rows; row++) {
    const offset = row * width;
    let along = 0;
    for (let j = 0; j < width; j++) along += output.data[offset + j]! * outputGradient[offset + j]!;
    for (let j = 0; j < width; j++) dz[offset + j] = (outputGradient[offset + j]! - output.data[offset + j]! * along) / lengths[row]!;
  }
  return unnormalisedBackward(weights, pass, dz);
}

/** The weights' gradients from the gradient of the loss with respect to the unnormalised output z. */
export async function unnormalisedBackward(weights: NetworkWeights, pass: { input: Matrix; hidden: Matrix }, outputGradient: Float32Array): Promise<Gradients> {
  const { hidden, input } = pass;
  const width = weights.shape.output;
  const outputDelta = matrix(outputGradient, input.rows, width);
  const w2 = (await product(transposed(hidden), outputDelta)).data;
  const dHidden = await product(outputDelta, transposed(matrix(weights.w2, weights.shape.hidden, width)));
  for (let i = 0; i < dHidden.data.length; i++) if (hidden.data[i]! <= 0) dHidden.data[i] = 0;
  const inputTransposed = transposed(input);
  const w1 = (await product(inputTransposed, dHidden)).data;
  const w0 = (await product(inputTransposed, outputDelta)).data;
  return { w0, w1, b1: columnSums(dHidden), w2, b2: columnSums(outputDelta) };
}

function addBias(m: Matrix, bias: Float32Array): void {
  for (let row = 0; row < m.rows; row++) for (let j = 0; j < m.cols; j++) m.data[row * m.cols + j]! += bias[j]!;
}

function columnSums(m: Matrix): Float32Array {
  const sums = new Float32Array(m.cols);
  for (let row = 0; row < m.rows; row++) for (let j = 0; j < m.cols; j++) sums[j]! += m.data[row * m.cols + j]!;
  return sums;
}

export const PARAMETERS = ['w0', 'w1', 'b1', 'w2', 'b2'] as const;

/** Adam (Kingma & Ba 2015) with decoupled weight decay on the weight matrices (AdamW), not on the biases. */
export class Adam {
  private step = 0;
  private readonly moments: Record<(typeof PARAMETERS)[number], { first: Float32Array; second: Float32Array }>;

  /**
   * `rates` per parameter: Adam moves every entry by about its rate whatever the gradient's size, so a parameter with
   * small entries (the linear path starts as a sparse map of ~0.04) needs a smaller rate to keep its structure.
   */
  constructor(
    weights: NetworkWeights,
    private readonly rates: Record<(typeof PARAMETERS)[number], number>,
    private readonly weightDecay: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.moments = Object.fromEntries(
      PARAMETERS.map((name) => [name, { first: new Float32Array(weights[name].length), second: new Float32Array(weights[name].length) }]),
    ) as Adam['moments'];
  }

  /** One step; `scale` multiplies every rate (a warm-up schedule). */
  update(weights: NetworkWeights, gradients: Gradients, scale = 1): void {
    this.step++;
    const firstCorrection = 1 - this.beta1 ** this.step;
    const secondCorrection = 1 - this.beta2 ** this.step;
    for (const name of PARAMETERS) {
      const values = weights[name];
      const gradient = gradients[name];
      const { first, second } = this.moments[name];
      const rate = this.rates[name] * scale;
      const decay = name.startsWith('w') ? rate * this.weightDecay : 0;
      for (let i = 0; i < values.length; i++) {
        first[i] = this.beta1 * first[i]! + (1 - this.beta1) * gradient[i]!;
        second[i] = this.beta2 * second[i]! + (1 - this.beta2) * gradient[i]! ** 2;
        values[i]! -= rate * (first[i]! / firstCorrection / (Math.sqrt(second[i]! / secondCorrection) + this.epsilon)) + decay * values[i]!;
      }
    }
  }
}

export function copyWeights(weights: NetworkWeights): NetworkWeights {
  return { shape: weights.shape, w0: weights.w0.slice(), w1: weights.w1.slice(), b1: weights.b1.slice(), w2: weights.w2.slice(), b2: weights.b2.slice() };
}

/** The weights as artifact arrays, names prefixed (a file can hold several networks). */
export function networkArrays(weights: NetworkWeights, prefix = ''): Record<string, ArtifactArray> {
  const { input, hidden, output } = weights.shape;
  return {
    [`${prefix}w0`]: weights.w0,
    [`${prefix}w1`]: weights.w1,
    [`${prefix}b1`]: weights.b1,
    [`${prefix}w2`]: weights.w2,
    [`${prefix}b2`]: weights.b2,
    [`${prefix}shape`]: Int32Array.of(input, hidden, output),
  };
}

/** Weights written by `networkArrays`, refused when an array does not fit the saved shape. */
export function restoreNetwork(artifact: Artifact, prefix = ''): NetworkWeights {
  const [input, hidden, output] = requireArray(artifact, `${prefix}shape`, Int32Array);
  const shape = { input: input!, hidden: hidden!, output: output! };
  const weights: NetworkWeights = {
    shape,
    ...Object.fromEntries(PARAMETERS.map((name) => [name, requireArray(artifact, `${prefix}${name}`, Float32Array)])),
  } as NetworkWeights;
  const sizes = { w0: input! * output!, w1: input! * hidden!, b1: hidden!, w2: hidden! * output!, b2: output! };
  if (PARAMETERS.some((name) => weights[name].length !== sizes[name])) {
    throw new Error(`the saved ${artifact.manifest.name} network's arrays do not fit its shape ${input} → ${hidden} → ${output}: train it again`);
  }
  return weights;
}
