import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveShape, writeSyntheticMovieLens } from '../../bench/support/synthetic-movielens.js';
import { ingest } from '../../src/ingest/ingest.js';
import { interactionCount } from '../../src/interactions.js';
import type { Progress } from '../../src/progress.js';
import { openStore } from '../../src/store/open.js';
import { closing, STORE_TARGETS } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

/** More ratings than a spread into push() could take (it overflowed the stack at about 125k). */
const SHAPE = { ratings: 300_000, seed: 7 };

/** The data rows of a generated CSV file, split naively: the generator writes no quotes in these files. */
const csvRows = (path: string) =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

/** A Progress that records the ticks of each bar. */
function recordingProgress(): { progress: Progress; ticks: Map<string, { total: number; ticks: number[] }> } {
  const ticks = new Map<string, { total: number; ticks: number[] }>();
  const progress: Progress = (label, total) => {
    const bar = { total, ticks: [] as number[] };
    ticks.set(label, bar);
    return { tick: (count = 1) => bar.ticks.push(count), done: () => undefined };
  };
  return { progress, ticks };
}

describe.each(STORE_TARGETS)('a synthetic MovieLens directory of 300k ratings in $backend', (target) => {
  it('imports every rating in chunks, then reads them back as columns in (user, time, movie) order', async () => {
    const dir = join(tempDir(), 'ml');
    await writeSyntheticMovieLens(dir, SHAPE);
    const ratings = csvRows(join(dir, 'ratings.csv'));
    const { users, movies } = resolveShape(SHAPE);
    expect(ratings).toHaveLength(SHAPE.ratings);

    await closing(openStore(await target.freshTarget()), async (store) => {
      const { progress, ticks } = recordingProgress();
      const report = await ingest(store, { movielens: dir }, progress);
      expect(report.summary.ratings).toEqual({ inserted: SHAPE.ratings, updated: 0, unchanged: 0 });
      expect(report.summary.users.inserted).toBe(users);
      expect(await store.stats()).toMatchObject({ movies, users, ratings: SHAPE.ratings, tags: csvRows(join(dir, 'tags.csv')).length });
      // Both bars move as the work goes: reading by KiB of input, writing by chunk of rows.
      const reading = ticks.get('reading (KiB)')!;
      expect(reading.ticks.reduce((sum, count) => sum + count, 0)).toBe(reading.total);
      expect(reading.ticks.length).toBeGreaterThan(10);
      const writing = ticks.get('writing')!;
      expect(writing.ticks.reduce((sum, count) => sum + count, 0)).toBe(writing.total);
      expect(writing.ticks.length).toBeGreaterThan(SHAPE.ratings / 20_000);

      // The generator writes each user's ratings in time order, so the file order is the read order.
      const read = await store.readInteractions();
      expect(interactionCount(read)).toBe(SHAPE.ratings);
      for (const row of [0, 1, 4_321, 150_000, SHAPE.ratings - 1]) {
        const [userId, movieId, rating, timestamp] = ratings[row]!.map(Number);
        expect([read.users[row], read.movies[row], read.ratings[row], read.timestamps[row]]).toEqual([userId, movieId, rating, timestamp]);
      }
      expect(Array.from(read.users)).toEqual(ratings.map(([userId]) => Number(userId)));
      expect(Array.from(read.timestamps)).toEqual(ratings.map(([, , , timestamp]) => Number(timestamp)));

      const again = await ingest(store, { movielens: dir });
      expect(again.summary.ratings).toEqual({ inserted: 0, updated: 0, unchanged: SHAPE.ratings });
    });
  });
});
