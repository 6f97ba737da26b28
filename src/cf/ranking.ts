/**
 * What every collaborative model shares: reading a query's history against the training matrix, turning a score per
 * movie into a filtered top-n, and saving its fitted state with the matrix it was fitted on.
 */
import { loadArtifact, requireArray, saveArtifact, type Artifact, type ArtifactArray } from '../artifacts.js';
import type { MovieId } from '../domain.js';
import { interactionMatrix, type InteractionMatrix } from '../interactions.js';
import { transpose } from '../math/sparse.js';
import { topK } from '../math/topk.js';
import type { Progress } from '../progress.js';
import type { ModelParams, RecommendOptions, RecommendQuery, Recommender, Scored, TrainingSet } from '../recommender.js';

/** The ratings a query stands on, as matrix column indices; `user` is the training row when the query is a known user's. */
export interface UserHistory {
  movies: Int32Array;
  ratings: Float32Array;
  /** The query's timestamps, when its history was given (a training history's are not in the matrix). */
  timestamps?: Float64Array;
  user?: number;
}

/** The query's own history when it has one, else the training history of its user; movies unknown to the matrix are left out. */
export function userHistory(matrix: InteractionMatrix, query: RecommendQuery): UserHistory {
  if (query.history) {
    const known = query.history.filter((entry) => matrix.movieIndex.has(entry.movieId));
    return {
      movies: Int32Array.from(known, (entry) => matrix.movieIndex.get(entry.movieId)!),
      ratings: Float32Array.from(known, (entry) => entry.rating),
      timestamps: Float64Array.from(known, (entry) => entry.timestamp),
    };
  }
  const user = query.userId === undefined ? undefined : matrix.userIndex.get(query.userId);
  if (user === undefined) return { movies: new Int32Array(0), ratings: new Float32Array(0) };
  const { indptr, indices, values } = matrix.byUser;
  return { movies: indices.subarray(indptr[user], indptr[user + 1]), ratings: values.subarray(indptr[user], indptr[user + 1]), user };
}

/** The n best-scored movies, leaving out rated ones (unless asked), `exclude`, those `filter` rejects, and `self`. */
export function rankMovies(matrix: InteractionMatrix, scores: Float32Array, n: number, history: UserHistory, options: RecommendOptions = {}, self?: number): Scored[] {
  const skip = new Uint8Array(matrix.movieIds.length);
  if (!options.includeRated) for (const movie of history.movies) skip[movie] = 1;
  for (const movieId of options.exclude ?? []) {
    const index = matrix.movieIndex.get(movieId);
    if (index !== undefined) skip[index] = 1;
  }
  if (options.filter) for (let movie = 0; movie < skip.length; movie++) if (!skip[movie] && !options.filter(matrix.movieIds[movie]!)) skip[movie] = 1;
  if (self !== undefined) skip[self] = 1;
  return Array.from(topK(scores, n, { skip }), (index) => ({ movieId: matrix.movieIds[index]!, score: scores[index]! }));
}

/** Scores over a model's training matrix: `scores[movieIndex.get(id)]`. */
export interface ScoreVector {
  scores: Float32Array;
  movieIds: Int32Array;
  movieIndex: ReadonlyMap<MovieId, number>;
}

const NO_HISTORY: UserHistory = { movies: new Int32Array(0), ratings: new Float32Array(0) };

/**
 * The base of the models that fit on the user × movie matrix. A subclass says how to fit, how to score every movie
 * for a history, how to score movies like one movie, and which arrays make up its state.
 */
export abstract class MatrixRecommender<State extends object, P extends ModelParams = ModelParams> implements Recommender {
  abstract readonly name: string;
  /** Bumped when a model's fitted state changes meaning, so an old artifact is refused rather than misread. */
  protected readonly version: string = '1';
  private fitted?: { matrix: InteractionMatrix; state: State; trainedOn: string | null; datasetHash: string | null };

  constructor(
    protected readonly params: P,
    protected readonly seed: number,
  ) {}

