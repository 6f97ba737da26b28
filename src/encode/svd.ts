/**
 * Randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp 2011, algorithms 4.3 and 5.1): a Gaussian
 * sketch of the range, power iterations, an orthonormal basis by Gram–Schmidt, then the small SVD of the projection
 * through the eigen-decomposition of BBᵀ. Dense work is in Float64Array, row-major.
 */
import { transpose as transposeSparse, type Csr } from '../math/sparse.js';
import { gaussian, seededRandom } from '../math/random.js';

export interface RandomizedSvdOptions {
  rank: number;
  seed: number;
  /** Extra sketch columns beyond `rank`: they absorb the error of the sketch so the top `rank` come out accurate. */
  oversamples?: number;
  /** Passes of XXᵀ over the sketch: each one sharpens the decay of the spectrum, so tf-idf's flat tail blurs less. */
  powerIterations?: number;
}

export interface TruncatedSvd {
  /** min(requested rank, rows, cols). */
  rank: number;
  /** Descending, `rank` of them. */
  singularValues: Float64Array;
  /**
   * cols × rank, row-major: the right singular vectors (V), orthonormal columns. A row x of the matrix maps to x·V;
   * the sign of each is fixed so that its largest entry is positive.
   */
  components: Float64Array;
}

export function randomizedSvd(matrix: Csr, options: RandomizedSvdOptions): TruncatedSvd {
  const { rows, cols } = matrix;
  const sketch = Math.min(options.rank + (options.oversamples ?? 10), rows, cols);
  const rank = Math.min(options.rank, sketch);
  const random = seededRandom(options.seed);
  const transposed = transposeSparse(matrix);
  // One cols × sketch buffer serves for Ω, then for XᵀY in each pass, then for Bᵀ: big short-lived arrays cost GC time.
  const colsSide = new Float64Array(cols * sketch);
  for (let i = 0; i < colsSide.length; i++) colsSide[i] = gaussian(random);

  // Q: an orthonormal basis of the range of (XXᵀ)^q XΩ. The passes only rescale columns: in double precision the
  // spread they add, (σ₁/σ_sketch)^(2q+1) (about 10⁴ on tf-idf), stays far below 1/ε, and a QR after every pass would
  // cost as much as the passes themselves.
  const sketched = sparseTimesDense(matrix, colsSide, sketch);
  for (let pass = 0; pass < (options.powerIterations ?? 2); pass++) {
    normaliseColumns(sketched, rows, sketch);
    sparseTimesDense(transposed, sketched, sketch, colsSide);
    sparseTimesDense(matrix, colsSide, sketch, sketched);
  }
  const basis = orthonormaliseColumns(sketched, rows, sketch);
  // B = QᵀX is sketch × cols; its left singular vectors are the eigenvectors of BBᵀ, its singular values their roots.
  const transposedB = sparseTimesDense(transposed, basis, sketch, colsSide);
  const { values, vectors } = symmetricEigen(gram(transposedB, cols, sketch), sketch);
  const singularValues = Float64Array.from(values.subarray(0, rank), (value) => Math.sqrt(Math.max(value, 0)));

  // U = Q·U_B, and V = XᵀUΣ⁻¹.
  const leftB = new Float64Array(sketch * rank);
  for (let i = 0; i < sketch; i++) for (let j = 0; j < rank; j++) leftB[i * rank + j] = vectors[i * sketch + j]!;
  const left = denseTimesDense(basis, rows, sketch, leftB, rank);
  const components = sparseTimesDense(transposed, left, rank);
  const largest = singularValues[0] ?? 0;
  for (let j = 0; j < rank; j++) {
    const sigma = singularValues[j]!;
    // A direction the matrix does not have (rank-deficient input) gets a zero component rather than noise ÷ 0.
    const scale = sigma > largest * 1e-10 ? 1 / sigma : 0;
    const sign = signOfLargest(components, cols, rank, j);
    scaleColumn(components, cols, rank, j, sign * scale);
  }
  return { rank, singularValues, components };
}

