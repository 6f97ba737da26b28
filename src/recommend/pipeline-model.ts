/**
 * `pipeline`: the whole recommendation path as one model for `evaluate`. fit trains every stage on the training set
 * alone (the DNA and the taste updater as `profile-updater` does; item-kNN, MF and EASE for collaborative candidates
 * and signals; the two-tower ranker and the blend, src/rank/fit-ranker.ts); a query runs src/recommend/path.ts, as the
 * service does.
 */
import { join } from 'node:path';
import { loadArtifact, saveArtifact } from '../artifacts.js';
import type { MovieId } from '../domain.js';
import type { Progress } from '../progress.js';
import { UPDATER_DEFAULTS } from '../profile/train-updater.js';
import { UpdaterRecommender, type UpdaterModelParams } from '../profile/updater-model.js';
import { DNA_MODEL_DEFAULTS, trainedDnaSpace } from '../fuse/spaces.js';
import { collaborativeModels, fitCollaborativeModels, fitRanker, rankingSignals, type RankerContext } from '../rank/fit-ranker.js';
import { collaborativeCandidates, learnedScorer, rankerArrays, restoreRanker, type RankerState } from '../rank/ranker.js';
import { COLLABORATIVE_SOURCES, type CollaborativeModels } from '../rank/signals.js';
import { TOWER_DEFAULTS } from '../rank/train-tower.js';
import { defineModel, type ModelDefinition, type RecommendOptions, type RecommendQuery, type Recommender, type Scored, type TrainingSet } from '../recommender.js';
import { dnaCandidates, exactMovieIndex, type CandidateQuery } from './candidates.js';
import { DnaTable } from './dna-table.js';
import { DEFAULT_CANDIDATES, pathCandidates, recommendPath, type PathStages } from './path.js';

export type PipelineModelParams = UpdaterModelParams & { candidates: number; lambda: number; rankerEpochs: number };

const PIPELINE_VERSION = '2';

interface Fitted {
  profile: UpdaterRecommender;
  collaborative: CollaborativeModels;
  ranker: RankerState;
  stages: PathStages;
  trainedOn: string;
  datasetHash: string | null;
}

export class PipelineRecommender implements Recommender {
  readonly name = 'pipeline';
  private fitted?: Fitted;

  constructor(
    private readonly params: PipelineModelParams,
    private readonly seed: number,
  ) {}

  async fit(train: TrainingSet, progress?: Progress): Promise<void> {
    const profile = this.profileModel();
    await profile.fit(train, progress);
    const collaborative = await fitCollaborativeModels(train, this.seed, progress);
    const dna = dnaTable(profile);
    const context: RankerContext = { dna, taste: (history, userId) => profile.queryTaste({ history, ...(userId === undefined ? {} : { userId }) }) };
    const options = { ...TOWER_DEFAULTS, epochs: this.params.rankerEpochs, candidates: this.params.candidates };
    const { state } = await fitRanker(train, context, collaborative, options, this.seed, progress);
    this.fitted = await this.assemble(profile, collaborative, state, train.trainedOn, train.datasetHash);
  }

  async recommend(query: RecommendQuery, n: number, options: RecommendOptions = {}): Promise<Scored[]> {
    const { stages } = this.require();
    const candidateQuery = this.candidateQuery(query);
    if (!candidateQuery) return [];
    const keep = options.filter;
    const items = await recommendPath(stages, candidateQuery, n, {
      lambda: options.lambda ?? this.params.lambda,
      candidates: this.params.candidates,
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(keep ? { keep } : {}),
    });
    // The scorer's relevance, as `score` gives it; with λ < 1 the list is in MMR order, which may differ from it.
    return items.map((item) => ({ movieId: item.movieId, score: item.relevance }));
  }

  async score(query: RecommendQuery, movieIds: readonly MovieId[]): Promise<Float32Array> {
    const { stages } = this.require();
    const candidateQuery = this.candidateQuery(query);
    if (!candidateQuery) return new Float32Array(movieIds.length).fill(Number.NaN);
    // Relative to the candidates the path would score, so a movie's score is the one its ranking gives it.
    const reference = [...(await pathCandidates(stages, candidateQuery, 0, { candidates: this.params.candidates })).keys()];
    return stages.scorer.score(candidateQuery, movieIds, reference);
  }

  async similarItems(movieId: MovieId, n: number): Promise<Scored[]> {
    return this.require().profile.similarItems(movieId, n);
  }

