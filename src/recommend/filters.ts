/** What a user may narrow recommendations to: genres in or out, a year range, a language. */
import { z } from 'zod';
import type { Movie } from '../domain.js';

export const movieFilterSchema = z
  .object({
    /** Keep movies with at least one of these genres. */
    genres: z.array(z.string().min(1)).optional(),
    /** Drop movies with any of these genres. */
    excludeGenres: z.array(z.string().min(1)).optional(),
    yearFrom: z.number().int().optional(),
    yearTo: z.number().int().optional(),
    /** ISO 639-1 code as the catalog has it (`en`, `fr`). */
    language: z.string().min(1).optional(),
  })
  .refine((filter) => filter.yearFrom === undefined || filter.yearTo === undefined || filter.yearFrom <= filter.yearTo, {
    message: 'expected yearFrom ≤ yearTo',
    path: ['yearFrom'],
  });

export type MovieFilter = z.infer<typeof movieFilterSchema>;

/** Whether a filter narrows anything at all. */
export function isEmptyFilter(filter: MovieFilter): boolean {
  return Object.values(filter).every((value) => value === undefined || (Array.isArray(value) && value.length === 0));
}

/**
 * The filter as a test on a movie. Genre and language match without regard to case; a movie with no year (or no
 * language) fails a year range (or language) filter, since it cannot be shown to match.
 */
export function movieMatcher(filter: MovieFilter): (movie: Movie) => boolean {
  const lower = (values?: readonly string[]) => (values && values.length > 0 ? new Set(values.map((value) => value.toLowerCase())) : null);
  const wanted = lower(filter.genres);
  const unwanted = lower(filter.excludeGenres);
  const language = filter.language?.toLowerCase();
  return (movie) => {
    const genres = movie.genres.map((genre) => genre.toLowerCase());
    if (wanted && !genres.some((genre) => wanted.has(genre))) return false;
    if (unwanted && genres.some((genre) => unwanted.has(genre))) return false;
    if (filter.yearFrom !== undefined && (movie.year === null || movie.year < filter.yearFrom)) return false;
    if (filter.yearTo !== undefined && (movie.year === null || movie.year > filter.yearTo)) return false;
    if (language !== undefined && movie.language?.toLowerCase() !== language) return false;
    return true;
  };
}
