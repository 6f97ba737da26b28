/**
 * A small synthetic catalog for fusion tests: movies in genre, director, cast and keyword groups whose text and
 * poster vectors carry a noisy trace of those groups, and users who like movies of one director cluster.
 */
import { EMPTY_MOVIE, type Movie } from '../../src/domain.js';
import type { ContentInputs } from '../../src/fuse/inputs.js';
import { interactionsFromRatings, sortedUnique, type Interactions } from '../../src/interactions.js';
import { gaussian, seededRandom } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { openStore } from '../../src/store/open.js';
import type { VectorSpaceInfo } from '../../src/store/store.js';

export const GENRES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi'];

export interface SyntheticCatalog {
  movies: Movie[];
  inputs: ContentInputs;
  interactions: Interactions;
}

const space = (kind: string, producer: string, dim: number, count: number): VectorSpaceInfo => ({
  owner: 'movie',
  kind,
  producer,
  version: '1',
  dim,
  trainedOn: null,
  count,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

export function syntheticCatalog(options: { movies?: number; textDim?: number; imageDim?: number; posterShare?: number; seed?: number } = {}): SyntheticCatalog {
  const count = options.movies ?? 240;
  const textDim = options.textDim ?? 24;
  const imageDim = options.imageDim ?? 16;
  const random = seededRandom(options.seed ?? 3);
  const direction = (dim: number) => Array.from({ length: dim }, () => gaussian(random));
  const genreText = GENRES.map(() => direction(textDim));
  const genreImage = GENRES.map(() => direction(imageDim));
  const directors = 40;
  const directorText = Array.from({ length: directors }, () => direction(textDim));
  const movies: Movie[] = [];
  const text = new Float32Array(count * textDim);
  const image = new Float32Array(count * imageDim);
  const hasImage = new Uint8Array(count);
  for (let row = 0; row < count; row++) {
    const director = row % directors;
    const first = director % GENRES.length;
    const genres = row % 3 === 0 ? [first, (first + 1) % GENRES.length] : [first];
    movies.push({
      ...EMPTY_MOVIE,
      movieId: row + 1,
      title: `Movie ${row + 1}`,
      genres: genres.map((g) => GENRES[g]!),
      directors: [`Director ${director}`],
      cast: [`Actor ${(row * 7) % 60}`, `Actor ${(row * 11) % 60}`, `Actor ${(row * 13) % 60}`, `Actor ${row % 5}`],
      keywords: [`kw${row % 80}`, `kw${(row * 3) % 80}`, 'everywhere'],
    });
    for (let j = 0; j < textDim; j++) {
      text[row * textDim + j] = genres.reduce((sum, g) => sum + genreText[g]![j]!, 0) + 0.6 * directorText[director]![j]! + 0.8 * gaussian(random);
    }
    if (random() < (options.posterShare ?? 0.8)) {
      hasImage[row] = 1;
      for (let j = 0; j < imageDim; j++) image[row * imageDim + j] = genres.reduce((sum, g) => sum + genreImage[g]![j]!, 0) + 1.0 * gaussian(random);
    }
  }
  normaliseRows(text, textDim);
  normaliseRows(image, imageDim);
  // Users each like the films of a few directors; ratings are 4.5 for those and 2 for a few others.
  const ratings = [];
  for (let user = 1; user <= 60; user++) {
    const liked = new Set([user % directors, (user * 3) % directors]);
    for (let row = 0; row < count; row++) {
      if (liked.has(row % directors)) ratings.push({ userId: user, movieId: row + 1, rating: 4.5, timestamp: 1000 + row });
      else if ((row + user) % 23 === 0) ratings.push({ userId: user, movieId: row + 1, rating: 2, timestamp: 1000 + row });
    }
  }
  return {
    movies,
    inputs: {
      movieIds: Int32Array.from(movies, (movie) => movie.movieId),
      text,
      textDim,
      textSpaces: [space('text', 'synthetic-text', textDim, count)],
      image,
      imageDim,
      imageSpace: space('image', 'synthetic-image', imageDim, count),
      hasImage,
    },
    interactions: interactionsFromRatings(ratings),
  };
}

/** The synthetic catalog in a real SQLite store: movies, ratings, and its text and poster vectors as two spaces. */
export async function writeSyntheticStore(path: string, catalog: SyntheticCatalog = syntheticCatalog()): Promise<void> {
  const store = await openStore(path);
  try {
    await store.importDataset({ movies: catalog.movies, ratings: catalog.interactions, tags: [], users: Array.from(sortedUnique(catalog.interactions.users)) });
    const { inputs } = catalog;
    await store.writeVectors({ ...inputs.textSpaces[0]!, trainedOn: null }, { ids: Array.from(inputs.movieIds), vectors: inputs.text });
    const withPoster = Array.from(inputs.movieIds).filter((_, row) => inputs.hasImage[row]);
    const posters = new Float32Array(withPoster.length * inputs.imageDim);
    let next = 0;
    inputs.movieIds.forEach((_, row) => {
      if (inputs.hasImage[row]) posters.set(inputs.image.subarray(row * inputs.imageDim, (row + 1) * inputs.imageDim), next++ * inputs.imageDim);
    });
    await store.writeVectors({ ...inputs.imageSpace!, trainedOn: null }, { ids: withPoster, vectors: posters });
  } finally {
    await store.close();
  }
}
