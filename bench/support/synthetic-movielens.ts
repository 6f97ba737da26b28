/**
 * A synthetic MovieLens directory of any size (movies.csv, ratings.csv, links.csv, tags.csv with the real headers and
 * formats), for scale benchmarks and tests: ml-25m's shape without its licence. Seeded, and streamed to disk, so
 * 25M ratings never sit in memory as text.
 *
 *   tsx bench/support/synthetic-movielens.ts OUT_DIR [--ratings N] [--seed S]
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gaussian, seededRandom, shuffle, type Random } from '../../src/math/random.js';

/** What to generate. Users and movies default to ml-25m's proportions for the number of ratings. */
export interface SyntheticShape {
  ratings: number;
  users?: number;
  movies?: number;
  seed?: number;
}

/** MovieLens keeps only users with at least 20 ratings. */
export const MIN_RATINGS_PER_USER = 20;
/** ml-25m: 25,000,095 ratings by 162,541 users of 62,423 movies. */
const ML25M = { ratings: 25_000_095, users: 162_541, movies: 62_423 };
/** Bumped whenever the output for a given shape changes, so cached directories are regenerated. */
const GENERATOR_VERSION = 1;

/** Ratings beyond the minimum are shared by log-normal weights: most users near the minimum, a few very heavy. */
const USER_ACTIVITY_SIGMA = 1.5;
/** Popularity falls off like (rank + offset)^-exponent: a few blockbusters, a long tail. */
const MOVIE_POPULARITY = { offset: 20, exponent: 1 };
/** Share of a user's picks drawn by popularity; the rest are uniform, which keeps heavy users from exhausting the head. */
const POPULAR_PICK_SHARE = 0.8;
/** No user rates more than this share of the catalog. */
const MAX_CATALOG_SHARE = 0.25;
/** ml-25m has about 4.4 tags per 100 ratings. */
const TAG_RATE = 0.044;
/** The MovieLens time range: 1995-01-09 to 2019-11-21. */
const FIRST_TIMESTAMP = 789_652_009;
const LAST_TIMESTAMP = 1_574_327_703;
/** Within a session ratings come seconds apart; one rating in twenty starts a new session days later. */
const SESSION_GAP_SECONDS = 40;
const NEW_SESSION_RATE = 0.05;

const GENRES = [
  'Action',
  'Adventure',
  'Animation',
  'Children',
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'IMAX',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];
const TAGS = [
  'atmospheric',
  'funny',
  'twist ending',
  'dark comedy',
  'visually appealing',
  'based on a book',
  'classic',
  'sci-fi',
  'thought-provoking',
  'great soundtrack',
  'predictable',
  'slow',
  'quirky',
  'violent',
  'romantic',
  'Oscar (Best Picture)',
];
/** Ratings as MovieLens writes them, 0.5 to 5.0 in half stars. */
const RATING_TEXT = Array.from({ length: 10 }, (_, i) => ((i + 1) / 2).toFixed(1));

/** The shape in full; a small one gets at least as many users as the per-user cap needs to hold every rating. */
export function resolveShape(shape: SyntheticShape): Required<SyntheticShape> {
  const scale = shape.ratings / ML25M.ratings;
  const movies = shape.movies ?? Math.max(100, Math.round(ML25M.movies * Math.sqrt(scale)));
  const perUserCap = maxRatingsPerUser(movies);
  const users = shape.users ?? Math.max(1, Math.round(ML25M.users * scale), Math.ceil(shape.ratings / perUserCap));
  if (!Number.isInteger(shape.ratings) || shape.ratings < MIN_RATINGS_PER_USER * users || shape.ratings > perUserCap * users) {
    throw new Error(`cannot give ${users} users from ${MIN_RATINGS_PER_USER} to ${perUserCap} ratings each and ${shape.ratings} in all`);
  }
  return { ratings: shape.ratings, users, movies, seed: shape.seed ?? 1 };
}

