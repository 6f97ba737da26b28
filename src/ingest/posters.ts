import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import type { MovieId } from '../domain.js';
import type { Progress } from '../progress.js';
import { InputError, type InputWarning } from '../errors.js';
import { decoderReason } from '../posters.js';

const POSTER_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
/** sharp also reads GIF, TIFF, SVG and more: a poster must be one of these. */
const POSTER_FORMATS = new Set(['jpeg', 'png', 'webp']);
const NOT_AN_IMAGE = 'corrupt poster: not a JPEG, PNG or WebP image';
/** Posters decoded at once: sharp decodes on libuv's thread pool (4 threads by default). */
const DECODE_CONCURRENCY = 4;

export interface PosterScan {
  /** The posters directory, absolute: the posters root that the file names below are relative to. */
  root: string;
  /** movieId → file name, relative to `root`, of a poster that decodes whole. */
  posters: Map<MovieId, string>;
  /** Poster files that were present but unusable: the movie is kept without a poster. */
  warnings: InputWarning[];
}

/**
 * Finds `<movieId>.<jpg|jpeg|png|webp>` in `dir` for the given movies and decodes each file in full, so that a
 * truncated or damaged image is caught. Movies without a file simply have no poster.
 */
export async function scanPosters(dir: string, movieIds: Iterable<MovieId>, progress: Progress): Promise<PosterScan> {
  const root = resolve(dir);
  let entries: string[];
  try {
    if (!statSync(root).isDirectory()) throw new InputError({ file: dir }, 'expected a directory of posters named <movieId>.jpg');
    entries = readdirSync(root);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ file: dir }, `posters directory not readable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const fileByMovie = new Map<MovieId, string>();
  for (const name of entries) {
    const extension = extname(name).toLowerCase();
    const stem = name.slice(0, name.length - extension.length);
    if (POSTER_EXTENSIONS.has(extension) && /^\d+$/.test(stem)) fileByMovie.set(Number(stem), name);
  }

  const wanted = [...movieIds].filter((movieId) => fileByMovie.has(movieId));
  const problems = new Map<MovieId, string | null>();
  const bar = progress('posters', wanted.length);
  const queue = wanted.values();
  await Promise.all(
    Array.from({ length: DECODE_CONCURRENCY }, async () => {
      for (const movieId of queue) {
        problems.set(movieId, await posterProblem(join(root, fileByMovie.get(movieId)!)));
        bar.tick();
      }
    }),
  );
  bar.done();

  const posters = new Map<MovieId, string>();
  const warnings: InputWarning[] = [];
  for (const movieId of wanted) {
    const name = fileByMovie.get(movieId)!;
    const problem = problems.get(movieId)!;
    if (problem === null) posters.set(movieId, name);
    else warnings.push({ location: { file: join(root, name) }, message: `${problem}; movie ${movieId} is imported without a poster` });
  }
  return { root, posters, warnings };
}

/** Why a poster file cannot be used, or null when it is a whole JPEG, PNG or WebP image. */
export async function posterProblem(path: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return `unreadable poster (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (bytes.length === 0) return 'empty poster file';
  // failOn 'error': a truncated or damaged image fails the decode, a decoder's mere warning does not.
  const image = sharp(bytes, { failOn: 'error' });
  try {
    if (!POSTER_FORMATS.has((await image.metadata()).format)) return NOT_AN_IMAGE;
    await image.raw().toBuffer();
    return null;
  } catch (error) {
    const reason = decoderReason(error);
    return /unsupported image format/i.test(reason) ? NOT_AN_IMAGE : `corrupt poster: the image does not decode (${reason})`;
  }
}
