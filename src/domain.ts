/** Shared types of the catalog and of what users do. */
import type { Interactions } from './interactions.js';

export type MovieId = number;
export type UserId = number;

/** A catalog movie. List fields are empty and scalar fields null when unknown: missing metadata is normal input. */
export interface Movie {
  movieId: MovieId;
  title: string;
  year: number | null;
  genres: string[];
  overview: string | null;
  tagline: string | null;
  keywords: string[];
  cast: string[];
  directors: string[];
  releaseDate: string | null;
  runtime: number | null;
  language: string | null;
  imdbId: string | null;
  tmdbId: number | null;
  /**
   * File name of a poster that decoded whole at import, relative to the store's posters root (e.g. `123.jpg`), or
   * null; `posterFile` in posters.ts resolves it. Absolute only in stores from before posters were relative.
   */
  poster: string | null;
}

/** Every field a movie can lack, empty: what a source says is laid over it. */
export const EMPTY_MOVIE: Omit<Movie, 'movieId' | 'title'> = {
  year: null,
  genres: [],
  overview: null,
  tagline: null,
  keywords: [],
  cast: [],
  directors: [],
  releaseDate: null,
  runtime: null,
  language: null,
  imdbId: null,
  tmdbId: null,
  poster: null,
};

/** An explicit rating on the MovieLens scale (0.5–5.0 in steps of 0.5); timestamp in Unix seconds. */
export interface Rating {
  userId: UserId;
  movieId: MovieId;
  rating: number;
  timestamp: number;
}

export interface Tag {
  userId: UserId;
  movieId: MovieId;
  tag: string;
  timestamp: number;
}

/** Everything one import writes, already validated and merged across sources. */
export interface Dataset {
  movies: Movie[];
  /** Columns, not objects: an import may hold tens of millions of ratings. */
  ratings: Interactions;
  tags: Tag[];
  /** Every user that appears in ratings or tags. */
  users: UserId[];
  /** Store settings this import sets, in its transaction: the posters root of a run with posters. */
  settings?: { postersRoot: string };
}

export const MIN_RATING = 0.5;
export const MAX_RATING = 5.0;
export const RATING_STEP = 0.5;

/** Whether a value is a rating MovieLens could hold: MIN_RATING to MAX_RATING in steps of RATING_STEP. */
export function isValidRating(value: number): boolean {
  return value >= MIN_RATING && value <= MAX_RATING && Number.isInteger(value / RATING_STEP);
}

/** Movie fields whose coverage `stats` reports. */
export const COVERAGE_FIELDS = ['overview', 'tagline', 'keywords', 'cast', 'directors', 'poster'] as const;
export type CoverageField = (typeof COVERAGE_FIELDS)[number];