const maxRatingsPerUser = (movies: number) => Math.max(MIN_RATINGS_PER_USER, Math.floor(movies * MAX_CATALOG_SHARE));

/** Writes the four files into `dir` (created if missing). */
export async function writeSyntheticMovieLens(dir: string, shape: SyntheticShape): Promise<void> {
  const { ratings, users, movies, seed } = resolveShape(shape);
  const random = seededRandom(seed);
  mkdirSync(dir, { recursive: true });
  const movieIds = sparseIds(movies, random);
  await writeCatalog(dir, movieIds, random);

  const popularity = cumulativeZipf(movies, MOVIE_POPULARITY);
  const popularityRank = shuffle(
    Array.from({ length: movies }, (_, i) => i),
    random,
  );
  const movieBias = Float32Array.from({ length: movies }, () => 0.5 * gaussian(random));
  const counts = activityCounts(users, ratings, maxRatingsPerUser(movies), random);
  const pickedBy = new Int32Array(movies).fill(-1);
  const picks = new Int32Array(maxRatingsPerUser(movies));

  const ratingsFile = new CsvWriter(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp');
  const tagsFile = new CsvWriter(join(dir, 'tags.csv'), 'userId,movieId,tag,timestamp');
  for (let user = 0; user < users; user++) {
    const count = counts[user]!;
    for (let i = 0; i < count; i++) {
      let movie: number;
      do {
        movie = random() < POPULAR_PICK_SHARE ? popularityRank[sample(popularity, random())]! : Math.floor(random() * movies);
      } while (pickedBy[movie] === user);
      pickedBy[movie] = user;
      picks[i] = movie;
    }
    const userBias = 0.4 * gaussian(random);
    let timestamp = FIRST_TIMESTAMP + Math.floor(random() * 0.9 * (LAST_TIMESTAMP - FIRST_TIMESTAMP));
    // Session breaks spread the user's ratings over about half of the time left.
    const sessionBreakSeconds = (LAST_TIMESTAMP - timestamp) / 2 / Math.max(1, count * NEW_SESSION_RATE);
    for (let i = 0; i < count; i++) {
      const movie = picks[i]!;
      const gap = random() < NEW_SESSION_RATE ? sessionBreakSeconds : SESSION_GAP_SECONDS;
      timestamp += 1 + Math.floor(-Math.log(1 - random()) * gap);
      const stars = Math.round(2 * (3.55 + userBias + movieBias[movie]! + 0.9 * gaussian(random)));
      await ratingsFile.line(`${user + 1},${movieIds[movie]},${RATING_TEXT[Math.min(10, Math.max(1, stars)) - 1]},${timestamp}`);
      if (random() < TAG_RATE) await tagsFile.line(`${user + 1},${movieIds[movie]},${TAGS[Math.floor(random() * TAGS.length)]},${timestamp + 7}`);
    }
  }
  await Promise.all([ratingsFile.close(), tagsFile.close()]);
}

/**
 * The directory for a shape under `root` (the system's temp folder), generated on first use and reused after: keyed
 * by the shape and the generator version, and marked complete only once every file is written.
 */
export async function cachedSyntheticMovieLens(shape: SyntheticShape, root = tmpdir()): Promise<string> {
  const { ratings, users, movies, seed } = resolveShape(shape);
  const dir = join(root, `reelsense-synthetic-v${GENERATOR_VERSION}-r${ratings}-u${users}-m${movies}-s${seed}`);
  const complete = join(dir, '.complete');
  if (existsSync(complete)) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  await writeSyntheticMovieLens(partial, shape);
  writeFileSync(join(partial, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** Increasing ids with gaps, like MovieLens' (62k movies up to id 209k). */
function sparseIds(count: number, random: Random): Int32Array {
  const ids = new Int32Array(count);
  for (let i = 0, id = 0; i < count; i++) ids[i] = id += 1 + Math.floor(random() * 4);
  return ids;
}

async function writeCatalog(dir: string, movieIds: Int32Array, random: Random): Promise<void> {
  const movies = new CsvWriter(join(dir, 'movies.csv'), 'movieId,title,genres');
  const links = new CsvWriter(join(dir, 'links.csv'), 'movieId,imdbId,tmdbId');
  for (const id of movieIds) {
    const year = 1920 + Math.floor(random() * 100);
    // Some titles carry a comma, so movies.csv has quoted fields like the real one.
    const title = id % 7 === 0 ? `"Synthetic Movie ${id}, The (${year})"` : `Synthetic Movie ${id} (${year})`;
    const genreCount = Math.floor(random() * 4);
    const genres =
      genreCount === 0
        ? '(no genres listed)'
        : shuffle([...GENRES], random)
            .slice(0, genreCount)
            .join('|');
    await movies.line(`${id},${title},${genres}`);
    await links.line(`${id},${String(100_000 + id).padStart(7, '0')},${id % 50 === 0 ? '' : id + 10_000}`);
  }
  await Promise.all([movies.close(), links.close()]);
}

/** Ratings per user: the MovieLens minimum each, the rest shared by log-normal weights and capped per user. */
function activityCounts(users: number, ratings: number, cap: number, random: Random): Int32Array {
  const weights = Float64Array.from({ length: users }, () => Math.exp(USER_ACTIVITY_SIGMA * gaussian(random)));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const extra = ratings - MIN_RATINGS_PER_USER * users;
  const counts = new Int32Array(users);
  let assigned = 0;
  for (let user = 0; user < users; user++) {
    counts[user] = Math.min(cap, MIN_RATINGS_PER_USER + Math.floor((extra * weights[user]!) / totalWeight));
    assigned += counts[user]!;
  }
  // What rounding down and the cap left over goes one at a time to the users with room.
  for (let user = 0; assigned < ratings; user = (user + 1) % users) {
    if (counts[user]! < cap) {
      counts[user]!++;
      assigned++;
    }
  }
  return counts;
}

/** The cumulative distribution of (rank + offset)^-exponent over `count` ranks, normalised to end at 1. */
function cumulativeZipf(count: number, { offset, exponent }: { offset: number; exponent: number }): Float64Array {
  const cumulative = new Float64Array(count);
  let sum = 0;
  for (let rank = 0; rank < count; rank++) cumulative[rank] = sum += (rank + offset) ** -exponent;
  for (let rank = 0; rank < count; rank++) cumulative[rank]! /= sum;
  return cumulative;
}

/** The first rank whose cumulative probability exceeds `u`, by binary search. */
function sample(cumulative: Float64Array, u: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! > u) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Lines gathered into large writes, waiting for the disk when the stream's buffer is full. */
class CsvWriter {
  private readonly stream: WriteStream;
  private pending: string;

  constructor(path: string, header: string) {
    this.stream = createWriteStream(path);
    this.pending = `${header}\n`;
  }

  async line(text: string): Promise<void> {
    this.pending += `${text}\n`;
    if (this.pending.length >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

function parseCliArgs(args: string[]): { dir: string; shape: SyntheticShape } {
  const [dir, ...flags] = args;
  const shape: SyntheticShape = { ratings: 1_000_000 };
  for (let i = 0; i < flags.length; i += 2) {
    const [flag, value] = [flags[i], Number(flags[i + 1])];
    if (flag === '--ratings') shape.ratings = value;
    else if (flag === '--seed') shape.seed = value;
    else throw new Error(`unknown flag ${flag}`);
  }
  if (!dir || flags.length % 2 !== 0) throw new Error('usage: tsx bench/support/synthetic-movielens.ts OUT_DIR [--ratings N] [--seed S]');
  return { dir: resolve(dir), shape };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { dir, shape } = parseCliArgs(process.argv.slice(2));
  await writeSyntheticMovieLens(dir, shape);
  process.stdout.write(`${JSON.stringify({ dir, ...resolveShape(shape) })}\n`);
}
