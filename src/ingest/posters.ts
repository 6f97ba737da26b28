import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { imageSize } from 'image-size';
import type { MovieId } from '../domain.js';
import type { Progress } from '../progress.js';
import { InputError, type InputWarning } from '../errors.js';

const POSTER_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

export interface PosterScan {
  /** movieId → absolute path of a poster that passed the checks. */
  posters: Map<MovieId, string>;
  /** Poster files that were present but unusable: the movie is kept without a poster. */
  warnings: InputWarning[];
}

/**
 * Finds `<movieId>.<jpg|jpeg|png|webp>` in `dir` for the given movies and checks each file is a whole image
 * (readable, a known format with sane dimensions, not truncated). Movies without a file simply have no poster.
 */
export function scanPosters(dir: string, movieIds: Iterable<MovieId>, progress: Progress): PosterScan {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError({ file: dir }, 'expected a directory of posters named <movieId>.jpg');
    entries = readdirSync(dir);
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
  const posters = new Map<MovieId, string>();
  const warnings: InputWarning[] = [];
  const bar = progress('posters', wanted.length);
  for (const movieId of wanted) {
    const path = resolve(join(dir, fileByMovie.get(movieId)!));
    const problem = posterProblem(path);
    if (problem === null) posters.set(movieId, path);
    else warnings.push({ location: { file: path }, message: `${problem}; movie ${movieId} is imported without a poster` });
    bar.tick();
  }
  bar.done();
  return { posters, warnings };
}

/** Why a poster file cannot be used, or null when it is a whole image. */
export function posterProblem(path: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return `unreadable poster (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (bytes.length === 0) return 'empty poster file';
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    return 'corrupt poster: not a JPEG, PNG or WebP image';
  }
  if (!size.width || !size.height) return 'corrupt poster: the image has no dimensions';
  if (size.type === 'jpg' && !endsWithMarker(bytes, [0xff, 0xd9])) return 'corrupt poster: truncated JPEG (no end-of-image marker)';
  if (size.type === 'png' && !endsWithMarker(bytes, [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82])) {
    return 'corrupt poster: truncated PNG (no IEND chunk)';
  }
  return null;
}

/** True when `marker` ends the data, ignoring the zero padding some encoders append. */
function endsWithMarker(bytes: Buffer, marker: number[]): boolean {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end < marker.length) return false;
  return marker.every((byte, i) => bytes[end - marker.length + i] === byte);
}
