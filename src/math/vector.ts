/**
 * Float32Array kernels. Matrices are row-major with an explicit `dim`; the offset arguments let a kernel read one
 * row of a matrix in place, without copying it out.
 */

export function dot(a: Float32Array, b: Float32Array, dim = a.length, aOffset = 0, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += a[aOffset + i]! * b[bOffset + i]!;
  return sum;
}

/**
 * The dots of three vectors a, b, c with one row of a matrix, reading the row once: [a · row, b · row, c · row] into
 * out[outOffset…]. The three come interleaved (a0 b0 c0 a1 b1 c1 …, `interleave3`), so the loop reads two arrays, not
 * four: for hot paths that score candidates three ways.
 */
export function dot3(interleaved: Float64Array, matrix: Float32Array, dim: number, rowOffset: number, out: Float32Array, outOffset: number): void {
  let sumA = 0;
  let sumB = 0;
  let sumC = 0;
  for (let i = 0, j = 0; i < dim; i++, j += 3) {
    const value = matrix[rowOffset + i]!;
    sumA += interleaved[j]! * value;
    sumB += interleaved[j + 1]! * value;
    sumC += interleaved[j + 2]! * value;
  }
  out[outOffset] = sumA;
  out[outOffset + 1] = sumB;
  out[outOffset + 2] = sumC;
}

/**
 * Three vectors of `dim` entries side by side, entry by entry, as `dot3` reads them; a missing one is zeros. In
 * float64, which holds every float32 exactly and spares the loop a conversion per read.
 */
export function interleave3(a: Float32Array | null, b: Float32Array | null, c: Float32Array | null, dim: number): Float64Array {
  const out = new Float64Array(3 * dim);
  [a, b, c].forEach((vector, k) => {
    if (vector) for (let i = 0; i < dim; i++) out[3 * i + k] = vector[i]!;
  });
  return out;
}

/** out[outOffset…] += scale · v[vOffset…], over `dim` entries. */
export function addScaled(out: Float32Array, v: Float32Array, scale: number, dim = v.length, outOffset = 0, vOffset = 0): void {
  for (let i = 0; i < dim; i++) out[outOffset + i]! += scale * v[vOffset + i]!;
}

/** Scales every row of a rows×dim matrix to unit length in place; an all-zero row stays zero. */
export function normaliseRows(matrix: Float32Array, dim: number): Float32Array {
  for (let offset = 0; offset < matrix.length; offset += dim) {
    const length = Math.sqrt(dot(matrix, matrix, dim, offset, offset));
    if (length > 0) for (let i = 0; i < dim; i++) matrix[offset + i]! /= length;
  }
  return matrix;
}

/** scores[r] = matrix row r · query, for every row: one user's scores over all items in one pass. */
export function matVec(matrix: Float32Array, dim: number, query: Float32Array, queryOffset = 0, scores = new Float32Array(matrix.length / dim)): Float32Array {
  for (let row = 0, offset = 0; offset < matrix.length; row++, offset += dim) scores[row] = dot(matrix, query, dim, offset, queryOffset);
  return scores;
}

/** The dim×dim Gram matrix MᵀM of a rows×dim matrix, plus `ridge` on the diagonal. */
export function gram(matrix: Float32Array, dim: number, ridge = 0): Float64Array {
  const result = new Float64Array(dim * dim);
  for (let offset = 0; offset < matrix.length; offset += dim) {
    for (let i = 0; i < dim; i++) {
      const value = matrix[offset + i]!;
      if (value === 0) continue;
      for (let j = 0; j < dim; j++) result[i * dim + j]! += value * matrix[offset + j]!;
    }
  }
  for (let i = 0; i < dim; i++) result[i * dim + i]! += ridge;
  return result;
}
