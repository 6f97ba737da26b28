import { describe, expect, it } from 'vitest';
import { interactionCount, interactionsFromRatings, ratingsOf, type Interactions } from '../../src/interactions.js';
import { EMPTY_MOVIE } from '../../src/domain.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { blendQueries, fitCollaborativeModels, rankingSignals, ratingCounts, validationCarve } from '../../src/rank/fit-ranker.js';
import { trainTowers, TOWER_DEFAULTS } from '../../src/rank/train-tower.js';
import { itemInputs } from '../../src/rank/two-tower.js';
import { DnaTable } from '../../src/recommend/dna-table.js';
import { trainingSet } from '../../src/recommender.js';

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

describe('blendQueries', () => {
  it('never puts a movie nobody rated in training among a validation query’s candidates, which it could not be liked in', async () => {
    // Movie 125 comes out last: ten users rate it after everything else, so the carve meets it new.
    const late = Array.from({ length: 10 }, (_, i) => ({ userId: i + 1, movieId: 125, rating: 4.5, timestamp: 9_000_000_000 }));
    const all = interactionsFromRatings([...ratingsOf(ratings()), ...late]);
    const carve = validationCarve(all, 3);
    const random = seededRandom(4);
    // 130 movies in DNA: 1–120 and 125 rated, the other nine by nobody.
    const ids = Array.from({ length: 130 }, (_, i) => i + 1);
    const dna = new DnaTable(ids, normaliseRows(gaussianMatrix(ids.length, 8, 1, random), 8), 8);
    const inner = trainingSet({ movies: ids.map((movieId) => ({ ...EMPTY_MOVIE, movieId, title: `Movie ${movieId}` })), interactions: carve.train });
    const models = await fitCollaborativeModels(inner, 1);
    const counts = ratingCounts(carve.train);
    const { weights } = await trainTowers([], itemInputs(dna, { mfFactors: models.mf.movieFactorTable(), raters: counts.raters }), { ...TOWER_DEFAULTS, epochs: 0 }, 1);
    const signals = await rankingSignals(dna, { towers: weights, ...counts }, models);
    // The taste of a history: the mean DNA of its movies.
    const taste = (history: readonly { movieId: number }[]) =>
      normaliseRows(
        history.reduce((sum, entry) => sum.map((value, d) => value + dna.vector(entry.movieId)![d]!), new Float32Array(8)),
        8,
      );
    const everRated = new Set(all.movies);
    const queries = await blendQueries(carve.train, carve.validation, { dna, taste }, signals, (movieId) => everRated.has(movieId), 200, 3);
    expect(queries.length).toBeGreaterThan(20);
    const candidates = queries.flatMap((query) => Array.from(query.movieIds));
    expect(carve.train.movies).not.toContain(125);
    expect(candidates).toContain(125);
    expect(candidates.filter((movieId) => movieId > 120 && movieId !== 125)).toEqual([]);
    expect(queries.reduce((sum, query) => sum + query.positives.length, 0)).toBeGreaterThan(0);
  });
});
