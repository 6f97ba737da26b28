import { describe, expect, it } from 'vitest';
import { gaussianMatrix, hashInts, seededRandom, shuffle } from '../../src/math/random.js';
import { csrFromTriplets, rowLength, transpose } from '../../src/math/sparse.js';
import { topK } from '../../src/math/topk.js';
import { addScaled, dot, dot3, gram, interleave3, matVec, normaliseRows } from '../../src/math/vector.js';

describe('topK', () => {
  it('returns the k largest indices best first, ties to the lower index', () => {
    const scores = Float32Array.from([0.5, 0.9, 0.1, 0.9, 0.7]);
    expect(Array.from(topK(scores, 3))).toEqual([1, 3, 4]);
    expect(Array.from(topK(scores, 10))).toEqual([1, 3, 4, 0, 2]);
    expect(Array.from(topK(scores, 0))).toEqual([]);
  });

  it('agrees with a full sort on random scores with many ties', () => {
    const random = seededRandom(7);
    const scores = Float32Array.from({ length: 500 }, () => Math.floor(random() * 20));
    const sorted = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    expect(Array.from(topK(scores, 37))).toEqual(sorted.slice(0, 37));
  });

  it('passes over skipped indices, NaN and −Infinity, and can be limited to candidates', () => {
    const scores = Float32Array.from([3, Number.NaN, 2, Number.NEGATIVE_INFINITY, 1]);
    expect(Array.from(topK(scores, 5))).toEqual([0, 2, 4]);
    expect(Array.from(topK(scores, 5, { skip: Uint8Array.from([1, 0, 0, 0, 0]) }))).toEqual([2, 4]);
    expect(Array.from(topK(scores, 5, { among: [4, 3, 2] }))).toEqual([2, 4]);
  });
});

describe('vector kernels', () => {
  it('dot, matVec and addScaled read rows in place through offsets', () => {
    const matrix = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(dot(matrix, matrix, 3, 0, 3)).toBe(1 * 4 + 2 * 5 + 3 * 6);
    expect(Array.from(matVec(matrix, 3, Float32Array.from([1, 0, -1])))).toEqual([-2, -2]);
    const out = new Float32Array(3);
    addScaled(out, matrix, 2, 3, 0, 3);
    expect(Array.from(out)).toEqual([8, 10, 12]);
  });

  it('dot3 gives the three dots of one matrix row, written side by side', () => {
    const random = seededRandom(3);
    const rows = gaussianMatrix(4, 7, 1, random);
    const [a, b, c] = [0, 1, 2].map(() => gaussianMatrix(1, 7, 1, random));
    const out = new Float32Array(5).fill(9);
    dot3(interleave3(a!, b!, c!, 7), rows, 7, 2 * 7, out, 1);
    expect(out[0]).toBe(9);
    expect(out[4]).toBe(9);
    [a!, b!, c!].forEach((vector, k) => expect(out[1 + k]).toBeCloseTo(dot(vector, rows, 7, 0, 14), 5));
    // A missing vector is zeros: its dot is 0.
    dot3(interleave3(a!, null, c!, 7), rows, 7, 2 * 7, out, 1);
    expect(out[2]).toBe(0);
    expect(out[3]).toBeCloseTo(dot(c!, rows, 7, 0, 14), 5);
  });

  it('normaliseRows gives unit rows and leaves a zero row at zero', () => {
    const matrix = normaliseRows(Float32Array.from([3, 4, 0, 0]), 2);
    expect(Array.from(matrix)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
  });

  it('gram is MᵀM plus the ridge on the diagonal', () => {
    const m = Float32Array.from([1, 2, 3, 4]);
    expect(Array.from(gram(m, 2, 0.5))).toEqual([1 + 9 + 0.5, 2 + 12, 2 + 12, 4 + 16 + 0.5]);
  });
});

describe('sparse matrices', () => {
  it('builds rows sorted by column and transposes', () => {
    const matrix = csrFromTriplets(2, 3, Int32Array.from([1, 0, 1, 0]), Int32Array.from([2, 1, 0, 0]), Float32Array.from([5, 4, 3, 2]));
    expect(Array.from(matrix.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(matrix.indices)).toEqual([0, 1, 0, 2]);
    expect(Array.from(matrix.values)).toEqual([2, 4, 3, 5]);
    const t = transpose(matrix);
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.indptr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(t.indices)).toEqual([0, 1, 0, 1]);
    expect(Array.from(t.values)).toEqual([2, 3, 4, 5]);
    expect(rowLength(t, 0)).toBe(2);
  });
});

describe('seeded randomness', () => {
  it('repeats for a seed and differs across seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(3).every((value) => value >= 0 && value < 1)).toBe(true);
    expect(shuffle([1, 2, 3, 4, 5, 6], seededRandom(4))).toEqual(shuffle([1, 2, 3, 4, 5, 6], seededRandom(4)));
    expect(hashInts(1, 2)).not.toBe(hashInts(2, 1));
  });

  it('draws gaussian matrices with the requested scale', () => {
    const values = gaussianMatrix(2000, 5, 0.1, seededRandom(9));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
  });
});
