/**
 * Training the fusion network: batches built from each task's anchors and a positive partner, modality dropout, an
 * alignment term that pulls a movie's text-only embedding onto its full one, the multi-task triplet loss, Adam, and
 * early stopping on the validation movies' triplet accuracy. Movies are split three ways by a seeded hash of their id:
 * training, validation (early stopping) and test (held out from everything, for the quality report).
 */
import { EMPTY_MOVIE, type Movie, type MovieId } from '../domain.js';
import { UsageError } from '../errors.js';
import type { Interactions } from '../interactions.js';
import { matrix } from '../math/gemm.js';
import { hashInts, seededRandom, type Random } from '../math/random.js';
import { spaceQuality, type QualityMeasures } from '../eval/embedding-quality.js';
import { silentProgress, type Progress } from '../progress.js';
import { coRatedNeighbours } from './corated.js';
import { fitProjection, fixedFusionMap, fusionInput, fusionInputWidth, projectContent, type ContentProjection, type ProjectedContent } from './features.js';
import { FIXED_WEIGHTS, fixedFusion } from './fixed.js';
import type { ContentInputs } from './inputs.js';
import { tripletLoss, type LossTask } from './mining.js';
import { Adam, backward, copyWeights, forward, initialWeights, type NetworkWeights } from './network.js';
import { buildTasks, TASK_NAMES, type Task, type TaskName } from './tasks.js';

export interface FusionParams {
  /** The DNA's dimension. */
  dim: number;
  hidden: number;
  /** Principal components kept of the text and of the poster vectors. */
  textComponents: number;
  imageComponents: number;
  /** At most this many epochs; early stopping usually ends sooner. */
  epochs: number;
  /** Epochs without a better validation accuracy before stopping. */
  patience: number;
  /** Anchors drawn per task per batch; each brings one positive partner. */
  anchorsPerTask: number;
  learningRate: number;
  /** The linear path's rate: it starts as the fixed fusion, whose structure a full-rate Adam step would wash out. */
  linearRate: number;
  weightDecay: number;
  /** Epochs over which the rates rise linearly from zero: Adam's first steps move every weight by a full rate, noise included. */
  warmupEpochs: number;
  /** Chance that a movie's poster is hidden in a training batch, so the text-only input learns to stand alone. */
  imageDropout: number;
  /** Share of a batch's movies with a poster that also enter text-only, pulled onto their full embedding. */
  alignShare: number;
  alignWeight: number;
  tasks: readonly TaskName[];
  margins: Record<TaskName, number>;
  weights: Record<TaskName, number>;
  validationShare: number;
  testShare: number;
}

export const FUSION_DEFAULTS: FusionParams = {
  dim: 128,
  hidden: 512,
  textComponents: 256,
  imageComponents: 128,
  epochs: 20,
  patience: 6,
  anchorsPerTask: 24,
  learningRate: 1e-4,
  linearRate: 3e-4,
  weightDecay: 1e-4,
  warmupEpochs: 1,
  imageDropout: 0.3,
  alignShare: 0.25,
  alignWeight: 0.5,
  tasks: TASK_NAMES,
  // Genre pairs are weighted by their Jaccard overlap already, so a smaller margin keeps them from dominating.
  margins: { genre: 0.1, director: 0.2, cast: 0.2, keywords: 0.2, corated: 0.2 },
  weights: { genre: 1, director: 1, cast: 1, keywords: 1, corated: 1 },
  validationShare: 0.1,
  testShare: 0.1,
};

export type MoviePart = 'train' | 'validation' | 'test';

/** Which part a movie belongs to: a seeded hash of its id, so adding movies never moves the others. */
export function moviePart(movieId: MovieId, seed: number, params: Pick<FusionParams, 'validationShare' | 'testShare'>): MoviePart {
  const draw = hashInts(movieId, seed, 0x5eed) / 4294967296;
  return draw < params.testShare ? 'test' : draw < params.testShare + params.validationShare ? 'validation' : 'train';
}

export interface TaskSummary {
  name: TaskName;
  /** Training movies with a positive partner among the training movies. */
  anchors: number;
  groups: number;
  /** Triplet accuracy of the trained DNA on validation anchors, and of the fixed fusion on the same triplets. */
  validationAccuracy: number;
  fixedValidationAccuracy: number;
  testAccuracy: number;
  fixedTestAccuracy: number;
  /** The same test triplets scored with the movies' text-only DNA. */
  textOnlyTestAccuracy: number;
}

export interface EpochSummary {
  epoch: number;
  losses: Record<string, number>;
  /** Triplet accuracy per task on the validation movies. */
  validationAccuracy: Record<string, number>;
  /** Genre precision@10, director and lead-actor recall@10 of the validation movies' nearest movies. */
  validationQuality: QualityMeasures;
  /** The mean of those three, each as a ratio to the fixed fusion's: what early stopping keeps the best of. */
  score: number;
  improved: boolean;
  /** Training steps (batches) of the epoch and their seconds, validation left out. */
  steps: number;
  stepSeconds: number;
}

