/** The HTTP API's shared shapes: ids in paths, movies in answers, and the one error body every 4xx and 5xx has. */
import { z } from 'zod';
import type { Movie } from '../domain.js';
import { MAX_RATING, MIN_RATING, RATING_STEP, isValidRating } from '../domain.js';

export const movieId = z.coerce
  .number({ message: 'expected a movie id (a whole number)' })
  .int('expected a whole number')
  .positive('expected a movie id ≥ 1')
  .describe('a MovieLens movie id');
/** A movie id in a JSON body, where it must already be a number. */
export const movieIdField = z.number({ message: 'expected a movie id (a number)' }).int('expected a whole number').positive('expected a movie id ≥ 1');
export const userId = z.coerce
  .number({ message: 'expected a user id (a whole number)' })
  .int('expected a whole number')
  .positive('expected a user id ≥ 1')
  .describe('a user id');
export const rating = z
  .number({ message: 'expected a number' })
  .refine(isValidRating, `expected a rating from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}`)
  .describe(`from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}`);

/** `?n=` style counts: a whole number in [1, max], `fallback` when left out. */
export const count = (max: number, fallback: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int('expected a whole number')
    .min(1, 'expected at least 1')
    .max(max, `expected at most ${max}`)
    .default(fallback);

/** A comma-separated query value as a list: `genres=Drama,Comedy`. */
export const commaList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(z.array(z.string().min(1, 'expected names separated by commas, none empty')));

export const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1')
  .default(false);

export const errorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string().describe('the HTTP status text'),
    message: z.string().describe('what was wrong, naming the field'),
  })
  .describe('an error');

/** A movie in a list: enough to show it. */
export const movieSummary = z.object({
  movieId: z.number().int(),
  title: z.string(),
  year: z.number().int().nullable(),
  genres: z.array(z.string()),
  posterUrl: z.string().nullable().describe('GET this for the poster image; null when the movie has none'),
});

export const movieDetail = movieSummary.extend({
  overview: z.string().nullable(),
  tagline: z.string().nullable(),
  keywords: z.array(z.string()),
  cast: z.array(z.string()),
  directors: z.array(z.string()),
  releaseDate: z.string().nullable(),
  runtime: z.number().int().nullable(),
  language: z.string().nullable(),
  imdbId: z.string().nullable(),
  tmdbId: z.number().int().nullable(),
});

export const posterUrl = (movie: Pick<Movie, 'movieId' | 'poster'>) => (movie.poster === null ? null : `/posters/${movie.movieId}`);

export const summaryOf = (movie: Movie): z.output<typeof movieSummary> => ({
  movieId: movie.movieId,
  title: movie.title,
  year: movie.year,
  genres: movie.genres,
  posterUrl: posterUrl(movie),
});

export const detailOf = (movie: Movie): z.output<typeof movieDetail> => ({
  ...summaryOf(movie),
  overview: movie.overview,
  tagline: movie.tagline,
  keywords: movie.keywords,
  cast: movie.cast,
  directors: movie.directors,
  releaseDate: movie.releaseDate,
  runtime: movie.runtime,
  language: movie.language,
  imdbId: movie.imdbId,
  tmdbId: movie.tmdbId,
});

const nameShare = z.object({ name: z.string(), likedMovies: z.number().int() });

export const explanation = z.object({
  movieId: z.number().int(),
  title: z.string(),
  score: z.number().nullable().describe("cosine of the user's taste to the movie's DNA"),
  pulledBy: z
    .array(
      z.object({
        movieId: z.number().int(),
        title: z.string(),
        rating: z.number(),
        similarity: z.number(),
        weight: z.number(),
        contribution: z.number(),
      }),
    )
    .describe('the rated movies that pulled it in most'),
  shared: z.object({ directors: z.array(nameShare), cast: z.array(nameShare), genres: z.array(nameShare), keywords: z.array(nameShare) }),
  modalities: z
    .object({ textOnlyScore: z.number(), text: z.number(), poster: z.number() })
    .nullable()
    .describe("how much of the score the movie's text and its poster give"),
});

/** NaN (a movie without DNA has no cosine) is not JSON: it goes out as null. */
export const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);
