import { describe, expect, it } from 'vitest';
import { EMPTY_MOVIE, type Rating } from '../../src/domain.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { gaussianMatrix, seededRandom } from '../../src/math/random.js';
import { dot, normaliseRows } from '../../src/math/vector.js';
import { DnaTable } from '../../src/recommend/dna-table.js';
import { SIGNALS } from '../../src/rank/blend.js';
import { fitCollaborativeModels, rankingSignals, ratingCounts } from '../../src/rank/fit-ranker.js';
import { weightedProfile } from '../../src/profile/taste.js';
import { TRENDING_DAYS } from '../../src/rank/trending.js';
import { trainTowers, TOWER_DEFAULTS } from '../../src/rank/train-tower.js';
import { itemInputs } from '../../src/rank/two-tower.js';
import { trainingSet } from '../../src/recommender.js';

const DIM = 8;
const DAY = 86_400;
const PER_CLUSTER = 20;
/** The last movie of each cluster: nobody rates it. */
const NEW_MOVIES = [20, 40, 60];
const column = (name: (typeof SIGNALS)[number]) => SIGNALS.indexOf(name);

/** 60 movies in three DNA clusters; 40 users rate the first cluster most, the third hardly at all. */
async function fixture() {
  const random = seededRandom(9);
  const centres = normaliseRows(gaussianMatrix(3, DIM, 1, random), DIM);
  const ids = Array.from({ length: 3 * PER_CLUSTER }, (_, i) => i + 1);
  const vectors = Float32Array.from({ length: ids.length * DIM }, (_, at) => centres[Math.floor(at / DIM / PER_CLUSTER) * DIM + (at % DIM)]! + 0.2 * (random() * 2 - 1));
  const dna = new DnaTable(ids, vectors, DIM);
  const ratings: Rating[] = [];
  for (let userId = 1; userId <= 40; userId++) {
    const seen = new Set<number>();
    for (let t = 0; seen.size < 12; t++) {
      const cluster = random() < 0.6 ? 0 : random() < 0.9 ? 1 : 2;
      const movieId = cluster * PER_CLUSTER + 1 + Math.floor(random() * (PER_CLUSTER - 1));
      if (seen.has(movieId)) continue;
      seen.add(movieId);
      // One user a month: the trending window (a year) holds some users' ratings and not others'.
      ratings.push({ userId, movieId, rating: 3 + Math.floor(random() * 3), timestamp: (30 * userId + t) * DAY });
    }
  }
  const interactions = interactionsFromRatings(ratings);
  const train = trainingSet({ movies: ids.map((movieId) => ({ ...EMPTY_MOVIE, movieId, title: `Movie ${movieId}` })), interactions });
  const models = await fitCollaborativeModels(train, 1);
  const counts = ratingCounts(interactions);
  const { raters } = counts;
  const { weights } = await trainTowers([], itemInputs(dna, { mfFactors: models.mf.movieFactorTable(), raters }), { ...TOWER_DEFAULTS, epochs: 0 }, 1);
  return { dna, ratings, raters, signals: await rankingSignals(dna, { towers: weights, ...counts }, models) };
}

