import { EMPTY_MOVIE, type Dataset, type Movie, type MovieId, type Tag } from '../domain.js';
import { emptyInteractions } from '../interactions.js';
import { InputError, formatLocation, showValue, type InputLocation } from '../errors.js';
import { yearFromTitle } from './fields.js';
import { checkRatings, distinctIds, duplicateError, firstRepeat, notInCatalogError, rejectFirstBadRow, type LocatedRatings } from './ratings.js';
import type { Located, MovieRecord, TmdbRecord } from './sources.js';

/** TMDB-only movies get this offset plus their TMDB id as movieId, so a re-import finds the same id again. */
export const TMDB_MOVIE_ID_OFFSET = 1_000_000_000;

type MovieField = Exclude<keyof Movie, 'movieId'>;

const isEmpty = (value: unknown) => value === null || value === undefined || (Array.isArray(value) && value.length === 0);
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface MergedMovie {
  fields: Partial<Movie>;
  /** Where each non-empty field came from, to name both places when sources disagree. */
  origin: Map<MovieField, InputLocation>;
  firstSeen: InputLocation;
}

/**
 * Merges what the run's sources say about each movie. Two sources (or two lines) that give different
 * non-empty values for one field are an error; an empty value never conflicts. Fields that no source of the
 * run knows keep the values stored by earlier imports.
 */
export function mergeMovies(records: MovieRecord[], stored: Map<MovieId, Movie>): Map<MovieId, Movie> {
  const merged = new Map<MovieId, MergedMovie>();
  for (const { fields, at } of records) {
    let movie = merged.get(fields.movieId);
    if (!movie) merged.set(fields.movieId, (movie = { fields: {}, origin: new Map(), firstSeen: at }));
    for (const [name, value] of Object.entries(fields) as [keyof Movie, unknown][]) {
      if (name === 'movieId') continue;
      const previous = movie.fields[name];
      if (!isEmpty(value) && !isEmpty(previous) && !sameValue(value, previous)) {
        throw new InputError(
          { ...at, field: name },
          `conflicting data for movieId ${fields.movieId}: ${showValue(value)} here, ${showValue(previous)} at ${formatLocation(movie.origin.get(name)!)}`,
        );
      }
      if (isEmpty(previous)) {
        (movie.fields as Record<string, unknown>)[name] = value;
        if (!isEmpty(value)) movie.origin.set(name, at);
      }
    }
  }

  const movies = new Map<MovieId, Movie>();
  for (const [movieId, { fields, firstSeen }] of merged) {
    const base = stored.get(movieId);
    const title = fields.title ?? base?.title;
    if (title === undefined) {
      throw new InputError({ ...firstSeen, field: 'movieId' }, `movieId ${movieId} has no title: expected it in movies.csv or the catalog too`);
    }
    const movie: Movie = { ...EMPTY_MOVIE, ...base, ...fields, movieId, title };
    if (movie.year === null) movie.year = yearFromTitle(title);
    movies.set(movieId, movie);
  }
  return movies;
}

/**
 * Applies TMDB rows: a row whose id links to movies (of this run or stored) fills their empty fields and never
 * overrides them; an unlinked row becomes a catalog movie of its own, without ratings, which the row overrides
 * on every import (it is its only source). `stored` holds the stored movies with the rows' TMDB ids.
 */
export function applyTmdb(movies: Map<MovieId, Movie>, rows: TmdbRecord[], stored: Movie[]): void {
  const linked = new Map<number, Movie[]>();
  const link = (movie: Movie) => linked.set(movie.tmdbId!, [...(linked.get(movie.tmdbId!) ?? []), movie]);
  for (const movie of movies.values()) if (movie.tmdbId !== null) link(movie);
  const storedTmdbOnly = new Map<MovieId, Movie>();
  for (const movie of stored) {
    if (movie.tmdbId === null || movies.has(movie.movieId)) continue;
    if (movie.movieId === tmdbOnlyMovieId(movie.tmdbId)) storedTmdbOnly.set(movie.movieId, movie);
    else {
      const copy = { ...movie };
      movies.set(copy.movieId, copy);
      link(copy);
    }
  }

  const seen = new Map<number, InputLocation>();
  for (const { tmdbId, fields, at } of rows) {
    const earlier = seen.get(tmdbId);
    if (earlier) throw new InputError({ ...at, field: 'id' }, `duplicate TMDB id ${tmdbId}, also at ${formatLocation(earlier)}`);
    seen.set(tmdbId, at);

    const targets = linked.get(tmdbId);
    if (targets) {
      for (const movie of targets) fillGaps(movie, fields);
      continue;
    }
    const movieId = tmdbOnlyMovieId(tmdbId);
    if (movies.has(movieId)) {
      throw new InputError({ ...at, field: 'id' }, `TMDB id ${tmdbId} would become movieId ${movieId}, which another movie already uses`);
    }
    movies.set(movieId, { ...EMPTY_MOVIE, ...storedTmdbOnly.get(movieId), ...fields, movieId, tmdbId });
  }
}

/** The movieId of a movie known only from TMDB. */
export const tmdbOnlyMovieId = (tmdbId: number): MovieId => TMDB_MOVIE_ID_OFFSET + tmdbId;

function fillGaps(movie: Movie, fields: TmdbRecord['fields']): void {
  for (const [name, value] of Object.entries(fields) as [MovieField, unknown][]) {
    if (isEmpty(movie[name]) && !isEmpty(value)) (movie as unknown as Record<string, unknown>)[name] = value;
  }
}

/**
 * Rejects ratings and tags of movies in `unknownMovies` (in neither the run's sources nor the store) and two rows for
 * the same key, then collects the users they mention.
 */
export function checkInteractions(unknownMovies: ReadonlySet<MovieId>, ratings: LocatedRatings | null, tags: Located<Tag>[]): Omit<Dataset, 'movies'> {
  if (ratings) checkRatings(ratings, unknownMovies);
  rejectFirstBadRow(
    tags.findIndex(({ value }) => unknownMovies.has(value.movieId)),
    firstRepeat(
      Int32Array.from(tags, ({ value }) => value.userId),
      Int32Array.from(tags, ({ value }) => value.movieId),
      (earlier, row) => tags[earlier]!.value.tag === tags[row]!.value.tag,
    ),
    (row) => notInCatalogError(tags[row]!.at, tags[row]!.value.movieId),
    ({ row, earlier }) => duplicateError('tag', tags[row]!.at, tags[row]!.value.userId, tags[row]!.value.movieId, tags[earlier]!.at),
  );
  return {
    ratings: ratings?.interactions ?? emptyInteractions(),
    tags: tags.map(({ value }) => value),
    users: Array.from(
      distinctIds(
        ratings?.interactions.users ?? [],
        tags.map(({ value }) => value.userId),
      ),
    ),
  };
}
