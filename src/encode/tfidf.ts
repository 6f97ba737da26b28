/**
 * TF-IDF over word unigrams and bigrams, as scikit-learn's TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
 * smooth_idf=True, norm='l2') computes it: tf = 1 + ln(count), idf = ln((1 + n) / (1 + df)) + 1, rows unit length.
 * Terms are counted as integer ids in typed arrays (no string keys, no maps of counts): the fit is on the hot path of
 * the built-in encoder.
 */
import type { Csr } from '../math/sparse.js';

export interface TfidfOptions {
  /** Terms in fewer documents than this are dropped: they cannot relate two movies. */
  minDf: number;
  /** Terms in more than this fraction of the documents are dropped: boilerplate ("Directed by") and stop words. */
  maxDfRatio: number;
  /** Only the terms in the most documents are kept, which bounds the size of everything fitted on the vocabulary. */
  maxTerms: number;
}

export const DEFAULT_TFIDF_OPTIONS: TfidfOptions = { minDf: 2, maxDfRatio: 0.5, maxTerms: 20_000 };

/** Lower-cased words of two or more letters or digits (scikit-learn's default token pattern, Unicode-aware). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? [];
}

/** A word id that stands for "no word": the second half of a unigram, or a word outside the vocabulary. */
const NONE = -1;

/**
 * Interns terms as dense ids: a unigram is the pair (word, NONE), a bigram the pair (first, second). Open addressing
 * over Int32Arrays keeps every key a small integer.
 */
class TermTable {
  firsts: number[] = [];
  seconds: number[] = [];
  private slots = new Int32Array(1 << 12).fill(NONE);

  get size(): number {
    return this.firsts.length;
  }

  /** The term's id; a new id when `insert` and it is new, else NONE. */
  id(first: number, second: number, insert: boolean): number {
    const mask = this.slots.length - 1;
    for (let slot = hashPair(first, second) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id === NONE) {
        if (!insert) return NONE;
        this.slots[slot] = this.firsts.length;
        this.firsts.push(first);
        this.seconds.push(second);
        if (this.firsts.length * 2 > this.slots.length) this.grow();
        return this.firsts.length - 1;
      }
      if (this.firsts[id] === first && this.seconds[id] === second) return id;
    }
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(NONE);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.firsts.length; id++) {
      let slot = hashPair(this.firsts[id]!, this.seconds[id]!) & mask;
      while (this.slots[slot] !== NONE) slot = (slot + 1) & mask;
      this.slots[slot] = id;
    }
  }
}

