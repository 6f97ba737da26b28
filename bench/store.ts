/**
 * Both back ends side by side: import of the shared data (ml-latest-small + catalog + posters), bulk write and
 * read of 45,000 random 128-d vectors (uniform, and clustered like real embeddings), and nearest-neighbour latency
 * (k = 10) with the recall of PostgreSQL's HNSW index against the exact answer. PostgreSQL: the server named by REELSENSE_TEST_PG_URL (a superuser URL; the
 * bench creates and drops its own databases), else a throw-away cluster like the tests'.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest } from '../src/ingest/ingest.js';
import { emptyInteractions } from '../src/interactions.js';
import { datasetSources } from '../src/pipeline.js';
import { openStore } from '../src/store/open.js';
import type { NearestOptions, Neighbour, Store, VectorSpace } from '../src/store/store.js';
import { ExactIndex } from '../src/index/exact.js';
import { movie } from '../test/support/datasets.js';
import { adminQuery, createDatabase, startCluster } from '../test/support/pg-cluster.js';
import type { Benchmark } from './run.js';

const VECTORS = 45_000;
const DIM = 128;
const K = 10;
const QUERIES = 200;
/** Exact scans in PostgreSQL are slow; fewer queries time them well enough. */
const EXACT_QUERIES = 20;
const EF_SEARCH = [40, 100, 200];
const SPACE: VectorSpace = { owner: 'movie', kind: 'dna', producer: 'bench', version: '1', dim: DIM, trainedOn: null };

type Figures = Record<string, number>;

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function seconds<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

/** Mean, median and 95th percentile of per-call latencies in milliseconds. */
async function latency(label: string, calls: number, call: (i: number) => Promise<unknown>): Promise<Figures> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return {
    [`${label} mean ms`]: round(times.reduce((sum, t) => sum + t, 0) / times.length),
    [`${label} p50 ms`]: round(at(0.5)),
    [`${label} p95 ms`]: round(at(0.95)),
  };
}

/** Uniform in [-1, 1)^dim: no structure at all, the hardest case for an approximate index. */
function uniformMatrix(rows: number, dim: number): Float32Array {
  const matrix = new Float32Array(rows * dim);
  for (let i = 0; i < matrix.length; i++) matrix[i] = 2 * Math.random() - 1;
  return matrix;
}

/** Gaussian blobs around 100 uniform centres (noise about as large as the centres): closer to real embeddings. */
function clusteredMatrix(rows: number, dim: number, centres = uniformMatrix(100, dim)): Float32Array {
  const matrix = new Float32Array(rows * dim);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  for (let row = 0; row < rows; row++) {
    const centre = Math.floor(Math.random() * 100) * dim;
    for (let j = 0; j < dim; j++) matrix[row * dim + j] = centres[centre + j]! + 0.5 * gaussian();
  }
  return matrix;
}

/** A set of vectors with its queries and their exact top-k, computed in process. */
interface VectorData {
  name: string;
  vectors: Float32Array;
  queries: Float32Array[];
  truth: Neighbour[][];
}

async function vectorData(name: string, ids: number[], sample: (rows: number) => Float32Array): Promise<VectorData> {
  const all = sample(VECTORS + QUERIES);
  const vectors = all.subarray(0, VECTORS * DIM);
  const queries = Array.from({ length: QUERIES }, (_, q) => all.subarray((VECTORS + q) * DIM, (VECTORS + q + 1) * DIM));
  const index = new ExactIndex(ids, vectors, DIM);
  return { name, vectors, queries, truth: await Promise.all(queries.map((query) => index.nearest(query, K))) };
}

/** Mean share of the exact top-k that a search found. */
function recall(found: Neighbour[][], exact: Neighbour[][]): number {
  let hits = 0;
  found.forEach((result, q) => (hits += result.filter((n) => exact[q]!.some((e) => e.id === n.id)).length));
  return hits / (found.length * K);
}

async function benchBackend(backend: string, db: () => Promise<string>, dataDir: string, ids: number[], data: VectorData[]): Promise<Figures> {
  const figures: Figures = {};
  const ingestStore = await openStore(await db());
  const sources = datasetSources(dataDir, 'ml-latest-small');
  figures[`${backend}: ingest s`] = round((await seconds(() => ingest(ingestStore, sources)))[1], 2);
  figures[`${backend}: re-ingest (no changes) s`] = round((await seconds(() => ingest(ingestStore, sources)))[1], 2);
  await ingestStore.close();

  const store: Store = await openStore(await db());
  await store.importDataset({ movies: ids.map((movieId) => movie(movieId)), users: [], ratings: emptyInteractions(), tags: [] });
  for (const { name, vectors, queries, truth } of data) {
    const space = { ...SPACE, producer: name };
    const label = `${backend}: ${name}`;
    const [, writeSeconds] = await seconds(() => store.writeVectors(space, { ids, vectors }));
    figures[`${label} vector write s`] = round(writeSeconds, 2);
    figures[`${label} vector read s`] = round((await seconds(() => store.readVectors(space)))[1], 2);

    const search = async (method: string, options: NearestOptions, calls = QUERIES) => {
      const results: Neighbour[][] = [];
      Object.assign(figures, await latency(`${label} ${method}`, calls, async (q) => results.push(await store.nearestVectors(space, queries[q]!, K, options))));
      figures[`${label} ${method} recall@${K}`] = round(recall(results, truth.slice(0, calls)));
    };
    if (store.backend === 'postgres') {
      for (const efSearch of EF_SEARCH) await search(`HNSW ef_search=${efSearch}`, { efSearch });
      await search('exact scan', { exact: true }, EXACT_QUERIES);
    } else {
      await search('exact scan', {});
    }
  }
  await store.close();
  return figures;
}

export const run: Benchmark = async (args) => {
  const dataDir = args[0] ?? process.env.REELSENSE_SHARED_DATA ?? resolve('..', 'shared', 'data');
  const ids = Array.from({ length: VECTORS }, (_, i) => i + 1);
  const data = await Promise.all([vectorData('uniform', ids, (rows) => uniformMatrix(rows, DIM)), vectorData('clustered', ids, (rows) => clusteredMatrix(rows, DIM))]);

  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  const cluster = process.env.REELSENSE_TEST_PG_URL ? null : await startCluster();
  const adminUrl = process.env.REELSENSE_TEST_PG_URL ?? cluster!.url;
  const databases: string[] = [];
  let files = 0;
  try {
    const sqliteFigures = await benchBackend('sqlite', async () => join(dir, `bench-${++files}.db`), dataDir, ids, data);
    const postgresFigures = await benchBackend(
      'postgres',
      async () => {
        const name = `reelsense_bench_${process.pid}_${databases.length}`;
        databases.push(name);
        return createDatabase(adminUrl, name);
      },
      dataDir,
      ids,
      data,
    );
    return {
      name: 'store: SQLite vs PostgreSQL + pgvector',
      context: { vectors: VECTORS, dim: DIM, k: K, queries: QUERIES, 'exact queries (PostgreSQL)': EXACT_QUERIES, HNSW: 'm=16, ef_construction=64 (pgvector defaults)' },
      figures: { ...sqliteFigures, ...postgresFigures },
    };
  } finally {
    for (const name of databases) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