export interface TrainedFusion {
  params: FusionParams;
  seed: number;
  projection: ContentProjection;
  weights: NetworkWeights;
  /** The fingerprint of the ratings the co-rated task learned from; null when it learned from none. */
  trainedOn: string | null;
  /** Movies of each part, ascending. */
  parts: Record<MoviePart, Int32Array>;
  tasks: TaskSummary[];
  epochs: EpochSummary[];
  bestEpoch: number;
  /** Mean cosine between a test movie's text-only DNA and its full DNA, over test movies with a poster. */
  textOnlyAlignment: number;
  seconds: number;
}

export interface TrainFusionInput {
  inputs: ContentInputs;
  /** The catalog: genres, directors, cast and keywords define the tasks. */
  movies: readonly Movie[];
  /** The ratings the co-rated task learns from (training ratings only, under evaluate); null for none. */
  interactions: Interactions | null;
  trainedOn: string | null;
}

export interface TrainFusionOptions {
  progress?: Progress;
  /** Called after each epoch, e.g. to print a line. */
  onEpoch?: (summary: EpochSummary) => void;
}

/** Triplets fixed once for scoring a part: anchor, positive, negative rows. */
interface Triplets {
  anchor: Int32Array;
  positive: Int32Array;
  negative: Int32Array;
}

const TRIPLETS_PER_ANCHOR = 2;
const NEGATIVE_DRAWS = 64;
const EMBED_CHUNK = 2048;

