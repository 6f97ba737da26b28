/**
 * A free-text taste through the production text path: the real MiniLM and tfidf-svd encode the sentence, the fusion's
 * text-only path maps it into the DNA. On a seeded 4% sample of the real catalog, so that MiniLM encodes ~400 movies
 * rather than 9,742 in CI; test/fuse/shared-data runs the same CLI on the whole catalog with tfidf-svd alone.
 */
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { seededRandom } from '../../src/math/random.js';
import { runCli } from '../support/cli.js';
import { SHARED_DATA, sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

describe('a free-text taste through MiniLM, tfidf-svd and the fusion text-only path', () => {
  it('fills the top of the list with the genres the sentence names, among ~400 real movies', { timeout: 600_000 }, async () => {
    const catalog = await withStore(join(tempDir(), 'catalog.db'), { create: true }, async (store) => {
      await ingest(store, { catalog: sharedData('catalog', 'ml-latest-small.jsonl') });
      return store.listMovies();
    });
    const random = seededRandom(5);
    const sample = catalog.filter(() => random() < 0.04);
    const db = join(tempDir(), 'sample.db');
    // Seeded ratings, so the stages the service loads (updater, collaborative models) have something to fit; the
    // sentence's taste does not read them.
    const ratings = Array.from({ length: 30 }, (_, user) =>
      Array.from({ length: 20 }, (_, i) => ({
        userId: user + 1,
        movieId: sample[(user * 7 + i * 13) % sample.length]!.movieId,
        rating: 1 + ((user + i) % 9) / 2,
        timestamp: i,
      })),
    ).flatMap((list) => [...new Map(list.map((rating) => [rating.movieId, rating])).values()]);
    await withStore(db, { create: true }, (store) =>
      store.importDataset({ movies: sample, users: Array.from({ length: 30 }, (_, user) => user + 1), ratings: interactionsFromRatings(ratings), tags: [] }),
    );
    const models = join(dirname(SHARED_DATA), 'models');
    const encode = await runCli(['encode', '--db', db, '--models', models, '--image', 'none', '--json']);
    expect(encode.status, encode.stderr).toBe(0);
    expect((JSON.parse(encode.stdout) as { spaces: { space: string }[] }).spaces.map((space) => space.space)).toEqual(['movie/text/minilm', 'movie/text/tfidf-svd']);
    const fusion = await runCli(['train', 'fusion', '--db', db, '--tasks', 'genre,keywords', '--epochs', '3', '--json']);
    expect(fusion.status, fusion.stderr).toBe(0);
    for (const stage of [['train', 'updater', '--epochs', '1'], ['index'], ['train', 'cf'], ['train', 'ranker', '--epochs', '1']]) {
      const result = await runCli([...stage, '--db', db]);
      expect(result.status, result.stderr).toBe(0);
    }

    const recommend = await runCli(['recommend', '--db', db, '--models', models, '--text', 'animated family adventure', '--n', '10', '--json']);
    expect([recommend.status, recommend.stderr]).toEqual([0, '']);
    const items = (JSON.parse(recommend.stdout) as { items: { genres: string[] }[] }).items;
    const family = (genres: string[]) => genres.some((genre) => genre === 'Animation' || genre === 'Children');
    const catalogShare = sample.filter((movie) => family(movie.genres)).length / sample.length;
    expect(catalogShare).toBeLessThan(0.15);
    expect(items.filter((item) => family(item.genres)).length / items.length).toBeGreaterThanOrEqual(0.6);

    // Without the model directory the sentence cannot be encoded: one line that says where the weights were looked for.
    const missing = await runCli(['recommend', '--db', db, '--models', tempDir(), '--text', 'space opera']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*minilm.*\n$/i);
  });
});
