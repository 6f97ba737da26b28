import { MAX_RATING, MIN_RATING, type MovieId, type UserId } from '../domain.js';
import type { Progress } from '../progress.js';
import { gaussianMatrix, seededRandom, shuffle } from '../math/random.js';
import { dot, matVec } from '../math/vector.js';
import { defineModel, type RecommendOptions, type Recommender, type Scored, type TrainingSet } from '../recommender.js';
import { similarByFactors, unitFactors } from './factors.js';
import { interactionMatrix, type InteractionMatrix } from './interactions.js';
import { fitted, rankMovies } from './ranking.js';

type BiasedMfParams = {
  factors: number;
  learningRate: number;
  regularization: number;
  epochs: number;
};

interface BiasedMfState {
  matrix: InteractionMatrix;
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
 */
class BiasedMfRecommender implements Recommender {
  private state?: BiasedMfState;

  constructor(
    private readonly params: BiasedMfParams,
    private readonly seed: number,
  ) {}

  async fit(train: TrainingSet, progress?: Progress): Promise<void> {
    const matrix = interactionMatrix(train);
    const { factors: dim, learningRate, regularization, epochs } = this.params;
    const random = seededRandom(this.seed);
    const { indptr, indices, values } = matrix.byUser;
    const userOf = new Int32Array(indices.length);
    for (let user = 0; user < matrix.userIds.length; user++) userOf.fill(user, indptr[user]!, indptr[user + 1]!);
    const mean = values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : (MIN_RATING + MAX_RATING) / 2;
    const userBias = new Float32Array(matrix.userIds.length);
    const movieBias = new Float32Array(matrix.movieIds.length);
    const userFactors = gaussianMatrix(matrix.userIds.length, dim, 0.1, random);
    const movieFactors = gaussianMatrix(matrix.movieIds.length, dim, 0.1, random);
    const order = Array.from(indices.keys());
    const bar = progress?.('fit biased-mf', epochs);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const k of shuffle(order, random)) {
        const user = userOf[k]!;
        const movie = indices[k]!;
        const u = user * dim;
        const m = movie * dim;
        const error = values[k]! - (mean + userBias[user]! + movieBias[movie]! + dot(userFactors, movieFactors, dim, u, m));
        userBias[user]! += learningRate * (error - regularization * userBias[user]!);
        movieBias[movie]! += learningRate * (error - regularization * movieBias[movie]!);
        for (let f = 0; f < dim; f++) {
          const pu = userFactors[u + f]!;
          const qi = movieFactors[m + f]!;
          userFactors[u + f] = pu + learningRate * (error * qi - regularization * pu);
          movieFactors[m + f] = qi + learningRate * (error * pu - regularization * qi);
        }
      }
      bar?.tick();
    }
    bar?.done();
    this.state = { matrix, mean, userBias, movieBias, userFactors, movieFactors, unitMovieFactors: unitFactors(movieFactors, dim) };
  }

  recommend(userId: UserId, n: number, options: RecommendOptions = {}): Scored[] {
    const { matrix } = fitted(this.state, 'biased-mf');
    const user = matrix.userIndex.get(userId);
    if (user === undefined) return [];
    const { mean, userBias, movieBias, userFactors, movieFactors } = fitted(this.state, 'biased-mf');
    // Ranked by the unclamped prediction: clamping at 5 stars would turn the top of the list into ties.
    const scores = matVec(movieFactors, this.params.factors, userFactors, user * this.params.factors);
    for (let movie = 0; movie < scores.length; movie++) scores[movie]! += mean + userBias[user]! + movieBias[movie]!;
    return rankMovies(matrix, scores, n, options.exclude);
  }

  similarItems(movieId: MovieId, n: number): Scored[] {
    const { matrix, unitMovieFactors } = fitted(this.state, 'biased-mf');
    return similarByFactors(matrix, unitMovieFactors, this.params.factors, movieId, n);
  }

  /** Unknown users or movies fall back to the terms that are known: μ + b_i, μ + b_u, or μ. */
  predictRating(userId: UserId, movieId: MovieId): number {
    const { matrix } = fitted(this.state, 'biased-mf');
    return this.predictIndices(matrix.userIndex.get(userId), matrix.movieIndex.get(movieId));
  }

  private predictIndices(user: number | undefined, movie: number | undefined): number {
    const { mean, userBias, movieBias, userFactors, movieFactors } = fitted(this.state, 'biased-mf');
    const dim = this.params.factors;
    let prediction = mean;
    if (user !== undefined) prediction += userBias[user]!;
    if (movie !== undefined) prediction += movieBias[movie]!;
    if (user !== undefined && movie !== undefined) prediction += dot(userFactors, movieFactors, dim, user * dim, movie * dim);
    return Math.min(MAX_RATING, Math.max(MIN_RATING, prediction));
  }
}

export const biasedMfModel = defineModel<BiasedMfParams>({
  name: 'biased-mf',
  description: 'explicit-rating matrix factorisation with biases (SGD)',
  defaults: { factors: 64, learningRate: 0.01, regularization: 0.05, epochs: 20 },
  grid: { factors: [16, 64], regularization: [0.02, 0.05, 0.1] },
  tuneOn: 'rating',
  create: (params, seed) => new BiasedMfRecommender(params, seed),
});
