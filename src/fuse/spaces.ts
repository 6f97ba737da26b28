/**
 * The fused movie spaces as content models read them under `evaluate`: computed inside `fit` from the training set
 * alone. The fixed fusion learns nothing from ratings; the DNA's co-rated task learns from the training ratings only,
 * never from the stored production DNA (fitted on every rating, which the leakage guard refuses there).
 */
import { UsageError } from '../errors.js';
import { silentProgress, type Progress } from '../progress.js';
import type { TrainingSet } from '../recommender.js';
import { fusionKey, fusionModel, movieDna } from './dna.js';
import { fixedFusion } from './fixed.js';
import { readContentInputs, type ContentInputs } from './inputs.js';
import { FUSION_DEFAULTS, trainFusion, type FusionParams } from './train.js';

export interface MovieVectors {
  ids: Int32Array;
  vectors: Float32Array;
  dim: number;
}

async function trainingInputs(train: TrainingSet): Promise<ContentInputs> {
  if (!train.vectors) throw new UsageError('this model reads movie vectors from the store: evaluate it on a store that `reelsense encode` has filled');
  return readContentInputs(train.vectors);
}

export async function fixedSpace(train: TrainingSet, seed: number, dim = FUSION_DEFAULTS.dim): Promise<MovieVectors> {
  const inputs = await trainingInputs(train);
  const fixed = await fixedFusion(inputs, dim, seed);
  return { ids: inputs.movieIds, vectors: fixed.vectors, dim: fixed.dim };
}

export async function dnaSpace(train: TrainingSet, seed: number, params: FusionParams = FUSION_DEFAULTS, progress: Progress = silentProgress): Promise<MovieVectors> {
  const inputs = await trainingInputs(train);
  const usesRatings = params.tasks.includes('corated');
  const trained = await trainFusion(
    { inputs, movies: train.movies, interactions: usesRatings ? train.interactions : null, trainedOn: usesRatings ? train.trainedOn : null },
    params,
    seed,
    { progress },
  );
  const model = fusionModel(trained, inputs, fusionKey(inputs, train.movies, trained.trainedOn, params, seed));
  return { ids: inputs.movieIds, vectors: await movieDna(model, inputs), dim: params.dim };
}
