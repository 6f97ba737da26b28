import { Command } from 'commander';
import { z } from 'zod';
import type { MovieId } from '../domain.js';
import { PROFILE_KINDS } from '../profile/profiles.js';
import type { Recommendation, RecommendTarget } from '../recommend/service.js';
import { jsonFlag, parseFlags, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { movieCells, movieIdFlag, ratingFlag, serviceFlags, userIdFlag, withService, withServiceOptions } from './service.js';

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(item).min(1));

/** `318=5,296=2.5`: a history typed on the command line, one rating or a few, oldest first. */
const ratingPair = z
  .string()
  .regex(/^\d+=\d+(\.\d+)?$/, 'expected MOVIE=RATING pairs, comma-separated, e.g. 318=5,296=2.5')
  .transform((pair) => pair.split('='))
  .pipe(z.tuple([movieIdFlag, ratingFlag]));

const flagsSchema = z
  .object({
    db: storeFlag,
    ...serviceFlags,
    user: userIdFlag.optional(),
    favorites: commaList(movieIdFlag).optional(),
    ratings: commaList(ratingPair).optional(),
    text: z.string().trim().min(1, 'expected a few words describing the movies you like').optional(),
    n: z.coerce.number().int('expected a whole number of movies').min(1, 'expected at least 1 movie').max(1000, 'expected at most 1000 movies'),
    profile: z.enum(PROFILE_KINDS, { message: `expected one of ${PROFILE_KINDS.join(', ')}` }),
    lambda: z.coerce.number().min(0, 'expected λ in [0, 1] (1 = pure relevance)').max(1, 'expected λ in [0, 1] (1 = pure relevance)'),
    candidates: z.coerce.number().int('expected a whole number').min(1).max(10_000).optional(),
    genres: commaList(z.string().min(1)).optional(),
    excludeGenres: commaList(z.string().min(1)).optional(),
    yearFrom: z.coerce.number().int('expected a year').optional(),
    yearTo: z.coerce.number().int('expected a year').optional(),
    language: z.string().trim().min(1).optional(),
    json: jsonFlag,
  })
  .refine((flags) => [flags.user, flags.favorites, flags.ratings, flags.text].filter((value) => value !== undefined).length === 1, {
    message: 'expected exactly one of --user, --favorites, --ratings and --text',
    path: ['user'],
  })
  .refine((flags) => flags.yearFrom === undefined || flags.yearTo === undefined || flags.yearFrom <= flags.yearTo, {
    message: 'expected --year-from ≤ --year-to',
    path: ['yearFrom'],
  });

type Flags = z.infer<typeof flagsSchema>;

function targetOf(flags: Flags): { target: RecommendTarget; label: string } {
  if (flags.user !== undefined) return { target: { userId: flags.user }, label: `user ${flags.user}` };
  if (flags.favorites) return { target: { favorites: flags.favorites }, label: `favourites ${flags.favorites.join(', ')}` };
  if (flags.ratings) {
    const history = flags.ratings.map(([movieId, rating], i) => ({ movieId, rating, timestamp: i }));
    return { target: { history }, label: `ratings ${flags.ratings.map(([movieId, rating]) => `${movieId}=${rating}`).join(', ')}` };
  }
  return { target: { text: flags.text! }, label: `"${flags.text}"` };
}

export function recommendationTable(items: readonly Recommendation[], scoreLabel = 'score'): string {
  return formatTable(
    ['#', 'movie', 'title', 'genres', scoreLabel, 'from'],
    items.map((item, i) => [i + 1, String(item.movieId), ...movieCells(item.movie), item.relevance.toFixed(3), item.sources.join('+')]),
  );
}

export function recommendCommand(): Command {
  return withServiceOptions(
    new Command('recommend').description(
      'recommend movies for a user, a few favourites, a few typed ratings or a sentence: candidates from the DNA and collaborative models, scored, re-ranked for diversity',
    ),
  )
    .option('--user <id>', 'a user in the store: their taste from all their ratings, in time order')
    .option('--favorites <ids>', 'comma-separated movie ids picked as favourites (each counts as a rating of 5)')
    .option('--ratings <pairs>', 'comma-separated MOVIE=RATING pairs, oldest first: from one rating up')
    .option('--text <sentence>', 'a free-text taste, e.g. "slow-burning sci-fi with a female lead"')
    .option('--n <count>', 'how many movies', '10')
    .option('--profile <kind>', `how ratings make a taste: ${PROFILE_KINDS.join(' | ')} (the trained taste updater, or the weighted profile)`, 'updater')
    .option('--lambda <λ>', 'relevance–diversity trade-off of the MMR re-rank, from 0 (most diverse) to 1 (pure relevance)', '1')
    .option('--candidates <n>', 'candidates per source (default 200)')
    .option('--genres <list>', 'only movies with one of these genres')
    .option('--exclude-genres <list>', 'no movie with any of these genres')
    .option('--year-from <year>', 'only movies from this year on')
    .option('--year-to <year>', 'only movies up to this year')
    .option('--language <code>', 'only movies in this original language (e.g. en, fr)')
    .option('--json', 'print JSON instead of a table')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const { target, label } = targetOf(flags);
        const filter = {
          ...(flags.genres ? { genres: flags.genres } : {}),
          ...(flags.excludeGenres ? { excludeGenres: flags.excludeGenres } : {}),
          ...(flags.yearFrom === undefined ? {} : { yearFrom: flags.yearFrom }),
          ...(flags.yearTo === undefined ? {} : { yearTo: flags.yearTo }),
          ...(flags.language ? { language: flags.language } : {}),
        };
        const items = await withService(flags, (service) =>
          service.recommend(target, flags.n, {
            profile: flags.profile,
            lambda: flags.lambda,
            ...(flags.candidates ? { candidates: flags.candidates } : {}),
            filter,
          }),
        );
        if (flags.json) {
          printJson({ for: label, profile: 'text' in target ? 'text' : flags.profile, lambda: flags.lambda, items: items.map(itemJson) });
          return;
        }
        const taste = 'text' in target ? 'the sentence through the text-only path' : `the ${flags.profile === 'updater' ? "taste updater's" : 'weighted'} profile`;
        process.stdout.write(`Recommendations for ${label} (taste: ${taste}; λ = ${flags.lambda}):\n\n${recommendationTable(items)}\n`);
      }),
    );
}

/** A recommendation as the JSON output has it: the movie's id, title, year and genres beside the scores. */
export function itemJson(item: Recommendation): {
  movieId: MovieId;
  title: string;
  year: number | null;
  genres: string[];
  score: number;
  relevance: number;
  sources: string[];
} {
  return {
    movieId: item.movieId,
    title: item.movie.title,
    year: item.movie.year,
    genres: item.movie.genres,
    score: item.score,
    relevance: item.relevance,
    sources: item.sources,
  };
}
