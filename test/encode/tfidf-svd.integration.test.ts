import { describe, expect, it } from 'vitest';
import { composeMovieText } from '../../src/encode/compose.js';
import { textEncoder } from '../../src/encode/text.js';
import { readCatalog } from '../../src/ingest/catalog.js';
import { mergeMovies } from '../../src/ingest/merge.js';
import { dot } from '../../src/math/vector.js';
import { topK } from '../../src/math/topk.js';
import { sharedData } from '../support/paths.js';

describe('tfidf-svd on the whole ml-latest-small catalog', () => {
  it('fits 256 dimensions whose nearest neighbours are the obvious ones', async () => {
    const movies = [...mergeMovies(readCatalog(sharedData('catalog', 'ml-latest-small.jsonl')), new Map()).values()];
    const texts = movies.map(composeMovieText);
    const encoder = await textEncoder('tfidf-svd', { corpus: texts });
    expect(encoder.dim).toBe(256);
    const vectors = await encoder.encode(texts);
    for (let row = 0; row < movies.length; row += 997) expect(dot(vectors, vectors, 256, row * 256, row * 256)).toBeCloseTo(1, 5);
    const nearest = (title: string) => {
      const row = movies.findIndex((movie) => movie.title === title);
      const scores = movies.map((_, other) => dot(vectors, vectors, 256, row * 256, other * 256));
      return Array.from(topK(scores, 4)).map((other) => movies[other]!.title);
    };
    expect(nearest('Toy Story (1995)').slice(1)).toContain('Toy Story 2 (1999)');
    expect(nearest('Godfather, The (1972)').slice(1)).toContain('Godfather: Part II, The (1974)');
  });
});
