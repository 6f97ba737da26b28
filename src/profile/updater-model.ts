/**
 * `profile-updater`: the user's taste as the residual updater moves it, one rating at a time in time order, in the
 * movie DNA trained in fit; the updater is trained in fit too, on the training users' histories only.
 */
import type { Artifact, ArtifactArray } from '../artifacts.js';
import type { UserHistory } from '../cf/ranking.js';
import type { InteractionMatrix, Timelines } from '../interactions.js';
import type { Progress } from '../progress.js';
import type { UserId } from '../domain.js';
import { defineModel, type ModelDefinition, type RatedMovie, type RecommendQuery, type TrainingSet } from '../recommender.js';
import { DNA_MODEL_DEFAULTS, trainedDnaSpace, type DnaModelParams } from '../fuse/spaces.js';
import { ratedRows, SpaceRecommender, type ContentState } from './content.js';
import { TasteReplayer } from './replay.js';
import { trainUpdater, UPDATER_DEFAULTS } from './train-updater.js';
import { restoreUpdater, updaterArrays, type TasteUpdater } from './updater.js';

export type UpdaterModelParams = DnaModelParams & { updaterEpochs: number };

interface UpdaterState extends ContentState {
  timelines: Timelines;
  updater: TasteUpdater;
}

export class UpdaterRecommender extends SpaceRecommender<UpdaterState, UpdaterModelParams> {
  private readonly replayers = new WeakMap<UpdaterState, TasteReplayer>();

  private replayer(state: UpdaterState): TasteReplayer {
    let replayer = this.replayers.get(state);
    if (!replayer) this.replayers.set(state, (replayer = new TasteReplayer(state.updater, state.vectors, state.hasVector)));
    return replayer;
  }

  protected async fitState(matrix: InteractionMatrix, train: TrainingSet, progress?: Progress): Promise<UpdaterState> {
    const space = await this.fitSpace(matrix, train, true, progress);
    const timelines = space.timelines!;
    const trained = await trainUpdater(
      { vectors: space.vectors, hasVector: space.hasVector, dim: space.dim, timelines, userIds: matrix.userIds },
      { ...UPDATER_DEFAULTS, epochs: this.params.updaterEpochs },
      this.seed,
      progress ? { progress } : {},
    );
    return { ...space, timelines, updater: trained.updater };
  }

  /** The updater's taste after the history in time order; a query's user continues from their last replayed history when it extends it. */
  protected historyTaste(state: UpdaterState, history: UserHistory, query: RecommendQuery): Float32Array | null {
    const rows = ratedRows(state, history);
    return rows.movies.length === 0 ? null : this.replayer(state).taste(query.userId, rows).vector;
  }

  /** The query's taste (its own `taste`, else the updater's over its history), or null when it gives none. */
  queryTaste(query: RecommendQuery): Float32Array | null {
    const { matrix, state } = this.require();
    return this.userScoresTaste(state, matrix, query);
  }

  /** A training user's ratings in time order; empty for a user the training set never saw. */
  trainingHistory(userId: UserId): RatedMovie[] {
    const { matrix, state } = this.require();
    const user = matrix.userIndex.get(userId);
    if (user === undefined) return [];
    const { indptr, movies, ratings, timestamps } = state.timelines;
    const history: RatedMovie[] = [];
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) history.push({ movieId: matrix.movieIds[movies[p]!]!, rating: ratings[p]!, timestamp: timestamps[p]! });
    return history;
  }

  /** The DNA the model ranks in: unit rows on the training matrix's movies, with the movies that have a vector. */
  movieSpace(): { movieIds: Int32Array; vectors: Float32Array; hasVector: Uint8Array; dim: number } {
    const { matrix, state } = this.require();
    return { movieIds: matrix.movieIds, vectors: state.vectors, hasVector: state.hasVector, dim: state.dim };
  }

  protected override stateArrays(state: UpdaterState): Record<string, ArtifactArray> {
    return { ...super.stateArrays(state), ...updaterArrays(state.updater) };
  }

  protected override restoreState(artifact: Artifact, matrix: InteractionMatrix): UpdaterState {
    const space = this.restoreSpace(artifact, matrix, true);
    return { ...space, timelines: space.timelines!, updater: restoreUpdater(artifact) };
  }
}

export const profileUpdaterModel: ModelDefinition = defineModel<UpdaterModelParams>({
  name: 'profile-updater',
  description: "the user's taste moved by the residual updater, one rating at a time in time order, in the movie DNA; both trained in fit on the training part",
  defaults: { ...DNA_MODEL_DEFAULTS, updaterEpochs: UPDATER_DEFAULTS.epochs },
  grid: {},
  tuneOn: 'ranking',
  needsRatedMovies: false,
  create: (params, seed) => new UpdaterRecommender('profile-updater', trainedDnaSpace, params, seed),
});
