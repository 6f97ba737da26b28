/**
 * When each movie was rated in training, for the `trending` signal: how many ratings a movie got in the year before
 * the user's latest rating. MovieLens newcomers rate what the site showed around their time, and long-time users
 * what was out then; all-time popularity cannot tell 1996 from 2016.
 */
import { requireArray, type Artifact, type ArtifactArray } from '../artifacts.js';
import type { MovieId } from '../domain.js';
import { interactionCount, type Interactions } from '../interactions.js';

const DAY_SECONDS = 86_400;
/** The trending window: the 365 days up to the query's time. */
export const TRENDING_DAYS = 365;

export class RatingTimes {
  private readonly rangeOf: Map<MovieId, number>;

  private constructor(
    /** Movie ids in `days` order. */
    readonly movieIds: Int32Array,
    /** movieIds.length + 1 offsets: movie i's rating days are days[offsets[i] … offsets[i + 1]). */
    readonly offsets: Int32Array,
    /** Rating times in days since 1970, ascending within each movie (Float32 keeps minutes at today's dates). */
    readonly days: Float32Array,
    /** The latest rating day: a query later than the ranker's data is read as of then. */
    readonly latest: number,
  ) {
    this.rangeOf = new Map(Array.from(movieIds, (movieId, i) => [movieId, i]));
  }

  static of(interactions: Interactions): RatingTimes {
    const count = interactionCount(interactions);
    const byMovie = new Map<MovieId, number[]>();
    for (let row = 0; row < count; row++) {
      const movieId = interactions.movies[row]!;
      let list = byMovie.get(movieId);
      if (!list) byMovie.set(movieId, (list = []));
      list.push(interactions.timestamps[row]! / DAY_SECONDS);
    }
    const movieIds = Int32Array.from([...byMovie.keys()].sort((a, b) => a - b));
    const offsets = new Int32Array(movieIds.length + 1);
    const days = new Float32Array(count);
    let latest = Number.NEGATIVE_INFINITY;
    movieIds.forEach((movieId, i) => {
      const sorted = Float32Array.from(byMovie.get(movieId)!).sort();
      days.set(sorted, offsets[i]);
      offsets[i + 1] = offsets[i]! + sorted.length;
      latest = Math.max(latest, sorted[sorted.length - 1]!);
    });
    return new RatingTimes(movieIds, offsets, days, count ? latest : 0);
  }

  static restore(artifact: Artifact): RatingTimes {
    const movieIds = requireArray(artifact, 'ratedAt.movies', Int32Array);
    const offsets = requireArray(artifact, 'ratedAt.offsets', Int32Array);
    const days = requireArray(artifact, 'ratedAt.days', Float32Array);
    if (offsets.length !== movieIds.length + 1 || offsets[movieIds.length] !== days.length) {
      throw new Error(`the saved ranker's rating times do not add up (${movieIds.length} movies, ${offsets.length} offsets, ${days.length} days): train it again`);
    }
    let latest = 0;
    for (let i = 0; i < movieIds.length; i++) if (offsets[i + 1]! > offsets[i]!) latest = Math.max(latest, days[offsets[i + 1]! - 1]!);
    return new RatingTimes(movieIds, offsets, days, latest);
  }

  arrays(): Record<string, ArtifactArray> {
    return { 'ratedAt.movies': this.movieIds, 'ratedAt.offsets': this.offsets, 'ratedAt.days': this.days };
  }

  /** Index of the movie's range (into `offsets`), or −1 for a movie nobody rated. */
  rangeIndex(movieId: MovieId): number {
    return this.rangeOf.get(movieId) ?? -1;
  }

  /** Ratings of the movie at range index `range` in the TRENDING_DAYS up to `day` (a day as `queryDay` gives it). */
  countBefore(range: number, day: number): number {
    const start = this.offsets[range]!;
    const end = this.offsets[range + 1]!;
    return firstAfter(this.days, start, end, day) - firstAfter(this.days, start, end, day - TRENDING_DAYS);
  }

  /** A query's time in days from its latest rating's timestamp (−∞: none), or the ranker's latest day if that is earlier. */
  queryDay(latestTimestamp: number): number {
    return Math.min(latestTimestamp / DAY_SECONDS, this.latest);
  }
}

/** The first position in days[start … end) holding a day later than `day` (binary search). */
function firstAfter(days: Float32Array, start: number, end: number, day: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (days[middle]! <= day) low = middle + 1;
    else high = middle;
  }
  return low;
}
