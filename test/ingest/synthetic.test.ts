import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedSyntheticMovieLens, MIN_RATINGS_PER_USER, resolveShape, writeSyntheticMovieLens } from '../../bench/support/synthetic-movielens.js';
import { tempDir } from '../support/tmp.js';

const SHAPE = { ratings: 60_000, seed: 3 };

async function generate(shape = SHAPE): Promise<Record<'movies' | 'ratings' | 'links' | 'tags', string>> {
  const dir = tempDir();
  await writeSyntheticMovieLens(dir, shape);
  const read = (name: string) => readFileSync(join(dir, `${name}.csv`), 'utf8');
  return { movies: read('movies'), ratings: read('ratings'), links: read('links'), tags: read('tags') };
}

describe('synthetic MovieLens generator', () => {
  it('writes the MovieLens headers and formats, with the shape asked for', async () => {
    const files = await generate();
    const { users, movies } = resolveShape(SHAPE);
    expect(files.movies.split('\n')[0]).toBe('movieId,title,genres');
    expect(files.ratings.split('\n')[0]).toBe('userId,movieId,rating,timestamp');
    expect(files.links.split('\n')[0]).toBe('movieId,imdbId,tmdbId');
    expect(files.tags.split('\n')[0]).toBe('userId,movieId,tag,timestamp');
    expect(files.movies.trimEnd().split('\n')).toHaveLength(movies + 1);
    expect(files.movies).toMatch(/\n\d+,"Synthetic Movie \d+, The \(\d{4}\)",/);

    const rows = files.ratings
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows).toHaveLength(SHAPE.ratings);
    expect(new Set(rows.map(([, , rating]) => rating))).toEqual(new Set(['0.5', '1.0', '1.5', '2.0', '2.5', '3.0', '3.5', '4.0', '4.5', '5.0']));

    const byUser = new Map<string, { count: number; movies: Set<string>; last: number }>();
    let usersAscending = true;
    let previousUser = 0;
    for (const [user, movie, , timestamp] of rows) {
      usersAscending &&= Number(user) >= previousUser;
      previousUser = Number(user);
      const seen = byUser.get(user!) ?? { count: 0, movies: new Set(), last: 0 };
      expect(Number(timestamp)).toBeGreaterThan(seen.last);
      seen.last = Number(timestamp);
      seen.count++;
      seen.movies.add(movie!);
      byUser.set(user!, seen);
    }
    expect(usersAscending).toBe(true);
    expect(byUser.size).toBe(users);
    for (const { count, movies: rated } of byUser.values()) {
      expect(count).toBeGreaterThanOrEqual(MIN_RATINGS_PER_USER);
      expect(rated.size).toBe(count);
    }
  });

  it('is skewed like real data: a few movies and users take a large share', async () => {
    const rows = (await generate()).ratings
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const share = (key: 0 | 1) => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row[key]!, (counts.get(row[key]!) ?? 0) + 1);
      const sorted = [...counts.values()].sort((a, b) => b - a);
      return sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((sum, count) => sum + count, 0) / rows.length;
    };
    expect(share(1)).toBeGreaterThan(0.3); // the top 10% of movies
    expect(share(0)).toBeGreaterThan(0.3); // the top 10% of users
  });

  it('repeats for a seed and differs across seeds', async () => {
    const small = { ratings: 5_000, seed: 11 };
    expect(await generate(small)).toEqual(await generate(small));
    expect((await generate({ ...small, seed: 12 })).ratings).not.toBe((await generate(small)).ratings);
  });

  it('caches a directory per shape, and regenerates one that was never completed', async () => {
    const root = tempDir();
    const shape = { ratings: 2_000, seed: 5 };
    const dir = await cachedSyntheticMovieLens(shape, root);
    const written = statSync(join(dir, 'ratings.csv')).mtimeMs;
    expect(await cachedSyntheticMovieLens(shape, root)).toBe(dir);
    expect(statSync(join(dir, 'ratings.csv')).mtimeMs).toBe(written);

    const other = join(root, dir.split('/').pop()!.replace('-s5', '-s6'));
    mkdirSync(other); // an interrupted run left it without its completion mark
    expect(await cachedSyntheticMovieLens({ ...shape, seed: 6 }, root)).toBe(other);
    expect(existsSync(join(other, 'ratings.csv'))).toBe(true);
  });
});
