/**
 * The referee: split the ratings by a protocol, tune each model on a validation split carved from training, fit it
 * on training only, and score full rankings (every movie the user has not rated in training) against the test.
 * Under cold-items every model is also ranked among the held-out movies only, where content models can be compared.
 */
import type { MovieId, UserId } from '../domain.js';
import { UsageError } from '../errors.js';
import { interactionCount, interactionMatrix, sortedUnique, type InteractionMatrix, type Interactions } from '../interactions.js';
import { seededRandom, shuffle } from '../math/random.js';
import { silentProgress, type Progress } from '../progress.js';
import {
  trainingSet,
  type ModelDefinition,
  type ModelParams,
  type RecommendOptions,
  type Recommender,
  type Scored,
  type TrainingSet,
  type VectorStoreReader,
} from '../recommender.js';
import { datasetHash, type EvaluationData } from './dataset.js';
import { catalogCoverageAt, genreSpace, METRICS, metricName, popularityShares, ratingErrors, RELEVANT_RATING, type GenreSpace, type RatingErrors } from './metrics.js';
import { nextHitRates, userWalks } from './next-hit.js';
import { PROTOCOLS, type ProtocolName } from './protocols.js';
import type { Split } from './splits.js';

export const RELEVANCE_KINDS = ['rated4', 'watched'] as const;
export type Relevance = (typeof RELEVANCE_KINDS)[number];
export { RELEVANT_RATING } from './metrics.js';
export const CUTOFFS = [5, 10, 20] as const;

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
  /** Score a seeded sample of at most this many test users (large datasets); every one when absent. */
  maxUsers?: number;
  /**
   * λ values in [0, 1] at which to rank again with each model that re-ranks by MMR (`diversifies`), after its one fit:
   * the accuracy / diversity / coverage trade-off of the same model.
   */
  lambdaSweep?: readonly number[];
  progress?: Progress;
}

/** A diversifying model's ranking metrics (every cutoff, no next_hitrate) with its lists re-ranked at one λ. */
export interface LambdaPoint {
  lambda: number;
  metrics: Metrics;
}

export interface TuningResult {
  /** The validation metric: "ndcg@k" (higher is better) or "rmse" (lower is better). */
  metric: string;
  candidates: { params: ModelParams; score: number }[];
  /** Why the grid was not run, when it was not (the defaults stand). */
  skipped?: string;
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
  /**
   * Under protocols whose held-out movies have no training ratings (cold-items): the metrics of lists ranked among
   * those movies only. Models that rank from ratings alone score 0 on the full ranking there by construction.
   */
  coldOnly?: Metrics;
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
    /** The fingerprint of the training ratings: what every model and space used here must have been fitted on. */
    trainedOn: string;
    /** Test users that are scored: some training history and at least one relevant test movie. */
    evaluatedUsers: number;
    /** Test users that could have been scored, when only a sample of them was (maxUsers). */
    sampledFrom?: number;
    /** Test users with no training rating at all; no history-based model can rank for them, so they are not scored. */
    usersWithoutHistory: number;
    /** Test users none of whose test ratings is relevant; recall and nDCG are undefined for them. */
    usersWithoutRelevant: number;
    /** Under cold-items: how many movies the test split holds out, the candidates of every model's `coldOnly` lists. */
    heldOutMovies?: number;
  };
  models: ModelResult[];
  /** With `lambdaSweep`: each model that re-ranks by MMR, by name, with its metrics at every λ in the order given. */
  lambdaSweep?: Record<string, LambdaPoint[]>;
  /** With `lambdaSweep`: the listed models that do not re-rank by MMR, so were not swept. */
  lambdaSweepSkipped?: string[];
}

/** One scored test user: what they went on to like, and their group for protocols that report groups. */
export interface TestUser {
  userId: UserId;
  relevant: Set<MovieId>;
  segment?: string;
}

