/** What a user's ratings say about them, in words: how many, how generous, and the genres and people they like most. */
import type { Movie, MovieId, Rating } from '../domain.js';
import { RELEVANT_RATING } from '../eval/metrics.js';

export interface NameShare {
  name: string;
  /** The share of the user's liked movies that have it. */
  share: number;
}

export interface TasteSummary {
  ratings: number;
  meanRating: number | null;
  /** Ratings at or above RELEVANT_RATING. */
  liked: number;
  genres: NameShare[];
  directors: NameShare[];
  cast: NameShare[];
}

const LISTED = 5;

export function tasteSummary(history: readonly Pick<Rating, 'movieId' | 'rating'>[], movie: (movieId: MovieId) => Movie | undefined): TasteSummary {
  const liked = history.filter((entry) => entry.rating >= RELEVANT_RATING).flatMap((entry) => movie(entry.movieId) ?? []);
  const top = (namesOf: (movie: Movie) => readonly string[]): NameShare[] => {
    const counts = new Map<string, number>();
    for (const likedMovie of liked) for (const name of new Set(namesOf(likedMovie))) counts.set(name, (counts.get(name) ?? 0) + 1);
    return [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, LISTED)
      .map(([name, count]) => ({ name, share: count / liked.length }));
  };
  return {
    ratings: history.length,
    meanRating: history.length === 0 ? null : history.reduce((sum, entry) => sum + entry.rating, 0) / history.length,
    liked: liked.length,
    genres: top((likedMovie) => likedMovie.genres),
    directors: top((likedMovie) => likedMovie.directors),
    cast: top((likedMovie) => likedMovie.cast.slice(0, 5)),
  };
}
