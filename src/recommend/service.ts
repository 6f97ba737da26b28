/**
 * The recommendation facade: what the CLI and the server call. It loads the fitted stages once (the DNA, the taste
 * updater, the ANN index, the collaborative models) and keeps nothing else between calls but caches: every request
 * reads the user's history from the store, so several servers can share one PostgreSQL, and a rating written by one
 * shows in the next recommendation of any.
 */
import { LRUCache } from 'lru-cache';
import { join } from 'node:path';
import { loadCollaborative } from '../cf/stage.js';
import type { Movie, MovieId, Rating, UserId } from '../domain.js';
import { isValidRating, MAX_RATING, MIN_RATING, RATING_STEP } from '../domain.js';
import { NotFoundError, UsageError } from '../errors.js';
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
import { posterFile, postersRoot } from '../posters.js';
import { cachedQualityOfSpaces } from '../eval/store-quality.js';
import type { SpaceQuality } from '../eval/embedding-quality.js';
import { FAVORITE_RATING } from '../profile/profiles.js';
import { SEED_SPACE, seededTaste } from '../profile/seed.js';
import { tasteSummary, type TasteSummary } from '../profile/summary.js';
import { TitleSearch } from './title-search.js';
import { PLACING_NEIGHBOURS, placeAmong } from '../map/projection.js';
import { movieMap, type MovieMap } from '../map/stage.js';
import type { MapMethod } from '../map/projection.js';
import { silentProgress } from '../progress.js';
import { movieMatcher } from './filters.js';
import { dnaCandidates, type CandidateQuery } from './candidates.js';
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

/** How a new user starts: picked favourites (stored as ratings of FAVORITE_RATING), a sentence (a seed taste), or both. */
export interface NewUser {
  favorites?: readonly MovieId[] | undefined;
  text?: string | undefined;
}

export interface UserProfile {
  userId: UserId;
  /** Oldest first. */
  history: Rating[];
  notInterested: MovieId[];
  /** Whether a sentence seeds the taste (it fades as ratings come). */
  seeded: boolean;
  summary: TasteSummary;
}

