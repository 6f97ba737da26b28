/**
 * Recommendation latency through the whole path (store read of the history, taste, ANN + item-kNN + MF + EASE
 * candidates, the learned ranker, MMR) over 1,000 users, in-process, and what the ranker adds over taste-cosine
 * scoring, on a synthetic catalog of ml-latest-small's size (9,742 movies) and of 45,000 movies, with DNA-sized
 * (128-d) clustered vectors and ml-latest-small-like ratings. Also: a new rating reflected in the next list (durable
 * write + taste step + next list), the index's recall@100 on users' tastes, and the RSS of a process holding the
 * loaded service. `npm run bench -- recommend [--json] [DB]`: with DB (a store the main job built, its artifacts
 * beside it), the ml-latest-small case runs on it instead of the synthetic catalog.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitCollaborative } from '../src/cf/stage.js';
import { RANKER_DEFAULTS, trainProductionRanker } from '../src/rank/stage.js';
import { EMPTY_MOVIE, type Rating } from '../src/domain.js';
import { DNA_SPACE } from '../src/fuse/dna.js';
import { indexCatalog } from '../src/index/stage.js';
import { interactionsFromRatings } from '../src/interactions.js';
import { seededRandom } from '../src/math/random.js';
import { silentProgress } from '../src/progress.js';
import { trainProfiles } from '../src/profile/stage.js';
import { UPDATER_DEFAULTS } from '../src/profile/train-updater.js';
import { openStore } from '../src/store/open.js';
import { defaultArtifactsDir } from '../src/cli/flags.js';
import { clusteredVectors } from './index.js';
import type { Benchmark } from './run.js';

const DIM = 128;
const USERS = 1000;
const GENRES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi', 'Thriller', 'Animation'];

/** A store with `movies` movies, 1,000 users with 20–300 ratings each (popular movies more often) and a clustered DNA, and every stage fitted. */
export async function preparedStore(movies: number, dir: string): Promise<{ db: string; artifacts: string; ratings: number }> {
  const random = seededRandom(7);
  const catalog = Array.from({ length: movies }, (_, i) => ({
    ...EMPTY_MOVIE,
    movieId: i + 1,
    title: `Movie ${i + 1}`,
    year: 1950 + Math.floor(random() * 70),
    genres: GENRES.filter(() => random() < 0.25),
  }));
  const ratings: Rating[] = [];
  for (let userId = 1; userId <= USERS; userId++) {
    const count = 20 + Math.floor(random() ** 3 * 280);
    const seen = new Set<number>();
    for (let t = 0; seen.size < count; t++) {
      const movieId = 1 + Math.floor(random() ** 3 * movies);
      if (seen.has(movieId)) continue;
      seen.add(movieId);
      ratings.push({ userId, movieId, rating: 0.5 * (1 + Math.floor(random() * 10)), timestamp: 1_000_000_000 + t });
    }
  }
  const db = join(dir, 'bench.db');
  const artifacts = join(dir, 'artifacts');
  const store = await openStore(db);
  try {
    await store.importDataset({ movies: catalog, users: Array.from({ length: USERS }, (_, i) => i + 1), ratings: interactionsFromRatings(ratings), tags: [] });
    const ids = catalog.map((movie) => movie.movieId);
    await store.writeVectors({ ...DNA_SPACE, version: 'bench', dim: DIM, trainedOn: null }, { ids, vectors: clusteredVectors(movies, DIM, 3) });
    // The untrained updater (epoch 0) costs the same per step as a trained one: speed, not accuracy, is measured here.
    await trainProfiles(store, { artifacts, params: { ...UPDATER_DEFAULTS, epochs: 0 }, seed: 1, force: false }, silentProgress);
    await indexCatalog(store, { artifacts, force: false }, silentProgress);
    await fitCollaborative(store, { artifacts, seed: 1, force: false }, silentProgress);
    await trainProductionRanker(store, { artifacts, seed: 1, force: false, params: { ...RANKER_DEFAULTS, epochs: 2 } }, silentProgress);
  } finally {
    await store.close();
  }
  return { db, artifacts, ratings: ratings.length };
}

/** The service measured in a process of its own, on a store and its artifacts. */
function measure(db: string, artifacts: string): Record<string, number> {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'support', 'recommend-child.ts'), db, artifacts, String(USERS)], {
    cwd: root,
    encoding: 'utf8',
  });
  const result = JSON.parse(output) as Record<string, number>;
  return Object.fromEntries(
    ['p50Ms', 'p99Ms', 'tasteScoredP50Ms', 'rankerAddsP50Ms', 'rankerAddsAfterRatingP50Ms', 'recall100', 'updateMs', 'updateP99Ms', 'rssLoadedMiB'].map((key) => [
      key,
      Number(result[key]!.toFixed(4)),
    ]),
  );
}

async function onSynthetic(movies: number): Promise<{ figures: Record<string, number>; ratings: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
  try {
    const { db, artifacts, ratings } = await preparedStore(movies, dir);
    return { figures: measure(db, artifacts), ratings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run: Benchmark = async (args) => {
  const context: Record<string, number | string> = { requests: USERS, dim: DIM };
  const cases: Record<string, Record<string, number>> = {};
  // A copy, so the bench's ratings never land in the user's store.
  const real = args[0];
  if (real) {
    const dir = mkdtempSync(join(tmpdir(), 'reelsense-bench-'));
    try {
      const copy = join(dir, 'copy.db');
      const source = new Database(real, { readonly: true });
      await source.backup(copy);
      source.close();
      cases['ml-latest-small'] = measure(copy, defaultArtifactsDir(real));
      context['ml-latest-small'] = `${real} (a copy)`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const small = await onSynthetic(9742);
    cases['synthetic-9742'] = small.figures;
    context['synthetic-9742'] = `9742 movies, ${USERS} users, ${small.ratings} ratings`;
  }
  const large = await onSynthetic(45_000);
  cases['synthetic-45000'] = large.figures;
  context['synthetic-45000'] = `45000 movies, ${USERS} users, ${large.ratings} ratings`;
  return { name: 'recommend through the whole path (in-process)', context, figures: {}, cases };
};
