import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { datasetSources } from '../../src/pipeline.js';
import { openStore } from '../../src/store/open.js';
import { sharedData } from '../support/paths.js';
import { STORE_TARGETS } from '../support/stores.js';

describe.each(STORE_TARGETS)('the shared ml-latest-small data in $backend', (target) => {
  it('imports with the exact counts and coverage, and a re-import changes nothing', async () => {
    const store = await openStore(await target.freshTarget());
    try {
      const sources = datasetSources(sharedData(), 'ml-latest-small');
      const first = await ingest(store, sources);
      expect(first.warnings).toEqual([]);
      expect(first.notes).toEqual([]);
      expect(await store.stats()).toEqual({
        movies: 9742,
        users: 610,
        ratings: 100836,
        tags: 3683,
        coverage: { overview: 9613, tagline: 8052, keywords: 8682, cast: 9578, directors: 6597, poster: 9520 },
      });

      const second = await ingest(store, sources);
      expect(second.summary).toEqual({
        movies: { inserted: 0, updated: 0, unchanged: 9742 },
        users: { inserted: 0, updated: 0, unchanged: 610 },
        ratings: { inserted: 0, updated: 0, unchanged: 100836 },
        tags: { inserted: 0, updated: 0, unchanged: 3683 },
      });

      // Known oddity of the data: two movies share one TMDB id; both stay, each with its own ratings.
      const shared = await store.moviesByTmdbIds([4912]);
      expect(shared.map((movie) => movie.movieId).sort((a, b) => a - b)).toEqual([6003, 144606]);
      const [toyStory] = await store.getMovies([1]);
      expect(toyStory).toMatchObject({
        title: 'Toy Story (1995)',
        directors: ['John Lasseter'],
        cast: ['Tom Hanks', 'Tim Allen', 'Don Rickles', 'Jim Varney', 'Wallace Shawn'],
      });
      expect(toyStory!.poster).toBe('1.jpg');
      expect(await store.readSettings()).toEqual({ postersRoot: sources.posters });
    } finally {
      await store.close();
    }
  });

  it('adds TMDB-5000 movies without ratings as catalog movies and fills gaps of linked ones', async () => {
    const store = await openStore(await target.freshTarget());
    try {
      const sources = datasetSources(sharedData(), 'ml-latest-small');
      await ingest(store, sources);
      const report = await ingest(store, { tmdb5000: sharedData('tmdb-5000', 'tmdb_5000_movies.csv') });
      const stats = await store.stats();
      expect(stats.movies).toBe(9742 + report.summary.movies.inserted);
      expect(report.summary.movies.inserted).toBeGreaterThan(1000);
      expect(report.summary.movies.updated).toBeGreaterThan(0);
      expect(stats.ratings).toBe(100836);
      const again = await ingest(store, { tmdb5000: sharedData('tmdb-5000', 'tmdb_5000_movies.csv') });
      expect(again.summary.movies.inserted + again.summary.movies.updated).toBe(0);
    } finally {
      await store.close();
    }
  });
});
