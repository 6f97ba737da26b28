import { EMPTY_MOVIE, type Dataset, type Movie, type Rating } from '../../src/domain.js';
import { interactionsFromRatings, ratingsOf } from '../../src/interactions.js';
import type { VectorRows } from '../../src/store/store.js';

export function movie(movieId: number, fields: Partial<Movie> = {}): Movie {
  return { ...EMPTY_MOVIE, movieId, title: `Movie ${movieId} (2001)`, year: 2001, genres: ['Drama'], ...fields };
}

/** Four movies (full metadata, empty metadata, quotes and non-ASCII text), three users, five ratings, three tags. */
export function smallDataset(): Dataset {
  return {
    movies: [
      movie(1, {
        title: 'Toy Story (1995)',
        year: 1995,
        genres: ['Adventure', 'Animation'],
        overview: 'Toys come to life.',
        tagline: 'To infinity!',
        keywords: ['toy', 'friendship'],
        cast: ['Tom Hanks', 'Tim Allen'],
        directors: ['John Lasseter'],
        releaseDate: '1995-10-30',
        runtime: 81,
        language: 'en',
        imdbId: '0114709',
        tmdbId: 862,
        poster: '/posters/1.jpg',
      }),
      movie(2, { title: 'Heat, "the Movie" (1995)', genres: ['Action', 'Crime'], overview: 'A heist.', cast: ['Al Pacino'], tmdbId: 949 }),
      movie(3, { title: 'Amélie — 天使 (2001)', genres: [], keywords: ['パリ', "l'amour"], language: 'fr' }),
      movie(1_000_019_995, { title: 'Avatar (2009)', year: 2009, tmdbId: 19995, runtime: 162 }),
    ],
    users: [1, 2, 3],
    ratings: interactionsFromRatings([
      { userId: 1, movieId: 1, rating: 4, timestamp: 964982703 },
      { userId: 1, movieId: 2, rating: 3.5, timestamp: 964981247 },
      { userId: 2, movieId: 1, rating: 5, timestamp: 964982224 },
      { userId: 2, movieId: 3, rating: 0.5, timestamp: 964983815 },
      { userId: 3, movieId: 2, rating: 2, timestamp: 1_700_000_000_000 },
    ]),
    tags: [
      { userId: 2, movieId: 1, tag: 'pixar', timestamp: 1445714994 },
      { userId: 2, movieId: 1, tag: 'Pixar', timestamp: 1445714995 },
      { userId: 3, movieId: 2, tag: 'heist, classic', timestamp: 1445714996 },
    ],
  };
}

/** The dataset with its ratings changed as objects (Dataset holds them as columns). */
export function withRatings(dataset: Dataset, change: (ratings: Rating[]) => void): Dataset {
  const ratings = ratingsOf(dataset.ratings);
  change(ratings);
  return { ...dataset, ratings: interactionsFromRatings(ratings) };
}

/** mulberry32: reproducible test vectors from one seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random vectors (uniform in [-1, 1)) for the given ids, reproducible from `seed`. */
export function randomVectors(ids: number[], dim: number, seed = 1): VectorRows {
  const random = seeded(seed);
  const vectors = new Float32Array(ids.length * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = 2 * random() - 1;
  return { ids, vectors };
}
