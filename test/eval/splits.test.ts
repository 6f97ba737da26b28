import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/domain.js';
import { PROTOCOL_NAMES, PROTOCOLS } from '../../src/eval/protocols.js';
import * as splits from '../../src/eval/splits.js';
import { interactionsFromRatings, ratingsOf } from '../../src/interactions.js';
import { pairKey, syntheticData } from './synthetic.js';

/** The splits, read and written as rating objects so the assertions stay readable. */
type RatingSplit = { train: Rating[]; test: Rating[]; segments?: Map<number, string> };
const asRatings = (split: splits.Split): RatingSplit => ({ ...split, train: ratingsOf(split.train), test: ratingsOf(split.test) });
const temporalSplit = (list: Rating[], seed: number) => asRatings(splits.temporalSplit(interactionsFromRatings(list), seed));
const globalTimeSplit = (list: Rating[]) => asRatings(splits.globalTimeSplit(interactionsFromRatings(list)));
const coldUsersSplit = (list: Rating[], seed: number) => asRatings(splits.coldUsersSplit(interactionsFromRatings(list), seed));
const coldItemsSplit = (list: Rating[], seed: number) => asRatings(splits.coldItemsSplit(interactionsFromRatings(list), seed));
/** Each user's ratings in the split's time order (ties by the seeded hash). */
function historiesByUser(list: Rating[], seed: number): Rating[][] {
  const { order, starts } = splits.historiesByUser(interactionsFromRatings(list), seed);
  return Array.from({ length: starts.length - 1 }, (_, u) => Array.from(order.subarray(starts[u], starts[u + 1]), (row) => list[row]!));
}

const { ratings } = syntheticData();

function byUser(list: readonly Rating[]): Map<number, Rating[]> {
  const groups = new Map<number, Rating[]>();
  for (const rating of list) groups.set(rating.userId, [...(groups.get(rating.userId) ?? []), rating]);
  return groups;
}

describe.each(PROTOCOL_NAMES)('the %s split', (name) => {
  const split = asRatings(PROTOCOLS[name].split(interactionsFromRatings(ratings), 1));

  it('puts every rating on exactly one side', () => {
    expect(split.train.length + split.test.length).toBe(ratings.length);
    const train = new Set(split.train.map(pairKey));
    expect(split.test.filter((rating) => train.has(pairKey(rating)))).toEqual([]);
    expect(new Set([...split.train, ...split.test].map(pairKey))).toEqual(new Set(ratings.map(pairKey)));
    expect(split.test.length).toBeGreaterThan(0);
  });

  it('is deterministic given the seed, whatever the input order', () => {
    const again = asRatings(PROTOCOLS[name].split(interactionsFromRatings([...ratings].reverse()), 1));
    const keys = (side: Rating[]) => side.map(pairKey).sort();
    expect(keys(again.train)).toEqual(keys(split.train));
    expect(keys(again.test)).toEqual(keys(split.test));
  });
});

describe('temporalSplit', () => {
  const split = temporalSplit(ratings, 1);

  it("holds out each user's last 20% (at least one), never before anything they kept", () => {
    const train = byUser(split.train);
    const test = byUser(split.test);
    for (const [userId, all] of byUser(ratings)) {
      const held = test.get(userId) ?? [];
      expect(held.length).toBe(Math.max(1, Math.round(0.2 * all.length)));
      const lastTrain = Math.max(...train.get(userId)!.map((rating) => rating.timestamp));
      expect(Math.min(...held.map((rating) => rating.timestamp))).toBeGreaterThanOrEqual(lastTrain);
    }
  });

  it('breaks same-second ties by the seed', () => {
    const tied: Rating[] = Array.from({ length: 10 }, (_, i) => ({ userId: 1, movieId: i + 1, rating: 4, timestamp: 100 }));
    const heldOut = (seed: number) =>
      temporalSplit(tied, seed)
        .test.map((rating) => rating.movieId)
        .sort((a, b) => a - b);
    expect(heldOut(1)).toHaveLength(2);
    expect(heldOut(1)).toEqual(heldOut(1));
    const seeds = Array.from({ length: 8 }, (_, seed) => heldOut(seed).join(','));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('keeps a user with a single rating in training', () => {
    const split = temporalSplit([{ userId: 5, movieId: 1, rating: 3, timestamp: 1 }], 1);
    expect(split).toEqual({ train: [{ userId: 5, movieId: 1, rating: 3, timestamp: 1 }], test: [] });
  });
});

describe('globalTimeSplit', () => {
  it('cuts everyone at one moment: every test rating is later than every training rating', () => {
    const split = globalTimeSplit(ratings);
    const lastTrain = Math.max(...split.train.map((rating) => rating.timestamp));
    expect(Math.min(...split.test.map((rating) => rating.timestamp))).toBeGreaterThan(lastTrain);
    expect(split.test.length / ratings.length).toBeGreaterThan(0.15);
    expect(split.test.length / ratings.length).toBeLessThanOrEqual(0.2);
  });
});

describe('coldUsersSplit', () => {
  const split = coldUsersSplit(ratings, 3) as Required<RatingSplit>;

  it('cuts 20% of the users to their first 1, 3 or 5 ratings and holds out the rest', () => {
    const histories = new Map(historiesByUser(ratings, 3).map((history) => [history[0]!.userId, history]));
    const train = byUser(split.train);
    const test = byUser(split.test);
    expect([...test.keys()].sort((a, b) => a - b)).toEqual([...split.segments.keys()].sort((a, b) => a - b));
    expect(split.segments.size).toBe(Math.round(0.2 * histories.size));
    const groups = new Map<string, number>();
    for (const [userId, segment] of split.segments) {
      const kept = Number(segment.replace('first ', ''));
      expect([1, 3, 5]).toContain(kept);
      groups.set(segment, (groups.get(segment) ?? 0) + 1);
      // The kept ratings are the user's earliest.
      const keys = (list: Rating[]) => list.map(pairKey).sort();
      expect(keys(train.get(userId)!)).toEqual(keys(histories.get(userId)!.slice(0, kept)));
      expect(test.get(userId)).toHaveLength(histories.get(userId)!.length - kept);
    }
    expect([...groups.keys()].sort()).toEqual(['first 1', 'first 3', 'first 5']);
    for (const [userId, history] of histories) if (!split.segments.has(userId)) expect(train.get(userId)).toHaveLength(history.length);
  });

  it('picks other users for another seed', () => {
    const other = coldUsersSplit(ratings, 4);
    expect([...other.segments!.keys()].sort()).not.toEqual([...split.segments.keys()].sort());
  });
});

describe('coldItemsSplit', () => {
  it('removes 10% of the rated movies from training entirely and holds out all their ratings', () => {
    const split = coldItemsSplit(ratings, 5);
    const cold = new Set(split.test.map((rating) => rating.movieId));
    const rated = new Set(ratings.map((rating) => rating.movieId));
    expect(cold.size).toBe(Math.round(0.1 * rated.size));
    expect(split.train.filter((rating) => cold.has(rating.movieId))).toEqual([]);
    expect(split.test).toEqual(ratings.filter((rating) => cold.has(rating.movieId)));
    const other = new Set(coldItemsSplit(ratings, 6).test.map((rating) => rating.movieId));
    expect(other).not.toEqual(cold);
  });
});