export const SEARCH_MODES = ['title', 'text', 'both'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export interface SearchHit {
  movie: Movie;
  /** Title matches: how well the query names the title (1 = all of it); text matches: cosine of the sentence to the DNA. */
  score: number;
  match: 'title' | 'text';
}

/** One step of a user's journey: the rating, and where the taste stood on the map after it. */
export interface JourneyStep {
  movieId: MovieId;
  title: string;
  rating: number;
  point: [number, number, number];
}

/** What the store's movie vectors are: spaces, coverage, the index, and how well each space knows a movie. */
export interface EmbeddingMetrics {
  movies: number;
  posterCoverage: number;
  spaces: { name: string; kind: string; producer: string; version: string; dim: number; count: number; coverage: number; updatedAt: string }[];
  dna: { name: string; version: string; dim: number; count: number };
  index: { size: number };
  quality: SpaceQuality[];
}

export interface ServiceSources {
  /** The artifacts directory: updater, index, collaborative models, fusion, text encoder fits. */
  artifacts: string;
  /** Where MiniLM's weights are, for free-text tastes. */
  models?: ModelSource;
  /** The second stage: the learned ranker (default), or taste cosine alone (to measure what the ranker adds). */
  scorer?: 'learned' | 'taste';
  /** Read posters from here instead of the directory the store was imported with. */
  posters?: string;
  /** How many computed lists to keep for repeats (default 20,000); 0 computes every list (benches time the path). */
  keptLists?: number;
}

/** The seed of the maps the service draws, the main job's. */
export const MAP_SEED = 1;

/** How many computed lists the service keeps by default (about 10 kB each at n = 10). */
const LISTS_KEPT = 20_000;

export class RecommendationService {
  private fusion?: Promise<FusionModel>;
  private quality?: Promise<SpaceQuality[]>;
  private readonly maps = new Map<MapMethod, Promise<MovieMap>>();
  private readonly titles: TitleSearch;
  /**
   * Lists already computed for a user, under their state version in the store and the request: a user asks again
   * (a page reload, the next page of a UI) far more often than they rate, and any write of theirs, through any server
   * on the same store, raises the version and so misses here.
   */
  private readonly lists: LRUCache<string, Recommendation[]> | null;

  private constructor(
    private readonly store: Store,
    private readonly sources: ServiceSources,
    private readonly catalog: Map<MovieId, Movie>,
    private readonly stages: PathStages,
    private readonly index: HnswIndex,
    private readonly profiles: TasteProfiles,
    /** Movie ids by training raters, most first: what a user with no taste yet is shown. */
    private readonly popular: readonly MovieId[],
    private readonly dnaVersion: string,
    private readonly postersDir: string | null,
  ) {
    this.titles = new TitleSearch(catalog.values());
    const kept = sources.keptLists ?? LISTS_KEPT;
    this.lists = kept > 0 ? new LRUCache({ max: kept }) : null;
  }

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
    const raters = ranker.state.raters;
    const popular = [...catalog.keys()].sort((a, b) => (raters.get(b) ?? 0) - (raters.get(a) ?? 0) || a - b);
    const posters = await postersRoot(store, sources.posters);
    return new RecommendationService(store, sources, catalog, stages, index, profiles, popular, set.space.version, posters);
  }

  /** Up to n movies for the target, best first, with the sources that brought each. */
  async recommend(target: RecommendTarget, n: number, request: RecommendRequest = {}): Promise<Recommendation[]> {
    if (!('userId' in target)) return this.computeList(target, n, request);
    const version = await this.store.userVersion(target.userId);
    if (version === null) await this.requireUser(target.userId);
    const key = JSON.stringify([target.userId, version, n, request]);
    const kept = this.lists?.get(key);
    if (kept) return kept;
    const list = await this.computeList(target, n, request);
    this.lists?.set(key, list);
    return list;
  }

  private async computeList(target: RecommendTarget, n: number, request: RecommendRequest): Promise<Recommendation[]> {
    const { profile = 'updater', ...options } = request;
    const { query, exclude, rated } = await this.queryOf(target, profile);
    const items = query ? await recommendPath(this.stages, query, n, { ...options, exclude: new Set(exclude) }) : this.mostPopular(n, options, [...exclude, ...rated]);
    return items.map((item) => ({ ...item, movie: this.catalog.get(item.movieId)! }));
  }

  /** For a target with no taste yet (no ratings of movies with DNA, no seed): the most rated movies that pass the filter. */
  private mostPopular(n: number, options: Pick<RecommendRequest, 'filter'>, exclude: readonly MovieId[]): PathItem[] {
    const excluded = new Set(exclude);
    const matches = movieMatcher(options.filter ?? {});
    const picked = this.popular.filter((movieId) => !excluded.has(movieId) && matches(this.catalog.get(movieId)!)).slice(0, n);
    return picked.map((movieId, rank) => {
      const score = 1 - rank / Math.max(1, picked.length);
      return { movieId, score, relevance: score, sources: ['popularity'] };
    });
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
   * Why each of these movies suits the user, as `explain` says it but without the text/poster split (which reads the
   * store per movie): for a whole list of recommendations at once. Empty for a user without ratings.
   */
  async reasons(userId: UserId, movieIds: readonly MovieId[]): Promise<Map<MovieId, Explanation>> {
    const history = await this.store.userRatings(userId);
    const explained = new Map<MovieId, Explanation>();
    if (history.length === 0) return explained;
    const taste = this.profiles.updaterTaste(history, userId).vector;
    const context = { dna: this.stages.dna, movie: (id: MovieId) => this.catalog.get(id), textOnlyDna: async () => null };
    for (const movieId of movieIds) explained.set(movieId, await explainMovie(context, history, taste, movieId));
    return explained;
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

  /** Removes a rating (false when there was none); the taste follows on the next request, replayed without it. */
  async deleteRating(userId: UserId, movieId: MovieId): Promise<boolean> {
    this.requireMovie(movieId);
    await this.requireUser(userId);
    return this.store.deleteRating(userId, movieId);
  }

  /**
   * A new user from favourites and/or a sentence: the favourites become ratings in the same transaction that creates
   * the user; the sentence's taste is encoded first (so a bad sentence creates nobody) and stored as their seed.
   */
  async createUser(request: NewUser): Promise<UserId> {
    const favorites = request.favorites ?? [];
    favorites.forEach((movieId) => this.requireMovie(movieId));
    if (new Set(favorites).size !== favorites.length) throw new UsageError('each favourite movie may be given once');
    const seed = request.text === undefined ? null : await this.profiles.sentenceTaste(request.text);
    const now = Math.floor(Date.now() / 1000);
    const userId = await this.store.createUser(favorites.map((movieId) => ({ movieId, rating: FAVORITE_RATING, timestamp: now })));
    if (seed) {
      const space = { ...SEED_SPACE, version: this.dnaVersion, dim: seed.length, trainedOn: null };
      await this.store.writeVectors(space, { ids: [userId], vectors: seed });
    }
    return userId;
  }

  /** The user's ratings, dislikes and what they say about their taste. */
  async userProfile(userId: UserId): Promise<UserProfile> {
    await this.requireUser(userId);
    const [history, notInterested, seed] = await Promise.all([this.store.userRatings(userId), this.store.notInterested(userId), this.seedOf(userId)]);
    return { userId, history, notInterested, seeded: seed !== null, summary: tasteSummary(history, (movieId) => this.catalog.get(movieId)) };
  }

  /**
   * Movies by title, by meaning (the sentence's taste against the DNA), or both: title matches first, then the
   * closest in meaning that the titles did not already give.
   */
  async search(query: string, limit: number, mode: SearchMode = 'both'): Promise<SearchHit[]> {
    const hits: SearchHit[] = [];
    if (mode !== 'text') {
      for (const match of this.titles.search(query, limit)) hits.push({ movie: this.catalog.get(match.movieId)!, score: match.score, match: 'title' });
    }
    if (mode !== 'title' && hits.length < limit) {
      const found = new Set(hits.map((hit) => hit.movie.movieId));
      const taste = await this.profiles.sentenceTaste(query);
      for (const neighbour of this.index.search(taste, limit - hits.length, found)) {
        hits.push({ movie: this.catalog.get(neighbour.id)!, score: neighbour.similarity, match: 'text' });
      }
    }
    return hits;
  }

  /** The directory posters are read from: the store's posters root, or the one the service was given. */
  postersRoot(): string | null {
    return this.postersDir;
  }

  /** The movie's poster file, or null when it has none. */
  posterFile(movieId: MovieId): string | null {
    return posterFile(this.catalog.get(this.requireMovie(movieId))!, this.postersDir);
  }

  /** The store's movie spaces and the index; the quality of each space is measured on the first call and cached. */
  async embeddingMetrics(): Promise<EmbeddingMetrics> {
    const [stats, spaces] = await Promise.all([this.store.stats(), this.store.listVectorSpaces()]);
    this.quality ??= cachedQualityOfSpaces(this.store, this.sources.artifacts);
    const quality = await this.quality.catch((error: unknown) => {
      this.quality = undefined;
      throw error;
    });
    const movieSpaces = spaces.filter((space) => space.owner === 'movie');
    const dna = movieSpaces.find((space) => space.kind === 'dna')!;
    return {
      movies: stats.movies,
      posterCoverage: stats.movies === 0 ? 0 : stats.coverage.poster / stats.movies,
      spaces: movieSpaces.map((space) => ({
        name: `${space.owner}/${space.kind}/${space.producer}`,
        kind: space.kind,
        producer: space.producer,
        version: space.version,
        dim: space.dim,
        count: space.count,
        coverage: stats.movies === 0 ? 0 : space.count / stats.movies,
        updatedAt: space.updatedAt,
      })),
      dna: { name: `movie/dna/${dna.producer}`, version: dna.version, dim: dna.dim, count: dna.count },
      index: { size: this.index.size },
      quality,
    };
  }

  /** The 3D map of the DNA: the one the main job drew (`<artifacts>/maps/`), else drawn now (UMAP: about half a minute) and kept. */
  async map(method: MapMethod): Promise<MovieMap> {
    let map = this.maps.get(method);
    if (!map) {
      map = movieMap(this.store, { artifacts: this.sources.artifacts, method, seed: MAP_SEED }, silentProgress).then((drawn) => drawn.map);
      this.maps.set(method, map);
      map.catch(() => this.maps.delete(method));
    }
    return map;
  }

  /**
   * The user's taste after each of their ratings, placed on a map of this DNA among the movies nearest to it: the path
   * their taste took as they rated.
   */
  async tasteJourney(userId: UserId, map: MovieMap): Promise<JourneyStep[]> {
    if (map.dnaVersion !== this.dnaVersion) throw new UsageError('the map was drawn from another movie DNA: draw it again');
    await this.requireUser(userId);
    const steps = this.profiles.updaterJourney(await this.store.userRatings(userId));
    return steps.map((step) => {
      const neighbours = this.index
        .search(step.taste, PLACING_NEIGHBOURS)
        .map((neighbour) => ({ row: this.stages.dna.row(neighbour.id)!, similarity: neighbour.similarity }));
      return { movieId: step.movieId, title: this.catalog.get(step.movieId)?.title ?? '?', rating: step.rating, point: placeAmong(neighbours, map.points) };
    });
  }

  /**
   * The user's list of n at each λ: its mean relevance (the ranker's score, the same scale at every λ) and its
   * intra-list diversity (mean 1 − cosine in the DNA between its movies).
   */
  async lambdaCurve(userId: UserId, n: number, lambdas: readonly number[]): Promise<{ lambda: number; relevance: number; diversity: number }[]> {
    const curve = [];
    for (const lambda of lambdas) {
      const list = await this.recommend({ userId }, n, { lambda });
      const relevance = list.reduce((sum, item) => sum + item.relevance, 0) / Math.max(1, list.length);
      curve.push({ lambda, relevance, diversity: this.intraListDiversity(list.map((item) => item.movieId)) });
    }
    return curve;
  }

  private intraListDiversity(movieIds: readonly MovieId[]): number {
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < movieIds.length; i++) {
      const vector = this.stages.dna.vector(movieIds[i]!);
      for (let j = i + 1; j < movieIds.length && vector; j++) {
        sum += 1 - this.stages.dna.cosine(vector, movieIds[j]!);
        pairs++;
      }
    }
    return pairs === 0 ? 0 : sum / pairs;
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

  /** The query to rank for (null when the target has no taste yet), the movies it must not get, and those it rated. */
  private async queryOf(target: RecommendTarget, profile: ProfileKind): Promise<{ query: CandidateQuery | null; exclude: MovieId[]; rated: MovieId[] }> {
    const fromHistory = (history: readonly RatedMovie[], userId?: UserId, seed: Float32Array | null = null): CandidateQuery | null => {
      const taste = seededTaste(this.profiles.historyTaste(history, profile, userId), seed, history.length);
      return taste ? { taste, history, ...(userId === undefined ? {} : { userId }) } : null;
    };
    const rated = (history: readonly RatedMovie[]) => history.map((entry) => entry.movieId);
    if ('userId' in target) {
      await this.requireUser(target.userId);
      const [history, notInterested, seed] = await Promise.all([
        this.store.userRatings(target.userId),
        this.store.notInterested(target.userId),
        this.seedOf(target.userId),
      ]);
      return { query: fromHistory(history, target.userId, seed), exclude: notInterested, rated: rated(history) };
    }
    if ('history' in target) {
      target.history.forEach((entry) => this.requireMovie(entry.movieId));
      return { query: fromHistory(target.history), exclude: [], rated: rated(target.history) };
    }
    if ('favorites' in target) {
      target.favorites.forEach((movieId) => this.requireMovie(movieId));
      return { query: fromHistory(this.profiles.favoritesHistory(target.favorites)), exclude: [], rated: [...target.favorites] };
    }
    if ('text' in target) return { query: { taste: await this.profiles.sentenceTaste(target.text), history: [] }, exclude: [], rated: [] };
    if (target.taste.length !== this.stages.dna.dim) throw new UsageError(`a taste must have ${this.stages.dna.dim} dimensions, not ${target.taste.length}`);
    return { query: { taste: target.taste, history: [] }, exclude: [], rated: [] };
  }

  /** The user's seed taste, when they have one from this DNA (a seed from an older DNA points nowhere now). */
  private async seedOf(userId: UserId): Promise<Float32Array | null> {
    const set = await this.store.readVectors(SEED_SPACE, [userId]);
    return set && set.ids.length === 1 && set.space.version === this.dnaVersion && set.space.dim === this.stages.dna.dim ? set.vectors : null;
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

  /** Throws NotFoundError unless the store has this user. */
  async requireUser(userId: UserId): Promise<void> {
    if (!(await this.store.hasUser(userId)))
      throw new NotFoundError(`no user ${userId} in the store: expected a user id from the ratings, or a taste from favourites or text`);
  }

  private requireMovie(movieId: MovieId): MovieId {
    if (!this.catalog.has(movieId)) throw new NotFoundError(`no movie ${movieId} in the catalog`);
    return movieId;
  }
}
