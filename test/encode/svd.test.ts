import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../src/math/random.js';
import type { Csr } from '../../src/math/sparse.js';
import { orthonormaliseColumns, randomizedSvd, symmetricEigen } from '../../src/encode/svd.js';

/** A dense row-major matrix as CSR (zeros left out). */
function toCsr(dense: Float64Array, rows: number, cols: number): Csr {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (dense[r * cols + c] !== 0) {
        indices.push(c);
        values.push(dense[r * cols + c]!);
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

function randomOrthonormal(rows: number, cols: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return orthonormaliseColumns(
    Float64Array.from({ length: rows * cols }, () => gaussian(random)),
    rows,
    cols,
  );
}

/** U·diag(s)·Vᵀ, rounded through Float32 as a tf-idf matrix is. */
function lowRank(rows: number, cols: number, singularValues: number[], seed: number): { dense: Float64Array; matrix: Csr } {
  const k = singularValues.length;
  const u = randomOrthonormal(rows, k, seed);
  const v = randomOrthonormal(cols, k, seed + 1);
  const dense = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) for (let j = 0; j < k; j++) dense[r * cols + c]! += u[r * k + j]! * singularValues[j]! * v[c * k + j]!;
  const matrix = toCsr(dense, rows, cols);
  return { dense: toDense(matrix), matrix };
}

function toDense(matrix: Csr): Float64Array {
  const dense = new Float64Array(matrix.rows * matrix.cols);
  for (let r = 0; r < matrix.rows; r++) for (let e = matrix.indptr[r]!; e < matrix.indptr[r + 1]!; e++) dense[r * matrix.cols + matrix.indices[e]!] = matrix.values[e]!;
  return dense;
}

/** Max |MᵀM − I| over the columns of a rows × width matrix. */
function orthonormalityError(matrix: ArrayLike<number>, rows: number, width: number): number {
  let worst = 0;
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += matrix[r * width + i]! * matrix[r * width + j]!;
      worst = Math.max(worst, Math.abs(sum - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('randomizedSvd', () => {
  const singularValues = [9, 6, 4, 2, 1];
  const { dense, matrix } = lowRank(40, 30, singularValues, 3);

  it('finds the singular values of a low-rank matrix and reconstructs it from its components', () => {
    const svd = randomizedSvd(matrix, { rank: 5, seed: 1 });
    expect(svd.rank).toBe(5);
    Array.from(svd.singularValues).forEach((value, j) => expect(value).toBeCloseTo(singularValues[j]!, 4));
    // X ≈ (X·V)·Vᵀ when V spans the row space.
    let worst = 0;
    for (let r = 0; r < 40; r++) {
      const projected = new Float64Array(5);
      for (let c = 0; c < 30; c++) for (let j = 0; j < 5; j++) projected[j]! += dense[r * 30 + c]! * svd.components[c * 5 + j]!;
      for (let c = 0; c < 30; c++) {
        let value = 0;
        for (let j = 0; j < 5; j++) value += projected[j]! * svd.components[c * 5 + j]!;
        worst = Math.max(worst, Math.abs(value - dense[r * 30 + c]!));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('returns orthonormal components, each with its largest entry positive', () => {
    const svd = randomizedSvd(matrix, { rank: 4, seed: 2 });
    expect(orthonormalityError(svd.components, 30, 4)).toBeLessThan(1e-5);
    for (let j = 0; j < 4; j++) {
      const column = Array.from({ length: 30 }, (_, c) => svd.components[c * 4 + j]!);
      const largest = column.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('is deterministic for a seed, and other seeds find the same space', () => {
    const first = randomizedSvd(matrix, { rank: 5, seed: 7 });
    const again = randomizedSvd(matrix, { rank: 5, seed: 7 });
    expect(Array.from(again.components)).toEqual(Array.from(first.components));
    const other = randomizedSvd(matrix, { rank: 5, seed: 8 });
    Array.from(other.components).forEach((value, i) => expect(value).toBeCloseTo(first.components[i]!, 4));
  });

  it('asks for no more than the matrix has: the rank is clamped and missing directions are zero, not NaN', () => {
    const clamped = randomizedSvd(toCsr(dense.subarray(0, 3 * 30), 3, 30), { rank: 10, seed: 1 });
    expect(clamped.rank).toBe(3);
    const deficient = randomizedSvd(matrix, { rank: 8, seed: 1, oversamples: 2 });
    expect(deficient.rank).toBe(8);
    expect(Array.from(deficient.components).every(Number.isFinite)).toBe(true);
    for (let j = 5; j < 8; j++) expect(deficient.singularValues[j]).toBeLessThan(1e-3);
    expect(
      orthonormalityError(
        deficient.components.filter((_, i) => i % 8 < 5),
        30,
        5,
      ),
    ).toBeLessThan(1e-5);
  });
});

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix: A·v = λ·v, eigenvalues descending, orthonormal vectors', () => {
    const n = 7;
    const random = seededRandom(5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = gaussian(random);
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]!);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[j * n + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * n + k]!, 10);
      }
    }
    expect(orthonormalityError(vectors, n, n)).toBeLessThan(1e-12);
  });

  it('handles a diagonal matrix and a 1 × 1 matrix', () => {
    expect(Array.from(symmetricEigen(Float64Array.from([1, 0, 0, 0, 3, 0, 0, 0, 2]), 3).values)).toEqual([3, 2, 1]);
    expect(Array.from(symmetricEigen(Float64Array.from([4]), 1).values)).toEqual([4]);
  });
});

describe('orthonormaliseColumns', () => {
  it('gives orthonormal columns spanning the input, and zero for a dependent column', () => {
    const matrix = Float64Array.from([1, 2, 2, 0, 0, 1, 1, 2, 1, 2, 4, 3]); // 4 × 3: column 1 = 2 × column 0
    const q = orthonormaliseColumns(matrix, 4, 3);
    for (let r = 0; r < 4; r++) expect(Math.abs(q[r * 3 + 1]!)).toBe(0);
    const kept = Float64Array.from({ length: 8 }, (_, i) => q[Math.floor(i / 2) * 3 + (i % 2) * 2]!);
    expect(orthonormalityError(kept, 4, 2)).toBeLessThan(1e-12);
  });
});
