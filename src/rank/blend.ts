/**
 * The hybrid blend: a candidate's final score is a weighted sum of its signals (two-tower, taste cosine, item-kNN,
 * MF, EASE, popularity, and whether anyone rated it), each standardised over the query's candidates, with weights that
 * move with the length of the user's history, so a short history can lean on content and popularity and a long one on
 * collaborative signals. The weights are fitted by a listwise softmax loss on a validation split carved from the
 * training ratings.
 */
export const SIGNALS = ['tower', 'taste', 'itemknn', 'mf', 'ease', 'popularity', 'unrated'] as const;
export type SignalName = (typeof SIGNALS)[number];
const S = SIGNALS.length;

/**
 * History lengths at which the blend has weights of its own; between two, the weights are interpolated on
 * log(1 + length), and past the ends the end's weights hold. Dense at the short end, where a rating changes most.
 */
export const HISTORY_KNOTS = [1, 3, 10, 30, 100, 500] as const;
const KNOT_POSITIONS = HISTORY_KNOTS.map((length) => Math.log1p(length));
const K = HISTORY_KNOTS.length;

export interface BlendWeights {
  /** knots × signals, row-major: the weights at each of HISTORY_KNOTS. */
  weights: Float32Array;
}

/** Each knot's share in the weights for a history of this length (two neighbouring knots, summing to 1). */
export function knotShares(length: number): Float64Array {
  const shares = new Float64Array(K);
  const at = Math.log1p(Math.max(0, length));
  if (at <= KNOT_POSITIONS[0]!) shares[0] = 1;
  else if (at >= KNOT_POSITIONS[K - 1]!) shares[K - 1] = 1;
  else {
    let j = 0;
    while (at > KNOT_POSITIONS[j + 1]!) j++;
    const t = (at - KNOT_POSITIONS[j]!) / (KNOT_POSITIONS[j + 1]! - KNOT_POSITIONS[j]!);
    shares[j] = 1 - t;
    shares[j + 1] = t;
  }
  return shares;
}

/** The signal weights for a history of this length. */
export function weightsFor(blend: BlendWeights, length: number): Float32Array {
  const shares = knotShares(length);
  const effective = new Float32Array(S);
  for (let j = 0; j < K; j++) {
    if (shares[j] === 0) continue;
    for (let k = 0; k < S; k++) effective[k]! += shares[j]! * blend.weights[j * S + k]!;
  }
  return effective;
}

/** The weights as a table, for manifests and reports: per signal, its weight at each knot's history length. */
export function describeBlend(blend: BlendWeights): Record<SignalName, Record<string, number>> {
  return Object.fromEntries(
    SIGNALS.map((name, k) => [name, Object.fromEntries(HISTORY_KNOTS.map((length, j) => [String(length), Number(blend.weights[j * S + k]!.toFixed(4))]))]),
  ) as never;
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
export function blendScores(blend: BlendWeights, signals: Float32Array, count: number, historyLength: number): Float32Array {
  const effective = weightsFor(blend, historyLength);
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
 * by full-batch Adam from the tower alone (weight 1 on it at every knot, 0 elsewhere).
 */
export function fitBlend(queries: readonly BlendQuery[]): BlendFit {
  const params = new Float64Array(K * S);
  for (let j = 0; j < K; j++) params[j * S + SIGNALS.indexOf('tower')] = 1;
  const usable = queries.filter((query) => query.positives.length > 0 && query.count > 1);
  const first = new Float64Array(K * S);
  const second = new Float64Array(K * S);
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
    weights: { weights: Float32Array.from(params) },
    loss: { start, end: lossAndGradient(params, usable).loss },
    queries: usable.length,
  };
}

function lossAndGradient(params: Float64Array, queries: readonly BlendQuery[]): { loss: number; gradient: Float64Array } {
  const gradient = new Float64Array(K * S);
  const signalGradient = new Float64Array(S);
  const effective = new Float64Array(S);
  let loss = 0;
  for (const query of queries) {
    const shares = knotShares(query.historyLength);
    effective.fill(0);
    for (let j = 0; j < K; j++) for (let k = 0; k < S; k++) effective[k]! += shares[j]! * params[j * S + k]!;
    const { signals, count, positives } = query;
    const scores = new Float64Array(count);
    let most = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < count; c++) {
      let score = 0;
      for (let k = 0; k < S; k++) score += effective[k]! * signals[c * S + k]!;
      scores[c] = score;
      most = Math.max(most, score);
    }
    let sum = 0;
    for (let c = 0; c < count; c++) sum += scores[c] = Math.exp(scores[c]! - most);
    for (const positive of positives) loss -= Math.log(scores[positive]! / sum) / positives.length;
    // d loss / d score_c = p_c − [c positive] / positives; through the effective weights to each knot by its share.
    signalGradient.fill(0);
    for (let c = 0; c < count; c++) {
      const p = scores[c]! / sum;
      for (let k = 0; k < S; k++) signalGradient[k]! += p * signals[c * S + k]!;
    }
    for (const positive of positives) for (let k = 0; k < S; k++) signalGradient[k]! -= signals[positive * S + k]! / positives.length;
    for (let j = 0; j < K; j++) {
      if (shares[j] === 0) continue;
      for (let k = 0; k < S; k++) gradient[j * S + k]! += (shares[j]! * signalGradient[k]!) / queries.length;
    }
  }
  return { loss: queries.length ? loss / queries.length : 0, gradient };
}
