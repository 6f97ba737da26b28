/**
 * The encode stage: a text vector and a poster vector for every movie, in the store's vector spaces. Each vector
 * carries a hash of what it was computed from (the composed text, the poster's bytes), so a re-run encodes only new
 * or changed movies, and loads no model at all when nothing changed. Vectors are written batch by batch: a run that
 * is stopped keeps what it finished, and the next run goes on from there.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Movie, MovieId } from '../domain.js';
import type { InputWarning } from '../errors.js';
import { posterFile, postersRoot } from '../posters.js';
import { silentProgress, type Progress } from '../progress.js';
import type { Store, VectorSpace, VectorSpaceKey } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { composeMovieText } from './compose.js';
import { imageEncoder, imageEncoderVersion, type ImageEncoderId } from './image.js';
import { IMAGE_MODELS } from './image-models.js';
import { loadMiniLm, MINILM, MINILM_DIM, miniLmVersion } from './minilm.js';
import { hasModelFiles, MODELS_ENV, type ModelSource } from './models.js';
import { textEncoder, type TextEncoderId } from './text.js';
import { TfidfSvdEncoder } from './tfidf-svd.js';

export type ImageChoice = ImageEncoderId | 'auto' | 'none';

export interface EncodeOptions {
  /**
   * auto: MiniLM when the model directory has it, and the built-in tfidf-svd, which needs no weights: the semantic and
   * the lexical view of the text (tfidf-svd keeps names and rare words that MiniLM blurs; the movie DNA fuses both).
   */
  text: TextEncoderId | 'auto';
  image: ImageChoice;
  models: ModelSource;
  /** Where fitted encoders (the tfidf-svd fit) are kept. */
  artifacts: string;
  /** Read posters from here instead of the root the store recorded at import. */
  posters?: string;
  /** Encode every movie again, and refit what is fitted on the catalog. */
  force: boolean;
}

export interface SpaceReport {
  space: string;
  version: string;
  /** Movies with an input (a text; a poster file). */
  inputs: number;
  encoded: number;
  unchanged: number;
  /** Vectors removed: their movie has no input any more (a poster that went away or no longer decodes). */
  removed: number;
  failed: number;
  seconds: number;
}

export interface EncodeReport {
  spaces: SpaceReport[];
  warnings: InputWarning[];
  notes: string[];
}

/** Movies per write: a stopped run loses at most this much work. */
const WRITE_BATCH = 512;

export async function encodeCatalog(store: Store, options: EncodeOptions, progress: Progress = silentProgress): Promise<EncodeReport> {
  const movies = await store.listMovies();
  const report: EncodeReport = { spaces: [], warnings: [], notes: [] };
  const text = chooseTextEncoders(options);
  if (text.note) report.notes.push(text.note);
  for (const id of text.ids) report.spaces.push(await timed(() => encodeTexts(store, movies, { ...options, text: id }, report, progress)));
  const image = chooseImageEncoder(options);
  if (image.note) report.notes.push(image.note);
  const imageId = image.id;
  if (imageId) report.spaces.push(await timed(() => encodePosters(store, movies, imageId, options, report, progress)));
  return report;
}

/** A space's report with the seconds it took, reading and hashing its inputs included. */
async function timed(work: () => Promise<SpaceReport>): Promise<SpaceReport> {
  const started = performance.now();
  const report = await work();
  return { ...report, seconds: (performance.now() - started) / 1000 };
}

/** What one space's encoder must offer: a version known up front, and the encoder itself only when there is work. */
interface SpaceProducer<Input> {
  key: VectorSpaceKey;
  version: string;
  dim: number;
  open(): Promise<{
    /** Vectors for the inputs that could be encoded (`ok` gives their positions), and why the others could not. */
    encode(inputs: Input[]): Promise<{ vectors: Float32Array; ok: ArrayLike<number>; failures: { index: number; reason: string }[] }>;
    close(): Promise<void>;
  }>;
}

interface EncodeItem<Input> {
  movieId: MovieId;
  contentHash: string;
  input: Input;
}

