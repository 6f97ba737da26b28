import { requireArray, type Artifact } from '../artifacts.js';
import type { InteractionMatrix } from '../interactions.js';
import { gaussianMatrix, seededRandom } from '../math/random.js';
import type { Csr } from '../math/sparse.js';
import { gram, matVec } from '../math/vector.js';
import type { Progress } from '../progress.js';
import { defineModel, type RecommendQuery } from '../recommender.js';
import { unitFactors } from './factors.js';
import { MatrixRecommender, userHistory, type UserHistory } from './ranking.js';
import type { MovieId } from '../domain.js';

export type ImplicitMfParams = {
  factors: number;
  regularization: number;
  /** Confidence of an observed rating is 1 + alpha; unobserved pairs have confidence 1 and preference 0. */
  alpha: number;
  iterations: number;
  /** Conjugate-gradient steps per row and sweep (warm-started from the previous sweep, so a few suffice). */
  cgSteps: number;
};

interface ImplicitMfState {
  userFactors: Float32Array;
  movieFactors: Float32Array;
  unitMovieFactors: Float32Array;
  /** The movie side of every user's normal equations (YᵀY + λI), kept to fold in a new history without a refit. */
  foldIn: RowSolver;
}

/**
 * Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008) fitted by alternating least squares, each
 * row solved approximately by conjugate gradient as in Takács et al. 2011 and Python's `implicit`. A history the
 * training set did not have is folded in: its user row is solved against the fixed movie factors, as implicit's
 * `recalculate_user` does.
 */
export class ImplicitMfRecommender extends MatrixRecommender<ImplicitMfState, ImplicitMfParams> {
  readonly name = 'mf';

  protected fitState(matrix: InteractionMatrix, _train: unknown, progress?: Progress): ImplicitMfState {
    const factors = fitImplicitFactors(matrix, this.params, this.seed, progress);
    return this.withDerived(factors.userFactors, factors.movieFactors);
  }

  private withDerived(userFactors: Float32Array, movieFactors: Float32Array): ImplicitMfState {
    const { factors } = this.params;
    return { userFactors, movieFactors, unitMovieFactors: unitFactors(movieFactors, factors), foldIn: new RowSolver(movieFactors, this.params) };
  }

  protected userScores(state: ImplicitMfState, _matrix: InteractionMatrix, history: UserHistory): Float32Array | null {
    const user = this.historyFactor(state, history);
    return user && matVec(state.movieFactors, this.params.factors, user);
  }

  private historyFactor(state: ImplicitMfState, history: UserHistory): Float32Array | null {
    const { factors } = this.params;
    if (history.user !== undefined) return state.userFactors.subarray(history.user * factors, (history.user + 1) * factors);
    if (history.movies.length === 0) return null;
    const user = new Float32Array(factors);
    // From a cold start rather than a warm one, so CG runs to convergence (at most `factors` steps).
    state.foldIn.solve(history.movies, 0, history.movies.length, user, 0, factors);
    return user;
  }

  /** The query's user factor (its history folded in, or a training user's own), or null without a history. */
  userFactor(query: RecommendQuery): Float32Array | null {
    const { matrix, state } = this.require();
    return this.historyFactor(state, userHistory(matrix, query));
  }

  /** The fitted movie factors, row per movie of the training matrix. */
  movieFactorTable(): { movieIds: Int32Array; movieIndex: ReadonlyMap<MovieId, number>; factors: Float32Array; dim: number } {
    const { matrix, state } = this.require();
    return { movieIds: matrix.movieIds, movieIndex: matrix.movieIndex, factors: state.movieFactors, dim: this.params.factors };
  }

  protected similarScores(state: ImplicitMfState, _matrix: InteractionMatrix, movie: number): Float32Array {
    const { factors } = this.params;
    return matVec(state.unitMovieFactors, factors, state.unitMovieFactors, movie * factors);
  }

  protected stateArrays({ userFactors, movieFactors }: ImplicitMfState) {
    return { userFactors, movieFactors };
  }

  protected restoreState(artifact: Artifact): ImplicitMfState {
    return this.withDerived(requireArray(artifact, 'userFactors', Float32Array), requireArray(artifact, 'movieFactors', Float32Array));
  }
}

/**
 * Alternating least squares from a seeded N(0, 0.01²) start: each sweep solves every user row, then every movie row.
 * Exported so tests can check the objective it minimises.
 */
export function fitImplicitFactors(matrix: InteractionMatrix, params: ImplicitMfParams, seed: number, progress?: Progress) {
  const { factors: dim, iterations } = params;
  const random = seededRandom(seed);
  const userFactors = gaussianMatrix(matrix.userIds.length, dim, 0.01, random);
  const movieFactors = gaussianMatrix(matrix.movieIds.length, dim, 0.01, random);
  const bar = progress?.('fit mf', iterations);
  for (let iteration = 0; iteration < iterations; iteration++) {
    solveRows(matrix.byUser, userFactors, new RowSolver(movieFactors, params));
    solveRows(matrix.byMovie, movieFactors, new RowSolver(userFactors, params));
    bar?.tick();
  }
  bar?.done();
  return { userFactors, movieFactors };
}

