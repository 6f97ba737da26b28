/**
 * Crash safety: ratings sent through the API at a steady rate while the server is killed with SIGKILL; after a
 * restart every rating that got a 2xx is there, and the taste and the recommendations follow them. On SQLite and
 * PostgreSQL, each a copy of the served sample (test/support/served-sample.ts). Then `encode` and `train` killed
 * part-way: what they leave is whole (or absent), and a rerun finishes. And a short mixed load of reads and writes on
 * two servers sharing one PostgreSQL (`npm run bench -- load` runs it longer).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../src/artifacts.js';
import { rankerDir } from '../../src/rank/stage.js';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/cli.js';
import { reelsenseClient } from '../../src/client/index.js';
import { migrateStore } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open.js';
import { servedSample, type ServedSample } from '../support/served-sample.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { closing, postgresTarget, STORE_TARGETS } from '../support/stores.js';
import { mixedLoad, rssMiB } from '../../bench/support/mixed-load.js';
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
  it('keeps every rating it acknowledged, and the taste and recommendations follow them after a restart', { timeout: 900_000 }, async ({ annotate }) => {
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
    await annotate(`${acknowledged.size} ratings acknowledged before the kill, ${unanswered.size} cut off; after the restart ${stored.size} stored`);
  });
});

/** Runs the CLI and kills it with SIGKILL after `ms`; resolves with how it ended. */
function killedAfter(args: string[], ms: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: REPO_ROOT, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise((resolve) =>
    child.on('close', (_status, signal) => {
      clearTimeout(timer);
      resolve(signal);
    }),
  );
}

describe('stages killed part-way', () => {
  it('train leaves the previous artifact whole (or none), and encode keeps what it committed; a rerun finishes both', { timeout: 900_000 }, async () => {
    const served = await (sample ??= servedSample(dir()));
    const db = join(dir(), 'stages.db');
    await closing(openStore(served.db, { mustExist: true }), (source) => closing(openStore(db), (copy) => migrateStore(source, copy)));
    const artifacts = join(dir(), 'stages.artifacts');
    const models = ['--models', served.models];
    for (const stage of [['train', 'updater', '--epochs', '1'], ['index'], ['train', 'cf'], ['train', 'ranker', '--epochs', '1']]) {
      const result = await runCli([...stage, '--db', db, '--artifacts', artifacts]);
      expect(result.status, result.stderr).toBe(0);
    }
    const before = await loadArtifact(rankerDir(artifacts));
    const retrain = ['train', 'ranker', '--retrain', '--epochs', '3', '--db', db, '--artifacts', artifacts];
    const started = performance.now();
    expect((await runCli(retrain)).status).toBe(0);
    const whole = performance.now() - started;

    // Kills spread over a whole run's time: while loading, while fitting, and about when it saves.
    for (const share of [0.5, 0.8, 0.95]) {
      const signal = await killedAfter(retrain, share * whole);
      // Killed, or done before the kill: either way the ranker there is whole, the old one or a new one.
      if (existsSync(rankerDir(artifacts))) {
        const after = await loadArtifact(rankerDir(artifacts));
        expect([signal, after.manifest.kind]).toEqual([signal, before.manifest.kind]);
      }
      const rerun = await runCli(['train', 'ranker', '--db', db, '--artifacts', artifacts, '--json']);
      expect(rerun.status, rerun.stderr).toBe(0);
      await loadArtifact(rankerDir(artifacts));
    }

    const encode = ['encode', '--db', db, ...models, '--image', 'none', '--force', '--artifacts', artifacts];
    const encodeStarted = performance.now();
    expect((await runCli(encode)).status).toBe(0);
    const signal = await killedAfter(encode, 0.7 * (performance.now() - encodeStarted));
    expect(signal).toBe('SIGKILL');
    const rerun = await runCli(['encode', '--db', db, ...models, '--image', 'none', '--artifacts', artifacts, '--json']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const spaces = (JSON.parse(rerun.stdout) as { spaces: { space: string; encoded: number; unchanged: number; failed: number }[] }).spaces;
    for (const space of spaces) expect([space.space, space.encoded + space.unchanged + space.failed]).toEqual([space.space, served.movies.length]);
    await closing(openStore(db, { mustExist: true }), async (store) => {
      for (const space of await store.listVectorSpaces())
        if (space.kind === 'text') expect([space.producer, space.count]).toEqual([space.producer, served.movies.length]);
    });
  });
});

describe('two servers on one PostgreSQL under a mixed load', () => {
  it("answer reads and writes with no error and no memory growth, and each sees the other's writes at once", { timeout: 900_000 }, async ({ annotate }) => {
    const served = await (sample ??= servedSample(dir()));
    const db = await postgresTarget.freshTarget();
    await closing(openStore(served.db, { mustExist: true }), (source) => closing(openStore(db), (copy) => migrateStore(source, copy)));
    // One after the other: the second reads the web UI's key the first saved.
    const a = await serve(served, db);
    const b = await serve(served, db);
    expect(keyOf(b)).toBe(keyOf(a));
    const load = {
      urls: [a.url, b.url],
      key: keyOf(a),
      users: Array.from({ length: served.users }, (_, i) => i + 1),
      movies: served.movies.map((movie) => movie.movieId),
      seconds: 4,
      connections: 4,
      writeShare: 0.2,
    };
    const first = await mixedLoad({ ...load, seed: 1 });
    const rssAfterFirst = [rssMiB(a.pid), rssMiB(b.pid)];
    const second = await mixedLoad({ ...load, seed: 2 });
    const rssAfterSecond = [rssMiB(a.pid), rssMiB(b.pid)];
    for (const run of [first, second]) {
      expect([run.errors, run.non2xx], JSON.stringify(run.statuses)).toEqual([0, 0]);
      expect(run.reads).toBeGreaterThan(run.writes);
      expect(run.writes).toBeGreaterThan(0);
    }
    // The second run, as long as the first, does not grow either server by more than a quarter (plus noise).
    rssAfterSecond.forEach((rss, i) => expect(rss).toBeLessThanOrEqual(rssAfterFirst[i]! * 1.25 + 16));
    const figures = (run: typeof first) => `${run.requestsPerSecond} req/s (${run.reads} reads, ${run.writes} writes), p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`;
    await annotate(`first run ${figures(first)}; second run ${figures(second)}; RSS MiB after each run: ${rssAfterFirst.join(' + ')} → ${rssAfterSecond.join(' + ')}`);

    const [viaA, viaB] = [a, b].map((server) => reelsenseClient({ baseUrl: server.url, apiKey: keyOf(server) }));
    const userId = (await viaA!.POST('/v1/users', { body: {} })).data!.userId;
    const [movie, other] = load.movies;
    await viaA!.POST('/v1/users/{userId}/ratings', { params: { path: { userId } }, body: { movieId: movie!, rating: 4.5 } });
    expect((await viaB!.GET('/v1/users/{userId}', { params: { path: { userId } } })).data!.history.map((entry) => [entry.movieId, entry.rating])).toEqual([[movie, 4.5]]);
    await viaB!.POST('/v1/users/{userId}/not-interested', { params: { path: { userId } }, body: { movieId: other! } });
    const listAtA = (await viaA!.GET('/v1/users/{userId}/recommendations', { params: { path: { userId }, query: { n: 30 } } })).data!;
    expect(listAtA.items.map((item) => item.movieId)).not.toContain(other);
    expect(listAtA.items.map((item) => item.movieId)).not.toContain(movie);
  });
});
