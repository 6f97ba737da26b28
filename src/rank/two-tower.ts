/**
 * The two-tower ranker (DESIGN §3.4). The user tower reads [taste ; MF user factor ; 1], the item tower [DNA ; MF
 * movie factor ; log popularity]; each is the fusion's network shape (a linear path plus an MLP) with unit outputs,
 * and a movie's score is the cosine of the two. Movie embeddings are computed once; a query costs one user-tower row.
 */
import type { MovieId } from '../domain.js';
import { forward, unnormalisedForwardRow, type NetworkWeights } from '../fuse/network.js';
import { matrix, type Matrix } from '../math/gemm.js';
import { dot, normaliseRows } from '../math/vector.js';
import type { DnaTable } from '../recommend/dna-table.js';

export interface TowerWeights {
  user: NetworkWeights;
  item: NetworkWeights;
}

/** What the towers read about movies beyond their DNA: MF factors and training popularity. */
export interface MovieSignals {
  mfFactors: { movieIndex: ReadonlyMap<MovieId, number>; factors: Float32Array; dim: number };
  /** Training raters per movie id; a movie nobody rated counts 0. */
  raters: ReadonlyMap<MovieId, number>;
}

/** Width of either tower's input: DNA or taste, MF factor, and one more (popularity; a constant 1 for users). */
export const towerInputWidth = (dnaDim: number, mfDim: number): number => dnaDim + mfDim + 1;

/**
 * One row per DNA movie: [DNA ; MF factor scaled to unit mean length (zeros for a movie MF never saw) ; popularity as
 * log(1 + raters) / log(1 + most raters)].
 */
export function itemInputs(dna: DnaTable, signals: MovieSignals): Matrix {
  const { mfFactors } = signals;
  const width = towerInputWidth(dna.dim, mfFactors.dim);
  const data = new Float32Array(dna.size * width);
  const meanLength = meanRowLength(mfFactors.factors, mfFactors.dim) || 1;
  const mostRaters = Math.max(1, ...signals.raters.values());
  dna.ids.forEach((movieId, row) => {
    const at = row * width;
    data.set(dna.vectors.subarray(row * dna.dim, (row + 1) * dna.dim), at);
    const factorRow = mfFactors.movieIndex.get(movieId);
    if (factorRow !== undefined) {
      for (let f = 0; f < mfFactors.dim; f++) data[at + dna.dim + f] = mfFactors.factors[factorRow * mfFactors.dim + f]! / meanLength;
    }
    data[at + width - 1] = Math.log1p(signals.raters.get(movieId) ?? 0) / Math.log1p(mostRaters);
  });
  return matrix(data, dna.size, width);
}

/** A user's tower input: [taste ; MF user factor at unit length (its direction is all a user's ranking sees) ; 1]. */
export function userInput(taste: Float32Array, mfUser: Float32Array | null, mfDim: number, out = new Float32Array(taste.length + mfDim + 1)): Float32Array {
  out.fill(0);
  out.set(taste);
  if (mfUser) {
    const length = Math.hypot(...mfUser) || 1;
    for (let f = 0; f < mfDim; f++) out[taste.length + f] = mfUser[f]! / length;
  }
  out[out.length - 1] = 1;
  return out;
}

export class TwoTower {
  private readonly hidden: Float32Array;

  private constructor(
    readonly weights: TowerWeights,
    private readonly dna: DnaTable,
    /** Unit item-tower outputs, one row per DNA movie. */
    private readonly embeddings: Float32Array,
  ) {
    this.hidden = new Float32Array(weights.user.shape.hidden);
  }

  /** The towers with every DNA movie's embedding computed. */
  static async build(weights: TowerWeights, dna: DnaTable, signals: MovieSignals): Promise<TwoTower> {
    const { output } = await forward(weights.item, itemInputs(dna, signals));
    return new TwoTower(weights, dna, output.data);
  }

  get mfDim(): number {
    return this.weights.user.shape.input - this.dna.dim - 1;
  }

  /** The user's unit embedding, in plain loops. */
  userEmbedding(taste: Float32Array, mfUser: Float32Array | null): Float32Array {
    const out = unnormalisedForwardRow(this.weights.user, userInput(taste, mfUser, this.mfDim), this.hidden, new Float32Array(this.weights.user.shape.output));
    return normaliseRows(out, out.length);
  }

  /** Cosine of the user's embedding to the movie's; NaN for a movie without DNA. */
  score(user: Float32Array, movieId: MovieId): number {
    const row = this.dna.row(movieId);
    return row === undefined ? Number.NaN : this.scoreRow(user, row);
  }

  /** Cosine of the user's embedding to the movie at this DNA row's. */
  scoreRow(user: Float32Array, row: number): number {
    return dot(user, this.embeddings, user.length, 0, row * user.length);
  }
}

function meanRowLength(rows: Float32Array, dim: number): number {
  const count = rows.length / dim;
  let sum = 0;
  for (let r = 0; r < count; r++) {
    let squares = 0;
    for (let f = 0; f < dim; f++) squares += rows[r * dim + f]! ** 2;
    sum += Math.sqrt(squares);
  }
  return count ? sum / count : 0;
}
