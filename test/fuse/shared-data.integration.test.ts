/**
 * The fuse and profile stages end to end on the real ml-latest-small catalog and ratings: text vectors from the
 * built-in tfidf-svd encoder (the pretrained models are exercised by the encode tests and test/profile/text-taste;
 * this keeps CI short), every task non-empty, the spaces written, a DNA that groups genres better than its inputs on
 * movies it never trained on; then the taste updater trained on every user and `recommend` from each kind of taste.
 * The second test continues on the store the first one builds.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import type { SpaceQuality } from '../../src/eval/embedding-quality.js';
import type { FuseReport } from '../../src/fuse/stage.js';
import type { ProfileReport } from '../../src/profile/stage.js';
import { DNA_SPACE } from '../../src/fuse/dna.js';
import { ExactIndex } from '../../src/index/exact.js';
import { HnswIndex } from '../../src/index/hnsw.js';
import { indexDir } from '../../src/index/stage.js';
import type { Explanation } from '../../src/recommend/explain.js';
import { ingest } from '../../src/ingest/ingest.js';
import { runCli } from '../support/cli.js';
import { sharedData } from '../support/paths.js';
import { fileTempDir } from '../support/tmp.js';

describe('train fusion and the taste updater on the shared ml-latest-small', () => {
  const storeDir = fileTempDir();
  const db = () => join(storeDir(), 'films.db');

  it('trains every task on real pairs and beats its inputs on genre neighbours of held-out movies', { timeout: 600_000 }, async () => {
    await withStore(db(), { create: true }, (store) =>
      ingest(store, { movielens: sharedData('ml-latest-small'), catalog: sharedData('catalog', 'ml-latest-small.jsonl') }),
    );
    const encode = await runCli(['encode', '--db', db(), '--text', 'tfidf-svd', '--image', 'none']);
    expect(encode.status).toBe(0);

    const train = await runCli(['train', 'fusion', '--db', db(), '--epochs', '3', '--json']);
    expect(train.status).toBe(0);
    const report = JSON.parse(train.stdout) as FuseReport;
    expect(report.tasks.map((task) => task.name)).toEqual(['genre', 'director', 'cast', 'keywords', 'corated']);
    // Real pairs for every task: the catalog's list-valued fields are parsed, and the ratings give co-liked movies.
    for (const task of report.tasks) {
      expect(task.anchors, task.name).toBeGreaterThan(1000);
      expect(task.testAccuracy, task.name).toBeGreaterThan(0.6);
    }
    expect(report.spaces).toEqual([
      { space: 'movie/dna/fusion', movies: 9740, written: true },
      { space: 'movie/fixed/pca-weighted', movies: 9740, written: true },
    ]);

    const quality = await runCli(['embed-quality', '--db', db(), '--json']);
    expect(quality.status).toBe(0);
    const spaces = Object.fromEntries((JSON.parse(quality.stdout) as { spaces: SpaceQuality[] }).spaces.map((space) => [space.name, space]));
    const dna = spaces['movie/dna/fusion']!;
    expect(dna.queries).toBe('held-out');
    expect(dna.genrePrecision10).toBeGreaterThan(spaces['movie/text/tfidf-svd']!.genrePrecision10);
    expect(dna.genrePrecision10).toBeGreaterThan(spaces['movie/fixed/pca-weighted']!.genrePrecision10);
  });

  it(
    'trains the updater past the moving average, indexes the real DNA, then recommends from a user, favourites, one rating and a sentence',
    { timeout: 600_000 },
    async () => {
      const trainUpdater = () => runCli(['train', 'updater', '--db', db(), '--epochs', '2', '--json']);
      const trained = await trainUpdater();
      expect(trained.stderr).toMatch(/^updater epoch 0: untrained \(moving average\) \| validation next-liked hit rate@10 0\.\d{4}$/m);
      expect(trained.status).toBe(0);
      const report = JSON.parse(trained.stdout) as ProfileReport;
      expect(report).toMatchObject({ trained: true, space: 'movie/dna/fusion' });
      expect(report.users + report.validationUsers).toBe(610);
      expect(report.examples).toBeGreaterThan(30_000);
      // Trained on the other users, the updater predicts held-out users' next liked movie better than where it started.
      expect(report.epochs).toHaveLength(3);
      expect(report.epochs[report.bestEpoch]!.validationHitRate).toBeGreaterThan(report.epochs[0]!.validationHitRate);
      expect(JSON.parse((await trainUpdater()).stdout)).toMatchObject({ trained: false, epochs: report.epochs });

      // The ANN index over the real DNA finds what an exact scan finds: recall@100 over 300 movies' own neighbours.
      const index = await runCli(['index', '--db', db(), '--json']);
      expect(index.status, index.stderr).toBe(0);
      expect(JSON.parse(index.stdout)).toMatchObject({ built: true, movies: 9740 });
      const dna = (await withStore(db(), { create: false }, (store) => store.readVectors(DNA_SPACE)))!;
      const ann = await HnswIndex.load(indexDir(join(storeDir(), 'films.artifacts')));
      const exact = new ExactIndex(dna.ids, dna.vectors, dna.space.dim);
      let found = 0;
      for (let row = 0; row < dna.ids.length; row += 33) {
        const query = dna.vectors.subarray(row * dna.space.dim, (row + 1) * dna.space.dim);
        const truth = new Set((await exact.nearest(query, 100)).map((neighbour) => neighbour.id));
        found += ann.search(query, 100).filter((neighbour) => truth.has(neighbour.id)).length;
      }
      expect(found / (100 * Math.ceil(dna.ids.length / 33))).toBeGreaterThanOrEqual(0.98);
      expect((await runCli(['train', 'cf', '--db', db()])).status).toBe(0);
      const ranker = await runCli(['train', 'ranker', '--db', db(), '--epochs', '1', '--json']);
      expect(ranker.status, ranker.stderr).toBe(0);
      const { metrics } = JSON.parse(ranker.stdout) as { metrics: { blend: { lossStart: number; lossEnd: number }; validation: { queries: number } } };
      expect(metrics.validation.queries).toBeGreaterThan(400);
      expect(metrics.blend.lossEnd).toBeLessThan(metrics.blend.lossStart);

      const { movies, ratings } = await withStore(db(), { create: false }, async (store) => ({ movies: await store.listMovies(), ratings: await store.listRatings() }));
      const genresOf = new Map(movies.map((movie) => [movie.movieId, movie.genres]));
      const recommend = async (...args: string[]) => {
        const result = await runCli(['recommend', '--db', db(), '--json', ...args]);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        return (JSON.parse(result.stdout) as { items: { movieId: number; title: string; score: number }[] }).items;
      };

      const rated = new Set(ratings.filter((rating) => rating.userId === 1).map((rating) => rating.movieId));
      for (const profile of ['updater', 'weighted']) {
        const items = await recommend('--user', '1', '--profile', profile);
        expect(items).toHaveLength(10);
        expect(items.filter((item) => rated.has(item.movieId))).toEqual([]);
        for (let i = 1; i < items.length; i++) expect(items[i]!.score).toBeLessThanOrEqual(items[i - 1]!.score);
      }
      // Toy Story and Toy Story 2 as favourites bring Toy Story 3.
      expect((await recommend('--favorites', '1,3114')).map((item) => item.movieId)).toContain(78499);
      const oneRating = await recommend('--ratings', '318=5', '--n', '5');
      expect(oneRating).toHaveLength(5);
      expect(oneRating.map((item) => item.movieId)).not.toContain(318);
      const filtered = await recommend('--user', '1', '--genres', 'Horror', '--year-from', '2000', '--lambda', '0.7');
      expect(filtered.every((item) => genresOf.get(item.movieId)!.includes('Horror') && movies.find((movie) => movie.movieId === item.movieId)!.year! >= 2000)).toBe(
        true,
      );

      const similar = await runCli(['similar', '--db', db(), '--movie', '1', '--json']);
      expect(similar.status, similar.stderr).toBe(0);
      expect((JSON.parse(similar.stdout) as { items: { movieId: number }[] }).items.map((item) => item.movieId)).toContain(3114);
      const explain = await runCli(['explain', '--db', db(), '--user', '1', '--movie', String((await recommend('--user', '1'))[0]!.movieId), '--json']);
      expect(explain.status, explain.stderr).toBe(0);
      const explanation = JSON.parse(explain.stdout) as Explanation;
      expect(explanation.pulledBy.length).toBeGreaterThan(0);
      expect(explanation.pulledBy.every((pull) => rated.has(pull.movieId))).toBe(true);
      expect(explanation.modalities!.text + explanation.modalities!.poster).toBeCloseTo(1, 6);

      // A sentence's top 20 is dominated by the genres it names: each named group fills three quarters of the list, or
      // three times its share of the catalog when that is less (Romance is 16% of the catalog).
      const QUERIES: Record<string, string[][]> = {
        'animated family adventure': [['Animation', 'Children']],
        'gritty crime thriller': [['Crime', 'Thriller']],
        'romantic comedy': [['Comedy'], ['Romance']],
      };
      const share = (ids: number[], genres: string[]) => ids.filter((id) => genresOf.get(id)!.some((genre) => genres.includes(genre))).length / ids.length;
      for (const [query, groups] of Object.entries(QUERIES)) {
        const ids = (await recommend('--text', query, '--n', '20')).map((item) => item.movieId);
        expect(ids).toHaveLength(20);
        for (const genres of groups)
          expect(share(ids, genres), `${query}: ${genres.join(' or ')}`).toBeGreaterThanOrEqual(Math.min(0.75, 3 * share([...genresOf.keys()], genres)));
      }

      const bad = await runCli(['recommend', '--db', db(), '--user', '999999']);
      expect([bad.status, bad.stderr]).toEqual([1, 'error: no user 999999 in the store: expected a user id from the ratings, or a taste from favourites or text\n']);
      const both = await runCli(['recommend', '--db', db(), '--user', '1', '--text', 'space opera']);
      expect(both.status).toBe(1);
      expect(both.stderr).toMatch(/expected exactly one of --user, --favorites, --ratings and --text/);
      const typo = await runCli(['recommend', '--db', db(), '--ratings', '318=6']);
      expect(typo.stderr).toMatch(/field "--ratings".*expected a rating from 0.5 to 5 in steps of 0.5/);
    },
  );
});
