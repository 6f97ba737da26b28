/**
 * Ranking and rating metrics. `ranked` is a model's list, best first; `relevant` the user's relevant test movies.
 * A list shorter than k counts its empty slots as misses.
 */
import type { Movie, MovieId } from '../domain.js';
import { sortedUnique, type Interactions } from '../interactions.js';
import { sharedCount } from '../math/sorted-sets.js';

/**
 * With relevance `rated4`, a test rating at or above this is relevant; with `watched`, every test rating is. A test
 * rating at or above it is also a liked one, that next_hitrate predicts in turn.
 */
export const RELEVANT_RATING = 4.0;

function hitsAt(ranked: readonly MovieId[], relevant: ReadonlySet<MovieId>, k: number): number {
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) hits++;
  return hits;
}

export function precisionAt(ranked: readonly MovieId[], relevant: ReadonlySet<MovieId>, k: number): number {
  return hitsAt(ranked, relevant, k) / k;
}

export function recallAt(ranked: readonly MovieId[], relevant: ReadonlySet<MovieId>, k: number): number {
  return relevant.size === 0 ? 0 : hitsAt(ranked, relevant, k) / relevant.size;
}

export function hitRateAt(ranked: readonly MovieId[], relevant: ReadonlySet<MovieId>, k: number): number {
  return hitsAt(ranked, relevant, k) > 0 ? 1 : 0;
}

/** Binary gain, log2 discount; the ideal DCG puts min(k, |relevant|) relevant movies first. */
export function ndcgAt(ranked: readonly MovieId[], relevant: ReadonlySet<MovieId>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** AP@k: the precision at each relevant position within k, summed, over min(k, |relevant|). MAP is its mean over users. */
export function averagePrecisionAt(ranked: readonly MovieId[], relevant: ReadonlySet<MovieId>, k: number): number {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    if (relevant.has(ranked[i]!)) sum += ++hits / (i + 1);
  }
  const denominator = Math.min(k, relevant.size);
  return denominator === 0 ? 0 : sum / denominator;
}

/**
 * The fixed reference space for diversity: each movie's genres as sorted indices into the catalog's genre list
 * (a multi-hot vector). A model cannot move movies in this space, so it cannot game diversity by its own geometry.
 */
export type GenreSpace = Map<MovieId, Int32Array>;

export function genreSpace(movies: readonly Movie[]): GenreSpace {
  const genres = [...new Set(movies.flatMap((movie) => movie.genres))].sort();
  const index = new Map(genres.map((genre, i) => [genre, i]));
  return new Map(movies.map((movie) => [movie.movieId, Int32Array.from(new Set(movie.genres), (genre) => index.get(genre)!).sort()]));
}

/** Cosine of two multi-hot vectors: shared genres over the geometric mean of the counts; 0 when either has none. */
export function genreCosine(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = sharedCount(a, b);
  return shared / Math.sqrt(a.length * b.length);
}

/**
 * 1 − mean pairwise genre cosine over the top k. Pairs with a movie that has no genres are skipped: "no genres" is
 * unknown, not maximally different. Undefined when no pair is left.
 */
export function intraListDiversityAt(ranked: readonly MovieId[], genres: GenreSpace, k: number): number | undefined {
  const vectors = ranked.slice(0, k).flatMap((movieId) => {
    const vector = genres.get(movieId);
    return vector?.length ? [vector] : [];
  });
  if (vectors.length < 2) return undefined;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++, pairs++) sum += genreCosine(vectors[i]!, vectors[j]!);
  }
  return 1 - sum / pairs;
}

/**
 * Popularity share of each movie in training: (users who rated it + 1) / (training users + 1). The +1 keeps a
 * movie that nobody rated in training finite instead of infinitely novel.
 */
export function popularityShares(interactions: Interactions): (movieId: MovieId) => number {
  const raters = new Map<MovieId, number>();
  for (const movieId of interactions.movies) raters.set(movieId, (raters.get(movieId) ?? 0) + 1);
  const users = sortedUnique(interactions.users).length;
  return (movieId) => ((raters.get(movieId) ?? 0) + 1) / (users + 1);
}

/** Mean self-information −log2(share) of the top k, in bits: higher means less obvious recommendations. */
export function noveltyAt(ranked: readonly MovieId[], share: (movieId: MovieId) => number, k: number): number | undefined {
  const top = ranked.slice(0, k);
  if (top.length === 0) return undefined;
  return top.reduce((sum, movieId) => sum - Math.log2(share(movieId)), 0) / top.length;
}

