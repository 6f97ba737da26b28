import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCatalog, type EncodeOptions, type EncodeReport } from './encode/encode.js';
import { InputError } from './errors.js';
import { fuseCatalog, type FuseOptions, type FuseReport } from './fuse/stage.js';
import { ingest, type IngestReport, type IngestSources } from './ingest/ingest.js';
import { trainProfiles, type ProfileOptions, type ProfileReport } from './profile/stage.js';
import { indexCatalog, type IndexReport } from './index/stage.js';
import { fitCollaborative, type CollaborativeReport } from './cf/stage.js';
import { trainProductionRanker, type RankerReport } from './rank/stage.js';
import type { RankerOptions } from './rank/fit-ranker.js';
import { movieMap } from './map/stage.js';
import type { Progress } from './progress.js';
import type { Store, StoreStats } from './store/store.js';

/** A data directory laid out like shared/data: <dataset>/, catalog/<dataset>.jsonl, posters/<dataset>/. */
export function datasetSources(dataDir: string, dataset: string): IngestSources {
  const movielens = join(dataDir, dataset);
  if (!existsSync(movielens)) {
    throw new InputError({ file: movielens }, `MovieLens directory not found: expected ${dataset}/ inside the data directory ${dataDir}`);
  }
  const catalog = join(dataDir, 'catalog', `${dataset}.jsonl`);
  const posters = join(dataDir, 'posters', dataset);
  return {
    movielens,
    ...(existsSync(catalog) ? { catalog } : {}),
    ...(existsSync(posters) ? { posters } : {}),
  };
}

export interface PipelineReport {
  ingest: IngestReport;
  encode: EncodeReport;
  fuse: FuseReport;
  profile: ProfileReport;
  index: IndexReport;
  collaborative: CollaborativeReport;
  ranker: RankerReport;
  /** The 3D map of the DNA for the web UI and plots: drawn, or the saved one still current. */
  map: { method: string; movies: number; built: boolean };
  stats: StoreStats;
  /** Seconds each stage took. */
  seconds: Record<'ingest' | 'encode' | 'fuse' | 'profile' | 'index' | 'collaborative' | 'ranker' | 'map', number>;
}

export interface PipelineOptions {
  encode: EncodeOptions;
  fuse: FuseOptions;
  profile: ProfileOptions;
  ranker: RankerOptions;
  /** Where the index, the collaborative models and the ranker are saved (the artifacts directory), and whether to redo them. */
  artifacts: string;
  seed: number;
  force: boolean;
}

/** The main job, stage by stage. This is the one place that knows the order of the stages. */
export async function runPipeline(store: Store, sources: IngestSources, options: PipelineOptions, progress: Progress): Promise<PipelineReport> {
  const seconds = {} as PipelineReport['seconds'];
  const timed = async <T>(stage: keyof PipelineReport['seconds'], run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    seconds[stage] = (performance.now() - started) / 1000;
    return result;
  };
  const ingestReport = await timed('ingest', () => ingest(store, sources, progress));
  const encodeReport = await timed('encode', () => encodeCatalog(store, options.encode, progress));
  const fuseReport = await timed('fuse', () => fuseCatalog(store, options.fuse, progress));
  const profileReport = await timed('profile', () => trainProfiles(store, options.profile, progress));
  const indexReport = await timed('index', () => indexCatalog(store, { artifacts: options.artifacts, force: options.force }, progress));
  const collaborativeReport = await timed('collaborative', () =>
    fitCollaborative(store, { artifacts: options.artifacts, seed: options.seed, force: options.force }, progress),
  );
  const rankerReport = await timed('ranker', () =>
    trainProductionRanker(store, { artifacts: options.artifacts, seed: options.seed, force: options.force, params: options.ranker }, progress),
  );
  const { map, built } = await timed('map', () => movieMap(store, { artifacts: options.artifacts, method: 'umap', seed: options.seed }, progress));
  return {
    map: { method: map.method, movies: map.ids.length, built },
    ingest: ingestReport,
    encode: encodeReport,
    fuse: fuseReport,
    profile: profileReport,
    index: indexReport,
    collaborative: collaborativeReport,
    ranker: rankerReport,
    stats: await store.stats(),
    seconds,
  };
}
