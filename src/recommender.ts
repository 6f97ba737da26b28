/**
 * The one contract every recommender keeps, from the random baseline to the full pipeline, in the spirit of Python's
 * `implicit`: fit on training data, then recommend for a query, score a candidate set, find similar movies, save and
 * load. `evaluate`, the CLI and the server treat every model alike through it.
 */
import { checkTrainedOn, loadArtifact, type Artifact } from './artifacts.js';
import type { Movie, MovieId, UserId } from './domain.js';
import { interactionsFingerprint, type Interactions } from './interactions.js';
import type { Progress } from './progress.js';
import type { Store, VectorSet, VectorSpaceKey } from './store/store.js';
import { spaceName } from './store/vectors.js';

/** Reads a vector space for a model, refusing one fitted on ratings other than the training set's. */
export interface VectorSource {
  read(key: VectorSpaceKey): Promise<VectorSet | null>;
}

/** Where a training set's vector spaces come from: the store (or anything that reads spaces like it). */
export type VectorStoreReader = Pick<Store, 'readVectors'>;

/** Everything a model may learn from: the catalog and the training ratings. Held-out ratings never appear here. */
export interface TrainingSet {
  readonly movies: readonly Movie[];
  readonly interactions: Interactions;
  /** `interactionsFingerprint(interactions)`: what an artifact fitted on this set records as `trainedOn`. */
  readonly trainedOn: string;
  /** The whole dataset the training part was taken from, for manifests; null when unknown. */
  readonly datasetHash: string | null;
  /** Stored vector spaces (text, image, DNA) for content models. */
  readonly vectors?: VectorSource;
  /**
   * Reads an artifact a model builds on (an encoder, a fusion net), refusing one fitted on ratings other than these
   * (the leakage guard: under `evaluate`, anything fitted on held-out ratings).
   */
  loadArtifact(dir: string): Promise<Artifact>;
}

export function trainingSet(parts: { movies: readonly Movie[]; interactions: Interactions; datasetHash?: string | null; vectorStore?: VectorStoreReader }): TrainingSet {
  const { vectorStore, ...rest } = parts;
  const trainedOn = interactionsFingerprint(parts.interactions);
  return {
    ...rest,
    datasetHash: parts.datasetHash ?? null,
    trainedOn,
    ...(vectorStore ? { vectors: guardedVectors(vectorStore, trainedOn) } : {}),
    loadArtifact: async (dir) => {
      const artifact = await loadArtifact(dir);
      checkTrainedOn(`the ${artifact.manifest.kind} "${artifact.manifest.name}" in ${dir}`, artifact.manifest.trainedOn, trainedOn);
      return artifact;
    },
  };
}

/** The store's spaces, each checked on read: one whose producer was fitted on other ratings is refused. */
function guardedVectors(store: VectorStoreReader, trainedOn: string): VectorSource {
  return {
    read: async (key) => {
      const set = await store.readVectors(key);
      if (set) checkTrainedOn(`the vector space ${spaceName(key)}`, set.space.trainedOn, trainedOn);
      return set;
    },
  };
}

/** One rating in a query's history. */
export interface RatedMovie {
  movieId: MovieId;
  rating: number;
  /** Unix seconds. */
  timestamp: number;
}

/**
 * Whom to recommend for. A model uses `history` when it is given (a user the training set never saw, or ratings made
 * since the fit: cold start and online updates need no refit), else the training history of `userId`; `taste` is a
 * point in a content space (a free-text query) for models that have one.
 */
export interface RecommendQuery {
  userId?: UserId;
  /** Oldest first. */
  history?: readonly RatedMovie[];
  taste?: Float32Array;
}

export interface Scored {
  movieId: MovieId;
  score: number;
}

export interface RecommendOptions {
  /** Movies never to return, on top of the rated ones. */
  exclude?: ReadonlySet<MovieId>;
  /** Keep movies the query's history already rated; by default they never come back. */
  includeRated?: boolean;
  /** Only movies for which this holds (genre, year, language filters). */
  filter?: (movieId: MovieId) => boolean;
  /** Relevance–diversity trade-off for models that re-rank with MMR: 1 = pure relevance; models that do not re-rank ignore it. */
  lambda?: number;
}

export interface Recommender {
  readonly name: string;
  fit(train: TrainingSet, progress?: Progress): Promise<void>;
  /** Up to n movies, best first. Empty when the model has nothing to go on (no history, no taste). */
  recommend(query: RecommendQuery, n: number, options?: RecommendOptions): Promise<Scored[]>;
  /** The model's scores for these movies, in their order; NaN where it has nothing to say about a movie. */
  score(query: RecommendQuery, movieIds: readonly MovieId[]): Promise<Float32Array>;
  /** Up to n other movies most like this one, best first. */
  similarItems(movieId: MovieId, n: number): Promise<Scored[]>;
  /** An expected rating on the MovieLens scale, for models that model ratings. */
  predictRating?(userId: UserId, movieId: MovieId): number;
  /** Writes the fitted state as an artifact (src/artifacts.ts): manifest plus arrays, atomically. */
  save(dir: string): Promise<void>;
  /** Restores a state written by `save` of a model of the same name. */
  load(dir: string): Promise<void>;
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
  /**
   * Whether the model ranks from ratings alone, so that held-out movies no training rating mentions can never score
   * (cold-items): tuning it there could choose nothing, and evaluate says so instead.
   */
  needsRatedMovies: boolean;
  /** The model re-ranks by MMR and honours RecommendOptions.lambda: evaluate --lambda-sweep sweeps it. */
  diversifies?: boolean;
  create(params: P, seed: number): Recommender;
}

/** Erases a definition's parameter type so definitions with different parameters can share one registry. */
export function defineModel<P extends ModelParams>(definition: ModelDefinition<P>): ModelDefinition {
  return definition;
}
