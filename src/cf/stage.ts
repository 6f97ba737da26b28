/**
 * The collaborative stage of the main job: item-kNN, MF and EASE fitted on every rating, saved for the service's
 * candidates and the ranker's signals; reused while the ratings, the parameters and the seed are the ones they were
 * fitted on.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../artifacts.js';
import { UsageError } from '../errors.js';
import { datasetHash } from '../eval/dataset.js';
import { interactionsFingerprint } from '../interactions.js';
import type { Progress } from '../progress.js';
import { trainingSet, type Recommender } from '../recommender.js';
import { loadRecommender } from '../registry.js';
import type { Store } from '../store/store.js';
import { matrixModel, type CollaborativeModels } from '../rank/signals.js';
import { ImplicitMfRecommender } from './als.js';
import { CANDIDATE_MODELS } from './serving.js';

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
  for (const { definition, params } of CANDIDATE_MODELS) {
    const dir = collaborativeDir(options.artifacts, definition.name);
    const modelStarted = performance.now();
    const saved = !options.force && existsSync(join(dir, 'manifest.json')) ? await readManifest(dir).catch(() => null) : null;
    const current = saved?.trainedOn === trainedOn && saved.seed === options.seed && JSON.stringify(saved.params) === JSON.stringify(params);
    if (!current) {
      const model = definition.create(params, options.seed);
      await model.fit(train, progress);
      await model.save(dir);
    }
    models.push({ name: definition.name, fitted: !current, seconds: (performance.now() - modelStarted) / 1000, artifact: dir });
  }
  return { models, seconds: (performance.now() - started) / 1000 };
}

/**
 * The saved candidate models, with a fingerprint of what they were fitted on (the ranker records it). Ratings made
 * since their fit still count: a query carries the user's current history, which item-kNN and EASE read as it is and
 * MF folds in.
 */
export async function loadCollaborative(artifacts: string): Promise<{ models: CollaborativeModels; fittedOn: string }> {
  const loaded: Recommender[] = [];
  const fits: unknown[] = [];
  for (const { definition } of CANDIDATE_MODELS) {
    const dir = collaborativeDir(artifacts, definition.name);
    if (!existsSync(join(dir, 'manifest.json')))
      throw new UsageError(`no ${definition.name} model in ${dir}: run the main job (\`reelsense pipeline\`) or \`reelsense train cf\``);
    const manifest = await readManifest(dir);
    fits.push([manifest.name, manifest.version, manifest.trainedOn, manifest.seed, manifest.params]);
    loaded.push(await loadRecommender(dir));
  }
  const [itemknn, mf, ease] = loaded;
  if (!(mf instanceof ImplicitMfRecommender)) throw new UsageError(`${collaborativeDir(artifacts, 'mf')} does not hold an implicit MF model`);
  return { models: { itemknn: matrixModel(itemknn!), mf, ease: matrixModel(ease!) }, fittedOn: createHash('sha256').update(JSON.stringify(fits)).digest('hex') };
}
