/**
 * Content-only recommenders: a user's taste in one movie space (text, image, a fusion, the DNA) and the movies
 * nearest to it by cosine. They need no rating of a movie to rank it, so they can recommend a brand-new one.
 */
import { requireArray, type Artifact, type ArtifactArray } from '../artifacts.js';
import { MatrixRecommender, userHistory, type UserHistory } from '../cf/ranking.js';
import { UsageError } from '../errors.js';
import { requireContentSpace, type ContentKind } from '../fuse/inputs.js';
import { userTimelines, type InteractionMatrix, type Timelines } from '../interactions.js';
import { matVec, normaliseRows } from '../math/vector.js';
import type { Progress } from '../progress.js';
import { defineModel, type ModelDefinition, type ModelParams, type RecommendQuery, type TrainingSet } from '../recommender.js';
import { RATING_WEIGHTED, type RatedRows, type TasteRule } from './taste.js';

/** Vectors by movie: row i of the row-major `vectors` (ids.length × dim) is movie ids[i]'s. */
export interface MovieSpace {
  ids: ArrayLike<number>;
  vectors: Float32Array;
  dim: number;
}

/**
 * Where a content model's space comes from, called inside `fit` so that a space learned from ratings (the DNA's
 * co-rated task) is learned from the training set only; `train.vectors` reads stored spaces through the leakage guard.
 */
export type SpaceProvider<P extends ModelParams = ModelParams> = (train: TrainingSet, params: P, seed: number, progress?: Progress) => Promise<MovieSpace>;

/** A movie space placed on the training matrix's movie indices, as every content model holds it. */
export interface ContentState {
  /** matrix movies × dim, unit rows; a zero row for a movie the space has no vector for. */
  vectors: Float32Array;
  /** 1 where the movie has a vector: the others score NaN and are never recommended. */
  hasVector: Uint8Array;
  dim: number;
  /** The training users' ratings in time order, kept when a taste reads the order of a history. */
  timelines?: Timelines;
}

/**
 * What every model that ranks by cosine in one movie space shares: fitting the space inside `fit`, scoring every movie
 * against a taste (the query's own, a free-text one, or the one a subclass makes of the history), similar movies by
 * cosine, and saving the space (and the timelines, when kept).
 */
export abstract class SpaceRecommender<State extends ContentState, P extends ModelParams = ModelParams> extends MatrixRecommender<State, P> {
  constructor(
    readonly name: string,
    private readonly provider: SpaceProvider<P>,
    params: P,
    seed: number,
  ) {
    super(params, seed);
  }

  /** The taste a history makes, or null when it makes none; `query` says whose history it is. */
  protected abstract historyTaste(state: State, history: UserHistory, query: RecommendQuery): Float32Array | null;

  /** The space aligned on the matrix, with the training timelines when `ordered`. */
  protected async fitSpace(matrix: InteractionMatrix, train: TrainingSet, ordered: boolean, progress?: Progress): Promise<ContentState> {
    const state = alignSpace(this.name, matrix, await this.provider(train, this.params, this.seed, progress));
    return ordered ? { ...state, timelines: userTimelines(matrix, train.interactions) } : state;
  }

  /** `query.taste` when given (a free-text query embedded in this space), else the taste of the history. */
  protected userScores(state: State, _matrix: InteractionMatrix, history: UserHistory, query: RecommendQuery): Float32Array | null {
    const taste = this.tasteOf(state, history, query);
    return taste ? cosines(state, taste) : null;
  }

  /** The taste `userScores` ranks by, for a query against the training matrix. */
  protected userScoresTaste(state: State, matrix: InteractionMatrix, query: RecommendQuery): Float32Array | null {
    return this.tasteOf(state, userHistory(matrix, query), query);
  }

  private tasteOf(state: State, history: UserHistory, query: RecommendQuery): Float32Array | null {
    return query.taste ? this.checkedTaste(query.taste, state.dim) : this.historyTaste(state, history, query);
  }

  /** A movie without a vector has no neighbours: its zero row would call every movie equally (un)like it. */
  protected similarScores(state: State, matrix: InteractionMatrix, movie: number): Float32Array {
    if (!state.hasVector[movie]) return new Float32Array(matrix.movieIds.length).fill(Number.NaN);
    return cosines(state, state.vectors.subarray(movie * state.dim, (movie + 1) * state.dim));
  }

  protected stateArrays({ vectors, hasVector, dim, timelines }: State): Record<string, ArtifactArray> {
    const arrays = { vectors, hasVector, dim: Int32Array.of(dim) };
    return timelines ? { ...arrays, timelineMovies: timelines.movies, timelineRatings: timelines.ratings, timelineTimestamps: timelines.timestamps } : arrays;
  }

  protected restoreSpace(artifact: Artifact, matrix: InteractionMatrix, ordered: boolean): ContentState {
    const dim = requireArray(artifact, 'dim', Int32Array)[0]!;
    const vectors = requireArray(artifact, 'vectors', Float32Array);
    const hasVector = requireArray(artifact, 'hasVector', Uint8Array);
    if (hasVector.length !== matrix.movieIds.length || vectors.length !== hasVector.length * dim) {
      throw new Error(`${this.name}: saved space of ${vectors.length} values does not fit ${matrix.movieIds.length} movies × ${dim} dimensions`);
    }
    if (!ordered) return { vectors, hasVector, dim };
    const timelines = {
      indptr: matrix.byUser.indptr,
      movies: requireArray(artifact, 'timelineMovies', Int32Array),
      ratings: requireArray(artifact, 'timelineRatings', Float32Array),
      timestamps: requireArray(artifact, 'timelineTimestamps', Float64Array),
    };
    if (timelines.movies.length !== matrix.byUser.indices.length) {
      throw new Error(`${this.name}: saved timelines of ${timelines.movies.length} ratings do not fit a matrix of ${matrix.byUser.indices.length}`);
    }
    return { vectors, hasVector, dim, timelines };
  }

