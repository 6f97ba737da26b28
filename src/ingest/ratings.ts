/**
 * ratings.csv as columns: ids stay numbers in typed arrays (no object per rating), so ml-25m's 25M ratings fit
 * in about 500 MB, and each row's line can still be named in a message.
 */
import { statSync } from 'node:fs';
import type { MovieId, UserId } from '../domain.js';
import { InputError, formatLocation, type InputLocation } from '../errors.js';
import type { Interactions } from '../interactions.js';
import { lexicographicOrder } from '../math/sort.js';
import { forEachCsvRow, type BytesRead } from './csv.js';
import { parseInt32Id, parseRating, parseTimestamp } from './fields.js';

/** Ratings as read from one file, with the line of each row. */
export interface LocatedRatings {
  file: string;
  interactions: Interactions;
  lines: RowLines;
}

/**
 * The line each row came from, in little memory: rows usually sit on consecutive lines, so only the rows where
 * the gap changes (a blank line, a quoted line break) are kept, as breakpoints found by bisection.
 */
export class RowLines {
  private readonly rows: number[] = [];
  private readonly lines: number[] = [];

  /** Rows must be added in ascending order. */
  add(row: number, line: number): void {
    const last = this.rows.length - 1;
    if (last < 0 || line - row !== this.lines[last]! - this.rows[last]!) {
      this.rows.push(row);
      this.lines.push(line);
    }
  }

  lineOf(row: number): number {
    let low = 0;
    let high = this.rows.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.rows[middle]! <= row) low = middle;
      else high = middle - 1;
    }
    return this.lines[low]! + (row - this.rows[low]!);
  }
}

/** A ratings line is rarely shorter than this; capacity beyond what is filled stays untouched (and unpaged). */
const MIN_BYTES_PER_LINE = 16;

/** Streams a ratings file (userId,movieId,rating,timestamp) and validates every row. */
export async function readRatings(path: string, header: readonly string[], onBytes?: BytesRead): Promise<LocatedRatings> {
  const columns = new RatingColumns((statSync(path, { throwIfNoEntry: false })?.size ?? 0) / MIN_BYTES_PER_LINE);
  await forEachCsvRow(
    path,
    path,
    header,
    ([user, movie, rating, timestamp], line) => {
      columns.push(
        parseInt32Id(user!, { file: path, line, field: 'userId' }),
        parseInt32Id(movie!, { file: path, line, field: 'movieId' }),
        parseRating(rating!, { file: path, line, field: 'rating' }),
        parseTimestamp(timestamp!, { file: path, line, field: 'timestamp' }),
        line,
      );
    },
    onBytes,
  );
  return { file: path, interactions: columns.filled(), lines: columns.lines };
}

/** Parallel typed arrays that double when full. */
class RatingColumns {
  private size = 0;
  private users: Int32Array;
  private movies: Int32Array;
  private ratings: Float32Array;
  private timestamps: Float64Array;
  readonly lines = new RowLines();

  constructor(capacity: number) {
    const initial = Math.max(1024, Math.ceil(capacity));
    this.users = new Int32Array(initial);
    this.movies = new Int32Array(initial);
    this.ratings = new Float32Array(initial);
    this.timestamps = new Float64Array(initial);
  }

  push(user: number, movie: number, rating: number, timestamp: number, line: number): void {
    if (this.size === this.users.length) this.grow();
    const row = this.size++;
    this.users[row] = user;
    this.movies[row] = movie;
    this.ratings[row] = rating;
    this.timestamps[row] = timestamp;
    this.lines.add(row, line);
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
  }

  /** Views of the filled rows (no copy). */
  filled(): Interactions {
    const size = this.size;
    return {
      users: this.users.subarray(0, size),
      movies: this.movies.subarray(0, size),
      ratings: this.ratings.subarray(0, size),
      timestamps: this.timestamps.subarray(0, size),
    };
  }
}

/**
 * Rejects a rating of a movie in `unknownMovies` and two rows for one user and movie. Of several bad rows, the first
 * in the file is reported, as a reader going line by line would find it.
 */
export function checkRatings({ file, interactions, lines }: LocatedRatings, unknownMovies: ReadonlySet<MovieId>): void {
  const { users, movies } = interactions;
  rejectFirstBadRow(
    unknownMovies.size ? movies.findIndex((movieId) => unknownMovies.has(movieId)) : -1,
    firstRepeat(users, movies),
    (row) => notInCatalogError({ file, line: lines.lineOf(row) }, movies[row]!),
    ({ row, earlier }) => duplicateError('rating', { file, line: lines.lineOf(row) }, users[row]!, movies[row]!, { file, line: lines.lineOf(earlier) }),
  );
}

export interface Repeat {
  row: number;
  earlier: number;
}

/** Throws for whichever bad row comes first: the first row of an unknown movie (-1: none) or the first repeat. */
export function rejectFirstBadRow(
  firstUnknown: number,
  repeat: Repeat | null,
  unknownError: (row: number) => InputError,
  repeatError: (repeat: Repeat) => InputError,
): void {
  if (firstUnknown !== -1 && firstUnknown < (repeat?.row ?? Infinity)) throw unknownError(firstUnknown);
  if (repeat) throw repeatError(repeat);
}

/**
 * The first row, in row order, that repeats an earlier row: same user, same movie, and `same(earlier, row)` (by
 * default nothing else to compare), with that earlier row; null when no row repeats. Row indices sorted stably by
 * (user, movie) put every candidate next to the rows it may repeat, in row order.
 */
export function firstRepeat(users: Int32Array, movies: Int32Array, same: (earlier: number, row: number) => boolean = () => true): Repeat | null {
  const order = lexicographicOrder(users, movies);
  let found: Repeat | null = null;
  for (let start = 0, end = 1; start < order.length; start = end++) {
    const first = order[start]!;
    while (end < order.length && users[order[end]!] === users[first] && movies[order[end]!] === movies[first]) end++;
    for (let i = start + 1; i < end && order[i]! < (found?.row ?? Infinity); i++) {
      const row = order[i]!;
      for (let j = start; j < i; j++) {
        if (same(order[j]!, row)) {
          found = { row, earlier: order[j]! };
          break;
        }
      }
    }
  }
  return found;
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
