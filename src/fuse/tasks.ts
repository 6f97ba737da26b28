/**
 * What "alike" means to the movie DNA, one task per kind of likeness: shared genres (weighted by their Jaccard
 * overlap), a shared director, a shared lead actor (top 3 billed), shared informative keywords, and an audience in
 * common (co-liked in the training ratings). Each task says, for any two movies, whether they are a positive pair
 * (and how strongly), a negative pair, or neither.
 */
import type { Movie } from '../domain.js';
import type { Random } from '../math/random.js';
import { sharedCount } from '../math/sorted-sets.js';
import type { CoRated } from './corated.js';

export const TASK_NAMES = ['genre', 'director', 'cast', 'keywords', 'corated'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** The relation value of a pair that is neither positive nor negative (e.g. one of them has no director on record). */
export const UNRELATED = -1;

export interface Task {
  name: TaskName;
  /** > 0: a positive pair, weighted by the value; 0: a negative pair; UNRELATED: neither. Symmetric. */
  relation(a: number, b: number): number;
  /** Rows with at least one positive partner among the rows the task was built for. */
  anchors: Int32Array;
  /** Distinct things that make pairs (genres, directors, actors, keywords with ≥ 2 movies; co-liked movies). */
  groups: number;
  /** A random positive partner of an anchor, among the rows the task was built for. */
  partner(anchor: number, random: Random): number;
}

/** Cast members that count as leads. */
export const LEAD_CAST = 3;
/** A keyword shared by more than this share of the catalog says little about a movie ("independent film"). */
export const KEYWORD_MAX_SHARE = 0.02;
/** Co-liked neighbours that make a positive pair; beyond `CoRated`'s whole list, a pair is negative. */
export const CO_RATED_POSITIVES = 10;

/** Per row, the ids of a movie's values of one field, ascending; values no other movie has are dropped. */
function valueIds(values: readonly (readonly string[])[], keep: (count: number) => boolean): Int32Array[] {
  const counts = new Map<string, number>();
  for (const list of values) for (const value of new Set(list)) counts.set(value, (counts.get(value) ?? 0) + 1);
  const ids = new Map([...counts].filter(([, count]) => keep(count)).map(([value], id) => [value, id]));
  return values.map((list) => Int32Array.from(new Set(list.flatMap((value) => (ids.has(value) ? [ids.get(value)!] : [])))).sort());
}

/**
 * A task where movies sharing a value (a genre, a director, …) are positives and movies sharing none are negatives;
 * a movie with no value is in no pair. `eligible` says which rows anchors and partners may be drawn from.
 */
function sharedValueTask(name: TaskName, values: Int32Array[], eligible: Uint8Array, weight: (shared: number, a: Int32Array, b: Int32Array) => number): Task {
  const rowsOf = new Map<number, number[]>();
  values.forEach((list, row) => {
    if (!eligible[row]) return;
    for (const value of list) {
      const rows = rowsOf.get(value);
      if (rows) rows.push(row);
      else rowsOf.set(value, [row]);
    }
  });
  for (const [value, rows] of rowsOf) if (rows.length < 2) rowsOf.delete(value);
  const pairing = values.map((list) => Int32Array.from(list.filter((value) => rowsOf.has(value))));
  const anchors = Int32Array.from(pairing.flatMap((list, row) => (eligible[row] && list.length > 0 ? [row] : [])));
  return {
    name,
    anchors,
    groups: rowsOf.size,
    relation: (a, b) => {
      if (values[a]!.length === 0 || values[b]!.length === 0) return UNRELATED;
      const shared = sharedCount(values[a]!, values[b]!);
      return shared === 0 ? 0 : weight(shared, values[a]!, values[b]!);
    },
    partner: (anchor, random) => {
      const list = pairing[anchor]!;
      const rows = rowsOf.get(list[Math.floor(random() * list.length)]!)!;
      // Another row of the chosen value: draw among the others so the anchor never pairs with itself.
      const pick = Math.floor(random() * (rows.length - 1));
      const row = rows[pick]!;
      return row === anchor ? rows[rows.length - 1]! : row;
    },
  };
}

function coRatedTask(coRated: CoRated, eligible: Uint8Array): Task {
  const rows = coRated.indptr.length - 1;
  // Each movie's neighbours by rank, built when first asked: the relation is asked for every pair of every batch.
  const ranks = new Array<Map<number, number> | undefined>(rows);
  const rank = (a: number, b: number) => {
    let ofA = ranks[a];
    if (!ofA) ranks[a] = ofA = new Map(Array.from(coRated.indices.subarray(coRated.indptr[a], coRated.indptr[a + 1]), (other, position) => [other, position]));
    return ofA.get(b) ?? -1;
  };
  const liked = (row: number) => coRated.indptr[row + 1]! > coRated.indptr[row]!;
  const positives = Array.from({ length: rows }, (_, row) =>
    eligible[row]
      ? Array.from(coRated.indices.subarray(coRated.indptr[row], Math.min(coRated.indptr[row]! + CO_RATED_POSITIVES, coRated.indptr[row + 1]!))).filter(
          (other) => eligible[other],
        )
      : [],
  );
  const anchors = Int32Array.from(positives.flatMap((list, row) => (list.length > 0 ? [row] : [])));
  return {
    name: 'corated',
    anchors,
    groups: anchors.length,
    relation: (a, b) => {
      if (!liked(a) || !liked(b)) return UNRELATED;
      const ab = rank(a, b);
      const ba = rank(b, a);
      if ((ab >= 0 && ab < CO_RATED_POSITIVES) || (ba >= 0 && ba < CO_RATED_POSITIVES)) return 1;
      return ab < 0 && ba < 0 ? 0 : UNRELATED;
    },
    partner: (anchor, random) => {
      const list = positives[anchor]!;
      return list[Math.floor(random() * list.length)]!;
    },
  };
}

type SharedValueName = Exclude<TaskName, 'corated'>;

const jaccard = (shared: number, a: Int32Array, b: Int32Array) => shared / (a.length + b.length - shared);
const anyShared = () => 1;

/** The catalog field each shared-value task reads, how a positive pair is weighted, and whether over-common values are dropped. */
const SHARED_VALUE_TASKS: Record<SharedValueName, { values: (movie: Movie) => readonly string[]; weight: typeof jaccard; dropCommon: boolean }> = {
  genre: { values: (movie) => movie.genres, weight: jaccard, dropCommon: false },
  director: { values: (movie) => movie.directors, weight: anyShared, dropCommon: false },
  cast: { values: (movie) => movie.cast.slice(0, LEAD_CAST), weight: anyShared, dropCommon: false },
  keywords: { values: (movie) => movie.keywords, weight: anyShared, dropCommon: true },
};

/**
 * The tasks over movies aligned with rows, anchors and partners drawn from `eligible` rows. `coRated` is null when the
 * co-rated task is off (or there are no ratings to learn it from).
 */
export function buildTasks(movies: readonly Movie[], coRated: CoRated | null, enabled: readonly TaskName[], eligible: Uint8Array): Task[] {
  const commonLimit = Math.max(2, Math.floor(KEYWORD_MAX_SHARE * movies.length));
  return enabled.flatMap((name) => {
    if (name === 'corated') return coRated ? [coRatedTask(coRated, eligible)] : [];
    const spec = SHARED_VALUE_TASKS[name];
    const values = valueIds(movies.map(spec.values), spec.dropCommon ? (count) => count <= commonLimit : () => true);
    return [sharedValueTask(name, values, eligible, spec.weight)];
  });
}