describe('the ranking signals', () => {
  it("read a rated movie's own scores, and give a movie nobody rated the cosine-weighted mean of its 10 nearest rated movies'", async () => {
    const { dna, ratings, raters, signals } = await fixture();
    // Newest first: the signals read a history by its timestamps, not its order.
    const history = ratings.filter((rating) => rating.userId === 20).reverse();
    const query = { taste: dna.vector(history[0]!.movieId)!.slice(), history, userId: 20 };
    const candidates = dna.ids.filter((movieId) => !history.some((rating) => rating.movieId === movieId));
    const matrix = signals.matrix(query, candidates);
    const at = (movieId: number, name: (typeof SIGNALS)[number]) => matrix[candidates.indexOf(movieId) * SIGNALS.length + column(name)]!;
    const ease = signals.vector(query, 'ease')!;
    const rated = candidates.filter((movieId) => raters.has(movieId));
    const profile = weightedProfile(
      dna.vectors,
      DIM,
      history.map((rating) => dna.row(rating.movieId)!),
      history.map((rating) => rating.rating),
      history.map((rating) => rating.timestamp),
    )!;
    const liked = history.filter((rating) => rating.rating >= 4);
    // The latest of them by time, whatever order the history comes in.
    const lastLiked = dna.vector(liked.reduce((latest, rating) => (rating.timestamp > latest.timestamp ? rating : latest)).movieId)!;
    expect(liked.length).toBeGreaterThan(1);
    const queryDay = Math.max(...history.map((rating) => rating.timestamp)) / DAY;
    for (const movieId of [...rated.slice(0, 5), ...NEW_MOVIES]) {
      expect(at(movieId, 'taste')).toBeCloseTo(dna.cosine(query.taste, movieId), 6);
      expect(at(movieId, 'profile')).toBeCloseTo(dna.cosine(profile, movieId), 6);
      expect(at(movieId, 'lastLiked')).toBeCloseTo(dna.cosine(lastLiked, movieId), 6);
    }
    for (const movieId of rated.slice(0, 5)) {
      expect(at(movieId, 'ease')).toBeCloseTo(ease.scores[ease.movieIndex.get(movieId)!]!, 6);
      expect(at(movieId, 'popularity')).toBeCloseTo(Math.log1p(raters.get(movieId)!), 6);
      // Trending counts the ratings of the year up to the query's latest rating, not the later ones.
      const inYear = ratings.filter((rating) => rating.movieId === movieId && rating.timestamp / DAY <= queryDay && rating.timestamp / DAY > queryDay - TRENDING_DAYS);
      expect(at(movieId, 'trending')).toBeCloseTo(Math.log1p(inYear.length), 6);
    }
    const everRated = (movieId: number) => ratings.filter((rating) => rating.movieId === movieId).length;
    expect(rated.some((movieId) => at(movieId, 'trending') < Math.log1p(everRated(movieId)) - 0.1)).toBe(true);
    // EASE itself can only score a movie nobody rated 0, whoever asks.
    expect(ease.scores[ease.movieIndex.get(NEW_MOVIES[0]!)!]).toBe(0);

    for (const movieId of NEW_MOVIES) {
      expect(signals.isRated(movieId)).toBe(false);
      expect(at(movieId, 'trending')).toBeNaN();
      const cosines = dna.ids.filter((other) => raters.has(other)).map((other) => ({ other, cosine: dot(dna.vector(movieId)!, dna.vector(other)!) }));
      const nearest = cosines.sort((a, b) => b.cosine - a.cosine).slice(0, 10);
      const mean = (value: (other: number) => number) =>
        nearest.reduce((sum, { other, cosine }) => sum + Math.max(0, cosine) * value(other), 0) / nearest.reduce((sum, { cosine }) => sum + Math.max(0, cosine), 0);
      expect(at(movieId, 'popularity')).toBeCloseTo(
        mean((other) => Math.log1p(raters.get(other)!)),
        4,
      );
      expect(at(movieId, 'ease')).toBeCloseTo(
        mean((other) => ease.scores[ease.movieIndex.get(other)!]!),
        4,
      );
    }
    // A new movie among much-rated ones is expected to be rated more than one among the rarely rated.
    expect(at(NEW_MOVIES[0]!, 'popularity')).toBeGreaterThan(at(NEW_MOVIES[2]!, 'popularity') + 0.5);
  });

  it('read a query later than the training ratings as of the latest of them, and a history with nothing liked has no latest liked movie', async () => {
    const { dna, ratings, signals } = await fixture();
    const latest = Math.max(...ratings.map((rating) => rating.timestamp));
    const movieId = ratings.find((rating) => rating.timestamp === latest)!.movieId;
    const later = [{ movieId: NEW_MOVIES[1]!, rating: 2, timestamp: latest + 5000 * DAY }];
    const query = { taste: dna.vector(NEW_MOVIES[1]!)!.slice(), history: later };
    const [own, other] = [movieId, NEW_MOVIES[0]!];
    const matrix = signals.matrix(query, [own, other]);
    const inYear = ratings.filter((rating) => rating.movieId === own && rating.timestamp > latest - TRENDING_DAYS * DAY);
    expect(matrix[column('trending')]).toBeCloseTo(Math.log1p(inYear.length), 6);
    expect(matrix[column('lastLiked')]).toBeNaN();
    expect(matrix[SIGNALS.length + column('lastLiked')]).toBeNaN();
  });

  it("keep what a user brings (tower embedding, profile, latest liked, day) only while the user's history and taste stay exactly the same", async () => {
    const { dna, ratings, signals } = await fixture();
    // The same fixture again: signals that have seen none of the queries below.
    const fresh = (await fixture()).signals;
    const history = ratings.filter((rating) => rating.userId === 20);
    const candidates = dna.ids.filter((movieId) => !history.some((rating) => rating.movieId === movieId));
    const taste = dna.vector(history.at(-1)!.movieId)!;
    const query = (entries: typeof history, vector = taste) => ({ taste: vector.slice(), history: entries, userId: 20 });
    const first = signals.matrix(query(history), candidates);
    // Equal inputs in new objects (as every request reads them from the store) give the same signals.
    expect(signals.matrix(query(history.map((rating) => ({ ...rating }))), candidates)).toEqual(first);
    const likedLast = history.findLastIndex((rating) => rating.rating >= 4);
    const changed = [
      query(history.map((rating, i) => (i === likedLast ? { ...rating, rating: 1 } : rating))),
      query(history.map((rating, i) => (i === history.length - 1 ? { ...rating, timestamp: rating.timestamp + 400 * DAY } : rating))),
      query(history, dna.vector(NEW_MOVIES[2]!)),
      query(history.slice(0, -1)),
    ];
    for (const changedQuery of changed) {
      const expected = fresh.matrix(changedQuery, candidates);
      expect(expected).not.toEqual(first);
      expect(signals.matrix(changedQuery, candidates)).toEqual(expected);
    }
    // And back to the first history: its own signals again, not the last query's.
    expect(signals.matrix(query(history), candidates)).toEqual(first);
  });
});
