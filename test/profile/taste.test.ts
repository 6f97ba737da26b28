import { describe, expect, it } from 'vitest';
import { contentTaste, PROFILE_WINDOW, shrunkMeanRating, weightedProfile } from '../../src/profile/taste.js';

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return dot / Math.sqrt(aa * bb);
};

/** A 2-d space of unit rows: 0 liked-like (1, 0), 1 close to it, 2 disliked-like (0.6, 0.8), 3 a movie without a vector. */
const LIKED = [1, 0];
const NEAR_LIKED = [0.8, 0.6];
const DISLIKED = [0.6, 0.8];
const space = Float32Array.from([...LIKED, ...NEAR_LIKED, ...DISLIKED, 0, 0]);
const rowOf = (row: number) => Array.from(space.subarray(row * 2, row * 2 + 2));

/** Entry by entry, to six decimals. */
function expectVector(actual: Float32Array | null, expected: readonly number[]): void {
  expect(actual).not.toBeNull();
  expect(actual!.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual![i]).toBeCloseTo(value, 6));
}

const taste = (rows: number[], ratings: number[], extra?: number[]) =>
  contentTaste(space, 2, Int32Array.from(rows), Float32Array.from(ratings), extra && Float32Array.from(extra));

describe('the shrunk mean rating', () => {
  it('adds two neutral 3.0 ratings to the user’s own', () => {
    expect(shrunkMeanRating([5])).toBeCloseTo(11 / 3, 10);
    expect(shrunkMeanRating([1, 2])).toBeCloseTo(9 / 4, 10);
    expect(shrunkMeanRating([])).toBe(3);
  });
});

describe('a content taste', () => {
  it('lies closer to a liked movie than to a disliked one, and further from the disliked one than an unweighted mean', () => {
    const vector = taste([0, 2], [5, 1])!;
    expect(cosine(vector, LIKED)).toBeGreaterThan(cosine(vector, DISLIKED));
    // The plain mean of the two rated movies still leans toward the disliked one; the weighted taste points away from it.
    const unweighted = [(LIKED[0]! + DISLIKED[0]!) / 2, (LIKED[1]! + DISLIKED[1]!) / 2];
    expect(cosine(vector, DISLIKED)).toBeLessThan(cosine(unweighted, DISLIKED) - 0.5);
    expect(cosine(vector, DISLIKED)).toBeLessThan(0);
  });

  it('pulls away from a movie rated below the user’s mean even when the rating is above neutral', () => {
    const generous = taste([0, 1, 2], [5, 5, 3.5])!;
    const withoutIt = taste([0, 1], [5, 5])!;
    expect(cosine(generous, DISLIKED)).toBeLessThan(cosine(withoutIt, DISLIKED) - 0.01);
  });

  it('is defined by a single rating: a lone 5 points at the movie, a lone 1 away from it', () => {
    expectVector(taste([2], [5]), rowOf(2));
    expectVector(
      taste([2], [1]),
      rowOf(2).map((value) => -value),
    );
  });

  it('is null when nothing pulls: every rating neutral, or pulls that cancel out', () => {
    expect(taste([0], [3])).toBeNull();
    expect(taste([0, 2], [3, 3])).toBeNull();
    // 2 and 4 around a mean of exactly 3, on the same movie twice: +1 and −1 of one vector.
    expect(taste([1, 1], [2, 4])).toBeNull();
    expect(taste([], [])).toBeNull();
  });

  it('has unit length', () => {
    for (const [rows, ratings] of [
      [
        [0, 1, 2],
        [4.5, 2, 0.5],
      ],
      [[1], [4]],
      [
        [0, 2, 3],
        [5, 5, 1],
      ],
    ] as const) {
      const vector = taste([...rows], [...ratings])!;
      expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    }
  });

  it('counts a movie without a vector toward the user’s mean but not toward the direction', () => {
    // With the vector-less movie's 1 the mean is (5 + 1 + 3 + 6) / 5 = 3, so the 3 on movie 2 does not pull: the taste is movie 0.
    // Without it the mean is 3.5 and the same 3 pushes away from movie 2.
    const withBlank = taste([0, 3, 2], [5, 1, 3]);
    const withoutBlank = taste([0, 2], [5, 3])!;
    expectVector(withBlank, LIKED);
    expect(cosine(withoutBlank, DISLIKED)).toBeLessThan(cosine(LIKED, DISLIKED) - 0.01);
  });

  it('scales each pull by the extra weights (recency), without changing the mean', () => {
    // A zero extra weight silences the dislike; the mean still counts it, so the 5 pulls with weight 2 alone.
    expectVector(taste([0, 2], [5, 1], [1, 0]), LIKED);
    const recentDislike = taste([0, 2], [5, 1], [1, 4])!;
    expect(cosine(recentDislike, DISLIKED)).toBeLessThan(cosine(taste([0, 2], [5, 1])!, DISLIKED));
    expect(() => taste([0, 2], [5, 1], [1])).toThrow(/must match/);
    expect(() => taste([0, 2], [5])).toThrow(/must match/);
  });
});

