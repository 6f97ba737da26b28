import { Command } from 'commander';
import { z } from 'zod';
import type { MovieId } from '../domain.js';
import { MAX_RATING, MIN_RATING, RATING_STEP } from '../domain.js';
import { UsageError } from '../errors.js';
import { DEFAULT_MODELS_DIR, MODELS_ENV, modelSource } from '../encode/models.js';
import { PROFILE_KINDS, TasteProfiles, type ProfileKind } from '../profile/profiles.js';
import { loadProductionUpdater, requireDna } from '../profile/stage.js';
import { textTasteEncoder } from '../profile/text-taste.js';
import type { RatedMovie, Scored } from '../recommender.js';
import type { Store } from '../store/store.js';
import { artifactsOption, dbOption, defaultArtifactsDir, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const movieIdList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^[1-9]\d*$/, 'expected movie ids as positive whole numbers, comma-separated')
          .transform(Number),
      )
      .min(1),
  );

/** `318=5,296=2.5`: a history typed on the command line, one rating or a few. */
const ratingList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d+=\d+(\.\d+)?$/, 'expected MOVIE=RATING pairs, comma-separated, e.g. 318=5,296=2.5')
          .transform((pair) => ({ movieId: Number(pair.split('=')[0]), rating: Number(pair.split('=')[1]) }))
          .refine(
            ({ rating }) => rating >= MIN_RATING && rating <= MAX_RATING && Number.isInteger(rating / RATING_STEP),
            `expected ratings from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}`,
          ),
      )
      .min(1),
  );

const flagsSchema = z
  .object({
    db: storeFlag,
    user: z.coerce.number().int('expected a whole-number user id').optional(),
    favorites: movieIdList.optional(),
    ratings: ratingList.optional(),
    text: z.string().trim().min(1, 'expected a few words describing the movies you like').optional(),
    n: z.coerce.number().int('expected a whole number of movies').min(1, 'expected at least 1 movie').max(1000, 'expected at most 1000 movies'),
    profile: z.enum(PROFILE_KINDS, { message: `expected one of ${PROFILE_KINDS.join(', ')}` }),
    models: pathFlag.optional(),
    artifacts: pathFlag.optional(),
    json: jsonFlag,
  })
  .refine((flags) => [flags.user, flags.favorites, flags.ratings, flags.text].filter((value) => value !== undefined).length === 1, {
    message: 'expected exactly one of --user, --favorites, --ratings and --text',
    path: ['user'],
  });

type Flags = z.infer<typeof flagsSchema>;

interface Recommendation extends Scored {
  title: string;
  year: number | null;
  genres: string[];
}

/** Whom the list is for, and the taste it came from, in words. */
interface RecommendReport {
  for: string;
  profile: ProfileKind | 'text';
  items: Recommendation[];
}

async function recommendFor(store: Store, flags: Flags): Promise<RecommendReport> {
  const artifacts = flags.artifacts ?? defaultArtifactsDir(flags.db);
  const dna = await requireDna(store);
  const needsUpdater = flags.text === undefined && flags.profile === 'updater';
  const profiles = new TasteProfiles(
    dna,
    needsUpdater ? await loadProductionUpdater(artifacts, dna) : null,
    flags.text === undefined ? null : await textTasteEncoder({ artifacts, models: modelSource(flags.models ? { models: flags.models } : {}) }),
  );
  let taste: Float32Array | null;
  let seen: ReadonlySet<MovieId>;
  let who: string;
  if (flags.text !== undefined) {
    taste = await profiles.sentenceTaste(flags.text);
    seen = new Set();
    who = `"${flags.text}"`;
  } else if (flags.favorites) {
    await requireMovies(store, flags.favorites);
    taste = profiles.favoritesTaste(flags.favorites, flags.profile);
    seen = new Set(flags.favorites);
    who = `favourites ${flags.favorites.join(', ')}`;
  } else {
    const history = flags.ratings ? await typedHistory(store, flags.ratings) : await userHistory(store, flags.user!);
    taste = profiles.historyTaste(history, flags.profile);
    seen = new Set(history.map((entry) => entry.movieId));
    who = flags.ratings ? `ratings ${flags.ratings.map((entry) => `${entry.movieId}=${entry.rating}`).join(', ')}` : `user ${flags.user} (${history.length} ratings)`;
  }
  if (!taste) throw new UsageError(`these ratings give no taste: they are all at the user's own mean, or no rated movie has DNA`);
  const scored = profiles.nearest(taste, flags.n, seen);
  const movies = new Map((await store.getMovies(scored.map((item) => item.movieId))).map((movie) => [movie.movieId, movie]));
  return {
    for: who,
    profile: flags.text === undefined ? flags.profile : 'text',
    items: scored.map((item) => {
      const movie = movies.get(item.movieId);
      return { ...item, title: movie?.title ?? '?', year: movie?.year ?? null, genres: movie?.genres ?? [] };
    }),
  };
}

