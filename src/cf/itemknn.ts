import { requireArray, type Artifact } from '../artifacts.js';
import { UsageError } from '../errors.js';
import type { InteractionMatrix } from '../interactions.js';
import { topK } from '../math/topk.js';
import { defineModel } from '../recommender.js';
import { MatrixRecommender, type UserHistory } from './ranking.js';

type ItemKnnParams = {
  /** Neighbours kept per movie. */
  neighbours: number;
  /** Added to the cosine's denominator: pulls similarities resting on few co-raters towards zero. */
  shrink: number;
};

interface ItemKnnState {
  /** Row m holds movie m's neighbours at [m·neighbours, m·neighbours + neighbourCount[m]). */
  neighbourIndex: Int32Array;
  neighbourSimilarity: Float32Array;
  neighbourCount: Int32Array;
}

/**
 * Co-rating pairs counted in one fit (Σ over users of their ratings squared): about a minute on 2 cores. Past it
 * (ml-25m has ~10¹¹) item-kNN refuses up front instead of running for hours.
 */
export const MAX_CO_RATING_PAIRS = 4e9;

/**
 * Item-based kNN over the implicit (rated / not rated) matrix: cosine similarity with shrinkage, the top neighbours
 * kept per movie, and a user's score for a movie = the sum of its similarities to the movies the user rated.
 */
class ItemKnnRecommender extends MatrixRecommender<ItemKnnState, ItemKnnParams> {
  readonly name = 'itemknn';

  protected fitState(matrix: InteractionMatrix): ItemKnnState {
    const pairs = coRatingPairs(matrix);
    if (pairs > MAX_CO_RATING_PAIRS) {
      throw new UsageError(
        `itemknn: these ratings make ${pairs.toExponential(1)} co-rating pairs to count, more than the ${MAX_CO_RATING_PAIRS.toExponential(0)} ` +
          "that fit in minutes on this machine (exact item-item similarity grows with the square of each user's ratings); evaluate pop, mf or ease instead",
      );
    }
    const movies = matrix.movieIds.length;
    const width = this.params.neighbours;
    const neighbourIndex = new Int32Array(movies * width);
    const neighbourSimilarity = new Float32Array(movies * width);
    const neighbourCount = new Int32Array(movies);
    const row = new SimilarityRow(matrix, this.params.shrink);
    for (let movie = 0; movie < movies; movie++) {
      const best = row.compute(movie).top(width);
      neighbourCount[movie] = best.length;
      best.forEach((neighbour, rank) => {
        neighbourIndex[movie * width + rank] = neighbour;
        neighbourSimilarity[movie * width + rank] = row.similarity[neighbour]!;
      });
    }
    return { neighbourIndex, neighbourSimilarity, neighbourCount };
  }

  protected userScores(state: ItemKnnState, matrix: InteractionMatrix, history: UserHistory): Float32Array | null {
    if (history.movies.length === 0) return null;
    const { neighbourIndex, neighbourSimilarity, neighbourCount } = state;
    const scores = new Float32Array(matrix.movieIds.length);
    const width = this.params.neighbours;
    for (const rated of history.movies) {
      for (let slot = rated * width, end = slot + neighbourCount[rated]!; slot < end; slot++) {
        scores[neighbourIndex[slot]!]! += neighbourSimilarity[slot]!;
      }
    }
    return scores;
  }

  /** Every movie that shares a rater with this one; the rest cannot be called similar and never qualify. */
  protected similarScores(_state: ItemKnnState, matrix: InteractionMatrix, movie: number): Float32Array {
    const row = new SimilarityRow(matrix, this.params.shrink).compute(movie);
    const scores = new Float32Array(matrix.movieIds.length).fill(Number.NEGATIVE_INFINITY);
    for (const other of row.touchedMovies()) scores[other] = row.similarity[other]!;
    return scores;
  }

  protected stateArrays(state: ItemKnnState) {
    return { ...state };
  }

  protected restoreState(artifact: Artifact): ItemKnnState {
    return {
      neighbourIndex: requireArray(artifact, 'neighbourIndex', Int32Array),
      neighbourSimilarity: requireArray(artifact, 'neighbourSimilarity', Float32Array),
      neighbourCount: requireArray(artifact, 'neighbourCount', Int32Array),
    };
  }
}

function coRatingPairs(matrix: InteractionMatrix): number {
  let pairs = 0;
  for (let user = 0; user < matrix.userIds.length; user++) pairs += (matrix.byUser.indptr[user + 1]! - matrix.byUser.indptr[user]!) ** 2;
  return pairs;
}

/**
 * One movie's similarity to every movie that shares a rater with it, from co-rating counts accumulated over its
 * raters' histories. Buffers are reused from movie to movie; only the touched entries are reset.
 */
class SimilarityRow {
  readonly similarity: Float32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private movie = -1;

  constructor(
    private readonly matrix: InteractionMatrix,
    private readonly shrink: number,
  ) {
    this.similarity = new Float32Array(matrix.movieIds.length);
    this.touched = new Int32Array(matrix.movieIds.length);
  }

  compute(movie: number): this {
    for (let t = 0; t < this.touchedCount; t++) this.similarity[this.touched[t]!] = 0;
    this.touchedCount = 0;
    this.movie = movie;
    const { byMovie, byUser } = this.matrix;
    for (let k = byMovie.indptr[movie]!; k < byMovie.indptr[movie + 1]!; k++) {
      const user = byMovie.indices[k]!;
      for (let j = byUser.indptr[user]!; j < byUser.indptr[user + 1]!; j++) {
        const other = byUser.indices[j]!;
        if (this.similarity[other] === 0) this.touched[this.touchedCount++] = other;
        this.similarity[other]!++;
      }
    }
    const raters = (index: number) => byMovie.indptr[index + 1]! - byMovie.indptr[index]!;
    const norm = Math.sqrt(raters(movie));
    for (let t = 0; t < this.touchedCount; t++) {
      const other = this.touched[t]!;
      this.similarity[other] = this.similarity[other]! / (norm * Math.sqrt(raters(other)) + this.shrink);
    }
    return this;
  }

  /** The movies that share a rater with the last computed one, itself left out. */
  touchedMovies(): Int32Array {
    return this.touched.subarray(0, this.touchedCount).filter((other) => other !== this.movie);
  }

  /** The n most similar movies of the last computed row. */
  top(n: number): Int32Array {
    return topK(this.similarity, n, { among: this.touchedMovies() });
  }
}

export const itemKnnModel = defineModel<ItemKnnParams>({
  name: 'itemknn',
  description: 'item-kNN: cosine with shrinkage over the implicit matrix',
  defaults: { neighbours: 400, shrink: 50 },
  grid: { neighbours: [25, 100, 400], shrink: [0, 10, 50] },
  tuneOn: 'ranking',
  needsRatedMovies: true,
  create: (params, seed) => new ItemKnnRecommender(params, seed),
});
