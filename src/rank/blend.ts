/**
 * The hybrid blend: a candidate's final score is a weighted sum of its signals (src/rank/signals.ts: two-tower,
 * taste, profile, latest liked movie, item-kNN, MF, EASE, popularity, trending), each standardised over the query's
 * candidates, with weights that move with the length of the user's history (w + v·h), so a short history can lean on
 * content and popularity and a long one on collaborative signals. The weights are fitted by a listwise softmax loss
 * on a validation split carved from the training ratings.
 */
export const SIGNALS = ['tower', 'taste', 'profile', 'lastLiked', 'itemknn', 'mf', 'ease', 'popularity', 'trending'] as const;
export type SignalName = (typeof SIGNALS)[number];
const S = SIGNALS.length;

/** Histories past this many ratings count as long as it: h = log(1 + length) / log(1 + HISTORY_SCALE), at most 1. */
const HISTORY_SCALE = 500;

export interface BlendWeights {
  /** Per signal, its weight for an empty history. */
  base: Float32Array;
  /** Per signal, what a full-length history adds to it. */
  byHistory: Float32Array;
}

export const historyShare = (length: number): number => Math.min(1, Math.log1p(length) / Math.log1p(HISTORY_SCALE));

/** The weights as a table, for manifests and reports. */
export function describeBlend(weights: BlendWeights): Record<SignalName, { base: number; byHistory: number }> {
  return Object.fromEntries(SIGNALS.map((name, k) => [name, { base: weights.base[k]!, byHistory: weights.byHistory[k]! }])) as never;
}

/**
 * Standardises each signal column in place over the candidates (count × S, row-major): mean 0, deviation 1, measured
 * over `reference` rows (same layout) when given, else over the candidates themselves; a constant column (or one a
 * source could not score: NaN) becomes 0 and so cannot move the order.
 */
export function standardise(signals: Float32Array, count: number, reference: { signals: Float32Array; count: number } = { signals, count }): Float32Array {
  for (let k = 0; k < S; k++) {
    let sum = 0;
    let squares = 0;
    let finite = 0;
    for (let c = 0; c < reference.count; c++) {
      const value = reference.signals[c * S + k]!;
      if (!Number.isFinite(value)) continue;
      sum += value;
      squares += value * value;
      finite++;
    }
    const mean = finite ? sum / finite : 0;
    const deviation = finite ? Math.sqrt(Math.max(0, squares / finite - mean * mean)) : 0;
    for (let c = 0; c < count; c++) {
      const value = signals[c * S + k]!;
      signals[c * S + k] = deviation > 1e-9 && Number.isFinite(value) ? (value - mean) / deviation : 0;
    }
  }
  return signals;
}

/** Final scores of standardised candidates for a history of this length. */
export function blendScores(weights: BlendWeights, signals: Float32Array, count: number, historyLength: number): Float32Array {
  const h = historyShare(historyLength);
  const effective = Float32Array.from(weights.base, (base, k) => base + h * weights.byHistory[k]!);
  const scores = new Float32Array(count);
  for (let c = 0; c < count; c++) {
    let score = 0;
    for (let k = 0; k < S; k++) score += effective[k]! * signals[c * S + k]!;
    scores[c] = score;
  }
  return scores;
}

/** One validation query: its candidates' standardised signals and which of them the user went on to like. */
export interface BlendQuery {
  /** The candidates, in the order of the signal rows. */
  movieIds: Int32Array;
  signals: Float32Array;
  count: number;
  /** Candidate positions liked in the validation part. */
  positives: Int32Array;
  historyLength: number;
}

export interface BlendFit {
  weights: BlendWeights;
  /** Mean listwise loss before (the tower alone) and after fitting. */
  loss: { start: number; end: number };
  queries: number;
}

const ITERATIONS = 400;
const RATE = 0.05;
const L2 = 1e-3;

/**
 * Minimises the mean over queries of −mean over positives of log softmax(score)[positive], plus a small L2 pull,
 * by full-batch Adam from the tower alone (weight 1 on it, 0 elsewhere).
 */
export function fitBlend(queries: readonly BlendQuery[]): BlendFit {
  const params = new Float64Array(2 * S);
  params[SIGNALS.indexOf('tower')] = 1;
  const usable = queries.filter((query) => query.positives.length > 0 && query.count > 1);
  const first = new Float64Array(2 * S);
  const second = new Float64Array(2 * S);
  const start = lossAndGradient(params, usable).loss;
  for (let step = 1; step <= ITERATIONS; step++) {
    const { gradient } = lossAndGradient(params, usable);
    for (let i = 0; i < params.length; i++) {
      const g = gradient[i]! + L2 * params[i]!;
      first[i] = 0.9 * first[i]! + 0.1 * g;
      second[i] = 0.999 * second[i]! + 0.001 * g * g;
      params[i]! -= (RATE * (first[i]! / (1 - 0.9 ** step))) / (Math.sqrt(second[i]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return {
    weights: { base: Float32Array.from(params.subarray(0, S)), byHistory: Float32Array.from(params.subarray(S)) },
    loss: { start, end: lossAndGradient(params, usable).loss },
    queries: usable.length,
  };
}

function lossAndGradient(params: Float64Array, queries: readonly BlendQuery[]): { loss: number; gradient: Float64Array } {
  const gradient = new Float64Array(2 * S);
  let loss = 0;
  for (const query of queries) {
    const h = historyShare(query.historyLength);
    const { signals, count, positives } = query;
    const scores = new Float64Array(count);
    let most = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < count; c++) {
      let score = 0;
      for (let k = 0; k < S; k++) score += (params[k]! + h * params[S + k]!) * signals[c * S + k]!;
      scores[c] = score;
      most = Math.max(most, score);
    }
    let sum = 0;
    for (let c = 0; c < count; c++) sum += scores[c] = Math.exp(scores[c]! - most);
    const share = 1 / positives.length / queries.length;
    for (const positive of positives) loss -= Math.log(scores[positive]! / sum) * share * queries.length;
    // d loss / d score_c = p_c − [c positive] / positives, per query, averaged over queries.
    for (let c = 0; c < count; c++) {
      const p = scores[c]! / sum;
      for (let k = 0; k < S; k++) {
        const g = (p * signals[c * S + k]!) / queries.length;
        gradient[k]! += g;
        gradient[S + k]! += h * g;
      }
    }
    for (const positive of positives) {
      for (let k = 0; k < S; k++) {
        const g = signals[positive * S + k]! * share;
        gradient[k]! -= g;
        gradient[S + k]! -= h * g;
      }
    }
  }
  return { loss: queries.length ? loss / queries.length : 0, gradient };
}
