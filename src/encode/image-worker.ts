/**
 * One image-encoder worker thread: holds one model and turns a batch of poster paths into unit vectors, reporting the
 * posters it could not read instead of encoding something in their place.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { normaliseRows } from '../math/vector.js';
import { decoderReason } from '../posters.js';
import { IMAGE_MODELS, type ImageEncoderId } from './image-models.js';
import { transformersFor, type ModelSource } from './models.js';

export interface WorkerSetup {
  model: ImageEncoderId;
  source: ModelSource;
  /** ONNX Runtime threads inside this worker. */
  threads: number;
}

/** A batch of posters to encode. */
export interface WorkerRequest {
  paths: string[];
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  /** `vectors` holds one row per entry of `ok` (positions in the batch); the rest are in `failures`. */
  | { type: 'batch'; vectors: Float32Array; ok: number[]; failures: { position: number; reason: string }[] };

interface Tensor {
  data: Float32Array;
  dims: number[];
}

const port = parentPort!;
const setup = workerData as WorkerSetup;
const spec = IMAGE_MODELS[setup.model];

try {
  const transformers = await transformersFor(setup.source);
  const { AutoImageProcessor, RawImage, Tensor } = transformers;
  const processor = await AutoImageProcessor.from_pretrained(spec.model.repo);
  const model = await transformers[spec.loader].from_pretrained(spec.model.repo, {
    dtype: 'q8',
    // Severity 3 (errors only): ONNX Runtime's graph-optimisation notes would otherwise land on stderr.
    session_options: { intraOpNumThreads: setup.threads, interOpNumThreads: 1, logSeverityLevel: 3 },
  });

  /** The model's input for one poster, or why there is none. */
  const pixelsOf = async (path: string): Promise<Tensor | string> => {
    try {
      const image = await RawImage.fromBlob(new Blob([await readFile(path)]));
      return ((await processor(image)) as { pixel_values: Tensor }).pixel_values;
    } catch (error) {
      return decoderReason(error);
    }
  };

  port.on('message', ({ paths }: WorkerRequest) => {
    void (async () => {
      const inputs = await Promise.all(paths.map(pixelsOf));
      const ok: number[] = [];
      const failures: { position: number; reason: string }[] = [];
      const pixels: Tensor[] = [];
      inputs.forEach((input, position) => {
        if (typeof input === 'string') {
          failures.push({ position, reason: input });
        } else {
          ok.push(position);
          pixels.push(input);
        }
      });
      const vectors = new Float32Array(pixels.length * spec.dim);
      if (pixels.length > 0) {
        const [, ...shape] = pixels[0]!.dims;
        const batch = new Float32Array(pixels.length * pixels[0]!.data.length);
        pixels.forEach((tensor, i) => batch.set(tensor.data, i * tensor.data.length));
        const outputs = (await model({ pixel_values: new Tensor('float32', batch, [pixels.length, ...shape]) })) as Record<string, Tensor>;
        vectors.set(outputs[spec.output]!.data);
        normaliseRows(vectors, spec.dim);
      }
      const reply: WorkerReply = { type: 'batch', vectors, ok, failures };
      port.postMessage(reply, [vectors.buffer]);
    })().catch((error: unknown) => port.postMessage({ type: 'failed', message: (error as Error).message } satisfies WorkerReply));
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ type: 'failed', message: (error as Error).message } satisfies WorkerReply);
}
