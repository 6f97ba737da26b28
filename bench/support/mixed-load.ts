/**
 * A bounded load of recommendation reads and rating writes on one or more servers (autocannon, one run per server,
 * at once): each request picks a user at random, and with probability `writeShare` rates a random movie for them,
 * else asks for their list. Used by `npm run bench -- load` and, shorter, by the reliability test.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../src/math/random.js';

export interface MixedLoadOptions {
  urls: string[];
  /** An app key (acts for every user). */
  key: string;
  users: readonly number[];
  movies: readonly number[];
  seconds: number;
  /** Connections per server. */
  connections: number;
  writeShare: number;
  seed: number;
}

export interface MixedLoadResult {
  requestsPerSecond: number;
  reads: number;
  writes: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
}

export async function mixedLoad(options: MixedLoadOptions): Promise<MixedLoadResult> {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  let reads = 0;
  let writes = 0;
  const runs = await Promise.all(
    options.urls.map((url) =>
      autocannon({
        url,
        connections: options.connections,
        duration: options.seconds,
        headers: { authorization: `Bearer ${options.key}` },
        requests: [
          {
            setupRequest: (request) => {
              const userId = pick(options.users);
              if (random() < options.writeShare) {
                writes++;
                const rating = 0.5 * (1 + Math.floor(random() * 10));
                const body = JSON.stringify({ movieId: pick(options.movies), rating });
                return { ...request, method: 'POST', path: `/v1/users/${userId}/ratings`, headers: { ...request.headers, 'content-type': 'application/json' }, body };
              }
              reads++;
              return {
                ...request,
                method: 'GET',
                path: `/v1/users/${userId}/recommendations?n=10`,
                headers: { authorization: `Bearer ${options.key}` },
                body: undefined,
              };
            },
          },
        ],
      }),
    ),
  );
  // Percentiles of the slowest server's run, totals over all.
  const slowest = runs.reduce((worst, run) => (run.latency.p99 > worst.latency.p99 ? run : worst));
  return {
    requestsPerSecond: Math.round(runs.reduce((sum, run) => sum + run.requests.average, 0)),
    reads,
    writes,
    p50Ms: slowest.latency.p50,
    p90Ms: slowest.latency.p90,
    p99Ms: slowest.latency.p99,
    maxMs: Math.max(...runs.map((run) => run.latency.max)),
    errors: runs.reduce((sum, run) => sum + run.errors + run.timeouts, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    statuses: runs.reduce<Record<string, number>>((counts, run) => {
      for (const [code, stats] of Object.entries(run.statusCodeStats ?? {})) counts[code] = (counts[code] ?? 0) + (stats as { count: number }).count;
      return counts;
    }, {}),
  };
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((row) => row.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}