export async function trainFusion(input: TrainFusionInput, params: FusionParams, seed: number, options: TrainFusionOptions = {}): Promise<TrainedFusion> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const { inputs } = input;
  const rows = inputs.movieIds.length;
  const catalog = new Map(input.movies.map((movie) => [movie.movieId, movie]));
  const rowMovies = Array.from(inputs.movieIds, (movieId) => catalog.get(movieId) ?? blankMovie(movieId));
  const partOf = Array.from(inputs.movieIds, (movieId) => moviePart(movieId, seed, params));
  const mask = (part: MoviePart) => Uint8Array.from(partOf, (p) => (p === part ? 1 : 0));

  const wantsCoRated = params.tasks.includes('corated');
  if (wantsCoRated && !input.interactions)
    throw new UsageError('the co-rated task needs ratings: give the training ratings, or disable the task (--tasks without corated)');
  const coRated = wantsCoRated && input.interactions ? coRatedNeighbours(inputs.movieIds, input.interactions) : null;
  const trainTasks = buildTasks(rowMovies, coRated, params.tasks, mask('train'));
  const allTasks = buildTasks(rowMovies, coRated, params.tasks, new Uint8Array(rows).fill(1));
  const empty = trainTasks.filter((task) => task.anchors.length === 0).map((task) => task.name);
  if (empty.length > 0) {
    throw new UsageError(
      `no training pairs for the task${empty.length > 1 ? 's' : ''} ${empty.join(', ')}: the catalog has no shared ${empty.join(' / ')} among the training movies. ` +
        `Check the catalog's fields, or leave the task out explicitly with --tasks`,
    );
  }

  const projection = await fitProjection(inputs, { text: params.textComponents, image: params.imageComponents }, seed);
  const content = await projectContent(projection, inputs);
  const fixed = await fixedFusion(inputs, params.dim, seed);
  const validation = allTasks.map((task) => partTriplets(task, mask('validation'), seededRandom(seed + 11)));
  const test = allTasks.map((task) => partTriplets(task, mask('test'), seededRandom(seed + 13)));

  const random = seededRandom(seed);
  const shape = { input: fusionInputWidth(content), hidden: params.hidden, output: params.dim };
  let weights = initialWeights(shape, random, fixedFusionMap(content, params.dim, FIXED_WEIGHTS));
  const optimiser = new Adam(
    weights,
    { w0: params.linearRate, w1: params.learningRate, b1: params.learningRate, w2: params.learningRate, b2: params.learningRate },
    params.weightDecay,
  );
  const anchorsPerBatch = params.anchorsPerTask * trainTasks.length;
  const batches = Math.max(1, Math.ceil(mask('train').reduce((sum, m) => sum + m, 0) / anchorsPerBatch));
  const epochs: EpochSummary[] = [];
  // Early stopping watches what the DNA is for, finding alike movies among all of them, measured on validation movies.
  const validationIds = new Set(inputs.movieIds.filter((_, row) => partOf[row] === 'validation'));
  const validationQuality = (vectors: Float32Array, dim: number) =>
    spaceQuality({ name: 'validation', dim, ids: Array.from(inputs.movieIds), vectors }, catalog, validationIds);
  const fixedQuality = await validationQuality(fixed.vectors, fixed.dim);
  // Epoch 0 is the untrained network, the fixed fusion itself: training is kept only where it improves on it.
  let best = {
    score: relativeScore(await validationQuality(await embedRows(weights, content, false), params.dim), fixedQuality),
    epoch: 0,
    weights: copyWeights(weights),
  };

  for (let epoch = 1; epoch <= params.epochs; epoch++) {
    const bar = progress(`fusion epoch ${epoch}`, batches);
    const epochStarted = performance.now();
    const lossSums: Record<string, number> = {};
    for (let batch = 0; batch < batches; batch++) {
      const warmup = Math.min(1, ((epoch - 1) * batches + batch + 1) / Math.max(1, params.warmupEpochs * batches));
      const losses = await trainStep(weights, optimiser, content, trainTasks, params, random, warmup);
      for (const [name, value] of Object.entries(losses)) lossSums[name] = (lossSums[name] ?? 0) + value;
      bar.tick(
        1,
        `loss ${Object.entries(lossSums)
          .map(([name, sum]) => `${name} ${(sum / (batch + 1)).toFixed(3)}`)
          .join(' ')}`,
      );
    }
    bar.done();
    const stepSeconds = (performance.now() - epochStarted) / 1000;
    const embeddings = await embedRows(weights, content, false);
    const accuracy = Object.fromEntries(allTasks.map((task, t) => [task.name, tripletAccuracy(embeddings, params.dim, validation[t]!)]));
    const quality = await validationQuality(embeddings, params.dim);
    const score = relativeScore(quality, fixedQuality);
    const improved = score > best.score;
    if (improved) best = { score, epoch, weights: copyWeights(weights) };
    const summary: EpochSummary = {
      epoch,
      losses: Object.fromEntries(Object.entries(lossSums).map(([name, sum]) => [name, sum / batches])),
      validationAccuracy: accuracy,
      validationQuality: quality,
      score,
      improved,
      steps: batches,
      stepSeconds,
    };
    epochs.push(summary);
    options.onEpoch?.(summary);
    if (epoch - best.epoch >= params.patience) break;
  }
  weights = best.weights;

  const full = await embedRows(weights, content, false);
  const textOnly = await embedRows(weights, content, true);
  const tasks: TaskSummary[] = trainTasks.map((task, t) => ({
    name: task.name,
    anchors: task.anchors.length,
    groups: task.groups,
    validationAccuracy: tripletAccuracy(full, params.dim, validation[t]!),
    fixedValidationAccuracy: tripletAccuracy(fixed.vectors, fixed.dim, validation[t]!),
    testAccuracy: tripletAccuracy(full, params.dim, test[t]!),
    fixedTestAccuracy: tripletAccuracy(fixed.vectors, fixed.dim, test[t]!),
    textOnlyTestAccuracy: tripletAccuracy(textOnly, params.dim, test[t]!),
  }));
  const parts = Object.fromEntries((['train', 'validation', 'test'] as const).map((part) => [part, inputs.movieIds.filter((_, row) => partOf[row] === part)])) as Record<
    MoviePart,
    Int32Array
  >;
  return {
    params,
    seed,
    projection,
    weights,
    trainedOn: coRated ? input.trainedOn : null,
    parts,
    tasks,
    epochs,
    bestEpoch: best.epoch,
    textOnlyAlignment: alignment(full, textOnly, params.dim, (row) => partOf[row] === 'test' && content.hasImage[row] === 1),
    seconds: (performance.now() - started) / 1000,
  };
}

