/**
 * Fits the learned second stage on a training set alone. A validation part is carved from it as the service meets
 * users: each user's last ratings by time, and some users new (only their first ratings kept). Movies that nobody
 * rated before the validation part are new there as they are in service. The collaborative models and the towers fitted on the rest produce the signals
 * of the validation users' candidates, and the blend weights are fitted to rank what those users liked next. The
 * towers are then fitted again on the whole training set, against the collaborative models the path will run with.
 */
import { ImplicitMfRecommender } from '../cf/als.js';
import { CANDIDATE_MODELS } from '../cf/serving.js';
import type { MovieId, UserId } from '../domain.js';
import { RELEVANT_RATING } from '../eval/metrics.js';
import { coldUsersSplit, historiesByUser, temporalSplit } from '../eval/splits.js';
import { concatInteractions, filterRows, interactionCount, ratingAt, type Interactions } from '../interactions.js';
import type { Progress } from '../progress.js';
import { dnaCandidates, exactMovieIndex, gatherCandidates, type CandidateQuery } from '../recommend/candidates.js';
import type { DnaTable } from '../recommend/dna-table.js';
import { trainingSet, type RatedMovie, type TrainingSet } from '../recommender.js';
import { describeBlend, fitBlend, standardise, type BlendQuery } from './blend.js';
import { collaborativeCandidates, type RankerState } from './ranker.js';
import { COLLABORATIVE_SOURCES, matrixModel, RankingSignals, type CollaborativeModels, type RatingCounts } from './signals.js';
import { RatingTimes } from './trending.js';
import { trainTowers, type TowerExample, type TowerParams } from './train-tower.js';
import { itemInputs, TwoTower, userInput } from './two-tower.js';

export interface RankerOptions extends TowerParams {
  /** Candidates per source, as the path gathers them. */
  candidates: number;
}

/** What the ranker needs from the content side: the DNA and the user's taste after a history. */
export interface RankerContext {
  dna: DnaTable;
  /** The updater's taste after the history in time order; `userId` lets the next call for that user continue from it. */
  taste(history: readonly RatedMovie[], userId?: UserId): Float32Array | null;
}

/** Share of each user's ratings, by time, carved off as the blend's validation part. */
const VALIDATION_SHARE = 0.2;
/** Share of users carved as new: they keep their first 1, 3 or 5 ratings, and the rest is what they liked next. */
const NEW_USER_SHARE = 0.25;
/** The tower's examples cut each history at these shares and take the liked movies of the next quarter as targets. */
const CUTS = [0.5, 0.75] as const;
const WINDOW = 0.25;

/** The collaborative models with their serving parameters (src/cf/stage.ts), unfitted. */
export function collaborativeModels(seed: number): CollaborativeModels {
  const [itemknn, mf, ease] = CANDIDATE_MODELS.map(({ definition, params }) => definition.create(params, seed));
  if (!(mf instanceof ImplicitMfRecommender)) throw new Error('the second collaborative model must be the implicit MF');
  return { itemknn: matrixModel(itemknn!), mf, ease: matrixModel(ease!) };
}

export async function fitCollaborativeModels(train: TrainingSet, seed: number, progress?: Progress): Promise<CollaborativeModels> {
  const models = collaborativeModels(seed);
  for (const source of COLLABORATIVE_SOURCES) await models[source].fit(train, progress);
  return models;
}

export function ratersOf(interactions: Interactions): Map<MovieId, number> {
  const raters = new Map<MovieId, number>();
  for (const movieId of interactions.movies) raters.set(movieId, (raters.get(movieId) ?? 0) + 1);
  return raters;
}

/** The training ratings as the ranker counts them: raters per movie and when each movie was rated. */
export function ratingCounts(interactions: Interactions): RatingCounts {
  return { raters: ratersOf(interactions), ratedAt: RatingTimes.of(interactions) };
}

export async function rankingSignals(dna: DnaTable, ranker: Pick<RankerState, 'towers' | 'raters' | 'ratedAt'>, models: CollaborativeModels): Promise<RankingSignals> {
  const tower = await TwoTower.build(ranker.towers, dna, { mfFactors: models.mf.movieFactorTable(), raters: ranker.raters });
  return new RankingSignals(dna, tower, models, { raters: ranker.raters, ratedAt: ranker.ratedAt });
}

export interface RankerFit {
  state: RankerState;
  metrics: {
    validation: { users: number; queries: number; ratings: number; newUsers: number };
    blend: { lossStart: number; lossEnd: number; weights: ReturnType<typeof describeBlend> };
    innerTowers: Awaited<ReturnType<typeof trainTowers>>['metrics'];
    towers: Awaited<ReturnType<typeof trainTowers>>['metrics'];
  };
}

/** `full`: the collaborative models fitted on the whole of `train`, which the path will run with. */
export async function fitRanker(
  train: TrainingSet,
  context: RankerContext,
  full: CollaborativeModels,
  options: RankerOptions,
  seed: number,
  progress?: Progress,
): Promise<RankerFit> {
  const carve = validationCarve(train.interactions, seed);
  const inner = trainingSet({ movies: train.movies, interactions: carve.train });
  const innerModels = await fitCollaborativeModels(inner, seed, progress);
  const innerCounts = ratingCounts(carve.train);
  const innerTowers = await fitTowers(inner, context, innerModels, innerCounts.raters, options, seed, progress);
  const innerSignals = await rankingSignals(context.dna, { towers: innerTowers.weights, ...innerCounts }, innerModels);
  const counts = ratingCounts(train.interactions);
  const queries = await blendQueries(carve.train, carve.validation, context, innerSignals, (movieId) => counts.raters.has(movieId), options.candidates, seed);
  const blend = fitBlend(queries);
  const towers = await fitTowers(train, context, full, counts.raters, options, seed, progress);
  return {
    state: { towers: towers.weights, blend: blend.weights, ...counts },
    metrics: {
      validation: {
        users: queries.length,
        queries: blend.queries,
        ratings: interactionCount(carve.validation),
        newUsers: carve.newUsers,
      },
      blend: { lossStart: blend.loss.start, lossEnd: blend.loss.end, weights: describeBlend(blend.weights) },
      innerTowers: innerTowers.metrics,
      towers: towers.metrics,
    },
  };
}

