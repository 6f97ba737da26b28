/**
 * The recommendation service on a real store (SQLite and PostgreSQL): the stages fitted by their own stage functions
 * on a small synthetic catalog (random DNA), then every call users make.
 */
import { describe, expect, it } from 'vitest';
import { fitCollaborative } from '../../src/cf/stage.js';
import { RANKER_DEFAULTS, trainProductionRanker } from '../../src/rank/stage.js';
import type { Movie } from '../../src/domain.js';
import { NotFoundError } from '../../src/errors.js';
import { DNA_SPACE } from '../../src/fuse/dna.js';
import { indexCatalog } from '../../src/index/stage.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { silentProgress } from '../../src/progress.js';
import { trainProfiles } from '../../src/profile/stage.js';
import { UPDATER_DEFAULTS } from '../../src/profile/train-updater.js';
import { RecommendationService } from '../../src/recommend/service.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { randomVectors } from '../support/datasets.js';
import { closing, STORE_TARGETS } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';
import { syntheticData } from '../eval/synthetic.js';

const DIM = 8;

/** A store with the synthetic catalog, ratings and a random DNA, and every stage the service loads fitted on it. */
async function servedStore(store: Store, artifacts: string): Promise<{ movies: Movie[] }> {
  const { movies, ratings } = syntheticData({ users: 30, movies: 80 });
  await store.importDataset({ movies, users: [...new Set(ratings.map((rating) => rating.userId))], ratings: interactionsFromRatings(ratings), tags: [] });
  const ids = movies.map((movie) => movie.movieId);
  await store.writeVectors({ ...DNA_SPACE, version: 'test', dim: DIM, trainedOn: null }, randomVectors(ids, DIM, 4));
  const params = { ...UPDATER_DEFAULTS, epochs: 1, hidden: 8, batch: 32, negatives: 16 };
  await trainProfiles(store, { artifacts, params, seed: 1, force: false }, silentProgress);
  await indexCatalog(store, { artifacts, force: false }, silentProgress);
  await fitCollaborative(store, { artifacts, seed: 1, force: false }, silentProgress);
  await trainProductionRanker(store, { artifacts, seed: 1, force: false, params: { ...RANKER_DEFAULTS, epochs: 2 } }, silentProgress);
  return { movies };
}

