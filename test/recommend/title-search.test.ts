import { describe, expect, it } from 'vitest';
import { TitleSearch } from '../../src/recommend/title-search.js';

const titles = new TitleSearch([
  { movieId: 1, title: 'Matrix, The (1999)' },
  { movieId: 2, title: 'Matrix Reloaded, The (2003)' },
  { movieId: 3, title: 'Animatrix, The (2003)' },
  { movieId: 4, title: "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)" },
  { movieId: 5, title: 'Star Wars: Episode IV - A New Hope (1977)' },
  { movieId: 6, title: 'Godfather, The (1972)' },
  { movieId: 7, title: 'Godfather: Part II, The (1974)' },
]);
const ids = (query: string, limit = 10) => titles.search(query, limit).map((match) => match.movieId);

describe('title search', () => {
  it('finds the whole title first, with or without its article, year, case or accents', () => {
    expect(titles.search('the matrix', 3)[0]).toEqual({ movieId: 1, score: 1 });
    expect(titles.search('MATRIX', 3)[0]).toEqual({ movieId: 1, score: 1 });
    expect(ids('matrix')).toEqual([1, 2, 3]);
    expect(ids('godfather')).toEqual([6, 7]);
    expect(ids('amélie')[0]).toBe(4);
    expect(ids('fabuleux destin')).toEqual([4]);
  });

  it('takes words in any order and cut short, and finds nothing for words no title has', () => {
    expect(ids('new hope star')).toEqual([5]);
    expect(ids('star wa')).toEqual([5]);
    expect(ids('godfather part 2')).toEqual([]);
    expect(ids('   ')).toEqual([]);
    expect(ids('matrix', 1)).toEqual([1]);
  });
});
