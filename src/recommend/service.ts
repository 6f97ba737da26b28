/**
 * The recommendation facade: what the CLI and the server call. It loads the fitted stages once (the DNA, the taste
 * updater, the ANN index, the collaborative models) and keeps nothing else between calls but caches: every request
 * reads the user's history from the store, so several servers can share one PostgreSQL, and a rating written by one
 * shows in the next recommendation of any.
 */
import { join } from 'node:path';
import { loadCollaborative } from '../cf/stage.js';
import type { Movie, MovieId, UserId } from '../domain.js';
import { isValidRating, MAX_RATING, MIN_RATING, RATING_STEP } from '../domain.js';
import { UsageError } from '../errors.js';
import { loadFusion, movieDna, textOnlyInputs, type FusionModel } from '../fuse/dna.js';
import { readContentInputs } from '../fuse/inputs.js';
import { HnswIndex } from '../index/hnsw.js';
import { indexDir } from '../index/stage.js';
import type { ModelSource } from '../encode/models.js';
import { loadProductionUpdater, requireDna } from '../profile/stage.js';
import { textTasteEncoder, type TextTaste } from '../profile/text-taste.js';
import { TasteProfiles, type ProfileKind } from '../profile/profiles.js';
import type { TasteState } from '../profile/updater.js';
import type { RatedMovie } from '../recommender.js';
import type { Store } from '../store/store.js';
import { dnaCandidates, type CandidateQuery, type MovieIndex } from './candidates.js';
import { collaborativeCandidates, learnedScorer } from '../rank/ranker.js';
import { loadProductionRanker } from '../rank/stage.js';
import { DnaTable } from './dna-table.js';
import { explainMovie, type Explanation } from './explain.js';
import type { MovieFilter } from './filters.js';
import { recommendPath, type PathItem, type PathStages } from './path.js';
import { tasteCosineScorer } from './scorer.js';

/** Whom to recommend for: a user in the store, a history given in full, picked favourites, a sentence, or a taste vector. */
export type RecommendTarget = { userId: UserId } | { history: readonly RatedMovie[] } | { favorites: readonly MovieId[] } | { text: string } | { taste: Float32Array };

export interface RecommendRequest {
  /** How a history makes the taste: the trained updater (default) or the weighted profile. */
  profile?: ProfileKind;
  /** Relevance–diversity trade-off of the MMR re-rank: 1 = pure relevance (default). */
  lambda?: number;
  candidates?: number;
  filter?: MovieFilter;
}

export interface Recommendation extends PathItem {
  movie: Movie;
}

export interface ServiceSources {
  /** The artifacts directory: updater, index, collaborative models, fusion, text encoder fits. */
  artifacts: string;
  /** Where MiniLM's weights are, for free-text tastes. */
  models?: ModelSource;
  /** The second stage: the learned ranker (default), or taste cosine alone (to measure what the ranker adds). */
  scorer?: 'learned' | 'taste';
}

export class RecommendationService {
  private fusion?: Promise<FusionModel>;

  private constructor(
    private readonly store: Store,
    private readonly sources: ServiceSources,
    private readonly catalog: Map<MovieId, Movie>,
    private readonly stages: PathStages,
    private readonly index: MovieIndex,
    private readonly profiles: TasteProfiles,
  ) {}

  static async open(store: Store, sources: ServiceSources): Promise<RecommendationService> {
    const set = await requireDna(store);
    const dna = new DnaTable(set.ids, set.vectors, set.space.dim);
    const [updater, index, collaborative, movies] = await Promise.all([
      loadProductionUpdater(sources.artifacts, set),
      HnswIndex.load(indexDir(sources.artifacts)),
      loadCollaborative(sources.artifacts),
      store.listMovies(),
    ]);
    const ranker = await loadProductionRanker(sources.artifacts, dna, set.space.version, collaborative);
    const catalog = new Map(movies.map((movie) => [movie.movieId, movie]));
    const stages: PathStages = {
      dna,
      sources: [dnaCandidates(index), ...collaborativeCandidates(ranker.signals)],
      scorer: sources.scorer === 'taste' ? tasteCosineScorer(dna) : learnedScorer(ranker.signals, ranker.state.blend),
      movie: (movieId) => catalog.get(movieId),
    };
    let sentences: Promise<TextTaste> | undefined;
    const profiles = new TasteProfiles(
      dna,
      updater,
      () => (sentences ??= textTasteEncoder({ artifacts: sources.artifacts, ...(sources.models ? { models: sources.models } : {}) })),
    );
    return new RecommendationService(store, sources, catalog, stages, index, profiles);
  }

  /** Up to n movies for the target, best first, with the sources that brought each. */
  async recommend(target: RecommendTarget, n: number, request: RecommendRequest = {}): Promise<Recommendation[]> {
    const { profile = 'updater', ...options } = request;
    const { query, exclude } = await this.queryOf(target, profile);
    if (!query) return [];
    const items = await recommendPath(this.stages, query, n, { ...options, exclude: new Set(exclude) });
    return items.map((item) => ({ ...item, movie: this.catalog.get(item.movieId)! }));
  }

