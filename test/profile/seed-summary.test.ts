import { describe, expect, it } from 'vitest';
import { EMPTY_MOVIE, type Movie } from '../../src/domain.js';
import { seededTaste } from '../../src/profile/seed.js';
import { tasteSummary } from '../../src/profile/summary.js';

describe('a seed taste', () => {
  it('is the taste until the first rating, then fades as 1/(n + 1)', () => {
    const seed = Float32Array.of(1, 0);
    const history = Float32Array.of(0, 1);
    expect(seededTaste(null, seed, 0)).toBe(seed);
    expect(seededTaste(history, null, 3)).toBe(history);
    const afterOne = seededTaste(history, seed, 1)!;
    expect(afterOne[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(afterOne[1]).toBeCloseTo(Math.SQRT1_2, 6);
    const afterNine = seededTaste(history, seed, 9)!;
    expect(afterNine[1]! / afterNine[0]!).toBeCloseTo(9, 5);
    expect(Math.hypot(...afterNine)).toBeCloseTo(1, 6);
  });
});

describe('a taste summary', () => {
  it('counts ratings, the mean, and the genres and people of the liked movies', () => {
    const movies = new Map<number, Movie>([
      [1, { ...EMPTY_MOVIE, movieId: 1, title: 'A', genres: ['Drama', 'Crime'], directors: ['X'], cast: ['P', 'Q'] }],
      [2, { ...EMPTY_MOVIE, movieId: 2, title: 'B', genres: ['Drama'], directors: ['Y'], cast: ['P'] }],
      [3, { ...EMPTY_MOVIE, movieId: 3, title: 'C', genres: ['Comedy'], directors: ['X'], cast: ['R'] }],
    ]);
    const summary = tasteSummary(
      [
        { movieId: 1, rating: 5 },
        { movieId: 2, rating: 4 },
        { movieId: 3, rating: 1 },
      ],
      (movieId) => movies.get(movieId),
    );
    expect(summary).toEqual({
      ratings: 3,
      meanRating: 10 / 3,
      liked: 2,
      genres: [
        { name: 'Drama', share: 1 },
        { name: 'Crime', share: 0.5 },
      ],
      directors: [
        { name: 'X', share: 0.5 },
        { name: 'Y', share: 0.5 },
      ],
      cast: [
        { name: 'P', share: 1 },
        { name: 'Q', share: 0.5 },
      ],
    });
    expect(tasteSummary([], (movieId) => movies.get(movieId))).toMatchObject({ ratings: 0, meanRating: null, liked: 0, genres: [] });
  });
});