  protected abstract fitState(matrix: InteractionMatrix, train: TrainingSet, progress?: Progress): State | Promise<State>;
  /** A score for every movie of the matrix, or null when the history gives nothing to go on. */
  protected abstract userScores(state: State, matrix: InteractionMatrix, history: UserHistory, query: RecommendQuery): Float32Array | null;
  /** Scores of every movie as a neighbour of movie index `movie`. */
  protected abstract similarScores(state: State, matrix: InteractionMatrix, movie: number): Float32Array;
  protected abstract stateArrays(state: State): Record<string, ArtifactArray>;
  protected abstract restoreState(artifact: Artifact, matrix: InteractionMatrix): State;

  async fit(train: TrainingSet, progress?: Progress): Promise<void> {
    const matrix = interactionMatrix(train.movies, train.interactions);
    const state = await this.fitState(matrix, train, progress);
    this.fitted = { matrix, state, trainedOn: train.trainedOn, datasetHash: train.datasetHash };
  }

  async recommend(query: RecommendQuery, n: number, options: RecommendOptions = {}): Promise<Scored[]> {
    const { matrix, state } = this.require();
    const history = userHistory(matrix, query);
    const scores = this.userScores(state, matrix, history, query);
    return scores ? rankMovies(matrix, scores, n, history, options) : [];
  }

  async score(query: RecommendQuery, movieIds: readonly MovieId[]): Promise<Float32Array> {
    const { matrix, state } = this.require();
    const scores = this.userScores(state, matrix, userHistory(matrix, query), query);
    return Float32Array.from(movieIds, (movieId) => {
      const index = matrix.movieIndex.get(movieId);
      return scores && index !== undefined ? scores[index]! : Number.NaN;
    });
  }

  /** A score for every movie of the training matrix (by `movieIndex`), or null when the query gives nothing to go on. */
  scoreVector(query: RecommendQuery): ScoreVector | null {
    const { matrix, state } = this.require();
    const scores = this.userScores(state, matrix, userHistory(matrix, query), query);
    return scores ? { scores, movieIds: matrix.movieIds, movieIndex: matrix.movieIndex } : null;
  }

  async similarItems(movieId: MovieId, n: number): Promise<Scored[]> {
    const { matrix, state } = this.require();
    const index = matrix.movieIndex.get(movieId);
    return index === undefined ? [] : rankMovies(matrix, this.similarScores(state, matrix, index), n, NO_HISTORY, {}, index);
  }

  async save(dir: string): Promise<void> {
    const { matrix, state, trainedOn, datasetHash } = this.require();
    const { byUser } = matrix;
    await saveArtifact(
      dir,
      { kind: 'model', name: this.name, version: this.version, params: this.params, seed: this.seed, datasetHash, trainedOn },
      { movieIds: matrix.movieIds, userIds: matrix.userIds, indptr: byUser.indptr, indices: byUser.indices, values: byUser.values, ...this.stateArrays(state) },
    );
  }

  async load(dir: string): Promise<void> {
    const artifact = await loadArtifact(dir);
    const { manifest } = artifact;
    if (manifest.kind !== 'model' || manifest.name !== this.name || manifest.version !== this.version) {
      throw new Error(`${dir}: a ${manifest.kind} "${manifest.name}" version ${manifest.version}, not a ${this.name} model version ${this.version}`);
    }
    const movieIds = requireArray(artifact, 'movieIds', Int32Array);
    const userIds = requireArray(artifact, 'userIds', Int32Array);
    const byUser = {
      rows: userIds.length,
      cols: movieIds.length,
      indptr: requireArray(artifact, 'indptr', Int32Array),
      indices: requireArray(artifact, 'indices', Int32Array),
      values: requireArray(artifact, 'values', Float32Array),
    };
    const matrix: InteractionMatrix = {
      movieIds,
      userIds,
      movieIndex: new Map(Array.from(movieIds, (id, index) => [id, index])),
      userIndex: new Map(Array.from(userIds, (id, index) => [id, index])),
      byUser,
      byMovie: transpose(byUser),
    };
    this.fitted = { matrix, state: this.restoreState(artifact, matrix), trainedOn: manifest.trainedOn, datasetHash: manifest.datasetHash };
  }

  protected require() {
    if (!this.fitted) throw new Error(`${this.name}: call fit() or load() before using the model`);
    return this.fitted;
  }
}
