import { describe, expect, it } from 'vitest';
import { EMPTY_MOVIE, type Movie } from '../../src/domain.js';
import { composeMovieText } from '../../src/encode/compose.js';

const bare: Movie = { ...EMPTY_MOVIE, movieId: 1, title: 'Toy Story (1995)', year: 1995 };

describe('composeMovieText', () => {
  it('writes every field of a full movie as a sentence, in order, cast in billing order', () => {
    const movie: Movie = {
      ...bare,
      genres: ['Adventure', 'Animation', 'Comedy'],
      tagline: 'Hang on for the comedy that goes to infinity and beyond!',
      overview: "Led by Woody, Andy's toys live happily in his room.\nUntil Buzz arrives",
      keywords: ['toy', 'rivalry'],
      directors: ['John Lasseter'],
      cast: ['Tom Hanks', 'Tim Allen', 'Don Rickles'],
    };
    expect(composeMovieText(movie)).toBe(
      'Toy Story (1995). Genres: Adventure, Animation, Comedy. Hang on for the comedy that goes to infinity and beyond! ' +
        "Led by Woody, Andy's toys live happily in his room. Until Buzz arrives. Keywords: toy, rivalry. " +
        'Directed by John Lasseter. Starring Tom Hanks, Tim Allen and Don Rickles.',
    );
  });

  it('leaves out what is unknown, with no empty or undefined sentences', () => {
    expect(composeMovieText(bare)).toBe('Toy Story (1995).');
    const sparse = composeMovieText({ ...bare, overview: '   ', directors: ['Lana Wachowski', 'Lilly Wachowski'], cast: ['Keanu Reeves'] });
    expect(sparse).toBe('Toy Story (1995). Directed by Lana Wachowski and Lilly Wachowski. Starring Keanu Reeves.');
    expect(sparse).not.toMatch(/undefined|null|\.\s*\.|: \./);
  });

  it('adds the year to a title that does not carry it, and never twice', () => {
    expect(composeMovieText({ ...bare, title: 'Avatar', year: 2009 })).toBe('Avatar (2009).');
    expect(composeMovieText({ ...bare, title: 'Avatar', year: null })).toBe('Avatar.');
    expect(composeMovieText({ ...bare, title: 'Heat (1995)', year: 1995 })).toBe('Heat (1995).');
  });

  it('keeps the punctuation a tagline or overview ends with', () => {
    expect(composeMovieText({ ...bare, tagline: 'Who ya gonna call?', overview: 'He said "run."' })).toBe('Toy Story (1995). Who ya gonna call? He said "run."');
  });
});
