/**
 * The one text a text encoder reads for a movie: what it is called, what kind of film it is, what it is about and who
 * made it, as plain sentences. The most telling fields come first, because a sentence encoder truncates long texts.
 */
import type { Movie } from '../domain.js';

/**
 * `Toy Story (1995). Genres: Adventure, Animation. Tagline. Overview. Keywords: toy, rivalry. Directed by John
 * Lasseter. Starring Tom Hanks and Tim Allen.`: a field that is unknown is left out with its sentence.
 */
export function composeMovieText(movie: Movie): string {
  const sentences = [
    titleWithYear(movie),
    labelledList('Genres', movie.genres),
    movie.tagline,
    movie.overview,
    labelledList('Keywords', movie.keywords),
    prefixedList('Directed by', movie.directors),
    prefixedList('Starring', movie.cast),
  ];
  return sentences
    .map((sentence) => (sentence ? asSentence(sentence) : ''))
    .filter((sentence) => sentence !== '')
    .join(' ');
}

/** MovieLens titles carry their year already; a title from elsewhere gets it added when it is known. */
function titleWithYear({ title, year }: Movie): string {
  return year === null || /\(\d{4}\)\s*$/.test(title) ? title : `${title} (${year})`;
}

function labelledList(label: string, items: readonly string[]): string | null {
  return items.length === 0 ? null : `${label}: ${items.join(', ')}`;
}

function prefixedList(prefix: string, names: readonly string[]): string | null {
  return names.length === 0 ? null : `${prefix} ${joinNames(names)}`;
}

/** `A`, `A and B`, `A, B and C`. */
function joinNames(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/** One line with a closing full stop, unless the field already ends a sentence (`…beyond!`, `…"`). */
function asSentence(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return '';
  return /[.!?…"'”’]$/.test(line) ? line : `${line}.`;
}