export async function evaluate(data: EvaluationData, options: EvaluationOptions): Promise<EvaluationResult> {
  const progress = options.progress ?? silentProgress;
  const protocol = PROTOCOLS[options.protocol];
  const split = protocol.split(data.interactions, options.seed);
  const hash = datasetHash(data);
  const train = trainingSet({ movies: data.movies, interactions: split.train, datasetHash: hash, ...(data.vectorStore ? { vectorStore: data.vectorStore } : {}) });
  const cases = testUsers(split, options.relevance, interactionMatrix(train.movies, train.interactions));
  if (cases.users.length === 0) {
    throw new UsageError(
      `nothing to score: under ${protocol.name}, none of the ${cases.withoutHistory + cases.withoutRelevant} test users has both training ratings and a relevant test movie ` +
        `(${cases.withoutHistory} without training ratings, ${cases.withoutRelevant} without a relevant test movie)`,
    );
  }
  const scored = sampleUsers(cases.users, options.maxUsers, options.seed);
  const cutoffs = [...new Set([...CUTOFFS, options.k])].sort((a, b) => a - b);
  const scoring = scoringContext(train, cutoffs);
  // Coverage there is the share of the held-out movies shown: they are the whole catalog of those lists.
  const heldOut = protocol.heldOutMoviesUnrated ? new Set(split.test.movies) : null;
  const coldScoring = heldOut ? { ...scoring, catalogSize: heldOut.size, among: heldOut } : null;
  const walks = userWalks(
    split.train,
    split.test,
    scored.map((user) => user.userId),
    options.seed,
  );

  const models: ModelResult[] = [];
  const sweeps: Record<string, LambdaPoint[]> = {};
  for (const definition of options.models) {
    const tuneStarted = performance.now();
    const { params, tuning } = await chooseParams(definition, train, data.vectorStore, options, cutoffs, progress);
    const tuneSeconds = (performance.now() - tuneStarted) / 1000;
    const model = definition.create(params, options.seed);
    const fitStarted = performance.now();
    await model.fit(train, progress);
    const fitSeconds = (performance.now() - fitStarted) / 1000;
    const ranking = await rankingMetrics(definition.name, model, scored, scoring, progress);
    addNextHitRates(ranking, scored, await nextHitRates(definition.name, model, walks, cutoffs, progress), cutoffs);
    const rating = model.predictRating ? predictionErrors(model, split.test) : {};
    const coldOnly = coldScoring ? { coldOnly: (await rankingMetrics(definition.name, model, scored, coldScoring, progress)).overall } : {};
    models.push({ name: definition.name, params, fitSeconds, tuneSeconds, tuning, metrics: { ...ranking.overall, ...rating }, segments: ranking.segments, ...coldOnly });
    if (options.lambdaSweep && definition.diversifies) {
      sweeps[definition.name] = await lambdaSweep(definition.name, model, options.lambdaSweep, scored, scoring, progress);
    }
  }
  const sweep = options.lambdaSweep
    ? { lambdaSweep: sweeps, lambdaSweepSkipped: options.models.filter((definition) => !definition.diversifies).map((definition) => definition.name) }
    : {};

  return {
    protocol: protocol.name,
    protocolDescription: protocol.description,
    seed: options.seed,
    relevance: options.relevance,
    k: options.k,
    cutoffs,
    dataset: { hash, movies: data.movies.length, users: sortedUnique(data.interactions.users).length, ratings: interactionCount(data.interactions) },
    split: {
      trainRatings: interactionCount(split.train),
      testRatings: interactionCount(split.test),
      trainedOn: train.trainedOn,
      evaluatedUsers: scored.length,
      ...(scored.length < cases.users.length ? { sampledFrom: cases.users.length } : {}),
      usersWithoutHistory: cases.withoutHistory,
      usersWithoutRelevant: cases.withoutRelevant,
      ...(heldOut ? { heldOutMovies: heldOut.size } : {}),
    },
    models,
    ...sweep,
  };
}

