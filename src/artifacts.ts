/**
 * Fitted state on disk: a directory with `manifest.json` (what it is, its parameters and versions, the dataset and
 * the ratings it was fitted on), one raw little-endian file per typed array, and any file a producer writes in its own
 * format (e.g. a native library's index). Written to a temporary sibling and
 * renamed into place, so a crash mid-write never leaves a half-written artifact where a reader looks.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError } from './errors.js';

const FORMAT = 'reelsense-artifact';
const FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';

const { version: reelsenseVersion } = createRequire(import.meta.url)('../package.json') as { version: string };

const ARRAY_TYPES = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array } as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;
export type ArtifactArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

const paramValue = z.union([z.number(), z.string(), z.boolean()]);

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  /** What produced it: 'model', 'encoder', 'fusion', … */
  kind: z.string().min(1),
  name: z.string().min(1),
  /** The producer's own version: a change in how it computes invalidates what it wrote. */
  version: z.string().min(1),
  reelsenseVersion: z.string(),
  createdAt: z.string(),
  params: z.record(z.string(), paramValue),
  seed: z.number().int().nullable(),
  /** The dataset the training data was taken from (catalog and every rating), or null. */
  datasetHash: z.string().nullable(),
  /** `interactionsFingerprint` of the ratings it was fitted on; null when it used none. */
  trainedOn: z.string().nullable(),
  metrics: z.record(z.string(), z.number()),
  arrays: z.record(
    z.string(),
    z.object({ type: z.enum(Object.keys(ARRAY_TYPES) as [ArrayTypeName, ...ArrayTypeName[]]), length: z.number().int().min(0), sha256: z.string() }),
  ),
  /** Files in a producer's own format, by file name. */
  files: z.record(z.string(), z.object({ bytes: z.number().int().min(0), sha256: z.string() })).optional(),
  /** Subdirectories that are artifacts of their own (the stages of a composite model), each checked when it is loaded. */
  parts: z.array(z.string()).optional(),
  /** Small JSON state that is not an array (vocabularies, id lists). */
  data: z.unknown().optional(),
});

export type ArtifactManifest = z.infer<typeof manifestSchema>;

/** What a producer says about an artifact; the module adds format, versions, time and the array index. */
export type ArtifactDescription = Pick<ArtifactManifest, 'kind' | 'name' | 'version' | 'params' | 'seed' | 'datasetHash' | 'trainedOn'> &
  Partial<Pick<ArtifactManifest, 'metrics' | 'data'>>;

export interface Artifact {
  manifest: ArtifactManifest;
  arrays: Record<string, ArtifactArray>;
  /** The path of each file in a producer's own format, checked against the manifest, for the producer to read. */
  files: Record<string, string>;
}

/** Writes one file of an artifact in the producer's own format (or, for a part, a whole artifact) at `path` in the staging directory. */
export type ArtifactFileWriter = (path: string) => Promise<void>;

/** What an artifact holds besides its arrays. */
export interface ArtifactExtras {
  files?: Record<string, ArtifactFileWriter>;
  /** Artifacts of their own, saved inside this one, so the whole is swapped in at once. */
  parts?: Record<string, ArtifactFileWriter>;
}

/** An artifact fitted on ratings other than the ones it must have been fitted on (e.g. on the test split). */
export class LeakageError extends Error {
  override name = 'LeakageError';
}

