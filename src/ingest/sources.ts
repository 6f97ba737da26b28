import type { Movie, Tag } from '../domain.js';
import type { InputLocation } from '../errors.js';
import type { LocatedRatings } from './ratings.js';

/** What one source says about one movie: only the fields that source knows, and where it said it. */
export interface MovieRecord {
  fields: Partial<Movie> & Pick<Movie, 'movieId'>;
  at: InputLocation;
}

/** A TMDB row: fills gaps in the movies linked to its tmdbId, or becomes a catalog movie of its own. */
export interface TmdbRecord {
  tmdbId: number;
  fields: Omit<Movie, 'movieId' | 'poster' | 'imdbId' | 'tmdbId' | 'cast' | 'directors'>;
  at: InputLocation;
}

export interface Located<T> {
  value: T;
  at: InputLocation;
}

/** Everything parsed from the files of one run, before merging and cross-checks. */
export interface ParsedSources {
  movieRecords: MovieRecord[];
  tmdbRecords: TmdbRecord[];
  /** From the run's MovieLens directory, if it has one. */
  ratings: LocatedRatings | null;
  tags: Located<Tag>[];
}
