/**
 * Maximal marginal relevance (DESIGN §3.4): a greedy re-rank that trades a candidate's relevance against its
 * similarity to what is already picked, `λ·rel(i) − (1−λ)·max_{j∈S} sim(i, j)`, in the movie DNA.
 */
import type { MovieId } from '../domain.js';
import { dot } from '../math/vector.js';

/** The candidate set, aligned by index: candidate i is `movieIds[i]`, with `relevance[i]` and its DNA row. */
export interface MmrCandidates {
  movieIds: ArrayLike<MovieId>;
  /** Any scale (a cosine, a ranker's logit); min-max scaled to [0, 1] over the candidates. Finite. */
  relevance: ArrayLike<number>;
  /** Unit rows of `dim` floats, row-major; an all-zero row is a movie without a vector (similarity 0 to every movie). */
  vectors: Float32Array;
  dim: number;
  /**
   * Candidate i's row of `vectors`, when `vectors` is a shared matrix (the whole catalog's DNA): read in place, not
   * copied. Without it, row i is candidate i's.
   */
  rows?: ArrayLike<number>;
}

export interface MmrPick {
  movieId: MovieId;
  /** The MMR score the movie was picked with: λ·(scaled relevance) − (1−λ)·(max cosine to the movies picked before it). */
  score: number;
  /** The movie's relevance as given, unscaled. */
  relevance: number;
}

/**
 * Up to n candidates in MMR order. The first pick is the most relevant; ties go to the more relevant candidate, then
 * to the earlier one, so λ = 1 is a stable sort by relevance. O(n · candidates · dim); working arrays are allocated
 * once per call, none per step.
 */
export function mmrRerank(candidates: MmrCandidates, lambda: number, n: number): MmrPick[] {
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`MMR λ must be a number in [0, 1] (1 = pure relevance), not ${lambda}`);
  const { movieIds, relevance, vectors, dim, rows } = candidates;
  const count = movieIds.length;
  if (relevance.length !== count) throw new Error(`MMR got ${count} candidates but ${relevance.length} relevance scores`);
  if (rows && rows.length !== count) throw new Error(`MMR got ${count} candidates but ${rows.length} vector rows`);
  const offsets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = rows ? rows[i]! : i;
    if (!Number.isInteger(row) || row < 0 || (row + 1) * dim > vectors.length) {
      throw new Error(`MMR candidate ${movieIds[i]}'s vector row ${row} is outside the ${vectors.length / dim} rows given`);
    }
    offsets[i] = row * dim;
  }
  const scaled = scaledRelevance(relevance, movieIds);
  // The running max cosine of each candidate to the picks so far (one dot product per candidate per pick); 0 before
  // the first pick, the max over no picks, and overwritten by the first pick's cosine, which may be negative.
  const maxSimilarity = new Float32Array(count);
  const picked = new Uint8Array(count);
  const picks: MmrPick[] = [];
  const limit = Math.min(n, count);
  for (let step = 0; step < limit; step++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      if (picked[i]) continue;
      const score = lambda * scaled[i]! - (1 - lambda) * maxSimilarity[i]!;
      if (score > bestScore || (score === bestScore && relevance[i]! > relevance[best]!)) {
        best = i;
        bestScore = score;
      }
    }
    picked[best] = 1;
    picks.push({ movieId: movieIds[best]!, score: bestScore, relevance: relevance[best]! });
    // At λ = 1 similarity has no weight: pure relevance needs no dot products.
    if (lambda === 1) continue;
    for (let i = 0; i < count; i++) {
      if (picked[i]) continue;
      const similarity = dot(vectors, vectors, dim, offsets[i], offsets[best]);
      if (step === 0 || similarity > maxSimilarity[i]!) maxSimilarity[i] = similarity;
    }
  }
  return picks;
}

/** Min-max scaling to [0, 1]; all equal → all 1 (every candidate is as relevant as the best). */
function scaledRelevance(relevance: ArrayLike<number>, movieIds: ArrayLike<MovieId>): Float64Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < relevance.length; i++) {
    const value = relevance[i]!;
    if (!Number.isFinite(value)) throw new Error(`MMR candidate ${movieIds[i]} has relevance ${value}: relevance must be finite`);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const scaled = new Float64Array(relevance.length);
  for (let i = 0; i < relevance.length; i++) scaled[i] = max > min ? (relevance[i]! - min) / (max - min) : 1;
  return scaled;
}