const profile = (rows: number[], ratings: number[], timestamps?: number[]) =>
  weightedProfile(space, 2, Int32Array.from(rows), Float32Array.from(ratings), timestamps && Float64Array.from(timestamps));

/** Two orthogonal movies for recency, in a 2-d space of their own. */
const A = [1, 0];
const B = [0, 1];
const orthogonal = Float32Array.from([...A, ...B]);
const orthogonalProfile = (rows: number[], ratings: number[], timestamps?: number[]) =>
  weightedProfile(orthogonal, 2, Int32Array.from(rows), Float32Array.from(ratings), timestamps && Float64Array.from(timestamps));

describe('a weighted profile', () => {
  it('leans toward the more recent of two movies rated 5, whichever came last', () => {
    const bLast = orthogonalProfile([0, 1], [5, 5])!;
    const aLast = orthogonalProfile([1, 0], [5, 5])!;
    expect(cosine(bLast, B)).toBeGreaterThan(cosine(bLast, A) + 0.01);
    expect(cosine(aLast, A)).toBeGreaterThan(cosine(aLast, B) + 0.01);
    // One rating back weighs 0.5^(1/20) of the most recent: the taste is normalise(0.966·A + 1·B).
    const older = 0.5 ** (1 / 20);
    expectVector(bLast, [older / Math.hypot(older, 1), 1 / Math.hypot(older, 1)]);
    // The plain content taste has no sense of order: both orders give the same vector.
    expect(Array.from(contentTaste(orthogonal, 2, [0, 1], [5, 5])!)).toEqual(Array.from(contentTaste(orthogonal, 2, [1, 0], [5, 5])!));
  });

  it('reads the order from timestamps when they disagree with the order given, ties keeping theirs', () => {
    expectVector(orthogonalProfile([1, 0], [5, 5], [20, 10]), Array.from(orthogonalProfile([0, 1], [5, 5])!));
    expectVector(orthogonalProfile([0, 1], [5, 5], [10, 20]), Array.from(orthogonalProfile([0, 1], [5, 5])!));
    expectVector(orthogonalProfile([1, 0], [5, 5], [10, 10]), Array.from(orthogonalProfile([1, 0], [5, 5])!));
  });

  it(`reads only the last ${PROFILE_WINDOW} ratings: the one before them has no effect`, () => {
    // 50 ratings of movies 0 and 1; before them a 1 for the disliked-like movie 2, which the plain taste does feel.
    const rows = Array.from({ length: PROFILE_WINDOW }, (_, i) => i % 2);
    const ratings = Array.from({ length: PROFILE_WINDOW }, (_, i) => (i % 3 === 0 ? 5 : 3.5));
    const last50 = profile(rows, ratings)!;
    for (const [row, rating] of [
      [2, 1],
      [2, 5],
      [0, 0.5],
    ] as const) {
      expect(Array.from(profile([row, ...rows], [rating, ...ratings])!)).toEqual(Array.from(last50));
      const times = Array.from({ length: PROFILE_WINDOW + 1 }, (_, i) => 100 + i);
      // The same older rating listed last but dated first is still out of the window.
      expect(Array.from(profile([...rows, row], [...ratings, rating], [...times.slice(1), 0])!)).toEqual(Array.from(last50));
    }
    expect(cosine(contentTaste(space, 2, [2, ...rows], [1, ...ratings])!, last50)).toBeLessThan(1 - 1e-4);
    // One rating fewer does change it: the window is exactly 50, not 49.
    expect(cosine(profile(rows.slice(1), ratings.slice(1))!, last50)).toBeLessThan(1 - 1e-4);
  });

  it('pulls away from a movie rated below the user’s mean', () => {
    const withDislike = profile([0, 2], [5, 2])!;
    expect(cosine(withDislike, DISLIKED)).toBeLessThan(cosine(LIKED, DISLIKED) - 0.1);
    expect(cosine(withDislike, DISLIKED)).toBeLessThan(0);
    // Recent or not, a rating below the mean pushes away.
    expect(cosine(profile([2, 0], [2, 5])!, DISLIKED)).toBeLessThan(cosine(LIKED, DISLIKED));
  });

  it('is defined by a single rating: a lone 5 points at the movie, a lone 1 away from it, a lone 3 nowhere', () => {
    expectVector(profile([2], [5]), rowOf(2));
    expectVector(
      profile([2], [1]),
      rowOf(2).map((value) => -value),
    );
    expect(profile([2], [3])).toBeNull();
    expect(profile([], [])).toBeNull();
  });

  it('has unit length', () => {
    let state = 7;
    const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
    for (const length of [1, 2, 7, 49, 50, 51, 200]) {
      const rows = Array.from({ length }, () => Math.floor(next() * 3));
      const ratings = Array.from({ length }, () => 0.5 + Math.floor(next() * 10) / 2);
      const vector = profile(rows, ratings);
      if (vector) expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    }
    expect(Math.hypot(...profile([0, 1, 2], [4.5, 2, 0.5])!)).toBeCloseTo(1, 6);
  });

  it('refuses histories whose parts do not match', () => {
    expect(() => profile([0, 2], [5])).toThrow(/must match/);
    expect(() => profile([0, 2], [5, 1], [1])).toThrow(/must match/);
  });
});
