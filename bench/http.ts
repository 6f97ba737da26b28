/**
 * The recommendations route under load on loopback: `reelsense serve` in a process of its own, autocannon in this one,
 * each request for the next user in turn, for a fixed time after a warm-up pass over every user. Two cases: users
 * asking again for the list they had (answered from the lists the server keeps per user state), and every request a
 * list never computed before (the whole path). Reports requests/s, latency percentiles, errors, and the server's RSS
 * after the warm-up and after the load. `npm run bench -- http [--json] [DB] [--seconds N] [--connections N]`: on a copy of DB (a store the
 * main job built, its artifacts beside it), else on the synthetic catalog of ml-latest-small's size.
 */
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueApiKey } from '../src/auth/keys.js';
import { defaultArtifactsDir } from '../src/cli/flags.js';
import { openStore } from '../src/store/open.js';
import { preparedStore } from './recommend.js';
import { rssMiB } from './support/mixed-load.js';
import type { Benchmark } from './run.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** The value of `--name N` in args, else `fallback`. */
function numberArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

/** `reelsense serve` on the store with no rate limit; resolves with its URL and pid once it listens. */
export function startServer(db: string, artifacts: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'serve', '--db', db, '--artifacts', artifacts, '--port', '0', '--rate-limit', '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  return new Promise((resolve, reject) => {
    child.on('close', (status) => reject(new Error(`reelsense serve exited with ${status} before listening`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const url = / at (http:\/\/\S+) /.exec(stdout)?.[1];
      if (url) resolve({ url, pid: child.pid!, stop: () => child.kill('SIGTERM') });
    });
  });
}

export const run: Benchmark = async (args) => {
  const seconds = numberArg(args, '--seconds', 15);
  const connections = numberArg(args, '--connections', 8);
  const real = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-http-'));
  try {
    let db: string;
    let artifacts: string;
    let data: string;
    if (real) {
      // A copy, so the bench's key never lands in the user's store.
      db = join(dir, 'copy.db');
      const source = new Database(real, { readonly: true });
      await source.backup(db);
      source.close();
      artifacts = defaultArtifactsDir(real);
      data = `${real} (a copy)`;
    } else {
      ({ db, artifacts } = await preparedStore(9742, dir));
      data = 'synthetic: 9,742 movies, 1,000 users';
    }
    const store = await openStore(db, { mustExist: true });
    const [key, users] = await Promise.all([issueApiKey(store, { role: 'app', label: 'bench' }), store.listUsers()]);
    await store.close();

    const server = await startServer(db, artifacts);
    try {
      const headers = { authorization: `Bearer ${key.key}` };
      const path = (userId: number) => `/v1/users/${userId}/recommendations?n=10`;
      // A running server has replayed its users' histories once; the load measures that steady state.
      for (const userId of users) {
        const response = await fetch(new URL(path(userId), server.url), { headers });
        if (!response.ok) throw new Error(`warm-up: ${path(userId)} answered ${response.status}: ${await response.text()}`);
      }
      const rssWarm = rssMiB(server.pid);
      /** One bounded load run; `query(i)` is request i's query string. */
      const load = async (query: (i: number) => string) => {
        let next = 0;
        const result = await autocannon({
          url: server.url,
          connections,
          duration: seconds,
          headers,
          requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `${path(users[next % users.length]!)}${query(next++)}` }) }],
        });
        return {
          requestsPerSecond: Math.round(result.requests.average),
          p50Ms: result.latency.p50,
          p90Ms: result.latency.p90,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max,
          requests: result.requests.total,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        };
      };
      // Users asking again with nothing new (a reload, another tab): the server's kept lists answer.
      const repeated = await load(() => '');
      // Every request a list never computed (a λ of its own): the whole path each time, as after every rating.
      const computed = await load((i) => `&lambda=${(0.9 + (i % 100_000) / 1e6).toFixed(6)}`);
      return {
        name: 'HTTP: GET /v1/users/{id}/recommendations?n=10 under load on loopback',
        context: { data, users: users.length, connections, 'seconds per case': seconds, cores: 2 },
        figures: { rssAfterWarmUpMiB: rssWarm, rssAfterLoadMiB: rssMiB(server.pid) },
        cases: { 'repeated lists': repeated, 'computed lists': computed },
      };
    } finally {
      server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
