/**
 * The ANN index over a synthetic DNA-sized catalog (clustered 128-d unit vectors, ml-latest-small's 9,742 movies or
 * as many as asked): build seconds, search latency for k = 100 and 200 (a taste's candidate list), recall@100 against
 * the exact scan, save/load seconds, and the RSS of a fresh process that only loads the saved index.
 * `npm run bench -- index [--json] [MOVIES]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExactIndex } from '../src/index/exact.js';
import { HNSW_DEFAULTS, HnswIndex } from '../src/index/hnsw.js';
import { gaussianMatrix, seededRandom } from '../src/math/random.js';
import { normaliseRows } from '../src/math/vector.js';
import type { Benchmark } from './run.js';

const DIM = 128;
const QUERIES = 1000;

/**
 * Unit vectors in two levels of Gaussian clusters (20 broad groups of 25 tight ones, like genres and their niches),
 * with variances 0.35 (group), 0.2 (niche) and 0.45 (noise) per coordinate. At 9,742 movies a movie's 1st, 10th and
 * 100th neighbours lie at cosine 0.63, 0.55 and 0.41 on average; the real DNA's at 0.61, 0.52 and 0.41.
 */
export function clusteredVectors(rows: number, dim: number, seed: number): Float32Array {
  const groups = 20;
  const niches = 25;
  const random = seededRandom(seed);
  const groupCentres = gaussianMatrix(groups, dim, Math.sqrt(0.35), random);
  const nicheCentres = gaussianMatrix(groups * niches, dim, Math.sqrt(0.2), random);
  const vectors = gaussianMatrix(rows, dim, Math.sqrt(0.45), random);
  for (let row = 0; row < rows; row++) {
    const niche = Math.floor(random() * groups * niches);
    const group = Math.floor(niche / niches);
    for (let j = 0; j < dim; j++) vectors[row * dim + j]! += groupCentres[group * dim + j]! + nicheCentres[niche * dim + j]!;
  }
  return normaliseRows(vectors, dim);
}

/** The p-th percentile (0..1) of ascending times. */
function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

/** RSS of a fresh process that imports the index module, before and after it loads the saved index (and nothing else). */
function rssMiB(dir: string): { before: number; after: number } {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const script = [
    `import { HnswIndex } from './src/index/hnsw.ts';`,
    `const before = process.memoryUsage().rss;`,
    `await HnswIndex.load(${JSON.stringify(dir)});`,
    `process.stdout.write(JSON.stringify({ before: before / 2 ** 20, after: process.memoryUsage().rss / 2 ** 20 }));`,
  ].join('\n');
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as {
    before: number;
    after: number;
  };
}

export const run: Benchmark = async (args) => {
  const movies = Number(args[0] ?? 9742);
  const ids = Array.from({ length: movies }, (_, row) => row + 1);
  const vectors = clusteredVectors(movies + QUERIES, DIM, 1);
  const catalog = vectors.subarray(0, movies * DIM);

  let started = performance.now();
  const index = HnswIndex.build(ids, catalog, DIM);
  const buildSeconds = (performance.now() - started) / 1000;

  const exact = new ExactIndex(ids, catalog, DIM);
  const figures: Record<string, number> = { 'build seconds': Number(buildSeconds.toFixed(2)) };
  const ms = (value: number) => Number(value.toFixed(3));
  // A heavy user's history: 500 rated movies that a candidate search must skip.
  const rated = new Set(ids.filter((_, row) => row % Math.max(1, Math.floor(movies / 500)) === 0).slice(0, 500));
  for (const [label, k, exclude] of [
    ['k=100', 100, undefined],
    ['k=200', 200, undefined],
    [`k=200 excluding ${rated.size}`, 200, rated],
  ] as const) {
    const times: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const query = vectors.subarray((movies + q) * DIM, (movies + q + 1) * DIM);
      started = performance.now();
      index.search(query, k, exclude);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    figures[`${label} p50 ms`] = ms(percentile(times, 0.5));
    figures[`${label} p99 ms`] = ms(percentile(times, 0.99));
  }
  let found = 0;
  const exactTimes: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const query = vectors.subarray((movies + q) * DIM, (movies + q + 1) * DIM);
    started = performance.now();
    const truth = await exact.nearest(query, 100);
    exactTimes.push(performance.now() - started);
    const approximate = new Set(index.search(query, 100).map((neighbour) => neighbour.id));
    found += truth.filter((neighbour) => approximate.has(neighbour.id)).length;
  }
  exactTimes.sort((a, b) => a - b);
  figures['recall@100'] = Number((found / (QUERIES * Math.min(100, movies))).toFixed(4));
  figures['exact scan k=100 p50 ms'] = ms(percentile(exactTimes, 0.5));

  const dir = join(mkdtempSync(join(tmpdir(), 'reelsense-bench-index-')), 'index');
  try {
    started = performance.now();
    await index.save(dir);
    figures['save seconds'] = Number(((performance.now() - started) / 1000).toFixed(3));
    started = performance.now();
    await HnswIndex.load(dir);
    figures['load seconds'] = Number(((performance.now() - started) / 1000).toFixed(3));
    const rss = rssMiB(dir);
    figures['RSS before loading MiB'] = Number(rss.before.toFixed(1));
    figures['RSS after loading MiB'] = Number(rss.after.toFixed(1));
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
  return {
    name: 'ANN index over the movie DNA (hnswlib-node HNSW, cosine, in-process)',
    context: {
      movies,
      dim: DIM,
      queries: QUERIES,
      M: HNSW_DEFAULTS.m,
      efConstruction: HNSW_DEFAULTS.efConstruction,
      efSearch: HNSW_DEFAULTS.efSearch,
      data: 'unit vectors in 20 × 25 nested Gaussian clusters; queries drawn apart from the catalog',
    },
    figures,
  };
};
