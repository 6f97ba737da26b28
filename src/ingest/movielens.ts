import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Tag } from '../domain.js';
import { forEachCsvRow, type BytesRead } from './csv.js';
import { InputError, showValue, type InputLocation } from '../errors.js';
import { parseId, parseInt32Id, parseTimestamp } from './fields.js';
import { readRatings, type LocatedRatings } from './ratings.js';
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
  ratings: LocatedRatings;
  tags: Located<Tag>[];
  /** Optional files that were not there, so the summary can say so. */
  missingOptional: string[];
}

/** The paths of a MovieLens directory's files. */
export function movieLensPaths(dir: string): string[] {
  return Object.values(MOVIELENS_FILES).map((spec) => join(dir, spec.name));
}

/** Reads a MovieLens directory (ml-latest-small and the larger ml-latest/ml-25m share this layout), file by file as streams. */
export async function readMovieLens(dir: string, onBytes?: BytesRead): Promise<MovieLensData> {
  if (!existsSync(dir)) throw new InputError({ file: dir }, 'MovieLens directory not found');
  const missingOptional: string[] = [];
  const pathOf = (file: MovieLensFile) => join(dir, MOVIELENS_FILES[file].name);
  const eachRow = async (file: MovieLensFile, onRow: (values: string[], at: (field?: string) => InputLocation) => void) => {
    const spec = MOVIELENS_FILES[file];
    const path = pathOf(file);
    if (!spec.required && !existsSync(path)) {
      missingOptional.push(path);
      return;
    }
    await forEachCsvRow(path, path, spec.header, (values, line) => onRow(values, (field) => ({ file: path, line, ...(field ? { field } : {}) })), onBytes);
  };

  const movieRecords: MovieRecord[] = [];
  await eachRow('movies', ([id, title, genres], at) => {
    const movieId = parseId(id!, at('movieId'));
    if (title!.trim() === '') throw new InputError(at('title'), 'expected a non-empty title');
    movieRecords.push({ fields: { movieId, title: title!.trim(), genres: parseGenres(genres!) }, at: at() });
  });

  await eachRow('links', ([id, imdbId, tmdbId], at) => {
    const movieId = parseId(id!, at('movieId'));
    if (imdbId!.trim() !== '' && !/^\d+$/.test(imdbId!.trim())) {
      throw new InputError(at('imdbId'), `expected the digits of an IMDb id (e.g. 0114709), got ${showValue(imdbId)}`);
    }
    movieRecords.push({
      fields: {
        movieId,
        imdbId: imdbId!.trim() === '' ? null : imdbId!.trim(),
        tmdbId: tmdbId!.trim() === '' ? null : parseId(tmdbId!, at('tmdbId')),
      },
      at: at(),
    });
  });

  const ratings = await readRatings(pathOf('ratings'), MOVIELENS_FILES.ratings.header, onBytes);

  const tags: Located<Tag>[] = [];
  await eachRow('tags', ([user, movie, tag, timestamp], at) => {
    if (tag!.trim() === '') throw new InputError(at('tag'), 'expected a non-empty tag');
    tags.push({
      value: {
        userId: parseInt32Id(user!, at('userId')),
        movieId: parseInt32Id(movie!, at('movieId')),
        tag: tag!.trim(),
        timestamp: parseTimestamp(timestamp!, at('timestamp')),
      },
      at: at(),
    });
  });

  return { movieRecords, ratings, tags, missingOptional };
}

function parseGenres(raw: string): string[] {
  const value = raw.trim();
  if (value === '' || value === NO_GENRES) return [];
  return value
    .split('|')
    .map((genre) => genre.trim())
    .filter((genre) => genre !== '');
}
