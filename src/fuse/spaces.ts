/**
 * The fused movie spaces as content models read them under `evaluate`: computed inside `fit` from the training set
 * alone. The fixed fusion learns nothing from ratings; the DNA's co-rated task learns from the training ratings only,
 * never from the stored production DNA (fitted on every rating, which the leakage guard refuses there).
 */
import { UsageError } from '../errors.js';
import { silentProgress, type Progress } from '../progress.js';
import type { MovieSpace, SpaceProvider } from '../profile/content.js';
import type { TrainingSet } from '../recommender.js';
import { fusionKey, fusionModel, movieDna } from './dna.js';
import { fixedFusion } from './fixed.js';
import { readContentInputs, type ContentInputs } from './inputs.js';
import { TASK_NAMES, type TaskName } from './tasks.js';
import { FUSION_DEFAULTS, trainFusion, type FusionParams } from './train.js';

async function trainingInputs(train: TrainingSet): Promise<ContentInputs> {
  if (!train.vectors) throw new UsageError('this model reads movie vectors from the store: evaluate it on a store that `reelsense encode` has filled');
  return readContentInputs(train.vectors);
}

export async function fixedSpace(train: TrainingSet, seed: number, dim = FUSION_DEFAULTS.dim): Promise<MovieSpace> {
  const inputs = await trainingInputs(train);
  const fixed = await fixedFusion(inputs, dim, seed);
  return { ids: inputs.movieIds, vectors: fixed.vectors, dim: fixed.dim };
}

/** The DNA's parameters a content model exposes (model parameters are flat): dimension, epochs, tasks. */
export type DnaModelParams = { dim: number; epochs: number; tasks: string };

export const DNA_MODEL_DEFAULTS: DnaModelParams = { dim: FUSION_DEFAULTS.dim, epochs: FUSION_DEFAULTS.epochs, tasks: FUSION_DEFAULTS.tasks.join(',') };

export function dnaFusionParams(params: DnaModelParams): FusionParams {
  const tasks = params.tasks.split(',').map((task) => task.trim());
  const unknown = tasks.filter((task) => !(TASK_NAMES as readonly string[]).includes(task));
  if (unknown.length > 0) throw new UsageError(`unknown fusion task ${unknown.join(', ')}: expected tasks among ${TASK_NAMES.join(', ')}`);
  return { ...FUSION_DEFAULTS, dim: params.dim, epochs: params.epochs, tasks: tasks as TaskName[] };
}

/**
 * DNAs trained in this process, by fusion key (the inputs, the catalog fields, the training ratings' fingerprint, the
 * parameters and the seed): the models of one evaluate run that each train the same DNA on the same training part
 * (content-dna, the profiles, the pipeline) train it once. The key holds the training fingerprint, so a DNA is never
 * reused across splits. The most recent few only.
 */
const trainedDnas = new Map<string, Promise<MovieSpace>>();
const TRAINED_DNAS_KEPT = 2;

/** Forgets the DNAs trained in this process (for tests that count what training reads). */
export function forgetTrainedDnas(): void {
  trainedDnas.clear();
}

export async function dnaSpace(train: TrainingSet, seed: number, params: FusionParams = FUSION_DEFAULTS, progress: Progress = silentProgress): Promise<MovieSpace> {
  const inputs = await trainingInputs(train);
  const usesRatings = params.tasks.includes('corated');
  const trainedOn = usesRatings ? train.trainedOn : null;
  const key = fusionKey(inputs, train.movies, trainedOn, params, seed);
  let space = trainedDnas.get(key);
  if (!space) {
    space = (async () => {
      const trained = await trainFusion({ inputs, movies: train.movies, interactions: usesRatings ? train.interactions : null, trainedOn }, params, seed, { progress });
      return { ids: inputs.movieIds, vectors: await movieDna(fusionModel(trained, inputs, key), inputs), dim: params.dim };
    })();
    trainedDnas.set(key, space);
    space.catch(() => trainedDnas.delete(key));
    while (trainedDnas.size > TRAINED_DNAS_KEPT) trainedDnas.delete(trainedDnas.keys().next().value!);
  }
  const { ids, vectors, dim } = await space;
  // A copy: callers normalise and align it in place.
  return { ids: Array.from(ids), vectors: vectors.slice(), dim };
}

/** The movie DNA as a content model's space: trained inside fit on the training part (its co-rated task on training ratings only). */
export const trainedDnaSpace: SpaceProvider<DnaModelParams> = (train, params, seed, progress) => dnaSpace(train, seed, dnaFusionParams(params), progress);
