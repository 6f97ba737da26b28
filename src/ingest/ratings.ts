/**
 * ratings.csv as columns: ids stay numbers in typed arrays (no object per rating), so ml-25m's 25M ratings fit
 * in about 600 MB, with each row's line kept for the messages that must name it.
 */
import { statSync } from 'node:fs';
import type { MovieId, UserId } from '../domain.js';
import { InputError, formatLocation, type InputLocation } from '../errors.js';
import type { Interactions } from '../interactions.js';
import { lexicographicOrder } from '../math/sort.js';
import { forEachCsvRow } from './csv.js';
import { parseInt32Id, parseRating, parseTimestamp } from './fields.js';

/** Ratings as read from one file, with the line of each row. */
export interface LocatedRatings {
  file: string;
  interactions: Interactions;
  /** lines[row]: the line of `file` that row came from. */
  lines: Int32Array;
}

/** A ratings line is rarely shorter than this; capacity beyond what is filled stays untouched (and unpaged). */
const MIN_BYTES_PER_LINE = 16;

/** Streams a ratings file (userId,movieId,rating,timestamp) and validates every row. */
export async function readRatings(path: string, header: readonly string[]): Promise<LocatedRatings> {
  const columns = new RatingColumns((statSync(path, { throwIfNoEntry: false })?.size ?? 0) / MIN_BYTES_PER_LINE);
  await forEachCsvRow(path, path, header, ([user, movie, rating, timestamp], line) => {
    columns.push(
      parseInt32Id(user!, { file: path, line, field: 'userId' }),
      parseInt32Id(movie!, { file: path, line, field: 'movieId' }),
      parseRating(rating!, { file: path, line, field: 'rating' }),
      parseTimestamp(timestamp!, { file: path, line, field: 'timestamp' }),
      line,
    );
  });
  return { file: path, ...columns.filled() };
}

/** Parallel typed arrays that double when full. */
class RatingColumns {
  private size = 0;
  private users: Int32Array;
  private movies: Int32Array;
  private ratings: Float32Array;
  private timestamps: Float64Array;
  private lines: Int32Array;

  constructor(capacity: number) {
    const initial = Math.max(1024, Math.ceil(capacity));
    this.users = new Int32Array(initial);
    this.movies = new Int32Array(initial);
    this.ratings = new Float32Array(initial);
    this.timestamps = new Float64Array(initial);
    this.lines = new Int32Array(initial);
  }

  push(user: number, movie: number, rating: number, timestamp: number, line: number): void {
    if (this.size === this.users.length) this.grow();
    const row = this.size++;
    this.users[row] = user;
    this.movies[row] = movie;
    this.ratings[row] = rating;
    this.timestamps[row] = timestamp;
    this.lines[row] = line;
  }

  private grow(): void {
    const grown = <T extends Int32Array | Float32Array | Float64Array>(array: T): T => {
      const bigger = new (array.constructor as new (length: number) => T)(2 * array.length);
      bigger.set(array);
      return bigger;
    };
    this.users = grown(this.users);
    this.movies = grown(this.movies);
    this.ratings = grown(this.ratings);
    this.timestamps = grown(this.timestamps);
    this.lines = grown(this.lines);
  }

  /** Views of the filled rows (no copy). */
  filled(): { interactions: Interactions; lines: Int32Array } {
    const size = this.size;
    return {
      interactions: {
        users: this.users.subarray(0, size),
        movies: this.movies.subarray(0, size),
        ratings: this.ratings.subarray(0, size),
        timestamps: this.timestamps.subarray(0, size),
      },
      lines: this.lines.subarray(0, size),
    };
  }
}

/**
 * Rejects a rating of a movie in `unknownMovies` and two rows for one user and movie. Of several bad rows, the first
 * in the file is reported, as a reader going line by line would find it. Returns the users, ascending.
 */
export function checkRatings({ file, interactions, lines }: LocatedRatings, unknownMovies: ReadonlySet<MovieId>): Int32Array {
  const { users, movies } = interactions;
  const firstUnknown = unknownMovies.size ? movies.findIndex((movieId) => unknownMovies.has(movieId)) : -1;

  // Sorted by (user, movie) and stably by row, a repeated pair sits next to its first occurrence.
  const order = lexicographicOrder(users, movies);
  const distinctUsers: UserId[] = [];
  let firstRepeat = users.length;
  let firstOfRepeat = -1;
  for (let i = 0, groupStart = -1; i < order.length; i++) {
    const row = order[i]!;
    const previous = order[i - 1] ?? -1;
    if (previous === -1 || users[row] !== users[previous]) distinctUsers.push(users[row]!);
    if (previous === -1 || users[row] !== users[previous] || movies[row] !== movies[previous]) groupStart = row;
    else if (row < firstRepeat) [firstRepeat, firstOfRepeat] = [row, groupStart];
  }

  if (firstUnknown !== -1 && firstUnknown < firstRepeat) throw notInCatalogError({ file, line: lines[firstUnknown]! }, movies[firstUnknown]!);
  if (firstRepeat < users.length) {
    throw duplicateError('rating', { file, line: lines[firstRepeat]! }, users[firstRepeat]!, movies[firstRepeat]!, { file, line: lines[firstOfRepeat]! });
  }
  return Int32Array.from(distinctUsers);
}

/** The distinct values of the arrays, ascending: one Set pass, since ids repeat far more often than they differ. */
export function distinctIds(...arrays: ArrayLike<number>[]): Int32Array {
  const seen = new Set<number>();
  for (const values of arrays) for (let i = 0; i < values.length; i++) seen.add(values[i]!);
  return Int32Array.from(seen).sort();
}

export function notInCatalogError(at: InputLocation, movieId: MovieId): InputError {
  return new InputError({ ...at, field: 'movieId' }, `movieId ${movieId} is not in the catalog: expected a movie from movies.csv or the catalog`);
}

export function duplicateError(what: string, at: InputLocation, userId: UserId, movieId: MovieId, earlier: InputLocation): InputError {
  return new InputError(at, `duplicate ${what} for userId ${userId} and movieId ${movieId}, also at ${formatLocation(earlier)}`);
}
