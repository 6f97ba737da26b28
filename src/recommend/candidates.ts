/**
 * The first stage: a few hundred candidates per request. Nearest movies to the taste in the DNA (an ANN index), unioned
 * with collaborative candidates (item-kNN, MF) when the user has a history; excluded movies never enter.
 */
import type { MovieId, UserId } from '../domain.js';
import type { Neighbour } from '../index/nearest.js';
import { topK } from '../math/topk.js';
import { matVec } from '../math/vector.js';
import type { ScoreVector } from '../cf/ranking.js';
import type { RatedMovie } from '../recommender.js';
import type { DnaTable } from './dna-table.js';

/** Who the candidates are for: a taste in the DNA, and the history it came from (empty for a text taste). */
export interface CandidateQuery {
  taste: Float32Array;
  history: readonly RatedMovie[];
  userId?: UserId;
}

/**
 * The movies that are never candidates: these ids (rated, not interested) and, when a filter narrows the list, those
 * it rejects. Kept apart because a set is far cheaper to honour than a test run on every movie of the catalog.
 */
export interface Exclusion {
  ids: ReadonlySet<MovieId>;
  rejects?: (movieId: MovieId) => boolean;
}

export function isExcluded(exclusion: Exclusion, movieId: MovieId): boolean {
  return exclusion.ids.has(movieId) || (exclusion.rejects?.(movieId) ?? false);
}

/** Nearest-neighbour search over the DNA as the path calls it: synchronous, with exclusion inside the search. */
export interface MovieIndex {
  search(query: Float32Array, k: number, exclude?: ReadonlySet<number> | ((movieId: MovieId) => boolean)): Neighbour[];
}

export interface CandidateSource {
  readonly name: string;
  gather(query: CandidateQuery, n: number, exclusion: Exclusion): Promise<MovieId[]>;
}

/** The movies nearest to the taste in the DNA. */
export function dnaCandidates(index: MovieIndex): CandidateSource {
  return {
    name: 'dna',
    gather: async (query, n, exclusion) =>
      index.search(query.taste, n, exclusion.rejects ? (movieId) => isExcluded(exclusion, movieId) : exclusion.ids).map((neighbour) => neighbour.id),
  };
}

/**
 * The n best of a collaborative model's scores for the query (nothing for a query without history, such as a text
 * taste), excluded movies passed over inside the selection.
 */
export function vectorCandidates(name: string, vectorOf: (query: CandidateQuery) => ScoreVector | null): CandidateSource {
  return {
    name,
    gather: async (query, n, exclusion) => {
      const vector = vectorOf(query);
      if (!vector) return [];
      const skip = new Uint8Array(vector.movieIds.length);
      for (const movieId of exclusion.ids) {
        const index = vector.movieIndex.get(movieId);
        if (index !== undefined) skip[index] = 1;
      }
      const { rejects } = exclusion;
      if (rejects) for (let index = 0; index < skip.length; index++) if (!skip[index] && rejects(vector.movieIds[index]!)) skip[index] = 1;
      return Array.from(topK(vector.scores, n, { skip }), (index) => vector.movieIds[index]!);
    },
  };
}

/** Every source's candidates, each movie once with the sources that brought it, in the order first seen. */
export async function gatherCandidates(sources: readonly CandidateSource[], query: CandidateQuery, n: number, exclusion: Exclusion): Promise<Map<MovieId, string[]>> {
  const found = new Map<MovieId, string[]>();
  const lists = await Promise.all(sources.map((source) => source.gather(query, n, exclusion)));
  lists.forEach((ids, i) => {
    for (const movieId of ids) {
      const names = found.get(movieId);
      if (names) names.push(sources[i]!.name);
      else found.set(movieId, [sources[i]!.name]);
    }
  });
  return found;
}

/** An exact index over the DNA table: a full scan, for tests and small catalogs. */
export function exactMovieIndex(dna: DnaTable): MovieIndex {
  return {
    search: (query, k, exclude) => {
      const scores = matVec(dna.vectors, dna.dim, query);
      const skip = new Uint8Array(dna.size);
      const excluded = typeof exclude === 'function' ? exclude : (movieId: MovieId) => exclude?.has(movieId) ?? false;
      dna.ids.forEach((movieId, row) => (skip[row] = excluded(movieId) ? 1 : 0));
      return Array.from(topK(scores, k, { skip }), (row) => ({ id: dna.ids[row]!, similarity: scores[row]! }));
    },
  };
}
