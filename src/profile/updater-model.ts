/**
 * `profile-updater`: the user's taste as the residual updater moves it, one rating at a time in time order, in the
 * movie DNA trained in fit; the updater is trained in fit too, on the training users' histories only.
 */
import type { Artifact, ArtifactArray } from '../artifacts.js';
import type { UserHistory } from '../cf/ranking.js';
import type { UserId } from '../domain.js';
import type { InteractionMatrix, Timelines } from '../interactions.js';
import type { Progress } from '../progress.js';
import { defineModel, type ModelDefinition, type RecommendQuery, type TrainingSet } from '../recommender.js';
import { DNA_MODEL_DEFAULTS, trainedDnaSpace, type DnaModelParams } from '../fuse/spaces.js';
import { ratedRows, SpaceRecommender, type ContentState } from './content.js';
import { timeOrder } from './taste.js';
import { trainUpdater, UPDATER_DEFAULTS } from './train-updater.js';
import { applyRating, initialTaste, restoreUpdater, updaterArrays, type TasteState, type TasteUpdater } from './updater.js';

export type UpdaterModelParams = DnaModelParams & { updaterEpochs: number };

interface UpdaterState extends ContentState {
  timelines: Timelines;
  updater: TasteUpdater;
}

/** A history already replayed for a user: the next query of a history that extends it continues from its taste. */
interface Replayed {
  movies: Int32Array;
  ratings: Float32Array;
  taste: TasteState;
}

/** Users whose replayed taste is kept; beyond it the oldest is forgotten and replayed again when asked. */
const REPLAYED_USERS = 10_000;

export class UpdaterRecommender extends SpaceRecommender<UpdaterState, UpdaterModelParams> {
  private readonly replayed = new Map<UserId, Replayed>();

  protected async fitState(matrix: InteractionMatrix, train: TrainingSet, progress?: Progress): Promise<UpdaterState> {
    const space = await this.fitSpace(matrix, train, true, progress);
    const timelines = space.timelines!;
    const trained = await trainUpdater(
      { vectors: space.vectors, hasVector: space.hasVector, dim: space.dim, timelines, userIds: matrix.userIds },
      { ...UPDATER_DEFAULTS, epochs: this.params.updaterEpochs },
      this.seed,
      progress ? { progress } : {},
    );
    this.replayed.clear();
    return { ...space, timelines, updater: trained.updater };
  }

  /** The updater's taste after the history in time order; a query's user continues from their last replayed history when this one extends it. */
  protected historyTaste(state: UpdaterState, history: UserHistory, query: RecommendQuery): Float32Array | null {
    const rows = ratedRows(state, history);
    if (rows.movies.length === 0) return null;
    const order = timeOrder(rows.movies.length, rows.timestamps);
    const movies = Int32Array.from(order, (i) => rows.movies[i]!);
    const ratings = Float32Array.from(order, (i) => rows.ratings[i]!);
    const userId = query.userId;
    const earlier = userId === undefined ? undefined : this.replayed.get(userId);
    const from = earlier && extends_(earlier, movies, ratings) ? earlier.movies.length : 0;
    let taste = from > 0 ? earlier!.taste : initialTaste(state.updater);
    for (let i = from; i < movies.length; i++) {
      const movie = movies[i]!;
      taste = applyRating(state.updater, taste, state.hasVector[movie] ? state.vectors : null, movie * state.dim, ratings[i]!);
    }
    if (userId !== undefined) {
      this.replayed.delete(userId);
      if (this.replayed.size >= REPLAYED_USERS) this.replayed.delete(this.replayed.keys().next().value!);
      this.replayed.set(userId, { movies, ratings, taste });
    }
    return taste.vector;
  }

  protected override stateArrays(state: UpdaterState): Record<string, ArtifactArray> {
    return { ...super.stateArrays(state), ...updaterArrays(state.updater) };
  }

  protected override restoreState(artifact: Artifact, matrix: InteractionMatrix): UpdaterState {
    const space = this.restoreSpace(artifact, matrix, true);
    this.replayed.clear();
    return { ...space, timelines: space.timelines!, updater: restoreUpdater(artifact) };
  }
}

/** Whether a history starts with the one already replayed. */
function extends_(earlier: Replayed, movies: Int32Array, ratings: Float32Array): boolean {
  if (earlier.movies.length > movies.length) return false;
  for (let i = 0; i < earlier.movies.length; i++) if (earlier.movies[i] !== movies[i] || earlier.ratings[i] !== ratings[i]) return false;
  return true;
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
