/**
 * The map stage: the movie DNA projected to 3D, computed once per DNA version, method and seed, and kept as an
 * artifact in `<artifacts>/maps/<method>/` (UMAP over ml-latest-small takes about half a minute; reading it back, a
 * few milliseconds).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadArtifact, requireArray, saveArtifact } from '../artifacts.js';
import { requireDna } from '../profile/stage.js';
import type { Progress } from '../progress.js';
import type { Store } from '../store/store.js';
import { MAP_DIMENSIONS, projectRows, type MapMethod } from './projection.js';

/** Raised when the projection changes how it computes, so older maps are drawn again. */
export const MAP_VERSION = '1';

export interface MovieMap {
  method: MapMethod;
  dnaVersion: string;
  /** Row i of `points` (ids.length × 3) is movie ids[i], in the DNA's order. */
  ids: Int32Array;
  points: Float32Array;
}

export interface MapOptions {
  artifacts: string;
  method: MapMethod;
  seed: number;
  /** Draw it again even when a map of this DNA is saved. */
  force?: boolean;
}

export const mapDir = (artifacts: string, method: MapMethod) => join(artifacts, 'maps', method);

/** The saved map of the store's DNA, or a new one (saved before it is returned). */
export async function movieMap(store: Pick<Store, 'readVectors'>, options: MapOptions, progress: Progress): Promise<{ map: MovieMap; built: boolean }> {
  const dna = await requireDna(store);
  const dir = mapDir(options.artifacts, options.method);
  if (!options.force && existsSync(join(dir, 'manifest.json'))) {
    const artifact = await loadArtifact(dir);
    const data = artifact.manifest.data as { dnaVersion?: string } | undefined;
    if (artifact.manifest.version === MAP_VERSION && artifact.manifest.seed === options.seed && data?.dnaVersion === dna.space.version) {
      const map = {
        method: options.method,
        dnaVersion: dna.space.version,
        ids: requireArray(artifact, 'ids', Int32Array),
        points: requireArray(artifact, 'points', Float32Array),
      };
      return { map, built: false };
    }
  }
  const points = await projectRows(dna.vectors, dna.ids.length, dna.space.dim, options.method, options.seed, progress);
  const map: MovieMap = { method: options.method, dnaVersion: dna.space.version, ids: Int32Array.from(dna.ids), points };
  await saveArtifact(
    dir,
    {
      kind: 'map',
      name: `movie-dna-${options.method}`,
      version: MAP_VERSION,
      params: { method: options.method, dimensions: MAP_DIMENSIONS },
      seed: options.seed,
      datasetHash: null,
      trainedOn: dna.space.trainedOn,
      data: { dnaVersion: dna.space.version },
    },
    { ids: map.ids, points: map.points },
  );
  return { map, built: true };
}
