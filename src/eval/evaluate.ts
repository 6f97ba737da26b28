/**
 * The referee: split the ratings by a protocol, tune each model on a validation split carved from training, fit it
 * on training only, and score full rankings (every movie the user has not rated in training) against the test.
 */
import type { MovieId, Rating, UserId } from '../domain.js';
import { silentProgress, type Progress } from '../progress.js';
import type { ModelDefinition, ModelParams, Recommender, Scored, TrainingSet } from '../recommender.js';
import { datasetHash, type EvaluationData } from './dataset.js';
import {
  averagePrecisionAt, catalogCoverageAt, genreSpace, hitRateAt, intraListDiversityAt, ndcgAt, noveltyAt,
  popularityShares, precisionAt, ratingErrors, recallAt, type GenreSpace, type RatingErrors,
} from './metrics.js';
import { PROTOCOLS, type ProtocolName } from './protocols.js';
import { groupByUser, type Split } from './splits.js';

export const RELEVANCE_KINDS = ['rated4', 'watched'] as const;
export type Relevance = (typeof RELEVANCE_KINDS)[number];
/** With `rated4`, a test rating at or above this is relevant; with `watched`, every test rating is. */
export const RELEVANT_RATING = 4.0;
export const CUTOFFS = [5, 10, 20] as const;
export const RANKING_METRICS = ['precision', 'recall', 'ndcg', 'map', 'hitrate', 'ild', 'coverage', 'novelty'] as const;

/** Flat metric names to values: "ndcg@10", "precision@5", …, "rmse", "mae". */
export type Metrics = Record<string, number>;

export interface EvaluationOptions {
  protocol: ProtocolName;
  models: readonly ModelDefinition[];
  /** The cutoff that tuning optimises and the table shows; metrics are reported at 5, 10, 20 and k. */
  k: number;
  seed: number;
  relevance: Relevance;
  /** Tune each model's grid on a validation split carved from training; false uses the defaults. */
  tune: boolean;
  progress?: Progress;
}

export interface TuningResult {
  /** The validation metric: "ndcg@k" (higher is better) or "rmse" (lower is better). */
  metric: string;
  candidates: { params: ModelParams; score: number }[];
}

export interface ModelResult {
  name: string;
  params: ModelParams;
  /** Seconds of the final fit on the whole training split. */
  fitSeconds: number;
  /** Seconds spent fitting and scoring the grid on the validation split. */
  tuneSeconds: number;
  tuning: TuningResult | null;
  metrics: Metrics;
  /** Metrics per group of test users, for protocols that define groups (cold-users: "first 1", "first 3", …). */
  segments: Record<string, Metrics>;
}

export interface EvaluationResult {
  protocol: ProtocolName;
  protocolDescription: string;
  seed: number;
  relevance: Relevance;
  k: number;
  cutoffs: number[];
  dataset: { hash: string; movies: number; users: number; ratings: number };
  split: {
    trainRatings: number;
    testRatings: number;
    /** Test users that are scored: some training history and at least one relevant test movie. */
    evaluatedUsers: number;
    /** Test users with no training rating at all; no history-based model can rank for them, so they are not scored. */
    usersWithoutHistory: number;
    /** Test users none of whose test ratings is relevant; recall and nDCG are undefined for them. */
    usersWithoutRelevant: number;
  };
  models: ModelResult[];
}

/** One scored test user: what training shows of them (excluded from their ranking) and what they went on to like. */
export interface TestUser {
  userId: UserId;
  history: Set<MovieId>;
  relevant: Set<MovieId>;
  segment?: string;
}

