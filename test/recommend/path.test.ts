import { describe, expect, it } from 'vitest';
import { EMPTY_MOVIE, type Movie, type MovieId } from '../../src/domain.js';
import { exactMovieIndex, dnaCandidates, type CandidateSource } from '../../src/recommend/candidates.js';
import { DnaTable } from '../../src/recommend/dna-table.js';
import { explainMovie } from '../../src/recommend/explain.js';
import { movieMatcher } from '../../src/recommend/filters.js';
import { recommendPath, type PathStages } from '../../src/recommend/path.js';
import { tasteCosineScorer, type CandidateScorer } from '../../src/recommend/scorer.js';

/** Movies 1–3 lie along x, 4–6 along y, 7–9 along z; movie i's DNA leans a little toward the next axis. */
const IDS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const DNA = new DnaTable(
  IDS,
  Float32Array.from(IDS.flatMap((id) => [0, 1, 2].map((axis) => (axis === Math.floor((id - 1) / 3) ? 1 : axis === (Math.floor((id - 1) / 3) + 1) % 3 ? 0.05 * id : 0)))),
  3,
);
const MOVIES: Movie[] = IDS.map((movieId) => ({
  ...EMPTY_MOVIE,
  movieId,
  title: `Movie ${movieId}`,
  year: 1990 + movieId,
  genres: movieId <= 3 ? ['Comedy'] : movieId <= 6 ? ['Drama', 'Romance'] : ['Horror'],
  language: movieId % 2 ? 'en' : 'fr',
  directors: movieId % 3 === 0 ? ['Ann Lee'] : [],
}));
const catalog = new Map(MOVIES.map((movie) => [movie.movieId, movie]));

function stages(sources: CandidateSource[] = [dnaCandidates(exactMovieIndex(DNA))], scorer: CandidateScorer = tasteCosineScorer(DNA)): PathStages {
  return { dna: DNA, sources, scorer, movie: (movieId) => catalog.get(movieId) };
}

const alongX = Float32Array.of(1, 0, 0);
const ids = (items: { movieId: MovieId }[]) => items.map((item) => item.movieId);

describe('the recommendation path', () => {
  it('ranks candidates by the scorer, never returning rated, excluded or filtered-out movies, even when a source offers them', async () => {
    const stubborn: CandidateSource = { name: 'stubborn', gather: async () => [1, 2, 5] };
    const history = [{ movieId: 1, rating: 5, timestamp: 1 }];
    const items = await recommendPath(stages([dnaCandidates(exactMovieIndex(DNA)), stubborn]), { taste: alongX, history }, 9, { exclude: new Set([2]) });
    expect(ids(items)).not.toContain(1);
    expect(ids(items)).not.toContain(2);
    expect(ids(items).slice(0, 1)).toEqual([3]);
    expect(items.find((item) => item.movieId === 5)!.sources).toEqual(['dna', 'stubborn']);
    const horror = await recommendPath(stages([stubborn, dnaCandidates(exactMovieIndex(DNA))]), { taste: alongX, history }, 9, { filter: { genres: ['Horror'] } });
    expect(ids(horror).sort()).toEqual([7, 8, 9]);
  });

  it('takes its order from whatever scorer is plugged in', async () => {
    const byId: CandidateScorer = { name: 'by-id', score: async (_query, candidates) => Float32Array.from(candidates, (movieId) => movieId) };
    const items = await recommendPath(stages(undefined, byId), { taste: alongX, history: [] }, 4);
    expect(ids(items)).toEqual([9, 8, 7, 6]);
    expect(items.map((item) => item.relevance)).toEqual([9, 8, 7, 6]);
  });

  it('spreads the list over the space as λ falls', async () => {
    const pure = await recommendPath(stages(), { taste: alongX, history: [] }, 3, { lambda: 1 });
    const diverse = await recommendPath(stages(), { taste: alongX, history: [] }, 3, { lambda: 0.2 });
    expect(ids(pure)).toEqual([1, 2, 3]);
    expect(new Set(ids(diverse).map((movieId) => Math.floor((movieId - 1) / 3))).size).toBe(3);
  });
});

describe('movie filters', () => {
  it('match genres (any, case aside), excluded genres, a year range and a language', () => {
    const matching = (filter: Parameters<typeof movieMatcher>[0]) => MOVIES.filter(movieMatcher(filter)).map((movie) => movie.movieId);
    expect(matching({ genres: ['romance', 'HORROR'] })).toEqual([4, 5, 6, 7, 8, 9]);
    expect(matching({ excludeGenres: ['Drama'] })).toEqual([1, 2, 3, 7, 8, 9]);
    expect(matching({ yearFrom: 1993, yearTo: 1995 })).toEqual([3, 4, 5]);
    expect(matching({ language: 'FR', genres: ['Comedy'] })).toEqual([2]);
    expect(movieMatcher({ yearFrom: 1990 })({ ...MOVIES[0]!, year: null })).toBe(false);
  });
});

describe('explanations', () => {
  it('name the rated movies that pulled a movie in, what it shares with liked movies, and skip ratings that push away', async () => {
    const history = [
      { movieId: 3, rating: 5, timestamp: 1 },
      { movieId: 2, rating: 4.5, timestamp: 2 },
      { movieId: 9, rating: 1, timestamp: 3 },
    ];
    const explanation = await explainMovie({ dna: DNA, movie: (movieId) => catalog.get(movieId), textOnlyDna: async () => Float32Array.of(1, 0, 0) }, history, alongX, 1);
    expect(explanation.pulledBy.map((pull) => pull.movieId)).toEqual([3, 2]);
    for (const pull of explanation.pulledBy) expect(pull.contribution).toBeCloseTo(pull.similarity * pull.weight, 6);
    expect(explanation.shared.genres).toEqual([{ name: 'Comedy', likedMovies: 2 }]);
    expect(explanation.shared.directors).toEqual([]);
    // Its text alone scores 1 against the full 0.9987: nearly all text, a sliver of poster.
    expect(explanation.modalities!.text).toBeGreaterThan(0.99);
    expect(explanation.modalities!.text + explanation.modalities!.poster).toBeCloseTo(1, 6);
  });
});
