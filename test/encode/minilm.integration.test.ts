import { beforeAll, describe, expect, it } from 'vitest';
import { dot } from '../../src/math/vector.js';
import { composeMovieText } from '../../src/encode/compose.js';
import { textEncoder, type TextEncoder } from '../../src/encode/text.js';
import { allNearestRows } from '../../src/math/neighbours.js';
import { seededRandom } from '../../src/math/random.js';
import { join } from 'node:path';
import { withStore } from '../../src/cli/store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';
import { sharedModels } from './shared-models.js';

/** Largest |a[i] − b[i]| over one row of each. */
function rowDistance(a: Float32Array, aRow: number, b: Float32Array, bRow: number, dim: number): number {
  let worst = 0;
  for (let i = 0; i < dim; i++) worst = Math.max(worst, Math.abs(a[aRow * dim + i]! - b[bRow * dim + i]!));
  return worst;
}

describe('minilm on the shared model', () => {
  let encoder: TextEncoder;
  beforeAll(async () => {
    encoder = await textEncoder('minilm', { models: sharedModels() });
  });

  it('gives 384-d unit vectors that put a paraphrase closer than an unrelated sentence', async () => {
    expect([encoder.id, encoder.dim]).toEqual(['minilm', 384]);
    expect(encoder.version).toMatch(/^\d+\.[0-9a-f]{12}$/);
    const vectors = await encoder.encode(['A man is playing a guitar.', 'Someone plays the guitar.', 'The stock market fell sharply today.']);
    for (let row = 0; row < 3; row++) expect(dot(vectors, vectors, 384, row * 384, row * 384)).toBeCloseTo(1, 5);
    const paraphrase = dot(vectors, vectors, 384, 0, 384);
    expect(paraphrase).toBeGreaterThan(0.7);
    expect(paraphrase).toBeGreaterThan(dot(vectors, vectors, 384, 0, 768) + 0.5);
  });

  it('reads 256 tokens of a long text and no more', async () => {
    // "cat" and "dog" are one token each: 254 words + [CLS] + [SEP] fill the 256 tokens exactly.
    const words = Array.from({ length: 254 }, (_, i) => (i % 2 === 0 ? 'cat' : 'dog'));
    const full = words.join(' ');
    const lastWordChanged = [...words.slice(0, -1), 'airplane'].join(' ');
    const vectors = await encoder.encode([full, `${full} ${'rocket science and opera '.repeat(200)}`, lastWordChanged]);
    expect(rowDistance(vectors, 0, vectors, 1, 384)).toBeLessThan(1e-5);
    expect(rowDistance(vectors, 0, vectors, 2, 384)).toBeGreaterThan(1e-3);
  });

  it('returns rows in input order although it batches texts by length', async () => {
    const texts = ['short', 'a somewhat longer sentence about a heist', 'x', 'the longest text of all, about astronauts lost on a cold planet far from home', ''];
    const together = await encoder.encode(texts);
    for (const [row, text] of texts.entries()) expect(rowDistance(together, row, await encoder.encode([text]), 0, 384)).toBeLessThan(1e-4);
  });
});

describe('minilm on the real catalog', () => {
  it("puts Toy Story 2 among Toy Story's 10 nearest movies, out of 400 real ones", async () => {
    const movies = await withStore(join(tempDir(), 'catalog.db'), { create: true }, async (store) => {
      await ingest(store, { catalog: sharedData('catalog', 'ml-latest-small.jsonl') });
      return store.listMovies();
    });
    // The three Toy Stories and a seeded sample of the rest: the real MiniLM over real composed texts, kept small for CI.
    const random = seededRandom(3);
    const sample = movies.filter((movie) => [1, 3114, 78499].includes(movie.movieId) || random() < 0.04).slice(0, 400);
    const encoder = await textEncoder('minilm', { models: sharedModels() });
    const vectors = await encoder.encode(sample.map(composeMovieText));
    const toyStory = sample.findIndex((movie) => movie.movieId === 1);
    const nearest = Array.from(await allNearestRows(vectors, 384, 10)).slice(toyStory * 10, toyStory * 10 + 10);
    expect(nearest.map((row) => sample[row]!.movieId)).toContain(3114);
  });
});
