/**
 * Where a store's poster files are. Movies keep their poster's file name relative to a posters root (`123.jpg`), and
 * the store records the root it was imported with; a store that moved to another host, or whose posters moved,
 * is pointed at their new directory with --posters DIR or REELSENSE_POSTERS.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Movie } from './domain.js';
import { StoreLocationError } from './errors.js';
import type { Store } from './store/store.js';

/** The directory to read a store's posters from: `override` when given, else the root the store recorded at import. */
export async function postersRoot(store: Pick<Store, 'readSettings'>, override?: string): Promise<string | null> {
  return override ? resolve(override) : (await store.readSettings()).postersRoot;
}

/** A movie's poster file under `root`; null when the movie has no poster. */
export function posterFile(movie: Pick<Movie, 'movieId' | 'poster'>, root: string | null): string | null {
  // Absolute: stored before posters were relative, outside the directory that the schema migration made the root.
  if (movie.poster === null || isAbsolute(movie.poster)) return movie.poster;
  if (root === null) {
    throw new StoreLocationError(
      `movie ${movie.movieId} has the poster ${movie.poster} but the store records no posters root: pass --posters DIR or set REELSENSE_POSTERS`,
    );
  }
  return resolve(root, movie.poster);
}

export interface PosterFiles {
  root: string | null;
  /** Movies with a poster whose file is there. */
  found: number;
  /** The poster files that are not there, by movieId. */
  missing: string[];
}

/** Resolves every movie's poster under `root` and checks that the file is there. */
export function findPosterFiles(movies: readonly Pick<Movie, 'movieId' | 'poster'>[], root: string | null): PosterFiles {
  const files = movies.map((movie) => posterFile(movie, root)).filter((file): file is string => file !== null);
  const missing = files.filter((file) => !existsSync(file));
  return { root, found: files.length - missing.length, missing };
}

/**
 * A decoder's reason for failing, in one line. libvips keeps one error buffer for every thread, so a decode that fails
 * while another does may report both; the last line is the one its own failure appended.
 */
export function decoderReason(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim());
  return lines.filter((line) => line.length > 0).at(-1) ?? 'unknown decoder error';
}
