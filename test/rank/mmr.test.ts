import { describe, expect, it } from 'vitest';
import { gaussianMatrix, seededRandom, shuffle } from '../../src/math/random.js';
import { normaliseRows } from '../../src/math/vector.js';
import { mmrRerank, type MmrCandidates, type MmrPick } from '../../src/rank/mmr.js';

interface Fixture {
  movieIds: number[];
  relevance: number[];
  vectors: Float32Array;
  dim: number;
}

/** Random unit vectors, relevance on an arbitrary scale, ids unlike indices; `zeroRows` candidates have no vector. */
function randomCandidates(count: number, seed: number, zeroRows: readonly number[] = []): Fixture {
  const dim = 12;
  const random = seededRandom(seed);
  const vectors = normaliseRows(gaussianMatrix(count, dim, 1, random), dim);
  for (const row of zeroRows) vectors.fill(0, row * dim, (row + 1) * dim);
  return { movieIds: Array.from({ length: count }, (_, i) => 1000 + 7 * i), relevance: Array.from({ length: count }, () => -3 + 8 * random()), vectors, dim };
}

/** The same candidates in another order: ids, relevance and vector rows moved together. */
function permuted(fixture: Fixture, order: readonly number[]): Fixture {
  const { dim } = fixture;
  const vectors = new Float32Array(fixture.vectors.length);
  order.forEach((from, to) => vectors.set(fixture.vectors.subarray(from * dim, (from + 1) * dim), to * dim));
  return { movieIds: order.map((i) => fixture.movieIds[i]!), relevance: order.map((i) => fixture.relevance[i]!), vectors, dim };
}

/** Plain double-precision cosine of two candidates' rows (unit or zero). */
function cosine(fixture: Fixture, a: number, b: number): number {
  let sum = 0;
  for (let j = 0; j < fixture.dim; j++) sum += fixture.vectors[a * fixture.dim + j]! * fixture.vectors[b * fixture.dim + j]!;
  return sum;
}

/** Each pick's max cosine to the picks before it (0 for the first), recomputed from the input by movie id. */
function maxSimilarityToEarlier(fixture: Fixture, picks: readonly MmrPick[]): number[] {
  const indexOf = new Map(fixture.movieIds.map((movieId, i) => [movieId, i]));
  const picked = picks.map((pick) => indexOf.get(pick.movieId)!);
  return picked.map((index, k) => (k === 0 ? 0 : Math.max(...picked.slice(0, k).map((earlier) => cosine(fixture, index, earlier)))));
}

/** 1 − mean pairwise cosine of the picks' vectors. */
function intraListDiversity(fixture: Fixture, picks: readonly MmrPick[]): number {
  const indexOf = new Map(fixture.movieIds.map((movieId, i) => [movieId, i]));
  const picked = picks.map((pick) => indexOf.get(pick.movieId)!);
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < picked.length; a++) for (let b = a + 1; b < picked.length; b++, pairs++) sum += cosine(fixture, picked[a]!, picked[b]!);
  return 1 - sum / pairs;
}

