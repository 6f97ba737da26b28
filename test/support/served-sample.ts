/**
 * A small store served by the production stages: a seeded 4% sample of the real catalog (~400 movies, their real
 * posters), encoded by the real MiniLM and tfidf-svd, fused, with seeded ratings for the updater and the collaborative
 * models, indexed and ranked, all through the CLI. MiniLM encodes ~400 movies rather than 9,742, so CI stays short.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import type { Movie } from '../../src/domain.js';
import { ingest } from '../../src/ingest/ingest.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { seededRandom } from '../../src/math/random.js';
import { runCli } from './cli.js';
import { SHARED_DATA, sharedData } from './paths.js';
import { tempDir } from './tmp.js';

export interface ServedSample {
  /** The SQLite store; its artifacts are beside it (`<db>.artifacts`). */
  db: string;
  artifacts: string;
  models: string;
  movies: Movie[];
  users: number;
}

/** Builds the sample in `dir` (a fresh temporary directory by default). */
export async function servedSample(dir = tempDir()): Promise<ServedSample> {
  const catalog = await withStore(join(dir, 'catalog.db'), { create: true }, async (store) => {
    await ingest(store, { catalog: sharedData('catalog', 'ml-latest-small.jsonl') });
    return store.listMovies();
  });
  const random = seededRandom(5);
  const posters = sharedData('posters', 'ml-latest-small');
  const movies = catalog
    .filter(() => random() < 0.04)
    .map((movie) => ({ ...movie, poster: existsSync(join(posters, `${movie.movieId}.jpg`)) ? `${movie.movieId}.jpg` : null }));
  const db = join(dir, 'sample.db');
  const users = 30;
  // Seeded ratings, so the stages the service loads (updater, collaborative models, ranker) have something to fit.
  const ratings = Array.from({ length: users }, (_, user) =>
    Array.from({ length: 20 }, (_, i) => ({
      userId: user + 1,
      movieId: movies[(user * 7 + i * 13) % movies.length]!.movieId,
      rating: 1 + ((user + i) % 9) / 2,
      timestamp: i,
    })),
  ).flatMap((list) => [...new Map(list.map((rating) => [rating.movieId, rating])).values()]);
  await withStore(db, { create: true }, async (store) => {
    await store.importDataset({ movies, users: Array.from({ length: users }, (_, user) => user + 1), ratings: interactionsFromRatings(ratings), tags: [] });
    await store.writeSettings({ postersRoot: posters });
  });
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
  return { db, artifacts: db.replace(/\.db$/, '.artifacts'), models, movies, users };
}
