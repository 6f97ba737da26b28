/**
 * The scoring seam: the second stage scores the candidates through one interface, so the learned ranker replaces the
 * default scorer in one module and the path stays as it is.
 */
import type { MovieId } from '../domain.js';
import type { CandidateQuery } from './candidates.js';
import type { DnaTable } from './dna-table.js';

export interface CandidateScorer {
  readonly name: string;
  /**
   * One score per candidate, in their order; NaN where it cannot score one (it is dropped). A scorer whose scores are
   * relative to the set (the learned blend standardises its signals over it) takes them relative to `reference`
   * when given: how a movie outside the path's candidates is scored as the path would have scored it.
   */
  score(query: CandidateQuery, candidates: readonly MovieId[], reference?: readonly MovieId[]): Promise<Float32Array>;
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