describe.each(STORE_TARGETS)('the recommendation service on $backend', (target) => {
  it('recommends unrated movies with aligned scores, honours filters, λ and not-interested, and explains', async () => {
    const db = await target.freshTarget();
    const artifacts = tempDir();
    await closing(openStore(db), async (store) => {
      const { movies } = await servedStore(store, artifacts);
      const genresOf = new Map(movies.map((movie) => [movie.movieId, movie.genres]));
      const service = await RecommendationService.open(store, { artifacts });
      const rated = new Set((await store.userRatings(3)).map((rating) => rating.movieId));

      const list = await service.recommend({ userId: 3 }, 10);
      expect(list).toHaveLength(10);
      expect(list.filter((item) => rated.has(item.movieId))).toEqual([]);
      // λ = 1: relevance order. With the taste scorer, each relevance is that movie's cosine to the user's taste.
      const taste = (await service.userTaste(3))!.vector;
      for (let i = 1; i < list.length; i++) expect(list[i]!.relevance).toBeLessThanOrEqual(list[i - 1]!.relevance);
      const tasteScored = await RecommendationService.open(store, { artifacts, scorer: 'taste' });
      const tasteList = await tasteScored.recommend({ userId: 3 }, 10);
      expect(tasteList.map((item) => item.movieId)).not.toEqual(list.map((item) => item.movieId));
      // A taste with no history behind it (a sentence, a vector) has nothing for the blend: both rank by taste cosine.
      expect(await service.recommend({ taste }, 10)).toEqual(await tasteScored.recommend({ taste }, 10));
      const dna = await store.readVectors(
        DNA_SPACE,
        tasteList.map((item) => item.movieId),
      );
      const cosineOf = new Map<number, number>();
      for (const item of tasteList) {
        const row = dna!.ids.indexOf(item.movieId);
        const vector = dna!.vectors.subarray(row * DIM, (row + 1) * DIM);
        const cosine = vector.reduce((sum, value, j) => sum + value * taste[j]!, 0) / Math.hypot(...vector);
        expect(item.relevance).toBeCloseTo(cosine, 5);
        cosineOf.set(item.movieId, cosine);
      }

      const comedies = await service.recommend({ userId: 3 }, 5, { filter: { genres: ['comedy'] } });
      expect(comedies.length).toBeGreaterThan(0);
      expect(comedies.every((item) => genresOf.get(item.movieId)!.includes('Comedy'))).toBe(true);
      expect((await service.recommend({ userId: 3 }, 5, { filter: { excludeGenres: ['Comedy'] } })).some((item) => genresOf.get(item.movieId)!.includes('Comedy'))).toBe(
        false,
      );
      const diverse = await service.recommend({ userId: 3 }, 10, { lambda: 0 });
      expect(diverse.map((item) => item.movieId)).not.toEqual(list.map((item) => item.movieId));
      expect(diverse[0]!.movieId).toBe(list[0]!.movieId);

      await service.markNotInterested(3, list[0]!.movieId);
      const after = await service.recommend({ userId: 3 }, 10);
      expect(after.map((item) => item.movieId)).not.toContain(list[0]!.movieId);
      expect(await store.notInterested(3)).toEqual([list[0]!.movieId]);

      const similar = await service.similar(list[1]!.movieId, 5);
      expect(similar).toHaveLength(5);
      expect(similar.map((item) => item.movieId)).not.toContain(list[1]!.movieId);

      const explanation = await service.explain(3, tasteList[1]!.movieId);
      expect(explanation.pulledBy.length).toBeGreaterThan(0);
      expect(explanation.pulledBy.every((pull) => rated.has(pull.movieId) && pull.contribution > 0)).toBe(true);
      expect(explanation.score).toBeCloseTo(cosineOf.get(tasteList[1]!.movieId)!, 5);
      // No fusion artifact here: the text vs poster split says it is not available rather than guessing.
      expect(explanation.modalities).toBeNull();
      await expect(service.explain(3, 99_999)).rejects.toThrow(new NotFoundError('no movie 99999 in the catalog'));
    });
  });

  it('writes a rating durably, moves the taste and the next list at once, and starts new users from one rating', async () => {
    const db = await target.freshTarget();
    const artifacts = tempDir();
    await closing(openStore(db), async (store) => {
      await servedStore(store, artifacts);
      const trainedOn = await store.listRatings();
      const service = await RecommendationService.open(store, { artifacts });
      const before = await service.recommend({ userId: 5 }, 10);
      const tasteBefore = (await service.userTaste(5))!;
      const top = before[0]!.movieId;
      const taste = await service.recordRating(5, top, 0.5);
      expect(taste.count).toBe(tasteBefore.count + 1);
      expect(Array.from(taste.vector)).not.toEqual(Array.from(tasteBefore.vector));
      const next = await service.recommend({ userId: 5 }, 10);
      expect(next.map((item) => item.movieId)).not.toContain(top);

      await expect(service.recordRating(5, 99_999, 4)).rejects.toThrow(new NotFoundError('no movie 99999 in the catalog'));
      await expect(service.recordRating(5, top, 4.2)).rejects.toThrow(/a rating must be from 0.5 to 5 in steps of 0.5, not 4.2/);

      const newcomer = await store.createUser();
      // Two services on one store, as two servers: each keeps the lists it computed, and a write through either
      // reaches the next list of both.
      const other = await RecommendationService.open(store, { artifacts });
      const kept = await service.recommend({ userId: 6 }, 5);
      expect(await service.recommend({ userId: 6 }, 5)).toBe(kept);
      await other.recordRating(6, kept[0]!.movieId, 0.5);
      expect((await service.recommend({ userId: 6 }, 5)).map((item) => item.movieId)).not.toContain(kept[0]!.movieId);
      await other.markNotInterested(6, kept[1]!.movieId);
      expect((await service.recommend({ userId: 6 }, 5)).map((item) => item.movieId)).not.toContain(kept[1]!.movieId);

      // No taste yet: the most rated movies, most first.
      const first = await service.recommend({ userId: newcomer }, 5);
      expect(first.map((item) => item.sources)).toEqual(Array(5).fill(['popularity']));
      const raters = (movieId: number) => trainedOn.filter((rating) => rating.movieId === movieId).length;
      for (let i = 1; i < 5; i++) expect(raters(first[i]!.movieId)).toBeLessThanOrEqual(raters(first[i - 1]!.movieId));
      await service.recordRating(newcomer, 1, 5);
      const second = await service.recommend({ userId: newcomer }, 5);
      expect(second).toHaveLength(5);
      expect(second.every((item) => !item.sources.includes('popularity') && item.movieId !== 1)).toBe(true);
      expect(await service.recommend({ favorites: [1, 2] }, 5)).toHaveLength(5);
      await expect(service.recommend({ taste: new Float32Array(3) }, 5)).rejects.toThrow(/a taste must have 8 dimensions, not 3/);
      await expect(service.recommend({ userId: 777 }, 5)).rejects.toThrow(
        new NotFoundError('no user 777 in the store: expected a user id from the ratings, or a taste from favourites or text'),
      );
    });
    // Acknowledged writes are there for the next process.
    await closing(openStore(db), async (store) => {
      expect((await store.userRatings(5)).find((rating) => rating.rating === 0.5 && rating.timestamp > 1_600_000_000)).toBeDefined();
    });
  });
});