/** The text encoders: as asked, else MiniLM when its files are in the model directory, and the built-in tfidf-svd. */
function chooseTextEncoders(options: EncodeOptions): { ids: TextEncoderId[]; note?: string } {
  if (options.text !== 'auto') return { ids: [options.text] };
  const { models } = options;
  if (models.allowDownload || hasModelFiles(models, MINILM)) return { ids: ['minilm', 'tfidf-svd'] };
  return {
    ids: ['tfidf-svd'],
    note: `no ${MINILM.name} in ${models.dir}: texts encoded with the built-in tfidf-svd only (pass --models DIR or set ${MODELS_ENV} for MiniLM)`,
  };
}

async function encodeTexts(
  store: Store,
  movies: readonly Movie[],
  options: EncodeOptions & { text: TextEncoderId },
  report: EncodeReport,
  progress: Progress,
): Promise<SpaceReport> {
  const items = movies.map((movie) => {
    const text = composeMovieText(movie);
    return { movieId: movie.movieId, contentHash: sha256(text), input: text };
  });
  const key: VectorSpaceKey = { owner: 'movie', kind: 'text', producer: options.text };
  const noVector = (item: EncodeItem<string>, reason: string) =>
    report.warnings.push({ location: { file: store.location, field: `movie ${item.movieId}` }, message: `text not encoded (${reason}): no text vector` });
  if (options.text === 'minilm') {
    const version = await miniLmVersion(options.models);
    return encodeSpace(store, { key, version, dim: MINILM_DIM, open: async () => plainText(await loadMiniLm(options.models)) }, items, options.force, progress, noVector);
  }
  const encoder = await tfidfSvd(
    join(options.artifacts, 'encoders', 'tfidf-svd'),
    items.map((item) => item.input),
    options.force,
    progress,
  );
  return encodeSpace(store, { key, version: encoder.version, dim: encoder.dim, open: async () => plainText(encoder) }, items, options.force, progress, noVector);
}

/**
 * A text encoder as a producer. A text none of whose words the encoder knows (tfidf-svd keeps only words seen in
 * several movies) comes out as zeros: that movie gets no text vector, like a movie without a poster gets no image one.
 */
function plainText(encoder: { readonly dim: number; encode(texts: readonly string[]): Promise<Float32Array> }) {
  return {
    encode: async (texts: string[]) => {
      const encoded = await encoder.encode(texts);
      const known = (row: number) => encoded.subarray(row * encoder.dim, (row + 1) * encoder.dim).some((value) => value !== 0);
      const ok = Array.from(texts.keys()).filter(known);
      const vectors = new Float32Array(ok.length * encoder.dim);
      ok.forEach((row, i) => vectors.set(encoded.subarray(row * encoder.dim, (row + 1) * encoder.dim), i * encoder.dim));
      const failures = Array.from(texts.keys())
        .filter((row) => !known(row))
        .map((index) => ({ index, reason: 'none of its words is in the vocabulary the encoder was fitted on' }));
      return { vectors, ok, failures };
    },
    close: async () => undefined,
  };
}

/** The catalog's tf-idf + SVD fit: the saved one, so later texts land in the same space; a new fit when there is none or on --force. */
async function tfidfSvd(dir: string, corpus: readonly string[], force: boolean, progress: Progress): Promise<TfidfSvdEncoder> {
  if (!force && existsSync(join(dir, 'manifest.json'))) return TfidfSvdEncoder.load(dir);
  const encoder = (await textEncoder('tfidf-svd', { corpus, progress })) as TfidfSvdEncoder;
  await encoder.save(dir);
  return encoder;
}

/** `auto`: CLIP when its weights are in the model directory, else MobileNet when it is there, else none (with a note). */
function chooseImageEncoder(options: EncodeOptions): { id: ImageEncoderId | null; note?: string } {
  if (options.image === 'none') return { id: null };
  if (options.image !== 'auto') return { id: options.image };
  const present = (id: ImageEncoderId) => hasModelFiles(options.models, IMAGE_MODELS[id].model);
  if (present('clip')) return { id: 'clip' };
  if (present('mobilenet')) return { id: 'mobilenet' };
  return { id: null, note: `no poster model in ${options.models.dir} (neither CLIP nor MobileNet): posters not encoded` };
}