/** One batch: draw it, forward, loss, backward, update. Returns the batch's loss per task (and the alignment term). */
async function trainStep(
  weights: NetworkWeights,
  optimiser: Adam,
  content: ProjectedContent,
  tasks: readonly Task[],
  params: FusionParams,
  random: Random,
  rateScale: number,
) {
  const batch: number[] = [];
  const position = new Map<number, number>();
  const add = (row: number) => {
    if (!position.has(row)) {
      position.set(row, batch.length);
      batch.push(row);
    }
  };
  for (const task of tasks) {
    for (let i = 0; i < params.anchorsPerTask; i++) {
      const anchor = task.anchors[Math.floor(random() * task.anchors.length)]!;
      add(anchor);
      add(task.partner(anchor, random));
    }
  }
  const size = batch.length;
  const dropped = batch.map((row) => content.hasImage[row] === 1 && random() < params.imageDropout);
  // Text-only copies of some movies whose poster is shown: the alignment term pulls them onto the full embedding.
  const copies = batch.flatMap((row, i) => (content.hasImage[row] === 1 && !dropped[i] && random() < params.alignShare ? [i] : []));
  const rows = [...batch, ...copies.map((i) => batch[i]!)];
  const pass = await forward(
    weights,
    fusionInput(content, rows, (i) => (i < size ? dropped[i]! : true)),
  );
  const dim = params.dim;
  const lossTasks: LossTask[] = tasks.map((task) => ({
    name: task.name,
    relation: (a, b) => task.relation(batch[a]!, batch[b]!),
    margin: params.margins[task.name],
    weight: params.weights[task.name],
  }));
  const triplet = await tripletLoss(matrix(pass.output.data.subarray(0, size * dim), size, dim), lossTasks);
  const gradient = new Float32Array(rows.length * dim);
  gradient.set(triplet.gradient);
  let align = 0;
  copies.forEach((source, k) => {
    const copy = (size + k) * dim;
    const original = source * dim;
    let cosine = 0;
    for (let j = 0; j < dim; j++) cosine += pass.output.data[copy + j]! * pass.output.data[original + j]!;
    align += (1 - cosine) / copies.length;
    // The full embedding is the target and gets no gradient from this term: only the text-only path moves.
    for (let j = 0; j < dim; j++) gradient[copy + j] = (-params.alignWeight * pass.output.data[original + j]!) / copies.length;
  });
  optimiser.update(weights, await backward(weights, pass, gradient), rateScale);
  return { ...Object.fromEntries(triplet.tasks.map((task) => [task.name, task.loss])), align };
}

/** Every movie's unit embedding, in chunks; `textOnly` hides every poster. */
export async function embedRows(weights: NetworkWeights, content: ProjectedContent, textOnly: boolean): Promise<Float32Array> {
  const out = new Float32Array(content.rows * weights.shape.output);
  for (let first = 0; first < content.rows; first += EMBED_CHUNK) {
    const rows = Array.from({ length: Math.min(EMBED_CHUNK, content.rows - first) }, (_, i) => first + i);
    const pass = await forward(
      weights,
      fusionInput(content, rows, () => textOnly),
    );
    out.set(pass.output.data, first * weights.shape.output);
  }
  return out;
}

/** Up to two triplets per anchor of the part: a positive partner anywhere, and a negative drawn at random. */
function partTriplets(task: Task, part: Uint8Array, random: Random): Triplets {
  const anchor: number[] = [];
  const positive: number[] = [];
  const negative: number[] = [];
  const rows = part.length;
  for (const row of task.anchors) {
    if (!part[row]) continue;
    for (let k = 0; k < TRIPLETS_PER_ANCHOR; k++) {
      const partner = task.partner(row, random);
      for (let draw = 0; draw < NEGATIVE_DRAWS; draw++) {
        const candidate = Math.floor(random() * rows);
        if (candidate !== row && task.relation(row, candidate) === 0) {
          anchor.push(row);
          positive.push(partner);
          negative.push(candidate);
          break;
        }
      }
    }
  }
  return { anchor: Int32Array.from(anchor), positive: Int32Array.from(positive), negative: Int32Array.from(negative) };
}

/** Share of triplets whose positive is more similar to the anchor than the negative; NaN when there are none. */
export function tripletAccuracy(vectors: Float32Array, dim: number, triplets: Triplets): number {
  let correct = 0;
  for (let i = 0; i < triplets.anchor.length; i++) {
    const a = triplets.anchor[i]! * dim;
    const p = triplets.positive[i]! * dim;
    const n = triplets.negative[i]! * dim;
    let ap = 0;
    let an = 0;
    for (let j = 0; j < dim; j++) {
      ap += vectors[a + j]! * vectors[p + j]!;
      an += vectors[a + j]! * vectors[n + j]!;
    }
    if (ap > an) correct++;
  }
  return triplets.anchor.length ? correct / triplets.anchor.length : Number.NaN;
}

function alignment(full: Float32Array, textOnly: Float32Array, dim: number, include: (row: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let row = 0; row < full.length / dim; row++) {
    if (!include(row)) continue;
    let cosine = 0;
    for (let j = 0; j < dim; j++) cosine += full[row * dim + j]! * textOnly[row * dim + j]!;
    sum += cosine;
    count++;
  }
  return count ? sum / count : Number.NaN;
}

/** The mean ratio of each measure to the baseline's, over the measures both have (a measure with no movies is NaN). */
function relativeScore(quality: QualityMeasures, baseline: QualityMeasures): number {
  const ratios = (['genrePrecision10', 'directorRecall10', 'castRecall10'] as const)
    .filter((measure) => Number.isFinite(quality[measure]) && baseline[measure] > 0)
    .map((measure) => quality[measure] / baseline[measure]);
  return ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : 0;
}

/** A movie with vectors but no catalog row (removed since it was encoded): in no task's pairs. */
function blankMovie(movieId: MovieId): Movie {
  return { movieId, title: '', ...EMPTY_MOVIE };
}