/** Share of the catalog that appears in at least one user's top k. */
export function catalogCoverageAt(lists: readonly (readonly MovieId[])[], catalogSize: number, k: number): number {
  const shown = new Set<MovieId>();
  for (const list of lists) for (const movieId of list.slice(0, k)) shown.add(movieId);
  return catalogSize === 0 ? 0 : shown.size / catalogSize;
}

export interface RatingErrors {
  rmse: number;
  mae: number;
}

export function ratingErrors(pairs: readonly { predicted: number; actual: number }[]): RatingErrors {
  if (pairs.length === 0) return { rmse: Number.NaN, mae: Number.NaN };
  let squared = 0;
  let absolute = 0;
  for (const { predicted, actual } of pairs) {
    squared += (predicted - actual) ** 2;
    absolute += Math.abs(predicted - actual);
  }
  return { rmse: Math.sqrt(squared / pairs.length), mae: absolute / pairs.length };
}

/** What the per-user ranking metrics need beyond the list: the user's relevant movies and the reference spaces. */
export interface MetricContext {
  relevant: ReadonlySet<MovieId>;
  genres: GenreSpace;
  share: (movieId: MovieId) => number;
}

interface MetricBase {
  key: string;
  /** The short column label of tables and charts. */
  label: string;
  meaning: string;
  lowerIsBetter?: boolean;
}

/** A mean over users of a per-user value at k; a user for whom it is undefined does not count. */
interface UserMetric extends MetricBase {
  kind: 'user';
  value(ranked: readonly MovieId[], context: MetricContext, k: number): number | undefined;
}

/**
 * One value over all users' lists together (catalog), over predicted ratings (rating), or over lists asked for along
 * each user's test ratings in time order (next: src/eval/next-hit.ts).
 */
interface AggregateMetric extends MetricBase {
  kind: 'catalog' | 'rating' | 'next';
}

export type MetricDefinition = UserMetric | AggregateMetric;

/** Every metric an evaluation reports, in table order: summary, report, charts and tests all read this one table. */
export const METRICS: readonly MetricDefinition[] = [
  { key: 'precision', label: 'P', kind: 'user', meaning: 'precision: share of the top k that is relevant', value: (r, c, k) => precisionAt(r, c.relevant, k) },
  {
    key: 'recall',
    label: 'R',
    kind: 'user',
    meaning: "recall: share of the user's relevant test movies found in the top k",
    value: (r, c, k) => recallAt(r, c.relevant, k),
  },
  {
    key: 'ndcg',
    label: 'nDCG',
    kind: 'user',
    meaning: 'normalised discounted cumulative gain (binary gain, log2 discount)',
    value: (r, c, k) => ndcgAt(r, c.relevant, k),
  },
  {
    key: 'map',
    label: 'MAP',
    kind: 'user',
    meaning: 'mean average precision, AP@k normalised by min(k, relevant)',
    value: (r, c, k) => averagePrecisionAt(r, c.relevant, k),
  },
  {
    key: 'hitrate',
    label: 'HR',
    kind: 'user',
    meaning: 'hit rate: share of users with at least one relevant movie in the top k',
    value: (r, c, k) => hitRateAt(r, c.relevant, k),
  },
  {
    key: 'next_hitrate',
    label: 'nextHR',
    kind: 'next',
    meaning:
      'next-item hit rate: each liked test rating (≥ 4.0), in time order, predicted from the history just before it (training plus earlier test ratings, no refit); ' +
      'hits over liked ratings per user, averaged over users',
  },
  {
    key: 'ild',
    label: 'ILD',
    kind: 'user',
    meaning: 'intra-list diversity: 1 − mean pairwise cosine of genre vectors (movies without genres left out)',
    value: (r, c, k) => intraListDiversityAt(r, c.genres, k),
  },
  { key: 'coverage', label: 'Cov', kind: 'catalog', meaning: 'catalog coverage: share of all movies shown to anyone' },
  { key: 'novelty', label: 'Nov', kind: 'user', meaning: 'novelty: mean −log2 popularity share, in bits', value: (r, c, k) => noveltyAt(r, c.share, k) },
  { key: 'rmse', label: 'RMSE', kind: 'rating', meaning: 'root mean squared error of predicted test ratings (rating models only)', lowerIsBetter: true },
  { key: 'mae', label: 'MAE', kind: 'rating', meaning: 'mean absolute error of predicted test ratings', lowerIsBetter: true },
];

/** The flat result name of a metric: "ndcg@10" for ranking metrics, "rmse" for rating ones. */
export function metricName(metric: MetricDefinition, k: number): string {
  return metric.kind === 'rating' ? metric.key : `${metric.key}@${k}`;
}
