import { normaliseRows } from '../math/vector.js';

/** Movie factors scaled to unit rows, so that similar movies are nearest by cosine, whatever their popularity. */
export function unitFactors(movieFactors: Float32Array, dim: number): Float32Array {
  return normaliseRows(movieFactors.slice(), dim);
}
