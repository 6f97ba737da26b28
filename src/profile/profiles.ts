/**
 * Tastes in the movie DNA as users get them: from a history (the residual updater's, or the weighted profile), from a
 * single rating, from a few picked favourites, or from a sentence. The recommendation service asks this for every
 * taste it ranks by.
 */
import type { MovieId, UserId } from '../domain.js';
import { UsageError } from '../errors.js';
import type { RatedMovie } from '../recommender.js';
import { timeOrder, weightedProfile } from './taste.js';
import type { TextTaste } from './text-taste.js';
import { TasteReplayer } from './replay.js';
import type { TasteState, TasteUpdater } from './updater.js';

export const PROFILE_KINDS = ['updater', 'weighted'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** A picked favourite counts as a rating of 5: the top of the MovieLens scale. */
export const FAVORITE_RATING = 5;

/** The movie DNA as tastes read it: unit rows, and each movie's row (undefined for a movie without DNA). */
export interface MovieVectors {
  readonly ids: readonly MovieId[];
  readonly dim: number;
  readonly vectors: Float32Array;
  readonly size: number;
  row(movieId: MovieId): number | undefined;
}

export class TasteProfiles {
  private replayer?: TasteReplayer;

  constructor(
    private readonly dna: MovieVectors,
    /** Needed for 'updater' tastes. */
    private readonly updater: TasteUpdater | null,
    /** Needed for free-text tastes; loaded on the first sentence. */
    private readonly textTaste: (() => Promise<TextTaste>) | null = null,
  ) {
    if (updater && updater.dim !== dna.dim)
      throw new UsageError(`the taste updater moves ${updater.dim}-d tastes, but the movie DNA is ${dna.dim}-d: train the updater again`);
  }

  /**
   * The updater's taste after these ratings in time order (movies without DNA count toward the user's mean only);
   * `userId` lets the next call for that user continue from it.
   */
  updaterTaste(history: readonly RatedMovie[], userId?: UserId): TasteState {
    return this.requireReplayer().taste(userId, this.rows(history));
  }

  /** The updater's taste after each rating, in time order, with the rated movie: movies without DNA are left out. */
  updaterJourney(history: readonly RatedMovie[]): { movieId: MovieId; rating: number; taste: Float32Array }[] {
    const rows = this.rows(history);
    const order = timeOrder(rows.movies.length, rows.timestamps);
    const states = this.requireReplayer().journey(rows);
    return states.map((state, step) => {
      const row = order[step]!;
      return { movieId: this.dna.ids[rows.movies[row]!]!, rating: rows.ratings[row]!, taste: state.vector };
    });
  }

  /** The taste a history makes, or null when it makes none (no movie with DNA, or, weighted, nothing pulls). */
  historyTaste(history: readonly RatedMovie[], kind: ProfileKind, userId?: UserId): Float32Array | null {
    const rows = this.rows(history);
    if (rows.movies.length === 0) return null;
    if (kind === 'weighted') return weightedProfile(this.dna.vectors, this.dna.dim, rows.movies, rows.ratings, rows.timestamps);
    return this.requireReplayer().taste(userId, rows).vector;
  }

  /** A few picked favourites as a history: each a rating of FAVORITE_RATING, in the order given. */
  favoritesHistory(movieIds: readonly MovieId[]): RatedMovie[] {
    if (movieIds.length === 0) throw new UsageError('expected at least one favourite movie');
    const unknown = movieIds.filter((movieId) => this.dna.row(movieId) === undefined);
    if (unknown.length > 0) throw new UsageError(`no movie DNA for movie ${unknown.join(', ')}: expected movie ids from the catalog`);
    return movieIds.map((movieId, i) => ({ movieId, rating: FAVORITE_RATING, timestamp: i }));
  }

  /** A sentence's taste, through the text encoders and the fusion's text-only path. */
  async sentenceTaste(text: string): Promise<Float32Array> {
    if (!this.textTaste) throw new UsageError('free-text tastes need the text encoders: give --models (or REELSENSE_MODELS) and the artifacts directory');
    return (await this.textTaste())(text);
  }

  /** The history's movies with DNA as rows of the DNA, with their ratings and times. */
  private rows(history: readonly RatedMovie[]) {
    const known = history.filter((entry) => this.dna.row(entry.movieId) !== undefined);
    return {
      movies: Int32Array.from(known, (entry) => this.dna.row(entry.movieId)!),
      ratings: Float32Array.from(known, (entry) => entry.rating),
      timestamps: Float64Array.from(known, (entry) => entry.timestamp),
    };
  }

  private requireReplayer(): TasteReplayer {
    if (!this.updater) throw new UsageError('no taste updater is loaded: run `reelsense train updater`, or use the weighted profile');
    this.replayer ??= new TasteReplayer(this.updater, this.dna.vectors, new Uint8Array(this.dna.size).fill(1));
    return this.replayer;
  }
}
