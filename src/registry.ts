/** Every model `evaluate` can build by name. A new model (content, fused, full pipeline) is one more entry here. */
import { implicitMfModel } from './cf/als.js';
import { biasedMfModel } from './cf/biased-mf.js';
import { itemKnnModel } from './cf/itemknn.js';
import { popularityModel } from './cf/popularity.js';
import { randomModel } from './cf/random.js';
import type { ModelDefinition } from './recommender.js';

export const MODELS: readonly ModelDefinition[] = [randomModel, popularityModel, itemKnnModel, implicitMfModel, biasedMfModel];

export const MODEL_NAMES = MODELS.map((model) => model.name);

export function modelByName(name: string): ModelDefinition | undefined {
  return MODELS.find((model) => model.name === name);
}
