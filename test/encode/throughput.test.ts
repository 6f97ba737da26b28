import { describe, expect, it } from 'vitest';
import { EMPTY_MOVIE, type Movie } from '../../src/domain.js';
import { modelSource } from '../../src/encode/models.js';
import { encoderThroughput } from '../../src/encode/throughput.js';
import { tempDir } from '../support/tmp.js';

const genres = [['Sci-Fi'], ['Crime'], ['Romance']];

describe('encoderThroughput', () => {
  it('reports items, seconds and items per second for the encoders asked for', async () => {
    const movies: Movie[] = Array.from({ length: 30 }, (_, i) => ({
      ...EMPTY_MOVIE,
      movieId: i + 1,
      title: `Film ${i} (2001)`,
      year: 2001,
      genres: genres[i % 3]!,
      overview: `A story of ${['rockets and planets', 'a heist and a gang', 'a wedding and a kiss'][i % 3]}.`,
    }));
    const figures = await encoderThroughput({ movies, posters: [], models: modelSource({ models: tempDir() }), encoders: ['tfidf-svd'] });
    expect(Object.keys(figures).sort()).toEqual(['tfidf-svd movies', 'tfidf-svd movies/s', 'tfidf-svd s']);
    expect(figures['tfidf-svd movies']).toBe(30);
    expect(figures['tfidf-svd movies/s']).toBeGreaterThan(0);
  });
});
