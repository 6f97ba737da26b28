/**
 * The collaborative stage of the main job: item-kNN and MF fitted on every rating, saved for the service's candidate
 * stage; reused while the ratings, the parameters and the seed are the ones they were fitted on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../artifacts.js';
import { UsageError } from '../errors.js';
import { datasetHash } from '../eval/dataset.js';
import { interactionsFingerprint } from '../interactions.js';
import type { Progress } from '../progress.js';
import { trainingSet, type ModelDefinition, type Recommender } from '../recommender.js';
import { loadRecommender } from '../registry.js';
import type { Store } from '../store/store.js';
import { implicitMfModel } from './als.js';
import { itemKnnModel } from './itemknn.js';

/** The models whose top lists join the DNA's candidates. */
export const CANDIDATE_MODELS: readonly ModelDefinition[] = [itemKnnModel, implicitMfModel];

export const collaborativeDir = (artifacts: string, name: string) => join(artifacts, 'models', name);

export interface CollaborativeReport {
  models: { name: string; fitted: boolean; seconds: number; artifact: string }[];
  seconds: number;
}

export async function fitCollaborative(store: Store, options: { artifacts: string; seed: number; force: boolean }, progress: Progress): Promise<CollaborativeReport> {
  const started = performance.now();
  const [movies, interactions] = await Promise.all([store.listMovies(), store.readInteractions()]);
  const trainedOn = interactionsFingerprint(interactions);
  const train = trainingSet({ movies, interactions, datasetHash: datasetHash({ movies, interactions }) });
  const models: CollaborativeReport['models'] = [];
  for (const definition of CANDIDATE_MODELS) {
    const dir = collaborativeDir(options.artifacts, definition.name);
    const modelStarted = performance.now();
    const saved = !options.force && existsSync(join(dir, 'manifest.json')) ? await readManifest(dir).catch(() => null) : null;
    const current = saved?.trainedOn === trainedOn && saved.seed === options.seed && JSON.stringify(saved.params) === JSON.stringify(definition.defaults);
    if (!current) {
      const model = definition.create(definition.defaults, options.seed);
      await model.fit(train, progress);
      await model.save(dir);
    }
    models.push({ name: definition.name, fitted: !current, seconds: (performance.now() - modelStarted) / 1000, artifact: dir });
  }
  return { models, seconds: (performance.now() - started) / 1000 };
}

/**
 * The saved candidate models. Ratings made since their fit still count: a query carries the user's current history,
 * which item-kNN reads as it is and MF folds in.
 */
export async function loadCollaborative(artifacts: string): Promise<Recommender[]> {
  const models: Recommender[] = [];
  for (const definition of CANDIDATE_MODELS) {
    const dir = collaborativeDir(artifacts, definition.name);
    if (!existsSync(join(dir, 'manifest.json')))
      throw new UsageError(`no ${definition.name} model in ${dir}: run the main job (\`reelsense pipeline\`) or \`reelsense train cf\``);
    models.push(await loadRecommender(dir));
  }
  return models;
}