  /** A unit-length copy of the query's taste; one of another dimension was embedded in another space. */
  private checkedTaste(taste: Float32Array, dim: number): Float32Array | null {
    if (taste.length !== dim) throw new UsageError(`${this.name}: a taste of ${taste.length} dimensions, but this model's space has ${dim}`);
    const unit = normaliseRows(Float32Array.from(taste), dim);
    return unit.some((value) => value !== 0) ? unit : null;
  }
}

/**
 * Ranks every movie with a vector by its cosine to the user's taste in one movie space; `rule` (src/profile/taste.ts)
 * says how a history makes a taste: the rating-weighted mean by default, or the weighted profile.
 */
export class ContentRecommender<P extends ModelParams = ModelParams> extends SpaceRecommender<ContentState, P> {
  constructor(
    name: string,
    provider: SpaceProvider<P>,
    params: P,
    seed: number,
    private readonly rule: TasteRule = RATING_WEIGHTED,
  ) {
    super(name, provider, params, seed);
  }

  protected fitState(matrix: InteractionMatrix, train: TrainingSet, progress?: Progress): Promise<ContentState> {
    return this.fitSpace(matrix, train, this.rule.ordered, progress);
  }

  protected historyTaste(state: ContentState, history: UserHistory): Float32Array | null {
    return this.rule.taste(state.vectors, state.dim, ratedRows(state, history));
  }

  protected restoreState(artifact: Artifact, matrix: InteractionMatrix): ContentState {
    return this.restoreSpace(artifact, matrix, this.rule.ordered);
  }
}

/** A known user's training history in time order when the state keeps timelines; else the history as it came. */
export function ratedRows({ timelines }: ContentState, history: UserHistory): RatedRows {
  if (!timelines || history.user === undefined) return history;
  const from = timelines.indptr[history.user]!;
  const to = timelines.indptr[history.user + 1]!;
  return { movies: timelines.movies.subarray(from, to), ratings: timelines.ratings.subarray(from, to), timestamps: timelines.timestamps.subarray(from, to) };
}

/** The space's vectors placed on the matrix's movie indices, unit length; movies outside the matrix are dropped. */
function alignSpace(name: string, matrix: InteractionMatrix, space: MovieSpace): ContentState {
  const { ids, dim } = space;
  if (!(dim > 0) || space.vectors.length !== ids.length * dim) {
    throw new Error(`${name}: a space of ${space.vectors.length} values is not ${ids.length} movies × ${dim} dimensions`);
  }
  const movies = matrix.movieIds.length;
  const vectors = new Float32Array(movies * dim);
  const hasVector = new Uint8Array(movies);
  for (let row = 0; row < ids.length; row++) {
    const movie = matrix.movieIndex.get(ids[row]!);
    if (movie === undefined) continue;
    vectors.set(space.vectors.subarray(row * dim, (row + 1) * dim), movie * dim);
    hasVector[movie] = 1;
  }
  return { vectors: normaliseRows(vectors, dim), hasVector, dim };
}

/** Cosine of every movie to a unit vector; NaN for movies without a vector, so they never rank. */
function cosines(state: ContentState, unit: Float32Array): Float32Array {
  const scores = matVec(state.vectors, state.dim, unit);
  for (let movie = 0; movie < scores.length; movie++) if (!state.hasVector[movie]) scores[movie] = Number.NaN;
  return scores;
}

/** A content-only model by name: one line in the registry per space (text, image, a fixed fusion, the DNA). */
export function contentModel<P extends ModelParams = ModelParams>(spec: {
  name: string;
  description: string;
  provider: SpaceProvider<P>;
  defaults?: P;
  grid?: ModelDefinition<P>['grid'];
  /** How a history makes a taste; the rating-weighted mean by default. */
  taste?: TasteRule;
}): ModelDefinition {
  return defineModel<P>({
    name: spec.name,
    description: spec.description,
    defaults: spec.defaults ?? ({} as P),
    grid: spec.grid ?? {},
    tuneOn: 'ranking',
    // A content model ranks from vectors, so the held-out movies of cold-items are within its reach.
    needsRatedMovies: false,
    create: (params, seed) => new ContentRecommender(spec.name, spec.provider, params, seed, spec.taste),
  });
}

/** The store's preferred movie space of a content kind (src/fuse/inputs.ts), read through the training set's leakage guard. */
export function storedContentSpace(kind: ContentKind): SpaceProvider {
  return async (train) => {
    if (!train.vectors) {
      throw new UsageError(
        `content-${kind} ranks by movie ${kind} vectors, but this training set reads no vector store: run \`reelsense encode\` and evaluate on that store`,
      );
    }
    const set = await requireContentSpace(train.vectors, kind);
    return { ids: set.ids, vectors: set.vectors, dim: set.space.dim };
  };
}
