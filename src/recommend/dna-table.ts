/** The movie DNA held in memory for the recommendation path: unit rows by movie id, for scoring, MMR and explanations. */
import type { MovieId } from '../domain.js';
import { dot, normaliseRows } from '../math/vector.js';

export class DnaTable {
  private readonly rowOf: Map<MovieId, number>;

  /** `vectors`: ids.length × dim, normalised here (a copy). */
  constructor(
    readonly ids: readonly MovieId[],
    vectors: Float32Array,
    readonly dim: number,
  ) {
    if (vectors.length !== ids.length * dim) throw new Error(`a DNA of ${vectors.length} values is not ${ids.length} movies × ${dim} dimensions`);
    this.vectors = normaliseRows(vectors.slice(), dim);
    this.rowOf = new Map(ids.map((id, row) => [id, row]));
  }

  readonly vectors: Float32Array;

  get size(): number {
    return this.ids.length;
  }

  row(movieId: MovieId): number | undefined {
    return this.rowOf.get(movieId);
  }

  has(movieId: MovieId): boolean {
    return this.rowOf.has(movieId);
  }

  /** The movie's unit vector (a view, not a copy); undefined for a movie without DNA. */
  vector(movieId: MovieId): Float32Array | undefined {
    const row = this.rowOf.get(movieId);
    return row === undefined ? undefined : this.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** Cosine of a unit vector to a movie's DNA; NaN for a movie without DNA. */
  cosine(unit: Float32Array, movieId: MovieId): number {
    const row = this.rowOf.get(movieId);
    return row === undefined ? Number.NaN : dot(unit, this.vectors, this.dim, 0, row * this.dim);
  }
}
