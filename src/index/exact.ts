/** Exact nearest neighbours by a full scan: the reference that approximate indexes are measured against. */
import { topK } from '../math/topk.js';
import type { NearestIndex, NearestQueryOptions, Neighbour } from './nearest.js';

/**
 * Row-major vectors (`ids.length × dim`) with their ids, scanned in full for every query: one dot product per row,
 * then a bounded heap (topK). Ties go to the earlier row, which is the lower id when rows ascend by id.
 */
export class ExactIndex implements NearestIndex {
  private readonly norms: Float64Array;
  private readonly rowOf: Map<number, number>;
  /** Reused across queries: a scan never yields, so two queries never share it at once. */
  private readonly scores: Float64Array;

  constructor(
    private readonly ids: readonly number[],
    private readonly vectors: Float32Array,
    private readonly dim: number,
  ) {
    this.norms = new Float64Array(ids.length);
    for (let row = 0; row < ids.length; row++) {
      let squares = 0;
      for (let j = row * dim, end = j + dim; j < end; j++) squares += vectors[j]! * vectors[j]!;
      this.norms[row] = Math.sqrt(squares);
    }
    this.rowOf = new Map(ids.map((id, row) => [id, row]));
    this.scores = new Float64Array(ids.length);
  }

  async nearest(query: Float32Array, k: number, options: NearestQueryOptions = {}): Promise<Neighbour[]> {
    const { ids, vectors, dim, norms, scores } = this;
    let queryNorm = 0;
    for (let j = 0; j < dim; j++) queryNorm += query[j]! * query[j]!;
    queryNorm = Math.sqrt(queryNorm);
    for (let row = 0, offset = 0; row < ids.length; row++, offset += dim) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += vectors[offset + j]! * query[j]!;
      scores[row] = dot / (norms[row]! * queryNorm);
    }
    const skip = this.excluded(options.exclude);
    return Array.from(topK(scores, k, skip ? { skip } : {}), (row) => ({ id: ids[row]!, similarity: scores[row]! }));
  }

  private excluded(exclude: readonly number[] | undefined): Uint8Array | undefined {
    if (!exclude?.length) return undefined;
    const skip = new Uint8Array(this.ids.length);
    for (const id of exclude) {
      const row = this.rowOf.get(id);
      if (row !== undefined) skip[row] = 1;
    }
    return skip;
  }
}
