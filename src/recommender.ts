/**
 * The one interface every recommender implements, from the random baseline to the full pipeline, in the spirit of
 * Python's `implicit`: fit on training data, then recommend for a user, find similar movies, and optionally
 * predict a rating. `evaluate` builds models by name from src/models.ts and treats them all alike.
 */
import type { Movie, MovieId, Rating, UserId } from './domain.js';
import type { Progress } from './progress.js';

/** Everything a model may learn from: the catalog and the training ratings. Held-out ratings never appear here. */
export interface TrainingSet {
  readonly movies: readonly Movie[];
  readonly ratings: readonly Rating[];
}

export interface Scored {
  movieId: MovieId;
  score: number;
}

export interface RecommendOptions {
  /** Movies never to return, e.g. the ones the user already rated. Nothing is excluded unless listed here. */
  exclude?: ReadonlySet<MovieId>;
}

export interface Recommender {
  fit(train: TrainingSet, progress?: Progress): Promise<void>;
  /** Up to n movies, best first; empty for a user the training set does not know when the model needs history. */
  recommend(userId: UserId, n: number, options?: RecommendOptions): Scored[];
  /** Up to n other movies most like this one, best first. */
  similarItems(movieId: MovieId, n: number): Scored[];
  /** An expected rating on the MovieLens scale, for models that model ratings. */
  predictRating?(userId: UserId, movieId: MovieId): number;
}

export type ParamValue = number | string | boolean;
export type ModelParams = Record<string, ParamValue>;

/** How a model is built by name, and which of its hyper-parameters are tuned on a validation split. */
export interface ModelDefinition<P extends ModelParams = ModelParams> {
  name: string;
  description: string;
  /** Used with --no-tune; the baselines' are what tuning chose on the temporal validation split of ml-latest-small (seed 1). */
  defaults: P;
  /** Values to try per parameter (the grid is their Cartesian product); parameters not listed keep their default. */
  grid: { [K in keyof P]?: readonly P[K][] };
  /** What picks the parameters on validation: ranking accuracy (nDCG@k) or rating error (RMSE). */
  tuneOn: 'ranking' | 'rating';
  create(params: P, seed: number): Recommender;
}

/** Erases a definition's parameter type so definitions with different parameters can share one registry. */
export function defineModel<P extends ModelParams>(definition: ModelDefinition<P>): ModelDefinition {
  return definition as unknown as ModelDefinition;
}