/** One half-sweep: every row of `solved` against the fixed side that `solver` holds. */
function solveRows(observed: Csr, solved: Float32Array, solver: RowSolver): void {
  for (let row = 0; row < observed.rows; row++) solver.solve(observed.indices, observed.indptr[row]!, observed.indptr[row + 1]!, solved, row * solver.dim);
}

/**
 * Solves one row x minimising Σ c·(p − x·y)² + λ|x|² over all columns y of `fixed`, with YᵀY computed once and the
 * observed entries' (c − 1) terms added per row, never forming YᵀCY.
 */
class RowSolver {
  readonly dim: number;
  private readonly yty: Float64Array;
  // Float64 work vectors: one element type per loop keeps the hot loops monomorphic and the CG numerically stable.
  private readonly x: Float64Array;
  private readonly r: Float64Array;
  private readonly p: Float64Array;
  private readonly ap: Float64Array;

  constructor(
    private readonly fixed: Float32Array,
    private readonly params: ImplicitMfParams,
  ) {
    this.dim = params.factors;
    this.yty = gram(fixed, this.dim, params.regularization);
    this.x = new Float64Array(this.dim);
    this.r = new Float64Array(this.dim);
    this.p = new Float64Array(this.dim);
    this.ap = new Float64Array(this.dim);
  }

  /** Solves for the row at `solved[offset…]`, warm-started from its current value, given observed columns `columns[start…end)`. */
  solve(columns: Int32Array, start: number, end: number, solved: Float32Array, offset: number, steps = this.params.cgSteps): void {
    const { dim, fixed, yty, x, r, p, ap } = this;
    const confidence = 1 + this.params.alpha;
    // With nothing observed the minimiser is exactly zero: no signal, no factor.
    if (start === end) {
      solved.fill(0, offset, offset + dim);
      return;
    }
    for (let f = 0; f < dim; f++) x[f] = solved[offset + f]!;
    // r = YᵀCp − (YᵀCY + λI)x, the residual at the warm start.
    multiply(yty, x, r, dim);
    for (let f = 0; f < dim; f++) r[f] = -r[f]!;
    for (let k = start; k < end; k++) {
      const y = columns[k]! * dim;
      addRow(r, fixed, y, confidence - (confidence - 1) * rowDot(fixed, y, x, dim), dim);
    }
    p.set(r);
    let rsOld = dot64(r, r, dim);
    for (let step = 0; step < steps && rsOld > 1e-20; step++) {
      multiply(yty, p, ap, dim);
      for (let k = start; k < end; k++) {
        const y = columns[k]! * dim;
        addRow(ap, fixed, y, (confidence - 1) * rowDot(fixed, y, p, dim), dim);
      }
      const stepSize = rsOld / dot64(p, ap, dim);
      for (let f = 0; f < dim; f++) {
        x[f]! += stepSize * p[f]!;
        r[f]! -= stepSize * ap[f]!;
      }
      const rsNew = dot64(r, r, dim);
      for (let f = 0; f < dim; f++) p[f] = r[f]! + (rsNew / rsOld) * p[f]!;
      rsOld = rsNew;
    }
    for (let f = 0; f < dim; f++) solved[offset + f] = x[f]!;
  }
}

/** out = A·v for a dim×dim matrix A; four running sums let V8 overlap the multiplies (about 1.7× faster here). */
function multiply(a: Float64Array, v: Float64Array, out: Float64Array, dim: number): void {
  const unrolled = dim - (dim % 4);
  for (let i = 0, row = 0; i < dim; i++, row += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < unrolled; j += 4) {
      s0 += a[row + j]! * v[j]!;
      s1 += a[row + j + 1]! * v[j + 1]!;
      s2 += a[row + j + 2]! * v[j + 2]!;
      s3 += a[row + j + 3]! * v[j + 3]!;
    }
    for (; j < dim; j++) s0 += a[row + j]! * v[j]!;
    out[i] = s0 + s1 + s2 + s3;
  }
}

/** The dot product of row `offset` of a Float32 matrix with a Float64 vector. */
function rowDot(matrix: Float32Array, offset: number, v: Float64Array, dim: number): number {
  let sum = 0;
  for (let f = 0; f < dim; f++) sum += matrix[offset + f]! * v[f]!;
  return sum;
}

/** out += scale · (row `offset` of a Float32 matrix). */
function addRow(out: Float64Array, matrix: Float32Array, offset: number, scale: number, dim: number): void {
  for (let f = 0; f < dim; f++) out[f]! += scale * matrix[offset + f]!;
}

function dot64(a: Float64Array, b: Float64Array, dim: number): number {
  let sum = 0;
  for (let f = 0; f < dim; f++) sum += a[f]! * b[f]!;
  return sum;
}

export const implicitMfModel = defineModel<ImplicitMfParams>({
  name: 'mf',
  description: 'implicit matrix factorisation: ALS with conjugate gradient',
  defaults: { factors: 16, regularization: 10, alpha: 1, iterations: 10, cgSteps: 3 },
  grid: { factors: [16, 32, 64], regularization: [1, 10], alpha: [1, 5] },
  tuneOn: 'ranking',
  needsRatedMovies: true,
  create: (params, seed) => new ImplicitMfRecommender(params, seed),
});
