/**
 * The signals the blend reads for a query's candidates, computed once per query: the collaborative models' score
 * vectors over the whole catalog (which also give their candidate lists), the MF user factor, the user's two-tower
 * embedding, the history's weighted profile and latest liked movie. Memoised on the query object, so the candidate
 * sources and the scorer share one computation; what the user adds (tower embedding, profile, latest liked movie) is
 * also kept per user while their history and taste stay exactly the same, as the taste replay keeps the taste.
 */
import type { ImplicitMfRecommender } from '../cf/als.js';
import { MatrixRecommender, type ScoreVector } from '../cf/ranking.js';
import type { MovieId, UserId } from '../domain.js';
import { topK } from '../math/topk.js';
import { dot3, interleave3, matVec } from '../math/vector.js';
import type { CandidateQuery } from '../recommend/candidates.js';
import type { DnaTable } from '../recommend/dna-table.js';
import type { RecommendQuery, Recommender } from '../recommender.js';
import { RELEVANT_RATING } from '../eval/metrics.js';
import { timeOrder, weightedProfile } from '../profile/taste.js';
import { SIGNALS } from './blend.js';
import type { RatingTimes } from './trending.js';
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
  mfUser: Float32Array | null;
  /** Computed when the scorer first asks (the candidate sources never do). */
  user?: UserSignals;
}

/** What a query's user brings to every candidate's signals. */
interface UserSignals {
  /** The user tower's embedding. */
  tower: Float32Array;
  /** The taste, the history's weighted profile and its latest liked movie's DNA row, interleaved for dot3 (zeros where absent). */
  content: Float64Array;
  hasProfile: boolean;
  hasLastLiked: boolean;
  /** The query's day, for trending. */
  day: number;
}

/** UserSignals as kept for a user, with the inputs they were computed from: reused only for exactly those again. */
interface KeptUserSignals {
  signals: UserSignals;
  taste: Float32Array;
  movies: Int32Array;
  ratings: Float64Array;
  timestamps: Float64Array;
}

/** Users whose UserSignals are kept (as many as the taste replay keeps); beyond it the least recently asked is dropped. */
const KEPT_USERS = 10_000;

/** Rated movies whose signals a movie nobody rated borrows: its nearest in the DNA. */
const LOOKALIKES = 10;

/** A movie nobody rated, as the rated movies nearest to it in the DNA: their DNA rows and cosine weights. */
interface Lookalikes {
  rows: Int32Array;
  weights: Float32Array;
}

const [TOWER, TASTE, PROFILE, LAST_LIKED, ITEMKNN, MF, EASE, POPULARITY, TRENDING] = SIGNALS.map((_, k) => k) as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];
/** The signals a movie has from its ratings, which a movie nobody rated borrows from its look-alikes. */
const BORROWED = [TOWER, ITEMKNN, MF, EASE, POPULARITY];

/** What the ranker counts of the training ratings: raters per movie (popularity) and when they rated (trending). */
export interface RatingCounts {
  raters: ReadonlyMap<MovieId, number>;
  ratedAt: RatingTimes;
}

export class RankingSignals {
  private readonly states = new WeakMap<CandidateQuery, QueryState>();
  /** log(1 + training raters) per DNA row; NaN for a movie nobody rated, whose popularity is unknown, not low. */
  private readonly popularity: Float32Array;
  /** Per DNA row, its range in the rating times; −1 for a movie nobody rated. */
  private readonly timeRanges: Int32Array;
  /** Per collaborative catalog (a model's movie index), each DNA row's position in its score vectors, −1 where absent. */
  private readonly positions = new WeakMap<ReadonlyMap<MovieId, number>, Int32Array>();
  /** Look-alikes of the movies nobody rated, by DNA row, found when a query first meets one. */
  private readonly lookalikes = new Map<number, Lookalikes>();
  /** 1 for a DNA row nobody rated: never a look-alike. */
  private readonly unrated: Uint8Array;
  private readonly keptUsers = new Map<UserId, KeptUserSignals>();

  constructor(
    readonly dna: DnaTable,
    readonly tower: TwoTower,
    readonly models: CollaborativeModels,
    readonly counts: RatingCounts,
  ) {
    this.popularity = Float32Array.from(dna.ids, (movieId) => {
      const count = counts.raters.get(movieId) ?? 0;
      return count > 0 ? Math.log1p(count) : Number.NaN;
    });
    this.unrated = Uint8Array.from(this.popularity, (value) => (Number.isNaN(value) ? 1 : 0));
    this.timeRanges = Int32Array.from(dna.ids, (movieId) => counts.ratedAt.rangeIndex(movieId));
  }

