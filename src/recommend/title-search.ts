/**
 * Finding movies by title as people type them: case, accents and punctuation do not matter, MovieLens's trailing
 * article (`Matrix, The`) and year (`(1999)`) are optional, and words may come in any order or be cut short.
 */
import type { Movie, MovieId } from '../domain.js';

export interface TitleMatch {
  movieId: MovieId;
  /** 1 for the whole title, less for a prefix, then for words found: how well the query names this movie. */
  score: number;
}

/** Lowercase words without accents or punctuation. */
function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

const ARTICLE = "the|a|an|les?|la|l'|il|der|die|das|el|los|las";

/**
 * `Matrix, The (1999)` → `the matrix` and, without its article, `matrix`; `Amelie (Fabuleux destin d'Amélie Poulain,
 * Le) (2001)` keeps its alternative title in the words.
 */
function titleForms(title: string): { words: string[]; bare: string } {
  const withoutYear = title.replace(/\s*\(\d{4}(–\d{4})?\)\s*$/, '');
  const trailing = new RegExp(`^(.*), (${ARTICLE})$`, 'i').exec(withoutYear);
  const leading = new RegExp(`^(${ARTICLE}) (.*)$`, 'i').exec(withoutYear);
  const bare = trailing ? trailing[1]! : leading ? leading[2]! : withoutYear;
  return { words: words(trailing ? `${trailing[2]} ${trailing[1]}` : withoutYear), bare: words(bare).join(' ') };
}

interface IndexedTitle {
  movieId: MovieId;
  /** The title's words joined by one space, article first. */
  joined: string;
  /** The same without a leading article. */
  bare: string;
  words: string[];
}

export class TitleSearch {
  private readonly titles: IndexedTitle[];

  constructor(movies: Iterable<Pick<Movie, 'movieId' | 'title'>>) {
    this.titles = Array.from(movies, (movie) => {
      const forms = titleForms(movie.title);
      return { movieId: movie.movieId, joined: forms.words.join(' '), bare: forms.bare, words: forms.words };
    });
  }

  /** Up to `limit` movies whose title the query names, best first; ties go to the shorter title, then the lower id. */
  search(query: string, limit: number): TitleMatch[] {
    const wanted = words(query);
    if (wanted.length === 0) return [];
    const phrase = wanted.join(' ');
    const matches: (TitleMatch & { length: number })[] = [];
    for (const title of this.titles) {
      const score = titleScore(title, wanted, phrase);
      if (score > 0) matches.push({ movieId: title.movieId, score, length: title.joined.length });
    }
    matches.sort((a, b) => b.score - a.score || a.length - b.length || a.movieId - b.movieId);
    return matches.slice(0, limit).map(({ movieId, score }) => ({ movieId, score }));
  }
}

/** The whole title (with or without its article) 1; its start 0.9; inside it 0.8; every query word starting a title word 0.7. */
function titleScore(title: IndexedTitle, wanted: readonly string[], phrase: string): number {
  if (title.joined === phrase || title.bare === phrase) return 1;
  if (title.joined.startsWith(phrase) || title.bare.startsWith(phrase)) return 0.9;
  if (title.joined.includes(phrase)) return 0.8;
  const found = wanted.filter((word) => title.words.some((titleWord) => titleWord.startsWith(word))).length;
  return found === wanted.length ? 0.7 : 0;
}