/** Whether the training matrix has this user × movie rating (rows are sorted by column, so a binary search). */
function inTraining(matrix: InteractionMatrix, user: number | undefined, movieId: MovieId): boolean {
  const movie = matrix.movieIndex.get(movieId);
  if (user === undefined || movie === undefined) return false;
  const { indptr, indices } = matrix.byUser;
  let low = indptr[user]!;
  let high = indptr[user + 1]! - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (indices[middle] === movie) return true;
    if (indices[middle]! < movie) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * The users a split tests, with their relevant test movies. Throws if any test rating's (user, movie) is also in
 * training: a split that leaks is a bug, never a result.
 */
export function testUsers(split: Split, relevance: Relevance, trainMatrix: InteractionMatrix): { users: TestUser[]; withoutHistory: number; withoutRelevant: number } {
  const { test } = split;
  const relevantOf = new Map<UserId, Set<MovieId>>();
  for (let row = 0; row < interactionCount(test); row++) {
    const userId = test.users[row]!;
    const movieId = test.movies[row]!;
    if (inTraining(trainMatrix, trainMatrix.userIndex.get(userId), movieId)) {
      throw new Error(`leak: user ${userId}'s rating of movie ${movieId} is in both train and test`);
    }
    let relevant = relevantOf.get(userId);
    if (!relevant) relevantOf.set(userId, (relevant = new Set()));
    if (relevance === 'watched' || test.ratings[row]! >= RELEVANT_RATING) relevant.add(movieId);
  }
  const users: TestUser[] = [];
  let withoutHistory = 0;
  let withoutRelevant = 0;
  for (const [userId, relevant] of [...relevantOf].sort(([a], [b]) => a - b)) {
    if (!trainMatrix.userIndex.has(userId)) withoutHistory++;
    else if (relevant.size === 0) withoutRelevant++;
    else users.push({ userId, relevant, segment: split.segments?.get(userId) });
  }
  return { users, withoutHistory, withoutRelevant };
}

/** A seeded sample of at most `limit` users, in user order; all of them without a limit. */
function sampleUsers(users: TestUser[], limit: number | undefined, seed: number): TestUser[] {
  if (limit === undefined || users.length <= limit) return users;
  return shuffle(users.slice(), seededRandom(seed + 2))
    .slice(0, limit)
    .sort((a, b) => a.userId - b.userId);
}

/** What beyond-accuracy metrics are measured against: genres, training popularity, catalog size, the training matrix. */
interface ScoringContext {
  genres: GenreSpace;
  share: (movieId: MovieId) => number;
  catalogSize: number;
  cutoffs: number[];
  matrix: InteractionMatrix;
  /** When set, lists are ranked among these movies only: passed to the model as a filter and checked on its lists. */
  among?: ReadonlySet<MovieId>;
}

function scoringContext(train: TrainingSet, cutoffs: number[]): ScoringContext {
  return {
    genres: genreSpace(train.movies),
    share: popularityShares(train.interactions),
    catalogSize: train.movies.length,
    cutoffs,
    matrix: interactionMatrix(train.movies, train.interactions),
  };
}

/**
 * Each user's list at the largest cutoff, checked, then metrics for all users and for each segment. `extra` goes to
 * the model with every list (a λ for the MMR sweep).
 */
async function rankingMetrics(
  name: string,
  model: Recommender,
  users: readonly TestUser[],
  context: ScoringContext,
  progress: Progress,
  extra: Pick<RecommendOptions, 'lambda'> = {},
) {
  const depth = Math.max(...context.cutoffs);
  const { among } = context;
  const label = `rank ${name}${among ? ` among ${among.size} held-out` : ''}${extra.lambda === undefined ? '' : ` at λ = ${extra.lambda}`}`;
  const bar = progress(label, users.length);
  const options: RecommendOptions = { ...extra, ...(among ? { filter: (movieId: MovieId) => among.has(movieId) } : {}) };
  const lists: MovieId[][] = [];
  for (const user of users) {
    // The model's own default leaves rated movies out; checkedList verifies that it did.
    lists.push(checkedList(name, await model.recommend({ userId: user.userId }, depth, options), depth, user.userId, context));
    bar.tick();
  }
  bar.done();
  const segments: Record<string, Metrics> = {};
  for (const segment of [...new Set(users.flatMap((user) => (user.segment ? [user.segment] : [])))].sort()) {
    const members = users.flatMap((user, i) => (user.segment === segment ? [i] : []));
    segments[segment] = summarise(
      members.map((i) => users[i]!),
      members.map((i) => lists[i]!),
      context,
    );
  }
  return { overall: summarise(users, lists, context), segments };
}

/** The fitted model ranked again at every λ: the curve shows the re-rank's trade-off, not another fit or tuning. */
async function lambdaSweep(
  name: string,
  model: Recommender,
  lambdas: readonly number[],
  users: readonly TestUser[],
  context: ScoringContext,
  progress: Progress,
): Promise<LambdaPoint[]> {
  const points: LambdaPoint[] = [];
  for (const lambda of lambdas) points.push({ lambda, metrics: (await rankingMetrics(name, model, users, context, progress, { lambda })).overall });
  return points;
}

/** next_hitrate at every cutoff into the overall and per-segment metrics: means over the users that liked a test movie. */
function addNextHitRates(
  ranking: { overall: Metrics; segments: Record<string, Metrics> },
  users: readonly TestUser[],
  rates: readonly (Record<number, number> | undefined)[],
  cutoffs: readonly number[],
): void {
  const mean = (members: readonly (Record<number, number> | undefined)[], k: number) => {
    const values = members.flatMap((rate) => (rate ? [rate[k]!] : []));
    return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
  };
  const metric = METRICS.find((entry) => entry.kind === 'next')!;
  for (const k of cutoffs) {
    ranking.overall[metricName(metric, k)] = mean(rates, k);
    for (const [segment, metrics] of Object.entries(ranking.segments)) {
      metrics[metricName(metric, k)] = mean(
        rates.filter((_, i) => users[i]!.segment === segment),
        k,
      );
    }
  }
}

/**
 * A model that returns too many movies, a movie twice, one the user already rated, or one outside the movies it was
 * asked to rank among (it ignored the filter) is broken: stop, do not score it.
 */
function checkedList(name: string, list: readonly Scored[], n: number, userId: UserId, { matrix, among }: ScoringContext): MovieId[] {
  const ids = list.map((entry) => entry.movieId);
  if (ids.length > n) throw new Error(`${name} returned ${ids.length} movies where ${n} were asked for`);
  if (new Set(ids).size !== ids.length) throw new Error(`${name} returned a movie twice in one list`);
  const user = matrix.userIndex.get(userId);
  const seen = ids.find((movieId) => inTraining(matrix, user, movieId));
  if (seen !== undefined) throw new Error(`${name} recommended movie ${seen}, which user ${userId} rated in training`);
  const outside = among ? ids.find((movieId) => !among.has(movieId)) : undefined;
  if (outside !== undefined) throw new Error(`${name} recommended movie ${outside}, outside the ${among?.size} held-out movies it was asked to rank among`);
  return ids;
}

/**
 * Means over users of every ranking metric of METRICS at every cutoff; coverage is over all the users' lists together.
 * A mean over no users is NaN, never a 0 that reads as a measured failure.
 */
function summarise(users: readonly TestUser[], lists: readonly MovieId[][], context: ScoringContext): Metrics {
  const metrics: Metrics = {};
  for (const k of context.cutoffs) {
    for (const metric of METRICS) {
      if (metric.kind === 'catalog') metrics[metricName(metric, k)] = catalogCoverageAt(lists, context.catalogSize, k);
      if (metric.kind !== 'user') continue;
      let sum = 0;
      let counted = 0;
      lists.forEach((list, i) => {
        const value = metric.value(list, { relevant: users[i]!.relevant, genres: context.genres, share: context.share }, k);
        if (value !== undefined) {
          sum += value;
          counted++;
        }
      });
      metrics[metricName(metric, k)] = counted ? sum / counted : Number.NaN;
    }
  }
  return metrics;
}

/** RMSE and MAE of a rating model's predictions for held-out ratings. */
function predictionErrors(model: Recommender, test: Interactions): RatingErrors {
  const predict = model.predictRating?.bind(model);
  if (!predict) throw new Error('this model predicts no ratings, so it cannot be tuned or scored on rating error');
  return ratingErrors(
    Array.from({ length: interactionCount(test) }, (_, row) => ({ predicted: predict(test.users[row]!, test.movies[row]!), actual: test.ratings[row]! })),
  );
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
 * Picks the grid candidate that scores best on a validation split carved from the training set by the same
 * protocol (another seed): it sees the training set only, never the test. Ties go to the defaults, else to the
 * earlier candidate.
 */
async function chooseParams(
  definition: ModelDefinition,
  train: TrainingSet,
  vectorStore: VectorStoreReader | undefined,
  options: EvaluationOptions,
  cutoffs: number[],
  progress: Progress,
): Promise<{ params: ModelParams; tuning: TuningResult | null }> {
  const candidates = gridCandidates(definition);
  if (!options.tune || candidates.length < 2) return { params: { ...definition.defaults }, tuning: null };
  const metric = definition.tuneOn === 'rating' ? 'rmse' : `ndcg@${options.k}`;
  const protocol = PROTOCOLS[options.protocol];
  if (protocol.heldOutMoviesUnrated && definition.needsRatedMovies && definition.tuneOn === 'ranking') {
    const skipped = `not tuned: under ${protocol.name} the held-out movies have no training ratings, so every candidate of a model that ranks from ratings alone scores 0 on validation`;
    return { params: { ...definition.defaults }, tuning: { metric, candidates: [], skipped } };
  }
  const validation = protocol.split(train.interactions, options.seed + 1);
  const validationTrain = trainingSet({ movies: train.movies, interactions: validation.train, datasetHash: train.datasetHash, ...(vectorStore ? { vectorStore } : {}) });
  const users = sampleUsers(testUsers(validation, options.relevance, interactionMatrix(train.movies, validation.train)).users, options.maxUsers, options.seed);
  const context = scoringContext(validationTrain, cutoffs);
  const bar = progress(`tune ${definition.name}`, candidates.length);
  const scored: TuningResult['candidates'] = [];
  for (const params of candidates) {
    const model = definition.create(params, options.seed);
    await model.fit(validationTrain);
    const score =
      metric === 'rmse' ? predictionErrors(model, validation.test).rmse : (await rankingMetrics(definition.name, model, users, context, silentProgress)).overall[metric]!;
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
