/**
 * The fuse stage of the main job: train the fusion network on the store's content vectors and catalog (and, for the
 * co-rated task, every rating: the production DNA may use them all), or reuse the saved one when nothing it was
 * trained from changed; then write the `dna` and `fixed` movie spaces.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../artifacts.js';
import { datasetHash } from '../eval/dataset.js';
import { interactionsFingerprint } from '../interactions.js';
import type { Progress } from '../progress.js';
import type { Store, VectorSpace, VectorSpaceKey } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { DNA_SPACE, FIXED_SPACE, FUSION_VERSION, fusionKey, fusionModel, loadFusion, movieDna, saveFusion, type FusionModel } from './dna.js';
import { fixedFusion } from './fixed.js';
import { readContentInputs, type ContentInputs, type ProducerChoice } from './inputs.js';
import { trainFusion, type EpochSummary, type FusionParams, type TaskSummary } from './train.js';

export interface FuseOptions {
  /** The artifacts directory; the fusion lives in its `fusion/` folder. */
  artifacts: string;
  params: FusionParams;
  seed: number;
  text?: ProducerChoice;
  image?: ProducerChoice;
  /** Train again even when the saved fusion matches. */
  force: boolean;
  onEpoch?: (summary: EpochSummary) => void;
}

export interface SpaceWrite {
  space: string;
  movies: number;
  /** False when the space already held these vectors. */
  written: boolean;
}

export interface FuseReport {
  /** False when the saved fusion was reused. */
  trained: boolean;
  artifact: string;
  key: string;
  tasks: TaskSummary[];
  epochs: number;
  bestEpoch: number;
  textOnlyAlignment: number;
  /** Training seconds (of the run that trained it, when reused). */
  trainingSeconds: number;
  inputs: FusionModel['inputs'];
  spaces: SpaceWrite[];
  seconds: number;
}

/** What a fusion artifact keeps of its training for reports, so a reused fusion reports the same. */
interface TrainingRecord {
  tasks: TaskSummary[];
  epochs: number;
  bestEpoch: number;
  textOnlyAlignment: number;
  seconds: number;
}

export async function fuseCatalog(store: Store, options: FuseOptions, progress: Progress): Promise<FuseReport> {
  const started = performance.now();
  const movies = await store.listMovies();
  const usesRatings = options.params.tasks.includes('corated');
  const interactions = usesRatings ? await store.readInteractions() : null;
  const trainedOn = interactions ? interactionsFingerprint(interactions) : null;
  const inputs = await readContentInputs(
    { read: (key) => store.readVectors(key) },
    { ...(options.text ? { text: options.text } : {}), ...(options.image ? { image: options.image } : {}) },
  );
  const key = fusionKey(inputs, movies, trainedOn, options.params, options.seed);
  const dir = join(options.artifacts, 'fusion');

  let model: FusionModel;
  let record: TrainingRecord;
  let trained = false;
  const saved = !options.force && existsSync(join(dir, 'manifest.json')) ? await readManifest(dir).catch(() => null) : null;
  const savedData = saved?.data as { key?: string; training?: TrainingRecord } | undefined;
  if (saved && saved.version === FUSION_VERSION && savedData?.key === key && savedData.training) {
    model = await loadFusion(dir);
    record = savedData.training;
  } else {
    const fitted = await trainFusion({ inputs, movies, interactions, trainedOn }, options.params, options.seed, {
      progress,
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    });
    model = fusionModel(fitted, inputs, key);
    record = { tasks: fitted.tasks, epochs: fitted.epochs.length, bestEpoch: fitted.bestEpoch, textOnlyAlignment: fitted.textOnlyAlignment, seconds: fitted.seconds };
    await saveFusion(dir, model, fitted, interactions ? datasetHash({ movies, interactions }) : null, { training: record });
    trained = true;
  }

  const spaces = [
    await writeSpace(store, DNA_SPACE, `${FUSION_VERSION}-${key.slice(0, 16)}`, model.trainedOn, inputs, async () => ({
      dim: model.params.dim,
      vectors: await movieDna(model, inputs),
    })),
    await writeSpace(store, FIXED_SPACE, `1-${key.slice(0, 16)}`, null, inputs, () => fixedFusion(inputs, options.params.dim, options.seed)),
  ];
  return {
    trained,
    artifact: dir,
    key,
    ...record,
    trainingSeconds: record.seconds,
    inputs: model.inputs,
    spaces,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Writes a whole space unless it already holds this version for exactly these movies. */
async function writeSpace(
  store: Store,
  key: VectorSpaceKey,
  version: string,
  trainedOn: string | null,
  inputs: ContentInputs,
  compute: () => Promise<{ dim: number; vectors: Float32Array }>,
): Promise<SpaceWrite> {
  const name = spaceName(key);
  const existing = (await store.listVectorSpaces()).find((space) => space.kind === key.kind && space.producer === key.producer && space.owner === key.owner);
  if (existing && existing.version === version && existing.count === inputs.movieIds.length && existing.trainedOn === trainedOn) {
    return { space: name, movies: existing.count, written: false };
  }
  const { dim, vectors } = await compute();
  const space: VectorSpace = { ...key, version, dim, trainedOn };
  await store.writeVectors(space, { ids: Array.from(inputs.movieIds), vectors }, { replace: true });
  return { space: name, movies: inputs.movieIds.length, written: true };
}
