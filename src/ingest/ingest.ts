import { statSync } from 'node:fs';
import type { Dataset, Movie, MovieId } from '../domain.js';
import { silentProgress, type Progress, type ProgressBar } from '../progress.js';
import type { ImportSummary, Store } from '../store/store.js';
import { readCatalog } from './catalog.js';
import type { BytesRead } from './csv.js';
import { InputError, type InputWarning } from '../errors.js';
import { applyTmdb, checkInteractions, mergeMovies } from './merge.js';
import { distinctIds } from './ratings.js';
import { movieLensPaths, readMovieLens } from './movielens.js';
import { scanPosters } from './posters.js';
import type { ParsedSources } from './sources.js';
import { readTmdb5000 } from './tmdb5000.js';

/** The sources of one import; at least one of movielens, catalog or tmdb5000. */
export interface IngestSources {
  /** A MovieLens directory: movies.csv and ratings.csv required, links.csv and tags.csv optional. */
  movielens?: string;
  /** The catalog JSONL, one movie per line. */
  catalog?: string;
  /** A directory of posters named <movieId>.jpg (or .jpeg, .png, .webp). */
  posters?: string;
  /** The TMDB-5000 movies CSV. */
  tmdb5000?: string;
}

export interface IngestReport {
  summary: ImportSummary;
  warnings: InputWarning[];
  /** Optional inputs that were not there. */
  notes: string[];
}

/**
 * Reads and validates every source of the run, merges them, and writes the result in one transaction.
 * Any bad input throws an InputError before anything is written.
 */
export async function ingest(store: Store, sources: IngestSources, progress: Progress = silentProgress): Promise<IngestReport> {
  if (!sources.movielens && !sources.catalog && !sources.tmdb5000) {
    throw new InputError({ file: 'command line' }, 'nothing to import: expected --movielens DIR, --catalog FILE or --tmdb5000 FILE');
  }
  const { dataset, warnings, notes } = await readDataset(store, sources, progress);
  const summary = await store.importDataset(dataset, progress);
  return { summary, warnings, notes };
}

/**
 * Everything the run's sources say, validated and merged with what the store holds. What only validation needs
 * (the parsed rows with their lines) stays in here, so its memory is free before the write.
 */
async function readDataset(store: Store, sources: IngestSources, progress: Progress): Promise<{ dataset: Dataset; warnings: InputWarning[]; notes: string[] }> {
  const { parsed, notes } = await readSources(sources, progress);

  const runMovieIds = [...new Set(parsed.movieRecords.map((record) => record.fields.movieId))];
  const stored = byId(await store.getMovies(runMovieIds));
  const movies = mergeMovies(parsed.movieRecords, stored);

  const tmdbIds = [...new Set(parsed.tmdbRecords.map((row) => row.tmdbId))];
  applyTmdb(movies, parsed.tmdbRecords, await store.moviesByTmdbIds(tmdbIds));

  const referenced = distinctIds(
    parsed.ratings?.interactions.movies ?? [],
    parsed.tags.map((row) => row.value.movieId),
  );
  const notInRun = Array.from(referenced).filter((movieId) => !movies.has(movieId));
  const storedReferenced = new Set((await store.getMovies(notInRun)).map((movie) => movie.movieId));
  const interactions = checkInteractions(new Set(notInRun.filter((movieId) => !storedReferenced.has(movieId))), parsed.ratings, parsed.tags);

  const warnings: InputWarning[] = [];
  const scan = sources.posters ? await scanPosters(sources.posters, movies.keys(), progress) : null;
  if (scan) {
    for (const movie of movies.values()) movie.poster = scan.posters.get(movie.movieId) ?? null;
    warnings.push(...scan.warnings);
    notes.push(...(await postersRootNotes(store, scan.root)));
  }
  const dataset: Dataset = {
    movies: [...movies.values()].sort((a, b) => a.movieId - b.movieId),
    ...interactions,
    ...(scan ? { settings: { postersRoot: scan.root } } : {}),
  };
  return { dataset, warnings, notes };
}

/** A note when this import's posters root replaces another: the posters of movies not in this run now resolve under it too. */
async function postersRootNotes(store: Store, root: string): Promise<string[]> {
  const { postersRoot: previous } = await store.readSettings();
  return previous === null || previous === root ? [] : [`posters root moved from ${previous} to ${root}: every movie's poster is now read from there`];
}

/** Reads every source; the bar counts KiB of input, so it moves through a 25M-line ratings file too. */
async function readSources(sources: IngestSources, progress: Progress): Promise<{ parsed: ParsedSources; notes: string[] }> {
  const files = [...(sources.movielens ? movieLensPaths(sources.movielens) : []), sources.catalog, sources.tmdb5000];
  const bytes = files.reduce((sum, path) => sum + (path ? (statSync(path, { throwIfNoEntry: false })?.size ?? 0) : 0), 0);
  // Whole KiB, as the ticks count them, so a finished read ends at 100%.
  const bar = progress('reading (KiB)', Math.floor(bytes / 1024));
  const onBytes = kibibyteTicks(bar);
  const notes: string[] = [];
  const movielens = sources.movielens ? await readMovieLens(sources.movielens, onBytes) : null;
  notes.push(...(movielens?.missingOptional ?? []).map((path) => `${path}: not present (optional), skipped`));
  const catalog = sources.catalog ? readCatalog(sources.catalog) : [];
  if (sources.catalog) onBytes(statSync(sources.catalog).size);
  const tmdbRecords = sources.tmdb5000 ? await readTmdb5000(sources.tmdb5000, onBytes) : [];
  bar.done();
  // concat, not push(...spread): a spread of a large array overflows the stack.
  const parsed: ParsedSources = {
    movieRecords: (movielens?.movieRecords ?? []).concat(catalog),
    tmdbRecords,
    ratings: movielens?.ratings ?? null,
    tags: movielens?.tags ?? [],
  };
  return { parsed, notes };
}

/** Ticks `bar` once per whole KiB of the bytes it is told about. */
function kibibyteTicks(bar: ProgressBar): BytesRead {
  let pending = 0;
  return (bytes) => {
    pending += bytes;
    const whole = Math.floor(pending / 1024);
    if (whole > 0) {
      bar.tick(whole);
      pending -= whole * 1024;
    }
  };
}

const byId = (movies: Movie[]) => new Map<MovieId, Movie>(movies.map((movie) => [movie.movieId, movie]));
