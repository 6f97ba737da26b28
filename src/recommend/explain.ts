/**
 * Why a movie was recommended: the user's rated movies that pulled it in (their similarity to it in the DNA times the
 * pull of their rating in the weighted profile), what it shares with the movies the user liked (directors, cast,
 * genres, keywords), and how much of its score its text and its poster give.
 */
import type { Movie, MovieId } from '../domain.js';
import { RELEVANT_RATING } from '../eval/metrics.js';
import { dot } from '../math/vector.js';
import { profileWeights, timeOrder } from '../profile/taste.js';
import type { RatedMovie } from '../recommender.js';
import type { DnaTable } from './dna-table.js';

export interface Pull {
  movieId: MovieId;
  title: string;
  rating: number;
  /** Cosine of the rated movie to the recommended one in the DNA. */
  similarity: number;
  /** The rating's pull in the weighted profile: rating minus the user's mean, times recency. */
  weight: number;
  /** similarity × weight: how far this rating pulled the recommendation in. */
  contribution: number;
}

/** A name the recommended movie shares with movies the user liked, and how many of them have it. */
export interface SharedName {
  name: string;
  likedMovies: number;
}

export interface Explanation {
  movieId: MovieId;
  title: string;
  /** Cosine of the user's taste to the movie's DNA. */
  score: number;
  /** The rated movies that pulled it in most, largest contribution first (only positive contributions). */
  pulledBy: Pull[];
  shared: { directors: SharedName[]; cast: SharedName[]; genres: SharedName[]; keywords: SharedName[] };
  /**
   * The score from the movie's text alone (its DNA through the fusion's text-only path) and what its poster adds;
   * `text` and `poster` split the score between them (shares of the two magnitudes, summing to 1). Null when the
   * fusion is not at hand.
   */
  modalities: { textOnlyScore: number; text: number; poster: number } | null;
}

export interface ExplainContext {
  dna: DnaTable;
  movie(movieId: MovieId): Movie | undefined;
  /** The movie's DNA through the text-only path, or null when it cannot be computed. */
  textOnlyDna(movieId: MovieId): Promise<Float32Array | null>;
}

/** How many pulls and shared names of each kind an explanation lists. */
const LISTED = 5;

export async function explainMovie(context: ExplainContext, history: readonly RatedMovie[], taste: Float32Array, movieId: MovieId): Promise<Explanation> {
  const target = context.dna.vector(movieId);
  const movie = context.movie(movieId);
  const order = timeOrder(
    history.length,
    history.map((entry) => entry.timestamp),
  );
  const ordered = Array.from(order, (i) => history[i]!);
  const weights = profileWeights(ordered.map((entry) => entry.rating));
  const pulls: Pull[] = [];
  ordered.forEach((entry, i) => {
    const similarity = target ? context.dna.cosine(target, entry.movieId) : Number.NaN;
    const contribution = similarity * weights[i]!;
    if (contribution > 0) {
      pulls.push({ movieId: entry.movieId, title: context.movie(entry.movieId)?.title ?? '?', rating: entry.rating, similarity, weight: weights[i]!, contribution });
    }
  });
  pulls.sort((a, b) => b.contribution - a.contribution || a.movieId - b.movieId);

  const liked = ordered.filter((entry) => entry.rating >= RELEVANT_RATING).flatMap((entry) => context.movie(entry.movieId) ?? []);
  const score = target ? dot(taste, target) : Number.NaN;
  const textOnly = target ? await context.textOnlyDna(movieId) : null;
  return {
    movieId,
    title: movie?.title ?? '?',
    score,
    pulledBy: pulls.slice(0, LISTED),
    shared: {
      directors: sharedNames(movie?.directors ?? [], liked, (other) => other.directors),
      cast: sharedNames(movie?.cast ?? [], liked, (other) => other.cast),
      genres: sharedNames(movie?.genres ?? [], liked, (other) => other.genres),
      keywords: sharedNames(movie?.keywords ?? [], liked, (other) => other.keywords),
    },
    modalities: textOnly ? modalityShares(score, dot(taste, textOnly)) : null,
  };
}

/** The movie's names found among the liked movies' names, most shared first. */
function sharedNames(names: readonly string[], liked: readonly Movie[], namesOf: (movie: Movie) => readonly string[]): SharedName[] {
  return names
    .map((name) => ({ name, likedMovies: liked.filter((other) => namesOf(other).includes(name)).length }))
    .filter((shared) => shared.likedMovies > 0)
    .sort((a, b) => b.likedMovies - a.likedMovies || a.name.localeCompare(b.name))
    .slice(0, LISTED);
}

/** The text's share is the text-only score's magnitude, the poster's what the poster changes; a movie without a poster is all text. */
function modalityShares(score: number, textOnlyScore: number): Explanation['modalities'] {
  const text = Math.abs(textOnlyScore);
  const poster = Math.abs(score - textOnlyScore);
  const total = text + poster;
  return { textOnlyScore, text: total > 0 ? text / total : 1, poster: total > 0 ? poster / total : 0 };
}
