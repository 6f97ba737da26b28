/**
 * The movie DNA as a saved artifact: the principal components the inputs are projected with, the network weights, the
 * parameters and the inputs' versions; and applying it to movies, with or without their posters.
 */
import { createHash } from 'node:crypto';
import { loadArtifact, requireArray, saveArtifact, type Artifact, type ArtifactArray } from '../artifacts.js';
import type { Movie } from '../domain.js';
import { InputError, UsageError } from '../errors.js';
import type { Pca } from '../math/pca.js';
import type { VectorSpaceInfo, VectorSpaceKey } from '../store/store.js';
import { projectContent, type ContentProjection } from './features.js';
import type { ContentInputs } from './inputs.js';
import type { NetworkWeights } from './network.js';
import { TASK_NAMES, type TaskName } from './tasks.js';
import { embedRows, FUSION_DEFAULTS, type FusionParams, type TrainedFusion } from './train.js';

/** Bumped when training or applying the network changes meaning: a saved DNA of another version is retrained. */
export const FUSION_VERSION = '3';

export const DNA_SPACE: VectorSpaceKey = { owner: 'movie', kind: 'dna', producer: 'fusion' };
export const FIXED_SPACE: VectorSpaceKey = { owner: 'movie', kind: 'fixed', producer: 'pca-weighted' };

/** A content space as the fusion recorded it. */
export interface InputSpace {
  producer: string;
  version: string;
  dim: number;
}

export interface FusionModel {
  params: FusionParams;
  seed: number;
  projection: ContentProjection;
  weights: NetworkWeights;
  trainedOn: string | null;
  inputs: { text: InputSpace[]; image: InputSpace | null };
  /** What the model was trained from (inputs, catalog fields, ratings, parameters): equal keys, equal model. */
  key: string;
}

/** The DNA of every movie of `inputs` (rows of inputs.movieIds); `textOnly` ignores the posters (free text, no poster). */
export async function movieDna(model: FusionModel, inputs: ContentInputs, options: { textOnly?: boolean } = {}): Promise<Float32Array> {
  checkInputs(model, inputs);
  return embedRows(model.weights, await projectContent(model.projection, inputs), options.textOnly ?? false);
}

/**
 * Rows of text vectors (the fusion's text spaces side by side, `rows × Σ dims`) laid out as its inputs without a
 * poster: what the text-only path reads for a free-text query, or for a movie judged on its text alone.
 */
export function textOnlyInputs(model: FusionModel, text: Float32Array, rows: number): ContentInputs {
  const textSpaces = model.inputs.text.map((input): VectorSpaceInfo => ({
    owner: 'movie',
    kind: 'text',
    ...input,
    trainedOn: null,
    count: rows,
    updatedAt: new Date(0).toISOString(),
  }));
  const imageDim = model.inputs.image?.dim ?? 0;
  return {
    movieIds: Int32Array.from({ length: rows }, (_, row) => row),
    text,
    textDim: text.length / Math.max(rows, 1),
    textSpaces,
    image: new Float32Array(rows * imageDim),
    imageDim,
    imageSpace: null,
    hasImage: new Uint8Array(rows),
  };
}

function checkInputs(model: FusionModel, inputs: ContentInputs): void {
  const { text, image } = model.inputs;
  const describe = (spaces: readonly { producer: string; dim: number }[]) => spaces.map((space) => `${space.producer} (${space.dim}-d)`).join(' + ');
  if (describe(inputs.textSpaces) !== describe(text)) {
    throw new UsageError(`the fusion was trained on ${describe(text)} text vectors, not ${describe(inputs.textSpaces)}: run \`reelsense train fusion\` again`);
  }
  if (image && inputs.imageSpace && (inputs.imageSpace.producer !== image.producer || inputs.imageDim !== image.dim)) {
    throw new UsageError(
      `the fusion was trained on ${image.producer} (${image.dim}-d) poster vectors, not ${inputs.imageSpace.producer} (${inputs.imageDim}-d): run \`reelsense train fusion\` again`,
    );
  }
}

const inputSpace = (space: VectorSpaceInfo): InputSpace => ({ producer: space.producer, version: space.version, dim: space.dim });

/**
 * The key of a fusion trained on these inputs: the content vectors themselves, the catalog fields the tasks read,
 * the ratings' fingerprint when the co-rated task learns from them, the parameters and the seed.
 */
export function fusionKey(inputs: ContentInputs, movies: readonly Movie[], trainedOn: string | null, params: FusionParams, seed: number): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      version: FUSION_VERSION,
      params,
      seed,
      trainedOn,
      text: inputs.textSpaces.map(inputSpace),
      image: inputs.imageSpace && inputSpace(inputs.imageSpace),
    }),
  );
  for (const array of [inputs.movieIds, inputs.text, inputs.image, inputs.hasImage]) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  for (const movie of movies) hash.update(JSON.stringify([movie.movieId, movie.genres, movie.directors, movie.cast.slice(0, 3), movie.keywords]));
  return hash.digest('hex');
}

