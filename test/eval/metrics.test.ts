import { describe, expect, it } from 'vitest';
import { interactionsFromRatings } from '../../src/interactions.js';
import { catalogMovie } from './synthetic.js';
import {
  averagePrecisionAt,
  catalogCoverageAt,
  genreCosine,
  genreSpace,
  hitRateAt,
  intraListDiversityAt,
  ndcgAt,
  noveltyAt,
  popularityShares,
  precisionAt,
  ratingErrors,
  recallAt,
} from '../../src/eval/metrics.js';

// One hand-worked example: the list [10, 20, 30, 40, 50] against relevant {20, 40, 60}: hits at ranks 2 and 4.
const ranked = [10, 20, 30, 40, 50];
const relevant = new Set([20, 40, 60]);

describe('accuracy metrics, by hand', () => {
  it('precision: hits in the top k over k, empty slots count as misses', () => {
    expect(precisionAt(ranked, relevant, 5)).toBeCloseTo(2 / 5, 12);
    expect(precisionAt(ranked, relevant, 3)).toBeCloseTo(1 / 3, 12);
    expect(precisionAt([20], relevant, 5)).toBeCloseTo(1 / 5, 12);
  });

  it('recall: hits in the top k over all relevant test movies', () => {
    expect(recallAt(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranked, relevant, 1)).toBe(0);
    expect(recallAt(ranked, new Set(), 5)).toBe(0);
  });

  it('hit rate: 1 when anything relevant is in the top k', () => {
    expect(hitRateAt(ranked, relevant, 5)).toBe(1);
    expect(hitRateAt(ranked, relevant, 1)).toBe(0);
  });

  it('nDCG: binary gain, log2 discount, ideal over min(k, relevant)', () => {
    // DCG@5 = 1/log2(3) + 1/log2(5) = 1.0616063; IDCG@5 = 1 + 1/log2(3) + 1/log2(4) = 2.1309298 (3 relevant).
    expect(ndcgAt(ranked, relevant, 5)).toBeCloseTo(0.4981892575, 9);
    // DCG@3 = 1/log2(3); IDCG@3 is the same 2.1309298.
    expect(ndcgAt(ranked, relevant, 3)).toBeCloseTo(0.296081911, 9);
    // Two relevant, both at the top of a 5-list: the ideal is capped at the 2 relevant, so nDCG = 1.
    expect(ndcgAt([20, 40, 1, 2, 3], new Set([20, 40]), 5)).toBeCloseTo(1, 12);
  });

  it('AP@k: precision at each hit, summed, over min(k, relevant)', () => {
    // Hits at ranks 2 (P = 1/2) and 4 (P = 2/4): (0.5 + 0.5) / min(5, 3).
    expect(averagePrecisionAt(ranked, relevant, 5)).toBeCloseTo(1 / 3, 12);
    // Only the hit at rank 2 within k = 2: 0.5 / min(2, 3).
    expect(averagePrecisionAt(ranked, relevant, 2)).toBeCloseTo(0.25, 12);
    expect(averagePrecisionAt([20, 40], new Set([20, 40]), 10)).toBeCloseTo(1, 12);
  });
});

describe('beyond-accuracy metrics, by hand', () => {
  const genres = genreSpace([catalogMovie(1, ['Action', 'Comedy']), catalogMovie(2, ['Action']), catalogMovie(3, ['Drama']), catalogMovie(4, [])]);

  it('genre cosine of multi-hot vectors', () => {
    expect(genreCosine(genres.get(1)!, genres.get(2)!)).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(genreCosine(genres.get(1)!, genres.get(1)!)).toBeCloseTo(1, 12);
    expect(genreCosine(genres.get(2)!, genres.get(3)!)).toBe(0);
    expect(genreCosine(genres.get(4)!, genres.get(4)!)).toBe(0);
  });

  it('ILD: 1 − mean pairwise cosine over the top k', () => {
    // Pairs (1,2) = 0.7071, (1,3) = 0, (2,3) = 0: 1 − 0.7071 / 3 = 0.7642977.
    expect(intraListDiversityAt([1, 2, 3], genres, 3)).toBeCloseTo(0.7642977396, 9);
    expect(intraListDiversityAt([1, 2, 3], genres, 2)).toBeCloseTo(1 - 1 / Math.SQRT2, 12);
    expect(intraListDiversityAt([1], genres, 10)).toBeUndefined();
    // A movie without genres is unknown, not maximally different: its pairs are left out.
    expect(intraListDiversityAt([1, 2, 99], new Map([...genres, [99, new Int32Array()]]), 3)).toBeCloseTo(1 - 1 / Math.SQRT2, 12);
    expect(intraListDiversityAt([1, 99], new Map([...genres, [99, new Int32Array()]]), 3)).toBeUndefined();
  });

  it('novelty: mean −log2 of the smoothed share of training users who rated each movie', () => {
    // 4 training users; movie 1 rated by 3, movie 2 by 1, movie 3 by none: shares 4/5, 2/5, 1/5.
    const share = popularityShares(
      interactionsFromRatings([
        { userId: 1, movieId: 1, rating: 4, timestamp: 0 },
        { userId: 2, movieId: 1, rating: 4, timestamp: 0 },
        { userId: 3, movieId: 1, rating: 4, timestamp: 0 },
        { userId: 4, movieId: 2, rating: 4, timestamp: 0 },
      ]),
    );
    expect(share(1)).toBeCloseTo(0.8, 12);
    expect(share(3)).toBeCloseTo(0.2, 12);
    // (0.321928 + 1.321928 + 2.321928) / 3
    expect(noveltyAt([1, 2, 3], share, 3)).toBeCloseTo(1.3219280949, 9);
    expect(noveltyAt([1, 2, 3], share, 1)).toBeCloseTo(-Math.log2(0.8), 12);
    expect(noveltyAt([], share, 3)).toBeUndefined();
  });

  it('coverage: distinct movies in anyone’s top k over the catalog size', () => {
    expect(
      catalogCoverageAt(
        [
          [1, 2],
          [2, 3],
        ],
        10,
        2,
      ),
    ).toBeCloseTo(0.3, 12);
    expect(
      catalogCoverageAt(
        [
          [1, 2],
          [2, 3],
        ],
        10,
        1,
      ),
    ).toBeCloseTo(0.2, 12);
  });
});

describe('rating errors, by hand', () => {
  it('RMSE and MAE', () => {
    // Errors −1, 0, +2: RMSE = sqrt(5/3), MAE = 3/3.
    const errors = ratingErrors([
      { predicted: 3, actual: 4 },
      { predicted: 4, actual: 4 },
      { predicted: 5, actual: 3 },
    ]);
    expect(errors.rmse).toBeCloseTo(1.2909944487, 9);
    expect(errors.mae).toBeCloseTo(1, 12);
    expect(Number.isNaN(ratingErrors([]).rmse)).toBe(true);
  });
});
