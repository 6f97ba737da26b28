/**
 * The profile stage of the main job: train the taste updater on every user's history in the store's movie DNA, or
 * reuse the saved one when the DNA, the ratings, the parameters and the seed are the ones it was trained on.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadArtifact, readManifest, saveArtifact } from '../artifacts.js';
import { UsageError } from '../errors.js';
import { datasetHash } from '../eval/dataset.js';
import { DNA_SPACE } from '../fuse/dna.js';
import { interactionMatrix, interactionsFingerprint, userTimelines } from '../interactions.js';
import type { Progress } from '../progress.js';
import type { Store, VectorSet } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { trainUpdater, type UpdaterEpoch, type UpdaterParams } from './train-updater.js';
import { restoreUpdater, updaterArrays, type TasteUpdater } from './updater.js';

/** Bumped when training or applying the updater changes meaning: a saved updater of another version is retrained. */
export const UPDATER_VERSION = '1';

export interface ProfileOptions {
  /** The artifacts directory; the updater lives in its `updater/` folder. */
  artifacts: string;
  params: UpdaterParams;
  seed: number;
  /** Train again even when the saved updater matches. */
  force: boolean;
  onEpoch?: (epoch: UpdaterEpoch) => void;
}

export interface ProfileReport {
  /** False when the saved updater was reused. */
  trained: boolean;
  artifact: string;
  /** The DNA space and version it moves tastes in. */
  space: string;
  spaceVersion: string;
  users: number;
  validationUsers: number;
  examples: number;
  epochs: UpdaterEpoch[];
  bestEpoch: number;
  /** Training seconds (of the run that trained it, when reused). */
  trainingSeconds: number;
  seconds: number;
}

/** What a saved updater keeps of its training, so a reused one reports the same. */
type TrainingRecord = Omit<ProfileReport, 'trained' | 'artifact' | 'seconds'> & { key: string };

/** The store's movie DNA, or a usage error that says how to make it. */
export async function requireDna(store: Pick<Store, 'readVectors'>): Promise<VectorSet> {
  const dna = await store.readVectors(DNA_SPACE);
  if (!dna || dna.ids.length === 0) throw new UsageError(`no movie DNA (${spaceName(DNA_SPACE)}) in the store: run \`reelsense train fusion\` first`);
  return dna;
}

export async function trainProfiles(store: Store, options: ProfileOptions, progress: Progress): Promise<ProfileReport> {
  const started = performance.now();
  const dna = await requireDna(store);
  const movies = await store.listMovies();
  const interactions = await store.readInteractions();
  const trainedOn = interactionsFingerprint(interactions);
  const key = createHash('sha256')
    .update(JSON.stringify({ version: UPDATER_VERSION, dna: dna.space.version, trainedOn, params: options.params, seed: options.seed }))
    .digest('hex');
  const dir = join(options.artifacts, 'updater');
  const saved = !options.force && existsSync(join(dir, 'manifest.json')) ? await readManifest(dir).catch(() => null) : null;
  const savedRecord = saved?.data as TrainingRecord | undefined;
  if (saved && saved.version === UPDATER_VERSION && savedRecord?.key === key) {
    const { key: _key, ...record } = savedRecord;
    return { trained: false, artifact: dir, ...record, seconds: (performance.now() - started) / 1000 };
  }

  const matrix = interactionMatrix(movies, interactions);
  const { dim } = dna.space;
  const vectors = new Float32Array(matrix.movieIds.length * dim);
  const hasVector = new Uint8Array(matrix.movieIds.length);
  dna.ids.forEach((id, row) => {
    const movie = matrix.movieIndex.get(id);
    if (movie === undefined) return;
    vectors.set(dna.vectors.subarray(row * dim, (row + 1) * dim), movie * dim);
    hasVector[movie] = 1;
  });
  const trained = await trainUpdater({ vectors, hasVector, dim, timelines: userTimelines(matrix, interactions), userIds: matrix.userIds }, options.params, options.seed, {
    progress,
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
  });
  const record: TrainingRecord = {
    key,
    space: spaceName(DNA_SPACE),
    spaceVersion: dna.space.version,
    users: trained.trainingUsers,
    validationUsers: trained.validationUsers,
    examples: trained.examples,
    epochs: trained.epochs,
    bestEpoch: trained.bestEpoch,
    trainingSeconds: trained.seconds,
  };
  const best = trained.epochs[trained.bestEpoch]!;
  await saveArtifact(
    dir,
    {
      kind: 'updater',
      name: 'taste-updater',
      version: UPDATER_VERSION,
      params: { ...options.params },
      seed: options.seed,
      datasetHash: datasetHash({ movies, interactions }),
      trainedOn,
      metrics: {
        seconds: trained.seconds,
        bestEpoch: trained.bestEpoch,
        validationHitRate10: best.validationHitRate,
        startHitRate10: trained.epochs[0]!.validationHitRate,
      },
      data: record,
    },
    updaterArrays(trained.updater),
  );
  const { key: _key, ...report } = record;
  return { trained: true, artifact: dir, ...report, seconds: (performance.now() - started) / 1000 };
}

/** The production updater, checked against the DNA it must move tastes in. */
export async function loadProductionUpdater(artifacts: string, dna: VectorSet): Promise<TasteUpdater> {
  const dir = join(artifacts, 'updater');
  if (!existsSync(join(dir, 'manifest.json'))) throw new UsageError(`no taste updater in ${dir}: run \`reelsense train updater\` first`);
  const artifact = await loadArtifact(dir);
  const record = artifact.manifest.data as Partial<TrainingRecord> | undefined;
  if (artifact.manifest.kind !== 'updater' || artifact.manifest.version !== UPDATER_VERSION || record?.spaceVersion !== dna.space.version) {
    throw new UsageError(`the taste updater in ${dir} was trained on another movie DNA or version: run \`reelsense train updater\` again`);
  }
  return restoreUpdater(artifact);
}
