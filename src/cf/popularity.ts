import { requireArray, type Artifact } from '../artifacts.js';
import type { InteractionMatrix } from '../interactions.js';
import { defineModel } from '../recommender.js';
import { MatrixRecommender } from './ranking.js';

type PopularityParams = {
  /** Only ratings at or above this count; 0.5 counts every rating ("most watched"), 4 only the liked ones. */
  minRating: number;
};

interface PopularityState {
  counts: Float32Array;
}

/** The same list for everyone, from the first visit on: the movies rated by the most training users. */
class PopularityRecommender extends MatrixRecommender<PopularityState, PopularityParams> {
  readonly name = 'pop';

  protected fitState(matrix: InteractionMatrix): PopularityState {
    const counts = new Float32Array(matrix.movieIds.length);
    const { indptr, values } = matrix.byMovie;
    for (let movie = 0; movie < counts.length; movie++) {
      for (let k = indptr[movie]!; k < indptr[movie + 1]!; k++) if (values[k]! >= this.params.minRating) counts[movie]!++;
    }
    return { counts };
  }

  protected userScores({ counts }: PopularityState): Float32Array {
    return counts;
  }

  protected similarScores({ counts }: PopularityState): Float32Array {
    return counts;
  }

  protected stateArrays({ counts }: PopularityState) {
    return { counts };
  }

  protected restoreState(artifact: Artifact): PopularityState {
    return { counts: requireArray(artifact, 'counts', Float32Array) };
  }
}

export const popularityModel = defineModel<PopularityParams>({
  name: 'pop',
  description: 'most-rated movies in training',
  defaults: { minRating: 0.5 },
  grid: { minRating: [0.5, 4] },
  tuneOn: 'ranking',
  needsRatedMovies: true,
  create: (params, seed) => new PopularityRecommender(params, seed),
});
