/**
 * next_hitrate@k: each liked test rating predicted, in time order, from the history just before it. A recording
 * model shows what every call was given (no test rating at or after the one predicted: leakage), and a hand-made log
 * with a model whose lists are known by heart gives the value exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/domain.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { PROTOCOLS } from '../../src/eval/protocols.js';
import { interactionsFromRatings, ratingsOf, type Interactions } from '../../src/interactions.js';
import type { Progress } from '../../src/progress.js';
import type { RatedMovie, RecommendQuery, TrainingSet } from '../../src/recommender.js';
import { catalogMovie, evaluationOptions, syntheticData } from './synthetic.js';
import { testDefinition, testModel } from '../support/models.js';

const LIKED = 4;

/** The synthetic log with every timestamp distinct (its rows come by user and time), so "in time order" has one answer. */
function distinctTimes(): { movies: ReturnType<typeof syntheticData>['movies']; interactions: Interactions } {
  const { movies, ratings } = syntheticData({ users: 40, movies: 80 });
  return { movies, interactions: interactionsFromRatings(ratings.map((rating, row) => ({ ...rating, timestamp: 1_000 + row }))) };
}

const byTime = (a: { timestamp: number }, b: { timestamp: number }) => a.timestamp - b.timestamp;
const entry = ({ movieId, rating, timestamp }: Rating): RatedMovie => ({ movieId, rating, timestamp });

describe.each(['temporal', 'cold-items'] as const)('next_hitrate under %s', (protocol) => {
  it('asks, before each liked test rating, with exactly the training history and the earlier test ratings, oldest first', async () => {
    const data = distinctTimes();
    const calls: RecommendQuery[] = [];
    const recorder = testDefinition('recorder', { defaults: {} }, () =>
      testModel('recorder', {
        recommend: (query) => {
          if (query.history) calls.push({ userId: query.userId!, history: query.history.map((rated) => ({ ...rated })) });
          return [];
        },
      }),
    );
    const bars: [string, number][] = [];
    const progress: Progress = (label, total) => (bars.push([label, total]), { tick() {}, done() {} });
    const seed = 3;
    const result = await evaluate(data, evaluationOptions({ protocol, models: [recorder], seed, progress }));

    const split = PROTOCOLS[protocol].split(data.interactions, seed);
    const train = ratingsOf(split.train);
    const test = ratingsOf(split.test);
    const scored = [...new Set(calls.map((call) => call.userId!))];
    expect(scored.length).toBe(result.split.evaluatedUsers);
    let expectedCalls = 0;
    for (const userId of scored) {
      const own = calls.filter((call) => call.userId === userId);
      const trainOf = train.filter((rating) => rating.userId === userId).map(entry);
      const testOf = test.filter((rating) => rating.userId === userId).sort(byTime);
      const likedAt = testOf.flatMap((rating, i) => (rating.rating >= LIKED ? [i] : []));
      expect(own).toHaveLength(likedAt.length);
      likedAt.forEach((i, call) => {
        const expected = [...trainOf, ...testOf.slice(0, i).map(entry)].sort(byTime);
        expect(own[call]!.history).toEqual(expected);
        // Never the rating being predicted, nor a later one.
        const future = new Set(testOf.slice(i).map((rating) => rating.movieId));
        expect(own[call]!.history!.some((rated) => future.has(rated.movieId))).toBe(false);
      });
      expectedCalls += likedAt.length;
    }
    expect(calls).toHaveLength(expectedCalls);
    expect(bars).toContainEqual(['next recorder', expectedCalls]);
    // The recorder recommends nothing: it never hits.
    expect(result.models[0]!.metrics['next_hitrate@10']).toBe(0);
  });
});

describe('next_hitrate', () => {
  const rating = (userId: number, movieId: number, value: number, timestamp: number): Rating => ({ userId, movieId, rating: value, timestamp });
  const train = (userId: number, count: number) => Array.from({ length: count }, (_, i) => rating(userId, i + 1, 3, i + 1));
  /**
   * Temporal split, last 20%: users 1 and 4 hold out 2 of 10 ratings, users 2 and 3 one of 5; each trained on movies
   * 1, 2, …. The model lists the lowest ids not in the history, so its list after movies 1…8 is 9, 10, ….
   */
  const ratings = [
    // Movie 30 is not in 9…28 (a miss at every cutoff); then, 30 applied, movie 9 comes first (a hit): 1/2.
    ...train(1, 8),
    rating(1, 30, 5, 9),
    rating(1, 9, 4, 10),
    // Movie 20 is 16th after 1…4: a hit at 20 only.
    ...train(2, 4),
    rating(2, 20, 4.5, 5),
    // No liked test rating: not scored.
    ...train(3, 4),
    rating(3, 6, 2, 5),
    // The disliked 9 joins the history, so movie 14 is 5th (10…14), a hit at 5; without it, 6th (9…14), a miss.
    ...train(4, 8),
    rating(4, 9, 1, 9),
    rating(4, 14, 5, 10),
  ];
  const lowestIds = testDefinition('lowest-ids', { defaults: {} }, () => {
    let fitted: TrainingSet | undefined;
    return testModel('lowest-ids', {
      fit: async (set) => void (fitted = set),
      recommend: (query, n) => {
        const history = query.history ?? ratingsOf(fitted!.interactions).filter((rated) => rated.userId === query.userId);
        const rated = new Set(history.map((rated) => rated.movieId));
        return Array.from({ length: 40 }, (_, i) => i + 1)
          .filter((movieId) => !rated.has(movieId))
          .slice(0, n)
          .map((movieId) => ({ movieId, score: -movieId }));
      },
    });
  });

  it('is hits over liked test ratings per user, averaged over users', async () => {
    const data = { movies: Array.from({ length: 40 }, (_, i) => catalogMovie(i + 1)), interactions: interactionsFromRatings(ratings) };
    const result = await evaluate(data, evaluationOptions({ models: [lowestIds] }));
    expect(result.split.evaluatedUsers).toBe(3);
    const { metrics } = result.models[0]!;
    expect(metrics['next_hitrate@5']).toBeCloseTo((0.5 + 0 + 1) / 3, 10);
    expect(metrics['next_hitrate@10']).toBeCloseTo((0.5 + 0 + 1) / 3, 10);
    // Pooled over ratings it would be 3/4: each user counts once.
    expect(metrics['next_hitrate@20']).toBeCloseTo((0.5 + 1 + 1) / 3, 10);
  });

  it('walks only the sampled users under --max-users', async () => {
    const data = { movies: Array.from({ length: 40 }, (_, i) => catalogMovie(i + 1)), interactions: interactionsFromRatings(ratings) };
    const asked = new Set<number>();
    const recorder = testDefinition('recorder', { defaults: {} }, () => testModel('recorder', { recommend: (query) => (query.history && asked.add(query.userId!), []) }));
    const result = await evaluate(data, evaluationOptions({ models: [recorder], maxUsers: 2 }));
    expect(result.split.evaluatedUsers).toBe(2);
    expect(asked.size).toBe(2);
  });
});
