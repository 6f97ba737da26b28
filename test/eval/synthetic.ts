import { popularityModel } from '../../src/cf/popularity.js';
import { EMPTY_MOVIE, type Movie, type Rating } from '../../src/domain.js';
import type { EvaluationOptions } from '../../src/eval/evaluate.js';
import { interactionsFromRatings, type Interactions } from '../../src/interactions.js';
import { seededRandom } from '../../src/math/random.js';

const GENRES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi'];

export function catalogMovie(movieId: number, genres: string[] = []): Movie {
  return { ...EMPTY_MOVIE, movieId, title: `Movie ${movieId}`, genres };
}

/**
 * A reproducible rating log: each user rates 8–40 distinct movies, popular ones more often, with timestamps that
 * increase but often repeat (several ratings in one second, as in MovieLens), so tie-breaking gets exercised.
 */
export function syntheticData(options: { users?: number; movies?: number; seed?: number } = {}): { movies: Movie[]; ratings: Rating[] } {
  const { users = 60, movies = 120, seed = 11 } = options;
  const random = seededRandom(seed);
  const catalog = Array.from({ length: movies }, (_, i) =>
    catalogMovie(
      i + 1,
      GENRES.filter(() => random() < 0.3),
    ),
  );
  const ratings: Rating[] = [];
  for (let userId = 1; userId <= users; userId++) {
    const count = 8 + Math.floor(random() * 33);
    const seen = new Set<number>();
    let timestamp = 1_000_000_000 + Math.floor(random() * 50_000_000);
    while (seen.size < count) {
      // Squaring skews towards low ids: movie 1 is the most popular.
      const movieId = 1 + Math.floor(random() ** 2 * movies);
      if (seen.has(movieId)) continue;
      seen.add(movieId);
      if (random() < 0.6) timestamp += 1 + Math.floor(random() * 100_000);
      ratings.push({ userId, movieId, rating: 0.5 * (1 + Math.floor(random() * 10)), timestamp });
    }
  }
  return { movies: catalog, ratings };
}

export const pairKey = (rating: Pick<Rating, 'userId' | 'movieId'>) => `${rating.userId}:${rating.movieId}`;

/** The same log as `syntheticData`, columnar, as `evaluate` reads it from a store. */
export function syntheticEvaluationData(options: Parameters<typeof syntheticData>[0] = {}): { movies: Movie[]; interactions: Interactions; ratings: Rating[] } {
  const { movies, ratings } = syntheticData(options);
  return { movies, interactions: interactionsFromRatings(ratings), ratings };
}

/** Evaluation options for tests: popularity under temporal at k 10, seed 1, untuned, with the given overrides. */
export const evaluationOptions = (overrides: Partial<EvaluationOptions> = {}): EvaluationOptions => ({
  protocol: 'temporal',
  models: [popularityModel],
  k: 10,
  seed: 1,
  relevance: 'rated4',
  tune: false,
  ...overrides,
});
