import { countingSort, identityOrder } from './sort.js';

/** Compressed sparse rows: row r's entries are indices/values[indptr[r] … indptr[r+1]), columns ascending. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Builds a CSR matrix from (row, col, value) triplets in any order; duplicates are kept as separate entries.
 * Two counting passes, by column and then by row, so it runs in O(n + rows + cols).
 */
export function csrFromTriplets(rows: number, cols: number, rowOf: Int32Array, colOf: Int32Array, valueOf: Float32Array): Csr {
  const indptr = new Int32Array(rows + 1);
  for (let i = 0; i < rowOf.length; i++) indptr[rowOf[i]! + 1]!++;
  for (let r = 0; r < rows; r++) indptr[r + 1]! += indptr[r]!;
  const next = indptr.slice(0, rows);
  const indices = new Int32Array(rowOf.length);
  const values = new Float32Array(rowOf.length);
  // Visiting triplets in column order makes every row come out sorted by column.
  const order = countingSort(identityOrder(rowOf.length), colOf, cols);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const slot = next[rowOf[i]!]!++;
    indices[slot] = colOf[i]!;
    values[slot] = valueOf[i]!;
  }
  return { rows, cols, indptr, indices, values };
}

export function transpose(matrix: Csr): Csr {
  const rowOf = new Int32Array(matrix.indices.length);
  for (let r = 0; r < matrix.rows; r++) rowOf.fill(r, matrix.indptr[r], matrix.indptr[r + 1]);
  return csrFromTriplets(matrix.cols, matrix.rows, matrix.indices, rowOf, matrix.values);
}

export function rowLength(matrix: Csr, row: number): number {
  return matrix.indptr[row + 1]! - matrix.indptr[row]!;
}
