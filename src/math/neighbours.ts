/**
 * Every row's k nearest rows by dot product (cosine for unit rows): the all-pairs scan behind embedding reports. The
 * matrix products run in onnxruntime's GEMM (through @huggingface/transformers' tensor ops), about 40× faster than a
 * JavaScript loop over 9,742 × 1,280 floats.
 */
import { tensorOps } from './gemm.js';

/** Queries per product: a 1,024 × rows score block stays a few tens of MB. */
const QUERY_BLOCK = 1024;

/** For each row of a rows × dim matrix, the indices of its k highest-dot other rows, best first (rows × k, row-major). */
export async function allNearestRows(vectors: Float32Array, dim: number, k: number): Promise<Int32Array> {
  const { matmul, Tensor, topk } = await tensorOps();
  const rows = vectors.length / dim;
  const neighbours = Math.min(k, rows - 1);
  const result = new Int32Array(rows * neighbours);
  const transposed = new Float32Array(dim * rows);
  for (let row = 0; row < rows; row++) for (let j = 0; j < dim; j++) transposed[j * rows + row] = vectors[row * dim + j]!;
  const all = new Tensor('float32', transposed, [dim, rows]);
  for (let first = 0; first < rows; first += QUERY_BLOCK) {
    const count = Math.min(QUERY_BLOCK, rows - first);
    const scores = await matmul(new Tensor('float32', vectors.slice(first * dim, (first + count) * dim), [count, dim]), all);
    const data = scores.data as Float32Array;
    // A row is never its own neighbour.
    for (let b = 0; b < count; b++) data[b * rows + first + b] = Number.NEGATIVE_INFINITY;
    const [, indices] = await topk(scores, neighbours);
    const found = indices.data as BigInt64Array;
    for (let i = 0; i < count * neighbours; i++) result[first * neighbours + i] = Number(found[i]!);
  }
  return result;
}
