/**
 * A bounded mixed load on one server: recommendation reads and rating writes (20% by default) for random users, in two
 * equal runs after a warm-up, so memory growth shows as RSS after the first run against after the second.
 * `npm run bench -- load [--json] [DB] [--seconds 30] [--connections 8] [--write-share 0.2]`: on a copy of DB (a store
 * the main job built, its artifacts beside it), else on the synthetic catalog of ml-latest-small's size.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueApiKey } from '../src/auth/keys.js';
import { defaultArtifactsDir } from '../src/cli/flags.js';
import { openStore } from '../src/store/open.js';
import { startServer } from './http.js';
import { preparedStore } from './recommend.js';
import type { Benchmark } from './run.js';
import { mixedLoad, rssMiB } from './support/mixed-load.js';

function numberArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export const run: Benchmark = async (args) => {
  const seconds = numberArg(args, '--seconds', 30);
  const connections = numberArg(args, '--connections', 8);
  const writeShare = numberArg(args, '--write-share', 0.2);
  const real = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-load-'));
  try {
    let db = join(dir, 'copy.db');
    let artifacts: string;
    if (real) {
      // A copy: the bench's ratings and key never land in the user's store.
      const source = new Database(real, { readonly: true });
      await source.backup(db);
      source.close();
      artifacts = defaultArtifactsDir(real);
    } else {
      ({ db, artifacts } = await preparedStore(9742, dir));
    }
    const store = await openStore(db, { mustExist: true });
    const [key, users, movies] = await Promise.all([issueApiKey(store, { role: 'app', label: 'bench' }), store.listUsers(), store.listMovies()]);
    await store.close();
    const server = await startServer(db, artifacts);
    try {
      const load = { urls: [server.url], key: key.key, users, movies: movies.map((movie) => movie.movieId), seconds, connections, writeShare };
      // Warm-up: each user's history replayed once, as on a server that has run a while.
      for (const userId of users) await fetch(new URL(`/v1/users/${userId}/recommendations?n=10`, server.url), { headers: { authorization: `Bearer ${key.key}` } });
      const rssWarm = rssMiB(server.pid);
      const first = await mixedLoad({ ...load, seed: 1 });
      const rssFirst = rssMiB(server.pid);
      const second = await mixedLoad({ ...load, seed: 2 });
      const rssSecond = rssMiB(server.pid);
      const figures = (result: typeof first) => {
        const { statuses: _statuses, ...numbers } = result;
        return numbers;
      };
      return {
        name: `mixed load: recommendation reads and ${Math.round(writeShare * 100)}% rating writes, two runs`,
        context: { data: real ? `${real} (a copy)` : 'synthetic: 9,742 movies, 1,000 users', users: users.length, connections, 'seconds per run': seconds, cores: 2 },
        figures: { rssAfterWarmUpMiB: rssWarm, rssAfterFirstRunMiB: rssFirst, rssAfterSecondRunMiB: rssSecond },
        cases: { 'first run': figures(first), 'second run': figures(second) },
      };
    } finally {
      server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