  /** The n movies nearest to this one in the DNA. */
  async similar(movieId: MovieId, n: number): Promise<Recommendation[]> {
    const vector = this.stages.dna.vector(this.requireMovie(movieId));
    if (!vector) return [];
    return this.index
      .search(vector, n, (id) => id === movieId)
      .map((neighbour) => ({
        movieId: neighbour.id,
        score: neighbour.similarity,
        relevance: neighbour.similarity,
        sources: ['dna'],
        movie: this.catalog.get(neighbour.id)!,
      }));
  }

  /** Why `movieId` suits this user (their history from the store). */
  async explain(userId: UserId, movieId: MovieId): Promise<Explanation> {
    this.requireMovie(movieId);
    await this.requireUser(userId);
    const history = await this.store.userRatings(userId);
    if (history.length === 0) throw new UsageError(`user ${userId} has no ratings to explain a recommendation from`);
    const taste = this.profiles.updaterTaste(history, userId).vector;
    return explainMovie({ dna: this.stages.dna, movie: (id) => this.catalog.get(id), textOnlyDna: (id) => this.textOnlyDna(id) }, history, taste, movieId);
  }

  /**
   * Records a rating durably (the store's transaction commits before this resolves), then moves the user's taste by
   * it at once; the next recommendation reads the new history, so its candidates follow too.
   */
  async recordRating(userId: UserId, movieId: MovieId, rating: number, timestamp = Math.floor(Date.now() / 1000)): Promise<TasteState> {
    this.requireMovie(movieId);
    if (!isValidRating(rating)) throw new UsageError(`a rating must be from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}, not ${rating}`);
    await this.store.recordRating({ userId, movieId, rating, timestamp });
    return this.profiles.updaterTaste(await this.store.userRatings(userId), userId);
  }

  /** Records that the user does not want this movie: it never comes back in their recommendations. */
  async markNotInterested(userId: UserId, movieId: MovieId, timestamp = Math.floor(Date.now() / 1000)): Promise<void> {
    this.requireMovie(movieId);
    await this.store.markNotInterested({ userId, movieId, timestamp });
  }

  /** The user's taste now, or null for a user without ratings. */
  async userTaste(userId: UserId): Promise<TasteState | null> {
    const history = await this.store.userRatings(userId);
    return history.length === 0 ? null : this.profiles.updaterTaste(history, userId);
  }

  movie(movieId: MovieId): Movie | undefined {
    return this.catalog.get(movieId);
  }

  private async queryOf(target: RecommendTarget, profile: ProfileKind): Promise<{ query: CandidateQuery | null; exclude: MovieId[] }> {
    const fromHistory = (history: readonly RatedMovie[], userId?: UserId): CandidateQuery | null => {
      const taste = this.profiles.historyTaste(history, profile, userId);
      return taste ? { taste, history, ...(userId === undefined ? {} : { userId }) } : null;
    };
    if ('userId' in target) {
      await this.requireUser(target.userId);
      const [history, notInterested] = await Promise.all([this.store.userRatings(target.userId), this.store.notInterested(target.userId)]);
      return { query: fromHistory(history, target.userId), exclude: notInterested };
    }
    if ('history' in target) {
      target.history.forEach((entry) => this.requireMovie(entry.movieId));
      return { query: fromHistory(target.history), exclude: [] };
    }
    if ('favorites' in target) {
      target.favorites.forEach((movieId) => this.requireMovie(movieId));
      return { query: fromHistory(this.profiles.favoritesHistory(target.favorites)), exclude: [] };
    }
    if ('text' in target) return { query: { taste: await this.profiles.sentenceTaste(target.text), history: [] }, exclude: [] };
    if (target.taste.length !== this.stages.dna.dim) throw new UsageError(`a taste must have ${this.stages.dna.dim} dimensions, not ${target.taste.length}`);
    return { query: { taste: target.taste, history: [] }, exclude: [] };
  }

  /** The movie's DNA from its text alone, through the saved fusion; null when the fusion or the movie's vectors are missing. */
  private async textOnlyDna(movieId: MovieId): Promise<Float32Array | null> {
    this.fusion ??= loadFusion(join(this.sources.artifacts, 'fusion'));
    const fusion = await this.fusion.catch(() => null);
    if (!fusion) return null;
    const inputs = await readContentInputs(
      { read: (key) => this.store.readVectors(key, [movieId]) },
      { text: fusion.inputs.text.map((space) => space.producer).join(','), image: 'none' },
    ).catch(() => null);
    return inputs && inputs.movieIds.length === 1 ? movieDna(fusion, textOnlyInputs(fusion, inputs.text, 1), { textOnly: true }) : null;
  }

  private async requireUser(userId: UserId): Promise<void> {
    if (!(await this.store.hasUser(userId)))
      throw new UsageError(`no user ${userId} in the store: expected a user id from the ratings, or a taste from favourites or text`);
  }

  private requireMovie(movieId: MovieId): MovieId {
    if (!this.catalog.has(movieId)) throw new UsageError(`no movie ${movieId} in the catalog`);
    return movieId;
  }
}
