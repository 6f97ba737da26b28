/**
 * Replaying histories through the taste updater, remembering the last one per user: a user's next query (the same
 * history plus a rating or two, as in evaluate's next-item walk or a live session) continues from the taste already
 * there instead of replaying everything again. A history that differs earlier on (a rating replaced or deleted, or
 * one slotted in by time, as cold-items' walk does) resumes from the last checkpoint before the difference.
 */
import type { UserId } from '../domain.js';
import { timeOrder, type RatedRows } from './taste.js';
import { applyRating, initialTaste, type TasteState, type TasteUpdater } from './updater.js';

/** A history already replayed for a user, in time order, with the taste after every CHECKPOINT_STRIDE ratings. */
interface Replayed {
  movies: Int32Array;
  ratings: Float32Array;
  taste: TasteState;
  /** checkpoints[c] is the taste after c · CHECKPOINT_STRIDE ratings (checkpoints[0], the start, is implied). */
  checkpoints: TasteState[];
}

/** Ratings between checkpoints: a resumed replay redoes fewer than this many steps before the first difference. */
const CHECKPOINT_STRIDE = 16;

/** Users whose replayed taste is kept; beyond it the least recently asked is forgotten and replayed again when asked. */
const REPLAYED_USERS = 10_000;

export class TasteReplayer {
  private readonly replayed = new Map<UserId, Replayed>();

  /** `vectors`: movies × updater.dim unit rows on the same movie indices as the histories; `hasVector` marks real rows. */
  constructor(
    private readonly updater: TasteUpdater,
    private readonly vectors: Float32Array,
    private readonly hasVector: Uint8Array,
  ) {}

  /** The taste after a history (movie indices, ratings, timestamps when known), taken in time order. */
  taste(userId: UserId | undefined, history: RatedRows): TasteState {
    const order = timeOrder(history.movies.length, history.timestamps);
    const movies = Int32Array.from(order, (i) => history.movies[i]!);
    const ratings = Float32Array.from(order, (i) => history.ratings[i]!);
    const earlier = userId === undefined ? undefined : this.replayed.get(userId);
    const shared = earlier ? sharedPrefix(movies, ratings, earlier) : 0;
    let from: number;
    let taste: TasteState;
    let checkpoints: TasteState[];
    if (earlier && shared === earlier.movies.length) {
      [from, taste, checkpoints] = [shared, earlier.taste, earlier.checkpoints];
    } else {
      const kept = earlier ? Math.min(earlier.checkpoints.length, Math.floor(shared / CHECKPOINT_STRIDE) + 1) : 1;
      checkpoints = earlier ? earlier.checkpoints.slice(0, kept) : [initialTaste(this.updater)];
      from = (kept - 1) * CHECKPOINT_STRIDE;
      taste = checkpoints[kept - 1]!;
    }
    for (let i = from; i < movies.length; i++) {
      taste = this.step(taste, movies[i]!, ratings[i]!);
      if ((i + 1) % CHECKPOINT_STRIDE === 0 && checkpoints.length === (i + 1) / CHECKPOINT_STRIDE) checkpoints.push(taste);
    }
    if (userId !== undefined) {
      this.replayed.delete(userId);
      if (this.replayed.size >= REPLAYED_USERS) this.replayed.delete(this.replayed.keys().next().value!);
      this.replayed.set(userId, { movies, ratings, taste, checkpoints });
    }
    return taste;
  }

  /** The taste after each rating of a history, taken in time order (a user's journey through the DNA). */
  journey(history: RatedRows): TasteState[] {
    const order = timeOrder(history.movies.length, history.timestamps);
    const states: TasteState[] = [];
    let taste = initialTaste(this.updater);
    for (const i of order) {
      taste = this.step(taste, history.movies[i]!, history.ratings[i]!);
      states.push(taste);
    }
    return states;
  }

  /** One more rating of the movie at this index. */
  step(taste: TasteState, movie: number, rating: number): TasteState {
    const { dim } = this.updater;
    return applyRating(this.updater, taste, this.hasVector[movie] ? this.vectors : null, movie * dim, rating);
  }
}

/** How many ratings, from the first, a history has in common with the one already replayed. */
function sharedPrefix(movies: Int32Array, ratings: Float32Array, earlier: Replayed): number {
  const limit = Math.min(movies.length, earlier.movies.length);
  let i = 0;
  while (i < limit && earlier.movies[i] === movies[i] && earlier.ratings[i] === ratings[i]) i++;
  return i;
}
