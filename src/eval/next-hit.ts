/**
 * next_hitrate@k: taste that moves, measured. Each scored user's test ratings are walked in time order; before each
 * liked one the model ranks from the history just before it (the training history plus the test ratings already
 * walked, no refit: the query's history), a hit when the liked movie is in its top k; then that rating joins the
 * history, liked or not. Liked means rated at least RELEVANT_RATING, whatever the relevance of the other metrics. A user's value is hits over liked test ratings; the metric is its mean over users, so a heavy
 * rater counts as much as anyone, as in the other per-user metrics.
 */
import type { MovieId, UserId } from '../domain.js';
import type { Interactions } from '../interactions.js';
import type { Progress } from '../progress.js';
import type { RatedMovie, Recommender } from '../recommender.js';
import { RELEVANT_RATING } from './metrics.js';
import { historiesByUser } from './splits.js';

/** One user's ratings on each side of the split, each oldest first. */
export interface Walk {
  userId: UserId;
  train: RatedMovie[];
  test: RatedMovie[];
}

/** The walks of these users (ascending ids), their ratings in time order, time ties broken as the splits break them. */
export function userWalks(train: Interactions, test: Interactions, userIds: readonly UserId[], seed: number): Walk[] {
  const trainSide = ratingsByUser(train, seed);
  const testSide = ratingsByUser(test, seed);
  return userIds.map((userId) => ({ userId, train: trainSide(userId), test: testSide(userId) }));
}

function ratingsByUser(interactions: Interactions, seed: number): (userId: UserId) => RatedMovie[] {
  const { order, starts, userIds } = historiesByUser(interactions, seed);
  const index = new Map(Array.from(userIds, (userId, u) => [userId, u]));
  return (userId) => {
    const u = index.get(userId);
    if (u === undefined) return [];
    return Array.from(order.subarray(starts[u], starts[u + 1]), (row) => ({
      movieId: interactions.movies[row]!,
      rating: interactions.ratings[row]!,
      timestamp: interactions.timestamps[row]!,
    }));
  };
}

/** A test rating joins the history after every rating no later than it: at the end, unless the split interleaves (cold-items). */
function insertInTime(history: RatedMovie[], entry: RatedMovie): void {
  let at = history.length;
  while (at > 0 && history[at - 1]!.timestamp > entry.timestamp) at--;
  history.splice(at, 0, entry);
}

/**
 * Each walk's hits over its liked test ratings at every cutoff (one list of depth max(cutoffs) per liked rating);
 * undefined for a user with no liked test rating. A list with a movie the history holds, a movie twice, or more
 * than asked for is a broken model: stop.
 */
export async function nextHitRates(
  name: string,
  model: Recommender,
  walks: readonly Walk[],
  cutoffs: readonly number[],
  progress: Progress,
): Promise<(Record<number, number> | undefined)[]> {
  const depth = Math.max(...cutoffs);
  const bar = progress(
    `next ${name}`,
    walks.reduce((sum, walk) => sum + walk.test.filter((entry) => entry.rating >= RELEVANT_RATING).length, 0),
  );
  const rates: (Record<number, number> | undefined)[] = [];
  for (const walk of walks) {
    const history = walk.train.slice();
    const seen = new Set<MovieId>(history.map((entry) => entry.movieId));
    const hits = cutoffs.map(() => 0);
    let liked = 0;
    for (const entry of walk.test) {
      if (entry.rating >= RELEVANT_RATING) {
        const list = await model.recommend({ userId: walk.userId, history: history.slice() }, depth);
        const position = checkedPosition(name, list, depth, seen, walk.userId, entry.movieId);
        cutoffs.forEach((k, i) => (hits[i]! += position < k ? 1 : 0));
        liked++;
        bar.tick();
      }
      insertInTime(history, entry);
      seen.add(entry.movieId);
    }
    rates.push(liked ? Object.fromEntries(cutoffs.map((k, i) => [k, hits[i]! / liked])) : undefined);
  }
  bar.done();
  return rates;
}

/** Where the next movie sits in the list (Infinity when absent), once the list is checked. */
function checkedPosition(name: string, list: readonly { movieId: MovieId }[], n: number, seen: ReadonlySet<MovieId>, userId: UserId, next: MovieId): number {
  if (list.length > n) throw new Error(`${name} returned ${list.length} movies where ${n} were asked for`);
  const ids = new Set<MovieId>();
  let position = Number.POSITIVE_INFINITY;
  list.forEach(({ movieId }, i) => {
    if (seen.has(movieId)) throw new Error(`${name} recommended movie ${movieId}, which user ${userId}'s history already holds`);
    if (ids.has(movieId)) throw new Error(`${name} returned a movie twice in one list`);
    ids.add(movieId);
    if (movieId === next) position = i;
  });
  return position;
}