/**
 * The blend's validation carve of a training set: new users keep only their first 1, 3 or 5 ratings (the rest is
 * validation), and everyone else's last VALIDATION_SHARE by time is validation. Movies first rated in the validation
 * part are new movies there. None is carved at random: a random tenth of the catalog is far more popular than the
 * movies that really arrive unrated (measured: the blend then pushed unrated movies to users with one rating).
 */
export function validationCarve(interactions: Interactions, seed: number): { train: Interactions; validation: Interactions; newUsers: number } {
  const byNewUsers = coldUsersSplit(interactions, seed, NEW_USER_SHARE);
  const newUsers = byNewUsers.segments ?? new Map();
  const established = filterRows(byNewUsers.train, (row) => !newUsers.has(byNewUsers.train.users[row]!));
  const byTime = temporalSplit(established, seed, VALIDATION_SHARE);
  const kept = filterRows(byNewUsers.train, (row) => newUsers.has(byNewUsers.train.users[row]!));
  return { train: concatInteractions(byTime.train, kept), validation: concatInteractions(byTime.test, byNewUsers.test), newUsers: newUsers.size };
}

/** Each user's ratings in time order. */
export function timelines(interactions: Interactions, seed: number): Map<UserId, RatedMovie[]> {
  const { order, starts, userIds } = historiesByUser(interactions, seed);
  const byUser = new Map<UserId, RatedMovie[]>();
  userIds.forEach((userId, u) => {
    byUser.set(
      userId,
      Array.from(order.subarray(starts[u], starts[u + 1]), (row) => {
        const { movieId, rating, timestamp } = ratingAt(interactions, row);
        return { movieId, rating, timestamp };
      }),
    );
  });
  return byUser;
}

export async function fitTowers(
  train: TrainingSet,
  context: RankerContext,
  models: CollaborativeModels,
  raters: ReadonlyMap<MovieId, number>,
  options: RankerOptions,
  seed: number,
  progress?: Progress,
) {
  const { dna } = context;
  const mfDim = models.mf.movieFactorTable().dim;
  const rows = (movies: readonly RatedMovie[]) => Int32Array.from(movies.flatMap((entry) => (dna.has(entry.movieId) ? [dna.row(entry.movieId)!] : [])));
  const examples: TowerExample[] = [];
  for (const [userId, history] of timelines(train.interactions, seed)) {
    for (const cut of CUTS) {
      const at = Math.max(1, Math.floor(cut * history.length));
      const prefix = history.slice(0, at);
      const targets = rows(history.slice(at, at + Math.max(1, Math.round(WINDOW * history.length))).filter((entry) => entry.rating >= RELEVANT_RATING));
      const taste = targets.length > 0 ? context.taste(prefix, userId) : null;
      if (!taste) continue;
      examples.push({ userId, input: userInput(taste, models.mf.userFactor({ history: prefix }), mfDim), targets, seen: rows(prefix) });
    }
  }
  const items = itemInputs(dna, { mfFactors: models.mf.movieFactorTable(), raters });
  return trainTowers(examples, items, options, seed, progress);
}

/**
 * The validation users' candidates as the path gathers them, with their signals and the ones each user liked next.
 * A candidate nobody rated anywhere in `train` is left out: it cannot be liked in the validation part, so keeping it
 * would teach the blend that what such a movie looks like is disliked (it is not: it is unseen).
 */
export async function blendQueries(
  train: Interactions,
  validation: Interactions,
  context: RankerContext,
  signals: RankingSignals,
  ratedInTraining: (movieId: MovieId) => boolean,
  candidates: number,
  seed: number,
): Promise<BlendQuery[]> {
  const liked = new Map<UserId, Set<MovieId>>();
  for (let row = 0; row < validation.users.length; row++) {
    if (validation.ratings[row]! < RELEVANT_RATING) continue;
    const userId = validation.users[row]!;
    if (!liked.has(userId)) liked.set(userId, new Set());
    liked.get(userId)!.add(validation.movies[row]!);
  }
  const sources = [dnaCandidates(exactMovieIndex(context.dna)), ...collaborativeCandidates(signals)];
  const queries: BlendQuery[] = [];
  for (const [userId, history] of timelines(train, seed)) {
    const wanted = liked.get(userId);
    const taste = wanted ? context.taste(history, userId) : null;
    if (!wanted || !taste) continue;
    const query: CandidateQuery = { taste, history, userId };
    const found = await gatherCandidates(sources, query, candidates, { ids: new Set(history.map((entry) => entry.movieId)) });
    const movieIds = [...found.keys()].filter((movieId) => context.dna.has(movieId) && ratedInTraining(movieId));
    queries.push({
      movieIds: Int32Array.from(movieIds),
      signals: standardise(signals.matrix(query, movieIds), movieIds.length),
      count: movieIds.length,
      positives: Int32Array.from(movieIds.flatMap((movieId, c) => (wanted.has(movieId) ? [c] : []))),
      historyLength: history.length,
    });
  }
  return queries;
}
