/**
 * How well a movie space knows what a movie is: do a movie's nearest neighbours share its genres, its director, its
 * lead actor? Each measure stands beside its exact random baseline, so a space is judged by what it adds over chance.
 */
import type { Movie, MovieId } from '../domain.js';
import { allNearestRows } from '../math/neighbours.js';
import { normaliseRows } from '../math/vector.js';

export const NEIGHBOURS = 10;

export interface QualityMeasures {
  /** Leave-one-out: mean share of a movie's 10 nearest movies that share at least one genre with it. */
  genrePrecision10: number;
  /** Over movies with another film by one of their directors in the space: found among the 10 nearest / min(10, such films). */
  directorRecall10: number;
  /** The same for the lead (first-billed) actor. */
  castRecall10: number;
}

export interface SpaceQuality extends QualityMeasures {
  name: string;
  dim: number;
  /** Movies with a vector in the space. */
  count: number;
  /** The expected value of each measure for 10 neighbours drawn at random. */
  random: QualityMeasures;
  /** How many movies each measure averages over. */
  evaluated: { genre: number; director: number; cast: number };
  /** Whether the measures average over a chosen set of query movies (e.g. those a fusion never trained on) or every movie. */
  queries: 'all' | 'held-out';
}

/** One movie space as read from the store: row i belongs to ids[i]. */
export interface MovieSpace {
  name: string;
  dim: number;
  ids: readonly MovieId[];
  vectors: Float32Array;
}

/**
 * The measures of one space. With `queries`, they average over those movies only (their neighbours are still sought
 * among every movie): a learned space is judged on movies it never trained on.
 */
export async function spaceQuality(space: MovieSpace, catalog: ReadonlyMap<MovieId, Movie>, queries?: ReadonlySet<MovieId>): Promise<SpaceQuality> {
  const movies = space.ids.map((id) => catalog.get(id));
  const count = movies.length;
  const neighbours = await allNearestRows(normaliseRows(space.vectors.slice(), space.dim), space.dim, NEIGHBOURS);
  const width = Math.min(NEIGHBOURS, count - 1);
  const isQuery = (row: number) => !queries || queries.has(space.ids[row]!);
  const genre = genreMeasure(movies, neighbours, width, isQuery);
  const director = partnerRecall(
    movies.map((movie) => movie?.directors ?? []),
    neighbours,
    width,
    isQuery,
  );
  const cast = partnerRecall(
    movies.map((movie) => movie?.cast.slice(0, 1) ?? []),
    neighbours,
    width,
    isQuery,
  );
  return {
    name: space.name,
    dim: space.dim,
    count,
    genrePrecision10: genre.measured,
    directorRecall10: director.measured,
    castRecall10: cast.measured,
    random: { genrePrecision10: genre.random, directorRecall10: director.random, castRecall10: cast.random },
    evaluated: { genre: genre.evaluated, director: director.evaluated, cast: cast.evaluated },
    queries: queries ? 'held-out' : 'all',
  };
}

interface Measure {
  measured: number;
  random: number;
  evaluated: number;
}

const mean = (sum: number, count: number) => (count ? sum / count : Number.NaN);

/**
 * Genre precision@10 over movies with genres. Movies are grouped by their exact genre set, so the random baseline
 * (the share of all other movies that share a genre) costs groups², not movies².
 */
function genreMeasure(movies: readonly (Movie | undefined)[], neighbours: Int32Array, width: number, isQuery: (row: number) => boolean): Measure {
  const genreSets = movies.map((movie) => new Set(movie?.genres ?? []));
  const groups = new Map<string, { genres: Set<string>; size: number }>();
  for (const genres of genreSets) {
    const key = [...genres].sort().join('|');
    const group = groups.get(key);
    if (group) group.size++;
    else groups.set(key, { genres, size: 1 });
  }
  const shares = (a: Set<string>, b: Set<string>) => [...a].some((genre) => b.has(genre));
  const sharingCount = new Map<string, number>();
  for (const [key, group] of groups) {
    let sharing = 0;
    for (const other of groups.values()) if (shares(group.genres, other.genres)) sharing += other.size;
    sharingCount.set(key, sharing - (group.genres.size ? 1 : 0));
  }
  let measured = 0;
  let random = 0;
  let evaluated = 0;
  genreSets.forEach((genres, row) => {
    if (genres.size === 0 || !isQuery(row)) return;
    evaluated++;
    let hits = 0;
    for (let slot = row * width; slot < (row + 1) * width; slot++) if (shares(genres, genreSets[neighbours[slot]!]!)) hits++;
    measured += hits / width;
    random += sharingCount.get([...genres].sort().join('|'))! / (movies.length - 1);
  });
  return { measured: mean(measured, evaluated), random: mean(random, evaluated), evaluated };
}

/** Recall@10 of the movies that share a person (a director, the lead actor) with each movie that has such a partner. */
function partnerRecall(people: readonly (readonly string[])[], neighbours: Int32Array, width: number, isQuery: (row: number) => boolean): Measure {
  const moviesOf = new Map<string, number[]>();
  people.forEach((names, row) => {
    for (const name of new Set(names)) {
      const rows = moviesOf.get(name);
      if (rows) rows.push(row);
      else moviesOf.set(name, [row]);
    }
  });
  let measured = 0;
  let random = 0;
  let evaluated = 0;
  people.forEach((names, row) => {
    if (!isQuery(row)) return;
    const partners = new Set(names.flatMap((name) => moviesOf.get(name)!).filter((other) => other !== row));
    if (partners.size === 0) return;
    evaluated++;
    const ideal = Math.min(width, partners.size);
    let hits = 0;
    for (let slot = row * width; slot < (row + 1) * width; slot++) if (partners.has(neighbours[slot]!)) hits++;
    measured += hits / ideal;
    // Drawing `width` of the other movies at random finds width · partners / (movies − 1) partners on average.
    random += (width * partners.size) / (people.length - 1) / ideal;
  });
  return { measured: mean(measured, evaluated), random: mean(random, evaluated), evaluated };
}
