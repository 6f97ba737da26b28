import type { ModelDefinition, ModelParams } from '../recommender.js';
import { implicitMfModel } from './als.js';
import { easeModel } from './ease.js';
import { itemKnnModel } from './itemknn.js';

/**
 * The models whose top lists join the DNA's candidates and whose scores the ranker blends, with the parameters they
 * serve with: the tuned defaults, except EASE's weights kept sparse (dense ones are n² floats; on ml-latest-small's
 * validation split the sparse 1,000 per movie at λ 500 scored nDCG@10 0.112 against the dense best's 0.113).
 */
export const CANDIDATE_MODELS: readonly { definition: ModelDefinition; params: ModelParams }[] = [
  { definition: itemKnnModel, params: itemKnnModel.defaults },
  { definition: implicitMfModel, params: implicitMfModel.defaults },
  { definition: easeModel, params: { ...easeModel.defaults, lambda: 500, neighbours: 1000 } },
];
