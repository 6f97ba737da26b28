import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestSources } from '../../src/ingest/ingest.js';
import { solidPng } from './images.js';
import { tempDir } from './tmp.js';

/** The files of a small dataset in the native formats; a test overrides any file's text to make it bad. */
export interface FixtureFiles {
  movies: string;
  ratings: string;
  links: string | null;
  tags: string | null;
  catalog: string[];
  tmdb5000: string;
}

export const TMDB_HEADER =
  'budget,genres,homepage,id,keywords,original_language,original_title,overview,popularity,production_companies,production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,title,vote_average,vote_count';

/** A JSON-in-CSV cell as TMDB writes it: the JSON quoted, inner quotes doubled. */
export const jsonCell = (value: unknown) => `"${JSON.stringify(value).replaceAll('"', '""')}"`;

export function tmdbRow(fields: {
  id: number;
  title: string;
  genres?: string[];
  keywords?: string[];
  overview?: string;
  tagline?: string;
  date?: string;
  runtime?: string;
}): string {
  const named = (names: string[] = []) => jsonCell(names.map((name, id) => ({ id, name })));
  return [
    '1000',
    named(fields.genres),
    '',
    fields.id,
    named(fields.keywords),
    'en',
    fields.title,
    `"${fields.overview ?? ''}"`,
    '1.5',
    '[]',
    '[]',
    fields.date ?? '2001-05-01',
    '0',
    fields.runtime ?? '95',
    '[]',
    'Released',
    fields.tagline ?? '',
    fields.title,
    '6.1',
    '100',
  ].join(',');
}

export const catalogLine = (movie: Record<string, unknown>) => JSON.stringify(movie);

/** Three movies, three users, six ratings, two tags; movie 3 has no catalog metadata beyond movies.csv. */
export function defaultFixture(): FixtureFiles {
  return {
    movies: [
      'movieId,title,genres',
      '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
      '2,"Heat, the Movie (1995)",Action|Crime|Thriller',
      '3,Obscure Film (2001),(no genres listed)',
    ].join('\n'),
    ratings: [
      'userId,movieId,rating,timestamp',
      '1,1,4.0,964982703',
      '1,2,3.5,964981247',
      '2,1,5.0,964982224',
      '2,3,0.5,964983815',
      '3,2,2.0,964982931',
      '3,1,4.5,964982400',
    ].join('\n'),
    links: ['movieId,imdbId,tmdbId', '1,0114709,862', '2,0113277,949', '3,,'].join('\n'),
    tags: ['userId,movieId,tag,timestamp', '2,1,pixar,1445714994', '3,2,"heist, classic",1445714996'].join('\n'),
    catalog: [
      catalogLine({
        movieId: 1,
        title: 'Toy Story (1995)',
        year: 1995,
        genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
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
        poster: 'posters/ml-latest-small/1.jpg',
      }),
      catalogLine({
        movieId: 2,
        title: 'Heat, the Movie (1995)',
        year: 1995,
        genres: ['Action', 'Crime', 'Thriller'],
        overview: 'A heist.',
        tagline: null,
        keywords: [],
        cast: ['Al Pacino'],
        directors: [],
        releaseDate: '1995-12-15',
        runtime: 170,
        language: 'en',
        imdbId: '0113277',
        tmdbId: 949,
        poster: null,
      }),
    ],
    tmdb5000: [
      TMDB_HEADER,
      tmdbRow({ id: 949, title: 'Heat', genres: ['Action'], keywords: ['robbery', 'los angeles'], tagline: 'A Los Angeles crime saga' }),
      tmdbRow({ id: 19995, title: 'Avatar', genres: ['Science Fiction', 'Family'], keywords: ['alien'], overview: 'Pandora.', date: '2009-12-10', runtime: '162.0' }),
    ].join('\n'),
  };
}

/** Writes the fixture files into a fresh directory and returns the sources to import them. */
export function writeFixture(files: FixtureFiles = defaultFixture()): IngestSources & { dir: string } {
  const dir = tempDir();
  const movielens = join(dir, 'ml');
  const posters = join(dir, 'posters');
  mkdirSync(movielens);
  mkdirSync(posters);
  writeFileSync(join(movielens, 'movies.csv'), `${files.movies}\n`);
  writeFileSync(join(movielens, 'ratings.csv'), `${files.ratings}\n`);
  if (files.links !== null) writeFileSync(join(movielens, 'links.csv'), `${files.links}\n`);
  if (files.tags !== null) writeFileSync(join(movielens, 'tags.csv'), `${files.tags}\n`);
  writeFileSync(join(dir, 'catalog.jsonl'), `${files.catalog.join('\n')}\n`);
  writeFileSync(join(dir, 'tmdb_5000_movies.csv'), `${files.tmdb5000}\n`);
  writeFileSync(join(posters, '1.png'), solidPng(4, 6));
  writeFileSync(join(posters, '2.png'), solidPng(4, 6, [10, 10, 200]));
  return { dir, movielens, catalog: join(dir, 'catalog.jsonl'), posters, tmdb5000: join(dir, 'tmdb_5000_movies.csv') };
}