describe('mmrRerank', () => {
  it('keeps picks and scores aligned: each score is recomputed from that movie alone, whatever the input order', () => {
    const fixture = randomCandidates(40, 3, [5, 17]);
    const lambda = 0.6;
    const picks = mmrRerank(fixture, lambda, 15);
    const reordered = mmrRerank(permuted(fixture, shuffle([...fixture.movieIds.keys()], seededRandom(9))), lambda, 15);
    expect(reordered).toEqual(picks);

    const relevanceOf = new Map(fixture.movieIds.map((movieId, i) => [movieId, fixture.relevance[i]!]));
    const min = Math.min(...fixture.relevance);
    const max = Math.max(...fixture.relevance);
    const similarities = maxSimilarityToEarlier(fixture, picks);
    picks.forEach((pick, k) => {
      expect(pick.relevance).toBe(relevanceOf.get(pick.movieId));
      expect(pick.score).toBeCloseTo(lambda * ((pick.relevance - min) / (max - min)) - (1 - lambda) * similarities[k]!, 6);
    });
    expect(new Set(picks.map((pick) => pick.movieId)).size).toBe(15);
  });

  it('reads rows of a shared matrix in place as it reads a compact one', () => {
    const catalog = randomCandidates(60, 4, [12]);
    const rows = [41, 12, 3, 58, 7, 30, 22, 0, 19, 44];
    const compact = permuted(catalog, rows);
    const shared: MmrCandidates = { movieIds: compact.movieIds, relevance: compact.relevance, vectors: catalog.vectors, dim: catalog.dim, rows };
    expect(mmrRerank(shared, 0.4, 6)).toEqual(mmrRerank(compact, 0.4, 6));
  });

  it('is a stable sort by relevance at λ = 1 (ties: the earlier candidate first)', () => {
    const fixture = randomCandidates(30, 5);
    for (const i of [4, 9, 21]) fixture.relevance[i] = fixture.relevance[2]!;
    const order = [...fixture.movieIds.keys()].sort((a, b) => fixture.relevance[b]! - fixture.relevance[a]! || a - b);
    expect(mmrRerank(fixture, 1, 30).map((pick) => pick.movieId)).toEqual(order.map((i) => fixture.movieIds[i]));
  });

  it('at λ = 0 starts with the most relevant, then picks the candidate least similar to those picked', () => {
    const fixture = randomCandidates(25, 6);
    const picks = mmrRerank(fixture, 0, 10);
    expect(picks[0]!.relevance).toBe(Math.max(...fixture.relevance));
    const indexOf = new Map(fixture.movieIds.map((movieId, i) => [movieId, i]));
    for (let k = 1; k < picks.length; k++) {
      const earlier = picks.slice(0, k).map((pick) => indexOf.get(pick.movieId)!);
      const remaining = [...fixture.movieIds.keys()].filter((i) => !earlier.includes(i));
      const closeness = (i: number) => Math.max(...earlier.map((j) => cosine(fixture, i, j)));
      const least = remaining.reduce((best, i) => (closeness(i) < closeness(best) ? i : best));
      expect(picks[k]!.movieId).toBe(fixture.movieIds[least]);
      expect(picks[k]!.score).toBeCloseTo(-closeness(least), 6);
    }
  });

  it('counts a candidate without a vector as similarity 0 to everything, below a dissimilar one', () => {
    const dim = 2;
    const vectors = Float32Array.from([1, 0, 1, 0, 0, 0, -1, 0]);
    const picks = mmrRerank({ movieIds: [1, 2, 3, 4], relevance: [4, 3, 1, 2], vectors, dim }, 0, 4);
    expect(picks).toEqual([
      { movieId: 1, score: 0, relevance: 4 },
      { movieId: 4, score: 1, relevance: 2 },
      { movieId: 3, score: 0, relevance: 1 },
      { movieId: 2, score: -1, relevance: 3 },
    ]);
  });

  it('spreads near-duplicates out as λ falls: the list grows more diverse', () => {
    // Six clusters of six near-duplicates; a whole cluster outranks the next one.
    const dim = 16;
    const random = seededRandom(7);
    const centres = normaliseRows(gaussianMatrix(6, dim, 1, random), dim);
    const vectors = new Float32Array(36 * dim);
    const relevance: number[] = [];
    for (let i = 0; i < 36; i++) {
      const cluster = Math.floor(i / 6);
      for (let j = 0; j < dim; j++) vectors[i * dim + j] = centres[cluster * dim + j]! + 0.15 * (random() - 0.5);
      relevance.push(10 - cluster + random() * 0.9);
    }
    const fixture = { movieIds: Array.from({ length: 36 }, (_, i) => i + 1), relevance, vectors: normaliseRows(vectors, dim), dim };
    const lists = [1, 0.7, 0.3].map((lambda) => mmrRerank(fixture, lambda, 6));
    const [pure, balanced, diverse] = lists.map((picks) => intraListDiversity(fixture, picks));
    expect(balanced).toBeGreaterThan(pure! + 0.3);
    expect(diverse).toBeGreaterThan(balanced! + 0.1);
    // Pure relevance takes the top cluster whole; every cluster is shown at λ = 0.3.
    expect(lists.map((picks) => new Set(picks.map((pick) => Math.floor((pick.movieId - 1) / 6))).size)).toEqual([1, 3, 6]);
  });

  it('returns every candidate when n exceeds them, and nothing for no candidates or n = 0', () => {
    const fixture = randomCandidates(8, 8);
    expect(mmrRerank(fixture, 0.5, 100)).toHaveLength(8);
    expect(mmrRerank(fixture, 0.5, 0)).toEqual([]);
    expect(mmrRerank({ movieIds: [], relevance: [], vectors: new Float32Array(0), dim: 12 }, 0.5, 10)).toEqual([]);
  });

  it('scores every candidate 1 on relevance when all are equally relevant', () => {
    const fixture = randomCandidates(5, 10);
    fixture.relevance.fill(2.5);
    const picks = mmrRerank(fixture, 1, 5);
    expect(picks.map((pick) => pick.score)).toEqual([1, 1, 1, 1, 1]);
    expect(picks.map((pick) => pick.movieId)).toEqual(fixture.movieIds);
  });

  it.each([-0.1, 1.5, Number.NaN])('refuses λ = %s with a clear error', (lambda) => {
    expect(() => mmrRerank(randomCandidates(3, 1), lambda, 2)).toThrow(`MMR λ must be a number in [0, 1] (1 = pure relevance), not ${lambda}`);
  });

  it('refuses misaligned input rather than mixing up candidates', () => {
    const fixture = randomCandidates(4, 2);
    expect(() => mmrRerank({ ...fixture, relevance: [1, 2, 3] }, 0.5, 2)).toThrow('MMR got 4 candidates but 3 relevance scores');
    expect(() => mmrRerank({ ...fixture, rows: [0, 1, 2, 9] }, 0.5, 2)).toThrow(/vector row 9 is outside the 4 rows given/);
    expect(() => mmrRerank({ ...fixture, relevance: [1, Number.NaN, 3, 4] }, 0.5, 2)).toThrow('MMR candidate 1007 has relevance NaN: relevance must be finite');
  });
});