  /** Whether anyone rated the movie in the training ratings. */
  isRated(movieId: MovieId): boolean {
    return (this.counts.raters.get(movieId) ?? 0) > 0;
  }

  /** The collaborative model's scores for the query over its catalog; null without a history. */
  vector(query: CandidateQuery, source: CollaborativeSource): ScoreVector | null {
    return this.state(query).vectors[source];
  }

  /**
   * candidates × SIGNALS, row-major, unstandardised: the tower's cosine; the taste's, the weighted profile's and the
   * latest liked movie's cosine in the DNA (a sequel, the next of a series); the collaborative scores; log popularity; log(1 + ratings in the
   * year up to the query's time). A movie nobody rated in training has no collaborative score, popularity or tower
   * score of its own (its tower input lacks the MF factor and popularity the tower learned from): it takes the
   * cosine-weighted mean of its look-alikes', the rated movies nearest to it in the DNA, so a new movie competes as
   * the movies most like it do; its trending is unknown. NaN is missing (standardised to the candidates' mean); a
   * movie without DNA is NaN throughout.
   */
  matrix(query: CandidateQuery, candidates: readonly MovieId[]): Float32Array {
    const state = this.state(query);
    const { tower: user, content, hasProfile, hasLastLiked, day } = (state.user ??= this.userSignals(query, state.mfUser));
    const { itemknn, mf, ease } = state.vectors;
    const byItemknn = this.positionsIn(itemknn);
    const byMf = this.positionsIn(mf);
    const byEase = this.positionsIn(ease);
    const { dna, popularity } = this;
    const { dim, vectors } = dna;
    const { ratedAt } = this.counts;
    const width = SIGNALS.length;
    const own = new Float32Array(width);
    const { tower, unrated, timeRanges } = this;
    const collaborativeSignals = (row: number, into: Float32Array, at: number) => {
      into[at + TOWER] = tower.scoreRow(user, row);
      into[at + POPULARITY] = popularity[row]!;
      into[at + ITEMKNN] = scoreAt(itemknn, byItemknn, row);
      into[at + MF] = scoreAt(mf, byMf, row);
      into[at + EASE] = scoreAt(ease, byEase, row);
    };
    const out = new Float32Array(candidates.length * width).fill(Number.NaN);
    for (let c = 0; c < candidates.length; c++) {
      const row = dna.row(candidates[c]!);
      if (row === undefined) continue;
      const at = c * width;
      // TASTE, PROFILE and LAST_LIKED are adjacent: one pass over the candidate's DNA row.
      dot3(content, vectors, dim, row * dim, out, at + TASTE);
      if (!hasProfile) out[at + PROFILE] = Number.NaN;
      if (!hasLastLiked) out[at + LAST_LIKED] = Number.NaN;
      if (unrated[row]) {
        this.borrowSignals(row, out, at, own, collaborativeSignals);
        continue;
      }
      collaborativeSignals(row, out, at);
      out[at + TRENDING] = Math.log1p(ratedAt.countBefore(timeRanges[row]!, day));
    }
    return out;
  }

  /** The BORROWED signals of a movie nobody rated: the cosine-weighted mean of its look-alikes' (`scratch`: one row). */
  private borrowSignals(row: number, out: Float32Array, at: number, scratch: Float32Array, signalsOf: (row: number, into: Float32Array, at: number) => void): void {
    const { rows, weights } = this.lookalikesOf(row);
    const sums = new Float64Array(SIGNALS.length);
    const totals = new Float64Array(SIGNALS.length);
    for (let j = 0; j < rows.length; j++) {
      signalsOf(rows[j]!, scratch, 0);
      for (const k of BORROWED) {
        if (Number.isNaN(scratch[k]!)) continue;
        sums[k]! += weights[j]! * scratch[k]!;
        totals[k]! += weights[j]!;
      }
    }
    for (const k of BORROWED) out[at + k] = totals[k]! > 0 ? sums[k]! / totals[k]! : Number.NaN;
  }

