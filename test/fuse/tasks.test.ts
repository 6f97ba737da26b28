import { describe, expect, it } from 'vitest';
import { EMPTY_MOVIE, type Movie } from '../../src/domain.js';
import { coRatedNeighbours } from '../../src/fuse/corated.js';
import { buildTasks, UNRELATED, type Task, type TaskName } from '../../src/fuse/tasks.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { seededRandom } from '../../src/math/random.js';

const movie = (movieId: number, fields: Partial<Movie>): Movie => ({ ...EMPTY_MOVIE, movieId, title: `M${movieId}`, ...fields });
const all = (count: number) => new Uint8Array(count).fill(1);
const task = (tasks: Task[], name: TaskName) => tasks.find((t) => t.name === name)!;

describe('the tasks', () => {
  const movies = [
    movie(1, { genres: ['Drama', 'War'], directors: ['Ann'], cast: ['X', 'Y', 'Z', 'Late'], keywords: ['toy', 'common'] }),
    movie(2, { genres: ['Drama'], directors: ['Ann', 'Bo'], cast: ['Q', 'R', 'S', 'Late'], keywords: ['toy', 'common'] }),
    movie(3, { genres: ['Comedy'], directors: ['Cy'], cast: ['Y'], keywords: ['common'] }),
    movie(4, { genres: [], directors: [], cast: [], keywords: [] }),
    ...Array.from({ length: 60 }, (_, i) => movie(10 + i, { genres: ['Horror'], directors: [`D${i}`], cast: [`C${i}`], keywords: ['common'] })),
  ];
  const tasks = buildTasks(movies, null, ['genre', 'director', 'cast', 'keywords'], all(movies.length));

  it('weights genre pairs by Jaccard overlap; no shared genre is a negative; no genres is in no pair', () => {
    const genre = task(tasks, 'genre');
    expect(genre.relation(0, 1)).toBeCloseTo(1 / 2);
    expect(genre.relation(0, 2)).toBe(0);
    expect(genre.relation(0, 3)).toBe(UNRELATED);
  });

  it('pairs movies with a shared director, and with a shared actor among the top 3 billed only', () => {
    expect(task(tasks, 'director').relation(0, 1)).toBe(1);
    expect(task(tasks, 'director').relation(0, 2)).toBe(0);
    expect(task(tasks, 'cast').relation(0, 2)).toBe(1);
    // "Late" is fourth-billed in both: not a lead.
    expect(task(tasks, 'cast').relation(0, 1)).toBe(0);
    expect(task(tasks, 'cast').relation(0, 3)).toBe(UNRELATED);
  });

  it('ignores keywords that most of the catalog has', () => {
    const keywords = task(tasks, 'keywords');
    expect(keywords.relation(0, 1)).toBe(1);
    // Movie 3's only keyword is "common", which 63 of 64 movies carry: it has no informative keyword, so no pair.
    expect(keywords.relation(0, 2)).toBe(UNRELATED);
    expect(keywords.relation(0, 4)).toBe(UNRELATED);
    expect(keywords.groups).toBe(1);
  });

  it('counts anchors and groups, and draws partners that are positives and never the anchor itself', () => {
    const director = task(tasks, 'director');
    expect(Array.from(director.anchors)).toEqual([0, 1]);
    expect(director.groups).toBe(1);
    const random = seededRandom(3);
    const genre = task(tasks, 'genre');
    for (let draw = 0; draw < 200; draw++) {
      const anchor = genre.anchors[draw % genre.anchors.length]!;
      const partner = genre.partner(anchor, random);
      expect(partner).not.toBe(anchor);
      expect(genre.relation(anchor, partner)).toBeGreaterThan(0);
    }
  });

  it('draws anchors and partners only from eligible movies', () => {
    const eligible = all(movies.length);
    eligible[1] = 0;
    const director = task(buildTasks(movies, null, ['director'], eligible), 'director');
    // Movie 1 (row 0) has no eligible partner left, so no director anchor remains.
    expect(director.anchors.length).toBe(0);
    // The relation itself does not depend on eligibility.
    expect(director.relation(0, 1)).toBe(1);
  });
});

describe('the co-rated task', () => {
  const movieIds = Int32Array.from([1, 2, 3, 4, 5]);
  const liked = (userId: number, ...movies: number[]) => movies.map((movieId, i) => ({ userId, movieId, rating: 4.5, timestamp: i }));

  it('pairs movies liked by the same users (at least two of them), and learns nothing from low ratings', () => {
    const interactions = interactionsFromRatings([
      ...liked(1, 1, 2, 3),
      ...liked(2, 1, 2),
      ...liked(3, 4, 5),
      ...liked(4, 3, 4),
      ...liked(5, 4, 5),
      { userId: 6, movieId: 1, rating: 2, timestamp: 0 },
      { userId: 6, movieId: 5, rating: 2, timestamp: 1 },
    ]);
    const neighbours = coRatedNeighbours(movieIds, interactions, { neighbours: 10, minSupport: 2, maxLikesPerUser: 100 });
    const of = (row: number) => Array.from(neighbours.indices.subarray(neighbours.indptr[row], neighbours.indptr[row + 1]));
    expect(of(0)).toEqual([1]);
    expect(of(3)).toEqual([4]);
    expect(of(2)).toEqual([]);
    const [corated] = buildTasks([], neighbours, ['corated'], all(5));
    expect(corated!.relation(0, 1)).toBe(1);
    expect(corated!.relation(0, 4)).toBe(0);
    // Movie 3 was liked, but never twice together with another: too little evidence for any pair.
    expect(corated!.relation(2, 0)).toBe(UNRELATED);
    expect(Array.from(corated!.anchors)).toEqual([0, 1, 3, 4]);
  });
});
