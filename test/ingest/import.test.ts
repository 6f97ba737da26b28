import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ingest, type IngestSources } from '../../src/ingest/ingest.js';
import { TMDB_MOVIE_ID_OFFSET } from '../../src/ingest/merge.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { dumpStore } from '../support/dump.js';
import { catalogLine, defaultFixture, writeFixture, type FixtureFiles } from '../support/fixtures.js';
import { STORE_TARGETS, type StoreTarget } from '../support/stores.js';

async function withFreshStore<T>(target: StoreTarget, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(await target.freshTarget());
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Changes one file of the default fixture. */
function badFixture(change: (files: FixtureFiles) => void): FixtureFiles {
  const files = defaultFixture();
  change(files);
  return files;
}

const replaceLine = (text: string, index: number, line: string) =>
  text
    .split('\n')
    .map((l, i) => (i === index ? line : l))
    .join('\n');
const appendLine = (text: string, line: string) => `${text}\n${line}`;

describe.each(STORE_TARGETS)('ingest into $backend', (target) => {
  it('merges MovieLens, catalog, posters and TMDB-5000 into one catalog', async () => {
    const sources = writeFixture();
    await withFreshStore(target, async (store) => {
      const report = await ingest(store, sources);
      expect(report.warnings).toEqual([]);
      expect(report.summary).toEqual({
        movies: { inserted: 4, updated: 0, unchanged: 0 },
        users: { inserted: 3, updated: 0, unchanged: 0 },
        ratings: { inserted: 6, updated: 0, unchanged: 0 },
        tags: { inserted: 2, updated: 0, unchanged: 0 },
      });
      const movies = new Map((await store.listMovies()).map((movie) => [movie.movieId, movie]));
      expect(movies.get(1)).toEqual({
        movieId: 1,
        title: 'Toy Story (1995)',
        year: 1995,
        genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
        overview: 'Toys come to life.',
        tagline: 'To infinity!',
        keywords: ['toy', 'friendship'],
        cast: ['Tom Hanks', 'Tim Allen'],
        directors: ['John Lasseter'],
        releaseDate: '1995-10-30',
        runtime: 81,
        language: 'en',
        imdbId: '0114709',
        tmdbId: 862,
        poster: '1.png',
      });
      expect(await store.readSettings()).toEqual({ postersRoot: sources.posters });
      // TMDB fills the gaps of the linked movie and never overrides what the catalog says.
      expect(movies.get(2)).toMatchObject({
        tagline: 'A Los Angeles crime saga',
        keywords: ['robbery', 'los angeles'],
        overview: 'A heist.',
        genres: ['Action', 'Crime', 'Thriller'],
      });
      expect(movies.get(3)).toMatchObject({ title: 'Obscure Film (2001)', year: 2001, genres: [], overview: null, poster: null, tmdbId: null });
      expect(movies.get(TMDB_MOVIE_ID_OFFSET + 19995)).toMatchObject({ title: 'Avatar (2009)', tmdbId: 19995, genres: ['Sci-Fi', 'Children'], runtime: 162 });
      expect(await store.listUsers()).toEqual([1, 2, 3]);
      expect(await store.listRatings()).toContainEqual({ userId: 2, movieId: 3, rating: 0.5, timestamp: 964983815 });
      expect(await store.listTags()).toContainEqual({ userId: 3, movieId: 2, tag: 'heist, classic', timestamp: 1445714996 });
    });
  });

  it('is idempotent: a second identical run changes nothing', async () => {
    const sources = writeFixture();
    await withFreshStore(target, async (store) => {
      await ingest(store, sources);
      const before = await dumpStore(store);
      const again = await ingest(store, sources);
      expect(again.summary).toEqual({
        movies: { inserted: 0, updated: 0, unchanged: 4 },
        users: { inserted: 0, updated: 0, unchanged: 3 },
        ratings: { inserted: 0, updated: 0, unchanged: 6 },
        tags: { inserted: 0, updated: 0, unchanged: 2 },
      });
      expect(await dumpStore(store)).toEqual(before);
    });
  });

  it('updates a changed row in place instead of duplicating it', async () => {
    const sources = writeFixture();
    await withFreshStore(target, async (store) => {
      await ingest(store, sources);
      const ratingsPath = join(sources.movielens!, 'ratings.csv');
      const moviesPath = join(sources.movielens!, 'movies.csv');
      writeFileSync(ratingsPath, replaceLine(readFileSync(ratingsPath, 'utf8'), 1, '1,1,2.5,964999999'));
      writeFileSync(moviesPath, replaceLine(readFileSync(moviesPath, 'utf8'), 3, '3,Obscure Film: Director’s Cut (2001),Drama'));
      const report = await ingest(store, sources);
      expect(report.summary.ratings).toEqual({ inserted: 0, updated: 1, unchanged: 5 });
      expect(report.summary.movies).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
      const ratings = (await store.listRatings()).filter((r) => r.userId === 1 && r.movieId === 1);
      expect(ratings).toEqual([{ userId: 1, movieId: 1, rating: 2.5, timestamp: 964999999 }]);
      expect((await store.getMovies([3]))[0]).toMatchObject({ title: 'Obscure Film: Director’s Cut (2001)', genres: ['Drama'] });
    });
  });

  it('keeps fields that no source of the run knows, such as posters, and accepts ratings for stored movies', async () => {
    const full = writeFixture();
    const ratingsOnly = writeFixture(
      badFixture((files) => {
        files.movies = files.movies.split('\n').slice(0, 2).join('\n'); // only movie 1; ratings still name 2 and 3
      }),
    );
    await withFreshStore(target, async (store) => {
      await ingest(store, full);
      const before = await dumpStore(store);
      const report = await ingest(store, { movielens: ratingsOnly.movielens });
      expect(report.summary.movies).toEqual({ inserted: 0, updated: 0, unchanged: 3 }); // movie 1, and 2 and 3 from links.csv
      expect(await dumpStore(store)).toEqual(before);
    });
  });

  it('overrides a TMDB-only movie from its row on re-import, keeping what TMDB does not know (its poster)', async () => {
    const sources = writeFixture();
    const avatarId = TMDB_MOVIE_ID_OFFSET + 19995;
    writeFileSync(join(sources.posters!, `${avatarId}.png`), readFileSync(join(sources.posters!, '1.png')));
    await withFreshStore(target, async (store) => {
      await ingest(store, sources);
      writeFileSync(sources.tmdb5000!, readFileSync(sources.tmdb5000!, 'utf8').replace('"Pandora."', '"Pandora, revised."'));
      const report = await ingest(store, { tmdb5000: sources.tmdb5000 });
      expect(report.summary.movies).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
      expect((await store.getMovies([avatarId]))[0]).toMatchObject({ overview: 'Pandora, revised.', poster: `${avatarId}.png` });
    });
  });

  it('imports a corrupt poster as a warning with the path, keeping the movie without a poster', async () => {
    const sources = writeFixture();
    writeFileSync(join(sources.posters!, '2.png'), readFileSync(join(sources.posters!, '2.png')).subarray(0, 30));
    await withFreshStore(target, async (store) => {
      const report = await ingest(store, sources);
      expect(report.warnings).toEqual([
        {
          location: { file: join(sources.posters!, '2.png') },
          // The reason in parentheses is libvips' own wording.
          message: expect.stringMatching(/^corrupt poster: the image does not decode \(.+\); movie 2 is imported without a poster$/) as string,
        },
      ]);
      expect((await store.getMovies([2]))[0]).toMatchObject({ movieId: 2, title: 'Heat, the Movie (1995)', poster: null });
      expect(report.summary.movies.inserted).toBe(4);
    });
  });

  const ratingsFile = (sources: IngestSources) => join(sources.movielens!, 'ratings.csv');
  const moviesFile = (sources: IngestSources) => join(sources.movielens!, 'movies.csv');
  const tagsFile = (sources: IngestSources) => join(sources.movielens!, 'tags.csv');

  /** Each bad input: the error names file, line and field, and the store is exactly as before. */
  const badInputs: { name: string; files?: FixtureFiles; prepare?: (sources: IngestSources) => void; message: (sources: IngestSources) => string | RegExp }[] = [
    {
      name: 'malformed CSV row',
      files: badFixture((f) => (f.ratings = appendLine(f.ratings, '3,3,"4.0,964982931'))),
      message: (s) => new RegExp(`^${ratingsFile(s)}:8: malformed CSV: Quote Not Closed`),
    },
    {
      name: 'wrong column count',
      files: badFixture((f) => (f.ratings = replaceLine(f.ratings, 4, '2,3,0.5'))),
      message: (s) => `${ratingsFile(s)}:5: expected 4 columns (userId,movieId,rating,timestamp), got 3`,
    },
    {
      name: 'rating outside 0.5–5.0',
      files: badFixture((f) => (f.ratings = replaceLine(f.ratings, 2, '1,2,6.0,964981247'))),
      message: (s) => `${ratingsFile(s)}:3 (field "rating"): expected a rating from 0.5 to 5 in steps of 0.5, got "6.0"`,
    },
    {
      name: 'rating not a multiple of 0.5',
      files: badFixture((f) => (f.ratings = replaceLine(f.ratings, 2, '1,2,3.7,964981247'))),
      message: (s) => `${ratingsFile(s)}:3 (field "rating"): expected a rating from 0.5 to 5 in steps of 0.5, got "3.7"`,
    },
    {
      name: 'non-numeric movieId',
      files: badFixture((f) => (f.movies = replaceLine(f.movies, 2, 'two,Heat (1995),Action'))),
      message: (s) => `${moviesFile(s)}:3 (field "movieId"): expected a positive integer id, got "two"`,
    },
    {
      name: 'non-numeric userId',
      files: badFixture((f) => (f.ratings = replaceLine(f.ratings, 6, 'u3,1,4.5,964982400'))),
      message: (s) => `${ratingsFile(s)}:7 (field "userId"): expected a positive integer id, got "u3"`,
    },
    {
      name: 'rating for a movieId not in the catalog',
      files: badFixture((f) => (f.ratings = appendLine(f.ratings, '3,404,4.0,964982931'))),
      message: (s) => `${ratingsFile(s)}:8 (field "movieId"): movieId 404 is not in the catalog: expected a movie from movies.csv or the catalog`,
    },
    {
      name: 'duplicate movieId with conflicting data in one file',
      files: badFixture((f) => (f.movies = appendLine(f.movies, '2,Cold (1995),Drama'))),
      message: (s) => `${moviesFile(s)}:5 (field "title"): conflicting data for movieId 2: "Cold (1995)" here, "Heat, the Movie (1995)" at ${moviesFile(s)}:3`,
    },
    {
      name: 'duplicate movieId with conflicting data across sources',
      files: badFixture((f) => (f.catalog[1] = catalogLine({ movieId: 2, title: 'Heat (1995)', genres: ['Action'] }))),
      message: (s) => `${s.catalog}:2 (field "title"): conflicting data for movieId 2: "Heat (1995)" here, "Heat, the Movie (1995)" at ${moviesFile(s)}:3`,
    },
    {
      name: 'invalid JSON line',
      files: badFixture((f) => (f.catalog[1] = '{"movieId": 2, "title": "Heat"')),
      message: (s) => new RegExp(`^${s.catalog}:2: invalid JSON: `),
    },
    {
      name: 'missing required file',
      prepare: (s) => rmSync(ratingsFile(s)),
      message: (s) => `${ratingsFile(s)}: file not found`,
    },
    {
      name: 'duplicate tag (the same text, not just the same user and movie)',
      files: badFixture((f) => (f.tags = appendLine(appendLine(f.tags!, '2,1,Pixar,1445714999'), '2,1,pixar,1445714999'))),
      message: (s) => `${tagsFile(s)}:5: duplicate tag for userId 2 and movieId 1, also at ${tagsFile(s)}:2`,
    },
    {
      name: 'duplicate rating for one user and movie',
      files: badFixture((f) => (f.ratings = appendLine(f.ratings, '1,1,3.0,964982999'))),
      message: (s) => `${ratingsFile(s)}:8: duplicate rating for userId 1 and movieId 1, also at ${ratingsFile(s)}:2`,
    },
  ];

  it.each(badInputs)('rejects $name with a located error and leaves the store unchanged', async ({ files, prepare, message }) => {
    const good = writeFixture();
    const bad = writeFixture(files ?? defaultFixture());
    prepare?.(bad);
    await withFreshStore(target, async (store) => {
      await ingest(store, good);
      const before = await dumpStore(store);
      const failure = ingest(store, bad);
      await expect(failure).rejects.toBeInstanceOf(InputError);
      await expect(failure).rejects.toThrow(message(bad));
      expect(await dumpStore(store)).toEqual(before);
    });
  });
});
