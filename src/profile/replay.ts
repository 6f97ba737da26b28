/**
 * Replaying histories through the taste updater, remembering the last one per user: a user's next query (the same
 * history plus a rating or two, as in evaluate's next-item walk or a live session) continues from the taste already
 * there instead of replaying everything again.
 */
import type { UserId } from '../domain.js';
import { timeOrder, type RatedRows } from './taste.js';
import { applyRating, initialTaste, type TasteState, type TasteUpdater } from './updater.js';

/** A history already replayed for a user, in time order. */
interface Replayed {
  movies: Int32Array;
  ratings: Float32Array;
  taste: TasteState;
}

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
    const from = earlier && startsWith(movies, ratings, earlier) ? earlier.movies.length : 0;
    let taste = from > 0 ? earlier!.taste : initialTaste(this.updater);
    for (let i = from; i < movies.length; i++) taste = this.step(taste, movies[i]!, ratings[i]!);
    if (userId !== undefined) {
      this.replayed.delete(userId);
      if (this.replayed.size >= REPLAYED_USERS) this.replayed.delete(this.replayed.keys().next().value!);
      this.replayed.set(userId, { movies, ratings, taste });
    }
    return taste;
  }

  /** One more rating of the movie at this index. */
  step(taste: TasteState, movie: number, rating: number): TasteState {
    const { dim } = this.updater;
    return applyRating(this.updater, taste, this.hasVector[movie] ? this.vectors : null, movie * dim, rating);
  }
}

/** Whether a history starts with the one already replayed. */
function startsWith(movies: Int32Array, ratings: Float32Array, earlier: Replayed): boolean {
  if (earlier.movies.length > movies.length) return false;
  for (let i = 0; i < earlier.movies.length; i++) if (earlier.movies[i] !== movies[i] || earlier.ratings[i] !== ratings[i]) return false;
  return true;
}
