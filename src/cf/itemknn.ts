import type { MovieId, UserId } from '../domain.js';
import { topK } from '../math/topk.js';
import { defineModel, type RecommendOptions, type Recommender, type Scored, type TrainingSet } from '../recommender.js';
import { interactionMatrix, type InteractionMatrix } from './interactions.js';
import { fitted, rankMovies } from './ranking.js';

type ItemKnnParams = {
  /** Neighbours kept per movie. */
  neighbours: number;
  /** Added to the cosine's denominator: pulls similarities resting on few co-raters towards zero. */
  shrink: number;
};

interface ItemKnnState {
  matrix: InteractionMatrix;
  /** Row m holds movie m's neighbours at [m·neighbours, m·neighbours + neighbourCount[m]). */
  neighbourIndex: Int32Array;
  neighbourSimilarity: Float32Array;
  neighbourCount: Int32Array;
}

/**
 * Item-based kNN over the implicit (rated / not rated) matrix: cosine similarity with shrinkage, the top neighbours
 * kept per movie, and a user's score for a movie = the sum of its similarities to the movies the user rated.
 */
class ItemKnnRecommender implements Recommender {
  private state?: ItemKnnState;

  constructor(private readonly params: ItemKnnParams) {}

  async fit(train: TrainingSet): Promise<void> {
    const matrix = interactionMatrix(train);
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
    this.state = { matrix, neighbourIndex, neighbourSimilarity, neighbourCount };
  }

  recommend(userId: UserId, n: number, options: RecommendOptions = {}): Scored[] {
    const { matrix, neighbourIndex, neighbourSimilarity, neighbourCount } = fitted(this.state, 'itemknn');
    const user = matrix.userIndex.get(userId);
    if (user === undefined) return [];
    const scores = new Float32Array(matrix.movieIds.length);
    const { indptr, indices } = matrix.byUser;
    const width = this.params.neighbours;
    for (let k = indptr[user]!; k < indptr[user + 1]!; k++) {
      const rated = indices[k]!;
      for (let slot = rated * width, end = slot + neighbourCount[rated]!; slot < end; slot++) {
        scores[neighbourIndex[slot]!]! += neighbourSimilarity[slot]!;
      }
    }
    return rankMovies(matrix, scores, n, options.exclude);
  }

  similarItems(movieId: MovieId, n: number): Scored[] {
    const { matrix } = fitted(this.state, 'itemknn');
    const movie = matrix.movieIndex.get(movieId);
    if (movie === undefined) return [];
    const row = new SimilarityRow(matrix, this.params.shrink).compute(movie);
    return Array.from(row.top(n), (index) => ({ movieId: matrix.movieIds[index]!, score: row.similarity[index]! }));
  }
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

  /** The n most similar movies of the last computed row, the movie itself left out. */
  top(n: number): Int32Array {
    const candidates = this.touched.subarray(0, this.touchedCount).filter((other) => other !== this.movie);
    return topK(this.similarity, n, { among: candidates });
  }
}

export const itemKnnModel = defineModel<ItemKnnParams>({
  name: 'itemknn',
  description: 'item-kNN: cosine with shrinkage over the implicit matrix',
  defaults: { neighbours: 400, shrink: 50 },
  grid: { neighbours: [25, 100, 400], shrink: [0, 10, 50] },
  tuneOn: 'ranking',
  create: (params) => new ItemKnnRecommender(params),
});
