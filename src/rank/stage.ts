/**
 * The ranking stage of the main job: the two towers and the blend fitted on every rating, against the store's movie
 * DNA, the production taste updater and the collaborative models of `train cf`; reused while all of those, the
 * parameters and the seed are the ones it was fitted on.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadArtifact, readManifest, saveArtifact } from '../artifacts.js';
import { loadCollaborative } from '../cf/stage.js';
import { UsageError } from '../errors.js';
import { datasetHash } from '../eval/dataset.js';
import { interactionsFingerprint } from '../interactions.js';
import { TasteProfiles } from '../profile/profiles.js';
import { loadProductionUpdater, requireDna } from '../profile/stage.js';
import type { Progress } from '../progress.js';
import { DnaTable } from '../recommend/dna-table.js';
import { trainingSet } from '../recommender.js';
import type { Store } from '../store/store.js';
import { fitRanker, rankingSignals, type RankerFit, type RankerOptions } from './fit-ranker.js';
import { rankerArrays, restoreRanker, type RankerState } from './ranker.js';
import type { CollaborativeModels, RankingSignals } from './signals.js';
import { TOWER_DEFAULTS } from './train-tower.js';

/** Bumped when fitting or applying the ranker changes meaning: a saved ranker of another version is fitted again. */
export const RANKER_VERSION = '5';

export const RANKER_DEFAULTS: RankerOptions = { ...TOWER_DEFAULTS, candidates: 200 };

export const rankerDir = (artifacts: string) => join(artifacts, 'ranker');

export interface RankerReport {
  /** False when the saved ranker was reused. */
  fitted: boolean;
  artifact: string;
  metrics: RankerFit['metrics'];
  seconds: number;
}

type FitRecord = { key: string; metrics: RankerFit['metrics'] };

export async function trainProductionRanker(
  store: Store,
  options: { artifacts: string; seed: number; force: boolean; params?: RankerOptions },
  progress: Progress,
): Promise<RankerReport> {
  const started = performance.now();
  const params = options.params ?? RANKER_DEFAULTS;
  const set = await requireDna(store);
  const [movies, interactions, updater, collaborative] = await Promise.all([
    store.listMovies(),
    store.readInteractions(),
    loadProductionUpdater(options.artifacts, set),
    loadCollaborative(options.artifacts),
  ]);
  const trainedOn = interactionsFingerprint(interactions);
  const key = createHash('sha256')
    .update(JSON.stringify({ version: RANKER_VERSION, dna: set.space.version, trainedOn, params, seed: options.seed, collaborative: collaborative.fittedOn }))
    .digest('hex');
  const dir = rankerDir(options.artifacts);
  const saved = !options.force && existsSync(join(dir, 'manifest.json')) ? await readManifest(dir).catch(() => null) : null;
  const record = saved?.data as FitRecord | undefined;
  if (saved?.version === RANKER_VERSION && record?.key === key)
    return { fitted: false, artifact: dir, metrics: record.metrics, seconds: (performance.now() - started) / 1000 };

  const dna = new DnaTable(set.ids, set.vectors, set.space.dim);
  const profiles = new TasteProfiles(dna, updater);
  const train = trainingSet({ movies, interactions, datasetHash: datasetHash({ movies, interactions }) });
  const fit = await fitRanker(
    train,
    { dna, taste: (history, userId) => profiles.historyTaste(history, 'updater', userId) },
    collaborative.models,
    params,
    options.seed,
    progress,
  );
  await saveArtifact(
    dir,
    {
      kind: 'ranker',
      name: 'two-tower-blend',
      version: RANKER_VERSION,
      params: { ...params },
      seed: options.seed,
      datasetHash: train.datasetHash,
      trainedOn,
      metrics: { blendLossStart: fit.metrics.blend.lossStart, blendLossEnd: fit.metrics.blend.lossEnd, towerRecall10: Math.max(...fit.metrics.towers.recallAt10) },
      data: { key, metrics: fit.metrics, dnaVersion: set.space.version, collaborative: collaborative.fittedOn } satisfies FitRecord & Record<string, unknown>,
    },
    rankerArrays(fit.state),
  );
  return { fitted: true, artifact: dir, metrics: fit.metrics, seconds: (performance.now() - started) / 1000 };
}

/**
 * The production ranker's signals over the loaded DNA and collaborative models; refused when it was fitted against
 * another DNA or other collaborative models (its towers read their factors).
 */
export async function loadProductionRanker(
  artifacts: string,
  dna: DnaTable,
  dnaVersion: string,
  collaborative: { models: CollaborativeModels; fittedOn: string },
): Promise<{ state: RankerState; signals: RankingSignals }> {
  const dir = rankerDir(artifacts);
  if (!existsSync(join(dir, 'manifest.json'))) throw new UsageError(`no ranker in ${dir}: run the main job (\`reelsense pipeline\`) or \`reelsense train ranker\``);
  const artifact = await loadArtifact(dir);
  const data = artifact.manifest.data as { dnaVersion?: string; collaborative?: string } | undefined;
  if (
    artifact.manifest.kind !== 'ranker' ||
    artifact.manifest.version !== RANKER_VERSION ||
    data?.dnaVersion !== dnaVersion ||
    data.collaborative !== collaborative.fittedOn
  ) {
    throw new UsageError(
      `the ranker in ${dir} was fitted against another movie DNA, other collaborative models or an older version: run \`reelsense train ranker\` again`,
    );
  }
  const state = restoreRanker(artifact);
  return { state, signals: await rankingSignals(dna, state, collaborative.models) };
}
