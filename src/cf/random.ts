import type { MovieId, UserId } from '../domain.js';
import { hashInts, seededRandom } from '../math/random.js';
import { defineModel, type RecommendOptions, type Recommender, type Scored, type TrainingSet } from '../recommender.js';
import { interactionMatrix, type InteractionMatrix } from './interactions.js';
import { fitted, rankMovies } from './ranking.js';

/** Uniformly random movies: the floor that every model must clear by a wide margin. */
class RandomRecommender implements Recommender {
  private matrix?: InteractionMatrix;

  constructor(private readonly seed: number) {}

  async fit(train: TrainingSet): Promise<void> {
    this.matrix = interactionMatrix(train);
  }

  recommend(userId: UserId, n: number, options: RecommendOptions = {}): Scored[] {
    return rankMovies(this.state(), this.randomScores(0, userId), n, options.exclude);
  }

  similarItems(movieId: MovieId, n: number): Scored[] {
    const index = this.state().movieIndex.get(movieId);
    return index === undefined ? [] : rankMovies(this.state(), this.randomScores(1, movieId), n, undefined, index);
  }

  /** Seeded per query, so a user's list does not depend on which users were asked before. */
  private randomScores(kind: number, id: number): Float32Array {
    const random = seededRandom(hashInts(this.seed, kind, id));
    return Float32Array.from(this.state().movieIds, () => random());
  }

  private state(): InteractionMatrix {
    return fitted(this.matrix, 'random');
  }
}

export const randomModel = defineModel({
  name: 'random',
  description: 'uniformly random movies',
  defaults: {},
  grid: {},
  tuneOn: 'ranking',
  create: (_params, seed) => new RandomRecommender(seed),
});