export async function saveArtifact(
  dir: string,
  description: ArtifactDescription,
  arrays: Record<string, ArtifactArray>,
  { files = {}, parts = {} }: ArtifactExtras = {},
): Promise<ArtifactManifest> {
  const manifest: ArtifactManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    ...description,
    metrics: description.metrics ?? {},
    reelsenseVersion,
    createdAt: new Date().toISOString(),
    arrays: Object.fromEntries(Object.entries(arrays).map(([name, array]) => [name, { type: arrayType(array), length: array.length, sha256: sha256(bytesOf(array)) }])),
  };
  await mkdir(dirname(dir), { recursive: true });
  const staging = join(dirname(dir), `.${basename(dir)}.${process.pid}.tmp`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  for (const [name, array] of Object.entries(arrays)) await writeFile(join(staging, arrayFile(name)), bytesOf(array), { flush: true });
  if (Object.keys(files).length) manifest.files = {};
  for (const [name, write] of Object.entries(files)) {
    const path = join(staging, name);
    await write(path);
    manifest.files![name] = await flushedFile(path);
  }
  if (Object.keys(parts).length) manifest.parts = Object.keys(parts);
  for (const [name, write] of Object.entries(parts)) await write(join(staging, name));
  await writeFile(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
  // Swap in whole: a reader sees the old artifact or the new one, never a mix.
  const retired = `${staging}.old`;
  if (existsSync(dir)) await rename(dir, retired);
  await rename(staging, dir);
  await rm(retired, { recursive: true, force: true });
  return manifest;
}

export async function readManifest(dir: string): Promise<ArtifactManifest> {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError({ file: path }, 'no artifact here: expected a manifest.json written by reelsense');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError({ file: path }, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError({ file: path, field: issue.path.join('.') }, issue.message);
  }
  return parsed.data;
}

/** Reads an artifact, checking each array's length and checksum against the manifest. */
export async function loadArtifact(dir: string): Promise<Artifact> {
  const manifest = await readManifest(dir);
  const arrays: Record<string, ArtifactArray> = {};
  for (const [name, entry] of Object.entries(manifest.arrays)) {
    const path = join(dir, arrayFile(name));
    const bytes = await readFile(path).catch(() => {
      throw new InputError({ file: path }, `missing array "${name}" of the artifact`);
    });
    const Type = ARRAY_TYPES[entry.type];
    if (bytes.length !== entry.length * Type.BYTES_PER_ELEMENT || sha256(bytes) !== entry.sha256) {
      throw new InputError(
        { file: path },
        `array "${name}" does not match its manifest (expected ${entry.length} × ${entry.type}, sha256 ${entry.sha256.slice(0, 12)}…)`,
      );
    }
    // Copy into a fresh, aligned buffer: a Buffer from the pool may sit at an offset no typed array can view.
    const array = new Type(entry.length);
    new Uint8Array(array.buffer).set(bytes);
    arrays[name] = array;
  }
  const files: Record<string, string> = {};
  for (const [name, entry] of Object.entries(manifest.files ?? {})) {
    const path = join(dir, name);
    const bytes = await readFile(path).catch(() => {
      throw new InputError({ file: path }, `missing file "${name}" of the artifact`);
    });
    if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) {
      throw new InputError({ file: path }, `file "${name}" does not match its manifest (expected ${entry.bytes} bytes, sha256 ${entry.sha256.slice(0, 12)}…)`);
    }
    files[name] = path;
  }
  for (const name of manifest.parts ?? []) {
    if (!existsSync(join(dir, name, MANIFEST))) throw new InputError({ file: join(dir, name) }, `missing part "${name}" of the artifact`);
  }
  return { manifest, arrays, files };
}

/**
 * The leakage guard: something fitted on ratings must have been fitted on exactly `expected` (the current training
 * part). Fitted on no ratings (null) is always fine.
 */
export function checkTrainedOn(what: string, trainedOn: string | null, expected: string): void {
  if (trainedOn !== null && trainedOn !== expected) {
    throw new LeakageError(`${what} was fitted on ratings ${trainedOn}, not on this training part (${expected}): refit it on the training part`);
  }
}

/** The named array of an artifact, or a clear error when an artifact of another shape was loaded. */
export function requireArray<T extends ArtifactArray>(artifact: Artifact, name: string, type: new (length: number) => T): T {
  const array = artifact.arrays[name];
  if (!(array instanceof type))
    throw new InputError({ file: MANIFEST, field: `arrays.${name}` }, `expected a ${type.name} named "${name}" in the ${artifact.manifest.name} artifact`);
  return array;
}

const arrayFile = (name: string) => `${name}.bin`;

function arrayType(array: ArtifactArray): ArrayTypeName {
  const name = array.constructor.name;
  if (!(name in ARRAY_TYPES)) throw new Error(`cannot store a ${name} in an artifact`);
  return name as ArrayTypeName;
}

function bytesOf(array: ArtifactArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Syncs a file another writer (a native library) left unflushed, and returns its size and checksum for the manifest. */
async function flushedFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  const bytes = await readFile(path);
  return { bytes: bytes.length, sha256: sha256(bytes) };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