async function encodePosters(
  store: Store,
  movies: readonly Movie[],
  id: ImageEncoderId,
  options: EncodeOptions,
  report: EncodeReport,
  progress: Progress,
): Promise<SpaceReport> {
  const root = await postersRoot(store, options.posters);
  const withPoster = movies.flatMap((movie) => {
    const path = posterFile(movie, root);
    return path ? [{ movieId: movie.movieId, path }] : [];
  });
  const items: EncodeItem<string>[] = [];
  const failed: MovieId[] = [];
  for (const { movieId, path } of withPoster) {
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      report.warnings.push({ location: { file: path }, message: `poster of movie ${movieId} not readable (${error.code ?? error.message}): no poster vector` });
      failed.push(movieId);
      return null;
    });
    if (bytes) items.push({ movieId, contentHash: sha256(bytes), input: path });
  }
  const key: VectorSpaceKey = { owner: 'movie', kind: 'image', producer: id };
  const producer: SpaceProducer<string> = {
    key,
    version: await imageEncoderVersion(id, options.models),
    dim: IMAGE_MODELS[id].dim,
    open: async () => {
      const encoder = await imageEncoder(id, { models: options.models });
      return { encode: (paths) => encoder.encode(paths), close: () => encoder.close() };
    },
  };
  const result = await encodeSpace(store, producer, items, options.force, progress, (item, reason) => {
    report.warnings.push({ location: { file: item.input }, message: `poster of movie ${item.movieId} does not decode (${reason}): no poster vector` });
  });
  // A poster that cannot be read now has no vector, whatever an earlier run made of it.
  result.removed += await store.deleteVectors(key, failed);
  result.failed += failed.length;
  result.inputs += failed.length;
  return result;
}

/**
 * Brings one space up to date with `items`: encodes what is new or changed (everything after a version change or on
 * `force`), removes the vectors of movies that no longer have an input, and writes batch by batch.
 */
async function encodeSpace<Input>(
  store: Store,
  producer: SpaceProducer<Input>,
  items: readonly EncodeItem<Input>[],
  force: boolean,
  progress: Progress,
  onFailure?: (item: EncodeItem<Input>, reason: string) => void,
): Promise<SpaceReport> {
  const space: VectorSpace = { ...producer.key, version: producer.version, dim: producer.dim, trainedOn: null };
  const existing = await store.readVectors(producer.key);
  const current = existing && existing.space.version === space.version && existing.space.dim === space.dim && existing.space.trainedOn === null;
  const storedHash = new Map<number, string | null>(current && !force ? existing.ids.map((id, row) => [id, existing.contentHashes[row]!]) : []);
  const todo = items.filter((item) => storedHash.get(item.movieId) !== item.contentHash);
  const inputIds = new Set(items.map((item) => item.movieId));
  const orphans = current ? existing.ids.filter((id) => !inputIds.has(id)) : [];
  const report: SpaceReport = {
    space: spaceName(producer.key),
    version: space.version,
    inputs: items.length,
    encoded: 0,
    unchanged: items.length - todo.length,
    removed: await store.deleteVectors(producer.key, orphans),
    failed: 0,
    seconds: 0,
  };
  if (todo.length > 0) {
    const encoder = await producer.open();
    const bar = progress(`encode ${report.space}`, todo.length);
    try {
      for (let start = 0; start < todo.length; start += WRITE_BATCH) {
        const batch = todo.slice(start, start + WRITE_BATCH);
        const { vectors, ok, failures } = await encoder.encode(batch.map((item) => item.input));
        const encoded = Array.from(ok, (index) => batch[index]!);
        if (encoded.length) {
          await store.writeVectors(space, { ids: encoded.map((item) => item.movieId), vectors, contentHashes: encoded.map((item) => item.contentHash) });
        }
        for (const failure of failures) onFailure?.(batch[failure.index]!, failure.reason);
        report.removed += await store.deleteVectors(
          producer.key,
          failures.map((failure) => batch[failure.index]!.movieId),
        );
        report.encoded += encoded.length;
        report.failed += failures.length;
        bar.tick(batch.length);
      }
    } finally {
      bar.done();
      await encoder.close();
    }
  }
  return report;
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
