import type { ArtifactArray } from '../artifacts.js';
import type { InteractionMatrix } from '../interactions.js';
import { hashInts, seededRandom } from '../math/random.js';
import { defineModel, type RecommendQuery } from '../recommender.js';
import { MatrixRecommender } from './ranking.js';

/** Uniformly random movies: the floor that every model must clear by a wide margin. */
class RandomRecommender extends MatrixRecommender<object> {
  readonly name = 'random';

  protected fitState(): object {
    return {};
  }

  /** Seeded per user, so a user's list does not depend on which users were asked before. */
  protected userScores(_state: object, matrix: InteractionMatrix, _history: unknown, query: RecommendQuery): Float32Array {
    return this.randomScores(matrix, 0, query.userId ?? 0);
  }

  protected similarScores(_state: object, matrix: InteractionMatrix, movie: number): Float32Array {
    return this.randomScores(matrix, 1, matrix.movieIds[movie]!);
  }

  private randomScores(matrix: InteractionMatrix, kind: number, id: number): Float32Array {
    const random = seededRandom(hashInts(this.seed, kind, id));
    return Float32Array.from(matrix.movieIds, () => random());
  }

  protected stateArrays(): Record<string, ArtifactArray> {
    return {};
  }

  protected restoreState(): object {
    return {};
  }
}

export const randomModel = defineModel({
  name: 'random',
  description: 'uniformly random movies',
  defaults: {},
  grid: {},
  tuneOn: 'ranking',
  needsRatedMovies: false,
  create: (params, seed) => new RandomRecommender(params, seed),
});
