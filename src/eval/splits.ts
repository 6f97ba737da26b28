/**
 * Train/test splits of the ratings. Each is deterministic given its seed and puts every rating on exactly one side.
 * Time ties within one user are broken by a seeded hash, not by movie id, which would bias what is held out.
 * They work on row indices over the columnar ratings, so ml-25m's 25M ratings split without an object per rating.
 */
import type { MovieId, UserId } from '../domain.js';
import { interactionCount, selectRows, type Interactions } from '../interactions.js';
import { hashInts, seededRandom, shuffle } from '../math/random.js';

export interface Split {
  train: Interactions;
  test: Interactions;
  /** For protocols that report groups of test users separately (cold-users: "first 3"), each test user's group. */
  segments?: Map<UserId, string>;
}

export const HOLD_OUT_FRACTION = 0.2;
export const GLOBAL_CUT_QUANTILE = 0.8;
export const COLD_USER_FRACTION = 0.2;
export const COLD_USER_KEEP = [1, 3, 5] as const;
export const COLD_ITEM_FRACTION = 0.1;

/** Rows in user order, each user's rows in time order: `order[starts[u] … starts[u + 1])` are user `userIds[u]`'s. */
export interface Histories {
  order: Int32Array;
  starts: Int32Array;
  userIds: Int32Array;
}

/**
 * Each user's ratings in time order, users ascending, time ties broken by a seeded hash. Ratings read from a store
 * already come by user and time, so the sort is a check; other input is sorted once.
 */
export function historiesByUser(interactions: Interactions, seed: number): Histories {
  const { users, movies, timestamps } = interactions;
  const count = interactionCount(interactions);
  const order = Int32Array.from({ length: count }, (_, row) => row);
  const tie = (row: number) => hashInts(seed, users[row]!, movies[row]!);
  const before = (a: number, b: number) => users[a]! - users[b]! || timestamps[a]! - timestamps[b]! || tie(a) - tie(b);
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = users[i - 1]! < users[i]! || (users[i - 1] === users[i] && timestamps[i - 1]! <= timestamps[i]!);
  if (!sorted) order.sort(before);
  // Within a run of equal (user, time), order by the seeded hash.
  for (let start = 0; start < count;) {
    let end = start + 1;
    while (end < count && users[order[end]!] === users[order[start]!] && timestamps[order[end]!] === timestamps[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort(before);
    start = end;
  }
  const starts: number[] = [];
  const userIds: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i === 0 || users[order[i]!] !== users[order[i - 1]!]) {
      starts.push(i);
      userIds.push(users[order[i]!]!);
    }
  }
  starts.push(count);
  return { order, starts: Int32Array.from(starts), userIds: Int32Array.from(userIds) };
}

/** Marks each row train or test, then copies both sides out once. */
class SplitBuilder {
  private readonly isTest: Uint8Array;

  constructor(private readonly interactions: Interactions) {
    this.isTest = new Uint8Array(interactionCount(interactions));
  }

  test(rows: ArrayLike<number>): void {
    for (let i = 0; i < rows.length; i++) this.isTest[rows[i]!] = 1;
  }

  testRow(row: number): void {
    this.isTest[row] = 1;
  }

  build(segments?: Map<UserId, string>): Split {
    const rowsWhere = (flag: number) => {
      const rows: number[] = [];
      for (let row = 0; row < this.isTest.length; row++) if (this.isTest[row] === flag) rows.push(row);
      return rows;
    };
    return { train: selectRows(this.interactions, rowsWhere(0)), test: selectRows(this.interactions, rowsWhere(1)), ...(segments ? { segments } : {}) };
  }
}

/** Per user, the last `fraction` of their ratings by time (at least one) is test. Users with one rating stay in train. */
export function temporalSplit(interactions: Interactions, seed: number, fraction = HOLD_OUT_FRACTION): Split {
  const { order, starts } = historiesByUser(interactions, seed);
  const split = new SplitBuilder(interactions);
  for (let u = 0; u + 1 < starts.length; u++) {
    const history = order.subarray(starts[u], starts[u + 1]);
    const held = history.length < 2 ? 0 : Math.max(1, Math.round(fraction * history.length));
    split.test(history.subarray(history.length - held));
  }
  return split.build();
}

/** One moment for everyone: ratings after the `quantile` of all timestamps are test, the rest train. */
export function globalTimeSplit(interactions: Interactions, quantile = GLOBAL_CUT_QUANTILE): Split {
  const cut = timestampQuantile(interactions.timestamps, quantile);
  const split = new SplitBuilder(interactions);
  for (let row = 0; row < interactionCount(interactions); row++) if (interactions.timestamps[row]! > cut) split.testRow(row);
  return split.build();
}

export function timestampQuantile(timestamps: Float64Array, quantile: number): number {
  const sorted = timestamps.slice().sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
}

/**
 * A seeded `fraction` of the users with more than max(keep) ratings become new users: each keeps only their first
 * 1, 3 or 5 ratings (in turn) for training, and the rest of their history is test. Everyone else trains in full.
 */
export function coldUsersSplit(interactions: Interactions, seed: number, fraction = COLD_USER_FRACTION, keep: readonly number[] = COLD_USER_KEEP): Split {
  const { order, starts, userIds } = historiesByUser(interactions, seed);
  const length = (u: number) => starts[u + 1]! - starts[u]!;
  const eligible = Array.from(userIds.keys()).filter((u) => length(u) > Math.max(...keep));
  const chosen = shuffle(eligible, seededRandom(seed)).slice(0, Math.round(fraction * eligible.length));
  const keepOf = new Map(chosen.map((u, i) => [u, keep[i % keep.length]!]));
  const split = new SplitBuilder(interactions);
  const segments = new Map<UserId, string>();
  for (const [u, kept] of keepOf) {
    split.test(order.subarray(starts[u]! + kept, starts[u + 1]));
    segments.set(userIds[u]!, `first ${kept}`);
  }
  return split.build(segments);
}

/** A seeded `fraction` of the rated movies become new movies: every rating of theirs is test, none is train. */
export function coldItemsSplit(interactions: Interactions, seed: number, fraction = COLD_ITEM_FRACTION): Split {
  const rated = [...new Set(interactions.movies)].sort((a, b) => a - b);
  const cold = new Set<MovieId>(shuffle(rated, seededRandom(seed)).slice(0, Math.round(fraction * rated.length)));
  const split = new SplitBuilder(interactions);
  for (let row = 0; row < interactionCount(interactions); row++) if (cold.has(interactions.movies[row]!)) split.testRow(row);
  return split.build();
}
