import type { Dataset, Movie, MovieId } from '../domain.js';
import { silentProgress, type Progress } from '../progress.js';
import type { ImportSummary, Store } from '../store/store.js';
import { readCatalog } from './catalog.js';
import { InputError, type InputWarning } from '../errors.js';
import { applyTmdb, checkInteractions, mergeMovies } from './merge.js';
import { readMovieLens } from './movielens.js';
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
  const { parsed, notes } = readSources(sources, progress);

  const runMovieIds = [...new Set(parsed.movieRecords.map((record) => record.fields.movieId))];
  const stored = byId(await store.getMovies(runMovieIds));
  const movies = mergeMovies(parsed.movieRecords, stored);

  const tmdbIds = [...new Set(parsed.tmdbRecords.map((row) => row.tmdbId))];
  applyTmdb(movies, parsed.tmdbRecords, await store.moviesByTmdbIds(tmdbIds));

  const referenced = [...parsed.ratings, ...parsed.tags].map((row) => row.value.movieId).filter((movieId) => !movies.has(movieId));
  const storedReferenced = new Set((await store.getMovies([...new Set(referenced)])).map((movie) => movie.movieId));
  const interactions = checkInteractions(movies, storedReferenced, parsed.ratings, parsed.tags);

  const warnings: InputWarning[] = [];
  const scan = sources.posters ? await scanPosters(sources.posters, movies.keys(), progress) : null;
  if (scan) {
    for (const movie of movies.values()) movie.poster = scan.posters.get(movie.movieId) ?? null;
    warnings.push(...scan.warnings);
  }

  const dataset: Dataset = { movies: [...movies.values()].sort((a, b) => a.movieId - b.movieId), ...interactions };
  const summary = await store.importDataset(dataset, progress);
  if (scan) notes.push(...(await recordPostersRoot(store, scan.root)));
  return { summary, warnings, notes };
}

/** Makes `root` the store's posters root; a note when it replaces another, which the posters of movies not in this run now resolve under too. */
async function recordPostersRoot(store: Store, root: string): Promise<string[]> {
  const { postersRoot: previous } = await store.readSettings();
  if (previous === root) return [];
  await store.writeSettings({ postersRoot: root });
  return previous === null ? [] : [`posters root moved from ${previous} to ${root}: every movie's poster is now read from there`];
}

function readSources(sources: IngestSources, progress: Progress): { parsed: ParsedSources; notes: string[] } {
  const steps = [sources.movielens, sources.catalog, sources.tmdb5000].filter(Boolean).length;
  const bar = progress('reading', steps);
  const parsed: ParsedSources = { movieRecords: [], tmdbRecords: [], ratings: [], tags: [] };
  const notes: string[] = [];
  if (sources.movielens) {
    const movielens = readMovieLens(sources.movielens);
    parsed.movieRecords.push(...movielens.movieRecords);
    parsed.ratings.push(...movielens.ratings);
    parsed.tags.push(...movielens.tags);
    notes.push(...movielens.missingOptional.map((path) => `${path}: not present (optional), skipped`));
    bar.tick();
  }
  if (sources.catalog) {
    parsed.movieRecords.push(...readCatalog(sources.catalog));
    bar.tick();
  }
  if (sources.tmdb5000) {
    parsed.tmdbRecords.push(...readTmdb5000(sources.tmdb5000));
    bar.tick();
  }
  bar.done();
  return { parsed, notes };
}

const byId = (movies: Movie[]) => new Map<MovieId, Movie>(movies.map((movie) => [movie.movieId, movie]));