/** X·D for a sparse X (rows × cols) and a dense D (cols × width), into `out` when given (overwritten). */
export function sparseTimesDense(matrix: Csr, dense: Float64Array, width: number, out: Float64Array = new Float64Array(matrix.rows * width)): Float64Array {
  out.fill(0);
  const { indptr, indices, values } = matrix;
  let longest = 0;
  for (let row = 0; row < matrix.rows; row++) longest = Math.max(longest, indptr[row + 1]! - indptr[row]!);
  const from = new Int32Array(longest);
  const scale = new Float64Array(longest);
  for (let row = 0; row < matrix.rows; row++) {
    const start = indptr[row]!;
    const count = indptr[row + 1]! - start;
    for (let k = 0; k < count; k++) {
      from[k] = indices[start + k]! * width;
      scale[k] = values[start + k]!;
    }
    addScaledRows(out, row * width, dense, width, from, scale, 0, count);
  }
  return out;
}

/** A·B for dense A (rows × inner) and B (inner × width). */
function denseTimesDense(a: Float64Array, rows: number, inner: number, b: Float64Array, width: number): Float64Array {
  const out = new Float64Array(rows * width);
  const from = Int32Array.from({ length: inner }, (_, i) => i * width);
  for (let row = 0; row < rows; row++) addScaledRows(out, row * width, b, width, from, a, row * inner, inner);
  return out;
}

/** MᵀM for a dense M (rows × width): the upper triangle, eight rows of M at a time, then mirrored. */
function gram(matrix: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(width * width);
  const from = new Int32Array(8);
  const scale = new Float64Array(8);
  for (let first = 0; first < rows; first += 8) {
    const count = Math.min(8, rows - first);
    for (let i = 0; i < width; i++) {
      for (let k = 0; k < count; k++) {
        from[k] = (first + k) * width + i;
        scale[k] = matrix[from[k]!]!;
      }
      addScaledRows(out, i * width + i, matrix, width - i, from, scale, 0, count);
    }
  }
  for (let i = 0; i < width; i++) for (let j = 0; j < i; j++) out[i * width + j] = out[j * width + i]!;
  return out;
}

/**
 * out[at…at+width) += Σ_k scale[scaleAt + k] · source[from[k]…from[k]+width) over `count` rows. Eight rows go in one
 * pass, so each output element is loaded and stored once per eight products: V8 runs that about three times as fast
 * as a pass per row.
 */
function addScaledRows(out: Float64Array, at: number, source: Float64Array, width: number, from: Int32Array, scale: Float64Array, scaleAt: number, count: number): void {
  let k = 0;
  for (; k + 7 < count; k += 8) {
    const f0 = from[k]!;
    const f1 = from[k + 1]!;
    const f2 = from[k + 2]!;
    const f3 = from[k + 3]!;
    const f4 = from[k + 4]!;
    const f5 = from[k + 5]!;
    const f6 = from[k + 6]!;
    const f7 = from[k + 7]!;
    const s0 = scale[scaleAt + k]!;
    const s1 = scale[scaleAt + k + 1]!;
    const s2 = scale[scaleAt + k + 2]!;
    const s3 = scale[scaleAt + k + 3]!;
    const s4 = scale[scaleAt + k + 4]!;
    const s5 = scale[scaleAt + k + 5]!;
    const s6 = scale[scaleAt + k + 6]!;
    const s7 = scale[scaleAt + k + 7]!;
    for (let j = 0; j < width; j++) {
      out[at + j]! +=
        s0 * source[f0 + j]! +
        s1 * source[f1 + j]! +
        s2 * source[f2 + j]! +
        s3 * source[f3 + j]! +
        s4 * source[f4 + j]! +
        s5 * source[f5 + j]! +
        s6 * source[f6 + j]! +
        s7 * source[f7 + j]!;
    }
  }
  for (; k < count; k++) {
    const f = from[k]!;
    const s = scale[scaleAt + k]!;
    for (let j = 0; j < width; j++) out[at + j]! += s * source[f + j]!;
  }
}

function transpose(matrix: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(matrix.length);
  for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) out[col * rows + row] = matrix[row * cols + col]!;
  return out;
}

