import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Rating, Tag } from '../domain.js';
import { readCsv } from './csv.js';
import { InputError, showValue } from '../errors.js';
import { parseId, parseRating, parseTimestamp } from './fields.js';
import type { Located, MovieRecord } from './sources.js';

export const MOVIELENS_FILES = {
  movies: { name: 'movies.csv', header: ['movieId', 'title', 'genres'], required: true },
  ratings: { name: 'ratings.csv', header: ['userId', 'movieId', 'rating', 'timestamp'], required: true },
  links: { name: 'links.csv', header: ['movieId', 'imdbId', 'tmdbId'], required: false },
  tags: { name: 'tags.csv', header: ['userId', 'movieId', 'tag', 'timestamp'], required: false },
} as const;

type MovieLensFile = keyof typeof MOVIELENS_FILES;

/** MovieLens writes this instead of an empty genre list. */
const NO_GENRES = '(no genres listed)';

export interface MovieLensData {
  movieRecords: MovieRecord[];
  ratings: Located<Rating>[];
  tags: Located<Tag>[];
  /** Optional files that were not there, so the summary can say so. */
  missingOptional: string[];
}

/** Reads a MovieLens directory (ml-latest-small and the larger ml-latest/ml-25m share this layout). */
export function readMovieLens(dir: string): MovieLensData {
  if (!existsSync(dir)) throw new InputError({ file: dir }, 'MovieLens directory not found');
  const missingOptional: string[] = [];
  const rowsOf = (file: MovieLensFile) => {
    const spec = MOVIELENS_FILES[file];
    const path = join(dir, spec.name);
    if (!spec.required && !existsSync(path)) {
      missingOptional.push(path);
      return [];
    }
    return readCsv(path, path, spec.header).map((row) => ({ ...row, file: path }));
  };

  const movieRecords: MovieRecord[] = rowsOf('movies').map(({ file, line, values: [id, title, genres] }) => {
    const movieId = parseId(id!, { file, line, field: 'movieId' });
    if (title!.trim() === '') throw new InputError({ file, line, field: 'title' }, 'expected a non-empty title');
    return { fields: { movieId, title: title!.trim(), genres: parseGenres(genres!) }, at: { file, line } };
  });

  for (const { file, line, values: [id, imdbId, tmdbId] } of rowsOf('links')) {
    const movieId = parseId(id!, { file, line, field: 'movieId' });
    if (imdbId!.trim() !== '' && !/^\d+$/.test(imdbId!.trim())) {
      throw new InputError({ file, line, field: 'imdbId' }, `expected the digits of an IMDb id (e.g. 0114709), got ${showValue(imdbId)}`);
    }
    movieRecords.push({
      fields: {
        movieId,
        imdbId: imdbId!.trim() === '' ? null : imdbId!.trim(),
        tmdbId: tmdbId!.trim() === '' ? null : parseId(tmdbId!, { file, line, field: 'tmdbId' }),
      },
      at: { file, line },
    });
  }

  const ratings = rowsOf('ratings').map(({ file, line, values: [user, movie, rating, timestamp] }) => ({
    value: {
      userId: parseId(user!, { file, line, field: 'userId' }),
      movieId: parseId(movie!, { file, line, field: 'movieId' }),
      rating: parseRating(rating!, { file, line, field: 'rating' }),
      timestamp: parseTimestamp(timestamp!, { file, line, field: 'timestamp' }),
    },
    at: { file, line },
  }));

  const tags = rowsOf('tags').map(({ file, line, values: [user, movie, tag, timestamp] }) => {
    if (tag!.trim() === '') throw new InputError({ file, line, field: 'tag' }, 'expected a non-empty tag');
    return {
      value: {
        userId: parseId(user!, { file, line, field: 'userId' }),
        movieId: parseId(movie!, { file, line, field: 'movieId' }),
        tag: tag!.trim(),
        timestamp: parseTimestamp(timestamp!, { file, line, field: 'timestamp' }),
      },
      at: { file, line },
    };
  });

  return { movieRecords, ratings, tags, missingOptional };
}

function parseGenres(raw: string): string[] {
  const value = raw.trim();
  if (value === '' || value === NO_GENRES) return [];
  return value.split('|').map((genre) => genre.trim()).filter((genre) => genre !== '');
}
