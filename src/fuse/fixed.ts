/**
 * The baseline fusion the learned DNA must beat: both modalities projected to the same dimension by PCA, each unit
 * length, then 0.7·text + 0.3·image, renormalised; a movie without a poster keeps its text alone (the weights
 * renormalised to 1·text).
 */
import { fitProjection, projectContent } from './features.js';
import type { ContentInputs } from './inputs.js';

export const FIXED_WEIGHTS = { text: 0.7, image: 0.3 } as const;

export interface FixedSpace {
  dim: number;
  /** Rows of `inputs.movieIds`, unit length. */
  vectors: Float32Array;
}

export async function fixedFusion(inputs: ContentInputs, dim: number, seed: number): Promise<FixedSpace> {
  const width = Math.min(dim, inputs.textDim, inputs.imageDim || inputs.textDim);
  const content = await projectContent(await fitProjection(inputs, { text: width, image: width }, seed), inputs);
  const out = content.textDim;
  const vectors = new Float32Array(content.rows * out);
  for (let row = 0; row < content.rows; row++) {
    const image = content.hasImage[row] === 1 && content.imageDim === out;
    let length = 0;
    for (let j = 0; j < out; j++) {
      const value = image ? FIXED_WEIGHTS.text * content.text[row * out + j]! + FIXED_WEIGHTS.image * content.image[row * out + j]! : content.text[row * out + j]!;
      vectors[row * out + j] = value;
      length += value * value;
    }
    length = Math.sqrt(length) || 1;
    for (let j = 0; j < out; j++) vectors[row * out + j]! /= length;
  }
  return { dim: out, vectors };
}
