/**
 * The first stage: a few hundred candidates per request. Nearest movies to the taste in the DNA (an ANN index), unioned
 * with collaborative candidates (item-kNN, MF) when the user has a history; excluded movies never enter.
 */
import type { MovieId, UserId } from '../domain.js';
import type { Neighbour } from '../index/nearest.js';
import { topK } from '../math/topk.js';
import { matVec } from '../math/vector.js';
import type { RatedMovie, Recommender } from '../recommender.js';
import type { DnaTable } from './dna-table.js';

/** Who the candidates are for: a taste in the DNA, and the history it came from (empty for a text taste). */
export interface CandidateQuery {
  taste: Float32Array;
  history: readonly RatedMovie[];
  userId?: UserId;
}

/** A movie is never a candidate when this says so (rated, not interested, filtered out). */
export type Excluded = (movieId: MovieId) => boolean;

/** Nearest-neighbour search over the DNA as the path calls it: synchronous, with exclusion inside the search. */
export interface MovieIndex {
  search(query: Float32Array, k: number, excluded?: Excluded): Neighbour[];
}

export interface CandidateSource {
  readonly name: string;
  gather(query: CandidateQuery, n: number, excluded: Excluded): Promise<MovieId[]>;
}

/** The movies nearest to the taste in the DNA. */
export function dnaCandidates(index: MovieIndex): CandidateSource {
  return { name: 'dna', gather: async (query, n, excluded) => index.search(query.taste, n, excluded).map((neighbour) => neighbour.id) };
}

/** A fitted collaborative model's top n for the history; nothing for a user without one (a text taste). */
export function modelCandidates(name: string, model: Recommender): CandidateSource {
  return {
    name,
    gather: async (query, n, excluded) => {
      if (query.history.length === 0) return [];
      const list = await model.recommend({ ...(query.userId === undefined ? {} : { userId: query.userId }), history: query.history }, n, {
        filter: (movieId) => !excluded(movieId),
      });
      return list.map((item) => item.movieId);
    },
  };
}

/** Every source's candidates, each movie once with the sources that brought it, in the order first seen. */
export async function gatherCandidates(sources: readonly CandidateSource[], query: CandidateQuery, n: number, excluded: Excluded): Promise<Map<MovieId, string[]>> {
  const found = new Map<MovieId, string[]>();
  const lists = await Promise.all(sources.map((source) => source.gather(query, n, excluded)));
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
    search: (query, k, excluded) => {
      const scores = matVec(dna.vectors, dna.dim, query);
      const skip = new Uint8Array(dna.size);
      if (excluded) dna.ids.forEach((movieId, row) => (skip[row] = excluded(movieId) ? 1 : 0));
      return Array.from(topK(scores, k, { skip }), (row) => ({ id: dna.ids[row]!, similarity: scores[row]! }));
    },
  };
}
