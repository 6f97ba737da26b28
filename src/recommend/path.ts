/**
 * The recommendation path, in order: candidates (ANN over the DNA ∪ collaborative), filters, scoring (the pluggable
 * scorer), MMR re-rank. Rated, not-interested and filtered-out movies never enter the candidates, so they never come
 * back. Both the service (src/recommend/service.ts) and the `pipeline` model under evaluate run exactly this.
 */
import type { Movie, MovieId } from '../domain.js';
import { mmrRerank } from '../rank/mmr.js';
import { gatherCandidates, isExcluded, type CandidateQuery, type CandidateSource, type Exclusion } from './candidates.js';
import type { DnaTable } from './dna-table.js';
import { isEmptyFilter, movieMatcher, type MovieFilter } from './filters.js';
import type { CandidateScorer } from './scorer.js';

/** The stages the path runs, fitted and loaded. */
export interface PathStages {
  dna: DnaTable;
  sources: readonly CandidateSource[];
  scorer: CandidateScorer;
  /** The catalog, for filters. */
  movie(movieId: MovieId): Movie | undefined;
}

export interface PathOptions {
  /** Relevance–diversity trade-off of the MMR re-rank: 1 = pure relevance. */
  lambda?: number;
  /** Candidates per source (default 200). */
  candidates?: number;
  filter?: MovieFilter;
  /** Only movies for which this holds (a caller's own test, as the model contract's `filter`). */
  keep?: (movieId: MovieId) => boolean;
  /** Movies never to return, on top of the rated ones (e.g. "not interested"). */
  exclude?: ReadonlySet<MovieId>;
}

export const DEFAULT_CANDIDATES = 200;

export interface PathItem {
  movieId: MovieId;
  /** The MMR score it was picked with (its relevance, scaled to [0, 1], when λ = 1). */
  score: number;
  /** The scorer's score. */
  relevance: number;
  /** The candidate sources that brought it: 'dna', 'itemknn', 'mf'. */
  sources: string[];
}

/** The candidates the path scores for a list of n, with the sources that brought each. */
export async function pathCandidates(stages: PathStages, query: CandidateQuery, n: number, options: PathOptions = {}): Promise<Map<MovieId, string[]>> {
  const exclusion = exclusionOf(stages, query, options);
  const found = await gatherCandidates(stages.sources, query, Math.max(n, options.candidates ?? DEFAULT_CANDIDATES), exclusion);
  // Sources search with the exclusion, but a source's list is not trusted to honour it: what must never come back never does.
  for (const movieId of found.keys()) if (isExcluded(exclusion, movieId)) found.delete(movieId);
  return found;
}

export async function recommendPath(stages: PathStages, query: CandidateQuery, n: number, options: PathOptions = {}): Promise<PathItem[]> {
  const found = await pathCandidates(stages, query, n, options);
  const candidates = [...found.keys()];
  const scores = await stages.scorer.score(query, candidates);
  const kept = candidates.flatMap((movieId, i) => (Number.isFinite(scores[i]) && stages.dna.has(movieId) ? [i] : []));
  const picks = mmrRerank(
    {
      movieIds: kept.map((i) => candidates[i]!),
      relevance: kept.map((i) => scores[i]!),
      vectors: stages.dna.vectors,
      dim: stages.dna.dim,
      rows: kept.map((i) => stages.dna.row(candidates[i]!)!),
    },
    options.lambda ?? 1,
    n,
  );
  return picks.map((pick) => ({ ...pick, sources: found.get(pick.movieId)! }));
}

/** Rated and excluded movies as a set; a catalog filter or the caller's own test as a test, only when there is one. */
function exclusionOf(stages: PathStages, query: CandidateQuery, options: PathOptions): Exclusion {
  const ids = new Set(options.exclude);
  for (const entry of query.history) ids.add(entry.movieId);
  const matches = options.filter && !isEmptyFilter(options.filter) ? movieMatcher(options.filter) : null;
  const { keep } = options;
  if (!matches && !keep) return { ids };
  return {
    ids,
    rejects: (movieId) => {
      if (keep && !keep(movieId)) return true;
      const movie = matches ? stages.movie(movieId) : undefined;
      return matches !== null && (!movie || !matches(movie));
    },
  };
}
