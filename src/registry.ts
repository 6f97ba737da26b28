/** Every model `evaluate` can build by name. A new model (content, fused, full pipeline) is one more entry here. */
import { implicitMfModel } from './cf/als.js';
import { biasedMfModel } from './cf/biased-mf.js';
import { easeModel } from './cf/ease.js';
import { itemKnnModel } from './cf/itemknn.js';
import { popularityModel } from './cf/popularity.js';
import { randomModel } from './cf/random.js';
import { contentModel, storedContentSpace } from './profile/content.js';
import { RECENCY_WEIGHTED } from './profile/taste.js';
import { checkTrainedOn, readManifest } from './artifacts.js';
import { DNA_MODEL_DEFAULTS, fixedSpace, trainedDnaSpace } from './fuse/spaces.js';
import { profileUpdaterModel } from './profile/updater-model.js';
import { pipelineModel } from './recommend/pipeline-model.js';
import { InputError } from './errors.js';
import type { ModelDefinition, Recommender } from './recommender.js';

/** Models that learn from ratings alone (and the random floor): they run on any store, encoded or not. */
export const CF_MODELS: readonly ModelDefinition[] = [randomModel, popularityModel, itemKnnModel, implicitMfModel, biasedMfModel, easeModel];

/** Content-only models, one per movie space: they need the store's vectors (`reelsense encode`). */
export const CONTENT_MODELS: readonly ModelDefinition[] = [
  contentModel({
    name: 'content-text',
    description: "content only: cosine to the user's rating-weighted taste in the preferred text space",
    provider: storedContentSpace('text'),
  }),
  contentModel({
    name: 'content-image',
    description: "content only: cosine to the user's rating-weighted taste in the preferred poster space",
    provider: storedContentSpace('image'),
  }),
  contentModel({
    name: 'content-fixed',
    description: "content only: cosine to the user's taste in the fixed fusion (0.7·text + 0.3·poster after PCA), computed in fit",
    provider: (train, _params, seed) => fixedSpace(train, seed),
  }),
  contentModel({
    name: 'content-dna',
    description: "content only: cosine to the user's taste in the movie DNA, trained in fit on the training part (its co-rated task on training ratings only)",
    defaults: DNA_MODEL_DEFAULTS,
    provider: trainedDnaSpace,
  }),
];

/** Models of a user's taste that moves (DESIGN §3.3), in the movie DNA trained in fit. */
export const PROFILE_MODELS: readonly ModelDefinition[] = [
  contentModel({
    name: 'profile-weighted',
    description: "the user's weighted profile in the movie DNA (trained in fit): their last 50 ratings, recency decay × rating preference",
    defaults: DNA_MODEL_DEFAULTS,
    provider: trainedDnaSpace,
    taste: RECENCY_WEIGHTED,
  }),
  profileUpdaterModel,
];

/** The whole recommendation path (src/recommend/). */
export const PIPELINE_MODELS: readonly ModelDefinition[] = [pipelineModel];

export const MODELS: readonly ModelDefinition[] = [...CF_MODELS, ...CONTENT_MODELS, ...PROFILE_MODELS, ...PIPELINE_MODELS];

export const MODEL_NAMES = MODELS.map((model) => model.name);

export function modelByName(name: string): ModelDefinition | undefined {
  return MODELS.find((model) => model.name === name);
}

/**
 * A saved model, built by the name its manifest records. With `trainedOn`, refuses one fitted on other ratings (under
 * `evaluate`, the split's training part is the only acceptable one).
 */
export async function loadRecommender(dir: string, options: { trainedOn?: string } = {}): Promise<Recommender> {
  const manifest = await readManifest(dir);
  const definition = modelByName(manifest.name);
  if (manifest.kind !== 'model' || !definition) {
    throw new InputError({ file: dir }, `a ${manifest.kind} "${manifest.name}", not a model reelsense knows (${MODEL_NAMES.join(', ')})`);
  }
  if (options.trainedOn) checkTrainedOn(`model ${manifest.name} in ${dir}`, manifest.trainedOn, options.trainedOn);
  const model = definition.create(manifest.params, manifest.seed ?? 1);
  await model.load(dir);
  return model;
}