function hashPair(first: number, second: number): number {
  let hash = Math.imul(first ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(second + 1, 0xc2b2ae35);
  hash ^= hash >>> 15;
  return Math.imul(hash, 0x2c1b3c6d) >>> 0;
}

/** Every term occurrence of one document (unigrams, then bigrams of neighbouring known words), as term ids. */
function documentTerms(wordIds: readonly number[], table: TermTable, insert: boolean): Int32Array {
  const terms: number[] = [];
  for (let i = 0; i < wordIds.length; i++) {
    const word = wordIds[i]!;
    if (word === NONE) continue;
    const unigram = table.id(word, NONE, insert);
    if (unigram !== NONE) terms.push(unigram);
    const next = wordIds[i + 1];
    if (next === undefined || next === NONE) continue;
    const bigram = table.id(word, next, insert);
    if (bigram !== NONE) terms.push(bigram);
  }
  return Int32Array.from(terms);
}

/** A fitted vocabulary (columns in alphabetical order of terms) and its idf weights. */
export class TfidfVectorizer {
  readonly terms: readonly string[];
  readonly idf: Float32Array;
  /** Word → word id; a word that is part of no term is unknown. */
  private readonly words = new Map<string, number>();
  /** Term id = column: the terms are interned in column order. */
  private readonly table = new TermTable();

  constructor(terms: readonly string[], idf: Float32Array) {
    if (terms.length !== idf.length) throw new Error(`tf-idf: ${terms.length} terms but ${idf.length} idf weights`);
    this.terms = terms;
    this.idf = idf;
    for (const term of terms) {
      const [first, second] = term.split(' ').map((word) => this.wordId(word));
      this.table.id(first!, second ?? NONE, true);
    }
  }

  get vocabularySize(): number {
    return this.terms.length;
  }

  /** Unit-length tf-idf rows, one per text; a text with no known term is an all-zero row. */
  transform(texts: readonly string[]): Csr {
    const rows = texts.map((text) => {
      const wordIds = tokenize(text).map((word) => this.words.get(word) ?? NONE);
      return documentTerms(wordIds, this.table, false);
    });
    return tfidfMatrix(rows, this.idf);
  }

  private wordId(word: string): number {
    let id = this.words.get(word);
    if (id === undefined) this.words.set(word, (id = this.words.size));
    return id;
  }
}

export interface FittedTfidf {
  vectorizer: TfidfVectorizer;
  /** The corpus's own rows, as `vectorizer.transform(texts)` would give them, without tokenising twice. */
  matrix: Csr;
}

/** Learns the vocabulary and idf weights from a corpus. */
export function fitTfidf(texts: readonly string[], options: TfidfOptions = DEFAULT_TFIDF_OPTIONS): FittedTfidf {
  const words = new Map<string, number>();
  const wordList: string[] = [];
  const table = new TermTable();
  const documents = texts.map((text) => {
    const wordIds = tokenize(text).map((word) => {
      let id = words.get(word);
      if (id === undefined) {
        words.set(word, (id = wordList.length));
        wordList.push(word);
      }
      return id;
    });
    return documentTerms(wordIds, table, true);
  });

  // Document frequency: each document's term ids sorted, so that a term counts once per document.
  const documentFrequency = new Int32Array(table.size);
  for (const terms of documents) {
    const sorted = terms.slice().sort();
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) documentFrequency[sorted[i]!]!++;
  }

  const termText = (id: number) => {
    const second = table.seconds[id]!;
    return second === NONE ? wordList[table.firsts[id]!]! : `${wordList[table.firsts[id]!]!} ${wordList[second]!}`;
  };
  const maxDf = options.maxDfRatio * texts.length;
  const kept: { id: number; term: string; df: number }[] = [];
  documentFrequency.forEach((df, id) => {
    if (df >= options.minDf && df <= maxDf) kept.push({ id, term: termText(id), df });
  });
  kept.sort((a, b) => b.df - a.df || compareStrings(a.term, b.term));
  kept.length = Math.min(kept.length, options.maxTerms);
  // Alphabetical columns: the same corpus gives the same matrix whatever order the counting met the terms in.
  kept.sort((a, b) => compareStrings(a.term, b.term));

  const columnOf = new Int32Array(table.size).fill(NONE);
  kept.forEach(({ id }, column) => (columnOf[id] = column));
  const idf = Float32Array.from(kept, ({ df }) => Math.log((1 + texts.length) / (1 + df)) + 1);
  const rows = documents.map((terms) => terms.map((id) => columnOf[id]!).filter((column) => column !== NONE));
  return {
    vectorizer: new TfidfVectorizer(
      kept.map(({ term }) => term),
      idf,
    ),
    matrix: tfidfMatrix(rows, idf),
  };
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows given as column occurrences (repeats = term count): sublinear tf × idf, columns ascending, unit length. */
function tfidfMatrix(rows: readonly Int32Array[], idf: Float32Array): Csr {
  const sortedRows = rows.map((columns) => columns.slice().sort());
  const indptr = new Int32Array(rows.length + 1);
  sortedRows.forEach((columns, row) => {
    let distinct = 0;
    for (let i = 0; i < columns.length; i++) if (i === 0 || columns[i] !== columns[i - 1]) distinct++;
    indptr[row + 1] = indptr[row]! + distinct;
  });
  const indices = new Int32Array(indptr[rows.length]!);
  const values = new Float32Array(indices.length);
  sortedRows.forEach((columns, row) => {
    let entry = indptr[row]!;
    let squares = 0;
    for (let start = 0; start < columns.length;) {
      const column = columns[start]!;
      let end = start + 1;
      while (end < columns.length && columns[end] === column) end++;
      const value = (1 + Math.log(end - start)) * idf[column]!;
      indices[entry] = column;
      values[entry++] = value;
      squares += value * value;
      start = end;
    }
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let i = indptr[row]!; i < entry; i++) values[i]! *= scale;
  });
  return { rows: rows.length, cols: idf.length, indptr, indices, values };
}
