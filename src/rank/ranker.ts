/**
 * The learned second stage as the path uses it: the two towers and the blend weights (the ranker's fitted state), the
 * candidate sources read from the collaborative score vectors, and the scorer that blends a query's signals.
 */
import { requireArray, type Artifact, type ArtifactArray } from '../artifacts.js';
import { networkArrays, restoreNetwork } from '../fuse/network.js';
import { vectorCandidates, type CandidateSource } from '../recommend/candidates.js';
import { tasteCosineScorer, type CandidateScorer } from '../recommend/scorer.js';
import { blendScores, SIGNALS, standardise, type BlendWeights } from './blend.js';
import { COLLABORATIVE_SOURCES, type RankingSignals, type RatingCounts } from './signals.js';
import { RatingTimes } from './trending.js';
import type { TowerWeights } from './two-tower.js';

export interface RankerState extends RatingCounts {
  towers: TowerWeights;
  blend: BlendWeights;
}

export function rankerArrays(state: RankerState): Record<string, ArtifactArray> {
  return {
    ...networkArrays(state.towers.user, 'user.'),
    ...networkArrays(state.towers.item, 'item.'),
    'blend.base': state.blend.base,
    'blend.byHistory': state.blend.byHistory,
    'raters.movies': Int32Array.from(state.raters.keys()),
    'raters.counts': Int32Array.from(state.raters.values()),
    ...state.ratedAt.arrays(),
  };
}

export function restoreRanker(artifact: Artifact): RankerState {
  const blend = { base: requireArray(artifact, 'blend.base', Float32Array), byHistory: requireArray(artifact, 'blend.byHistory', Float32Array) };
  if (blend.base.length !== SIGNALS.length || blend.byHistory.length !== SIGNALS.length) {
    throw new Error(`the saved ranker blends ${blend.base.length} signals, not the ${SIGNALS.length} this version reads (${SIGNALS.join(', ')}): train it again`);
  }
  const raterMovies = requireArray(artifact, 'raters.movies', Int32Array);
  const raterCounts = requireArray(artifact, 'raters.counts', Int32Array);
  return {
    towers: { user: restoreNetwork(artifact, 'user.'), item: restoreNetwork(artifact, 'item.') },
    blend,
    raters: new Map(Array.from(raterMovies, (movieId, i) => [movieId, raterCounts[i]!])),
    ratedAt: RatingTimes.restore(artifact),
  };
}

/** Candidates from each collaborative model's top scores. */
export function collaborativeCandidates(signals: RankingSignals): CandidateSource[] {
  return COLLABORATIVE_SOURCES.map((source) => vectorCandidates(source, (query) => signals.vector(query, source)));
}

const TASTE = SIGNALS.indexOf('taste');

/**
 * Scores candidates by the blend of their standardised signals, weighted for the history's length. A taste with no
 * history behind it (a sentence, a taste vector) has no collaborative signal and no MF factor for the user tower, and
 * the blend never saw such a query: it is scored by taste cosine alone.
 */
export function learnedScorer(signals: RankingSignals, blend: BlendWeights): CandidateScorer {
  const byTaste = tasteCosineScorer(signals.dna);
  return {
    name: 'learned-blend',
    score: async (query, candidates, reference) => {
      if (query.history.length === 0) return byTaste.score(query, candidates);
      const raw = signals.matrix(query, candidates);
      // A movie without DNA cannot be re-ranked by MMR: NaN drops it, as the taste scorer's NaN does.
      const withoutDna = Uint8Array.from(candidates, (_, c) => (Number.isNaN(raw[c * SIGNALS.length + TASTE]!) ? 1 : 0));
      const matrix = reference
        ? standardise(raw, candidates.length, { signals: signals.matrix(query, reference), count: reference.length })
        : standardise(raw, candidates.length);
      const scores = blendScores(blend, matrix, candidates.length, query.history.length);
      for (let c = 0; c < candidates.length; c++) if (withoutDna[c]) scores[c] = Number.NaN;
      return scores;
    },
  };
}
