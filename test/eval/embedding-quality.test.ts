import { describe, expect, it } from 'vitest';
import type { Movie } from '../../src/domain.js';
import { spaceQuality, type MovieSpace } from '../../src/eval/embedding-quality.js';
import { allNearestRows } from '../../src/math/neighbours.js';
import { catalogMovie } from './synthetic.js';

/** Six movies on a circle: each one's nearest neighbours are the ones beside it. */
function circle(movies: Movie[]): MovieSpace {
  const vectors = new Float32Array(movies.length * 2);
  movies.forEach((_, i) => {
    vectors[2 * i] = Math.cos((2 * Math.PI * i) / movies.length);
    vectors[2 * i + 1] = Math.sin((2 * Math.PI * i) / movies.length);
  });
  return { name: 'movie/test/circle', dim: 2, ids: movies.map((movie) => movie.movieId), vectors };
}

describe('all nearest rows', () => {
  it('finds each row its highest-dot other rows, best first, never itself', async () => {
    const vectors = Float32Array.of(1, 0, 0.9, 0.1, 0, 1, -1, 0);
    expect(Array.from(await allNearestRows(vectors, 2, 2))).toEqual([1, 2, 0, 2, 1, 0, 2, 1]);
    // Asking for more neighbours than there are other rows gives all of them.
    expect(Array.from(await allNearestRows(Float32Array.of(1, 0, 0, 1), 2, 10))).toEqual([1, 0]);
  });
});

describe('embedding quality', () => {
  it('scores genre precision, director and lead-actor recall beside their exact random baselines', async () => {
    const movies = [
      { ...catalogMovie(1, ['Comedy']), directors: ['Ann'], cast: ['Xu', 'Yo'] },
      { ...catalogMovie(2, ['Comedy', 'Drama']), directors: ['Ann'], cast: ['Zed'] },
      { ...catalogMovie(3, ['Drama']), directors: ['Bo'], cast: ['Xu'] },
      { ...catalogMovie(4, ['Horror']), directors: [], cast: [] },
      { ...catalogMovie(5, ['Horror']), directors: ['Ann'], cast: ['Yo'] },
      { ...catalogMovie(6, []), directors: [], cast: [] },
    ];
    const quality = await spaceQuality(circle(movies), new Map(movies.map((movie) => [movie.movieId, movie])));
    // k is capped at the 5 other movies, so every other movie is a neighbour and the measures equal their baselines.
    expect(quality.genrePrecision10).toBeCloseTo(quality.random.genrePrecision10, 12);
    // Genre: 1 shares with {2}: 1/5; 2 with {1,3}: 2/5; 3 with {2}: 1/5; 4 with {5}: 1/5; 5 with {4}: 1/5 → mean 6/25.
    expect(quality.genrePrecision10).toBeCloseTo(6 / 25, 12);
    expect(quality.evaluated).toEqual({ genre: 5, director: 3, cast: 2 });
    // Ann directed 1, 2 and 5: each finds both partners among all five others.
    expect(quality.directorRecall10).toBe(1);
    expect(quality.random.directorRecall10).toBe(1);
    // Lead actors: Xu leads 1 and 3 (each the other's partner); Yo leads only 5, Zed only 2.
    expect(quality.castRecall10).toBe(1);
    expect(quality).toMatchObject({ name: 'movie/test/circle', dim: 2, count: 6 });
  });

  it('rewards a space whose neighbours share genres, and judges it against chance', async () => {
    const movies = Array.from({ length: 40 }, (_, i) => catalogMovie(i + 1, [i < 20 ? 'Comedy' : 'Horror']));
    const byGenre = circle(movies);
    const quality = await spaceQuality(byGenre, new Map(movies.map((movie) => [movie.movieId, movie])));
    // On the circle, the 10 nearest of most movies are their own genre's; chance is 19/39.
    expect(quality.genrePrecision10).toBeGreaterThan(0.8);
    expect(quality.random.genrePrecision10).toBeCloseTo(19 / 39, 12);
    expect(quality.directorRecall10).toBeNaN();
  });
});