export async function evaluate(data: EvaluationData, options: EvaluationOptions): Promise<EvaluationResult> {
  const progress = options.progress ?? silentProgress;
  const protocol = PROTOCOLS[options.protocol];
  const split = protocol.split(data.ratings, options.seed);
  const train: TrainingSet = { movies: data.movies, ratings: split.train };
  const cases = testUsers(split, options.relevance);
  const cutoffs = [...new Set([...CUTOFFS, options.k])].sort((a, b) => a - b);
  const scoring = scoringContext(train, cutoffs);

  const models: ModelResult[] = [];
  for (const definition of options.models) {
    const tuneStarted = performance.now();
    const { params, tuning } = await chooseParams(definition, data, split, options, cutoffs, progress);
    const tuneSeconds = (performance.now() - tuneStarted) / 1000;
    const model = definition.create(params, options.seed);
    const fitStarted = performance.now();
    await model.fit(train, progress);
    const fitSeconds = (performance.now() - fitStarted) / 1000;
    const ranking = rankingMetrics(definition.name, model, cases.users, scoring, progress);
    const rating = model.predictRating ? predictionErrors(model, split.test) : {};
    models.push({ name: definition.name, params, fitSeconds, tuneSeconds, tuning, metrics: { ...ranking.overall, ...rating }, segments: ranking.segments });
  }

  return {
    protocol: protocol.name,
    protocolDescription: protocol.description,
    seed: options.seed,
    relevance: options.relevance,
    k: options.k,
    cutoffs,
    dataset: { hash: datasetHash(data), movies: data.movies.length, users: new Set(data.ratings.map((r) => r.userId)).size, ratings: data.ratings.length },
    split: {
      trainRatings: split.train.length,
      testRatings: split.test.length,
      evaluatedUsers: cases.users.length,
      usersWithoutHistory: cases.withoutHistory,
      usersWithoutRelevant: cases.withoutRelevant,
    },
    models,
  };
}

/**
 * The users a split tests, with their training history and relevant test movies. Throws if any test rating's
 * (user, movie) is also in training: a split that leaks is a bug, never a result.
 */
export function testUsers(split: Split, relevance: Relevance): { users: TestUser[]; withoutHistory: number; withoutRelevant: number } {
  const history = groupByUser(split.train);
  const heldOut = groupByUser(split.test);
  const users: TestUser[] = [];
  let withoutHistory = 0;
  let withoutRelevant = 0;
  for (const [userId, ratings] of [...heldOut].sort(([a], [b]) => a - b)) {
    const seen = new Set((history.get(userId) ?? []).map((rating) => rating.movieId));
    for (const rating of ratings) {
      if (seen.has(rating.movieId)) throw new Error(`leak: user ${userId}'s rating of movie ${rating.movieId} is in both train and test`);
    }
    const relevant = new Set(ratings.filter((rating) => relevance === 'watched' || rating.rating >= RELEVANT_RATING).map((rating) => rating.movieId));
    if (seen.size === 0) withoutHistory++;
    else if (relevant.size === 0) withoutRelevant++;
    else users.push({ userId, history: seen, relevant, segment: split.segments?.get(userId) });
  }
  return { users, withoutHistory, withoutRelevant };
}

/** What beyond-accuracy metrics are measured against: genres, training popularity, catalog size, cutoffs. */
interface ScoringContext {
  genres: GenreSpace;
  share: (movieId: MovieId) => number;
  catalogSize: number;
  cutoffs: number[];
}

function scoringContext(train: TrainingSet, cutoffs: number[]): ScoringContext {
  return { genres: genreSpace(train.movies), share: popularityShares(train.ratings), catalogSize: train.movies.length, cutoffs };
}

/** Each user's list at the largest cutoff, checked, then metrics for all users and for each segment. */
function rankingMetrics(name: string, model: Recommender, users: readonly TestUser[], context: ScoringContext, progress: Progress) {
  const depth = Math.max(...context.cutoffs);
  const bar = progress(`rank ${name}`, users.length);
  const lists = users.map((user) => {
    const list = checkedList(name, model.recommend(user.userId, depth, { exclude: user.history }), depth, user.history);
    bar.tick();
    return list;
  });
  bar.done();
  const segments: Record<string, Metrics> = {};
  for (const segment of [...new Set(users.flatMap((user) => (user.segment ? [user.segment] : [])))].sort()) {
    const members = users.flatMap((user, i) => (user.segment === segment ? [i] : []));
    segments[segment] = summarise(members.map((i) => users[i]!), members.map((i) => lists[i]!), context);
  }
  return { overall: summarise(users, lists, context), segments };
}

/** A model that returns too many movies, a movie twice, or one the user already rated is broken: stop, do not score it. */
function checkedList(name: string, list: readonly Scored[], n: number, exclude: ReadonlySet<MovieId>): MovieId[] {
  const ids = list.map((entry) => entry.movieId);
  if (ids.length > n) throw new Error(`${name} returned ${ids.length} movies where ${n} were asked for`);
  if (new Set(ids).size !== ids.length) throw new Error(`${name} returned a movie twice in one list`);
  const seen = ids.find((movieId) => exclude.has(movieId));
  if (seen !== undefined) throw new Error(`${name} recommended movie ${seen}, which the user rated in training`);
  return ids;
}

