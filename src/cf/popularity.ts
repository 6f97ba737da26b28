import type { MovieId } from '../domain.js';
import { defineModel, type RecommendOptions, type Recommender, type Scored, type TrainingSet } from '../recommender.js';
import { interactionMatrix, type InteractionMatrix } from './interactions.js';
import { fitted, rankMovies } from './ranking.js';

type PopularityParams = {
  /** Only ratings at or above this count; 0.5 counts every rating ("most watched"), 4 only the liked ones. */
  minRating: number;
};

/** The same list for everyone: the movies rated by the most training users. */
class PopularityRecommender implements Recommender {
  private state?: { matrix: InteractionMatrix; counts: Float32Array };

  constructor(private readonly params: PopularityParams) {}

  async fit(train: TrainingSet): Promise<void> {
    const matrix = interactionMatrix(train);
    const counts = new Float32Array(matrix.movieIds.length);
    const { indptr, values } = matrix.byMovie;
    for (let movie = 0; movie < counts.length; movie++) {
      for (let k = indptr[movie]!; k < indptr[movie + 1]!; k++) if (values[k]! >= this.params.minRating) counts[movie]!++;
    }
    this.state = { matrix, counts };
  }

  recommend(_userId: number, n: number, options: RecommendOptions = {}): Scored[] {
    const { matrix, counts } = fitted(this.state, 'pop');
    return rankMovies(matrix, counts, n, options.exclude);
  }

  similarItems(movieId: MovieId, n: number): Scored[] {
    const { matrix, counts } = fitted(this.state, 'pop');
    const index = matrix.movieIndex.get(movieId);
    return index === undefined ? [] : rankMovies(matrix, counts, n, undefined, index);
  }
}

export const popularityModel = defineModel<PopularityParams>({
  name: 'pop',
  description: 'most-rated movies in training',
  defaults: { minRating: 0.5 },
  grid: { minRating: [0.5, 4] },
  tuneOn: 'ranking',
  create: (params) => new PopularityRecommender(params),
});
