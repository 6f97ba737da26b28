/**
 * Tastes in the store's movie DNA as users get them: from a history (the residual updater's, or the weighted
 * profile), from a single rating, from a few picked favourites, or from a sentence, and the movies nearest to one.
 * The content-only path of `reelsense recommend`; the full recommendation path builds on it.
 */
import type { MovieId } from '../domain.js';
import { UsageError } from '../errors.js';
import { topK } from '../math/topk.js';
import { matVec, normaliseRows } from '../math/vector.js';
import type { RatedMovie, Scored } from '../recommender.js';
import type { VectorSet } from '../store/store.js';
import { timeOrder, weightedProfile } from './taste.js';
import type { TextTaste } from './text-taste.js';
import { TasteReplayer } from './replay.js';
import { applyRating, type TasteState, type TasteUpdater } from './updater.js';

export const PROFILE_KINDS = ['updater', 'weighted'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** A picked favourite counts as a rating of 5: the top of the MovieLens scale. */
export const FAVORITE_RATING = 5;

export class TasteProfiles {
  private readonly ids: readonly MovieId[];
  private readonly rowOf: Map<MovieId, number>;
  private readonly vectors: Float32Array;
  private replayer?: TasteReplayer;
  readonly dim: number;

  constructor(
    dna: VectorSet,
    /** Needed for 'updater' tastes. */
    private readonly updater: TasteUpdater | null,
    /** Needed for free-text tastes. */
    private readonly textTaste: TextTaste | null = null,
  ) {
    this.dim = dna.space.dim;
    this.vectors = normaliseRows(dna.vectors.slice(), this.dim);
    this.ids = dna.ids;
    this.rowOf = new Map(dna.ids.map((id, row) => [id, row]));
    if (updater && updater.dim !== this.dim)
      throw new UsageError(`the taste updater moves ${updater.dim}-d tastes, but the movie DNA is ${this.dim}-d: train the updater again`);
  }

  get movieCount(): number {
    return this.rowOf.size;
  }

  /** The taste after these ratings, taken in time order; null when none of the movies has DNA (or, weighted, nothing pulls). */
  historyTaste(history: readonly RatedMovie[], kind: ProfileKind): Float32Array | null {
    const known = history.filter((entry) => this.rowOf.has(entry.movieId));
    if (known.length === 0) return null;
    const order = timeOrder(
      known.length,
      known.map((entry) => entry.timestamp),
    );
    const rows = Int32Array.from(order, (i) => this.rowOf.get(known[i]!.movieId)!);
    const ratings = Float32Array.from(order, (i) => known[i]!.rating);
    if (kind === 'weighted') return weightedProfile(this.vectors, this.dim, rows, ratings);
    return this.requireReplayer().taste(undefined, { movies: rows, ratings }).vector;
  }

  /** A taste moved by one more rating: the online path after each rating. */
  rate(state: TasteState, movieId: MovieId, rating: number): TasteState {
    const row = this.rowOf.get(movieId);
    return row === undefined ? applyRating(this.requireUpdater(), state, null, 0, rating) : this.requireReplayer().step(state, row, rating);
  }

  /** The taste of a few picked favourites, each as a rating of FAVORITE_RATING in the order given. */
  favoritesTaste(movieIds: readonly MovieId[], kind: ProfileKind): Float32Array {
    const unknown = movieIds.filter((movieId) => !this.rowOf.has(movieId));
    if (unknown.length > 0) throw new UsageError(`no movie DNA for movie ${unknown.join(', ')}: expected movie ids from the catalog`);
    const taste = this.historyTaste(
      movieIds.map((movieId, i) => ({ movieId, rating: FAVORITE_RATING, timestamp: i })),
      kind,
    );
    if (!taste) throw new UsageError('expected at least one favourite movie');
    return taste;
  }

  /** A sentence's taste, through the text encoders and the fusion's text-only path. */
  async sentenceTaste(text: string): Promise<Float32Array> {
    if (!this.textTaste) throw new UsageError('free-text tastes need the text encoders: give --models (or REELSENSE_MODELS) and the artifacts directory');
    return this.textTaste(text);
  }

  /** The n movies nearest to a taste by cosine, leaving out `exclude`. */
  nearest(taste: Float32Array, n: number, exclude: ReadonlySet<MovieId> = new Set()): Scored[] {
    const scores = matVec(this.vectors, this.dim, taste);
    const skip = new Uint8Array(scores.length);
    for (const movieId of exclude) {
      const row = this.rowOf.get(movieId);
      if (row !== undefined) skip[row] = 1;
    }
    return Array.from(topK(scores, n, { skip }), (row) => ({ movieId: this.ids[row]!, score: scores[row]! }));
  }

  private requireUpdater(): TasteUpdater {
    if (!this.updater) throw new UsageError('no taste updater is loaded: run `reelsense train updater`, or use the weighted profile');
    return this.updater;
  }

  private requireReplayer(): TasteReplayer {
    this.replayer ??= new TasteReplayer(this.requireUpdater(), this.vectors, new Uint8Array(this.ids.length).fill(1));
    return this.replayer;
  }
}
