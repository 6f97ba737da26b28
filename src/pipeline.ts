import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCatalog, type EncodeOptions, type EncodeReport } from './encode/encode.js';
import { InputError } from './errors.js';
import { fuseCatalog, type FuseOptions, type FuseReport } from './fuse/stage.js';
import { ingest, type IngestReport, type IngestSources } from './ingest/ingest.js';
import { trainProfiles, type ProfileOptions, type ProfileReport } from './profile/stage.js';
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
  stats: StoreStats;
  /** Seconds each stage took. */
  seconds: { ingest: number; encode: number; fuse: number; profile: number };
}

/** The main job, stage by stage. This is the one place that knows the order of the stages. */
export async function runPipeline(
  store: Store,
  sources: IngestSources,
  options: { encode: EncodeOptions; fuse: FuseOptions; profile: ProfileOptions },
  progress: Progress,
): Promise<PipelineReport> {
  const started = performance.now();
  const ingestReport = await ingest(store, sources, progress);
  const ingested = performance.now();
  const encodeReport = await encodeCatalog(store, options.encode, progress);
  const encoded = performance.now();
  const fuseReport = await fuseCatalog(store, options.fuse, progress);
  const fused = performance.now();
  const profileReport = await trainProfiles(store, options.profile, progress);
  const seconds = {
    ingest: (ingested - started) / 1000,
    encode: (encoded - ingested) / 1000,
    fuse: (fused - encoded) / 1000,
    profile: (performance.now() - fused) / 1000,
  };
  return { ingest: ingestReport, encode: encodeReport, fuse: fuseReport, profile: profileReport, stats: await store.stats(), seconds };
}