  /** One artifact whose parts are the stages' own artifacts, swapped in as a whole. */
  async save(dir: string): Promise<void> {
    const { profile, collaborative, ranker, trainedOn, datasetHash } = this.require();
    await saveArtifact(
      dir,
      { kind: 'model', name: this.name, version: PIPELINE_VERSION, params: this.params, seed: this.seed, datasetHash, trainedOn },
      rankerArrays(ranker),
      {
        parts: {
          profile: (path) => profile.save(path),
          ...Object.fromEntries(COLLABORATIVE_SOURCES.map((source) => [source, (path: string) => collaborative[source].save(path)])),
        },
      },
    );
  }

  async load(dir: string): Promise<void> {
    const artifact = await loadArtifact(dir);
    const { manifest } = artifact;
    if (manifest.kind !== 'model' || manifest.name !== this.name || manifest.version !== PIPELINE_VERSION) {
      throw new Error(`${dir}: a ${manifest.kind} "${manifest.name}" version ${manifest.version}, not a ${this.name} model version ${PIPELINE_VERSION}`);
    }
    const profile = this.profileModel();
    const collaborative = collaborativeModels(this.seed);
    await Promise.all([profile.load(join(dir, 'profile')), ...COLLABORATIVE_SOURCES.map((source) => collaborative[source].load(join(dir, source)))]);
    this.fitted = await this.assemble(profile, collaborative, restoreRanker(artifact), manifest.trainedOn ?? '', manifest.datasetHash);
  }

  private profileModel(): UpdaterRecommender {
    return new UpdaterRecommender('pipeline-profile', trainedDnaSpace, this.params, this.seed);
  }

  private async assemble(
    profile: UpdaterRecommender,
    collaborative: CollaborativeModels,
    ranker: RankerState,
    trainedOn: string,
    datasetHash: string | null,
  ): Promise<Fitted> {
    const dna = dnaTable(profile);
    const signals = await rankingSignals(dna, ranker, collaborative);
    const stages: PathStages = {
      dna,
      sources: [dnaCandidates(exactMovieIndex(dna)), ...collaborativeCandidates(signals)],
      scorer: learnedScorer(signals, ranker.blend),
      // Evaluate narrows lists with its own test (`keep`), never with a catalog filter: no catalog is kept.
      movie: () => undefined,
    };
    return { profile, collaborative, ranker, stages, trainedOn, datasetHash };
  }

  /** The taste and history a query stands on; null when it gives no taste (no history, no taste). */
  private candidateQuery(query: RecommendQuery): CandidateQuery | null {
    const { profile } = this.require();
    const taste = profile.queryTaste(query);
    if (!taste) return null;
    const history = query.history ?? (query.userId === undefined ? [] : profile.trainingHistory(query.userId));
    return { taste, history, ...(query.userId === undefined ? {} : { userId: query.userId }) };
  }

  private require(): Fitted {
    if (!this.fitted) throw new Error(`${this.name}: call fit() or load() before using the model`);
    return this.fitted;
  }
}

/** The profile model's DNA as the path holds it: the movies that have a vector. */
function dnaTable(profile: UpdaterRecommender): DnaTable {
  const space = profile.movieSpace();
  const rows = Array.from(space.movieIds.keys()).filter((row) => space.hasVector[row]);
  const vectors = new Float32Array(rows.length * space.dim);
  rows.forEach((row, i) => vectors.set(space.vectors.subarray(row * space.dim, (row + 1) * space.dim), i * space.dim));
  return new DnaTable(
    rows.map((row) => space.movieIds[row]!),
    vectors,
    space.dim,
  );
}

export const pipelineModel: ModelDefinition = defineModel<PipelineModelParams>({
  name: 'pipeline',
  description:
    'the recommendation path: candidates from the DNA (ANN by the updater taste) ∪ item-kNN ∪ MF ∪ EASE, scored by the two-tower ranker blended with the other signals (weights learned on a validation part of the training set), MMR re-rank; every stage fitted in fit',
  defaults: { ...DNA_MODEL_DEFAULTS, updaterEpochs: UPDATER_DEFAULTS.epochs, candidates: DEFAULT_CANDIDATES, lambda: 1, rankerEpochs: TOWER_DEFAULTS.epochs },
  grid: {},
  tuneOn: 'ranking',
  needsRatedMovies: false,
  diversifies: true,
  create: (params, seed) => new PipelineRecommender(params, seed),
});
