import { describe, expect, it } from 'vitest';
import { interactionCount, interactionsFromRatings, ratingsOf, type Interactions } from '../../src/interactions.js';
import { seededRandom } from '../../src/math/random.js';
import { validationCarve } from '../../src/rank/fit-ranker.js';

/** 40 users with 10–40 ratings each, one a day, of movies drawn from 120. */
function ratings(): Interactions {
  const random = seededRandom(5);
  const rows = [];
  for (let userId = 1; userId <= 40; userId++) {
    const seen = new Set<number>();
    const count = 10 + Math.floor(random() * 31);
    for (let day = 0; seen.size < count; day++) {
      const movieId = 1 + Math.floor(random() * 120);
      if (seen.has(movieId)) continue;
      seen.add(movieId);
      rows.push({ userId, movieId, rating: 0.5 * (1 + Math.floor(random() * 10)), timestamp: 1_000_000 + day * 86_400 });
    }
  }
  return interactionsFromRatings(rows);
}

describe('validationCarve', () => {
  it('carves new users (their first 1, 3 or 5 ratings kept) and everyone else’s last ratings by time, every rating on one side', () => {
    const all = ratings();
    const carve = validationCarve(all, 2);
    const key = (rating: { userId: number; movieId: number }) => `${rating.userId}:${rating.movieId}`;
    const kept = ratingsOf(carve.train);
    const validation = ratingsOf(carve.validation);
    const keptKeys = new Set(kept.map(key));
    const allKeys = new Set(ratingsOf(all).map(key));
    // Every rating is on exactly one side.
    expect(validation.filter((rating) => keptKeys.has(key(rating)))).toEqual([]);
    expect(new Set([...kept, ...validation].map(key))).toEqual(allKeys);
    expect(kept.length + validation.length).toBe(interactionCount(all));

    const byUser = (list: ReturnType<typeof ratingsOf>) => {
      const grouped = new Map<number, typeof list>();
      for (const rating of list) grouped.set(rating.userId, [...(grouped.get(rating.userId) ?? []), rating]);
      return grouped;
    };
    const keptByUser = byUser(kept);
    const validationByUser = byUser(validation);
    const fullByUser = byUser(ratingsOf(all));
    let newUsers = 0;
    for (const [userId, full] of fullByUser) {
      const train = keptByUser.get(userId) ?? [];
      const held = validationByUser.get(userId) ?? [];
      const lastKept = Math.max(...train.map((rating) => rating.timestamp));
      // Everything held out of a user comes after everything kept of theirs.
      expect(held.every((rating) => rating.timestamp > lastKept)).toBe(true);
      if (train.length <= 5) {
        newUsers++;
        expect([1, 3, 5]).toContain(train.length);
      } else {
        expect(held.length).toBe(Math.round(0.2 * full.length));
      }
    }
    expect(newUsers).toBe(carve.newUsers);
    expect(carve.newUsers).toBe(10);
  });
});
