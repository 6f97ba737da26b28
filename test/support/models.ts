import type { ModelDefinition, ModelParams, RecommendOptions, RecommendQuery, Recommender, Scored, TrainingSet } from '../../src/recommender.js';
import { defineModel } from '../../src/recommender.js';

/** What a test model does; everything left out is a no-op or an empty answer. */
export interface TestModelBehaviour {
  fit?: (train: TrainingSet) => Promise<void>;
  recommend?: (query: RecommendQuery, n: number, options?: RecommendOptions) => Scored[] | Promise<Scored[]>;
}

/** A model for harness tests (a recorder, a cheat): the contract filled in around the behaviour under test. */
export function testModel(name: string, behaviour: TestModelBehaviour): Recommender {
  return {
    name,
    fit: behaviour.fit ?? (async () => undefined),
    recommend: async (query, n, options) => (behaviour.recommend ? behaviour.recommend(query, n, options) : []),
    score: async (_query, movieIds) => new Float32Array(movieIds.length).fill(Number.NaN),
    similarItems: async () => [],
    save: async () => {
      throw new Error(`${name} is a test model: nothing to save`);
    },
    load: async () => {
      throw new Error(`${name} is a test model: nothing to load`);
    },
  };
}

/** A registry entry for a test model with a tunable grid. */
export function testDefinition<P extends ModelParams>(
  name: string,
  parts: { defaults: P; grid?: ModelDefinition<P>['grid']; needsRatedMovies?: boolean },
  create: (params: P) => Recommender,
): ModelDefinition {
  return defineModel<P>({
    name,
    description: `test model ${name}`,
    defaults: parts.defaults,
    grid: parts.grid ?? {},
    tuneOn: 'ranking',
    needsRatedMovies: parts.needsRatedMovies ?? false,
    create,
  });
}
