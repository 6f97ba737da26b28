/**
 * The scoring seam: the second stage scores the candidates through one interface, so the learned ranker replaces the
 * default scorer in one module and the path stays as it is.
 */
import type { MovieId } from '../domain.js';
import type { CandidateQuery } from './candidates.js';
import type { DnaTable } from './dna-table.js';

export interface CandidateScorer {
  readonly name: string;
  /** One score per candidate, in their order; NaN where it cannot score one (it is dropped). */
  score(query: CandidateQuery, candidates: readonly MovieId[]): Promise<Float32Array>;
}

/** The default scorer until the learned ranker: the candidate's cosine to the taste in the DNA. */
export function tasteCosineScorer(dna: DnaTable): CandidateScorer {
  return {
    name: 'taste-cosine',
    score: async (query, candidates) => {
      const scores = new Float32Array(candidates.length);
      for (let i = 0; i < candidates.length; i++) scores[i] = dna.cosine(query.taste, candidates[i]!);
      return scores;
    },
  };
}