/** Means over users of every ranking metric at every cutoff; coverage is over all the users' lists together. */
function summarise(users: readonly TestUser[], lists: readonly MovieId[][], context: ScoringContext): Metrics {
  const metrics: Metrics = {};
  const mean = (values: (number | undefined)[]) => {
    const defined = values.filter((value): value is number => value !== undefined);
    return defined.length ? defined.reduce((sum, value) => sum + value, 0) / defined.length : 0;
  };
  for (const k of context.cutoffs) {
    const perUser = (metric: (list: MovieId[], user: TestUser) => number | undefined) => mean(lists.map((list, i) => metric(list, users[i]!)));
    metrics[`precision@${k}`] = perUser((list, user) => precisionAt(list, user.relevant, k));
    metrics[`recall@${k}`] = perUser((list, user) => recallAt(list, user.relevant, k));
    metrics[`ndcg@${k}`] = perUser((list, user) => ndcgAt(list, user.relevant, k));
    metrics[`map@${k}`] = perUser((list, user) => averagePrecisionAt(list, user.relevant, k));
    metrics[`hitrate@${k}`] = perUser((list, user) => hitRateAt(list, user.relevant, k));
    metrics[`ild@${k}`] = perUser((list) => intraListDiversityAt(list, context.genres, k));
    metrics[`coverage@${k}`] = catalogCoverageAt(lists, context.catalogSize, k);
    metrics[`novelty@${k}`] = perUser((list) => noveltyAt(list, context.share, k));
  }
  return metrics;
}

/** RMSE and MAE of a rating model's predictions for held-out ratings. */
function predictionErrors(model: Recommender, ratings: readonly Rating[]): RatingErrors {
  const predict = model.predictRating?.bind(model);
  if (!predict) throw new Error('this model predicts no ratings, so it cannot be tuned or scored on rating error');
  return ratingErrors(ratings.map((rating) => ({ predicted: predict(rating.userId, rating.movieId), actual: rating.rating })));
}

/** Every combination of the grid's values, on top of the defaults, in grid order. */
export function gridCandidates(definition: ModelDefinition): ModelParams[] {
  let candidates: ModelParams[] = [{ ...definition.defaults }];
  for (const [name, values] of Object.entries(definition.grid)) {
    if (!values?.length) continue;
    candidates = candidates.flatMap((candidate) => values.map((value) => ({ ...candidate, [name]: value })));
  }
  return candidates;
}

/**
 * Picks the grid candidate that scores best on a validation split carved from the training split by the same
 * protocol (another seed): the test split is never looked at. Ties go to the defaults, else to the earlier candidate
 * (under cold-items, say, no rating-history model scores anything on validation, and the defaults should stand).
 */
async function chooseParams(
  definition: ModelDefinition,
  data: EvaluationData,
  split: Split,
  options: EvaluationOptions,
  cutoffs: number[],
  progress: Progress,
): Promise<{ params: ModelParams; tuning: TuningResult | null }> {
  const candidates = gridCandidates(definition);
  if (!options.tune || candidates.length < 2) return { params: { ...definition.defaults }, tuning: null };
  const validation = PROTOCOLS[options.protocol].split(split.train, options.seed + 1);
  const train: TrainingSet = { movies: data.movies, ratings: validation.train };
  const users = testUsers(validation, options.relevance).users;
  const context = scoringContext(train, cutoffs);
  const metric = definition.tuneOn === 'rating' ? 'rmse' : `ndcg@${options.k}`;
  const bar = progress(`tune ${definition.name}`, candidates.length);
  const scored: TuningResult['candidates'] = [];
  for (const params of candidates) {
    const model = definition.create(params, options.seed);
    await model.fit(train);
    const score =
      metric === 'rmse'
        ? predictionErrors(model, validation.test).rmse
        : rankingMetrics(definition.name, model, users, context, silentProgress).overall[metric]!;
    scored.push({ params, score });
    bar.tick();
  }
  bar.done();
  const better = (a: number, b: number) => (metric === 'rmse' ? a < b : a > b);
  const defaults = JSON.stringify(definition.defaults);
  const preferred = (candidate: (typeof scored)[number], champion: (typeof scored)[number]) =>
    better(candidate.score, champion.score) || (candidate.score === champion.score && JSON.stringify(candidate.params) === defaults);
  const best = scored.reduce((champion, candidate) => (preferred(candidate, champion) ? candidate : champion));
  return { params: best.params, tuning: { metric, candidates: scored } };
}
