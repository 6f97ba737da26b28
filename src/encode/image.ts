/**
 * The poster encoder: a pretrained vision model (MobileNetV2 by default, CLIP ViT-B/32 when its weights are supplied)
 * run in a pool of worker threads, each holding its own model with one ONNX Runtime thread, so that decoding, resizing
 * and inference of different batches proceed on every core at once. A poster that is missing or cannot be decoded
 * gets no vector: it is reported, never replaced by a blank image.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { silentProgress, type Progress } from '../progress.js';
import { IMAGE_ENCODER_IDS, IMAGE_MODELS, imageEncoderIdSchema, type ImageEncoderId } from './image-models.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './image-worker.js';
import { requireModelFiles, weightsFingerprint, type ModelSource } from './models.js';

export { IMAGE_ENCODER_IDS, type ImageEncoderId } from './image-models.js';

/** An input that got no vector, and why (the file is missing, not an image, truncated…). */
export interface ImageFailure {
  /** Position in the `paths` given to `encode`. */
  index: number;
  path: string;
  reason: string;
}

export interface ImageEncoding {
  /** ok.length × dim, row-major, unit rows: row i belongs to paths[ok[i]]. */
  vectors: Float32Array;
  /** The input positions that were encoded, ascending. */
  ok: Int32Array;
  /** The others, ascending by index. */
  failures: ImageFailure[];
}

export interface ImageEncoder {
  /** 'mobilenet' or 'clip'. */
  readonly id: ImageEncoderId;
  /** Changes with the weights and with this code's way of computing vectors. */
  readonly version: string;
  readonly dim: number;
  encode(paths: readonly string[], progress?: Progress): Promise<ImageEncoding>;
  /** Stops the workers. An idle pool does not keep the process alive, so forgetting this only wastes memory. */
  close(): Promise<void>;
}

export interface ImageEncoderOptions {
  models: ModelSource;
  /** Worker threads; by default one per core. */
  workers?: number;
  /** ONNX Runtime threads per worker: one, so that the workers do not oversubscribe the cores. */
  threadsPerWorker?: number;
  /** Posters per forward pass. */
  batchSize?: number;
}

type BatchReply = Extract<WorkerReply, { type: 'batch' }>;

/** Bumped whenever this code would turn the same poster into a different vector (preprocessing, pooling). */
const REVISION = 1;

export function parseImageEncoderId(value: string): ImageEncoderId {
  const parsed = imageEncoderIdSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`unknown image encoder "${value}": expected one of ${IMAGE_ENCODER_IDS.join(', ')}`);
  return parsed.data;
}

/** The version vectors from this model's weights carry, known without starting the workers. */
export async function imageEncoderVersion(id: ImageEncoderId, models: ModelSource): Promise<string> {
  const { model } = IMAGE_MODELS[id];
  requireModelFiles(models, model);
  return `${REVISION}.${await weightsFingerprint(models, model)}`;
}

/** Starts the workers and waits until each has loaded its model. */
export async function imageEncoder(id: ImageEncoderId, options: ImageEncoderOptions): Promise<ImageEncoder> {
  const spec = IMAGE_MODELS[id];
  requireModelFiles(options.models, spec.model);
  const setup: WorkerSetup = { model: id, source: options.models, threads: options.threadsPerWorker ?? 1 };
  const workers = Array.from({ length: Math.max(1, options.workers ?? availableParallelism()) }, () => new PoolWorker(setup));
  try {
    await Promise.all(workers.map((worker) => worker.ready));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.close()));
    throw error;
  }
  const version = await imageEncoderVersion(id, options.models);
  const batchSize = options.batchSize ?? 16;

  async function encodeAll(paths: readonly string[], progress: Progress): Promise<ImageEncoding> {
    const bar = progress(`${id} posters`, paths.length);
    const batches: { start: number; paths: string[] }[] = [];
    for (let start = 0; start < paths.length; start += batchSize) batches.push({ start, paths: paths.slice(start, start + batchSize) });
    const results: BatchReply[] = [];
    let next = 0;
    // Each worker takes the next batch as soon as it is free; results are put back in input order below.
    await Promise.all(
      workers.map(async (worker) => {
        for (let taken = next++; taken < batches.length; taken = next++) {
          results[taken] = await worker.run({ paths: batches[taken]!.paths });
          bar.tick(batches[taken]!.paths.length);
        }
      }),
    );
    bar.done();

    const okCount = results.reduce((sum, result) => sum + result.ok.length, 0);
    const encoding: ImageEncoding = { vectors: new Float32Array(okCount * spec.dim), ok: new Int32Array(okCount), failures: [] };
    let row = 0;
    results.forEach((result, b) => {
      const { start } = batches[b]!;
      encoding.vectors.set(result.vectors, row * spec.dim);
      for (const position of result.ok) encoding.ok[row++] = start + position;
      for (const { position, reason } of result.failures) encoding.failures.push({ index: start + position, path: paths[start + position]!, reason });
    });
    return encoding;
  }

  // Each worker takes one batch at a time: a second call waits for the first rather than interleaving with it.
  let queue: Promise<unknown> = Promise.resolve();
  const encode = (paths: readonly string[], progress: Progress = silentProgress): Promise<ImageEncoding> => {
    const encoding = queue.then(() => encodeAll(paths, progress));
    queue = encoding.catch(() => undefined);
    return encoding;
  };

  return { id, version, dim: spec.dim, encode, close: async () => void (await Promise.all(workers.map((worker) => worker.close()))) };
}

/** One worker thread, one batch at a time. Unreferenced while idle, so a forgotten pool never keeps the process up. */
class PoolWorker {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  /** What the worker's next reply settles: its start, then each batch. */
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null = null;
  private exited = false;

  constructor(setup: WorkerSetup) {
    this.worker = startWorker(setup);
    this.ready = new Promise((resolve, reject) => {
      this.pending = { resolve: () => resolve(), reject };
    });
    this.worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = null;
      this.worker.unref();
      if (reply.type === 'failed') pending?.reject(new Error(`image encoder worker: ${reply.message}`));
      else pending?.resolve(reply);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new Error(`image encoder worker stopped (exit code ${code})`));
    });
  }

  run(request: WorkerRequest): Promise<BatchReply> {
    if (this.exited) return Promise.reject(new Error('image encoder worker has stopped: the encoder was closed'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve: (reply) => resolve(reply as BatchReply), reject };
      this.worker.ref();
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}

/**
 * Built code runs the compiled worker. From source (tsx, vitest) the worker is TypeScript: a one-line bootstrap
 * registers tsx in the new thread first, since Node 20 does not pass loader hooks on to workers.
 */
function startWorker(setup: WorkerSetup): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(fromSource ? './image-worker.ts' : './image-worker.js', import.meta.url);
  if (!fromSource) return new Worker(workerUrl, { workerData: setup });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}
