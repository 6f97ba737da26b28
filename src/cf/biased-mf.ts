import { requireArray, type Artifact } from '../artifacts.js';
import { MAX_RATING, MIN_RATING, type MovieId, type UserId } from '../domain.js';
import type { InteractionMatrix } from '../interactions.js';
import { gaussianMatrix, seededRandom, shuffle, type Random } from '../math/random.js';
import { dot, matVec } from '../math/vector.js';
import type { Progress } from '../progress.js';
import { defineModel } from '../recommender.js';
import { unitFactors } from './factors.js';
import { MatrixRecommender, type UserHistory } from './ranking.js';

type BiasedMfParams = {
  factors: number;
  learningRate: number;
  regularization: number;
  epochs: number;
};

interface BiasedMfState {
  mean: number;
  userBias: Float32Array;
  movieBias: Float32Array;
  userFactors: Float32Array;
  movieFactors: Float32Array;
  unitMovieFactors: Float32Array;
}

/**
 * Explicit-rating matrix factorisation with biases (Koren 2009, "SVD" in Surprise): r̂ = μ + b_u + b_i + p_u·q_i,
 * fitted by stochastic gradient descent. It predicts ratings (RMSE, MAE); its top-n list ranks by predicted rating.
 * A history the training set did not have is folded in: its user terms are fitted by the same SGD, movies fixed.
 */
class BiasedMfRecommender extends MatrixRecommender<BiasedMfState, BiasedMfParams> {
  readonly name = 'biased-mf';

  protected fitState(matrix: InteractionMatrix, _train: unknown, progress?: Progress): BiasedMfState {
    const { factors: dim, epochs } = this.params;
    const random = seededRandom(this.seed);
    const { indptr, indices, values } = matrix.byUser;
    const userOf = new Int32Array(indices.length);
    for (let user = 0; user < matrix.userIds.length; user++) userOf.fill(user, indptr[user], indptr[user + 1]);
    let sum = 0;
    for (const value of values) sum += value;
    const mean = values.length ? sum / values.length : (MIN_RATING + MAX_RATING) / 2;
    const state: BiasedMfState = {
      mean,
      userBias: new Float32Array(matrix.userIds.length),
      movieBias: new Float32Array(matrix.movieIds.length),
      userFactors: gaussianMatrix(matrix.userIds.length, dim, 0.1, random),
      movieFactors: gaussianMatrix(matrix.movieIds.length, dim, 0.1, random),
      unitMovieFactors: new Float32Array(0),
    };
    const order = Array.from(indices.keys());
    const bar = progress?.('fit biased-mf', epochs);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const k of shuffle(order, random)) this.step(state, userOf[k]!, indices[k]!, values[k]!, true);
      bar?.tick();
    }
    bar?.done();
    return { ...state, unitMovieFactors: unitFactors(state.movieFactors, dim) };
  }

  /** One SGD step on one rating; the movie's terms move only while fitting, not while folding in a new user. */
  private step(state: BiasedMfState, user: number, movie: number, rating: number, moveMovie: boolean): void {
    const { factors: dim, learningRate, regularization } = this.params;
    const { userBias, movieBias, userFactors, movieFactors } = state;
    const u = user * dim;
    const m = movie * dim;
    const error = rating - (state.mean + userBias[user]! + movieBias[movie]! + dot(userFactors, movieFactors, dim, u, m));
    userBias[user]! += learningRate * (error - regularization * userBias[user]!);
    if (moveMovie) movieBias[movie]! += learningRate * (error - regularization * movieBias[movie]!);
    for (let f = 0; f < dim; f++) {
      const pu = userFactors[u + f]!;
      const qi = movieFactors[m + f]!;
      userFactors[u + f] = pu + learningRate * (error * qi - regularization * pu);
      if (moveMovie) movieFactors[m + f] = qi + learningRate * (error * pu - regularization * qi);
    }
  }

  /** A user's bias and factors: the trained ones, or fitted on the spot to a history the training set did not have. */
  private userTerms(state: BiasedMfState, history: UserHistory): { bias: number; factors: Float32Array } | null {
    const dim = this.params.factors;
    if (history.user !== undefined) return { bias: state.userBias[history.user]!, factors: state.userFactors.subarray(history.user * dim, (history.user + 1) * dim) };
    if (history.movies.length === 0) return null;
    const random: Random = seededRandom(this.seed);
    const folded: BiasedMfState = { ...state, userBias: new Float32Array(1), userFactors: gaussianMatrix(1, dim, 0.1, random) };
    const order = Array.from(history.movies.keys());
    for (let epoch = 0; epoch < this.params.epochs; epoch++) {
      for (const k of shuffle(order, random)) this.step(folded, 0, history.movies[k]!, history.ratings[k]!, false);
    }
    return { bias: folded.userBias[0]!, factors: folded.userFactors };
  }

  // Ranked by the unclamped prediction: clamping at 5 stars would turn the top of the list into ties.
  protected userScores(state: BiasedMfState, _matrix: InteractionMatrix, history: UserHistory): Float32Array | null {
    const terms = this.userTerms(state, history);
    if (!terms) return null;
    const scores = matVec(state.movieFactors, this.params.factors, terms.factors);
    for (let movie = 0; movie < scores.length; movie++) scores[movie]! += state.mean + terms.bias + state.movieBias[movie]!;
    return scores;
  }

  protected similarScores(state: BiasedMfState, _matrix: InteractionMatrix, movie: number): Float32Array {
    const dim = this.params.factors;
    return matVec(state.unitMovieFactors, dim, state.unitMovieFactors, movie * dim);
  }

  /** Unknown users or movies fall back to the terms that are known: μ + b_i, μ + b_u, or μ. */
  predictRating(userId: UserId, movieId: MovieId): number {
    const { matrix, state } = this.require();
    const user = matrix.userIndex.get(userId);
    const movie = matrix.movieIndex.get(movieId);
    const dim = this.params.factors;
    let prediction = state.mean;
    if (user !== undefined) prediction += state.userBias[user]!;
    if (movie !== undefined) prediction += state.movieBias[movie]!;
    if (user !== undefined && movie !== undefined) prediction += dot(state.userFactors, state.movieFactors, dim, user * dim, movie * dim);
    return Math.min(MAX_RATING, Math.max(MIN_RATING, prediction));
  }

  protected stateArrays({ mean, userBias, movieBias, userFactors, movieFactors }: BiasedMfState) {
    return { mean: Float64Array.of(mean), userBias, movieBias, userFactors, movieFactors };
  }

  protected restoreState(artifact: Artifact): BiasedMfState {
    const movieFactors = requireArray(artifact, 'movieFactors', Float32Array);
    return {
      mean: requireArray(artifact, 'mean', Float64Array)[0]!,
      userBias: requireArray(artifact, 'userBias', Float32Array),
      movieBias: requireArray(artifact, 'movieBias', Float32Array),
      userFactors: requireArray(artifact, 'userFactors', Float32Array),
      movieFactors,
      unitMovieFactors: unitFactors(movieFactors, this.params.factors),
    };
  }
}

export const biasedMfModel = defineModel<BiasedMfParams>({
  name: 'biased-mf',
  description: 'explicit-rating matrix factorisation with biases (SGD)',
  defaults: { factors: 64, learningRate: 0.01, regularization: 0.05, epochs: 20 },
  grid: { factors: [16, 64], regularization: [0.02, 0.05, 0.1] },
  tuneOn: 'rating',
  needsRatedMovies: true,
  create: (params, seed) => new BiasedMfRecommender(params, seed),
});