  /** The query's UserSignals: the ones kept for its user when history and taste are exactly those they came from. */
  private userSignals(query: CandidateQuery, mfUser: Float32Array | null): UserSignals {
    const { userId, history, taste } = query;
    if (userId === undefined) return this.computeUserSignals(query, mfUser);
    let kept = this.keptUsers.get(userId);
    // Deleted and set again either way: the Map's order is the order users were last asked for.
    this.keptUsers.delete(userId);
    if (!kept || !sameInputs(kept, query)) {
      kept = {
        signals: this.computeUserSignals(query, mfUser),
        taste: taste.slice(),
        movies: Int32Array.from(history, (entry) => entry.movieId),
        ratings: Float64Array.from(history, (entry) => entry.rating),
        timestamps: Float64Array.from(history, (entry) => entry.timestamp),
      };
      if (this.keptUsers.size >= KEPT_USERS) this.keptUsers.delete(this.keptUsers.keys().next().value!);
    }
    this.keptUsers.set(userId, kept);
    return kept.signals;
  }

  /** The user tower's embedding; the history's weighted profile (src/profile/taste.ts), latest liked movie and day. */
  private computeUserSignals(query: CandidateQuery, mfUser: Float32Array | null): UserSignals {
    const { dna } = this;
    const rows: number[] = [];
    const ratings: number[] = [];
    const timestamps: number[] = [];
    let latest = Number.NEGATIVE_INFINITY;
    for (const entry of query.history) {
      latest = Math.max(latest, entry.timestamp);
      const row = dna.row(entry.movieId);
      if (row === undefined) continue;
      rows.push(row);
      ratings.push(entry.rating);
      timestamps.push(entry.timestamp);
    }
    const order = timeOrder(rows.length, timestamps);
    const profile = weightedProfile(dna.vectors, dna.dim, rows, ratings, timestamps, order);
    const lastLiked = order.findLast((i) => ratings[i]! >= RELEVANT_RATING);
    const lastLikedVector = lastLiked === undefined ? null : dna.vectors.subarray(rows[lastLiked]! * dna.dim, (rows[lastLiked]! + 1) * dna.dim);
    return {
      tower: this.tower.userEmbedding(query.taste, mfUser),
      content: interleave3(query.taste, profile, lastLikedVector, dna.dim),
      hasProfile: profile !== null,
      hasLastLiked: lastLikedVector !== null,
      day: this.counts.ratedAt.queryDay(latest),
    };
  }

  private lookalikesOf(row: number): Lookalikes {
    let found = this.lookalikes.get(row);
    if (!found) {
      const { dna } = this;
      const similarity = matVec(dna.vectors, dna.dim, dna.vectors, row * dna.dim);
      const rows = topK(similarity, LOOKALIKES, { skip: this.unrated });
      found = { rows, weights: Float32Array.from(rows, (neighbour) => Math.max(0, similarity[neighbour]!)) };
      this.lookalikes.set(row, found);
    }
    return found;
  }

  private positionsIn(vector: ScoreVector | null): Int32Array | null {
    if (!vector) return null;
    let positions = this.positions.get(vector.movieIndex);
    if (!positions) {
      positions = Int32Array.from(this.dna.ids, (movieId) => vector.movieIndex.get(movieId) ?? -1);
      this.positions.set(vector.movieIndex, positions);
    }
    return positions;
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
      mfUser,
    };
    this.states.set(query, state);
    return state;
  }
}

/** Whether the query's history (movie, rating and time of each entry, in order) and taste are exactly the kept ones. */
function sameInputs(kept: KeptUserSignals, query: CandidateQuery): boolean {
  const { history, taste } = query;
  if (history.length !== kept.movies.length || taste.length !== kept.taste.length) return false;
  for (let i = 0; i < taste.length; i++) if (!Object.is(taste[i], kept.taste[i])) return false;
  for (let i = 0; i < history.length; i++) {
    const entry = history[i]!;
    if (entry.movieId !== kept.movies[i] || entry.rating !== kept.ratings[i] || entry.timestamp !== kept.timestamps[i]) return false;
  }
  return true;
}

/** A collaborative score by DNA row; NaN where the model has no score vector or does not know the movie. */
function scoreAt(vector: ScoreVector | null, positions: Int32Array | null, row: number): number {
  const position = positions ? positions[row]! : -1;
  return position < 0 ? Number.NaN : vector!.scores[position]!;
}
