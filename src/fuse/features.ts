/**
 * Content vectors brought to the fusion's shape: each modality projected onto its principal components (fitted on the
 * catalog's own vectors; no ratings) and scaled to unit length, then laid side by side with the modality mask.
 */
import { matrix, type Matrix } from '../math/gemm.js';
import { fitPca, projectPca, type Pca } from '../math/pca.js';
import { normaliseRows } from '../math/vector.js';
import type { ContentInputs } from './inputs.js';

export interface ContentProjection {
  text: Pca;
  /** Null when there is no image space (or no movie with a poster vector). */
  image: Pca | null;
}

/** Principal components of the text vectors and of the poster vectors of movies that have one. */
export async function fitProjection(inputs: ContentInputs, dims: { text: number; image: number }, seed: number): Promise<ContentProjection> {
  const text = await fitPca(matrix(inputs.text, inputs.movieIds.length, inputs.textDim), Math.min(dims.text, inputs.textDim), seed);
  const withImage = rowsWithImage(inputs);
  if (withImage.length === 0) return { text, image: null };
  const posters = new Float32Array(withImage.length * inputs.imageDim);
  withImage.forEach((row, i) => posters.set(inputs.image.subarray(row * inputs.imageDim, (row + 1) * inputs.imageDim), i * inputs.imageDim));
  const image = await fitPca(matrix(posters, withImage.length, inputs.imageDim), Math.min(dims.image, inputs.imageDim, withImage.length), seed + 1);
  return { text, image };
}

/** Each movie's projected text and poster, as unit rows (the poster row is zero for a movie without one). */
export interface ProjectedContent {
  rows: number;
  text: Float32Array;
  textDim: number;
  image: Float32Array;
  imageDim: number;
  hasImage: Uint8Array;
}

export async function projectContent(projection: ContentProjection, inputs: ContentInputs): Promise<ProjectedContent> {
  const rows = inputs.movieIds.length;
  const text = normaliseRows((await projectPca(projection.text, matrix(inputs.text, rows, inputs.textDim))).data, projection.text.rank);
  const imageDim = projection.image?.rank ?? 0;
  let image: Float32Array = new Float32Array(rows * imageDim);
  const hasImage = projection.image ? inputs.hasImage : new Uint8Array(rows);
  if (projection.image) {
    image = normaliseRows((await projectPca(projection.image, matrix(inputs.image, rows, inputs.imageDim))).data, imageDim);
    for (let row = 0; row < rows; row++) if (!hasImage[row]) image.fill(0, row * imageDim, (row + 1) * imageDim);
  }
  return { rows, text, textDim: projection.text.rank, image, imageDim, hasImage };
}

export function rowsWithImage(inputs: Pick<ContentInputs, 'hasImage'>): number[] {
  return Array.from(inputs.hasImage).flatMap((has, row) => (has ? [row] : []));
}

/** The width of a fusion input: both projections and the two-entry modality mask. */
export const fusionInputWidth = (content: Pick<ProjectedContent, 'textDim' | 'imageDim'>) => content.textDim + content.imageDim + 2;

/**
 * [text ; image ; mask] rows for the given movies, each block scaled by √(its width) so every input coordinate has
 * about unit size. `dropImage(i)` hides the i-th movie's poster, as if it had none: the text-only path.
 */
export function fusionInput(content: ProjectedContent, rows: ArrayLike<number>, dropImage: (i: number) => boolean = () => false): Matrix {
  const width = fusionInputWidth(content);
  const data = new Float32Array(rows.length * width);
  const textScale = Math.sqrt(content.textDim);
  const imageScale = Math.sqrt(content.imageDim);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const offset = i * width;
    for (let j = 0; j < content.textDim; j++) data[offset + j] = textScale * content.text[row * content.textDim + j]!;
    const image = content.hasImage[row] === 1 && !dropImage(i);
    if (image) for (let j = 0; j < content.imageDim; j++) data[offset + content.textDim + j] = imageScale * content.image[row * content.imageDim + j]!;
    data[offset + width - 2] = 1;
    data[offset + width - 1] = image ? 1 : 0;
  }
  return matrix(data, rows.length, width);
}

/**
 * The fixed fusion as a linear map of the fusion input: 0.7 × the leading text components plus 0.3 × the leading poster
 * components, one output per component (input × output, row-major). The network's linear path starts here.
 */
export function fixedFusionMap(content: Pick<ProjectedContent, 'textDim' | 'imageDim'>, output: number, weights: { text: number; image: number }): Float32Array {
  const width = fusionInputWidth(content);
  const map = new Float32Array(width * output);
  // Input blocks are unit vectors scaled by √(width); dividing it out gives weight × the unit vector's component.
  for (let j = 0; j < Math.min(output, content.textDim); j++) map[j * output + j] = weights.text / Math.sqrt(content.textDim);
  for (let j = 0; j < Math.min(output, content.imageDim); j++) map[(content.textDim + j) * output + j] = weights.image / Math.sqrt(content.imageDim);
  return map;
}
