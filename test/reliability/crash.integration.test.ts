/**
 * Crash safety: ratings sent through the API at a steady rate while the server is killed with SIGKILL; after a
 * restart every rating that got a 2xx is there, and the taste and the recommendations follow them. On SQLite and
 * PostgreSQL, each a copy of the served sample (test/support/served-sample.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { reelsenseClient } from '../../src/client/index.js';
import { migrateStore } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open.js';
import { servedSample, type ServedSample } from '../support/served-sample.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { closing, STORE_TARGETS } from '../support/stores.js';
import { fileTempDir } from '../support/tmp.js';

const dir = fileTempDir();
let sample: Promise<ServedSample> | undefined;
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const server of running) await server.stop('SIGKILL').catch(() => undefined);
});

async function serve(served: ServedSample, db: string): Promise<ServeProcess> {
  const server = await startServeProcess(['serve', '--db', db, '--artifacts', served.artifacts, '--models', served.models]);
  running.push(server);
  return server;
}

const keyOf = (server: ServeProcess) => /#key=(\S+)$/.exec(server.uiUrl)![1]!;

describe.each(STORE_TARGETS)('a server killed mid-stream on $backend', (target) => {
  it('keeps every rating it acknowledged, and the taste and recommendations follow them after a restart', { timeout: 900_000 }, async () => {
    const served = await (sample ??= servedSample(dir()));
    const db = await target.freshTarget();
    await closing(openStore(served.db, { mustExist: true }), (source) => closing(openStore(db), (copy) => migrateStore(source, copy)));

    const first = await serve(served, db);
    const api = reelsenseClient({ baseUrl: first.url, apiKey: keyOf(first) });
    const userId = (await api.POST('/v1/users', { body: {} })).data!.userId;
    const movies = served.movies.map((movie) => movie.movieId);
    const acknowledged = new Map<number, number>();
    const unanswered = new Set<number>();
    const sent: Promise<void>[] = [];
    // One rating every 10 ms, not waiting for the answers, until the kill lands somewhere in the stream.
    const stream = (async () => {
      for (let i = 0; i < movies.length && unanswered.size === 0; i++) {
        const [movieId, rating] = [movies[i]!, 1 + (i % 9) / 2];
        sent.push(
          api.POST('/v1/users/{userId}/ratings', { params: { path: { userId } }, body: { movieId, rating } }).then(
            ({ response }) => {
              if (response.status === 201) acknowledged.set(movieId, rating);
              else unanswered.add(movieId);
            },
            () => {
              unanswered.add(movieId);
            },
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const killed = await first.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    await stream;
    await Promise.all(sent);
    expect(acknowledged.size).toBeGreaterThan(10);
    expect(unanswered.size).toBeGreaterThan(0);

    const second = await serve(served, db);
    const after = reelsenseClient({ baseUrl: second.url, apiKey: keyOf(second) });
    const profile = (await after.GET('/v1/users/{userId}', { params: { path: { userId } } })).data!;
    const stored = new Map(profile.history.map((entry) => [entry.movieId, entry.rating]));
    for (const [movieId, rating] of acknowledged) expect([movieId, stored.get(movieId)]).toEqual([movieId, rating]);
    // A request cut off by the kill may or may not have committed; nothing else is there.
    for (const movieId of stored.keys()) expect(acknowledged.has(movieId) || unanswered.has(movieId)).toBe(true);
    expect(profile.taste.ratings).toBe(stored.size);
    const journey = (await after.GET('/v1/users/{userId}/journey', { params: { path: { userId }, query: { method: 'pca' } } })).data!;
    expect(journey.steps).toHaveLength(stored.size);
    const list = (await after.GET('/v1/users/{userId}/recommendations', { params: { path: { userId }, query: { n: 20 } } })).data!;
    expect(list.items).toHaveLength(20);
    expect(list.items.filter((item) => stored.has(item.movieId))).toEqual([]);
    expect(list.items.some((item) => item.sources.includes('popularity'))).toBe(false);
    expect((await second.stop('SIGTERM')).status).toBe(0);
  });
});
