/**
 * Principal components of a dense matrix: subspace iteration on the covariance, whose products run in onnxruntime's
 * GEMM, then a small exact eigen-decomposition (Rayleigh–Ritz). Used to bring content vectors to one dimension before
 * fusing them, and for projections of a space.
 */
import { orthonormaliseColumns, symmetricEigen } from '../encode/svd.js';
import { matrix, product, transposed, type Matrix } from './gemm.js';
import { gaussianMatrix, seededRandom } from './random.js';

export interface Pca {
  /** The input's dimension and the number of components. */
  dim: number;
  rank: number;
  /** dim: subtracted before projecting. */
  mean: Float32Array;
  /** dim × rank, row-major; column j is the j-th principal direction, its largest entry positive. */
  components: Float32Array;
  /** rank: the variance along each component, descending. */
  variances: Float32Array;
}

/** Extra columns carried through the iteration, so the last wanted components converge as fast as the first. */
const OVERSAMPLES = 10;
const ITERATIONS = 8;

/** The top `rank` principal components of the rows of `data` (at most its dimension). */
export async function fitPca(data: Matrix, rank: number, seed: number): Promise<Pca> {
  const { rows, cols: dim } = data;
  if (rows === 0) throw new Error('cannot fit principal components on no rows');
  const mean = new Float32Array(dim);
  for (let row = 0; row < rows; row++) for (let j = 0; j < dim; j++) mean[j]! += data.data[row * dim + j]! / rows;
  const centred = centre(data, mean);
  const covariance = await product(transposed(centred), centred);
  for (let i = 0; i < covariance.data.length; i++) covariance.data[i]! /= Math.max(rows - 1, 1);

  const width = Math.min(rank + OVERSAMPLES, dim);
  let basis = matrix(gaussianMatrix(dim, width, 1, seededRandom(seed)), dim, width);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) basis = orthonormal(await product(covariance, basis));
  // Rayleigh–Ritz: the eigenvectors of the covariance restricted to the basis are the best directions it contains.
  const restricted = await product(transposed(basis), await product(covariance, basis));
  const { values, vectors } = symmetricEigen(Float64Array.from(restricted.data), width);
  const kept = Math.min(rank, width);
  const rotation = new Float32Array(width * kept);
  for (let i = 0; i < width; i++) for (let j = 0; j < kept; j++) rotation[i * kept + j] = vectors[i * width + j]!;
  const components = (await product(basis, matrix(rotation, width, kept))).data;
  for (let j = 0; j < kept; j++) fixSign(components, dim, kept, j);
  return { dim, rank: kept, mean, components, variances: Float32Array.from(values.subarray(0, kept), (value) => Math.max(value, 0)) };
}

/** Each row of `data` in the components' coordinates: (x − mean) · components. */
export async function projectPca(pca: Pca, data: Matrix): Promise<Matrix> {
  if (data.cols !== pca.dim) throw new Error(`principal components of ${pca.dim}-d vectors cannot project ${data.cols}-d ones`);
  return product(centre(data, pca.mean), matrix(pca.components, pca.dim, pca.rank));
}

function centre(data: Matrix, mean: Float32Array): Matrix {
  const centred = data.data.slice();
  for (let i = 0; i < centred.length; i++) centred[i]! -= mean[i % data.cols]!;
  return matrix(centred, data.rows, data.cols);
}

function orthonormal(m: Matrix): Matrix {
  return matrix(Float32Array.from(orthonormaliseColumns(Float64Array.from(m.data), m.rows, m.cols)), m.rows, m.cols);
}

/** A component's sign is arbitrary; fixing it makes a fit reproducible across runs and machines. */
function fixSign(components: Float32Array, rows: number, width: number, column: number): void {
  let largest = 0;
  for (let row = 0; row < rows; row++) {
    const value = components[row * width + column]!;
    if (Math.abs(value) > Math.abs(largest)) largest = value;
  }
  if (largest < 0) for (let row = 0; row < rows; row++) components[row * width + column]! *= -1;
}
