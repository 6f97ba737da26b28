import { requireArray, type Artifact } from '../artifacts.js';
import type { InteractionMatrix } from '../interactions.js';
import { invertPositiveDefinite } from '../math/inverse.js';
import { topK } from '../math/topk.js';
import type { Progress } from '../progress.js';
import { defineModel } from '../recommender.js';
import { MatrixRecommender, type UserHistory } from './ranking.js';

type EaseParams = {
  /** The L2 penalty λ on the item-item weights: larger pulls them toward zero (and toward popularity). */
  lambda: number;
  /** Weights kept per movie, the largest in size: the dense matrix (n² floats) would not fit a serving process. */
  neighbours: number;
  /**
   * Only the most-rated movies enter the inverse (n³ work, n² memory): 10,000 takes about half a minute and 400 MB
   * here. Every rated movie of ml-latest-small fits; on larger catalogs the rarely rated rest gets no EASE score.
   */
  maxMovies: number;
};

interface EaseState {
  /** Row m holds the weights from movie m at [m·neighbours, m·neighbours + weightCount[m]). */
  weightIndex: Int32Array;
  weight: Float32Array;
  weightCount: Int32Array;
}

/**
 * EASE^R (Steck 2019): the item-item weights B minimising |X − XB|² + λ|B|² with a zero diagonal, in closed form
 * B = I − P·diag(1/diag P) for P = (XᵀX + λI)⁻¹ over the implicit matrix X. A user's score for a movie is the sum of
 * the weights from the movies they rated, so a new history needs no refit.
 */
class EaseRecommender extends MatrixRecommender<EaseState, EaseParams> {
  readonly name = 'ease';

  protected async fitState(matrix: InteractionMatrix, _train: unknown, progress?: Progress): Promise<EaseState> {
    const { byMovie, byUser } = matrix;
    // Only rated movies enter the inverse (an unrated one's weights are all zero whatever λ is), the most-rated first.
    const raters = (movie: number) => byMovie.indptr[movie + 1]! - byMovie.indptr[movie]!;
    const rated = Int32Array.from(matrix.movieIds.keys())
      .filter((movie) => raters(movie) > 0)
      .sort((a, b) => raters(b) - raters(a) || a - b)
      .subarray(0, this.params.maxMovies);
    const compact = new Int32Array(matrix.movieIds.length).fill(-1);
    rated.forEach((movie, index) => (compact[movie] = index));
    const n = rated.length;
    const p = new Float32Array(n * n);
    for (let user = 0; user < byUser.rows; user++) {
      const start = byUser.indptr[user]!;
      const end = byUser.indptr[user + 1]!;
      for (let a = start; a < end; a++) {
        const movie = compact[byUser.indices[a]!]!;
        if (movie < 0) continue;
        for (let b = start; b < end; b++) {
          const other = compact[byUser.indices[b]!]!;
          if (other >= 0) p[movie * n + other]!++;
        }
      }
    }
    for (let i = 0; i < n; i++) p[i * n + i]! += this.params.lambda;
    await invertPositiveDefinite(p, n, progress);
    const width = this.params.neighbours;
    const weightIndex = new Int32Array(matrix.movieIds.length * width);
    const weight = new Float32Array(matrix.movieIds.length * width);
    const weightCount = new Int32Array(matrix.movieIds.length);
    const row = new Float32Array(n);
    const size = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // B[i][j] = −P[i][j] / P[j][j] off the diagonal, 0 on it.
      for (let j = 0; j < n; j++) {
        row[j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]!;
        size[j] = Math.abs(row[j]!);
      }
      const movie = rated[i]!;
      const kept = topK(size, width);
      let count = 0;
      for (const j of kept) {
        if (row[j] === 0) continue;
        weightIndex[movie * width + count] = rated[j]!;
        weight[movie * width + count++] = row[j]!;
      }
      weightCount[movie] = count;
    }
    return { weightIndex, weight, weightCount };
  }

  protected userScores(state: EaseState, matrix: InteractionMatrix, history: UserHistory): Float32Array | null {
    if (history.movies.length === 0) return null;
    return this.sumRows(state, matrix, history.movies);
  }

  protected similarScores(state: EaseState, matrix: InteractionMatrix, movie: number): Float32Array {
    const scores = this.sumRows(state, matrix, [movie]);
    for (let other = 0; other < scores.length; other++) if (scores[other] === 0) scores[other] = Number.NEGATIVE_INFINITY;
    return scores;
  }

  private sumRows({ weightIndex, weight, weightCount }: EaseState, matrix: InteractionMatrix, movies: ArrayLike<number>): Float32Array {
    const scores = new Float32Array(matrix.movieIds.length);
    const width = this.params.neighbours;
    for (let r = 0; r < movies.length; r++) {
      const rated = movies[r]!;
      for (let slot = rated * width, end = slot + weightCount[rated]!; slot < end; slot++) scores[weightIndex[slot]!]! += weight[slot]!;
    }
    return scores;
  }

  protected stateArrays(state: EaseState) {
    return { ...state };
  }

  protected restoreState(artifact: Artifact): EaseState {
    return {
      weightIndex: requireArray(artifact, 'weightIndex', Int32Array),
      weight: requireArray(artifact, 'weight', Float32Array),
      weightCount: requireArray(artifact, 'weightCount', Int32Array),
    };
  }
}

export const easeModel = defineModel<EaseParams>({
  name: 'ease',
  description: 'EASE^R: closed-form item-item weights with an L2 penalty λ (Steck 2019), over the implicit matrix',
  defaults: { lambda: 200, neighbours: 10000, maxMovies: 10000 },
  grid: { lambda: [200, 500, 1500, 4000], neighbours: [1000, 10000] },
  tuneOn: 'ranking',
  needsRatedMovies: true,
  create: (params, seed) => new EaseRecommender(params, seed),
});