export function fusionModel(trained: TrainedFusion, inputs: ContentInputs, key: string): FusionModel {
  return {
    params: trained.params,
    seed: trained.seed,
    projection: trained.projection,
    weights: trained.weights,
    trainedOn: trained.trainedOn,
    inputs: { text: inputs.textSpaces.map(inputSpace), image: trained.projection.image && inputs.imageSpace ? inputSpace(inputs.imageSpace) : null },
    key,
  };
}

/** Flat parameters for the manifest (tasks, margins and weights as one entry each). */
function flatParams(params: FusionParams): Record<string, number | string> {
  const { tasks, margins, weights, ...scalars } = params;
  return {
    ...scalars,
    tasks: tasks.join(','),
    margins: TASK_NAMES.map((name) => `${name}=${margins[name]}`).join(','),
    weights: TASK_NAMES.map((name) => `${name}=${weights[name]}`).join(','),
  };
}

function parsedParams(flat: Record<string, number | string | boolean>): FusionParams {
  const pairs = (text: unknown) =>
    Object.fromEntries(
      String(text)
        .split(',')
        .map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]),
    ) as Record<TaskName, number>;
  const scalars = Object.fromEntries(Object.entries(flat).filter(([name]) => !['tasks', 'margins', 'weights'].includes(name)));
  return {
    ...FUSION_DEFAULTS,
    ...scalars,
    tasks: String(flat.tasks).split(',').filter(Boolean) as TaskName[],
    margins: pairs(flat.margins),
    weights: pairs(flat.weights),
  };
}

function pcaArrays(prefix: string, pca: Pca): Record<string, ArtifactArray> {
  return { [`${prefix}Mean`]: pca.mean, [`${prefix}Components`]: pca.components, [`${prefix}Variances`]: pca.variances };
}

function pcaFrom(artifact: Artifact, prefix: string, dim: number): Pca {
  const variances = requireArray(artifact, `${prefix}Variances`, Float32Array);
  return {
    dim,
    rank: variances.length,
    mean: requireArray(artifact, `${prefix}Mean`, Float32Array),
    components: requireArray(artifact, `${prefix}Components`, Float32Array),
    variances,
  };
}

export async function saveFusion(
  dir: string,
  model: FusionModel,
  trained: TrainedFusion,
  datasetHash: string | null,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { projection, weights } = model;
  const metrics: Record<string, number> = {
    seconds: trained.seconds,
    epochs: trained.epochs.length,
    bestEpoch: trained.bestEpoch,
    textOnlyAlignment: trained.textOnlyAlignment,
  };
  for (const task of trained.tasks) {
    metrics[`${task.name}.anchors`] = task.anchors;
    metrics[`${task.name}.validationAccuracy`] = task.validationAccuracy;
    metrics[`${task.name}.testAccuracy`] = task.testAccuracy;
    metrics[`${task.name}.fixedTestAccuracy`] = task.fixedTestAccuracy;
  }
  await saveArtifact(
    dir,
    {
      kind: 'fusion',
      name: 'dna',
      version: FUSION_VERSION,
      params: flatParams(model.params),
      seed: model.seed,
      datasetHash,
      trainedOn: model.trainedOn,
      // A measure with nothing to average (no test movie with a poster, say) is NaN, which JSON cannot hold: left out.
      metrics: Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value))),
      data: { ...extra, inputs: model.inputs, key: model.key, shape: weights.shape },
    },
    {
      ...pcaArrays('text', projection.text),
      ...(projection.image ? pcaArrays('image', projection.image) : {}),
      w0: weights.w0,
      w1: weights.w1,
      b1: weights.b1,
      w2: weights.w2,
      b2: weights.b2,
      trainMovies: trained.parts.train,
      validationMovies: trained.parts.validation,
      testMovies: trained.parts.test,
    },
  );
}

export async function loadFusion(dir: string, artifact?: Artifact): Promise<FusionModel & { testMovies: Int32Array }> {
  const loaded = artifact ?? (await loadArtifact(dir));
  const { manifest } = loaded;
  if (manifest.kind !== 'fusion' || manifest.version !== FUSION_VERSION) {
    throw new InputError(
      { file: dir },
      `a ${manifest.kind} "${manifest.name}" version ${manifest.version}, not a fusion version ${FUSION_VERSION}: run \`reelsense train fusion\``,
    );
  }
  const data = manifest.data as { inputs: FusionModel['inputs']; key: string; shape: NetworkWeights['shape'] };
  return {
    params: parsedParams(manifest.params),
    seed: manifest.seed ?? 1,
    projection: {
      text: pcaFrom(
        loaded,
        'text',
        data.inputs.text.reduce((sum, space) => sum + space.dim, 0),
      ),
      image: data.inputs.image ? pcaFrom(loaded, 'image', data.inputs.image.dim) : null,
    },
    weights: {
      shape: data.shape,
      w0: requireArray(loaded, 'w0', Float32Array),
      w1: requireArray(loaded, 'w1', Float32Array),
      b1: requireArray(loaded, 'b1', Float32Array),
      w2: requireArray(loaded, 'w2', Float32Array),
      b2: requireArray(loaded, 'b2', Float32Array),
    },
    trainedOn: manifest.trainedOn,
    inputs: data.inputs,
    key: data.key,
    testMovies: requireArray(loaded, 'testMovies', Int32Array),
  };
}
