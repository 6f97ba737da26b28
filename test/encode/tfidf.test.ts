import { describe, expect, it } from 'vitest';
import type { Csr } from '../../src/math/sparse.js';
import { fitTfidf, tokenize, type TfidfOptions } from '../../src/encode/tfidf.js';

const keepAll: TfidfOptions = { minDf: 1, maxDfRatio: 1, maxTerms: 1000 };

/** Row `row` of a CSR matrix as term → value. */
function rowOf(matrix: Csr, terms: readonly string[], row: number): Record<string, number> {
  const entries: Record<string, number> = {};
  for (let entry = matrix.indptr[row]!; entry < matrix.indptr[row + 1]!; entry++) entries[terms[matrix.indices[entry]!]!] = matrix.values[entry]!;
  return entries;
}

describe('tokenize', () => {
  it('lower-cases and keeps words of two or more letters or digits', () => {
    expect(tokenize("A Sci-Fi film: Andy's 2 toys, 1995 & Amélie")).toEqual(['sci', 'fi', 'film', 'andy', 'toys', '1995', 'amélie']);
  });
});

describe('fitTfidf', () => {
  const corpus = ['the cat sat', 'the cat ran', 'a dog ran'];

  it('builds an alphabetical vocabulary of unigrams and bigrams (bigrams skip dropped one-letter words, as scikit-learn)', () => {
    const { vectorizer } = fitTfidf(corpus, keepAll);
    expect(vectorizer.terms).toEqual(['cat', 'cat ran', 'cat sat', 'dog', 'dog ran', 'ran', 'sat', 'the', 'the cat']);
  });

  it('weights by smoothed idf, ln((1 + n) / (1 + df)) + 1, and scales rows to unit length', () => {
    const { vectorizer, matrix } = fitTfidf(corpus, keepAll);
    const idf2 = Math.log(4 / 3) + 1;
    const idf1 = Math.log(4 / 2) + 1;
    expect(vectorizer.idf[vectorizer.terms.indexOf('cat')]).toBeCloseTo(idf2, 6);
    expect(vectorizer.idf[vectorizer.terms.indexOf('sat')]).toBeCloseTo(idf1, 6);
    const norm = Math.sqrt(3 * idf2 ** 2 + 2 * idf1 ** 2);
    const first = rowOf(matrix, vectorizer.terms, 0);
    expect(Object.keys(first).sort()).toEqual(['cat', 'cat sat', 'sat', 'the', 'the cat']);
    expect(first.cat).toBeCloseTo(idf2 / norm, 6);
    expect(first.sat).toBeCloseTo(idf1 / norm, 6);
    for (let row = 0; row < 3; row++) expect(Object.values(rowOf(matrix, vectorizer.terms, row)).reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(1, 6);
  });

  it('uses sublinear term frequency, 1 + ln(count)', () => {
    const { vectorizer, matrix } = fitTfidf(['cat cat cat dog', 'dog'], keepAll);
    const row = rowOf(matrix, vectorizer.terms, 0);
    const idfOnce = Math.log(3 / 2) + 1;
    expect(row.cat! / row.dog!).toBeCloseTo((1 + Math.log(3)) * idfOnce, 5);
    expect(row['cat cat']! / row.dog!).toBeCloseTo((1 + Math.log(2)) * idfOnce, 5);
  });

  it('drops terms below the minimum and above the maximum document frequency, then keeps the most frequent', () => {
    expect(fitTfidf(corpus, { ...keepAll, minDf: 2 }).vectorizer.terms).toEqual(['cat', 'ran', 'the', 'the cat']);
    expect(fitTfidf(corpus, { ...keepAll, maxDfRatio: 0.5 }).vectorizer.terms).toEqual(['cat ran', 'cat sat', 'dog', 'dog ran', 'sat']);
    // Ties in document frequency go to the alphabetically first terms.
    expect(fitTfidf(corpus, { ...keepAll, maxTerms: 3 }).vectorizer.terms).toEqual(['cat', 'ran', 'the']);
  });

  it('transforms new texts like the corpus, ignoring unknown words and bigrams across them', () => {
    const { vectorizer, matrix } = fitTfidf(corpus, keepAll);
    const again = vectorizer.transform(corpus);
    expect(Array.from(again.indices)).toEqual(Array.from(matrix.indices));
    expect(Array.from(again.values)).toEqual(Array.from(matrix.values));
    const fresh = vectorizer.transform(['The zebra cat SAT', 'nothing known here', '']);
    expect(Object.keys(rowOf(fresh, vectorizer.terms, 0)).sort()).toEqual(['cat', 'cat sat', 'sat', 'the']);
    expect(fresh.indptr[2]! - fresh.indptr[1]!).toBe(0);
    expect(fresh.indptr[3]! - fresh.indptr[2]!).toBe(0);
  });
});
