/**
 * The signals the blend reads for a query's candidates, computed once per query: the collaborative models' score
 * vectors over the whole catalog (which also give their candidate lists), the MF user factor, the user's two-tower
 * embedding. Memoised on the query object, so the candidate sources and the scorer share one computation.
 */
import type { ImplicitMfRecommender } from '../cf/als.js';
import { MatrixRecommender, type ScoreVector } from '../cf/ranking.js';
import type { MovieId } from '../domain.js';
import { matVec } from '../math/vector.js';
import type { CandidateQuery } from '../recommend/candidates.js';
import type { DnaTable } from '../recommend/dna-table.js';
import type { RecommendQuery, Recommender } from '../recommender.js';
import { SIGNALS } from './blend.js';
import type { TwoTower } from './two-tower.js';

/** The collaborative models the ranker reads, all fitted on one training set. */
export interface CollaborativeModels {
  itemknn: MatrixRecommender<object>;
  mf: ImplicitMfRecommender;
  ease: MatrixRecommender<object>;
}

export const COLLABORATIVE_SOURCES = ['itemknn', 'mf', 'ease'] as const;
export type CollaborativeSource = (typeof COLLABORATIVE_SOURCES)[number];

/** A fitted model as one the ranker can read score vectors from; anything else is a programming error. */
export function matrixModel(model: Recommender): MatrixRecommender<object> {
  if (!(model instanceof MatrixRecommender)) throw new Error(`${model.name} does not score over a training matrix`);
  return model as MatrixRecommender<object>;
}

interface QueryState {
  vectors: Record<CollaborativeSource, ScoreVector | null>;
  user: Float32Array;
}

export class RankingSignals {
  private readonly states = new WeakMap<CandidateQuery, QueryState>();

  constructor(
    readonly dna: DnaTable,
    readonly tower: TwoTower,
    readonly models: CollaborativeModels,
    /** Training raters per movie id. */
    readonly raters: ReadonlyMap<MovieId, number>,
  ) {}

  /** The collaborative model's scores for the query over its catalog; null without a history. */
  vector(query: CandidateQuery, source: CollaborativeSource): ScoreVector | null {
    return this.state(query).vectors[source];
  }

  /** candidates × SIGNALS, row-major, unstandardised; NaN where the DNA has no row for a movie. */
  matrix(query: CandidateQuery, candidates: readonly MovieId[]): Float32Array {
    const { vectors, user } = this.state(query);
    const width = SIGNALS.length;
    const out = new Float32Array(candidates.length * width);
    const at = (vector: ScoreVector | null, movieId: MovieId) => {
      const index = vector?.movieIndex.get(movieId);
      return index === undefined ? 0 : vector!.scores[index]!;
    };
    candidates.forEach((movieId, c) => {
      const row = c * width;
      out[row] = this.tower.score(user, movieId);
      out[row + 1] = this.dna.cosine(query.taste, movieId);
      out[row + 2] = at(vectors.itemknn, movieId);
      out[row + 3] = at(vectors.mf, movieId);
      out[row + 4] = at(vectors.ease, movieId);
      out[row + 5] = Math.log1p(this.raters.get(movieId) ?? 0);
    });
    return out;
  }

  private state(query: CandidateQuery): QueryState {
    let state = this.states.get(query);
    if (state) return state;
    const { itemknn, mf, ease } = this.models;
    const history: RecommendQuery = { ...(query.userId === undefined ? {} : { userId: query.userId }), history: query.history };
    const hasHistory = query.history.length > 0;
    const mfUser = hasHistory ? mf.userFactor(history) : null;
    const table = mf.movieFactorTable();
    state = {
      vectors: {
        itemknn: hasHistory ? itemknn.scoreVector(history) : null,
        mf: mfUser && { scores: matVec(table.factors, table.dim, mfUser), movieIds: table.movieIds, movieIndex: table.movieIndex },
        ease: hasHistory ? ease.scoreVector(history) : null,
      },
      user: this.tower.userEmbedding(query.taste, mfUser),
    };
    this.states.set(query, state);
    return state;
  }
}