async function userHistory(store: Store, userId: number): Promise<RatedMovie[]> {
  const interactions = await store.readInteractions();
  const history: RatedMovie[] = [];
  for (let row = 0; row < interactions.users.length; row++) {
    if (interactions.users[row] === userId) {
      history.push({ movieId: interactions.movies[row]!, rating: interactions.ratings[row]!, timestamp: interactions.timestamps[row]! });
    }
  }
  if (history.length === 0) throw new UsageError(`user ${userId} has no ratings in the store: expected a user id from the ratings, or use --favorites or --text`);
  return history;
}

async function typedHistory(store: Store, ratings: readonly { movieId: MovieId; rating: number }[]): Promise<RatedMovie[]> {
  await requireMovies(
    store,
    ratings.map((entry) => entry.movieId),
  );
  return ratings.map((entry, i) => ({ ...entry, timestamp: i }));
}

async function requireMovies(store: Store, movieIds: readonly MovieId[]): Promise<void> {
  const found = new Set((await store.getMovies(movieIds)).map((movie) => movie.movieId));
  const missing = movieIds.filter((movieId) => !found.has(movieId));
  if (missing.length > 0) throw new UsageError(`no movie ${missing.join(', ')} in the catalog: expected movie ids from movies.csv`);
}

function reportText(report: RecommendReport): string {
  const source = report.profile === 'text' ? 'the sentence through the text-only path' : `the ${report.profile === 'updater' ? "taste updater's" : 'weighted'} profile`;
  return [
    `Content-only recommendations for ${report.for}, by cosine in the movie DNA to ${source}:`,
    '',
    formatTable(
      ['#', 'movie', 'title', 'year', 'genres', 'score'],
      report.items.map((item, i) => [i + 1, String(item.movieId), item.title, item.year === null ? '' : String(item.year), item.genres.join('|'), item.score.toFixed(3)]),
    ),
  ].join('\n');
}

export function recommendCommand(): Command {
  return new Command('recommend')
    .description('recommend movies for a user, a few favourites, a few typed ratings or a sentence (content only: cosine in the movie DNA)')
    .addOption(dbOption())
    .option('--user <id>', 'a user in the store: their taste from all their ratings, in time order')
    .option('--favorites <ids>', 'comma-separated movie ids picked as favourites (each counts as a rating of 5)')
    .option('--ratings <pairs>', 'comma-separated MOVIE=RATING pairs, oldest first: from one rating up')
    .option('--text <sentence>', 'a free-text taste, e.g. "slow-burning sci-fi with a female lead"')
    .option('--n <count>', 'how many movies', '10')
    .option('--profile <kind>', `how ratings make a taste: ${PROFILE_KINDS.join(' | ')} (the trained taste updater, or the weighted profile)`, 'updater')
    .option('--models <dir>', `pretrained model directory, for --text (default: $${MODELS_ENV}, else ${DEFAULT_MODELS_DIR})`)
    .addOption(artifactsOption())
    .option('--json', 'print JSON instead of a table')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const report = await withStore(flags.db, { create: false }, (store) => recommendFor(store, flags));
        if (flags.json) printJson(report);
        else process.stdout.write(`${reportText(report)}\n`);
      }),
    );
}