function normaliseColumns(matrix: Float64Array, rows: number, width: number): void {
  const squares = new Float64Array(width);
  for (let row = 0; row < rows; row++) for (let j = 0; j < width; j++) squares[j]! += matrix[row * width + j]! ** 2;
  const scales = squares.map((sum) => (sum > 0 ? 1 / Math.sqrt(sum) : 0));
  for (let row = 0; row < rows; row++) for (let j = 0; j < width; j++) matrix[row * width + j]! *= scales[j]!;
}

/**
 * An orthonormal basis of the columns of a dense M (rows × width), by modified Gram–Schmidt on contiguous columns. A
 * column that is (numerically) in the span of the earlier ones becomes zero: the input may have lower rank.
 */
export function orthonormaliseColumns(matrix: Float64Array, rows: number, width: number): Float64Array {
  const columns = transpose(matrix, rows, width);
  for (let j = 0; j < width; j++) {
    const offset = j * rows;
    const before = Math.sqrt(dotAt(columns, offset, columns, offset, rows));
    for (let i = 0; i < j; i++) {
      const projection = dotAt(columns, i * rows, columns, offset, rows);
      if (projection !== 0) for (let r = 0; r < rows; r++) columns[offset + r]! -= projection * columns[i * rows + r]!;
    }
    const after = Math.sqrt(dotAt(columns, offset, columns, offset, rows));
    const scale = after > before * 1e-10 ? 1 / after : 0;
    for (let r = 0; r < rows; r++) columns[offset + r]! *= scale;
  }
  return transpose(columns, width, rows);
}

/** Four running sums: a single one would wait on each addition before starting the next. */
function dotAt(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    s0 += a[aOffset + i]! * b[bOffset + i]!;
    s1 += a[aOffset + i + 1]! * b[bOffset + i + 1]!;
    s2 += a[aOffset + i + 2]! * b[bOffset + i + 2]!;
    s3 += a[aOffset + i + 3]! * b[bOffset + i + 3]!;
  }
  for (; i < length; i++) s0 += a[aOffset + i]! * b[bOffset + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Eigenvalues (descending) and eigenvectors (column j of the row-major `vectors` belongs to value j) of a symmetric
 * n × n matrix: Householder reduction to tridiagonal form, then the implicit QL algorithm (tred2 and tql2 of EISPACK,
 * as JAMA writes them). O(n³) with a small constant: a few hundred rows take milliseconds.
 */
export function symmetricEigen(symmetric: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = Float64Array.from(symmetric);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalise(v, d, e, n);
  diagonaliseTridiagonal(v, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]!);
  const values = Float64Array.from(order, (i) => d[i]!);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) order.forEach((from, to) => (vectors[k * n + to] = v[k * n + from]!));
  return { values, vectors };
}

/** tred2: V holds the matrix on entry and the accumulated Householder transforms on exit; d the diagonal, e the off-diagonal. */
function tridiagonalise(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j * n + i] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j]! * d[k]!;
          e[k]! += v[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1]! * v[k * n + j]!;
        for (let k = 0; k <= i; k++) v[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j]!;
    v[(n - 1) * n + j] = 0;
  }
  if (n > 0) v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** tql2: eigenvalues of the tridiagonal (d, e) into d, its rotations applied to the columns of V. */
function diagonaliseTridiagonal(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      do {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            h = v[k * n + i + 1]!;
            v[k * n + i + 1] = s * v[k * n + i]! + c * h;
            v[k * n + i] = c * v[k * n + i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

function signOfLargest(matrix: Float64Array, rows: number, width: number, column: number): number {
  let largest = 0;
  for (let row = 0; row < rows; row++) {
    const value = matrix[row * width + column]!;
    if (Math.abs(value) > Math.abs(largest)) largest = value;
  }
  return largest < 0 ? -1 : 1;
}

function scaleColumn(matrix: Float64Array, rows: number, width: number, column: number, scale: number): void {
  for (let row = 0; row < rows; row++) matrix[row * width + column]! *= scale;
}
